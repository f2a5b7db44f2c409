//! The delivery log over REST (`imbotd.delivery.*`): a bot's developer sees every attempt of their events and
//! replays any of them; other apps see nothing of it.

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn developers_see_their_attempts_and_replay_them() {
    let s = TestServer::start_with(|c| {
        c.delivery_retry_schedule = vec![3600];
        c.delivery_jitter = 0.0;
    })
    .await;
    let h = Handler::start().await;
    h.set_status(500);
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "logged", "B", &h.url("/hook")).await;
    person(&s, "Anna Weber").await.send(&s, bot, "hello").await;
    h.wait_requests(1).await;
    let until = std::time::Instant::now() + WAIT;
    let list = loop {
        let l = api.ok(&s, "imbotd.delivery.list", json!({})).await;
        if l.as_array().unwrap().iter().any(|e| e["attempts"] == 1) {
            break l;
        }
        assert!(std::time::Instant::now() < until, "{l}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let failing = list.as_array().unwrap().iter().find(|e| e["attempts"] == 1).unwrap().clone();
    assert_eq!(failing["status"], "pending");
    assert_eq!(failing["handler_url"], h.url("/hook"));
    let id = failing["id"].as_i64().unwrap();
    let got = api.ok(&s, "imbotd.delivery.get", json!({"ID": id})).await;
    assert_eq!(got["log"][0]["http_status"], 500);
    assert_eq!(got["log"][0]["response"], "ok");
    assert!(got["log"][0]["next_attempt_at"].as_i64().unwrap() >= s.now() + 3500);
    let filtered = api.ok(&s, "imbotd.delivery.list", json!({"STATUS": "delivered"})).await;
    assert!(filtered.as_array().unwrap().iter().all(|e| e["status"] == "delivered"));
    let status = api.ok(&s, "imbotd.delivery.status", json!({})).await;
    assert_eq!(status[0]["url"], h.url("/hook"));
    assert!(status[0]["last_error"].as_str().unwrap().contains("500"));

    // Another app sees none of it.
    let other = Api::oauth(&s, 1).await;
    assert_eq!(other.ok(&s, "imbotd.delivery.list", json!({})).await, json!([]));
    assert_error(&other.call(&s, "imbotd.delivery.get", json!({"ID": id})).await, 400, "ERROR_ARGUMENT");
    assert_error(&other.call(&s, "imbotd.delivery.resend", json!({"ID": id})).await, 400, "ERROR_ARGUMENT");
    assert_error(&other.call(&s, "imbotd.delivery.ping", json!({"URL": h.url("/hook")})).await, 400, "ERROR_ARGUMENT");
    // The administrator's webhook without CLIENT_ID sees everything; a plain user's does not.
    let admin = s.webhook_for(1, "imbot").await;
    let all = s.post_json(&format!("{admin}imbotd.delivery.list"), &json!({})).await;
    assert!(all.2["result"].as_array().unwrap().iter().any(|e| e["id"] == id), "{}", all.2);
    let boris = s.add_user("Boris Ivanov").await;
    let plain = s.webhook_for(boris, "imbot").await;
    assert_error(&s.post_json(&format!("{plain}imbotd.delivery.list"), &json!({})).await, 403, "ACCESS_DENIED");

    // The handler is fixed: ping sends the held events now, and a delivered one can be replayed.
    h.set_status(200);
    let n = api.ok(&s, "imbotd.delivery.ping", json!({"URL": h.url("/hook")})).await;
    assert!(n.as_i64().unwrap() >= 1, "{n}");
    h.wait_event("ONIMBOTMESSAGEADD").await;
    drained(&s).await;
    let before = h.requests().len();
    assert_eq!(api.ok(&s, "imbotd.delivery.resend", json!({"ID": id})).await, json!(true));
    h.wait_requests(before + 1).await;
    let again = &h.requests()[before];
    assert_eq!(again.header("x-imbotd-delivery-id").unwrap(), h.requests()[0].header("x-imbotd-delivery-id").unwrap());
    let bad: Value = api.call(&s, "imbotd.delivery.list", json!({"STATUS": "lost"})).await.2;
    assert_eq!(bad["error"], "ERROR_ARGUMENT");
}
