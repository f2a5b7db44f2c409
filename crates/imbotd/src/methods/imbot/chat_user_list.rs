//! `imbot.chat.user.list` — member ids of a chat the bot can see, a bare array of ints.

use super::chat_common::acting;
use crate::error::Error;
use crate::messenger;
use crate::methods::im::chat_id;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats;
use imbot_wire::{DialogId, ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.user.list",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-user-list.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let (_, me) = acting(ctx, &p).await?;
    let view = messenger::open_for_read(&ctx.state, &me, DialogId::Chat(chat.0))
        .await
        .map_err(|_| Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"))?;
    let members = chats::members(&ctx.state.store, view.chat_id()).await?;
    Ok(Value::Array(members.iter().map(|m| Value::from(m.user_id.0)).collect()).into())
}
