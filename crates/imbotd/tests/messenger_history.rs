//! `im.dialog.messages.get` paging over a long conversation: the default and maximum `LIMIT`, `LAST_ID` (older),
//! `FIRST_ID` (newer; wins over `LAST_ID`), complete walks in both directions, id errors, unknown ids, and the
//! `users` / `files` / `params` shapes.

mod common;
mod messenger_util;

use common::{assert_error, TestServer, USER_KEYS};
use messenger_util::*;
use serde_json::{json, Value};
use std::collections::HashSet;

const TOTAL: usize = 130;

/// Anna and Bob exchange `TOTAL` messages; returns them and the message ids, oldest first.
async fn conversation(s: &TestServer) -> (Person, Person, Vec<i64>) {
    let anna = person(s, "Anna Weber").await;
    let bob = person(s, "Bob Stone").await;
    let mut ids = Vec::with_capacity(TOTAL);
    for i in 0..TOTAL {
        let (from, to) = if i % 3 == 2 { (&bob, &anna) } else { (&anna, &bob) };
        ids.push(send(s, from, &to.dialog(), &format!("message {i}")).await);
    }
    (anna, bob, ids)
}

fn rev(ids: &[i64]) -> Vec<i64> {
    ids.iter().rev().copied().collect()
}

#[tokio::test]
async fn paging_limits_and_directions() {
    let s = TestServer::start().await;
    let (anna, bob, ids) = conversation(&s).await;
    let d = bob.dialog();
    let page = |body: Value| {
        let mut b = body;
        b["DIALOG_ID"] = json!(d.clone());
        b
    };

    // Default: the newest 20, newest first.
    let h = history(&s, &anna, page(json!({}))).await;
    assert_eq!(message_ids(&h), rev(&ids[TOTAL - 20..]));
    // LIMIT is honoured up to 50.
    let h = history(&s, &anna, page(json!({"LIMIT": 7}))).await;
    assert_eq!(message_ids(&h), rev(&ids[TOTAL - 7..]));
    let h = history(&s, &anna, page(json!({"LIMIT": "50"}))).await;
    assert_eq!(message_ids(&h).len(), 50);
    let h = history(&s, &anna, page(json!({"LIMIT": 100}))).await;
    assert_eq!(message_ids(&h), rev(&ids[TOTAL - 50..]), "LIMIT > 50 is capped at 50");
    for odd in [json!(0), json!(-4), json!("abc")] {
        let h = history(&s, &anna, page(json!({"LIMIT": odd}))).await;
        assert_eq!(message_ids(&h).len(), 20, "LIMIT {odd} → the default");
    }

    // LAST_ID: older than it, newest first.
    let h = history(&s, &anna, page(json!({"LAST_ID": ids[50]}))).await;
    assert_eq!(message_ids(&h), rev(&ids[30..50]));
    let h = history(&s, &anna, page(json!({"LAST_ID": ids[5], "LIMIT": 10}))).await;
    assert_eq!(message_ids(&h), rev(&ids[0..5]), "fewer than LIMIT left");
    let h = history(&s, &anna, page(json!({"LAST_ID": ids[0]}))).await;
    assert!(message_ids(&h).is_empty());

    // FIRST_ID: newer than it, oldest first (as Bitrix lists a FIRST_ID page).
    let h = history(&s, &anna, page(json!({"FIRST_ID": ids[50]}))).await;
    assert_eq!(message_ids(&h), ids[51..71]);
    let h = history(&s, &anna, page(json!({"FIRST_ID": ids[TOTAL - 3], "LIMIT": 10}))).await;
    assert_eq!(message_ids(&h), ids[TOTAL - 2..]);
    let h = history(&s, &anna, page(json!({"FIRST_ID": ids[TOTAL - 1]}))).await;
    assert!(message_ids(&h).is_empty());
    // FIRST_ID wins over LAST_ID.
    let h = history(&s, &anna, page(json!({"FIRST_ID": ids[10], "LAST_ID": ids[100], "LIMIT": 5}))).await;
    assert_eq!(message_ids(&h), ids[11..16]);
    // FIRST_ID=0 reads from the very beginning.
    let h = history(&s, &anna, page(json!({"FIRST_ID": 0, "LIMIT": 3}))).await;
    assert_eq!(message_ids(&h), ids[0..3]);
    // Numeric strings are numbers.
    let h = history(&s, &anna, page(json!({"LAST_ID": ids[50].to_string(), "LIMIT": "2"}))).await;
    assert_eq!(message_ids(&h), [ids[49], ids[48]]);

    // Both sides page the same history.
    let a = history(&s, &anna, page(json!({"LAST_ID": ids[90], "LIMIT": 30}))).await;
    let b = history(&s, &bob, json!({"DIALOG_ID": anna.dialog(), "LAST_ID": ids[90], "LIMIT": 30})).await;
    assert_eq!(message_ids(&a), message_ids(&b));
    s.stop().await;
}

#[tokio::test]
async fn walking_the_whole_history_both_ways() {
    let s = TestServer::start().await;
    let (anna, bob, ids) = conversation(&s).await;
    let d = bob.dialog();

    // Backwards: newest page, then LAST_ID = the smallest id received.
    let mut back = Vec::new();
    let mut h = history(&s, &anna, json!({"DIALOG_ID": d, "LIMIT": 50})).await;
    let mut pages = 0;
    while !messages(&h).is_empty() {
        pages += 1;
        let page = message_ids(&h);
        assert!(page.windows(2).all(|w| w[0] > w[1]), "newest first within a page: {page:?}");
        let min = *page.iter().min().unwrap();
        back.extend(page);
        h = history(&s, &anna, json!({"DIALOG_ID": d, "LIMIT": 50, "LAST_ID": min})).await;
    }
    assert_eq!(pages, 3);
    assert_eq!(back, rev(&ids), "every message once, no gaps");

    // Forwards: from the beginning, then FIRST_ID = the largest id received.
    let mut fwd = Vec::new();
    let mut h = history(&s, &bob, json!({"DIALOG_ID": anna.dialog(), "LIMIT": 37, "FIRST_ID": 0})).await;
    while !messages(&h).is_empty() {
        let page = message_ids(&h);
        let max = *page.iter().max().unwrap();
        fwd.extend(page);
        h = history(&s, &bob, json!({"DIALOG_ID": anna.dialog(), "LIMIT": 37, "FIRST_ID": max})).await;
    }
    assert_eq!(fwd, ids);
    assert_eq!(fwd.iter().collect::<HashSet<_>>().len(), TOTAL);

    // A newcomer message shows up when polling with FIRST_ID = the newest id seen.
    let last = *ids.last().unwrap();
    let new = send(&s, &bob, &anna.dialog(), "new").await;
    let h = history(&s, &anna, json!({"DIALOG_ID": d, "FIRST_ID": last})).await;
    assert_eq!(message_ids(&h), [new]);
    s.stop().await;
}

#[tokio::test]
async fn id_errors_and_unknown_ids() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let m = send(&s, &anna, &bob.dialog(), "one").await;
    let d = bob.dialog();

    for bad in [json!("abc"), json!("12a"), json!("1.5"), json!([1])] {
        let r = call(&s, &anna, "im.dialog.messages.get", json!({"DIALOG_ID": d, "FIRST_ID": bad})).await;
        assert_error(&r, 400, "FIRST_ID_STRING");
        let r = call(&s, &anna, "im.dialog.messages.get", json!({"DIALOG_ID": d, "LAST_ID": bad})).await;
        assert_error(&r, 400, "LAST_ID_STRING");
    }
    // A non-existent id: empty lists (the page), chat_id still given.
    let chat_id = history(&s, &anna, json!({"DIALOG_ID": d})).await["chat_id"].clone();
    for body in [json!({"DIALOG_ID": d, "LAST_ID": 999999}), json!({"DIALOG_ID": d, "FIRST_ID": 999999})] {
        let h = history(&s, &anna, body).await;
        assert_eq!(h, json!({"chat_id": chat_id, "messages": [], "users": [], "files": []}));
    }
    // An id of another chat is not an id of this one.
    let carl = person(&s, "Carl Diaz").await;
    let elsewhere = send(&s, &anna, &carl.dialog(), "elsewhere").await;
    assert!(elsewhere > m);
    let h = history(&s, &anna, json!({"DIALOG_ID": d, "LAST_ID": elsewhere})).await;
    assert_eq!(messages(&h).len(), 0);
    // An existing id works.
    let m2 = send(&s, &anna, &bob.dialog(), "two").await;
    let h = history(&s, &anna, json!({"DIALOG_ID": d, "LAST_ID": m2})).await;
    assert_eq!(message_ids(&h), [m]);
    // CHAT_ID is accepted instead of DIALOG_ID for group chats.
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let g = send(&s, &bob, &format!("chat{chat}"), "group").await;
    let r = call(&s, &anna, "im.dialog.messages.get", json!({"CHAT_ID": chat, "LIMIT": 1})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(message_ids(&r.2["result"]), [g]);
    s.stop().await;
}

#[tokio::test]
async fn users_files_and_params_shapes() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let m1 = send(&s, &anna, &bob.dialog(), "from Anna").await;
    let m2 = send(&s, &bob, &anna.dialog(), "from Bob").await;

    let h = history(&s, &anna, json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(h["files"], json!([]));
    let users = h["users"].as_array().unwrap();
    let mut ids: Vec<i64> = users.iter().map(|u| u["id"].as_i64().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, [anna.id, bob.id], "each author once");
    let b = users.iter().find(|u| u["id"] == bob.id).unwrap();
    for key in USER_KEYS {
        assert!(b.get(key).is_some(), "user key {key} in {b}");
    }
    assert_eq!(b["name"], "Bob Stone");
    assert_eq!(b["first_name"], "Bob");
    assert_eq!(b["last_name"], "Stone");
    assert_eq!(b["type"], "user");
    assert!(b["color"].as_str().unwrap().starts_with('#'));

    // Only the authors on the page.
    let h = history(&s, &anna, json!({"DIALOG_ID": bob.dialog(), "LIMIT": 1})).await;
    assert_eq!(message_ids(&h), [m2]);
    assert_eq!(h["users"].as_array().unwrap().len(), 1);
    assert_eq!(h["users"][0]["id"], bob.id);

    // Message dates are ISO 8601 with an offset; empty params are a PHP empty array on the wire.
    let h = history(&s, &anna, json!({"DIALOG_ID": bob.dialog()})).await;
    let date = messages(&h)[1]["date"].as_str().unwrap();
    let t = chrono::DateTime::parse_from_rfc3339(date).unwrap_or_else(|e| panic!("{date}: {e}"));
    assert!((t.timestamp() - s.now()).abs() < 60);
    assert_eq!(messages(&h)[1]["id"], m1);
    let (status, body) = raw(&s, &anna, "im.dialog.messages.get", json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"params\":[]"), "{body}");
    assert!(body.contains("\"files\":[]"), "{body}");
    assert!(body.contains("\"replaces\":[]"), "{body}");
    s.stop().await;
}
