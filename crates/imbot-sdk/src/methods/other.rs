//! `event.bind`, `event.unbind`, `event.get` (application context only) and `server.time` (scope `basic`).

use crate::client::Client;
use crate::error::{Error, Result};
use crate::serde_util::{de, value_i64};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// `event.bind` / `event.unbind` parameters.
///
/// ```
/// use imbot_sdk::methods::other::EventBinding;
/// let b = EventBinding::new("ONUSERADD", "https://bot.example.com/events");
/// assert_eq!(
///     serde_json::to_value(&b).unwrap(),
///     serde_json::json!({"event": "ONUSERADD", "handler": "https://bot.example.com/events"})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EventBinding {
    /// `event`: the event name (`ONUSERADD`, `ONAPPTEST`, …).
    pub event: String,
    /// `handler`: the URL events are POSTed to (empty for offline events).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub handler: String,
    /// `auth_type`: the user whose tokens events carry (`0`: whoever caused the event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<i64>,
    /// `event_type`: `online` (default) or `offline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
}

impl EventBinding {
    /// `event` to `handler`, online.
    ///
    /// ```
    /// let b = imbot_sdk::methods::other::EventBinding::new("ONAPPTEST", "https://h/");
    /// assert!(b.auth_type.is_none());
    /// ```
    pub fn new(event: impl Into<String>, handler: impl Into<String>) -> Self {
        EventBinding { event: event.into(), handler: handler.into(), ..Default::default() }
    }
}

/// One subscription of `event.get`.
///
/// ```
/// use imbot_sdk::methods::other::BoundEvent;
/// let b: BoundEvent = serde_json::from_value(serde_json::json!(
///     {"event": "ONUSERADD", "handler": "https://h/", "auth_type": "0", "offline": 0}
/// )).unwrap();
/// assert_eq!((b.auth_type, b.offline), (0, false));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BoundEvent {
    /// `event` (upper case).
    #[serde(default, deserialize_with = "de::string")]
    pub event: String,
    /// `handler`.
    #[serde(default, deserialize_with = "de::string")]
    pub handler: String,
    /// `auth_type`.
    #[serde(default, deserialize_with = "de::int")]
    pub auth_type: i64,
    /// `offline`.
    #[serde(default, deserialize_with = "de::flag")]
    pub offline: bool,
}

impl Client {
    /// `event.bind` (OAuth applications only).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::other::EventBinding;
    /// client.event_bind(&EventBinding::new("ONUSERADD", "https://bot.example.com/events")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn event_bind(&self, binding: &EventBinding) -> Result<bool> {
        self.invoke("event.bind", binding).await
    }

    /// `event.unbind`: returns how many subscriptions were removed.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::other::EventBinding;
    /// let n = client.event_unbind(&EventBinding::new("ONUSERADD", "https://bot.example.com/events")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn event_unbind(&self, binding: &EventBinding) -> Result<u64> {
        let v: Value = self.invoke("event.unbind", binding).await?;
        Ok(v.get("count").and_then(value_i64).and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }

    /// `event.get`: the application's subscriptions.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// for b in client.event_get().await? {
    ///     println!("{} -> {}", b.event, b.handler);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn event_get(&self) -> Result<Vec<BoundEvent>> {
        let v: Value = self.invoke("event.get", &json!({})).await?;
        let list = match v {
            Value::Array(l) => l,
            Value::Object(m) => m.into_iter().map(|(_, v)| v).collect(),
            _ => Vec::new(),
        };
        list.into_iter()
            .map(serde_json::from_value)
            .collect::<std::result::Result<_, _>>()
            .map_err(|source| Error::Decode { method: "event.get".into(), source })
    }

    /// `server.time`: the portal's clock, with its UTC offset.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let now = client.server_time().await?;
    /// println!("{}", now.to_rfc3339());
    /// # Ok(()) }
    /// ```
    pub async fn server_time(&self) -> Result<chrono::DateTime<chrono::FixedOffset>> {
        let v: Value = self.invoke("server.time", &json!({})).await?;
        let s = v.as_str().unwrap_or_default();
        chrono::DateTime::parse_from_rfc3339(s).map_err(|e| Error::Protocol {
            method: "server.time".into(),
            status: 200,
            detail: format!("not an ISO 8601 time ({e}): {v}"),
        })
    }
}
