//! `imbot.chat.add` — create a group chat owned by the bot; `result` is the chat id (int). Parameters as
//! `im.chat.add`; a `USERS` entry that is neither an integer nor a string → `400 INVALID_FORMAT` (SPEC-NOTES
//! §5.10; PHP-empty entries — null, false, 0, "", "0", [] — are dropped first, as Bitrix's `array_filter`).

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

/// PHP's `empty()` of a decoded value.
fn php_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || s == "0",
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

async fn call(ctx: &CallCtx, mut p: Params) -> Result<Output, Error> {
    if let Some(Value::String(s)) = p.get("USERS") {
        if let Ok(v @ Value::Array(_)) = serde_json::from_str::<Value>(s) {
            p.0.insert("USERS".into(), v);
        }
    }
    if let Some(users) = p.get("USERS") {
        let ok =
            value_list(users).into_iter().filter(|v| !php_empty(v)).all(|v| v.is_i64() || v.is_u64() || v.is_string());
        if !ok {
            return Err(Error::api(ErrorCode::INVALID_FORMAT, "Parameter USERS has wrong type"));
        }
    }
    let (_, me) = acting(ctx, &p).await?;
    let id = messenger::create_chat(&ctx.state, &me, chat_spec(&p)).await?;
    Ok(Value::from(id.0).into())
}
