//! The REST client: credentials, the call loop (refresh, limits, redirects), the raw escape hatch.
//!
//! A [`Client`] is cheap to clone (one `Arc`) and safe to share between tasks. Every call is a `POST` of a JSON
//! body to `{endpoint}{method}`; the answer is the Bitrix envelope (`result`, `next`, `total`, `time`) or an
//! error envelope, which becomes [`Error::Api`].
//!
//! What the client does on its own, so a bot never has to:
//! * **Webhook bots** ([`Client::webhook`]): with [`ClientBuilder::client_id`] the `CLIENT_ID` parameter that v1
//!   `imbot.*` methods need through a webhook is added to every v1 `imbot.*` call (and every such command of a
//!   [`batch`](crate::batch)); with [`ClientBuilder::bot_token`] (or [`Client::with_bot_token`]) the `botToken`
//!   that v2 methods need through a webhook is added to every `imbot.v2.*` call but `imbot.v2.Revision.get`.
//! * **OAuth** ([`Client::oauth`]): on `401 expired_token` (or when the known expiry has passed) the tokens are
//!   renewed through the token URL (`/oauth/token/?grant_type=refresh_token&…`), handed to the
//!   [`TokenStore`], and the call is retried once. Concurrent calls share one refresh.
//! * **Limits**: on `503 QUERY_LIMIT_EXCEEDED` the call waits for `Retry-After` (or backs off exponentially) and
//!   retries, at most [`RetryPolicy::max_retries`] times; an optional local leaky bucket ([`LocalLimit`],
//!   Bitrix24's 2 requests/s with a burst of 50) keeps a bot from tripping the limit at all.
//! * **Moved portals**: a redirect (a renamed Bitrix24 address) is followed with the same `POST` body (at most 5
//!   hops), instead of turning into a `GET` that loses the parameters.

use crate::error::{BoxError, Error, Result};
use crate::serde_util::{value_i64, value_string};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// A boxed, sendable future (what [`TokenStore::save`] returns).
///
/// ```
/// let f: imbot_sdk::BoxFuture<'static, u8> = Box::pin(async { 7 });
/// # let _ = f;
/// ```
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Bitrix24's OAuth server, where tokens of cloud portals are renewed.
pub const BITRIX_TOKEN_URL: &str = "https://oauth.bitrix.info/oauth/token/";

const MAX_REDIRECTS: usize = 5;
/// Refresh this many seconds before the known expiry.
const EXPIRY_MARGIN: i64 = 10;

pub(crate) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials.

/// An OAuth token pair and the portal's REST endpoint, as the token answer gives them.
///
/// `Debug` never prints the tokens.
///
/// ```
/// use imbot_sdk::Tokens;
///
/// let t = Tokens::new("https://portal.bitrix24.com/rest/", "ACCESS", "REFRESH").expires_at(1_772_113_086);
/// assert_eq!(t.expires, Some(1_772_113_086));
/// assert!(!format!("{t:?}").contains("ACCESS"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// `access_token`: sent as `auth` with every call.
    pub access_token: String,
    /// `refresh_token`: exchanged for a new pair; single use.
    pub refresh_token: String,
    /// `client_endpoint`: the portal's REST root, `https://portal/rest/`.
    pub client_endpoint: String,
    /// `expires`: unix seconds when the access token stops working, when known.
    #[serde(default)]
    pub expires: Option<i64>,
}

impl Tokens {
    /// A pair for `client_endpoint` (`https://portal/rest/`; a missing trailing `/` is added).
    ///
    /// ```
    /// let t = imbot_sdk::Tokens::new("http://127.0.0.1:8080/rest", "a", "r");
    /// assert_eq!(t.client_endpoint, "http://127.0.0.1:8080/rest/");
    /// ```
    pub fn new(
        client_endpoint: impl Into<String>,
        access_token: impl Into<String>,
        refresh: impl Into<String>,
    ) -> Self {
        Tokens {
            access_token: access_token.into(),
            refresh_token: refresh.into(),
            client_endpoint: with_slash(client_endpoint.into()),
            expires: None,
        }
    }

    /// Sets the known expiry (unix seconds) of the access token.
    ///
    /// ```
    /// let t = imbot_sdk::Tokens::new("https://p/rest/", "a", "r").expires_at(100);
    /// assert_eq!(t.expires, Some(100));
    /// ```
    pub fn expires_at(mut self, unix: i64) -> Self {
        self.expires = Some(unix);
        self
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"…")
            .field("refresh_token", &"…")
            .field("client_endpoint", &self.client_endpoint)
            .field("expires", &self.expires)
            .finish()
    }
}

/// The OAuth application: `client_id`, `client_secret` and where tokens are renewed.
///
/// `Debug` never prints the secret.
///
/// ```
/// use imbot_sdk::OAuthApp;
///
/// // A Bitrix24 cloud app: tokens are renewed at oauth.bitrix.info.
/// let cloud = OAuthApp::new("app.123", "Xq9-top");
/// assert_eq!(cloud.token_url, imbot_sdk::BITRIX_TOKEN_URL);
/// // An app of an imbotd server renews at the server itself.
/// let local = OAuthApp::new("app.123", "Xq9-top").token_url("http://127.0.0.1:8080/oauth/token/");
/// assert!(local.token_url.ends_with("/oauth/token/"));
/// assert!(!format!("{local:?}").contains("Xq9-top"));
/// ```
#[derive(Clone)]
pub struct OAuthApp {
    /// `client_id` of the application.
    pub client_id: String,
    /// `client_secret` of the application.
    pub client_secret: String,
    /// The token endpoint (default [`BITRIX_TOKEN_URL`]).
    pub token_url: String,
}

impl OAuthApp {
    /// An app renewing its tokens at [`BITRIX_TOKEN_URL`].
    ///
    /// ```
    /// let app = imbot_sdk::OAuthApp::new("local.abc", "s3cret");
    /// assert_eq!(app.client_id, "local.abc");
    /// ```
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        OAuthApp {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_url: BITRIX_TOKEN_URL.to_owned(),
        }
    }

    /// Renew at `url` instead (an imbotd server: `{server}/oauth/token/`).
    ///
    /// ```
    /// let app = imbot_sdk::OAuthApp::new("id", "s").token_url("http://localhost:8080/oauth/token/");
    /// assert_eq!(app.token_url, "http://localhost:8080/oauth/token/");
    /// ```
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"…")
            .field("token_url", &self.token_url)
            .finish()
    }
}

/// Where renewed OAuth tokens go. Bitrix24 refresh tokens are single use: after a refresh only the new pair
/// works, so a bot that restarts must load the pair saved here.
///
/// ```
/// use imbot_sdk::{BoxError, BoxFuture, TokenStore, Tokens};
///
/// struct FileStore(std::path::PathBuf);
///
/// impl TokenStore for FileStore {
///     fn save<'a>(&'a self, tokens: &'a Tokens) -> BoxFuture<'a, Result<(), BoxError>> {
///         Box::pin(async move {
///             let json = serde_json::to_vec(tokens)?;
///             tokio::fs::write(&self.0, json).await?;
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync {
    /// Persist `tokens`, the pair now in use. An error is returned to the call that caused the refresh as
    /// [`Error::TokenStore`]; the client keeps using the new pair in memory either way.
    fn save<'a>(&'a self, tokens: &'a Tokens) -> BoxFuture<'a, std::result::Result<(), BoxError>>;
}

/// A [`TokenStore`] that keeps the last pair in memory (tests, short-lived bots). Clones share the slot.
///
/// ```
/// use imbot_sdk::{MemoryTokenStore, TokenStore, Tokens};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let store = MemoryTokenStore::default();
/// store.save(&Tokens::new("https://p/rest/", "a2", "r2")).await.unwrap();
/// assert_eq!(store.get().unwrap().access_token, "a2");
/// assert_eq!(store.saves(), 1);
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryTokenStore {
    inner: Arc<Mutex<(Option<Tokens>, usize)>>,
}

impl MemoryTokenStore {
    /// The last saved pair.
    ///
    /// ```
    /// assert!(imbot_sdk::MemoryTokenStore::default().get().is_none());
    /// ```
    pub fn get(&self) -> Option<Tokens> {
        self.inner.lock().expect("token store lock").0.clone()
    }

    /// How many times a pair was saved.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::MemoryTokenStore::default().saves(), 0);
    /// ```
    pub fn saves(&self) -> usize {
        self.inner.lock().expect("token store lock").1
    }
}

impl TokenStore for MemoryTokenStore {
    fn save<'a>(&'a self, tokens: &'a Tokens) -> BoxFuture<'a, std::result::Result<(), BoxError>> {
        let mut slot = self.inner.lock().expect("token store lock");
        slot.0 = Some(tokens.clone());
        slot.1 += 1;
        Box::pin(async { Ok(()) })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Policies.

/// How calls refused with `503 QUERY_LIMIT_EXCEEDED` are retried.
///
/// ```
/// use imbot_sdk::RetryPolicy;
/// use std::time::Duration;
///
/// let p = RetryPolicy { max_retries: 3, ..RetryPolicy::default() };
/// assert_eq!(p.max_wait, Duration::from_secs(30));
/// assert_eq!(RetryPolicy::none().max_retries, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 5).
    pub max_retries: u32,
    /// Longest single wait, also the cap on `Retry-After` (default 30 s).
    pub max_wait: Duration,
    /// First wait when the answer has no `Retry-After`; doubled on each retry (default 500 ms).
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 5, max_wait: Duration::from_secs(30), backoff: Duration::from_millis(500) }
    }
}

impl RetryPolicy {
    /// Never retry: a `503` is returned as [`Error::Api`] at once.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::RetryPolicy::none().max_retries, 0);
    /// ```
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let d = retry_after.unwrap_or_else(|| self.backoff.saturating_mul(1u32 << attempt.min(16)));
        d.min(self.max_wait)
    }
}

/// A local leaky bucket in front of every request, mirroring the portal's: each request adds one, the level
/// drains at `drain_per_second`, and a request that would pass `burst` waits (250 ms longer than the arithmetic
/// says, so network jitter cannot make the portal see requests closer together than the bucket let them go).
///
/// ```
/// use imbot_sdk::LocalLimit;
///
/// assert_eq!(LocalLimit::BITRIX.burst, 50);
/// assert_eq!(LocalLimit::ENTERPRISE.drain_per_second, 5.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalLimit {
    /// Requests per second the level drains (Bitrix24: 2, Enterprise: 5).
    pub drain_per_second: f64,
    /// The level at which requests wait (Bitrix24: 50, Enterprise: 250).
    pub burst: u32,
}

impl LocalLimit {
    /// Bitrix24 cloud's default: 2 requests/s, burst 50.
    pub const BITRIX: LocalLimit = LocalLimit { drain_per_second: 2.0, burst: 50 };
    /// Bitrix24 Enterprise: 5 requests/s, burst 250.
    pub const ENTERPRISE: LocalLimit = LocalLimit { drain_per_second: 5.0, burst: 250 };
}

/// Extra wait of a request that found the local bucket full. It keeps the local level this far (in time) behind
/// the portal's, so a request that reaches the portal sooner than the one before it (a pooled connection after a
/// new one) still fits; at saturation the rate stays `drain_per_second`.
const BUCKET_MARGIN: Duration = Duration::from_millis(250);

/// The bucket state; the async mutex is held while waiting, so waiters are served in arrival order.
struct LeakyBucket {
    limit: LocalLimit,
    state: tokio::sync::Mutex<(f64, Instant)>,
}

impl LeakyBucket {
    fn new(limit: LocalLimit) -> Self {
        LeakyBucket { limit, state: tokio::sync::Mutex::new((0.0, Instant::now())) }
    }

    async fn acquire(&self) {
        let mut s = self.state.lock().await;
        loop {
            let now = Instant::now();
            let drained = now.duration_since(s.1).as_secs_f64() * self.limit.drain_per_second;
            s.0 = (s.0 - drained).max(0.0);
            s.1 = now;
            if s.0 + 1.0 <= f64::from(self.limit.burst.max(1)) {
                s.0 += 1.0;
                return;
            }
            let over = s.0 + 1.0 - f64::from(self.limit.burst.max(1));
            let wait = Duration::from_secs_f64(over / self.limit.drain_per_second.max(1e-3)) + BUCKET_MARGIN;
            tokio::time::sleep(wait).await;
        }
    }

    /// The server said we are over: assume the bucket is full.
    async fn fill(&self) {
        let mut s = self.state.lock().await;
        s.0 = s.0.max(f64::from(self.limit.burst));
        s.1 = Instant::now();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The envelope.

/// A successful answer: `result` and the paging fields.
///
/// ```
/// use imbot_sdk::Envelope;
/// use serde_json::json;
///
/// let e = Envelope { result: json!([1, 2]), next: Some(50), total: Some(120), time: None };
/// assert_eq!(e.next, Some(50));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// `result`.
    pub result: Value,
    /// `next`: the `start` of the next page of a list method, when there is one.
    pub next: Option<u64>,
    /// `total`: the size of the whole list.
    pub total: Option<u64>,
    /// `time`: timing and operating-limit accounting (its composition varies).
    pub time: Option<Value>,
}

/// Reads an answer body: an envelope, or the error it carries.
pub(crate) fn interpret(method: &str, status: u16, body: &[u8]) -> Result<Envelope> {
    let protocol = |detail: String| Error::Protocol { method: method.to_owned(), status, detail };
    let v: Value =
        serde_json::from_slice(body).map_err(|e| protocol(format!("the body is not JSON ({e}): {}", snippet(body))))?;
    let Value::Object(mut m) = v else {
        return Err(protocol(format!("the body is not a JSON object: {}", snippet(body))));
    };
    if let Some(err) = m.get("error").filter(|e| !e.is_null()) {
        let code = value_string(err).unwrap_or_else(|| err.to_string());
        let description = m.get("error_description").and_then(value_string).unwrap_or_default();
        return Err(Error::Api { code, description, status });
    }
    if !(200..300).contains(&status) {
        return Err(protocol(format!("an error status without an error code: {}", snippet(body))));
    }
    let Some(result) = m.remove("result") else {
        return Err(protocol(format!("no `result` in {}", snippet(body))));
    };
    let page = |k: &str| m.get(k).and_then(value_i64).and_then(|n| u64::try_from(n).ok());
    Ok(Envelope { result, next: page("next"), total: page("total"), time: m.remove("time") })
}

fn snippet(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body);
    let mut out: String = s.chars().take(200).collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}

fn with_slash(mut s: String) -> String {
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

// ---------------------------------------------------------------------------------------------------------------
// The client.

enum Auth {
    /// `https://host/rest/{user}/{code}/`.
    Webhook {
        base: String,
    },
    /// A fixed access token (an event's bot token): no refresh.
    Token {
        endpoint: String,
        access_token: String,
    },
    OAuth(OAuth),
}

struct OAuth {
    app: OAuthApp,
    tokens: Mutex<Tokens>,
    /// Held during a refresh, so concurrent expired calls share one.
    refresh: tokio::sync::Mutex<()>,
    store: Option<Arc<dyn TokenStore>>,
}

struct Inner {
    http: reqwest::Client,
    auth: Auth,
    client_id: Option<String>,
    retry: RetryPolicy,
    bucket: Option<LeakyBucket>,
}

/// A Bitrix24 / imbotd REST client. Cheap to clone; clones share credentials, token state and the local limit.
///
/// ```no_run
/// use imbot_sdk::Client;
/// use serde_json::json;
///
/// # async fn run() -> imbot_sdk::Result<()> {
/// let client = Client::webhook("https://portal.bitrix24.com/rest/1/abcdef0123456789/")
///     .client_id("my_bot")
///     .build()?;
/// let time = client.call("server.time", json!({})).await?;
/// println!("server time: {time}");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The v2 `botToken` of this handle (clones made by [`Client::with_bot_token`] differ only here).
    bot_token: Option<Arc<str>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.inner.auth {
            Auth::Webhook { .. } => "webhook",
            Auth::Token { .. } => "access token",
            Auth::OAuth(_) => "oauth",
        };
        f.debug_struct("Client")
            .field("auth", &kind)
            .field("endpoint", &self.endpoint())
            .field("bot_token", &self.bot_token.as_ref().map(|_| "…"))
            .finish()
    }
}

enum AuthSpec {
    Webhook(String),
    Token { endpoint: String, access_token: String },
    OAuth { app: OAuthApp, tokens: Tokens },
}

/// Configures a [`Client`]; made by [`Client::webhook`], [`Client::oauth`] or [`Client::access_token`].
///
/// ```
/// use imbot_sdk::{Client, LocalLimit, RetryPolicy};
/// use std::time::Duration;
///
/// let client = Client::webhook("http://127.0.0.1:8080/rest/1/abc/")
///     .client_id("echo")
///     .local_limit(LocalLimit::BITRIX)
///     .retry(RetryPolicy { max_retries: 2, ..RetryPolicy::default() })
///     .timeout(Duration::from_secs(20))
///     .build()
///     .unwrap();
/// assert_eq!(client.endpoint(), "http://127.0.0.1:8080/rest/1/abc/");
/// ```
#[must_use]
pub struct ClientBuilder {
    auth: AuthSpec,
    client_id: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    retry: RetryPolicy,
    local_limit: Option<LocalLimit>,
    store: Option<Arc<dyn TokenStore>>,
    bot_token: Option<String>,
}

impl Client {
    /// A client calling through an incoming webhook, `https://host/rest/{user}/{code}/` (a missing trailing `/`
    /// is added; checked by [`ClientBuilder::build`]).
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("https://portal.bitrix24.com/rest/1/abc").build().unwrap();
    /// assert_eq!(c.endpoint(), "https://portal.bitrix24.com/rest/1/abc/");
    /// assert!(imbot_sdk::Client::webhook("https://portal.bitrix24.com/").build().is_err());
    /// ```
    pub fn webhook(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(AuthSpec::Webhook(url.into()))
    }

    /// A client calling with OAuth tokens of `app`, renewing them when they expire.
    ///
    /// ```
    /// use imbot_sdk::{Client, MemoryTokenStore, OAuthApp, Tokens};
    ///
    /// let store = MemoryTokenStore::default();
    /// let client = Client::oauth(
    ///     OAuthApp::new("local.app", "secret").token_url("http://127.0.0.1:8080/oauth/token/"),
    ///     Tokens::new("http://127.0.0.1:8080/rest/", "access", "refresh"),
    /// )
    /// .token_store(store.clone())
    /// .build()
    /// .unwrap();
    /// assert_eq!(client.tokens().unwrap().access_token, "access");
    /// ```
    pub fn oauth(app: OAuthApp, tokens: Tokens) -> ClientBuilder {
        ClientBuilder::new(AuthSpec::OAuth { app, tokens })
    }

    /// A client calling with a fixed access token and no way to renew it: typically a bot's token from an
    /// event (`data[BOT][id]`, see [`EventAuth::client`](crate::EventAuth::client)), valid for an hour.
    ///
    /// ```
    /// let c = imbot_sdk::Client::access_token("https://portal.bitrix24.com/rest/", "token").build().unwrap();
    /// assert_eq!(c.endpoint(), "https://portal.bitrix24.com/rest/");
    /// ```
    pub fn access_token(client_endpoint: impl Into<String>, access_token: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(AuthSpec::Token {
            endpoint: with_slash(client_endpoint.into()),
            access_token: access_token.into(),
        })
    }

    /// The REST root calls go to: the webhook URL, or the OAuth `client_endpoint`.
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("http://127.0.0.1:8080/rest/1/abc/").build().unwrap();
    /// assert!(c.endpoint().ends_with("/rest/1/abc/"));
    /// ```
    pub fn endpoint(&self) -> String {
        match &self.inner.auth {
            Auth::Webhook { base } => base.clone(),
            Auth::Token { endpoint, .. } => endpoint.clone(),
            Auth::OAuth(o) => o.tokens.lock().expect("token lock").client_endpoint.clone(),
        }
    }

    /// The OAuth tokens in use (after any refresh); `None` for webhook and fixed-token clients.
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("http://127.0.0.1:8080/rest/1/abc/").build().unwrap();
    /// assert!(c.tokens().is_none());
    /// ```
    pub fn tokens(&self) -> Option<Tokens> {
        match &self.inner.auth {
            Auth::OAuth(o) => Some(o.tokens.lock().expect("token lock").clone()),
            _ => None,
        }
    }

    /// The `CLIENT_ID` added to `imbot.*` (and imbotd's `imbotd.*`) calls, if configured.
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("http://h/rest/1/abc/").client_id("echo").build().unwrap();
    /// assert_eq!(c.client_id(), Some("echo"));
    /// ```
    pub fn client_id(&self) -> Option<&str> {
        self.inner.client_id.as_deref()
    }

    /// The v2 `botToken` added to `imbot.v2.*` calls, if configured.
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("http://h/rest/1/abc/").bot_token("s3cret-token").build().unwrap();
    /// assert_eq!(c.bot_token(), Some("s3cret-token"));
    /// assert!(!format!("{c:?}").contains("s3cret"));
    /// ```
    pub fn bot_token(&self) -> Option<&str> {
        self.bot_token.as_deref()
    }

    /// This client with another v2 `botToken` (or none): same credentials, HTTP connections, token state and
    /// local limit. One webhook can own many v2 bots, each under its own token; and after a token rotation
    /// (`imbot.v2.Bot.update` with `fields.botToken`, see
    /// [`UpdateBotV2::bot_token`](crate::methods::v2::UpdateBotV2::bot_token)) the old token stops working at
    /// once, so carry on with `client.with_bot_token(new)`.
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("http://h/rest/1/abc/").bot_token("old").build().unwrap();
    /// let rotated = c.with_bot_token("new");
    /// assert_eq!((c.bot_token(), rotated.bot_token()), (Some("old"), Some("new")));
    /// assert_eq!(rotated.endpoint(), c.endpoint());
    /// ```
    pub fn with_bot_token(&self, token: impl Into<String>) -> Client {
        Client { inner: self.inner.clone(), bot_token: Some(Arc::from(token.into())) }
    }

    /// The `CLIENT_ID` to add to a call of `method` whose params don't carry one: v1 `imbot.*` and imbotd's
    /// `imbotd.*`, not `imbot.v2.*` (v2 identifies webhook bots by `botToken`).
    pub(crate) fn client_id_for(&self, method: &str, params: &Map<String, Value>) -> Option<&str> {
        let id = self.inner.client_id.as_deref()?;
        let imbot = (has_prefix(method, "imbot.") && !has_prefix(method, "imbot.v2.")) || has_prefix(method, "imbotd.");
        (imbot && !params.keys().any(|k| k.eq_ignore_ascii_case("CLIENT_ID"))).then_some(id)
    }

    /// The `botToken` to add to a call of `method` whose params don't carry one: every `imbot.v2.*` method but
    /// `imbot.v2.Revision.get` (the only one that takes none). Parameter names of v2 are case-sensitive.
    pub(crate) fn bot_token_for(&self, method: &str, params: &Map<String, Value>) -> Option<&str> {
        let token = self.bot_token.as_deref()?;
        let v2 = has_prefix(method, "imbot.v2.") && !method.eq_ignore_ascii_case("imbot.v2.Revision.get");
        (v2 && !params.contains_key("botToken")).then_some(token)
    }

    /// Adds what the client configures to every call of `method`: `CLIENT_ID` and `botToken`.
    pub(crate) fn add_implicit_params(&self, method: &str, params: &mut Map<String, Value>) {
        if let Some(id) = self.client_id_for(method, params) {
            params.insert("CLIENT_ID".into(), Value::String(id.to_owned()));
        }
        if let Some(token) = self.bot_token_for(method, params) {
            params.insert("botToken".into(), Value::String(token.to_owned()));
        }
    }

    /// Calls `method` with `params` (a JSON object, or `null` for none) and returns `result`.
    ///
    /// This is the escape hatch for every method without a typed wrapper; the typed methods use it too.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use serde_json::json;
    /// let id = client
    ///     .call("im.message.add", json!({"DIALOG_ID": "chat5", "MESSAGE": "Hello"}))
    ///     .await?;
    /// println!("message {id}");
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, method: &str, params: Value) -> Result<Value> {
        Ok(self.call_envelope(method, params).await?.result)
    }

    /// Like [`Client::call`], returning the whole envelope (`next`, `total`, `time`).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use serde_json::json;
    /// let page = client.call_envelope("user.get", json!({"start": 0})).await?;
    /// println!("{} users, next page at {:?}", page.total.unwrap_or(0), page.next);
    /// # Ok(()) }
    /// ```
    pub async fn call_envelope(&self, method: &str, params: Value) -> Result<Envelope> {
        let params = match params {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => return Err(Error::Invalid(format!("params of {method} must be a JSON object, got {other}"))),
        };
        self.send(method, params).await
    }

    /// Like [`Client::call`], deserialising `result` into `T`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use serde_json::json;
    /// let members: Vec<i64> = client.call_as("im.chat.user.list", json!({"CHAT_ID": 5})).await?;
    /// # Ok(()) }
    /// ```
    pub async fn call_as<T: DeserializeOwned>(&self, method: &str, params: Value) -> Result<T> {
        let result = self.call(method, params).await?;
        serde_json::from_value(result).map_err(|source| Error::Decode { method: method.to_owned(), source })
    }

    /// Typed call: `req` serialises to the params object, `result` deserialises into `T`.
    pub(crate) async fn invoke<T: DeserializeOwned>(&self, method: &str, req: &impl Serialize) -> Result<T> {
        let params = serde_json::to_value(req)
            .map_err(|e| Error::Invalid(format!("params of {method} cannot be serialised: {e}")))?;
        self.call_as(method, params).await
    }

    /// The call loop: local limit, request, redirects, refresh on `expired_token`, retry on the query limit.
    async fn send(&self, method: &str, mut params: Map<String, Value>) -> Result<Envelope> {
        self.add_implicit_params(method, &mut params);
        let mut limit_retries = 0;
        let mut refreshed = false;
        loop {
            if let Some(b) = &self.inner.bucket {
                b.acquire().await;
            }
            if let Auth::OAuth(o) = &self.inner.auth {
                let (expires, token) = {
                    let t = o.tokens.lock().expect("token lock");
                    (t.expires, t.access_token.clone())
                };
                if !refreshed && expires.is_some_and(|e| e <= unix_now() + EXPIRY_MARGIN) {
                    self.refresh(o, &token).await?;
                    refreshed = true;
                }
            }
            let (url, used_token) = self.target(method, &mut params);
            let body = serde_json::to_vec(&params).expect("a JSON map serialises");
            let (status, retry_after, bytes) = self.post(&url, body).await?;
            match interpret(method, status, &bytes) {
                Err(Error::Api { code, status: 401, .. })
                    if code == "expired_token" && !refreshed && matches!(self.inner.auth, Auth::OAuth(_)) =>
                {
                    if let Auth::OAuth(o) = &self.inner.auth {
                        self.refresh(o, used_token.as_deref().unwrap_or_default()).await?;
                    }
                    refreshed = true;
                }
                Err(Error::Api { code, .. })
                    if code == "QUERY_LIMIT_EXCEEDED" && limit_retries < self.inner.retry.max_retries =>
                {
                    if let Some(b) = &self.inner.bucket {
                        b.fill().await;
                    }
                    let wait = self.inner.retry.wait(limit_retries, retry_after);
                    tracing::debug!(method, ?wait, attempt = limit_retries + 1, "query limit exceeded; waiting");
                    tokio::time::sleep(wait).await;
                    limit_retries += 1;
                }
                other => return other,
            }
        }
    }

    /// The URL for `method`, with `auth` put into `params` for token clients; returns the token used.
    fn target(&self, method: &str, params: &mut Map<String, Value>) -> (String, Option<String>) {
        match &self.inner.auth {
            Auth::Webhook { base } => (format!("{base}{method}"), None),
            Auth::Token { endpoint, access_token } => {
                params.insert("auth".into(), Value::String(access_token.clone()));
                (format!("{endpoint}{method}"), Some(access_token.clone()))
            }
            Auth::OAuth(o) => {
                let t = o.tokens.lock().expect("token lock");
                params.insert("auth".into(), Value::String(t.access_token.clone()));
                (format!("{}{method}", t.client_endpoint), Some(t.access_token.clone()))
            }
        }
    }

    /// POSTs `body` to `url`, following redirects with the same body; returns status, `Retry-After`, body.
    async fn post(&self, url: &str, body: Vec<u8>) -> Result<(u16, Option<Duration>, bytes::Bytes)> {
        let mut url = reqwest::Url::parse(url).map_err(|e| Error::Invalid(format!("bad URL {url:?}: {e}")))?;
        for _ in 0..=MAX_REDIRECTS {
            let resp = self
                .inner
                .http
                .post(url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::ACCEPT, "application/json")
                .body(body.clone())
                .send()
                .await?;
            let status = resp.status();
            if status.is_redirection() {
                if let Some(next) = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                {
                    tracing::debug!(from = %url, to = %next, "following a redirect with the same POST body");
                    url = next;
                    continue;
                }
            }
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let bytes = resp.bytes().await?;
            return Ok((status.as_u16(), retry_after, bytes));
        }
        Err(Error::Invalid(format!("more than {MAX_REDIRECTS} redirects from {url}")))
    }

    /// Renews the tokens unless another task already did since `used` was sent.
    async fn refresh(&self, o: &OAuth, used: &str) -> Result<()> {
        let _guard = o.refresh.lock().await;
        let current = o.tokens.lock().expect("token lock").clone();
        if current.access_token != used {
            return Ok(());
        }
        let url = reqwest::Url::parse_with_params(
            &o.app.token_url,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", o.app.client_id.as_str()),
                ("client_secret", o.app.client_secret.as_str()),
                ("refresh_token", current.refresh_token.as_str()),
            ],
        )
        .map_err(|e| Error::Invalid(format!("bad token URL {:?}: {e}", o.app.token_url)))?;
        let resp = self.inner.http.get(url).header(reqwest::header::ACCEPT, "application/json").send().await?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await?;
        let method = "oauth/token";
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| Error::Protocol {
            method: method.into(),
            status,
            detail: format!("the body is not JSON ({e}): {}", snippet(&bytes)),
        })?;
        if let Some(err) = v.get("error").and_then(value_string) {
            let description = v.get("error_description").and_then(value_string).unwrap_or_default();
            return Err(Error::OAuth { code: err, description, status });
        }
        let field = |k: &str| v.get(k).and_then(value_string).filter(|s| !s.is_empty());
        let (Some(access), Some(refresh)) = (field("access_token"), field("refresh_token")) else {
            return Err(Error::Protocol {
                method: method.into(),
                status,
                detail: format!("no access_token/refresh_token in {}", snippet(&bytes)),
            });
        };
        let expires = v
            .get("expires")
            .and_then(value_i64)
            .or_else(|| v.get("expires_in").and_then(value_i64).map(|s| unix_now() + s));
        let renewed = Tokens {
            access_token: access,
            refresh_token: refresh,
            client_endpoint: field("client_endpoint").map(with_slash).unwrap_or(current.client_endpoint),
            expires,
        };
        *o.tokens.lock().expect("token lock") = renewed.clone();
        tracing::debug!(client_id = %o.app.client_id, "OAuth tokens renewed");
        if let Some(store) = &o.store {
            store.save(&renewed).await.map_err(Error::TokenStore)?;
        }
        Ok(())
    }
}

impl ClientBuilder {
    fn new(auth: AuthSpec) -> Self {
        ClientBuilder {
            auth,
            client_id: None,
            http: None,
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            local_limit: None,
            store: None,
            bot_token: None,
        }
    }

    /// The `botToken` of v2 bots registered through a webhook: added to every `imbot.v2.*` call that does not
    /// carry one, except `imbot.v2.Revision.get` (docs/v2.md §6). It is the secret that names the bot's owner
    /// (the webhook + this token), chosen by you at `imbot.v2.Bot.register`, at most 40 characters; never logged
    /// by the client. OAuth calls do not need it (the server ignores it). For several bots under different
    /// tokens, see [`Client::with_bot_token`].
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("http://h/rest/1/abc/").bot_token("support-bot-7f3a").build().unwrap();
    /// assert_eq!(c.bot_token(), Some("support-bot-7f3a"));
    /// ```
    pub fn bot_token(mut self, token: impl Into<String>) -> Self {
        self.bot_token = Some(token.into());
        self
    }

    /// The `CLIENT_ID` of a v1 bot registered through a webhook: added to every `imbot.*` call that does not carry
    /// one (any string you choose; imbotd and Bitrix24 key the bot's ownership on the webhook + this id).
    ///
    /// ```
    /// let c = imbot_sdk::Client::webhook("http://h/rest/1/abc/").client_id("todo_bot").build().unwrap();
    /// assert_eq!(c.client_id(), Some("todo_bot"));
    /// ```
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// Where renewed OAuth tokens are handed (see [`TokenStore`]).
    ///
    /// ```
    /// use imbot_sdk::{Client, MemoryTokenStore, OAuthApp, Tokens};
    /// let b = Client::oauth(OAuthApp::new("id", "s"), Tokens::new("https://p/rest/", "a", "r"))
    ///     .token_store(MemoryTokenStore::default());
    /// # let _ = b;
    /// ```
    pub fn token_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Wait locally instead of tripping the portal's request limit (see [`LocalLimit`]).
    ///
    /// ```
    /// let b = imbot_sdk::Client::webhook("http://h/rest/1/abc/").local_limit(imbot_sdk::LocalLimit::BITRIX);
    /// # let _ = b;
    /// ```
    pub fn local_limit(mut self, limit: LocalLimit) -> Self {
        self.local_limit = Some(limit);
        self
    }

    /// How `503 QUERY_LIMIT_EXCEEDED` is retried (default: [`RetryPolicy::default`]).
    ///
    /// ```
    /// let b = imbot_sdk::Client::webhook("http://h/rest/1/abc/").retry(imbot_sdk::RetryPolicy::none());
    /// # let _ = b;
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Per-request timeout of the default HTTP client (default 60 s, Bitrix24's own request limit). Ignored with
    /// [`ClientBuilder::http_client`].
    ///
    /// ```
    /// let b = imbot_sdk::Client::webhook("http://h/rest/1/abc/").timeout(std::time::Duration::from_secs(5));
    /// # let _ = b;
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Use this `reqwest` client (extra root certificates, a proxy…). Give it
    /// `redirect(reqwest::redirect::Policy::none())`: the client follows redirects itself, keeping the `POST`.
    ///
    /// ```
    /// let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    /// let b = imbot_sdk::Client::webhook("http://h/rest/1/abc/").http_client(http);
    /// # let _ = b;
    /// ```
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and makes the client.
    ///
    /// Errors ([`Error::Invalid`]): a webhook URL that is not `http(s)://host/rest/{user}/{code}/`, an endpoint
    /// or token URL that is not an absolute http(s) URL.
    ///
    /// ```
    /// assert!(imbot_sdk::Client::webhook("ftp://h/rest/1/abc/").build().is_err());
    /// assert!(imbot_sdk::Client::webhook("http://h/rest/1/").build().is_err());
    /// ```
    pub fn build(self) -> Result<Client> {
        let auth = match self.auth {
            AuthSpec::Webhook(url) => Auth::Webhook { base: check_webhook(&url)? },
            AuthSpec::Token { endpoint, access_token } => {
                check_http_url(&endpoint, "client endpoint")?;
                Auth::Token { endpoint, access_token }
            }
            AuthSpec::OAuth { app, tokens } => {
                check_http_url(&tokens.client_endpoint, "client endpoint")?;
                check_http_url(&app.token_url, "token URL")?;
                Auth::OAuth(OAuth {
                    app,
                    tokens: Mutex::new(tokens),
                    refresh: tokio::sync::Mutex::new(()),
                    store: self.store,
                })
            }
        };
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(self.timeout)
                .connect_timeout(Duration::from_secs(10))
                .user_agent(concat!("imbot-sdk/", env!("CARGO_PKG_VERSION")))
                .build()?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth,
                client_id: self.client_id,
                retry: self.retry,
                bucket: self.local_limit.map(LeakyBucket::new),
            }),
            bot_token: self.bot_token.map(Arc::from),
        })
    }
}

/// `method` starts with `prefix` (ASCII case-insensitively) and has more after it.
fn has_prefix(method: &str, prefix: &str) -> bool {
    method.len() > prefix.len() && method.get(..prefix.len()).is_some_and(|m| m.eq_ignore_ascii_case(prefix))
}

fn check_http_url(url: &str, what: &str) -> Result<reqwest::Url> {
    let u = reqwest::Url::parse(url).map_err(|e| Error::Invalid(format!("{what} {url:?} is not a URL: {e}")))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(Error::Invalid(format!("{what} {url:?} must be an absolute http:// or https:// URL")));
    }
    Ok(u)
}

/// `http(s)://host[:port][/prefix]/rest/{user}/{code}/` with a trailing slash.
fn check_webhook(url: &str) -> Result<String> {
    let url = with_slash(url.trim().to_owned());
    let u = check_http_url(&url, "webhook URL")?;
    let path = u.path();
    let ok = path.rfind("/rest/").is_some_and(|i| {
        let parts: Vec<&str> = path[i + 6..].trim_end_matches('/').split('/').collect();
        parts.len() == 2 && parts[0].bytes().all(|b| b.is_ascii_digit()) && parts.iter().all(|p| !p.is_empty())
    });
    if !ok {
        return Err(Error::Invalid(format!(
            "webhook URL {url:?} must look like https://your-portal/rest/{{user id}}/{{code}}/"
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelopes_and_errors_are_read() {
        let e = interpret("m", 200, br#"{"result":[1],"next":50,"total":"120","time":{"start":1}}"#).unwrap();
        assert_eq!((e.result, e.next, e.total), (json!([1]), Some(50), Some(120)));
        let err = interpret("m", 401, br#"{"error":"expired_token","error_description":"gone"}"#).unwrap_err();
        assert!(matches!(err, Error::Api { ref code, status: 401, .. } if code == "expired_token"), "{err}");
        assert!(matches!(interpret("m", 502, b"<html>"), Err(Error::Protocol { status: 502, .. })));
        assert!(matches!(interpret("m", 200, b"{}"), Err(Error::Protocol { .. })));
        // `result: false` is a result (im.dialog.read without access).
        assert_eq!(interpret("m", 200, br#"{"result":false}"#).unwrap().result, json!(false));
    }

    #[test]
    fn webhook_urls_are_checked() {
        assert_eq!(check_webhook("https://p.bitrix24.com/rest/1/abc").unwrap(), "https://p.bitrix24.com/rest/1/abc/");
        assert!(check_webhook("https://p.bitrix24.com/rest/x/abc/").is_err());
        assert!(check_webhook("https://p.bitrix24.com/rest/1/abc/im.message.add/").is_err());
        assert!(check_webhook("https://p.bitrix24.com/sub/rest/1/abc/").is_ok());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.wait(0, None), Duration::from_millis(500));
        assert_eq!(p.wait(2, None), Duration::from_secs(2));
        assert_eq!(p.wait(10, None), Duration::from_secs(30));
        assert_eq!(p.wait(0, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert_eq!(p.wait(0, Some(Duration::from_secs(300))), Duration::from_secs(30));
    }

    #[test]
    fn client_id_goes_to_imbot_methods_only() {
        let c = Client::webhook("http://h/rest/1/abc/").client_id("x").build().unwrap();
        assert_eq!(c.client_id_for("imbot.register", &Map::new()), Some("x"));
        assert_eq!(c.client_id_for("IMBOT.message.add", &Map::new()), Some("x"));
        assert_eq!(c.client_id_for("im.message.add", &Map::new()), None);
        assert_eq!(c.client_id_for("imbotd.delivery.list", &Map::new()), Some("x"));
        assert_eq!(c.client_id_for("imbot.v2.Bot.register", &Map::new()), None);
        let mut given = Map::new();
        given.insert("client_id".into(), json!("y"));
        assert_eq!(c.client_id_for("imbot.register", &given), None);
    }

    #[test]
    fn bot_token_goes_to_v2_bot_methods_only() {
        let c = Client::webhook("http://h/rest/1/abc/").client_id("x").bot_token("t").build().unwrap();
        let mut p = Map::new();
        c.add_implicit_params("imbot.v2.Chat.Message.send", &mut p);
        assert_eq!(p, json!({"botToken": "t"}).as_object().unwrap().clone());
        assert_eq!(c.bot_token_for("IMBOT.V2.bot.list", &Map::new()), Some("t"));
        assert_eq!(c.bot_token_for("imbot.v2.Revision.get", &Map::new()), None);
        assert_eq!(c.bot_token_for("imbot.register", &Map::new()), None);
        assert_eq!(c.bot_token_for("im.v2.Event.get", &Map::new()), None);
        let mut given = Map::new();
        given.insert("botToken".into(), json!("other"));
        assert_eq!(c.bot_token_for("imbot.v2.Bot.get", &given), None);
        let other = c.with_bot_token("u");
        assert_eq!(other.bot_token_for("imbot.v2.Bot.get", &Map::new()), Some("u"));
        assert_eq!(other.client_id(), Some("x"));
        assert_eq!(
            Client::webhook("http://h/rest/1/abc/").build().unwrap().bot_token_for("imbot.v2.Bot.get", &Map::new()),
            None
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_bucket_waits_past_the_burst() {
        let b = LeakyBucket::new(LocalLimit { drain_per_second: 2.0, burst: 3 });
        let t0 = tokio::time::Instant::now();
        for _ in 0..3 {
            b.acquire().await;
        }
        assert!(t0.elapsed() < Duration::from_millis(10));
        b.acquire().await;
        b.acquire().await;
        // Two more at 2/s: about one second.
        assert!(t0.elapsed() >= Duration::from_millis(900), "{:?}", t0.elapsed());
    }
}
