//! `imbot.chat.add` — create a group chat owned by the bot; `result` is the chat id (int). Parameters as
//! `im.chat.add`; `USERS` entries that are neither numbers nor numeric strings → `400 INVALID_FORMAT`.

use super::chat_common::acting;
use crate::error::Error;
use crate::messenger;
use crate::methods::im::chat_add::chat_spec;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::value_list;
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.add",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-add.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, mut p: Params) -> Result<Output, Error> {
    if let Some(Value::String(s)) = p.get("USERS") {
        if let Ok(v @ Value::Array(_)) = serde_json::from_str::<Value>(s) {
            p.0.insert("USERS".into(), v);
        }
    }
    if let Some(users) = p.get("USERS") {
        let ok = value_list(users).iter().all(|v| v.is_number() || v.as_str().is_some_and(|s| s.trim().parse::<i64>().is_ok()));
        if !ok {
            return Err(Error::api(ErrorCode::INVALID_FORMAT, "Parameter USERS has wrong type"));
        }
    }
    let (_, me) = acting(ctx, &p).await?;
    let id = messenger::create_chat(&ctx.state, &me, chat_spec(&p)).await?;
    Ok(Value::from(id.0).into())
}
