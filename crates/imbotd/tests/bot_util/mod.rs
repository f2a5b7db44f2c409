//! Shared helpers for the `bots_*` tests: a recording fake bot handler, bot apps (webhook + CLIENT_ID or OAuth)
//! and people talking to bots over HTTP, and a read-only look into the event outbox.
//!
//! The fake handler is a real HTTP server on `127.0.0.1:0` that records every request exactly as received
//! (method, path and query, headers, raw body) and answers a status chosen by the test, optionally after a delay.
//! Waits poll with short sleeps and give up after a few seconds with a message naming what was awaited.
#![allow(dead_code)]

pub mod docs;

use crate::common::TestServer;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use imbotd::store::users::NewUser;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub type Resp = (u16, reqwest::header::HeaderMap, Value);

/// Server logs (warnings and errors) go to the test's captured output, shown when it fails.
pub fn logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("imbotd=warn,sqlx=warn"))
        .with_test_writer()
        .try_init();
}

/// A test server with logs captured.
pub async fn server() -> TestServer {
    logs();
    TestServer::start().await
}

/// How long a wait for a delivery may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(5);

/// One request as the handler received it.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// Path and query, as sent.
    pub uri: String,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// When it arrived.
    pub at: Instant,
}

impl Req {
    pub fn path(&self) -> &str {
        self.uri.split('?').next().unwrap_or("")
    }

    pub fn query(&self) -> Option<&str> {
        self.uri.split_once('?').map(|(_, q)| q)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The body decoded like PHP `parse_str` (what a PHP bot sees in `$_POST`).
    pub fn form(&self) -> Map<String, Value> {
        imbot_wire::form::parse_str(&self.body)
    }

    /// The `event` field of the body.
    pub fn event(&self) -> String {
        self.form().get("event").and_then(Value::as_str).unwrap_or("").to_owned()
    }

    /// `data` of the body.
    pub fn data(&self) -> Value {
        self.form().get("data").cloned().unwrap_or(Value::Null)
    }

    /// Top-level `auth` of the body.
    pub fn auth(&self) -> Value {
        self.form().get("auth").cloned().unwrap_or(Value::Null)
    }
}

struct Inner {
    requests: Mutex<Vec<Req>>,
    status: AtomicU16,
    delay_ms: AtomicU64,
    /// Extra headers of the next answers (`Retry-After`).
    headers: Mutex<Vec<(String, String)>>,
    /// The body of the next answers (default `ok`).
    body: Mutex<Option<String>>,
}

/// A recording fake bot handler.
pub struct Handler {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

async fn record(
    State(h): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let req = Req {
        method: method.to_string(),
        uri: uri.path_and_query().map(|p| p.to_string()).unwrap_or_else(|| uri.to_string()),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        at: Instant::now(),
    };
    h.requests.lock().unwrap().push(req);
    let delay = h.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let status = StatusCode::from_u16(h.status.load(Ordering::SeqCst)).unwrap_or(StatusCode::OK);
    let body = h.body.lock().unwrap().clone().unwrap_or_else(|| "ok".to_owned());
    let mut resp = axum::response::IntoResponse::into_response((status, body));
    for (k, v) in h.headers.lock().unwrap().iter() {
        let name = axum::http::HeaderName::from_bytes(k.as_bytes()).expect("a header name");
        resp.headers_mut().insert(name, axum::http::HeaderValue::from_str(v).expect("a header value"));
    }
    resp
}

impl Handler {
    /// Start a handler answering 200 at once.
    pub async fn start() -> Handler {
        let inner = Arc::new(Inner {
            requests: Mutex::new(Vec::new()),
            status: AtomicU16::new(200),
            delay_ms: AtomicU64::new(0),
            headers: Mutex::new(Vec::new()),
            body: Mutex::new(None),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the fake handler");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let router = axum::Router::new().fallback(record).with_state(inner.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Handler { base, inner, task }
    }

    /// `base` + `path` (`/bot/events`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The status of the next answers.
    pub fn set_status(&self, status: u16) {
        self.inner.status.store(status, Ordering::SeqCst);
    }

    /// Sleep this long before answering (the request is recorded on arrival).
    pub fn set_delay(&self, d: Duration) {
        self.inner.delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    /// Add header `name: value` to the next answers (`Retry-After`); replaces an earlier value of `name`.
    pub fn set_header(&self, name: &str, value: &str) {
        let mut h = self.inner.headers.lock().unwrap();
        h.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        h.push((name.to_owned(), value.to_owned()));
    }

    /// Stop sending the extra headers set by [`Handler::set_header`].
    pub fn clear_headers(&self) {
        self.inner.headers.lock().unwrap().clear();
    }

    /// The body of the next answers (instead of `ok`).
    pub fn set_body(&self, body: &str) {
        *self.inner.body.lock().unwrap() = Some(body.to_owned());
    }

    pub fn requests(&self) -> Vec<Req> {
        self.inner.requests.lock().unwrap().clone()
    }

    /// Received requests carrying event `name`.
    pub fn events(&self, name: &str) -> Vec<Req> {
        self.requests().into_iter().filter(|r| r.event() == name).collect()
    }

    /// Wait for the first `n` requests.
    pub async fn wait_requests(&self, n: usize) -> Vec<Req> {
        let until = Instant::now() + WAIT;
        loop {
            let all = self.requests();
            if all.len() >= n {
                return all;
            }
            assert!(Instant::now() < until, "expected {n} requests within {WAIT:?}, got {}: {:#?}", all.len(), all);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Wait for the `n`-th (1-based) request carrying event `name`.
    pub async fn wait_event_nth(&self, name: &str, n: usize) -> Req {
        let until = Instant::now() + WAIT;
        loop {
            let got = self.events(name);
            if got.len() >= n {
                return got[n - 1].clone();
            }
            assert!(
                Instant::now() < until,
                "expected {n} × {name} within {WAIT:?}, got {}; all events: {:?}",
                got.len(),
                self.requests().iter().map(Req::event).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Wait for the first request carrying event `name`.
    pub async fn wait_event(&self, name: &str) -> Req {
        self.wait_event_nth(name, 1).await
    }

    /// Let the worker run for `d`, then return the requests carrying `name` (for "nothing arrives" checks that
    /// complement the outbox checks).
    pub async fn after(&self, d: Duration, name: &str) -> Vec<Req> {
        tokio::time::sleep(d).await;
        self.events(name)
    }
}

impl Drop for Handler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A URL on a loopback port nobody listens on.
pub async fn dead_url() -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    format!("http://127.0.0.1:{port}/down")
}

/// How an app calls imbot methods: a webhook with `CLIENT_ID`, or an OAuth token (`auth`).
#[derive(Debug, Clone)]
pub enum Api {
    Webhook { hook: String, client_id: String },
    OAuth { rest: String, token: String, client_id: String, application_token: String },
}

impl Api {
    /// A webhook app: `user`'s `im,imbot` webhook plus `client_id`.
    pub async fn webhook(s: &TestServer, user: i64, client_id: &str) -> Api {
        Api::Webhook { hook: s.webhook_for(user, "im,imbot").await, client_id: client_id.to_owned() }
    }

    /// A local OAuth app with `im,imbot`, tokens of `user`.
    pub async fn oauth(s: &TestServer, user: i64) -> Api {
        let a = s.oauth_app(user, "im,imbot", 3600 * 24 * 30).await;
        Api::OAuth {
            rest: format!("{}/rest/", s.http),
            token: a.access_token,
            client_id: a.client_id,
            application_token: a.application_token,
        }
    }

    /// The same app with another access token (a bot's, from an event).
    pub fn with_token(&self, token: &str) -> Api {
        match self {
            Api::OAuth { rest, client_id, application_token, .. } => Api::OAuth {
                rest: rest.clone(),
                token: token.to_owned(),
                client_id: client_id.clone(),
                application_token: application_token.clone(),
            },
            other => other.clone(),
        }
    }

    /// The `application_token` events of this app must carry.
    pub fn application_token(&self) -> String {
        match self {
            Api::Webhook { client_id, .. } => client_id.clone(),
            Api::OAuth { application_token, .. } => application_token.clone(),
        }
    }

    /// Call `method` with a JSON body, adding `CLIENT_ID` or `auth`.
    pub async fn call(&self, s: &TestServer, method: &str, body: Value) -> Resp {
        let mut body = match body {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        match self {
            Api::Webhook { hook, client_id } => {
                body.entry("CLIENT_ID").or_insert_with(|| json!(client_id));
                s.post_json(&format!("{hook}{method}"), &Value::Object(body)).await
            }
            Api::OAuth { rest, token, .. } => {
                body.insert("auth".into(), json!(token));
                s.post_json(&format!("{rest}{method}"), &Value::Object(body)).await
            }
        }
    }

    /// Call and expect success; returns `result`.
    pub async fn ok(&self, s: &TestServer, method: &str, body: Value) -> Value {
        let r = self.call(s, method, body.clone()).await;
        assert_eq!(r.0, 200, "{method} {body} → {}", r.2);
        assert!(r.2.get("error").is_none(), "{method} {body} → {}", r.2);
        r.2["result"].clone()
    }

    /// `imbot.register` of a TYPE `kind` bot with every handler at `url`; returns the BOT_ID.
    pub async fn register(&self, s: &TestServer, code: &str, kind: &str, url: &str) -> i64 {
        let body = json!({
            "CODE": code, "TYPE": kind, "EVENT_HANDLER": url,
            "PROPERTIES": {"NAME": format!("Bot {code}"), "LAST_NAME": "", "WORK_POSITION": "Helper"}
        });
        let r = self.ok(s, "imbot.register", body).await;
        r.as_i64().unwrap_or_else(|| panic!("imbot.register result is an int: {r}"))
    }

    /// `imbot.command.register` of `/command` (handler `url`) with `extra` params; returns the COMMAND_ID.
    pub async fn command(&self, s: &TestServer, bot: i64, command: &str, url: &str, extra: Value) -> i64 {
        let mut body = json!({
            "BOT_ID": bot, "COMMAND": command, "EVENT_COMMAND_ADD": url,
            "LANG": [{"LANGUAGE_ID": "en", "TITLE": format!("{command} command"), "PARAMS": "text"}]
        });
        if let Value::Object(extra) = extra {
            body.as_object_mut().unwrap().extend(extra);
        }
        let r = self.ok(s, "imbot.command.register", body).await;
        r.as_i64().unwrap_or_else(|| panic!("imbot.command.register result is an int: {r}"))
    }
}

/// A user with a webhook of scope `im`.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub hook: String,
}

pub async fn person(s: &TestServer, name: &str) -> Person {
    let id = s.add_user(name).await;
    Person { id, hook: s.webhook_for(id, "im").await }
}

pub async fn extranet_person(s: &TestServer, name: &str) -> Person {
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let u = NewUser {
        name: first.into(),
        last_name: last.into(),
        language_id: "en".into(),
        is_extranet: true,
        ..Default::default()
    };
    let id = s.add_user_with(u).await;
    Person { id, hook: s.webhook_for(id, "im").await }
}

impl Person {
    pub async fn call(&self, s: &TestServer, method: &str, body: Value) -> Resp {
        s.post_json(&format!("{}{method}", self.hook), &body).await
    }

    pub async fn ok(&self, s: &TestServer, method: &str, body: Value) -> Value {
        let r = self.call(s, method, body.clone()).await;
        assert_eq!(r.0, 200, "{method} {body} → {}", r.2);
        assert!(r.2.get("error").is_none(), "{method} {body} → {}", r.2);
        r.2["result"].clone()
    }

    /// `im.message.add`; returns the message id.
    pub async fn send(&self, s: &TestServer, dialog: impl ToString, text: &str) -> i64 {
        let r = self.ok(s, "im.message.add", json!({"DIALOG_ID": dialog.to_string(), "MESSAGE": text})).await;
        r.as_i64().unwrap_or_else(|| panic!("im.message.add result is an int: {r}"))
    }

    /// `im.chat.add` with `users`; returns the chat id.
    pub async fn chat(&self, s: &TestServer, users: &[i64]) -> i64 {
        let r = self.ok(s, "im.chat.add", json!({"TITLE": "Team", "USERS": users})).await;
        r.as_i64().unwrap_or_else(|| panic!("im.chat.add result is an int: {r}"))
    }

    /// Messages of `dialog` as this person sees them (`im.dialog.messages.get`).
    pub async fn messages(&self, s: &TestServer, dialog: impl ToString) -> Vec<Value> {
        let r = self.ok(s, "im.dialog.messages.get", json!({"DIALOG_ID": dialog.to_string(), "LIMIT": 50})).await;
        r["messages"].as_array().cloned().unwrap_or_default()
    }

    /// One message of `dialog` by id.
    pub async fn message(&self, s: &TestServer, dialog: impl ToString, id: i64) -> Option<Value> {
        self.messages(s, dialog).await.into_iter().find(|m| m["id"] == id)
    }
}

/// One outbox row: (id, event, status, handler_url, data).
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub event: String,
    pub status: String,
    pub handler_url: String,
    pub attempts: i64,
    pub data: Value,
}

/// Every event row of the outbox, read through a separate read-only connection (the events a change enqueued are
/// there as soon as the API call returns: they commit in its transaction).
pub async fn outbox(s: &TestServer) -> Vec<OutboxRow> {
    use sqlx::Row;
    let pool = s.db_pool().await;
    let rows = sqlx::query("SELECT id, event, status, handler_url, attempts, data FROM event_outbox ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("read the outbox");
    pool.close().await;
    rows.iter()
        .map(|r| OutboxRow {
            id: r.get("id"),
            event: r.get("event"),
            status: r.get("status"),
            handler_url: r.get("handler_url"),
            attempts: r.get("attempts"),
            data: serde_json::from_str(r.get::<&str, _>("data")).unwrap_or(Value::Null),
        })
        .collect()
}

/// Outbox rows of event `name`.
pub async fn queued(s: &TestServer, name: &str) -> Vec<OutboxRow> {
    outbox(s).await.into_iter().filter(|r| r.event == name).collect()
}

/// Wait until no event is pending or in flight (all delivered or failed).
pub async fn drained(s: &TestServer) {
    let until = Instant::now() + WAIT;
    loop {
        let rows = outbox(s).await;
        if rows.iter().all(|r| r.status == "delivered" || r.status == "failed") {
            return;
        }
        assert!(Instant::now() < until, "outbox not drained within {WAIT:?}: {rows:#?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Keys of a JSON object, in order.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// Assert `actual` has exactly the keys of `doc`, in the same order, at every level. Objects whose keys are all
/// numeric (ids: `data[COMMAND][103]`, `BOT_IN_CHAT[1291]`) are compared entry by entry in order, whatever the ids.
/// Every scalar of `actual` must be a string (everything is a string on the wire).
pub fn assert_same_shape(actual: &Value, doc: &Value, path: &str) {
    match (actual, doc) {
        (Value::Object(a), Value::Object(d)) => {
            let numeric = |m: &Map<String, Value>| !m.is_empty() && m.keys().all(|k| k.parse::<i64>().is_ok());
            if numeric(d) {
                assert!(numeric(a), "{path}: expected id-keyed entries like {:?}, got {:?}", keys(doc), keys(actual));
                assert_eq!(a.len(), d.len(), "{path}: number of entries {:?} vs doc {:?}", keys(actual), keys(doc));
                for ((ka, va), (_, vd)) in a.iter().zip(d.iter()) {
                    assert_same_shape(va, vd, &format!("{path}[{ka}]"));
                }
                return;
            }
            let ak: Vec<&String> = a.keys().collect();
            let dk: Vec<&String> = d.keys().collect();
            assert_eq!(ak, dk, "{path}: keys (and their order) differ from the documented example");
            for (k, vd) in d {
                assert_same_shape(&a[k], vd, &format!("{path}[{k}]"));
            }
        }
        (Value::String(_), Value::String(_)) => {}
        (a, d) => panic!("{path}: got {a} where the documentation has {d}"),
    }
}

/// A documented example (`docs::*`) parsed, keys in order.
pub fn doc(example: &str) -> Value {
    serde_json::from_str(example).expect("a documented example is JSON")
}

/// The single entry of an id-keyed map (`data[COMMAND]`, `data[BOT]`): (id, entry).
pub fn only_entry(v: &Value) -> (String, Value) {
    let m = v.as_object().unwrap_or_else(|| panic!("an object: {v}"));
    assert_eq!(m.len(), 1, "exactly one entry: {v}");
    let (k, e) = m.iter().next().unwrap();
    (k.clone(), e.clone())
}
