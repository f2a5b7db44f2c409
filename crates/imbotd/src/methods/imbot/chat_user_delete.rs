//! `imbot.chat.user.delete` — the bot removes `USER_ID` from a chat; `true`.

use super::chat_common::acting;
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger;
use crate::methods::im::{chat_id, positive};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
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
    let (_, me) = acting(ctx, &p).await?;
    messenger::remove_user(&ctx.state, &me, chat, UserId(user)).await?;
    Ok(Value::Bool(true).into())
}
