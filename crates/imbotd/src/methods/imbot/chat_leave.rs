//! `imbot.chat.leave` — the bot leaves a chat; `true`. The owner must hand the chat over first
//! (`403 ACCESS_ERROR` LEAVE_OWNER_FORBIDDEN); a bot that is not a member (or no such chat) → `400
//! WRONG_REQUEST`; a private dialog cannot be left → `403 ACCESS_ERROR` "It is forbidden to delete users of this
//! chat" (Bitrix's LEAVE restriction, checked before the bot).

use super::chat_common::{acting, removal_refused};
use crate::error::Error;
use crate::messenger;
use crate::methods::im::chat_id;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats::{self, ChatType, Role};
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
    if chats::get(&ctx.state.store, chat).await?.is_some_and(|c| c.kind == ChatType::Private) {
        return Err(Error::api(ErrorCode::ACCESS_ERROR, "It is forbidden to delete users of this chat"));
    }
    let (_, me) = acting(ctx, &p).await?;
    match chats::member(&ctx.state.store, chat, me.id).await? {
        None => {
            return Err(Error::api(ErrorCode::WRONG_REQUEST, "You don't have access or user isn't a member in chat"))
        }
        Some(m) if m.role == Role::Owner => return Err(Error::api(ErrorCode::ACCESS_ERROR, "LEAVE_OWNER_FORBIDDEN")),
        Some(_) => {}
    }
    messenger::remove_user(&ctx.state, &me, chat, me.id)
        .await
        .map_err(|e| removal_refused(e, "You don't have access or user isn't a member in chat"))?;
    Ok(Value::Bool(true).into())
}
