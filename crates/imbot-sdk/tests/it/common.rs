//! A real imbotd on an ephemeral loopback port with a temp data dir (plain HTTP, as a bot next to the server
//! would use it), and credentials made through its store, as the admin CLI makes them.
#![allow(dead_code)]

use imbot_sdk::{Client, OAuthApp, Tokens};
use imbotd::Application;
use imbotd::config::{Config, RateLimit};
use imbotd::domain::{Clock, ScopeSet, UserId};
use imbotd::store::{apps, users, webhooks};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Server {
    app: Option<Application>,
    _dir: tempfile::TempDir,
    /// `http://127.0.0.1:PORT`
    pub http: String,
    pub state: Arc<imbotd::app::AppState>,
}

/// An OAuth app with a token pair of one user.
pub struct OAuthCreds {
    pub client_id: String,
    pub client_secret: String,
    pub application_token: String,
    pub access_token: String,
    pub refresh_token: String,
}

/// Server warnings go to the captured test output.
pub fn logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("imbotd=warn,imbot_sdk=debug"))
        .with_test_writer()
        .try_init();
}

impl Server {
    pub async fn start() -> Server {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(f: impl FnOnce(&mut Config)) -> Server {
        logs();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_tests(dir.path());
        // Plain HTTP only: the public URL (client_endpoint of token answers) is then the http one.
        config.tls_listen = None;
        f(&mut config);
        let app = Application::build_with_clock(config, Clock::system()).await.expect("imbotd starts");
        let http = format!("http://{}", app.http_addr());
        let state = app.state().clone();
        Server { app: Some(app), _dir: dir, http, state }
    }

    pub async fn start_rate_limited(drain_per_second: f64, burst: u32) -> Server {
        Self::start_with(|c| c.rate_limit = RateLimit::Bucket { drain_per_second, burst }).await
    }

    pub fn now(&self) -> i64 {
        self.state.clock.unix()
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

    /// A webhook of `user` with `scopes`: `http://HOST/rest/{user}/{code}/`.
    pub async fn webhook_for(&self, user: i64, scopes: &str) -> String {
        let code = imbotd::domain::secret::lower_alnum(16);
        let set = ScopeSet::parse_list(scopes).expect("scopes");
        webhooks::create(&self.state.store, UserId(user), &code, &set, self.now()).await.expect("webhook");
        format!("{}/rest/{user}/{code}/", self.http)
    }

    /// A client on a new all-scopes webhook of `user`, with `CLIENT_ID` `client_id` when given.
    pub async fn client_for(&self, user: i64, client_id: Option<&str>) -> Client {
        let mut b = Client::webhook(self.webhook_for(user, "im,imbot,user").await);
        if let Some(id) = client_id {
            b = b.client_id(id);
        }
        b.build().expect("client")
    }

    /// A local OAuth app with tokens of `user` (access token valid `ttl` seconds; 0 = already expired).
    pub async fn oauth_app(&self, user: i64, scopes: &str, ttl: i64) -> OAuthCreds {
        let set = ScopeSet::parse_list(scopes).expect("scopes");
        let created = apps::create(
            &self.state.store,
            &apps::NewApp { name: "sdk test app".into(), scopes: set, handler_url: String::new() },
            self.now(),
        )
        .await
        .expect("app");
        let t = apps::issue_tokens(&self.state.store, &created.app, UserId(user), ttl, 15_552_000, self.now())
            .await
            .expect("tokens");
        OAuthCreds {
            client_id: created.app.client_id,
            client_secret: created.client_secret,
            application_token: created.app.application_token,
            access_token: t.access_token,
            refresh_token: t.refresh_token,
        }
    }

    /// The OAuth app of this server for `creds` (token URL `/oauth/token/`) and its token pair.
    pub fn oauth_parts(&self, creds: &OAuthCreds) -> (OAuthApp, Tokens) {
        (
            OAuthApp::new(&creds.client_id, &creds.client_secret).token_url(format!("{}/oauth/token/", self.http)),
            Tokens::new(format!("{}/rest/", self.http), &creds.access_token, &creds.refresh_token),
        )
    }

    pub async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await.expect("clean shutdown");
        }
    }
}

/// Polls `f` every 50 ms until it returns `Some`, for at most `secs` seconds.
pub async fn wait_for<T, F, Fut>(what: &str, secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < until, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
