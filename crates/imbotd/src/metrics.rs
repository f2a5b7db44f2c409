//! Prometheus metrics: requests by method and status, and a latency histogram by method.
//!
//! Method labels are bounded: names that are not registered methods are counted as `unknown`, so a client
//! sending random method names cannot blow up the label set.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct MethodLabel {
    pub method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    /// delivered | http_error | timeout | unreachable | refused
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabel {
    /// pending | sending | delivered | failed (dead letters)
    pub status: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<MethodLabel, Histogram>,
    delivery_attempts: Family<OutcomeLabel, Counter>,
    delivery_latency: Histogram,
    outbox_events: Family<StatusLabel, Gauge>,
    handler_pending: Family<HandlerLabel, Gauge>,
    offline_events: Gauge,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HandlerLabel {
    /// The handler URL without its query string (which may carry a CLIENT_ID or other secrets).
    pub handler: String,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

fn new_histogram() -> Histogram {
    Histogram::new([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0].into_iter())
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("imbotd");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<MethodLabel, Histogram>::new_with_constructor(new_histogram as fn() -> Histogram);
        registry.register("rest_requests", "REST calls by method and HTTP status", requests.clone());
        registry.register("rest_request_duration_seconds", "REST call latency by method", latency.clone());
        let delivery_attempts = Family::<OutcomeLabel, Counter>::default();
        let delivery_latency = new_histogram();
        let outbox_events = Family::<StatusLabel, Gauge>::default();
        registry.register("delivery_attempts", "Event delivery attempts by outcome", delivery_attempts.clone());
        registry.register("delivery_duration_seconds", "Event delivery attempt latency", delivery_latency.clone());
        registry.register(
            "outbox_events",
            "Events in the outbox by status (failed = dead letters)",
            outbox_events.clone(),
        );
        let handler_pending = Family::<HandlerLabel, Gauge>::default();
        registry.register(
            "handler_pending_events",
            "Events waiting for (or being sent to) each handler",
            handler_pending.clone(),
        );
        let offline_events = Gauge::default();
        registry.register(
            "offline_events",
            "Events in the offline queue (event.offline.*), reserved ones included",
            offline_events.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            delivery_attempts,
            delivery_latency,
            outbox_events,
            handler_pending,
            offline_events,
        }
    }
}

impl Metrics {
    pub fn observe(&self, method: &str, status: u16, seconds: f64) {
        self.requests.get_or_create(&RequestLabels { method: method.to_owned(), status }).inc();
        self.latency.get_or_create(&MethodLabel { method: method.to_owned() }).observe(seconds);
    }

    /// One delivery attempt finished.
    pub fn observe_delivery(&self, outcome: &str, seconds: f64) {
        self.delivery_attempts.get_or_create(&OutcomeLabel { outcome: outcome.to_owned() }).inc();
        self.delivery_latency.observe(seconds);
    }

    /// The outbox's current size by status (set at scrape time).
    pub fn set_outbox(&self, status: &str, count: i64) {
        self.outbox_events.get_or_create(&StatusLabel { status: status.to_owned() }).set(count);
    }

    /// Pending events per handler (set at scrape time; handlers with none are dropped).
    pub fn set_handler_pending(&self, per_handler: &[(String, i64)]) {
        self.handler_pending.clear();
        for (url, n) in per_handler {
            let handler = match url::Url::parse(url) {
                Ok(mut u) => {
                    u.set_query(None);
                    u.set_fragment(None);
                    let _ = u.set_password(None);
                    let _ = u.set_username("");
                    u.to_string()
                }
                Err(_) => "invalid-url".to_owned(),
            };
            self.handler_pending.get_or_create(&HandlerLabel { handler }).inc_by(*n);
        }
    }

    pub fn set_offline_events(&self, n: i64) {
        self.offline_events.set(n);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}
