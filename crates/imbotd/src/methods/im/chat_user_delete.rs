//! `im.chat.user.delete` — remove `USER_ID` from chat `CHAT_ID`; `true`. Needs the chat's
//! `manage_users_delete` right and a higher role than the removed member.

use super::{chat_id, me, positive};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.chat.user.delete",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__chat-users__im-chat-user-delete.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let user = positive(&p, "USER_ID").ok_or_else(|| Error::api(ErrorCode::USER_ID_EMPTY, "User ID can't be empty"))?;
    let actor = me(ctx).await?;
    messenger::remove_user(&ctx.state, &actor, chat, UserId(user)).await?;
    Ok(Value::Bool(true).into())
}
