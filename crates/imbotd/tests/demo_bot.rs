//! The demo bot of `imbotd serve` (issue 7): on a fresh data dir the real binary starts the SDK's echo bot,
//! which greets the admin (so its dialog is in the web chat) and answers `/echo TEXT` with an attachment and a
//! button; a restart keeps it working on its new port; `--no-demo` removes it.

mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imbotd");

/// `serve` on `dir`; the child and every banner line up to the demo bot's (or the end of the banner).
fn serve(dir: &Path, extra: &[&str]) -> (Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-listen", "off", "--rate-limit", "off"])
        .args(extra)
        .arg("--data-dir")
        .arg(dir)
        .envs(common::db::env_for_path(dir))
        .env("RUST_LOG", "warn")
        .env_remove("IMBOTD_NO_DEMO")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let out = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for line in out.lines() {
        let line = line.unwrap_or_default();
        let done = line.contains("login-link 1") || line.contains("demo bot:");
        lines.push(line);
        if done && (line_is_demo(&lines) || extra.contains(&"--no-demo")) {
            break;
        }
    }
    (child, lines)
}

fn line_is_demo(lines: &[String]) -> bool {
    lines.iter().any(|l| l.contains("demo bot:"))
}

fn http_of(lines: &[String]) -> String {
    lines.iter().find_map(|l| l.trim().strip_prefix("http:").map(|u| u.trim().to_owned())).expect("http line")
}

async fn call(url: &str, body: Value) -> Value {
    reqwest::Client::new().post(url).json(&body).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn serve_starts_a_demo_bot_that_answers_echo() {
    let dir = common::db::TestDir::new();
    let (mut server, lines) = serve(dir.path(), &[]);
    let demo = lines.iter().find(|l| l.contains("demo bot:")).unwrap_or_else(|| panic!("no demo line in {lines:?}"));
    if dir.db().is_some() {
        // PostgreSQL: instances share one portal, so no instance starts a demo bot of its own.
        assert!(demo.contains("not started on PostgreSQL"), "{demo}");
        let hook = lines.iter().find_map(|l| l.trim().strip_prefix("http://").filter(|l| l.contains("/rest/1/")));
        let list = call(&format!("http://{}imbot.bot.list", hook.unwrap()), json!({})).await;
        assert!(list["result"].as_array().is_some_and(Vec::is_empty), "no bot registered: {list}");
        server.kill().unwrap();
        server.wait().unwrap();
        return;
    }
    let bot: i64 = demo.split("(ID ").nth(1).and_then(|s| s.split(')').next()).and_then(|s| s.parse().ok()).unwrap();
    let hook = lines.iter().find_map(|l| l.trim().strip_prefix("http://").filter(|l| l.contains("/rest/1/"))).unwrap();
    let hook = format!("http://{hook}");
    // The greeting makes the dialog exist.
    let history = call(&format!("{hook}im.dialog.messages.get"), json!({"DIALOG_ID": bot})).await;
    let first = &history["result"]["messages"][0];
    assert_eq!(first["author_id"], bot);
    assert!(first["text"].as_str().unwrap().contains("/echo hello"), "{first}");
    // The loop: a command, the answer with ATTACH and KEYBOARD.
    call(&format!("{hook}im.message.add"), json!({"DIALOG_ID": bot, "MESSAGE": "/echo round trip"})).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let h = call(&format!("{hook}im.dialog.messages.get"), json!({"DIALOG_ID": bot, "LIMIT": 1})).await;
        let m = &h["result"]["messages"][0];
        if m["author_id"] == bot && m["text"].as_str().is_some_and(|t| t.contains("round trip")) {
            assert!(m["params"]["ATTACH"].is_array(), "{m}");
            assert!(m["params"]["KEYBOARD"].is_array(), "{m}");
            break;
        }
        assert!(Instant::now() < deadline, "no answer: {h}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    // A restart: the same bot, on a new port, still answers; no second greeting.
    let (mut server, lines) = serve(dir.path(), &[]);
    let http = http_of(&lines);
    let hook = format!("{http}{}", &hook[hook.find("/rest/").unwrap()..]);
    assert!(lines.iter().any(|l| l.contains(&format!("(ID {bot})"))), "{lines:?}");
    call(&format!("{hook}im.message.add"), json!({"DIALOG_ID": bot, "MESSAGE": "/echo again"})).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let h = call(&format!("{hook}im.dialog.messages.get"), json!({"DIALOG_ID": bot, "LIMIT": 1})).await;
        if h["result"]["messages"][0]["text"].as_str().is_some_and(|t| t.contains("again"))
            && h["result"]["messages"][0]["author_id"] == bot
        {
            break;
        }
        assert!(Instant::now() < deadline, "no answer after restart: {h}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let all = call(&format!("{hook}im.dialog.messages.get"), json!({"DIALOG_ID": bot, "LIMIT": 50})).await;
    let greetings = all["result"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["text"].as_str().unwrap_or("").contains("demo bot"))
        .count();
    assert_eq!(greetings, 1);
    server.kill().unwrap();
    server.wait().unwrap();

    // --no-demo removes it.
    let (mut server, lines) = serve(dir.path(), &["--no-demo"]);
    let http = http_of(&lines);
    let hook = format!("{http}{}", &hook[hook.find("/rest/").unwrap()..]);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let list = call(&format!("{hook}imbot.bot.list"), json!({})).await;
        if list["result"].as_object().is_none_or(|m| m.is_empty()) {
            break;
        }
        assert!(Instant::now() < deadline, "the demo bot is still registered: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
