//! Test harness: a real imbotd on ephemeral loopback ports with a temp data dir, and HTTP clients for it.
//!
//! `TestServer::start()` builds the real `Application` (SQLite, both listeners, generated TLS) and keeps the
//! temp dir alive for the test. Credentials are created through the store, exactly as the admin CLI does.
#![allow(dead_code)]

pub mod db;

use imbotd::config::{Config, RateLimit};
use imbotd::domain::{Clock, ScopeSet, UserId};
use imbotd::store::{apps, users, webhooks};
use imbotd::Application;
use serde_json::Value;
use std::sync::Arc;

pub struct TestServer {
    pub app: Option<Application>,
    pub dir: tempfile::TempDir,
    /// `http://127.0.0.1:PORT`
    pub http: String,
    /// `https://127.0.0.1:PORT`
    pub https: String,
    pub clock: Clock,
    /// Trusts the generated CA; follows no redirects.
    pub client: reqwest::Client,
    pub state: Arc<imbotd::app::AppState>,
    /// The test's own PostgreSQL database when the tests run on PostgreSQL (`db.rs`); last, so it is dropped
    /// after the server.
    pub db: Option<db::TestDb>,
}

pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
    pub application_token: String,
    pub access_token: String,
    pub refresh_token: String,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Start with a tweaked config (limits, require_https …).
    pub async fn start_with(f: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = db::TestDb::for_dir(dir.path());
        let mut config = Self::config(dir.path(), &db);
        f(&mut config);
        let clock = Clock::system();
        let app = Application::build_with_clock(config, clock.clone()).await.expect("server starts");
        let http = format!("http://{}", app.http_addr());
        let https = format!("https://127.0.0.1:{}", app.https_addr().expect("tls on").port());
        let ca = std::fs::read(&app.tls_files().expect("tls files").trust).expect("ca readable");
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("pem"))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let state = app.state().clone();
        TestServer { app: Some(app), dir, http, https, clock, client, state, db }
    }

    /// The test config on `dir` and, on PostgreSQL, its database.
    pub fn config(dir: &std::path::Path, db: &Option<db::TestDb>) -> Config {
        let mut config = Config::for_tests(dir);
        if let Some(d) = db {
            config.database_url = d.url.clone();
        }
        config
    }

    /// A second pool on the server's database (SQLite file or PostgreSQL), for what a test must read or set
    /// behind the API's back. Queries use `$1` placeholders, which both understand.
    pub async fn db_pool(&self) -> sqlx::AnyPool {
        db::pool(self.dir.path(), &self.db).await
    }

    /// Environment variables that point a spawned `imbotd` at this server's database.
    pub fn db_env(&self) -> Vec<(&'static str, String)> {
        db::env_for_path(self.dir.path())
    }

    pub fn config_rate_limited(drain: f64, burst: u32) -> impl FnOnce(&mut Config) {
        move |c| c.rate_limit = RateLimit::Bucket { drain_per_second: drain, burst }
    }

    pub fn now(&self) -> i64 {
        self.clock.unix()
    }

    pub async fn add_user(&self, name: &str) -> i64 {
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        let u = users::NewUser {
            name: first.into(),
            last_name: last.into(),
            language_id: "en".into(),
            ..Default::default()
        };
        imbotd::directory::add_user(&self.state.store, &u, self.state.config.timezone, self.now())
            .await
            .expect("user")
            .0
    }

    /// A webhook of `user` with `scopes` (e.g. "im,imbot,user"); returns the http base URL ending in `/`.
    pub async fn webhook_for(&self, user: i64, scopes: &str) -> String {
        let code = imbotd::domain::secret::lower_alnum(16);
        let set = ScopeSet::parse_list(scopes).expect("scopes");
        webhooks::create(&self.state.store, UserId(user), &code, &set, self.now()).await.expect("webhook");
        format!("{}/rest/{user}/{code}/", self.http)
    }

    /// An all-scopes webhook of the admin (user 1).
    pub async fn webhook(&self) -> String {
        self.webhook_for(1, "im,imbot,user").await
    }

    /// A local OAuth app with tokens for `user` (access token valid `ttl` seconds).
    pub async fn oauth_app(&self, user: i64, scopes: &str, ttl: i64) -> OAuthApp {
        let set = ScopeSet::parse_list(scopes).expect("scopes");
        let created = apps::create(
            &self.state.store,
            &apps::NewApp { name: "test app".into(), scopes: set, handler_url: String::new() },
            self.now(),
        )
        .await
        .expect("app");
        let t = apps::issue_tokens(&self.state.store, &created.app, UserId(user), ttl, 15_552_000, self.now())
            .await
            .expect("tokens");
        OAuthApp {
            client_id: created.app.client_id,
            client_secret: created.client_secret,
            application_token: created.app.application_token,
            access_token: t.access_token,
            refresh_token: t.refresh_token,
        }
    }

    /// POST a JSON body to `url`; returns (status, headers, parsed body).
    pub async fn post_json(&self, url: &str, body: &Value) -> (u16, reqwest::header::HeaderMap, Value) {
        let r = self.client.post(url).json(body).send().await.expect("request");
        Self::parse(r).await
    }

    pub async fn get(&self, url: &str) -> (u16, reqwest::header::HeaderMap, Value) {
        let r = self.client.get(url).send().await.expect("request");
        Self::parse(r).await
    }

    pub async fn post_form(&self, url: &str, form: &str) -> (u16, reqwest::header::HeaderMap, Value) {
        let r = self
            .client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
            .await
            .expect("request");
        Self::parse(r).await
    }

    pub async fn parse(r: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.expect("body");
        let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        (status, headers, v)
    }

    pub async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await.expect("clean shutdown");
        }
    }
}

/// Assert a Bitrix error answer.
pub fn assert_error(resp: &(u16, reqwest::header::HeaderMap, Value), status: u16, code: &str) {
    assert_eq!(resp.0, status, "status of {}", resp.2);
    assert_eq!(resp.2["error"], code, "error code in {}", resp.2);
    assert!(resp.2["error_description"].is_string(), "error_description in {}", resp.2);
    assert!(resp.2.get("time").is_none(), "errors carry no time: {}", resp.2);
    assert_eq!(resp.1.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json; charset=utf-8"));
}

/// A response read off a raw TCP connection (status line and headers exactly as sent).
#[derive(Debug)]
pub struct RawResponse {
    /// `HTTP/1.1 200 OK`
    pub status_line: String,
    pub status: u16,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Send `request` (a complete HTTP/1.1 request) to `base` (`http://127.0.0.1:PORT`) over a plain TCP connection
/// and read one response (by `Content-Length`, else to EOF). Lets tests send what `reqwest` would normalise
/// (`//` in paths, `Upgrade: h2c`).
pub async fn raw_http(base: &str, request: &[u8]) -> RawResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("write request");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let read = async {
        loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_string();
                let len = head.lines().find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.trim().eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
                });
                if let Some(len) = len {
                    if buf.len() >= end + 4 + len {
                        buf.truncate(end + 4 + len);
                        break;
                    }
                }
            }
            let n = stream.read(&mut chunk).await.expect("read response");
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read).await.expect("response within 10 s");
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default().to_owned();
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status code");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let body = String::from_utf8_lossy(&buf[end + 4..]).to_string();
    RawResponse { status_line, status, headers, body }
}

/// Split a webhook base URL `http://HOST/rest/{user}/{code}/` into (user, code).
pub fn webhook_parts(hook: &str) -> (String, String) {
    let rest = hook.split("/rest/").nth(1).expect("a webhook URL");
    let mut it = rest.trim_end_matches('/').split('/');
    (it.next().expect("user").to_owned(), it.next().expect("code").to_owned())
}

impl TestServer {
    /// GET `url`; returns (status, headers, raw body text).
    pub async fn get_text(&self, url: &str) -> (u16, reqwest::header::HeaderMap, String) {
        let r = self.client.get(url).send().await.expect("request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, headers, r.text().await.expect("body"))
    }

    /// POST `body` with `content_type` to `url`; returns (status, headers, parsed body).
    pub async fn post_raw(
        &self,
        url: &str,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut req = self.client.post(url).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        Self::parse(req.send().await.expect("request")).await
    }

    /// Create a user with every field of `NewUser` under the test's control.
    pub async fn add_user_with(&self, u: users::NewUser) -> i64 {
        imbotd::directory::add_user(&self.state.store, &u, self.state.config.timezone, self.now())
            .await
            .expect("user")
            .0
    }
}

impl TestServer {
    /// Stop the server (letting in-flight work finish) and start it again on the same data dir with the same clock,
    /// with `f` applied to a fresh test config. Ports change; the database, tokens and outbox stay.
    pub async fn restart_with(mut self, f: impl FnOnce(&mut Config)) -> TestServer {
        if let Some(app) = self.app.take() {
            app.shutdown().await.expect("clean shutdown");
        }
        let mut config = Self::config(self.dir.path(), &self.db);
        f(&mut config);
        let app = Application::build_with_clock(config, self.clock.clone()).await.expect("server restarts");
        let http = format!("http://{}", app.http_addr());
        let https = format!("https://127.0.0.1:{}", app.https_addr().expect("tls on").port());
        let state = app.state().clone();
        TestServer {
            app: Some(app),
            dir: self.dir,
            http,
            https,
            clock: self.clock,
            client: self.client,
            state,
            db: self.db,
        }
    }
}

/// The keys of the chat object of `im.dialog.get` / `imbot.dialog.get`, in the doc example's order
/// (`api-reference__chats__im-dialog-get.md`, `api-reference__chat-bots__outdated__chats__fields.md`).
pub const DIALOG_KEYS: &[&str] = &[
    "id",
    "parent_chat_id",
    "parent_message_id",
    "name",
    "description",
    "owner",
    "extranet",
    "avatar",
    "color",
    "type",
    "counter",
    "user_counter",
    "message_count",
    "unread_id",
    "restrictions",
    "last_message_id",
    "last_id",
    "marked_id",
    "disk_folder_id",
    "entity_type",
    "entity_id",
    "entity_data_1",
    "entity_data_2",
    "entity_data_3",
    "mute_list",
    "date_create",
    "message_type",
    "public",
    "role",
    "entity_link",
    "text_field_enabled",
    "background_id",
    "permissions",
    "is_new",
    "readed_list",
    "manager_list",
    "last_message_views",
    "dialog_id",
];

/// The keys of the user object of `im.dialog.users.list` / `im.dialog.messages.get` (the pages' examples).
pub const USER_KEYS: &[&str] = &[
    "id",
    "active",
    "name",
    "first_name",
    "last_name",
    "work_position",
    "color",
    "avatar",
    "avatar_hr",
    "gender",
    "birthday",
    "extranet",
    "network",
    "bot",
    "connector",
    "external_auth_id",
    "status",
    "idle",
    "last_activity_date",
    "mobile_last_date",
    "desktop_last_date",
    "absent",
    "departments",
    "phones",
    "bot_data",
    "type",
    "website",
    "email",
];
