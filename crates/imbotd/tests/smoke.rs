//! The first thing a newcomer does: call a method through a webhook, over HTTP and HTTPS.

mod common;
use common::TestServer;
use serde_json::json;

#[tokio::test]
async fn server_time_over_http_and_https() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let (status, headers, body) = s.post_json(&format!("{hook}server.time"), &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    assert!(body["result"].as_str().unwrap().ends_with("+00:00"));
    let https_hook = hook.replace(&s.http, &s.https);
    let (status, _, body) = s.get(&format!("{https_hook}profile")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["ID"], "1");
    assert_eq!(body["result"]["ADMIN"], true);
    s.stop().await;
}
