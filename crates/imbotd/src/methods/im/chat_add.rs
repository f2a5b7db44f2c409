//! `im.chat.add` — create a group chat owned by the caller; `result` is the chat id (int).
//! No parameter is required: the title defaults to "Chat with <names>". `TYPE=OPEN` makes an open chat,
//! anything else a closed one. Unknown `COLOR` names are ignored; `AVATAR` is accepted and not stored yet.

use super::{me, user_ids};
use crate::error::Error;
use crate::messenger::{self, render, ChatSpec};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::scalar_string;
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.chat.add",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__im-chat-add.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// The chat options of `im.chat.add` / `imbot.chat.add`.
pub fn chat_spec(p: &Params) -> ChatSpec {
    let text = |k: &str| p.get(k).and_then(scalar_string).map(|s| s.trim().to_owned()).unwrap_or_default();
    let color = text("COLOR").to_ascii_uppercase();
    ChatSpec {
        open: text("TYPE").eq_ignore_ascii_case("OPEN"),
        title: Some(text("TITLE")).filter(|t| !t.is_empty()),
        description: text("DESCRIPTION"),
        color: if render::color_hex(&color).is_some() { color } else { String::new() },
        users: user_ids(p.get("USERS")),
        message: Some(text("MESSAGE")).filter(|t| !t.is_empty()),
        entity_type: text("ENTITY_TYPE"),
        entity_id: text("ENTITY_ID"),
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let owner = me(ctx).await?;
    let id = messenger::create_chat(&ctx.state, &owner, chat_spec(&p)).await?;
    Ok(Value::from(id.0).into())
}
