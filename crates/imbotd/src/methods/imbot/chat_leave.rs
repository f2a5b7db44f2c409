//! `imbot.chat.leave` — the bot leaves a chat; `true`. The owner must hand the chat over first
//! (`403 ACCESS_ERROR` LEAVE_OWNER_FORBIDDEN); a bot that is not a member → `400 WRONG_REQUEST`.

use super::chat_common::acting;
use crate::error::Error;
use crate::messenger;
use crate::methods::im::chat_id;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats::{self, Role};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.leave",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-leave.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let (_, me) = acting(ctx, &p).await?;
    match chats::member(&ctx.state.store, chat, me.id).await? {
        None => return Err(Error::api(ErrorCode::WRONG_REQUEST, "You don't have access or user isn't a member in chat")),
        Some(m) if m.role == Role::Owner => return Err(Error::api(ErrorCode::ACCESS_ERROR, "LEAVE_OWNER_FORBIDDEN")),
        Some(_) => {}
    }
    messenger::remove_user(&ctx.state, &me, chat, me.id).await?;
    Ok(Value::Bool(true).into())
}
