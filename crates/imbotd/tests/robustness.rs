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
