//! Generic events: the ones an app subscribes to with `event.bind` (SPEC-NOTES §3.1), as opposed to the bot
//! events that `imbot.register` binds implicitly.
//!
//! [`CATALOGUE`] lists every event imbotd emits to subscriptions, with its scope (the `events` method lists
//! them, `event.bind` accepts nothing else). [`emit`] runs in the transaction of the change that caused the
//! event and, for every subscription of an installed app:
//! * online (a handler URL) → a row of the durable outbox, sent by the delivery worker with the
//!   subscription's id as `event_handler_id` and the tokens of AUTH_TYPE's user, or of the acting user;
//! * offline → a row of the offline queue (`event.offline.*`), merged with the unreserved row of the same
//!   object; then each app whose queue grew gets `ONOFFLINEEVENT` through its online subscriptions to it, at
//!   most once per `minTimeout` seconds (default 1; 0 = once per change).
//!
//! Nothing is sent before the transaction commits, and nothing committed is lost: both queues are tables.

use crate::domain::{AppId, Scope, UserId};
use crate::store::bindings::{self, Binding};
use crate::store::offline::{self, NewOffline};
use crate::store::outbox::{self, NewEvent};
use crate::store::{StoreError, Tx};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One bindable event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSpec {
    pub name: &'static str,
    pub scope: Scope,
    /// Whether the tokens in `auth` include a refresh_token (Bitrix's `sendRefreshToken`).
    pub refresh_token: bool,
    /// May be subscribed offline (`disableOffline` is false).
    pub offline: bool,
    /// Only the app the event is about receives it (ONAPPTEST, ONAPPUPDATE).
    pub own_app_only: bool,
}

pub const ONAPPUPDATE: &str = "ONAPPUPDATE";
pub const ONAPPTEST: &str = "ONAPPTEST";
pub const ONOFFLINEEVENT: &str = "ONOFFLINEEVENT";
pub const ONUSERADD: &str = "ONUSERADD";

/// The events imbotd emits to subscriptions, in the order the `events` method lists them.
pub const CATALOGUE: &[EventSpec] = &[
    EventSpec { name: ONAPPUPDATE, scope: Scope::Basic, refresh_token: true, offline: true, own_app_only: true },
    EventSpec { name: ONAPPTEST, scope: Scope::Basic, refresh_token: true, offline: true, own_app_only: true },
    EventSpec { name: ONOFFLINEEVENT, scope: Scope::Basic, refresh_token: true, offline: false, own_app_only: true },
    EventSpec { name: ONUSERADD, scope: Scope::User, refresh_token: false, offline: true, own_app_only: false },
];

pub fn spec(name: &str) -> Option<&'static EventSpec> {
    CATALOGUE.iter().find(|e| e.name.eq_ignore_ascii_case(name))
}

/// `MESSAGE_ID` of an offline event: 32 hex characters identifying the object's state key
/// (`EVENT_NAME|json(EVENT_DATA)`; Bitrix uses md5 of the same string, we use the first half of SHA-256).
pub fn message_id(event: &str, data: &Map<String, Value>) -> String {
    let mut h = Sha256::new();
    h.update(event.as_bytes());
    h.update(b"|");
    h.update(Value::Object(data.clone()).to_string().as_bytes());
    hex::encode(&h.finalize()[..16])
}

/// Emit `event` with `data`, caused by `actor` (0 = no user). `app` restricts it to one app (own-app events).
/// Returns how many deliveries were queued (online and offline).
pub async fn emit(
    tx: &mut Tx,
    event: &'static EventSpec,
    app: Option<AppId>,
    data: Map<String, Value>,
    actor: UserId,
    now: i64,
) -> Result<usize, StoreError> {
    let subs = bindings::for_event_tx(tx, event.name, app).await?;
    let mut grew: Vec<AppId> = Vec::new();
    for b in &subs {
        if b.is_offline() {
            let additional =
                if actor.0 > 0 { serde_json::json!({ "user_id": actor.0 }).to_string() } else { "[]".to_owned() };
            let mid = message_id(event.name, &data);
            let rec = NewOffline {
                app_id: b.app_id,
                connector_id: &b.connector_id,
                message_id: &mid,
                event: event.name,
                data: &Value::Object(data.clone()).to_string(),
                additional: &additional,
            };
            offline::record_tx(tx, &rec, now).await?;
            if !grew.contains(&b.app_id) {
                grew.push(b.app_id);
            }
        } else {
            send(tx, event, b, data.clone(), actor, now).await?;
        }
    }
    let mut queued = subs.len();
    for app in grew {
        queued += notify_offline(tx, app, actor, now).await?;
    }
    Ok(queued)
}

/// Queue one online delivery through subscription `b`.
async fn send(
    tx: &mut Tx,
    event: &'static EventSpec,
    b: &Binding,
    data: Map<String, Value>,
    actor: UserId,
    now: i64,
) -> Result<(), StoreError> {
    let auth_user = if b.user_id.0 > 0 { b.user_id } else { actor };
    let e = NewEvent {
        app_id: b.app_id,
        event: event.name,
        // One FIFO lane per subscription: its events arrive in the order they happened.
        fifo_key: format!("{}|bind{}", b.handler, b.id),
        handler_url: b.handler.clone(),
        data,
        auth_user,
        with_refresh: event.refresh_token,
        handler_id: Some(b.id),
    };
    outbox::enqueue(tx, &e, now).await?;
    Ok(())
}

/// `ONOFFLINEEVENT` to `app`'s online subscriptions whose `minTimeout` has passed.
async fn notify_offline(tx: &mut Tx, app: AppId, actor: UserId, now: i64) -> Result<usize, StoreError> {
    let spec = spec(ONOFFLINEEVENT).expect("in the catalogue");
    let mut n = 0;
    for b in bindings::for_event_tx(tx, ONOFFLINEEVENT, Some(app)).await? {
        if b.is_offline() {
            continue;
        }
        let min_timeout = b.options.get("minTimeout").and_then(imbot_wire::params::value_int).unwrap_or(1).max(0);
        if min_timeout > 0 && b.last_notified_at > 0 && now - b.last_notified_at < min_timeout {
            continue;
        }
        send(tx, spec, &b, Map::new(), actor, now).await?;
        bindings::notified_tx(tx, b.id, now).await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_32_hex_and_stable() {
        let mut d = Map::new();
        d.insert("ID".into(), Value::String("5".into()));
        let a = message_id("ONUSERADD", &d);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a, message_id("ONUSERADD", &d));
        d.insert("ID".into(), Value::String("6".into()));
        assert_ne!(a, message_id("ONUSERADD", &d));
    }

    #[test]
    fn catalogue_lookup_ignores_case() {
        assert_eq!(spec("onUserAdd").map(|s| s.name), Some(ONUSERADD));
        assert!(spec("ONIMBOTMESSAGEADD").is_none());
        assert!(!spec(ONOFFLINEEVENT).unwrap().offline);
    }
}
