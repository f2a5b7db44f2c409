//! Interop: the official Bitrix24 SDKs, unmodified, against a real imbotd over HTTPS.
//!
//! `tests/interop/setup.sh` installs pinned `b24pysdk` (PyPI) and `@bitrix24/b24jssdk` (npm) into the repo on
//! first run; the scripts check a plain call, a typed call that parses `time`, a batch with a failing command,
//! paging with `next`, and (b24jssdk) an expired OAuth token refreshed through `/oauth/token/`. See
//! docs/interop.md. These tests need `python3` (with venv), `node` and `npm`; they fail, not skip, when those
//! are missing — set `IMBOTD_SKIP_INTEROP=1` to skip them deliberately on a machine without them.

mod common;
use common::TestServer;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop").canonicalize().expect("tests/interop exists")
}

fn skip() -> bool {
    if std::env::var("IMBOTD_SKIP_INTEROP").is_ok_and(|v| v == "1") {
        eprintln!("interop tests skipped: IMBOTD_SKIP_INTEROP=1");
        return true;
    }
    false
}

/// Install the SDKs once per test binary.
fn setup() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let out = Command::new("bash").arg(interop_dir().join("setup.sh")).output().expect("run setup.sh");
        assert!(
            out.status.success(),
            "tests/interop/setup.sh failed (needs python3 with venv, node and npm; IMBOTD_SKIP_INTEROP=1 skips):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// A server with the fixture the scripts expect: ≥ 120 users and a webhook of user 1 with `user` scope.
async fn fixture() -> (TestServer, String) {
    let s = TestServer::start().await;
    for i in 0..125 {
        s.add_user(&format!("Interop User{i}")).await;
    }
    let hook = s.webhook_for(1, "im,imbot,user").await.replace(&s.http, &s.https);
    (s, hook)
}

fn run(mut cmd: Command, what: &str) -> String {
    let out = cmd.env("NO_PROXY", "127.0.0.1,localhost").output().unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{what}:\n{stdout}");
    assert!(out.status.success(), "{what} failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(" passed, 0 failed"), "{what} printed no summary:\n{stdout}");
    stdout.into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b24pysdk_webhook_calls_batch_and_paging() {
    if skip() {
        return;
    }
    setup();
    let (s, hook) = fixture().await;
    let ca = s.app.as_ref().unwrap().tls_files().unwrap().trust.clone();
    let dir = interop_dir();
    let mut cmd = Command::new(dir.join("python/.venv/bin/python"));
    cmd.arg(dir.join("python/test_b24pysdk.py"))
        .env("IMBOTD_WEBHOOK_URL", &hook)
        .env("REQUESTS_CA_BUNDLE", &ca)
        .env("IMBOTD_INTEROP_EXTRA", "1");
    let out = tokio::task::spawn_blocking(move || run(cmd, "b24pysdk")).await.expect("python run");
    assert!(out.contains("ok - v1 typed imbot.v2"), "the typed v2 checks ran:\n{out}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b24jssdk_webhook_and_oauth_refresh() {
    if skip() {
        return;
    }
    setup();
    let (s, hook) = fixture().await;
    let ca = s.app.as_ref().unwrap().tls_files().unwrap().trust.clone();
    // An access token the server already considers expired, with a valid refresh token.
    let app = s.oauth_app(1, "im,imbot,user", 0).await;
    let urls = &s.state.urls;
    let dir = interop_dir();
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("js/test_b24jssdk.mjs"))
        .env("IMBOTD_WEBHOOK_URL", &hook)
        .env("NODE_EXTRA_CA_CERTS", &ca)
        .env("IMBOTD_OAUTH_CLIENT_ID", &app.client_id)
        .env("IMBOTD_OAUTH_CLIENT_SECRET", &app.client_secret)
        .env("IMBOTD_OAUTH_ACCESS_TOKEN", &app.access_token)
        .env("IMBOTD_OAUTH_REFRESH_TOKEN", &app.refresh_token)
        .env("IMBOTD_OAUTH_APPLICATION_TOKEN", &app.application_token)
        .env("IMBOTD_OAUTH_CLIENT_ENDPOINT", urls.client_endpoint())
        .env("IMBOTD_OAUTH_SERVER_ENDPOINT", urls.server_endpoint())
        .env("IMBOTD_OAUTH_MEMBER_ID", &s.state.member_id)
        .env("IMBOTD_OAUTH_DOMAIN", urls.domain());
    tokio::task::spawn_blocking(move || run(cmd, "b24jssdk")).await.expect("node run");
    s.stop().await;
}
