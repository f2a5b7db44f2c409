//! `ONAPPINSTALL` (`api-reference__common__events__on-app-install.md`, SPEC-NOTES §2.1): the real `imbotd app
//! add --handler URL` against the data dir of a running server, whose delivery worker then POSTs the install
//! event to the handler: `data[VERSION, ACTIVE, INSTALLED, LANGUAGE_ID]` and `auth[domain, scope, access_token,
//! refresh_token, expires_in, server_endpoint, status, client_endpoint, member_id, application_token]`, in the
//! doc's order, with the `application_token` the command printed and tokens that work.

mod bot_util;
mod common;

use bot_util::*;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imbotd");

/// `imbotd --data-dir DIR args…` with no IMBOTD_* variables from the environment.
async fn imbotd(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut c = tokio::process::Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("IMBOTD_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn").envs(common::db::env_for_path(dir)).arg("--data-dir").arg(dir).args(args);
    tokio::time::timeout(Duration::from_secs(30), c.output())
        .await
        .expect("imbotd exits within 30 s")
        .expect("run imbotd")
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

#[tokio::test]
async fn app_add_with_a_handler_sends_onappinstall_with_working_tokens() {
    let s = server().await;
    let h = Handler::start().await;
    let url = h.url("/install?from=test");
    let out = imbotd(s.dir.path(), &["app", "add", "--name", "X", "--handler", &url]).await;
    assert!(out.status.success(), "app add failed: {}", String::from_utf8_lossy(&out.stderr));
    let printed: Value =
        serde_json::from_str(stdout(&out).trim()).unwrap_or_else(|e| panic!("JSON ({e}): {}", stdout(&out)));
    assert_eq!(keys(&printed), ["client_id", "client_secret", "application_token"]);
    let (client_id, secret, app_token) = (
        printed["client_id"].as_str().unwrap().to_owned(),
        printed["client_secret"].as_str().unwrap().to_owned(),
        printed["application_token"].as_str().unwrap().to_owned(),
    );

    // The running server's worker delivers it within about two seconds (it polls the outbox).
    let t0 = Instant::now();
    let req = loop {
        if let Some(r) = h.events("ONAPPINSTALL").into_iter().next() {
            break r;
        }
        assert!(t0.elapsed() < Duration::from_secs(3), "no ONAPPINSTALL within 3 s; got {:?}", h.requests());
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(req.method, "POST");
    assert_eq!(req.uri, "/install?from=test", "the handler URL as given");
    assert_eq!(req.header("content-type"), Some("application/x-www-form-urlencoded"));
    let form = req.form();
    let top: Vec<&str> = form.keys().map(String::as_str).filter(|k| *k != "event_handler_id").collect();
    assert_eq!(top, ["event", "data", "ts", "auth"]);
    assert_eq!(form["event"], "ONAPPINSTALL");
    let ts: i64 = form["ts"].as_str().and_then(|t| t.parse().ok()).expect("ts is unix seconds");
    assert!((ts - s.now()).abs() < 60, "ts {ts} is now");

    // data: exactly the doc's four keys, in order.
    let data = req.data();
    assert_eq!(data, json!({"VERSION": "1", "ACTIVE": "Y", "INSTALLED": "Y", "LANGUAGE_ID": "en"}));
    assert_eq!(keys(&data), ["VERSION", "ACTIVE", "INSTALLED", "LANGUAGE_ID"]);

    // auth: the doc's ten keys, in order, all strings.
    let auth = req.auth();
    assert_eq!(
        keys(&auth),
        [
            "domain",
            "scope",
            "access_token",
            "refresh_token",
            "expires_in",
            "server_endpoint",
            "status",
            "client_endpoint",
            "member_id",
            "application_token"
        ]
    );
    assert!(auth.as_object().unwrap().values().all(|v| v.as_str().is_some_and(|s| !s.is_empty())), "{auth}");
    assert_eq!(auth["application_token"], app_token.as_str(), "the token app add printed");
    assert_eq!(auth["status"], "L", "a local application");
    assert_eq!(auth["expires_in"], "3600");
    assert_eq!(auth["member_id"], s.state.member_id.as_str());
    let client_endpoint = auth["client_endpoint"].as_str().unwrap().to_owned();
    let domain = auth["domain"].as_str().unwrap();
    assert!(client_endpoint.ends_with(&format!("://{domain}/rest/")), "{client_endpoint} vs {domain}");
    assert_eq!(auth["server_endpoint"], client_endpoint.as_str(), "this server is its own OAuth server");

    // The access token works for REST calls, as the app it belongs to; its scopes are auth[scope].
    let token = auth["access_token"].as_str().unwrap();
    let r = s.post_json(&format!("{client_endpoint}app.info"), &json!({"auth": token})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"]["CODE"], client_id.as_str());
    assert_eq!(r.2["result"]["INSTALLED"], true);
    let r = s.get(&format!("{client_endpoint}scope?auth={token}")).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let scopes: Vec<&str> = r.2["result"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(auth["scope"], scopes.join(","), "comma-separated, as the token endpoint");
    assert!(scopes.contains(&"imbot"), "{scopes:?}");
    // … and so does the refresh token, with the printed secret.
    let q = format!(
        "grant_type=refresh_token&client_id={client_id}&client_secret={secret}&refresh_token={}",
        auth["refresh_token"].as_str().unwrap()
    );
    let r = s.get(&format!("{}/oauth/token/?{q}", s.http)).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert!(r.2["access_token"].as_str().is_some_and(|t| !t.is_empty() && t != token), "{}", r.2);

    // Sent once.
    drained(&s).await;
    assert_eq!(h.events("ONAPPINSTALL").len(), 1);
    assert_eq!(queued(&s, "ONAPPINSTALL").await.len(), 1);
}

#[tokio::test]
async fn app_add_without_a_handler_sends_nothing_and_a_bad_handler_is_refused() {
    let s = server().await;
    let out = imbotd(s.dir.path(), &["app", "add", "--name", "Quiet"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed: Value = serde_json::from_str(stdout(&out).trim()).expect("JSON");
    assert!(printed["application_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(queued(&s, "ONAPPINSTALL").await.is_empty(), "no handler, no event");

    let before = imbotd(s.dir.path(), &["app", "list"]).await;
    for bad in ["ftp://example.com/x", "not a url"] {
        let out = imbotd(s.dir.path(), &["app", "add", "--name", "Bad", "--handler", bad]).await;
        assert!(!out.status.success(), "--handler {bad} accepted: {}", stdout(&out));
        assert_eq!(stdout(&out), "", "nothing on stdout when failing");
        assert!(!out.stderr.is_empty());
    }
    let after = imbotd(s.dir.path(), &["app", "list"]).await;
    assert_eq!(stdout(&before), stdout(&after), "no app was created");
    assert!(queued(&s, "ONAPPINSTALL").await.is_empty());
}
