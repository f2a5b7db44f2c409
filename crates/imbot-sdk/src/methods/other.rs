//! Scope `basic`: `server.time`, `methods`, `method.get`, `scope`, `app.info`, `profile`; generic events
//! (application context only): `events`, `event.bind`, `event.unbind`, `event.get`, `event.test` and the
//! offline queue `event.offline.get`, `.clear`, `.error`, `.list` (`api-reference__events__*`).

use super::users::Page;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::serde_util::{de, value_flag, value_i64};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

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

/// The answer of `method.get`.
///
/// ```
/// use imbot_sdk::methods::other::MethodInfo;
/// let m: MethodInfo = serde_json::from_value(serde_json::json!({"isExisting": true, "isAvailable": false})).unwrap();
/// assert!(m.is_existing && !m.is_available);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct MethodInfo {
    /// `isExisting`: the portal knows the method.
    #[serde(rename = "isExisting", default, deserialize_with = "de::flag")]
    pub is_existing: bool,
    /// `isAvailable`: the caller may call it (scopes, auth type).
    #[serde(rename = "isAvailable", default, deserialize_with = "de::flag")]
    pub is_available: bool,
}

/// The answer of `app.info`: the calling application (OAuth only).
///
/// ```
/// use imbot_sdk::methods::other::AppInfo;
/// let a: AppInfo = serde_json::from_value(serde_json::json!({
///     "ID": 7, "CODE": "local.abc", "VERSION": 1, "STATUS": "L", "INSTALLED": true,
///     "PAYMENT_EXPIRED": "N", "DAYS": null, "LANGUAGE_ID": "en", "LICENSE": "en_selfhosted"
/// })).unwrap();
/// assert_eq!((a.id, a.code.as_str(), a.installed, a.days), (7, "local.abc", true, None));
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AppInfo {
    /// `ID`: the application's id on the portal.
    #[serde(rename = "ID", default, deserialize_with = "de::int")]
    pub id: i64,
    /// `CODE`: the application's `client_id`.
    #[serde(rename = "CODE", default, deserialize_with = "de::string")]
    pub code: String,
    /// `VERSION`.
    #[serde(rename = "VERSION", default, deserialize_with = "de::int")]
    pub version: i64,
    /// `STATUS`: `F` free, `D` demo, `T` trial, `P` paid, `L` local, `S` subscription.
    #[serde(rename = "STATUS", default, deserialize_with = "de::string")]
    pub status: String,
    /// `INSTALLED`: the installation finished.
    #[serde(rename = "INSTALLED", default, deserialize_with = "de::flag")]
    pub installed: bool,
    /// `PAYMENT_EXPIRED`.
    #[serde(rename = "PAYMENT_EXPIRED", default, deserialize_with = "de::flag")]
    pub payment_expired: bool,
    /// `DAYS`: days left of a paid or trial period (`None` when not limited).
    #[serde(rename = "DAYS", default, deserialize_with = "de::opt_int")]
    pub days: Option<i64>,
    /// `LANGUAGE_ID`: the portal's language.
    #[serde(rename = "LANGUAGE_ID", default, deserialize_with = "de::string")]
    pub language_id: String,
    /// `LICENSE`: the portal's plan (`en_selfhosted` on imbotd).
    #[serde(rename = "LICENSE", default, deserialize_with = "de::string")]
    pub license: String,
    /// Every other field (`LICENSE_TYPE`, `LICENSE_FAMILY`, …), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `profile`: the calling user's basic profile.
///
/// ```
/// use imbot_sdk::methods::other::Profile;
/// let p: Profile = serde_json::from_value(serde_json::json!({
///     "ID": "1", "ADMIN": true, "NAME": "Anna", "LAST_NAME": "Schmidt", "PERSONAL_GENDER": "F", "TIME_ZONE": ""
/// })).unwrap();
/// assert_eq!((p.id, p.admin, p.name.as_str()), (1, true, "Anna"));
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Profile {
    /// `ID`.
    #[serde(rename = "ID", deserialize_with = "de::int")]
    pub id: i64,
    /// `ADMIN`: a portal administrator.
    #[serde(rename = "ADMIN", default, deserialize_with = "de::flag")]
    pub admin: bool,
    /// `NAME`.
    #[serde(rename = "NAME", default, deserialize_with = "de::string")]
    pub name: String,
    /// `LAST_NAME`.
    #[serde(rename = "LAST_NAME", default, deserialize_with = "de::string")]
    pub last_name: String,
    /// `PERSONAL_GENDER`: `M`, `F` or `""`.
    #[serde(rename = "PERSONAL_GENDER", default, deserialize_with = "de::string")]
    pub personal_gender: String,
    /// `TIME_ZONE`: the user's time zone (`""`: the portal's).
    #[serde(rename = "TIME_ZONE", default, deserialize_with = "de::string")]
    pub time_zone: String,
    /// Every other field (`PERSONAL_PHOTO`, `TIME_ZONE_OFFSET`, …), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `event.offline.get` parameters (administrators only).
///
/// ```
/// use imbot_sdk::methods::other::OfflineGet;
/// let q = OfflineGet { clear: Some(false), limit: Some(10), ..Default::default() };
/// assert_eq!(serde_json::to_value(&q).unwrap(), serde_json::json!({"clear": 0, "limit": 10}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OfflineGet {
    /// `filter`: `{"[op]FIELD": value}` over `ID`, `TIMESTAMP_X`, `EVENT_NAME`, `MESSAGE_ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Map<String, Value>>,
    /// `order`: `{FIELD: "ASC"|"DESC"}` (default `TIMESTAMP_X` ascending).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Map<String, Value>>,
    /// `limit`: how many (default 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `clear`: delete the events once returned (default `true`); `false` reserves them under a `process_id`
    /// until `event.offline.clear` or `event.offline.error`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_01")]
    pub clear: Option<bool>,
    /// `process_id`: read a reserved batch again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_id: Option<String>,
    /// `error`: read the events marked erroneous (`event.offline.error`) instead.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_01")]
    pub error: Option<bool>,
    /// `auth_connector`: the source key that splits the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_connector: Option<String>,
}

fn ser_01<S: serde::Serializer>(v: &Option<bool>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(b) => s.serialize_u8(u8::from(*b)),
        None => s.serialize_none(),
    }
}

/// One event of the offline queue (`event.offline.get`, `event.offline.list`).
///
/// ```
/// use imbot_sdk::methods::other::OfflineEvent;
/// let e: OfflineEvent = serde_json::from_value(serde_json::json!({
///     "ID": "3", "TIMESTAMP_X": "2024-01-01T00:00:00+00:00", "EVENT_NAME": "ONUSERADD",
///     "EVENT_DATA": {"ID": "27"}, "EVENT_ADDITIONAL": [], "MESSAGE_ID": "0123456789abcdef0123456789abcdef",
///     "PROCESS_ID": "", "ERROR": "0"
/// })).unwrap();
/// assert_eq!((e.id, e.event_name.as_str(), e.error), (3, "ONUSERADD", false));
/// assert_eq!(e.event_data["ID"], "27");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct OfflineEvent {
    /// `ID`.
    #[serde(rename = "ID", deserialize_with = "de::int")]
    pub id: i64,
    /// `TIMESTAMP_X`: ISO 8601.
    #[serde(rename = "TIMESTAMP_X", default, deserialize_with = "de::string")]
    pub timestamp_x: String,
    /// `EVENT_NAME` (upper case).
    #[serde(rename = "EVENT_NAME", default, deserialize_with = "de::string")]
    pub event_name: String,
    /// `EVENT_DATA`: the event's `data`, as the event would carry it.
    #[serde(rename = "EVENT_DATA", default)]
    pub event_data: Value,
    /// `EVENT_ADDITIONAL`: extra data (`[]` when none).
    #[serde(rename = "EVENT_ADDITIONAL", default)]
    pub event_additional: Value,
    /// `MESSAGE_ID`: 32 characters; what `event.offline.clear` / `.error` name rows by.
    #[serde(rename = "MESSAGE_ID", default, deserialize_with = "de::string")]
    pub message_id: String,
    /// `PROCESS_ID`: the reservation holding it (`event.offline.list` only; `""` when free).
    #[serde(rename = "PROCESS_ID", default, deserialize_with = "de::string")]
    pub process_id: String,
    /// `ERROR`: marked erroneous (`event.offline.list` only).
    #[serde(rename = "ERROR", default, deserialize_with = "de::flag")]
    pub error: bool,
}

/// The answer of `event.offline.get`.
///
/// ```
/// use imbot_sdk::methods::other::OfflineBatch;
/// let b: OfflineBatch = serde_json::from_value(serde_json::json!({"process_id": null, "events": []})).unwrap();
/// assert!(b.process_id.is_none() && b.events.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct OfflineBatch {
    /// `process_id`: the reservation (with `clear = false`, or when asked for by `process_id`).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub process_id: Option<String>,
    /// `events`.
    #[serde(default)]
    pub events: Vec<OfflineEvent>,
}

/// `event.offline.clear` parameters: the whole reserved batch, or only its rows named by `id` or `message_id`.
///
/// ```
/// use imbot_sdk::methods::other::OfflineClear;
/// let c = OfflineClear { message_id: Some(vec!["0123456789abcdef0123456789abcdef".into()]), ..OfflineClear::batch("pid") };
/// let v = serde_json::to_value(&c).unwrap();
/// assert_eq!(v["process_id"], "pid");
/// assert!(v.get("id").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct OfflineClear {
    /// `process_id` (required).
    pub process_id: String,
    /// `id`: only these rows (by `ID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Vec<i64>>,
    /// `message_id`: only these rows (by `MESSAGE_ID`); wins over `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<Vec<String>>,
    /// `auth_connector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_connector: Option<String>,
}

impl OfflineClear {
    /// Every row of the batch `process_id`.
    ///
    /// ```
    /// let c = imbot_sdk::methods::other::OfflineClear::batch("pid");
    /// assert!(c.id.is_none() && c.message_id.is_none());
    /// ```
    pub fn batch(process_id: impl Into<String>) -> Self {
        OfflineClear { process_id: process_id.into(), ..Default::default() }
    }
}

/// `event.offline.list` parameters (administrators only; the queue is not changed).
///
/// ```
/// use imbot_sdk::methods::other::OfflineList;
/// let mut filter = serde_json::Map::new();
/// filter.insert("ERROR".into(), 1.into());
/// let q = OfflineList { filter: Some(filter), ..Default::default() };
/// assert_eq!(serde_json::to_value(&q).unwrap(), serde_json::json!({"filter": {"ERROR": 1}}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OfflineList {
    /// `filter`: `{"[op]FIELD": value}` over `ID`, `TIMESTAMP_X`, `EVENT_NAME`, `MESSAGE_ID`, `PROCESS_ID`, `ERROR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Map<String, Value>>,
    /// `order`: `{FIELD: "ASC"|"DESC"}` (default `ID` ascending).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Map<String, Value>>,
    /// `auth_connector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_connector: Option<String>,
}

fn string_list(method: &str, v: Value) -> Result<Vec<String>> {
    serde_json::from_value(v).map_err(|source| Error::Decode { method: method.into(), source })
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

    /// `methods` (deprecated by Bitrix, still answered): names of the methods available to the caller; every
    /// method with `full`; those of one scope with `scope` (`Some("")`: the `basic` ones).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let im = client.methods(Some("im"), false).await?;
    /// assert!(im.iter().any(|m| m == "im.message.add"));
    /// # Ok(()) }
    /// ```
    pub async fn methods(&self, scope: Option<&str>, full: bool) -> Result<Vec<String>> {
        let mut req = json!({});
        if let Some(s) = scope {
            req["scope"] = s.into();
        }
        if full {
            req["full"] = true.into();
        }
        let v: Value = self.invoke("methods", &req).await?;
        string_list("methods", v)
    }

    /// `method.get`: does `name` exist, and may the caller call it?
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// if client.method_get("imbot.register").await?.is_available {
    ///     println!("this webhook may register bots");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn method_get(&self, name: &str) -> Result<MethodInfo> {
        self.invoke("method.get", &json!({"name": name})).await
    }

    /// `scope`: the caller's scopes, or every scope of the portal with `full`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let mine = client.scope(false).await?;
    /// assert!(mine.iter().any(|s| s == "imbot"));
    /// # Ok(()) }
    /// ```
    pub async fn scope(&self, full: bool) -> Result<Vec<String>> {
        let req = if full { json!({"full": true}) } else { json!({}) };
        let v: Value = self.invoke("scope", &req).await?;
        string_list("scope", v)
    }

    /// `app.info`: the calling application (OAuth only; a webhook gets `ACCESS_DENIED`).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let app = client.app_info().await?;
    /// println!("{} v{} installed: {}", app.code, app.version, app.installed);
    /// # Ok(()) }
    /// ```
    pub async fn app_info(&self) -> Result<AppInfo> {
        self.invoke("app.info", &json!({})).await
    }

    /// `profile`: the calling user's basic profile; `None` for an inactive user (the method's empty answer).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// if let Some(me) = client.profile().await? {
    ///     println!("{} {} (admin: {})", me.name, me.last_name, me.admin);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn profile(&self) -> Result<Option<Profile>> {
        let v: Value = self.invoke("profile", &json!({})).await?;
        match v {
            Value::Object(ref m) if !m.is_empty() => {
                serde_json::from_value(v).map(Some).map_err(|source| Error::Decode { method: "profile".into(), source })
            }
            _ => Ok(None),
        }
    }

    /// `events`: names of the events the application may bind: of its scopes by default, of one `scope`, or
    /// every one with `full` (OAuth only).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let names = client.events(Some("user"), false).await?;
    /// assert!(names.iter().any(|e| e == "ONUSERADD"));
    /// # Ok(()) }
    /// ```
    pub async fn events(&self, scope: Option<&str>, full: bool) -> Result<Vec<String>> {
        let mut req = json!({});
        if let Some(s) = scope {
            req["SCOPE"] = s.into();
        }
        if full {
            req["FULL"] = true.into();
        }
        let v: Value = self.invoke("events", &req).await?;
        string_list("events", v)
    }

    /// `event.test`: sends `ONAPPTEST` to the application's handlers of it, `params` under `data[QUERY]`
    /// (OAuth only). `true` when the portal accepted it.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.event_test(serde_json::json!({"ping": "1"})).await?;
    /// # Ok(()) }
    /// ```
    pub async fn event_test(&self, params: Value) -> Result<bool> {
        let v = self.call("event.test", params).await?;
        Ok(value_flag(&v))
    }

    /// `event.offline.get`: takes (or, with `clear = false`, reserves) the first events of the application's
    /// offline queue (OAuth, administrators only).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::other::{OfflineClear, OfflineGet};
    /// let batch = client.event_offline_get(&OfflineGet { clear: Some(false), ..Default::default() }).await?;
    /// for e in &batch.events {
    ///     println!("{} {}", e.event_name, e.event_data);
    /// }
    /// if let Some(pid) = batch.process_id {
    ///     client.event_offline_clear(&OfflineClear::batch(pid)).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn event_offline_get(&self, req: &OfflineGet) -> Result<OfflineBatch> {
        self.invoke("event.offline.get", req).await
    }

    /// `event.offline.clear`: deletes a reserved batch, or the rows of it named in `req`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::other::OfflineClear;
    /// client.event_offline_clear(&OfflineClear { id: Some(vec![3, 4]), ..OfflineClear::batch("pid") }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn event_offline_clear(&self, req: &OfflineClear) -> Result<bool> {
        self.invoke("event.offline.clear", req).await
    }

    /// `event.offline.error`: the rows `message_ids` of the reserved batch `process_id` failed; they return to
    /// the queue marked erroneous (read them with [`OfflineGet::error`]).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.event_offline_error("pid", &["0123456789abcdef0123456789abcdef".to_owned()], None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn event_offline_error(
        &self,
        process_id: &str,
        message_ids: &[String],
        auth_connector: Option<&str>,
    ) -> Result<bool> {
        let mut req = json!({"process_id": process_id, "message_id": message_ids});
        if let Some(c) = auth_connector {
            req["auth_connector"] = c.into();
        }
        self.invoke("event.offline.error", &req).await
    }

    /// `event.offline.list`: the page of the offline queue starting at `start` (50 a page), with each row's
    /// reservation state, without changing it.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::other::OfflineList;
    /// let page = client.event_offline_list(&OfflineList::default(), 0).await?;
    /// println!("{} queued", page.total.unwrap_or(0));
    /// # Ok(()) }
    /// ```
    pub async fn event_offline_list(&self, req: &OfflineList, start: u64) -> Result<Page<OfflineEvent>> {
        let mut params = serde_json::to_value(req).expect("OfflineList serialises");
        params["start"] = start.into();
        Page::from_envelope("event.offline.list", self.call_envelope("event.offline.list", params).await?)
    }
}
