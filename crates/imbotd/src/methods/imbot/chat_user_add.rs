//! `imbot.chat.user.add` — the bot adds `USERS` to a chat; `true`. `HIDE_HISTORY` as `im.chat.user.add`.
//!
//! Errors as the page's table (and Bitrix's `chatUserAdd`): a chat whose membership cannot be extended (a
//! private dialog, or nobody may add) → `403 ACCESS_ERROR` "It is forbidden to add users to this chat";
//! everything `CIMChat::AddUser` refuses — no such chat, the bot not a member or without the right to add,
//! nobody new to add — → `400 WRONG_REQUEST` "You don't have access or user already member in chat".

use super::chat_common::acting;
use crate::error::Error;
use crate::messenger;
use crate::methods::im::{chat_id, flag, user_ids};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats::{self, ChatType, Rights};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.user.add",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-user-add.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    if chats::get(&ctx.state.store, chat)
        .await?
        .is_some_and(|c| c.kind == ChatType::Private || c.manage_users_add == Rights::Nobody)
    {
        return Err(Error::api(ErrorCode::ACCESS_ERROR, "It is forbidden to add users to this chat"));
    }
    let refused = || Error::api(ErrorCode::WRONG_REQUEST, "You don't have access or user already member in chat");
    let users = user_ids(p.get("USERS"));
    if users.is_empty() {
        return Err(Error::api(ErrorCode::WRONG_REQUEST, "User IDs must be passed in array format"));
    }
    let (_, me) = acting(ctx, &p).await?;
    let added = messenger::add_users(&ctx.state, &me, chat, &users, flag(&p, "HIDE_HISTORY", true)).await.map_err(
        |e| match &e {
            Error::Api(a) if matches!(a.code.as_ref(), "ACCESS_ERROR" | "ACCESS_DENIED_EXTEND" | "CHAT_ID_EMPTY") => {
                refused()
            }
            _ => e,
        },
    )?;
    if added.is_empty() {
        return Err(refused());
    }
    Ok(Value::Bool(true).into())
}
