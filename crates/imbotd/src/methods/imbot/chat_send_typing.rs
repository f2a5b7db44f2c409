//! `imbot.chat.sendTyping` (also `imbot.sendTyping`) — show "typing…" for the bot in a dialog; `true`.

use super::{bot, bot_user, owner};
use crate::error::Error;
use crate::messenger;
use crate::methods::im::dialog_id;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::{ErrorCode, Params};
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
    let view = messenger::open_for_read(&ctx.state, &me, dialog)
        .await
        .map_err(|_| Error::api(ErrorCode::WRONG_REQUEST, "The bot has no access to this dialog"))?;
    messenger::typing(&ctx.state, &me, &view);
    Ok(Value::Bool(true).into())
}
