//! `imbot.chat.user.delete` — the bot removes `USER_ID` from a chat; `true`.
//!
//! Errors as the page's table (and Bitrix's `chatUserDelete`): a private dialog → `403 ACCESS_ERROR` "It is
//! forbidden to delete users of this chat"; the owner (the bot itself included) cannot be removed without
//! handing the chat over → `403 ACCESS_ERROR` LEAVE_OWNER_FORBIDDEN; everything else `CIMChat::DeleteUser`
//! refuses — no such chat, the bot not a member or without the right to remove, the user not a member — →
//! `400 WRONG_REQUEST` "You don't have access or user isn't a member of the chat".

use super::chat_common::{acting, removal_refused};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger;
use crate::methods::im::{chat_id, positive};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats::{self, ChatType};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.user.delete",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-user-delete.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let user = positive(&p, "USER_ID").ok_or_else(|| Error::api(ErrorCode::USER_ID_EMPTY, "User ID can't be empty"))?;
    let found = chats::get(&ctx.state.store, chat).await?;
    if found.as_ref().is_some_and(|c| c.kind == ChatType::Private) {
        return Err(Error::api(ErrorCode::ACCESS_ERROR, "It is forbidden to delete users of this chat"));
    }
    let (_, me) = acting(ctx, &p).await?;
    if found.is_some_and(|c| c.owner_id.0 == user) {
        return Err(Error::api(ErrorCode::ACCESS_ERROR, "LEAVE_OWNER_FORBIDDEN"));
    }
    messenger::remove_user(&ctx.state, &me, chat, UserId(user))
        .await
        .map_err(|e| removal_refused(e, "You don't have access or user isn't a member of the chat"))?;
    Ok(Value::Bool(true).into())
}
