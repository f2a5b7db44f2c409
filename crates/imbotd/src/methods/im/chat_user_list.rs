//! `im.chat.user.list` — the member ids of chat `CHAT_ID`, a bare array of ints. A caller who may not see the
//! members (not in the chat, or no such chat) gets `[]`: "An empty array indicates that the user does not have
//! permission to view the chat participant IDs" (the page; Bitrix answers the same).

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
    let view = match messenger::open_for_read(&ctx.state, &user, DialogId::Chat(chat.0)).await {
        Ok(view) => view,
        Err(Error::Api(e)) if e.is(ErrorCode::ACCESS_ERROR) => return Ok(Value::Array(Vec::new()).into()),
        Err(e) => return Err(e),
    };
    let members = chats::members(&ctx.state.store, view.chat_id()).await?;
    Ok(Value::Array(members.iter().map(|m| Value::from(m.user_id.0)).collect()).into())
}
