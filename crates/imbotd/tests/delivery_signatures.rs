//! Standard Webhooks signatures on bot events: `webhook-id` stable across retries, `webhook-timestamp`,
//! `webhook-signature` verifiable with the app's `whsec_` secret, several signatures during a rotation, none
//! once the secret is removed; and `imbotd app secret` on the command line.

mod bot_util;
mod common;

use bot_util::*;
use common::TestServer;
use imbot_wire::signature;
use imbotd::domain::AppId;
use imbotd::store::{apps, signing};
use std::time::Duration;

async fn app_id(s: &TestServer, api: &Api) -> AppId {
    let Api::OAuth { client_id, .. } = api else { panic!("an OAuth app") };
    apps::by_client_id(&s.state.store, client_id).await.unwrap().unwrap().id
}

fn verifies(req: &Req, secret: &str, now: i64) -> bool {
    let key = signature::decode_secret(secret).expect("a whsec_ secret");
    let id = req.header("webhook-id").expect("webhook-id");
    let ts: i64 = req.header("webhook-timestamp").expect("webhook-timestamp").parse().expect("a number");
    let sig = req.header("webhook-signature").expect("webhook-signature");
    signature::verify(&key, id, ts, req.body.as_bytes(), sig, now, 300)
}

#[tokio::test]
async fn events_are_signed_and_the_id_is_stable_across_retries() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let app = app_id(&s, &api).await;
    let secret = signing::rotate(&s.state.store, app, 3600, s.now()).await.unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    h.set_status(500);
    let bot = api.register(&s, "signed", "B", &h.url("/bot")).await;
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "hello").await;
    let first = h.wait_requests(1).await.remove(0);
    assert!(verifies(&first, &secret, s.now()), "signature of {:?}", first.headers);
    assert!(!verifies(&first, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", s.now()), "another secret must not verify");
    h.set_status(200);
    s.clock.advance(Duration::from_secs(7));
    let second = h.wait_event_nth(&first.event(), 2).await;
    assert_eq!(second.header("webhook-id"), first.header("webhook-id"), "the same event keeps its id");
    assert_eq!(second.header("x-imbotd-delivery-id"), first.header("webhook-id"));
    assert_eq!(second.header("x-imbotd-attempt"), Some("2"));
    assert!(verifies(&second, &secret, s.now()));
}

#[tokio::test]
async fn rotation_signs_with_both_keys_until_the_grace_period_ends() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let app = app_id(&s, &api).await;
    let old = signing::rotate(&s.state.store, app, 3600, s.now()).await.unwrap();
    let new = signing::rotate(&s.state.store, app, 600, s.now()).await.unwrap();
    let bot = api.register(&s, "rotating", "B", &h.url("/bot")).await;
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "during the grace period").await;
    let r = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(r.header("webhook-signature").unwrap().split(' ').count(), 2);
    assert!(verifies(&r, &old, s.now()) && verifies(&r, &new, s.now()));
    s.clock.advance(Duration::from_secs(601));
    anna.send(&s, bot, "after it").await;
    let r = h.wait_event_nth("ONIMBOTMESSAGEADD", 2).await;
    assert_eq!(r.header("webhook-signature").unwrap().split(' ').count(), 1);
    assert!(verifies(&r, &new, s.now()));
    assert!(!verifies(&r, &old, s.now()), "the old secret expired");
    // Removing the secrets: unsigned again, still with an id.
    signing::disable(&s.state.store, app).await.unwrap();
    anna.send(&s, bot, "unsigned").await;
    let r = h.wait_event_nth("ONIMBOTMESSAGEADD", 3).await;
    assert!(r.header("webhook-signature").is_none() && r.header("webhook-timestamp").is_none());
    assert!(r.header("webhook-id").is_some_and(|id| id.starts_with("msg_")));
}

#[tokio::test]
async fn app_secret_on_the_command_line() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let Api::OAuth { client_id, .. } = &api else { unreachable!() };
    // Asynchronously: the server runs on this test's runtime, and a blocking wait here would stall it in the
    // middle of a write transaction while the CLI waits for the same database.
    let run = async |args: &[&str]| {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_imbotd"))
            .args(args)
            .arg("--data-dir")
            .arg(s.dir.path())
            .envs(s.db_env())
            .output()
            .await
            .expect("run imbotd")
    };
    let out = run(&["app", "secret", "--client-id", client_id]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let secret = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(
        secret.starts_with("whsec_") && signature::decode_secret(&secret).is_some_and(|k| k.len() == 32),
        "{secret}"
    );
    let keys = signing::live_keys(&s.state.store, app_id(&s, &api).await, s.now()).await.unwrap();
    assert_eq!(keys, vec![signature::decode_secret(&secret).unwrap()]);
    let out = run(&["app", "secret"]).await;
    assert!(!out.status.success() && !out.stderr.is_empty());
    let out = run(&["app", "secret", "--client-id", "nope"]).await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success() && err.contains("no such app"), "{err}");
    let out = run(&["app", "secret", "--client-id", client_id, "--disable"]).await;
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(signing::live_keys(&s.state.store, app_id(&s, &api).await, s.now()).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_app_can_leave_tokens_out_of_event_bodies() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let app = app_id(&s, &api).await;
    let bot = api.register(&s, "tokenless", "B", &h.url("/bot")).await;
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "with tokens").await;
    let with = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert!(with.auth()["access_token"].is_string(), "Bitrix's default: tokens in the body");
    apps::set_event_tokens(&s.state.store, app, false).await.unwrap();
    anna.send(&s, bot, "without").await;
    let without = h.wait_event_nth("ONIMBOTMESSAGEADD", 2).await;
    let auth_keys: Vec<String> = without.auth().as_object().unwrap().keys().cloned().collect();
    assert_eq!(auth_keys, ["domain", "client_endpoint", "server_endpoint", "member_id", "application_token"]);
    let (_, entry) = only_entry(&without.data()["BOT"]);
    let keys: Vec<String> = entry.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["BOT_ID", "BOT_CODE"], "no token fields in the bot entry");
    assert!(!without.body.contains("access_token") && !without.body.contains("refresh_token"));
}
