//! `im.chat.user.list` — the member ids of chat `CHAT_ID`, a bare array of ints.

use super::{chat_id, me};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats;
use imbot_wire::{DialogId, ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.chat.user.list",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__chat-users__im-chat-user-list.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let user = me(ctx).await?;
    let view = messenger::open_for_read(&ctx.state, &user, DialogId::Chat(chat.0))
        .await
        .map_err(|_| Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"))?;
    let members = chats::members(&ctx.state.store, view.chat_id()).await?;
    Ok(Value::Array(members.iter().map(|m| Value::from(m.user_id.0)).collect()).into())
}
