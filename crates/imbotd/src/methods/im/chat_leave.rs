//! `im.chat.leave` — the caller leaves a group chat; `true`. An owner who leaves hands the chat to the
//! longest-standing member.

use super::{chat_id, me};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.chat.leave",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__chat-users__im-chat-leave.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let user = me(ctx).await?;
    messenger::remove_user(&ctx.state, &user, chat, user.id).await?;
    Ok(Value::Bool(true).into())
}
