//! Receiving events safely: verification, duplicate drop, and (feature `axum`) a ready [`router`].
//!
//! A [`Receiver`] checks, in this order, before anything reaches bot code:
//! 1. **Signature** (when signing secrets are configured): the Standard Webhooks headers `webhook-id`,
//!    `webhook-timestamp`, `webhook-signature` that imbotd adds (`imbotd app secret`). Several secrets may be
//!    configured during a rotation; a signature by any of them passes. The timestamp must be within the tolerance
//!    (default 5 minutes) of now. Verification uses imbot-wire's [`signature`](imbot_wire::signature) module, the
//!    same code that signs.
//! 2. **Body**: [`parse_event`].
//! 3. **`application_token`** (when tokens are configured): `auth[application_token]` must be one of them. It is
//!    what Bitrix24 itself offers: the token arrives with ONAPPINSTALL; for a v1 bot registered through a webhook
//!    it is the `CLIENT_ID` (imbotd and Bitrix24 alike); for a v2 bot registered through a webhook it is derived
//!    from its `botToken` — configure it with [`ReceiverConfig::bot_token`]. v2 bodies (`ONIMBOTV2*`) are
//!    checked the same way, against their top-level `auth[application_token]`, and handed over as
//!    [`Event::V2`].
//! 4. **Duplicates**: an event whose `webhook-id` was already accepted (imbotd retries with the same id; it
//!    delivers at least once) is reported as [`Received::Duplicate`]. The last `dedup_capacity` ids are kept.
//!
//! Bitrix24 cloud sends no signature and no `webhook-id`: configure only the application token there.

use crate::events::{Event, EventError, parse_event};
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The three Standard Webhooks headers of a delivery.
///
/// ```
/// use imbot_sdk::receiver::DeliveryHeaders;
/// let mut h = http::HeaderMap::new();
/// h.insert("webhook-id", "evt_1".parse().unwrap());
/// let d = DeliveryHeaders::from_headers(&h);
/// assert_eq!(d.id.as_deref(), Some("evt_1"));
/// assert!(d.signature.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeliveryHeaders {
    /// `webhook-id`: stable per event (the same on every retry).
    pub id: Option<String>,
    /// `webhook-timestamp`: unix seconds of this attempt.
    pub timestamp: Option<String>,
    /// `webhook-signature`: `v1,<base64>` entries separated by spaces.
    pub signature: Option<String>,
}

impl DeliveryHeaders {
    /// Reads them from an `http` header map.
    ///
    /// ```
    /// let d = imbot_sdk::receiver::DeliveryHeaders::from_headers(&http::HeaderMap::new());
    /// assert_eq!(d, Default::default());
    /// ```
    pub fn from_headers(h: &http::HeaderMap) -> Self {
        let get = |k: &str| h.get(k).and_then(|v| v.to_str().ok()).map(str::to_owned);
        DeliveryHeaders {
            id: get("webhook-id"),
            timestamp: get("webhook-timestamp"),
            signature: get("webhook-signature"),
        }
    }
}

/// What a [`Receiver`] accepts.
///
/// ```
/// use imbot_sdk::receiver::ReceiverConfig;
/// use std::time::Duration;
/// let c = ReceiverConfig::new()
///     .application_token("831c76b092f9f135d9b6b36c3a720757")
///     .signing_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
///     .unwrap()
///     .tolerance(Duration::from_secs(60))
///     .dedup_capacity(10_000);
/// # let _ = c;
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ReceiverConfig {
    tokens: Vec<String>,
    keys: Vec<Vec<u8>>,
    tolerance: Duration,
    dedup_capacity: usize,
}

impl Default for ReceiverConfig {
    fn default() -> Self {
        ReceiverConfig {
            tokens: Vec::new(),
            keys: Vec::new(),
            tolerance: Duration::from_secs(300),
            dedup_capacity: 4096,
        }
    }
}

impl ReceiverConfig {
    /// Accept everything that parses (no token, no signature), drop duplicates among the last 4096 ids.
    ///
    /// ```
    /// let c = imbot_sdk::receiver::ReceiverConfig::new();
    /// # let _ = c;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Require `auth[application_token]` to be `token` (call again to accept several).
    ///
    /// ```
    /// let c = imbot_sdk::receiver::ReceiverConfig::new().application_token("echo_bot");
    /// # let _ = c;
    /// ```
    pub fn application_token(mut self, token: impl Into<String>) -> Self {
        self.tokens.push(token.into());
        self
    }

    /// Accept the events of v2 bots registered through a webhook with `bot_token`: their
    /// `auth[application_token]` is the first 32 hex digits of SHA-256 of the token (docs/v2.md §9 A12,
    /// [`synthetic_application_token`](imbot_wire::v2::events::synthetic_application_token)). Call again to
    /// accept several bots, or the old and the new token during a rotation.
    ///
    /// ```
    /// use imbot_sdk::receiver::{Receiver, ReceiverConfig};
    /// let r = Receiver::new(ReceiverConfig::new().bot_token("push-token"));
    /// let token = imbot_sdk::imbot_wire::v2::events::synthetic_application_token("push-token");
    /// let body = format!("event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=5&auth%5Bapplication_token%5D={token}");
    /// assert!(r.receive(&http::HeaderMap::new(), body.as_bytes()).is_ok());
    /// assert!(r.receive(&http::HeaderMap::new(), b"event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=5&auth%5Bapplication_token%5D=push-token").is_err());
    /// ```
    pub fn bot_token(self, bot_token: &str) -> Self {
        self.application_token(imbot_wire::v2::events::synthetic_application_token(bot_token))
    }

    /// Require a Standard Webhooks signature by `secret` (`whsec_<base64>`) — or by any other secret added the
    /// same way, so an old and a new secret both pass during a rotation.
    ///
    /// Fails with [`Error::Invalid`](crate::Error::Invalid) when the secret is not base64.
    ///
    /// ```
    /// let c = imbot_sdk::receiver::ReceiverConfig::new()
    ///     .signing_secret("whsec_b2xkIHNlY3JldA==")
    ///     .unwrap()
    ///     .signing_secret("whsec_bmV3IHNlY3JldA==")
    ///     .unwrap();
    /// assert!(imbot_sdk::receiver::ReceiverConfig::new().signing_secret("whsec_!!").is_err());
    /// ```
    pub fn signing_secret(mut self, secret: &str) -> crate::Result<Self> {
        let key = imbot_wire::signature::decode_secret(secret)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| crate::Error::Invalid("a signing secret must be whsec_ followed by base64".into()))?;
        self.keys.push(key);
        Ok(self)
    }

    /// How far `webhook-timestamp` may be from now (default 5 minutes).
    ///
    /// ```
    /// let c = imbot_sdk::receiver::ReceiverConfig::new().tolerance(std::time::Duration::from_secs(30));
    /// # let _ = c;
    /// ```
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// How many delivery ids are remembered to drop duplicates (default 4096; 0 turns it off).
    ///
    /// ```
    /// let c = imbot_sdk::receiver::ReceiverConfig::new().dedup_capacity(0);
    /// # let _ = c;
    /// ```
    pub fn dedup_capacity(mut self, n: usize) -> Self {
        self.dedup_capacity = n;
        self
    }
}

/// What [`Receiver::receive`] accepted.
///
/// ```
/// use imbot_sdk::receiver::{Receiver, ReceiverConfig, Received};
/// let r = Receiver::new(ReceiverConfig::new());
/// let got = r.receive(&http::HeaderMap::new(), b"event=ONAPPTEST").unwrap();
/// assert!(matches!(got, Received::Event(_)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// A new, verified event.
    Event(Box<Event>),
    /// An event whose `webhook-id` was accepted before: answer 200 and do nothing.
    Duplicate {
        /// The `webhook-id`.
        id: String,
    },
}

/// The last N delivery ids, oldest first.
#[derive(Debug, Default)]
struct Seen {
    order: VecDeque<String>,
    set: HashSet<String>,
}

impl Seen {
    /// Records `id`; `false` when it was already there.
    fn insert(&mut self, id: &str, capacity: usize) -> bool {
        if capacity == 0 {
            return true;
        }
        if self.set.contains(id) {
            return false;
        }
        while self.order.len() >= capacity {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        self.order.push_back(id.to_owned());
        self.set.insert(id.to_owned());
        true
    }
}

/// Verifies, parses and de-duplicates event deliveries (see the [module docs](self)). Cheap to clone; clones
/// share the duplicate memory.
///
/// ```
/// use imbot_sdk::receiver::{Receiver, ReceiverConfig};
/// let r = Receiver::new(ReceiverConfig::new().application_token("t"));
/// let ok = r.receive(&http::HeaderMap::new(), b"event=ONAPPTEST&auth%5Bapplication_token%5D=t");
/// assert!(ok.is_ok());
/// let forged = r.receive(&http::HeaderMap::new(), b"event=ONAPPTEST&auth%5Bapplication_token%5D=x");
/// assert!(forged.is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Receiver {
    config: Arc<ReceiverConfig>,
    seen: Arc<Mutex<Seen>>,
}

impl Receiver {
    /// A receiver with `config`.
    ///
    /// ```
    /// let r = imbot_sdk::receiver::Receiver::new(imbot_sdk::receiver::ReceiverConfig::new());
    /// # let _ = r;
    /// ```
    pub fn new(config: ReceiverConfig) -> Self {
        Receiver { config: Arc::new(config), seen: Arc::new(Mutex::new(Seen::default())) }
    }

    /// Checks and parses one delivery (`headers` as received, `body` the raw bytes), now.
    ///
    /// ```
    /// # let r = imbot_sdk::receiver::Receiver::new(imbot_sdk::receiver::ReceiverConfig::new());
    /// assert!(r.receive(&http::HeaderMap::new(), b"not an event").is_err());
    /// ```
    pub fn receive(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<Received, EventError> {
        self.receive_at(&DeliveryHeaders::from_headers(headers), body, crate::client::unix_now())
    }

    /// Like [`Receiver::receive`] with the headers already read and an explicit clock (unix seconds), for other
    /// frameworks and for tests.
    ///
    /// ```
    /// use imbot_sdk::receiver::{DeliveryHeaders, Receiver, ReceiverConfig, Received};
    /// let r = Receiver::new(ReceiverConfig::new());
    /// let h = DeliveryHeaders { id: Some("e1".into()), ..Default::default() };
    /// assert!(matches!(r.receive_at(&h, b"event=ONAPPTEST", 0).unwrap(), Received::Event(_)));
    /// assert!(matches!(r.receive_at(&h, b"event=ONAPPTEST", 0).unwrap(), Received::Duplicate { .. }));
    /// ```
    pub fn receive_at(&self, headers: &DeliveryHeaders, body: &[u8], now: i64) -> Result<Received, EventError> {
        if !self.config.keys.is_empty() {
            self.verify_signature(headers, body, now)?;
        }
        let event = parse_event(body)?;
        if !self.config.tokens.is_empty() {
            let token = event.application_token().ok_or(EventError::ApplicationToken)?;
            if !self.config.tokens.iter().any(|t| constant_time_eq(t.as_bytes(), token.as_bytes())) {
                return Err(EventError::ApplicationToken);
            }
        }
        if let Some(id) = headers.id.as_deref().filter(|id| !id.is_empty()) {
            let fresh = self.seen.lock().expect("dedup lock").insert(id, self.config.dedup_capacity);
            if !fresh {
                return Ok(Received::Duplicate { id: id.to_owned() });
            }
        }
        Ok(Received::Event(Box::new(event)))
    }

    fn verify_signature(&self, h: &DeliveryHeaders, body: &[u8], now: i64) -> Result<(), EventError> {
        let missing = |k: &str| EventError::Signature(format!("no {k} header"));
        let id = h.id.as_deref().ok_or_else(|| missing("webhook-id"))?;
        let ts = h.timestamp.as_deref().ok_or_else(|| missing("webhook-timestamp"))?;
        let sig = h.signature.as_deref().ok_or_else(|| missing("webhook-signature"))?;
        let ts: i64 =
            ts.trim().parse().map_err(|_| EventError::Signature("webhook-timestamp is not a number".into()))?;
        let tolerance = i64::try_from(self.config.tolerance.as_secs()).unwrap_or(i64::MAX);
        if (now - ts).abs() > tolerance {
            return Err(EventError::Signature(format!("webhook-timestamp {ts} is too far from now ({now})")));
        }
        let ok =
            self.config.keys.iter().any(|key| imbot_wire::signature::verify(key, id, ts, body, sig, now, tolerance));
        if ok { Ok(()) } else { Err(EventError::Signature("no signature matches a configured secret".into())) }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(feature = "axum")]
pub use router::router;

#[cfg(feature = "axum")]
mod router {
    use super::{Received, Receiver};
    use crate::client::Client;
    use crate::events::{Event, EventError};
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use std::future::Future;
    use std::sync::Arc;

    type Handler = dyn Fn(Event, Client) -> crate::client::BoxFuture<'static, crate::Result<()>> + Send + Sync;

    #[derive(Clone)]
    struct Ctx {
        receiver: Receiver,
        client: Client,
        handler: Arc<Handler>,
    }

    /// An `axum` [`Router`](axum::Router) that receives events on `POST` at any path: it verifies each delivery
    /// with `receiver`, answers at once — `200` for an event (also a duplicate), `401` for a wrong application
    /// token or signature, `400` for a body that is not an event — and runs `handler(event, client)` in a task
    /// of its own. A handler error is logged (`tracing`, target `imbot_sdk`), not sent back: the event was
    /// received.
    ///
    /// ```no_run
    /// use imbot_sdk::receiver::{Receiver, ReceiverConfig, router};
    /// use imbot_sdk::{Client, Event};
    ///
    /// # async fn run() -> imbot_sdk::Result<()> {
    /// let client = Client::webhook("https://portal.bitrix24.com/rest/1/abc/").client_id("echo").build()?;
    /// let receiver = Receiver::new(ReceiverConfig::new().application_token("echo"));
    /// let app = router(receiver, client, |event: Event, client: Client| async move {
    ///     println!("{} from {:?}", event.name(), event.auth().and_then(|a| a.domain.clone()));
    ///     let _ = client;
    ///     Ok(())
    /// });
    /// let listener = tokio::net::TcpListener::bind("0.0.0.0:8090").await.map_err(imbot_sdk::Error::other)?;
    /// axum::serve(listener, app).await.map_err(imbot_sdk::Error::other)?;
    /// # Ok(()) }
    /// ```
    pub fn router<H, Fut>(receiver: Receiver, client: Client, handler: H) -> axum::Router
    where
        H: Fn(Event, Client) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = crate::Result<()>> + Send + 'static,
    {
        let handler: Arc<Handler> = Arc::new(move |e, c| Box::pin(handler(e, c)));
        let ctx = Ctx { receiver, client, handler };
        axum::Router::new().route("/", post(handle)).route("/{*path}", post(handle)).with_state(ctx)
    }

    async fn handle(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> (StatusCode, &'static str) {
        match ctx.receiver.receive(&headers, &body) {
            Ok(Received::Event(event)) => {
                let (handler, client) = (ctx.handler.clone(), ctx.client.clone());
                tokio::spawn(async move {
                    let name = event.name().to_owned();
                    if let Err(e) = handler(*event, client).await {
                        tracing::warn!(target: "imbot_sdk", event = %name, error = %e, "event handler failed");
                    }
                });
                (StatusCode::OK, "ok")
            }
            Ok(Received::Duplicate { id }) => {
                tracing::debug!(target: "imbot_sdk", %id, "duplicate delivery dropped");
                (StatusCode::OK, "duplicate")
            }
            Err(e @ (EventError::ApplicationToken | EventError::Signature(_))) => {
                tracing::warn!(target: "imbot_sdk", error = %e, "event refused");
                (StatusCode::UNAUTHORIZED, "unauthorized")
            }
            Err(e) => {
                tracing::warn!(target: "imbot_sdk", error = %e, "not an event");
                (StatusCode::BAD_REQUEST, "bad request")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_is_bounded() {
        let mut s = Seen::default();
        assert!(s.insert("a", 2) && s.insert("b", 2));
        assert!(!s.insert("a", 2));
        assert!(s.insert("c", 2)); // evicts a
        assert!(s.insert("a", 2));
        assert_eq!(s.order.len(), 2);
        assert!(s.insert("x", 0) && s.insert("x", 0));
    }
}
