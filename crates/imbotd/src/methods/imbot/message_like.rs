//! `imbot.message.like` — the bot likes (`plus`), unlikes (`minus`) or toggles (`auto`) a message; `true`.
//! No change → `400 WITHOUT_CHANGES`.

use super::{bot, bot_user, owner};
use crate::error::Error;
use crate::messenger::{self, LikeAction};
use crate::methods::im::message_id;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::scalar_string;
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.message.like",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__messages__imbot-message-like.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let b = bot(ctx, &p, &app, false).await?;
    let id = message_id(&p)?;
    let action = match p.get("ACTION").and_then(scalar_string).unwrap_or_default().to_ascii_lowercase().as_str() {
        "plus" => LikeAction::Plus,
        "minus" => LikeAction::Minus,
        _ => LikeAction::Auto,
    };
    let me = bot_user(ctx, &b).await?;
    if !messenger::like(&ctx.state, &me, id, action).await? {
        return Err(Error::api(ErrorCode::WITHOUT_CHANGES, "Action completed without changes"));
    }
    Ok(Value::Bool(true).into())
}
