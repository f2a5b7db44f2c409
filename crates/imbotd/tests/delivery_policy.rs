//! Outbound safety of handler URLs: refused at registration with the setting to change named, and again when
//! the worker connects.

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use imbotd::delivery::policy::{Mode, Policy};
use serde_json::json;
use std::time::Duration;

fn register_body(url: &str) -> serde_json::Value {
    json!({"CODE": "guarded", "EVENT_HANDLER": url, "PROPERTIES": {"NAME": "Guarded"}})
}

#[tokio::test]
async fn metadata_and_link_local_handlers_are_refused_by_default() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0:9/",
    ] {
        let r = api.call(&s, "imbot.register", register_body(url)).await;
        assert_error(&r, 400, "EVENT_MESSAGE_ADD_ERROR");
        assert!(r.2["error_description"].as_str().unwrap().contains("[delivery] allow"), "{url}: {}", r.2);
    }
    let r = api
        .call(&s, "imbot.command.register", json!({"BOT_ID": 1, "COMMAND": "x", "EVENT_COMMAND_ADD": "http://169.254.1.1/", "LANG": [{"LANGUAGE_ID": "en", "TITLE": "x"}]}))
        .await;
    assert_error(&r, 400, "EVENT_COMMAND_ADD_ERROR");
    // Loopback and names resolving to it are fine for self-hosting.
    let h = Handler::start().await;
    let bot = api.register(&s, "local", "B", &h.url("/hook")).await;
    let named = h.url("/hook").replace("127.0.0.1", "localhost");
    let r = api.call(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"EVENT_HANDLER": named}})).await;
    assert_eq!((r.0, r.2["result"].clone()), (200, json!(true)), "{}", r.2);
}

#[tokio::test]
async fn strict_mode_refuses_private_networks_unless_allowed() {
    let strict = Policy { mode: Mode::Strict, allow: vec![] };
    let s = TestServer::start_with(|c| c.outbound = strict).await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    for url in [h.url("/hook"), h.url("/hook").replace("127.0.0.1", "localhost"), "http://10.0.0.7/h".into()] {
        let r = api.call(&s, "imbot.register", register_body(&url)).await;
        assert_error(&r, 400, "EVENT_MESSAGE_ADD_ERROR");
        assert!(r.2["error_description"].as_str().unwrap().contains("strict"), "{url}: {}", r.2);
    }
    let allowed = Policy { mode: Mode::Strict, allow: vec!["127.0.0.0/8".into()] };
    let s = TestServer::start_with(|c| c.outbound = allowed).await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "allowed", "B", &h.url("/hook")).await;
    person(&s, "Anna Weber").await.send(&s, bot, "hi").await;
    h.wait_event("ONIMBOTMESSAGEADD").await;
}

#[tokio::test]
async fn the_worker_checks_again_when_it_connects() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "later", "B", &h.url("/hook")).await;
    drained(&s).await;
    let before = h.requests().len();
    // The policy tightens after registration: the event waiting for the handler is not sent.
    let s = s
        .restart_with(|c| {
            c.outbound = Policy { mode: Mode::Strict, allow: vec![] };
        })
        .await;
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "after the policy changed").await;
    let until = std::time::Instant::now() + WAIT;
    let row = loop {
        // The new dialog's ONIMBOTJOINCHAT goes first (FIFO per handler and dialog) and is refused.
        let rows = outbox(&s).await;
        if let Some(r) = rows.into_iter().find(|r| r.attempts >= 1 && r.status == "pending") {
            break r;
        }
        assert!(std::time::Instant::now() < until, "the attempt was never made");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(row.status, "pending", "{row:?}");
    assert_eq!(h.requests().len(), before, "nothing reached the handler");
    let attempts = imbotd::store::outbox::attempts(&s.state.store, row.id).await.unwrap();
    let err = attempts[0].error.clone().unwrap_or_default();
    assert!(err.contains("strict"), "{err}");
}
