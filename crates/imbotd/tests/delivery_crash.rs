//! Crash safety: the real server is killed with SIGKILL while a delivery is in flight and restarted on the
//! same data dir; every acknowledged message is still there and every event is delivered — the one that was
//! in flight again, with the same `webhook-id` (at-least-once), the rest in order.

mod bot_util;
mod common;

use bot_util::{Handler, Req};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imbotd");

/// `imbotd serve` on `dir`; returns the child, its http base and (first start only) the admin webhook.
fn serve(dir: &Path) -> (Child, String, Option<String>) {
    let log = std::fs::File::create(dir.join(format!("serve-{}.log", std::process::id()))).unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-listen", "off", "--rate-limit", "off", "--data-dir"])
        .arg(dir)
        .envs(common::db::env_for_path(dir))
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("spawn serve");
    let out = BufReader::new(child.stdout.take().unwrap());
    let (mut http, mut hook) = (None, None);
    for line in out.lines() {
        let line = line.expect("stdout");
        let t = line.trim();
        if let Some(u) = t.strip_prefix("http: ") {
            http = Some(u.trim().to_owned());
        } else if t.starts_with("http://") && t.contains("/rest/1/") {
            hook = Some(t.to_owned());
            break;
        } else if t.starts_with("webhooks:") {
            break;
        }
    }
    (child, http.expect("an http line"), hook)
}

fn cli(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .envs(common::db::env_for_path(dir))
        .output()
        .expect("run imbotd");
    assert!(out.status.success(), "imbotd {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

async fn post(url: &str, body: Value) -> Value {
    let r = reqwest::Client::new().post(url).json(&body).send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
    r.json().await.expect("json")
}

async fn wait_for(h: &Handler, what: &str, done: impl Fn(&[Req]) -> bool) -> Vec<Req> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reqs = h.requests();
        if done(&reqs) {
            return reqs;
        }
        assert!(Instant::now() < deadline, "{what}: got {} requests", reqs.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_delivery_loses_nothing() {
    let dir = common::db::TestDir::new();
    let (mut server, http, hook) = serve(dir.path());
    let hook = hook.expect("the admin webhook on first start");
    let h = Handler::start().await;
    h.set_delay(Duration::from_secs(60));
    let bot = post(
        &format!("{hook}imbot.register"),
        json!({"CLIENT_ID": "crash", "CODE": "crashbot", "EVENT_HANDLER": h.url("/bot"), "PROPERTIES": {"NAME": "Crash"}}),
    )
    .await["result"]
        .as_i64()
        .expect("bot id");
    let anna = cli(dir.path(), &["user", "add", "--name", "Anna Weber"]);
    let anna_hook = cli(dir.path(), &["webhook", "add", "--user", &anna, "--scope", "im"]);
    assert!(anna_hook.starts_with(&http), "{anna_hook} on {http}");
    let mut acked = Vec::new();
    for i in 0..5 {
        let r = post(
            &format!("{anna_hook}im.message.add"),
            json!({"DIALOG_ID": bot.to_string(), "MESSAGE": format!("m{i}")}),
        )
        .await;
        acked.push(r["result"].as_i64().unwrap_or_else(|| panic!("acknowledged: {r}")));
    }
    // The first event (the bot's join of the new dialog) is in flight: the handler holds the request.
    let first = wait_for(&h, "the first delivery", |r| !r.is_empty()).await.remove(0);
    server.kill().expect("SIGKILL");
    server.wait().unwrap();

    h.set_delay(Duration::ZERO);
    let (mut server, http2, _) = serve(dir.path());
    let reqs = wait_for(&h, "every event after the restart", |r| {
        r.iter().filter(|q| q.event() == "ONIMBOTMESSAGEADD").count() >= 5
    })
    .await;
    // The in-flight event came again with the same delivery id.
    let again =
        reqs.iter().skip(1).find(|q| q.header("webhook-id") == first.header("webhook-id")).expect("redelivered");
    assert_eq!(again.event(), first.event());
    // Every acknowledged message reached the bot, in order.
    let ids: Vec<i64> = reqs
        .iter()
        .filter(|q| q.event() == "ONIMBOTMESSAGEADD")
        .map(|q| q.data()["PARAMS"]["MESSAGE_ID"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids, acked, "each message once, in order");
    // And every acknowledged message is stored.
    let anna_hook2 = anna_hook.replace(&http, &http2);
    let page =
        post(&format!("{anna_hook2}im.dialog.messages.get"), json!({"DIALOG_ID": bot.to_string(), "LIMIT": 50})).await;
    let mut stored: Vec<i64> =
        page["result"]["messages"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
    stored.sort();
    assert_eq!(stored, acked);
    server.kill().ok();
    server.wait().ok();
}
