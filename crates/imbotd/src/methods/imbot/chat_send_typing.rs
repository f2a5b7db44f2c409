//! `imbot.chat.sendTyping` (also `imbot.sendTyping`) — show "typing…" for the bot in a dialog; `true`.
//!
//! The answer is `true` whenever the bot and `DIALOG_ID` are valid ("returns `true` immediately after the
//! command is sent"; the page lists no other error): a dialog the bot cannot see gets no indicator, as
//! Bitrix's `Bot::startWriting` silently does nothing there.

use super::{bot, bot_user, owner};
use crate::error::Error;
use crate::messenger;
use crate::methods::im::dialog_id;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.sendtyping",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-send-typing.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// The old name of the same method.
pub static ALIAS: MethodSpec = MethodSpec {
    name: "imbot.sendtyping",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-send-typing.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let b = bot(ctx, &p, &app, false).await?;
    let dialog = dialog_id(&p)?;
    let me = bot_user(ctx, &b).await?;
    match messenger::open_for_read(&ctx.state, &me, dialog).await {
        Ok(view) => messenger::typing(&ctx.state, &me, &view),
        Err(Error::Api(_)) => {}
        Err(e) => return Err(e),
    }
    Ok(Value::Bool(true).into())
}
