//! Fault suites (issue 9), bounded in time:
//! * crash: the real server is killed with SIGKILL again and again while clients post messages and commands;
//!   after each restart every message id that was acknowledged is readable, and every acknowledged command
//!   reaches the bot's handler (at least once);
//! * hostile handlers: bots whose handlers hang, answer 5xx, answer garbage or a huge body, or close the
//!   connection, next to a healthy bot — the healthy bot's events still arrive promptly, and the server's
//!   memory stays bounded.

mod bot_util;
mod common;

use bot_util::{Handler, Req};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imbotd");

/// `imbotd serve` on `dir` at a fixed port (so clients keep their URLs across restarts).
fn serve(dir: &Path, port: u16) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("serve.log")).unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--tls-listen", "off", "--rate-limit", "off"])
        .arg("--data-dir")
        .arg(dir)
        .envs(common::db::env_for_path(dir))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("spawn serve");
    // Read up to the listening line, then let the pipe go (the server ignores a closed stdout).
    let out = BufReader::new(child.stdout.take().unwrap());
    for line in out.lines() {
        if line.map(|l| l.trim().starts_with("http:")).unwrap_or(true) {
            break;
        }
    }
    child
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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_healthy(base: &str) {
    let c = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if c.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{base} not healthy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_kill_9_under_load_loses_no_acknowledged_message_or_command() {
    let dir = common::db::TestDir::new();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let users: Vec<String> =
        (0..4).map(|i| cli(dir.path(), &["user", "add", "--name", &format!("Poster {i}")])).collect();
    let hooks: Vec<String> = users
        .iter()
        .map(|u| cli(dir.path(), &["webhook", "add", "--user", u, "--scope", "im", "--public-url", &base]))
        .collect();
    let admin = cli(dir.path(), &["webhook", "add", "--user", "1", "--scope", "im,imbot", "--public-url", &base]);
    let h = Handler::start().await;
    let mut server = serve(dir.path(), port);
    wait_healthy(&base).await;
    let c = reqwest::Client::new();
    let bot: i64 = c
        .post(format!("{admin}imbot.register"))
        .json(&json!({"CLIENT_ID": "crash", "CODE": "crash", "EVENT_HANDLER": h.url("/bot"), "PROPERTIES": {"NAME": "C"}}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["result"]
        .as_i64()
        .expect("bot id");
    c.post(format!("{admin}imbot.command.register"))
        .json(&json!({"CLIENT_ID": "crash", "BOT_ID": bot, "COMMAND": "echo", "EVENT_COMMAND_ADD": h.url("/cmd"),
                      "LANG": [{"LANGUAGE_ID": "en", "TITLE": "echo", "PARAMS": ""}]}))
        .send()
        .await
        .unwrap();

    // (message id, poster index) of every acknowledged post; command numbers that were acknowledged.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(i64, usize, String)>::new()));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut posters = Vec::new();
    for (i, hook) in hooks.iter().enumerate() {
        let (hook, acked, stop) = (hook.clone(), acked.clone(), stop.clone());
        posters.push(tokio::spawn(async move {
            let c = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                // Every other post is a command to the bot; the rest are plain messages to the admin.
                let (dialog, text) = if n.is_multiple_of(2) {
                    (bot.to_string(), format!("/echo p{i}n{n}"))
                } else {
                    ("1".to_owned(), format!("p{i}n{n}"))
                };
                let r = c
                    .post(format!("{hook}im.message.add"))
                    .json(&json!({"DIALOG_ID": dialog, "MESSAGE": text}))
                    .send()
                    .await;
                // A refused connection or a cut answer is not an acknowledgement: only a `result` is.
                if let Ok(r) = r {
                    if let Ok(v) = r.json::<Value>().await {
                        if let Some(id) = v["result"].as_i64() {
                            acked.lock().unwrap().push((id, i, text));
                        }
                    }
                }
            }
        }));
    }
    for round in 0..4 {
        tokio::time::sleep(Duration::from_millis(400 + 150 * round)).await;
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        server = serve(dir.path(), port);
        wait_healthy(&base).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for p in posters {
        p.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > 50, "the posters got through between kills: {}", acked.len());
    eprintln!("{} posts acknowledged across 4 SIGKILLs", acked.len());

    // Every acknowledged message is stored with its text.
    for (i, hook) in hooks.iter().enumerate() {
        let mine: Vec<&(i64, usize, String)> = acked.iter().filter(|(_, p, _)| *p == i).collect();
        for dialog in ["1".to_owned(), bot.to_string()] {
            let mut seen: Vec<(i64, String)> = Vec::new();
            let mut last: Option<i64> = None;
            loop {
                let mut q = json!({"DIALOG_ID": dialog, "LIMIT": 50});
                if let Some(l) = last {
                    q["LAST_ID"] = json!(l);
                }
                let page: Value = c
                    .post(format!("{hook}im.dialog.messages.get"))
                    .json(&q)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let msgs = page["result"]["messages"].as_array().cloned().unwrap_or_default();
                if msgs.is_empty() {
                    break;
                }
                for m in &msgs {
                    seen.push((m["id"].as_i64().unwrap(), m["text"].as_str().unwrap_or("").to_owned()));
                }
                last = msgs.iter().filter_map(|m| m["id"].as_i64()).min();
            }
            for (id, _, text) in mine.iter().filter(|(_, _, t)| (dialog == "1") != t.starts_with('/')) {
                assert!(seen.contains(&(*id, text.clone())), "acknowledged message {id} {text:?} is lost");
            }
        }
    }

    // Every acknowledged command reaches the handler (at least once).
    let want: HashSet<String> =
        acked.iter().filter(|(_, _, t)| t.starts_with('/')).map(|(_, _, t)| t.clone()).collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got: HashSet<String> = h
            .events("ONIMCOMMANDADD")
            .iter()
            .filter_map(|r: &Req| {
                let f = r.form();
                let cmds = f.get("data")?.get("COMMAND")?.as_object()?.clone();
                let p = cmds.values().next()?.get("COMMAND_PARAMS")?.as_str()?.to_owned();
                Some(format!("/echo {p}"))
            })
            .collect();
        let missing: Vec<&String> = want.difference(&got).collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} acknowledged commands never reached the handler: {missing:?}",
            missing.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
}

/// A handler that misbehaves in one way, on a raw socket.
async fn misbehaving(kind: &'static str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/{kind}", l.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = l.accept().await else { return };
            tokio::spawn(async move {
                let mut buf = [0u8; 65536];
                let _ = s.read(&mut buf).await;
                match kind {
                    "hang" => tokio::time::sleep(Duration::from_secs(3600)).await,
                    "close" => {}
                    "garbage" => {
                        let _ = s.write_all(b"\x00\x01not http at all\r\n\r\n").await;
                    }
                    "huge" => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n").await;
                        let chunk = vec![b'x'; 65536];
                        for _ in 0..1600 {
                            if s.write_all(&chunk).await.is_err() {
                                break;
                            }
                        }
                    }
                    _ => {
                        let _ = s.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy").await;
                    }
                }
            });
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_handlers_do_not_delay_a_healthy_bot_or_grow_memory() {
    let dir = common::db::TestDir::new();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let user = cli(dir.path(), &["user", "add", "--name", "Poster"]);
    let hook = cli(dir.path(), &["webhook", "add", "--user", &user, "--scope", "im", "--public-url", &base]);
    let admin = cli(dir.path(), &["webhook", "add", "--user", "1", "--scope", "im,imbot", "--public-url", &base]);
    let mut server = serve(dir.path(), port);
    wait_healthy(&base).await;
    let c = reqwest::Client::new();
    let register = |code: &str, url: String| {
        let (c, admin, code) = (c.clone(), admin.clone(), code.to_owned());
        async move {
            let v: Value = c
                .post(format!("{admin}imbot.register"))
                .json(&json!({"CLIENT_ID": code, "CODE": code, "EVENT_HANDLER": url, "PROPERTIES": {"NAME": code}}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["result"].as_i64().unwrap_or_else(|| panic!("register {code}: {v}"))
        }
    };
    let mut bad = Vec::new();
    for kind in ["hang", "close", "garbage", "huge", "5xx"] {
        bad.push(register(kind, misbehaving(kind).await).await);
    }
    let good_handler = Handler::start().await;
    let good = register("good", good_handler.url("/good")).await;
    let rss_before = rss_mib(server.id());
    // Many messages to every bad bot, then to the good one, interleaved.
    let post = |dialog: i64, text: String| {
        let (c, hook) = (c.clone(), hook.clone());
        async move {
            let r: Value = c
                .post(format!("{hook}im.message.add"))
                .json(&json!({"DIALOG_ID": dialog, "MESSAGE": text}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert!(r["result"].is_i64(), "{r}");
        }
    };
    let mut latencies = Vec::new();
    for round in 0..10 {
        for b in &bad {
            for k in 0..3 {
                post(*b, format!("to bad {round}.{k}")).await;
            }
        }
        let t = Instant::now();
        post(good, format!("to good {round}")).await;
        good_handler.wait_event_nth("ONIMBOTMESSAGEADD", round + 1).await;
        latencies.push(t.elapsed());
    }
    latencies.sort();
    let p50 = latencies[latencies.len() / 2];
    let max = latencies[latencies.len() - 1];
    assert!(max < Duration::from_secs(3), "the healthy bot waited behind the hostile ones: {latencies:?}");
    eprintln!("healthy bot event latency next to 5 hostile handlers: p50 {p50:?}, max {max:?}");
    // Give the worker time to chew on the hostile ones (huge bodies are read only up to 20 KB).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss_mib(server.id());
    assert!(rss_after < rss_before + 64.0, "memory grew from {rss_before:.1} to {rss_after:.1} MiB");
    let r: Value = c.get(format!("{base}/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(r["status"], "ok");
    server.kill().unwrap();
    server.wait().unwrap();
}

fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map(|kib| kib / 1024.0)
        .unwrap_or(0.0)
}
