//! Scope `im`: the messenger as a user (or a REST client acting as one) uses it
//! (`api-reference__chats__*`). Every method acts as the calling user; rules live in [`crate::messenger`].

pub mod chat_add;
pub mod chat_get;
pub mod chat_leave;
pub mod chat_user_add;
pub mod chat_user_delete;
pub mod chat_user_list;
pub mod dialog_get;
pub mod dialog_messages_get;
pub mod dialog_read;
pub mod dialog_unread;
pub mod dialog_users_list;
pub mod dialog_writing;
pub mod message_add;
pub mod message_command;
pub mod message_delete;
pub mod message_like;
pub mod message_update;
pub mod revision_get;

use crate::domain::{ChatId, MessageId, UserId};
use crate::error::Error;
use crate::messenger;
use crate::methods::CallCtx;
use crate::store::users::User;
use imbot_wire::params::{scalar_string, value_int, value_list};
use imbot_wire::{DialogId, ErrorCode, Params};

/// The calling user (active).
pub async fn me(ctx: &CallCtx) -> Result<User, Error> {
    messenger::active_user(&ctx.state, ctx.caller.user_id).await
}

/// `DIALOG_ID`, required: missing or malformed → `400 DIALOG_ID_EMPTY`.
pub fn dialog_id(p: &Params) -> Result<DialogId, Error> {
    p.get("DIALOG_ID")
        .and_then(DialogId::from_value)
        .ok_or_else(|| Error::api(ErrorCode::DIALOG_ID_EMPTY, "Dialog ID can't be empty"))
}

/// A positive integer parameter, or `None`.
pub fn positive(p: &Params, key: &str) -> Option<i64> {
    p.get(key).and_then(value_int).filter(|v| *v > 0)
}

/// `CHAT_ID`, required (also accepts `DIALOG_ID=chatN`): else `400 CHAT_ID_EMPTY`.
pub fn chat_id(p: &Params) -> Result<ChatId, Error> {
    if let Some(id) = positive(p, "CHAT_ID") {
        return Ok(ChatId(id));
    }
    match p.get("DIALOG_ID").and_then(DialogId::from_value) {
        Some(DialogId::Chat(id)) => Ok(ChatId(id)),
        _ => Err(Error::api(ErrorCode::CHAT_ID_EMPTY, "Chat ID can't be empty")),
    }
}

/// `MESSAGE_ID` (alias `ID`), required: else `400 MESSAGE_ID_ERROR`.
pub fn message_id(p: &Params) -> Result<MessageId, Error> {
    positive(p, "MESSAGE_ID")
        .or_else(|| positive(p, "ID"))
        .map(MessageId)
        .ok_or_else(|| Error::api(ErrorCode::MESSAGE_ID_ERROR, "Message ID can't be empty"))
}

/// A list of user ids (`USERS[]`, JSON array, a JSON string of an array as Bitrix's `CUtil::JsObjectToPhp`
/// reads it, comma-separated string); non-numeric entries are skipped.
pub fn user_ids(v: Option<&serde_json::Value>) -> Vec<UserId> {
    let Some(v) = v else { return Vec::new() };
    if let serde_json::Value::String(s) = v {
        if let Ok(decoded @ serde_json::Value::Array(_)) = serde_json::from_str(s.trim()) {
            return user_ids(Some(&decoded));
        }
    }
    let mut out = Vec::new();
    for item in value_list(v) {
        match item {
            serde_json::Value::String(s) if s.contains(',') => {
                out.extend(s.split(',').filter_map(|x| x.trim().parse::<i64>().ok()).filter(|x| *x > 0).map(UserId))
            }
            other => {
                if let Some(id) = value_int(other).filter(|x| *x > 0) {
                    out.push(UserId(id));
                }
            }
        }
    }
    out
}

/// A `Y`/`N` parameter with a default.
pub fn flag(p: &Params, key: &str, default: bool) -> bool {
    match p.get(key).and_then(scalar_string) {
        Some(s) if s.eq_ignore_ascii_case("Y") || s == "1" || s.eq_ignore_ascii_case("true") => true,
        Some(s) if s.eq_ignore_ascii_case("N") || s == "0" || s.eq_ignore_ascii_case("false") => false,
        _ => default,
    }
}
