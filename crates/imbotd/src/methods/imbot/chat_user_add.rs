//! `imbot.chat.user.add` — the bot adds `USERS` to a chat; `true`. `HIDE_HISTORY` as `im.chat.user.add`.
//! Nobody new added → `400 WRONG_REQUEST` "You don't have access or user already member in chat".

use super::chat_common::acting;
use crate::error::Error;
use crate::messenger;
use crate::methods::im::{chat_id, flag, user_ids};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
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
    let users = user_ids(p.get("USERS"));
    if users.is_empty() {
        return Err(Error::api(ErrorCode::WRONG_REQUEST, "User IDs must be passed in array format"));
    }
    let (_, me) = acting(ctx, &p).await?;
    let added = messenger::add_users(&ctx.state, &me, chat, &users, flag(&p, "HIDE_HISTORY", true)).await?;
    if added.is_empty() {
        return Err(Error::api(ErrorCode::WRONG_REQUEST, "You don't have access or user already member in chat"));
    }
    Ok(Value::Bool(true).into())
}
