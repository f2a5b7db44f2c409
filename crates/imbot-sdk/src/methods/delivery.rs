//! imbotd's own `imbotd.delivery.*` (scope `imbot`; not on Bitrix24 portals): the log of every event sent to a
//! bot's handlers, with each attempt, and replays.
//!
//! Who sees what: an OAuth app sees its own events; a webhook client with
//! [`ClientBuilder::client_id`](crate::ClientBuilder::client_id) sees the events of that bot owner (the
//! `CLIENT_ID` is added to these calls as to `imbot.*`); an administrator's webhook without one sees all.
//! Times are Unix seconds.

use crate::client::Client;
use crate::error::Result;
use crate::serde_util::{de, value_i64};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// `imbotd.delivery.list` parameters: newest first.
///
/// ```
/// use imbot_sdk::methods::delivery::DeliveryQuery;
/// let q = DeliveryQuery { status: Some("failed".into()), limit: Some(10), ..Default::default() };
/// assert_eq!(serde_json::to_value(&q).unwrap(), serde_json::json!({"STATUS": "failed", "LIMIT": 10}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct DeliveryQuery {
    /// `STATUS`: `pending`, `sending`, `delivered` or `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `EVENT`: the event name (`ONIMBOTMESSAGEADD`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// `SINCE`: created at or after (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
    /// `UNTIL`: created before (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// `LIMIT`: default 50, at most 200.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One event sent (or to be sent) to a handler (`imbotd.delivery.list`, `imbotd.delivery.get`).
///
/// ```
/// use imbot_sdk::methods::delivery::Delivery;
/// let d: Delivery = serde_json::from_value(serde_json::json!({
///     "id": 12, "app_id": 1, "event": "ONIMBOTMESSAGEADD", "handler_url": "https://bot.example.com/",
///     "status": "failed", "attempts": 3, "next_attempt_at": 0, "last_status": 500, "last_error": "HTTP 500",
///     "created_at": 1700000000, "delivered_at": null
/// })).unwrap();
/// assert_eq!((d.id, d.status.as_str(), d.last_status, d.delivered_at), (12, "failed", Some(500), None));
/// assert!(d.log.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Delivery {
    /// `id`.
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    /// `app_id`: the application the event belongs to.
    #[serde(default, deserialize_with = "de::int")]
    pub app_id: i64,
    /// `event`: its name.
    #[serde(default, deserialize_with = "de::string")]
    pub event: String,
    /// `handler_url`.
    #[serde(default, deserialize_with = "de::string")]
    pub handler_url: String,
    /// `status`: `pending`, `sending`, `delivered` or `failed`.
    #[serde(default, deserialize_with = "de::string")]
    pub status: String,
    /// `attempts` so far.
    #[serde(default, deserialize_with = "de::int")]
    pub attempts: i64,
    /// `next_attempt_at`.
    #[serde(default, deserialize_with = "de::int")]
    pub next_attempt_at: i64,
    /// `last_status`: the HTTP status of the last attempt.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_status: Option<i64>,
    /// `last_error`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub last_error: Option<String>,
    /// `created_at`.
    #[serde(default, deserialize_with = "de::int")]
    pub created_at: i64,
    /// `delivered_at`.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub delivered_at: Option<i64>,
    /// `log`: every attempt (`imbotd.delivery.get` only).
    #[serde(default)]
    pub log: Vec<DeliveryAttempt>,
}

/// One attempt of a delivery (`log` of `imbotd.delivery.get`).
///
/// ```
/// use imbot_sdk::methods::delivery::DeliveryAttempt;
/// let a: DeliveryAttempt = serde_json::from_value(serde_json::json!({
///     "attempt": 1, "started_at": 1700000000, "duration_ms": 12, "url": "https://bot.example.com/",
///     "http_status": null, "response": "", "error": "connection refused", "next_attempt_at": 1700000010
/// })).unwrap();
/// assert_eq!((a.http_status, a.error.as_deref()), (None, Some("connection refused")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// `attempt`: 1, 2, …
    #[serde(default, deserialize_with = "de::int")]
    pub attempt: i64,
    /// `started_at`.
    #[serde(default, deserialize_with = "de::int")]
    pub started_at: i64,
    /// `duration_ms`.
    #[serde(default, deserialize_with = "de::int")]
    pub duration_ms: i64,
    /// `url`: where it was POSTed.
    #[serde(default, deserialize_with = "de::string")]
    pub url: String,
    /// `http_status`: `None` when no answer came.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub http_status: Option<i64>,
    /// `response`: the start of the handler's answer.
    #[serde(default, deserialize_with = "de::string")]
    pub response: String,
    /// `error`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub error: Option<String>,
    /// `next_attempt_at`: `None` when delivered or when retries are exhausted.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_attempt_at: Option<i64>,
}

/// The health of one handler URL (`imbotd.delivery.status`).
///
/// ```
/// use imbot_sdk::methods::delivery::HandlerStatus;
/// let h: HandlerStatus = serde_json::from_value(serde_json::json!({
///     "url": "https://bot.example.com/", "pending": 2, "failed": 0, "delivered": 40,
///     "last_success_at": 1700000000, "last_error_at": null, "last_error": null,
///     "next_attempt_at": null, "disabled_at": null
/// })).unwrap();
/// assert_eq!((h.pending, h.delivered, h.disabled_at), (2, 40, None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct HandlerStatus {
    /// `url`.
    #[serde(default, deserialize_with = "de::string")]
    pub url: String,
    /// `pending` events.
    #[serde(default, deserialize_with = "de::int")]
    pub pending: i64,
    /// `failed` events.
    #[serde(default, deserialize_with = "de::int")]
    pub failed: i64,
    /// `delivered` events.
    #[serde(default, deserialize_with = "de::int")]
    pub delivered: i64,
    /// `last_success_at`.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_success_at: Option<i64>,
    /// `last_error_at`.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_error_at: Option<i64>,
    /// `last_error`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub last_error: Option<String>,
    /// `next_attempt_at`: when the oldest pending event is due.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_attempt_at: Option<i64>,
    /// `disabled_at`: when the handler was disabled for failing too long (its events are held).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub disabled_at: Option<i64>,
}

fn decode<T: serde::de::DeserializeOwned>(method: &str, v: Value) -> Result<T> {
    serde_json::from_value(v).map_err(|source| crate::Error::Decode { method: method.into(), source })
}

impl Client {
    /// `imbotd.delivery.list`: the events sent to the caller's handlers, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::delivery::DeliveryQuery;
    /// let failed = client.imbotd_delivery_list(&DeliveryQuery { status: Some("failed".into()), ..Default::default() }).await?;
    /// for d in &failed {
    ///     println!("#{} {} -> {}: {:?}", d.id, d.event, d.handler_url, d.last_error);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbotd_delivery_list(&self, query: &DeliveryQuery) -> Result<Vec<Delivery>> {
        let v: Value = self.invoke("imbotd.delivery.list", query).await?;
        decode("imbotd.delivery.list", v)
    }

    /// `imbotd.delivery.get`: one event with the log of its attempts.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let d = client.imbotd_delivery_get(12).await?;
    /// for a in &d.log {
    ///     println!("attempt {}: {:?} {:?}", a.attempt, a.http_status, a.error);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbotd_delivery_get(&self, id: i64) -> Result<Delivery> {
        self.invoke("imbotd.delivery.get", &json!({"ID": id})).await
    }

    /// `imbotd.delivery.resend`: queues the event again (delivered or failed alike).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbotd_delivery_resend(12).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbotd_delivery_resend(&self, id: i64) -> Result<bool> {
        self.invoke("imbotd.delivery.resend", &json!({"ID": id})).await
    }

    /// `imbotd.delivery.status`: the health of the caller's handlers, or of the one at `url`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// for h in client.imbotd_delivery_status(None).await? {
    ///     println!("{}: {} pending, {} failed", h.url, h.pending, h.failed);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbotd_delivery_status(&self, url: Option<&str>) -> Result<Vec<HandlerStatus>> {
        let req = match url {
            Some(u) => json!({"URL": u}),
            None => json!({}),
        };
        let v: Value = self.invoke("imbotd.delivery.status", &req).await?;
        decode("imbotd.delivery.status", v)
    }

    /// `imbotd.delivery.ping`: the handler at `url` is back: retry its held and waiting events now. Returns
    /// how many were rescheduled.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let n = client.imbotd_delivery_ping("https://bot.example.com/").await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbotd_delivery_ping(&self, url: &str) -> Result<u64> {
        let v: Value = self.invoke("imbotd.delivery.ping", &json!({"URL": url})).await?;
        Ok(value_i64(&v).and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }
}
