//! Request limits against the real server (SPEC-NOTES §1.4, COMPAT R11): the leaky bucket per credential
//! (`503 QUERY_LIMIT_EXCEEDED` + `Retry-After`, a batch counts once) and the per-method operating-time budget
//! (`429 OPERATION_TIME_LIMIT`, reported in `time.operating`).

mod common;
use common::{assert_error, TestServer};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn bucket_refuses_the_request_over_the_burst_with_503_and_retry_after() {
    let s = TestServer::start_with(TestServer::config_rate_limited(2.0, 5)).await;
    let hook = s.webhook().await;
    let other = s.webhook().await;
    for i in 0..5 {
        let resp = s.get(&format!("{hook}server.time")).await;
        assert_eq!(resp.0, 200, "call {i}: {}", resp.2);
    }
    let resp = s.get(&format!("{hook}profile")).await;
    assert_error(&resp, 503, "QUERY_LIMIT_EXCEEDED");
    assert_eq!(resp.2["error_description"], "Too many requests");
    let retry: u64 = resp.1["retry-after"].to_str().unwrap().parse().expect("Retry-After is whole seconds");
    assert!((1..=3).contains(&retry), "Retry-After {retry}");
    // Refused requests don't fill the bucket further, and the refusal applies to every method.
    assert_error(
        &s.post_json(&format!("{hook}batch"), &json!({"cmd": ["server.time"]})).await,
        503,
        "QUERY_LIMIT_EXCEEDED",
    );
    // Another webhook has its own bucket.
    for _ in 0..5 {
        assert_eq!(s.get(&format!("{other}server.time")).await.0, 200);
    }
    assert_error(&s.get(&format!("{other}server.time")).await, 503, "QUERY_LIMIT_EXCEEDED");
    // The bucket drains at 2/s: after 1 s two more fit, not three.
    s.clock.advance(Duration::from_secs(1));
    assert_eq!(s.get(&format!("{hook}server.time")).await.0, 200);
    assert_eq!(s.get(&format!("{hook}server.time")).await.0, 200);
    assert_error(&s.get(&format!("{hook}server.time")).await, 503, "QUERY_LIMIT_EXCEEDED");
    // Fully drained after a while: a whole burst again.
    s.clock.advance(Duration::from_secs(10));
    for i in 0..5 {
        assert_eq!(s.get(&format!("{hook}server.time")).await.0, 200, "call {i} after draining");
    }
    s.stop().await;
}

#[tokio::test]
async fn oauth_apps_have_their_own_bucket_and_auth_errors_are_not_counted() {
    let s = TestServer::start_with(TestServer::config_rate_limited(2.0, 5)).await;
    let hook = s.webhook().await;
    let app = s.oauth_app(1, "user", 3600).await;
    for _ in 0..5 {
        assert_eq!(s.get(&format!("{hook}server.time")).await.0, 200);
    }
    assert_error(&s.get(&format!("{hook}server.time")).await, 503, "QUERY_LIMIT_EXCEEDED");
    let url = format!("{}/rest/profile", s.http);
    for _ in 0..5 {
        assert_eq!(s.post_json(&url, &json!({"auth": app.access_token})).await.0, 200);
    }
    assert_error(&s.post_json(&url, &json!({"auth": app.access_token})).await, 503, "QUERY_LIMIT_EXCEEDED");
    // Wrong credentials are answered 401, never 503.
    for _ in 0..10 {
        assert_error(&s.get(&format!("{}/rest/1/wrong/profile", s.http)).await, 401, "NO_AUTH_FOUND");
    }
    s.stop().await;
}

#[tokio::test]
async fn a_batch_counts_as_one_request() {
    let s = TestServer::start_with(TestServer::config_rate_limited(2.0, 5)).await;
    let hook = s.webhook().await;
    let ten: Vec<&str> = vec!["server.time"; 10];
    let resp = s.post_json(&format!("{hook}batch"), &json!({"cmd": ten})).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    assert_eq!(resp.2["result"]["result"].as_array().unwrap().len(), 10);
    assert_eq!(resp.2["result"]["result_error"], json!([]), "sub-calls are not rate limited");
    // 1 used by the batch: 4 more fit, the 6th request is refused.
    for i in 0..4 {
        assert_eq!(s.get(&format!("{hook}profile")).await.0, 200, "call {i}");
    }
    assert_error(&s.get(&format!("{hook}profile")).await, 503, "QUERY_LIMIT_EXCEEDED");
    s.stop().await;
}

#[tokio::test]
async fn operating_limit_blocks_one_method_for_ten_minutes() {
    let s = TestServer::start_with(|c| c.operating_limit = 0.000_001).await;
    let hook = s.webhook().await;
    let other = s.webhook().await;
    // profile reads the database: well over a microsecond per call.
    let mut blocked = None;
    for i in 0..5 {
        let resp = s.get(&format!("{hook}profile")).await;
        if resp.0 != 200 {
            blocked = Some((i, resp));
            break;
        }
    }
    let (calls, resp) = blocked.expect("profile gets blocked");
    assert!(calls >= 1, "the first call runs: the budget is checked before a call");
    assert_error(&resp, 429, "OPERATION_TIME_LIMIT");
    // Still blocked, for this method only and this webhook only.
    assert_error(&s.post_json(&format!("{hook}profile"), &json!({})).await, 429, "OPERATION_TIME_LIMIT");
    let resp = s.get(&format!("{hook}user.current")).await;
    assert_eq!(resp.0, 200, "another method still works: {}", resp.2);
    assert_eq!(s.get(&format!("{other}profile")).await.0, 200, "another webhook still works");
    // Inside batch the blocked method fails alone. The outer batch itself is not counted (SPEC-NOTES §1.4), so
    // batch keeps working however often it is called.
    let resp = s.post_json(&format!("{hook}batch"), &json!({"cmd": {"p": "profile", "t": "server.time"}})).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    assert_eq!(resp.2["result"]["result_error"]["p"]["error"], "OPERATION_TIME_LIMIT");
    assert!(resp.2["result"]["result"]["t"].is_string(), "{}", resp.2);
    for _ in 0..3 {
        let resp = s.post_json(&format!("{hook}batch"), &json!({"cmd": {"p": "profile"}})).await;
        assert_eq!(resp.0, 200, "{}", resp.2);
        assert_eq!(resp.2["result"]["result_error"]["p"]["error"], "OPERATION_TIME_LIMIT");
    }
    // 11 minutes later the 10-minute window has moved on.
    s.clock.advance(Duration::from_secs(11 * 60));
    let resp = s.get(&format!("{hook}profile")).await;
    assert_eq!(resp.0, 200, "recovered: {}", resp.2);
    s.stop().await;
}

#[tokio::test]
async fn operating_time_accumulates_per_method() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let mut last = -1.0;
    let mut reset_at = None;
    for i in 0..4 {
        let resp = s.get(&format!("{hook}user.get")).await;
        assert_eq!(resp.0, 200);
        let t = &resp.2["time"];
        let op = t["operating"].as_f64().expect("operating is a number");
        assert!(op > last, "call {i}: operating {op} after {last}");
        assert!(op >= t["processing"].as_f64().unwrap() - 1e-9, "operating includes this call's processing: {t}");
        last = op;
        let r = t["operating_reset_at"].as_i64().unwrap();
        assert!(r > s.now() && r <= s.now() + 600, "{t}");
        assert_eq!(*reset_at.get_or_insert(r), r, "the oldest basket decides the reset time");
    }
    // Another method has its own account: its first call's operating is that call's own processing.
    let first_of_its_account = |t: &serde_json::Value| {
        let (op, processing) = (t["operating"].as_f64().unwrap(), t["processing"].as_f64().unwrap());
        assert!((op - processing).abs() < 1e-6, "{t}");
    };
    first_of_its_account(&s.get(&format!("{hook}profile")).await.2["time"]);
    // After the window the account starts over.
    s.clock.advance(Duration::from_secs(11 * 60));
    first_of_its_account(&s.get(&format!("{hook}user.get")).await.2["time"]);
    s.stop().await;
}
