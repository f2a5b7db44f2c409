//! Generic events (`event.*`, `events`): subscriptions with `event.bind`/`unbind`/`get`, the test event, and
//! the offline queue (`event.offline.*`). All of them need an application context (an OAuth token): a webhook
//! gets `403 WRONG_AUTH_TYPE`, as Bitrix's `AuthTypeException` gives it. Offline-queue methods are for
//! administrators. The events themselves are in [`crate::events::generic`].

pub mod bind;
pub mod get;
pub mod list;
pub mod offline_clear;
pub mod offline_error;
pub mod offline_get;
pub mod offline_list;
pub mod test;
pub mod unbind;

use crate::domain::{AppId, CallerKind};
use crate::error::Error;
use crate::methods::CallCtx;
use crate::store::offline::{self, Cond, Field, OfflineEvent, Op, Operand};
use imbot_wire::params::{scalar_string, value_int};
use imbot_wire::{ErrorCode, Params};
use serde_json::{json, Map, Value};

/// The calling app, or `403 WRONG_AUTH_TYPE` for a webhook.
pub fn app_context(ctx: &CallCtx) -> Result<AppId, Error> {
    match &ctx.caller.kind {
        CallerKind::OAuth { app_id, .. } => Ok(*app_id),
        CallerKind::Webhook { .. } | CallerKind::Session { .. } => {
            Err(Error::api(ErrorCode::WRONG_AUTH_TYPE, "Current authorization type is denied for this method"))
        }
    }
}

/// Offline-queue methods: the app context and an administrator, else `403 ACCESS_DENIED "Access denied!"`.
pub fn admin_app_context(ctx: &CallCtx) -> Result<AppId, Error> {
    let app = app_context(ctx)?;
    if !ctx.caller.is_admin {
        return Err(Error::api(ErrorCode::ACCESS_DENIED, "Access denied!"));
    }
    Ok(app)
}

/// `auth_connector`: the source key that splits an app's offline queue (empty = no source).
pub fn connector(p: &Params) -> String {
    p.get("AUTH_CONNECTOR").and_then(scalar_string).map(|s| s.trim().to_owned()).unwrap_or_default()
}

/// `Argument 'NAME' is null or empty` (Bitrix's `ArgumentNullException`).
pub fn null_argument(name: &str) -> Error {
    Error::api(ErrorCode::ERROR_ARGUMENT, format!("Argument '{name}' is null or empty"))
}

pub fn bad_argument(why: impl Into<String>) -> Error {
    Error::api(ErrorCode::ERROR_ARGUMENT, why)
}

/// Parse a `filter` object of the offline methods: keys `[op]FIELD` with op one of `=`, `!`, `!=`, `<>`, `>`,
/// `>=`, `<`, `<=` (none = `=`), over `fields`.
pub fn parse_filter(v: Option<&Value>, fields: &[Field], tz: chrono::FixedOffset) -> Result<Vec<Cond>, Error> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let map = match v {
        Value::Object(m) => m.clone(),
        Value::Array(a) if a.is_empty() => Map::new(),
        Value::String(s) if s.is_empty() => Map::new(),
        _ => return Err(bad_argument("Filter must be an object of FIELD => value")),
    };
    let mut out = Vec::new();
    for (key, value) in &map {
        let split = key.find(|c: char| c.is_ascii_alphanumeric() || c == '_').unwrap_or(key.len());
        let (prefix, name) = key.split_at(split);
        let op = match prefix {
            "" | "=" => Op::Eq,
            "!" | "!=" | "<>" => Op::Ne,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "<" => Op::Lt,
            "<=" => Op::Le,
            _ => return Err(bad_argument(format!("Unsupported filter operation {prefix:?} in {key:?}"))),
        };
        let field = Field::parse(name)
            .filter(|f| fields.contains(f))
            .ok_or_else(|| bad_argument(format!("Filter field {name:?} is not allowed")))?;
        if matches!(value, Value::Array(_) | Value::Object(_)) {
            return Err(bad_argument(format!("Filter value of {key:?} must be a scalar")));
        }
        let text = scalar_string(value).unwrap_or_default();
        let value = match field {
            Field::Id | Field::Error => Operand::Int(value_int(value).unwrap_or(0)),
            Field::TimestampX => Operand::Int(
                parse_time(&text, tz).ok_or_else(|| bad_argument(format!("Wrong date {text:?} in {key:?}")))?,
            ),
            Field::EventName => Operand::Text(text.to_ascii_uppercase()),
            Field::MessageId | Field::ProcessId => Operand::Text(text),
        };
        out.push(Cond { field, op, value });
    }
    Ok(out)
}

/// A date as Bitrix accepts in filters: ISO 8601 with or without offset (the portal's time zone), or a date.
fn parse_time(s: &str, tz: chrono::FixedOffset) -> Option<i64> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return tz.from_local_datetime(&t).single().map(|t| t.timestamp());
        }
    }
    for f in ["%Y-%m-%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single().map(|t| t.timestamp());
        }
    }
    None
}

/// Parse an `order` object (`{FIELD: "ASC"|"DESC"}`) over `fields`; `default` when absent.
pub fn parse_order(v: Option<&Value>, fields: &[Field], default: Field) -> Result<Vec<(Field, bool)>, Error> {
    let map = match v {
        None => return Ok(vec![(default, false)]),
        Some(Value::Object(m)) => m.clone(),
        Some(Value::Array(a)) if a.is_empty() => return Ok(vec![(default, false)]),
        Some(Value::String(s)) if s.is_empty() => return Ok(vec![(default, false)]),
        Some(_) => return Err(bad_argument("Order must be an object of FIELD => ASC|DESC")),
    };
    let mut out = Vec::new();
    for (k, dir) in &map {
        let f = Field::parse(k)
            .filter(|f| fields.contains(f))
            .ok_or_else(|| bad_argument(format!("Order field {k:?} is not allowed")))?;
        out.push((f, scalar_string(dir).is_some_and(|d| d.trim().eq_ignore_ascii_case("desc"))));
    }
    if out.is_empty() {
        out.push((default, false));
    }
    Ok(out)
}

/// One queue row as `event.offline.get` returns it; `with_state` adds `PROCESS_ID` and `ERROR` (`.list`).
pub fn offline_json(e: &OfflineEvent, tz: chrono::FixedOffset, with_state: bool) -> Value {
    let php = |text: &str| match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) if m.is_empty() => json!([]),
        Ok(v) => v,
        Err(_) => Value::Bool(false),
    };
    let mut o = Map::new();
    o.insert("ID".into(), json!(e.id.to_string()));
    o.insert("TIMESTAMP_X".into(), json!(crate::messenger::render::date(e.updated_at, tz)));
    o.insert("EVENT_NAME".into(), json!(e.event));
    o.insert("EVENT_DATA".into(), php(&e.data));
    o.insert("EVENT_ADDITIONAL".into(), php(&e.additional));
    o.insert("MESSAGE_ID".into(), json!(e.message_id));
    if with_state {
        o.insert("PROCESS_ID".into(), json!(e.process_id));
        o.insert("ERROR".into(), json!(if e.error { "1" } else { "0" }));
    }
    Value::Object(o)
}

/// The fields `event.offline.get` filters and orders by.
pub const GET_FIELDS: &[Field] = &[Field::Id, Field::TimestampX, Field::EventName, Field::MessageId];
/// `event.offline.list` also knows the reservation state.
pub const LIST_FIELDS: &[Field] =
    &[Field::Id, Field::TimestampX, Field::EventName, Field::MessageId, Field::ProcessId, Field::Error];

pub use offline::Selection;
