//! Politeness under the request limit: a server with a tiny bucket (1 request/s, burst 2) refuses a burst with
//! `503 QUERY_LIMIT_EXCEEDED` + `Retry-After`; the client waits and retries until every call succeeds, or with
//! a local leaky bucket never trips the limit at all.

use crate::common::Server;
use imbot_sdk::{Client, Error, LocalLimit, RetryPolicy};
use std::time::{Duration, Instant};

async fn burst(client: &Client, n: usize) -> Vec<imbot_sdk::Result<chrono::DateTime<chrono::FixedOffset>>> {
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.server_time().await })
        })
        .collect();
    let mut out = Vec::new();
    for c in calls {
        out.push(c.await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_burst_over_the_limit_is_retried_until_it_succeeds() {
    let server = Server::start_rate_limited(1.0, 2).await;

    // Without retries the server's limit shows: 503 QUERY_LIMIT_EXCEEDED.
    let impatient = Client::webhook(server.webhook_for(1, "im").await).retry(RetryPolicy::none()).build().unwrap();
    let results = burst(&impatient, 5).await;
    let refused: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(!refused.is_empty(), "the burst must trip the limit");
    for e in refused {
        assert!(matches!(e, Error::Api { code, status: 503, .. } if code == "QUERY_LIMIT_EXCEEDED"), "{e}");
    }

    // With the default policy (on another webhook: buckets are per webhook) every call gets through.
    let polite = Client::webhook(server.webhook_for(1, "im").await).build().unwrap();
    let t0 = Instant::now();
    let results = burst(&polite, 5).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // Two fit the burst, three more need about a second each.
    assert!(t0.elapsed() >= Duration::from_millis(1500), "{:?}", t0.elapsed());
    server.stop().await;
}

#[tokio::test]
async fn a_local_bucket_never_trips_the_limit() {
    let server = Server::start_rate_limited(1.0, 2).await;
    let client = Client::webhook(server.webhook_for(1, "im").await)
        .retry(RetryPolicy::none())
        .local_limit(LocalLimit { drain_per_second: 1.0, burst: 2 })
        .build()
        .unwrap();
    let t0 = Instant::now();
    let results = burst(&client, 4).await;
    assert!(results.iter().all(Result::is_ok), "no 503 although retries are off: {results:?}");
    assert!(t0.elapsed() >= Duration::from_millis(1500), "{:?}", t0.elapsed());
    server.stop().await;
}
