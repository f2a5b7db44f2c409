//! Every method, called with hostile or nonsensical parameters, answers a Bitrix-shaped JSON result or error —
//! never a 500, never a panic, never a non-JSON body.

mod common;

use common::TestServer;
use serde_json::{json, Value};

fn hostile_bodies() -> Vec<Value> {
    let long = "x".repeat(70_000);
    vec![
        json!({}),
        json!({"ID": -1, "BOT_ID": -5, "CHAT_ID": 0, "MESSAGE_ID": "abc", "DIALOG_ID": "chat-1", "USER_ID": [1, 2]}),
        json!({"ID": 9_223_372_036_854_775_807u64, "BOT_ID": 1e300, "CHAT_ID": "99999999999999999999999", "MESSAGE_ID": 1.5}),
        json!({"DIALOG_ID": {"a": 1}, "MESSAGE": ["not", "a", "string"], "KEYBOARD": 5, "ATTACH": true, "MENU": {"ITEMS": "x"}}),
        json!({"DIALOG_ID": "1", "MESSAGE": long, "FIELDS": "not an object", "LANG": "{", "USERS": {"x": {"y": []}}}),
        json!({"CODE": "\u{0}\u{202e}", "EVENT_HANDLER": "javascript:alert(1)", "PROPERTIES": [1, 2], "COMMAND": "/", "cmd": 7, "halt": {}}),
        json!({"FILTER": {">=ID": [[]], "%NAME": null}, "SORT": ["ID"], "ORDER": {"": ""}, "start": "-9", "LIMIT": -100, "FIRST_ID": "", "LAST_ID": [1]}),
        json!({"STATUS": 1, "URL": ["u"], "SINCE": "yesterday", "ENTITY_TYPE": [], "ENTITY_ID": {}, "TITLE": "   ", "COLOR": "#zzz"}),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_method_answers_garbage_with_json_and_never_500() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let names: Vec<&str> = imbotd::methods::registry().iter().map(|m| m.name).collect();
    let expected = names.len() * (hostile_bodies().len() * 2 + 1);
    assert!(names.len() > 50, "{}", names.len());
    let mut calls = 0;
    for name in names {
        for body in hostile_bodies() {
            for with_client in [false, true] {
                let mut body = body.clone();
                if with_client {
                    body["CLIENT_ID"] = json!("robust");
                }
                let r = s.client.post(format!("{hook}{name}")).json(&body).send().await.expect("an answer");
                let status = r.status().as_u16();
                let text = r.text().await.expect("a body");
                let v: Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} {body}: not JSON ({e}): {text}"));
                assert_ne!(status, 500, "{name} with {body} → {v}");
                if status == 200 {
                    assert!(v.get("result").is_some() && v.get("time").is_some(), "{name}: {v}");
                } else {
                    assert!(v["error"].is_string() && v["error_description"].is_string(), "{name}: {v}");
                }
                calls += 1;
            }
        }
        // Form-encoded nonsense too.
        let r = s
            .client
            .post(format!("{hook}{name}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("a[b][c][d]=1&%ZZ=%&&=&[]=x&KEYBOARD[0][TEXT]=&ATTACH[][MESSAGE][]=1&DIALOG_ID[]=1")
            .send()
            .await
            .expect("an answer");
        assert_ne!(r.status().as_u16(), 500, "{name} with a form");
        calls += 1;
    }
    assert_eq!(calls, expected);
}

/// Slow-loris: a client that never finishes its headers is disconnected after `header_timeout`, and a body
/// that trickles in slower than `body_timeout` gets 400; the server keeps answering others meanwhile.
#[tokio::test]
async fn slow_clients_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start_with(|c| {
        c.header_timeout = 1;
        c.body_timeout = 1;
    })
    .await;
    let addr = s.http.trim_start_matches("http://").to_owned();
    let hook = s.webhook().await;

    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"POST /rest/server.time HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let t0 = std::time::Instant::now();
    // Others are served while it dawdles.
    let r = s.get(&format!("{hook}server.time")).await;
    assert_eq!(r.0, 200);
    let mut buf = Vec::new();
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), slow.read_to_end(&mut buf))
        .await
        .expect("the server closes the connection")
        .unwrap_or(0);
    let waited = t0.elapsed();
    assert!(waited >= std::time::Duration::from_millis(900), "not before the timeout: {waited:?}");
    let text = String::from_utf8_lossy(&buf[..n.min(buf.len())]).to_string();
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text:?}");

    let mut trickle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let path = format!("{}server.time", hook.trim_start_matches(&s.http));
    let head =
        format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{");
    trickle.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let mut chunk = [0u8; 1024];
        loop {
            match trickle.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    if buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.ends_with(b"}") {
                        break;
                    }
                }
            }
        }
    })
    .await
    .expect("an answer within the body timeout");
    let text = String::from_utf8_lossy(&buf).to_string();
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(text.contains("INVALID_REQUEST") && text.contains("did not arrive within 1 s"), "{text}");
}
