//! Shared helpers for the `messenger_*` tests: people with their own `im` webhooks talking over HTTP.
#![allow(dead_code)]

use crate::common::TestServer;
use imbotd::store::users::NewUser;
use serde_json::{json, Value};

pub type Resp = (u16, reqwest::header::HeaderMap, Value);

/// A user of the portal with a webhook of scope `im`.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    /// `http://…/rest/{id}/{code}/`
    pub hook: String,
}

impl Person {
    /// `DIALOG_ID` of the private dialog with this person.
    pub fn dialog(&self) -> String {
        self.id.to_string()
    }
}

/// A new intranet user with an `im` webhook.
pub async fn person(s: &TestServer, name: &str) -> Person {
    let id = s.add_user(name).await;
    Person { id, hook: s.webhook_for(id, "im").await }
}

/// A new extranet user with an `im` webhook.
pub async fn extranet_person(s: &TestServer, name: &str) -> Person {
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let id = s
        .add_user_with(NewUser {
            name: first.into(),
            last_name: last.into(),
            language_id: "en".into(),
            is_extranet: true,
            ..Default::default()
        })
        .await;
    Person { id, hook: s.webhook_for(id, "im").await }
}

/// Call `method` as `p` with a JSON body.
pub async fn call(s: &TestServer, p: &Person, method: &str, body: Value) -> Resp {
    s.post_json(&format!("{}{method}", p.hook), &body).await
}

/// Call `method` as `p` with a form-encoded body.
pub async fn call_form(s: &TestServer, p: &Person, method: &str, form: &str) -> Resp {
    s.post_form(&format!("{}{method}", p.hook), form).await
}

/// Call and expect `200`; returns `result`.
pub async fn ok(s: &TestServer, p: &Person, method: &str, body: Value) -> Value {
    let r = call(s, p, method, body.clone()).await;
    assert_eq!(r.0, 200, "{method} {body} → {}", r.2);
    assert!(r.2.get("error").is_none(), "{method} {body} → {}", r.2);
    r.2["result"].clone()
}

/// `im.message.add` to `dialog`; returns the message id.
pub async fn send(s: &TestServer, p: &Person, dialog: &str, text: &str) -> i64 {
    let r = ok(s, p, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": text})).await;
    r.as_i64().unwrap_or_else(|| panic!("im.message.add result is an int: {r}"))
}

/// `im.chat.add` with `body`; returns the chat id.
pub async fn new_chat(s: &TestServer, p: &Person, body: Value) -> i64 {
    let r = ok(s, p, "im.chat.add", body).await;
    r.as_i64().unwrap_or_else(|| panic!("im.chat.add result is an int: {r}"))
}

/// `im.dialog.messages.get` as `p`; returns `result`.
pub async fn history(s: &TestServer, p: &Person, body: Value) -> Value {
    ok(s, p, "im.dialog.messages.get", body).await
}

/// The messages of a history answer.
pub fn messages(h: &Value) -> &Vec<Value> {
    h["messages"].as_array().unwrap_or_else(|| panic!("messages is an array: {h}"))
}

/// The ids of a history answer's messages, in the order given.
pub fn message_ids(h: &Value) -> Vec<i64> {
    messages(h).iter().map(|m| m["id"].as_i64().expect("int id")).collect()
}

/// The message `id` as `p` sees it in `dialog` (walking the history back from the newest).
pub async fn message(s: &TestServer, p: &Person, dialog: &str, id: i64) -> Value {
    let mut h = history(s, p, json!({"DIALOG_ID": dialog, "LIMIT": 50})).await;
    loop {
        if let Some(m) = messages(&h).iter().find(|m| m["id"] == id) {
            return m.clone();
        }
        let oldest =
            message_ids(&h).into_iter().min().unwrap_or_else(|| panic!("message {id} in {dialog} as {}", p.id));
        h = history(s, p, json!({"DIALOG_ID": dialog, "LIMIT": 50, "LAST_ID": oldest})).await;
    }
}

/// The keys of an object, in order.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap_or_else(|| panic!("an object: {v}")).keys().cloned().collect()
}

/// A raw response body (text), for checks on the exact bytes.
pub async fn raw(s: &TestServer, p: &Person, method: &str, body: Value) -> (u16, String) {
    let r = s.client.post(format!("{}{method}", p.hook)).json(&body).send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

/// Open a second pool on the server's database (for setting state the API cannot set).
pub async fn db(s: &TestServer) -> sqlx::AnyPool {
    s.db_pool().await
}
