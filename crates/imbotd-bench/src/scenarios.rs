//! The scenarios of BENCHMARKS.md. Each starts its own release server (see `harness::start`) and prints a table
//! and one JSON line per case.

use crate::harness::{self, client, measure, post_ok, print, run_cli, start, Server, Summary};
use rand::Rng;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// History pages on a large chat (issue 3).
pub async fn history(bin: PathBuf, messages: u64, requests: usize, conc: usize) {
    let seed_started = Instant::now();
    let mut big_chat = String::new();
    let mut small_chat = String::new();
    let server = start(&bin, |dir| {
        big_chat = run_cli(&bin, dir, &["dev", "seed", "--messages", &messages.to_string()]);
        small_chat = run_cli(&bin, dir, &["dev", "seed", "--messages", "1000"]);
    });
    eprintln!("seeded {messages} + 1000 messages in {:.1} s", seed_started.elapsed().as_secs_f64());
    let url = format!("{}im.dialog.messages.get", server.webhook);
    let top = messages as i64;
    let big = format!("chat{big_chat}");
    let small = format!("chat{small_chat}");
    let at = move |_| url.clone();
    let d = big.clone();
    measure("warm-up", 200, conc, at.clone(), move |_| json!({"DIALOG_ID": d, "LIMIT": 50})).await;
    // Each case at `conc` connections (the server busy: latency includes queueing for the two cores), then
    // at one connection (a page's own latency, nothing queued before it).
    type Body = std::sync::Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync>;
    let cases: Vec<(String, Body)> = vec![
        ("newest page, 1k-message chat".into(), {
            let d = small.clone();
            std::sync::Arc::new(move |_| json!({"DIALOG_ID": d, "LIMIT": 50}))
        }),
        (format!("newest page, {messages}-message chat"), {
            let d = big.clone();
            std::sync::Arc::new(move |_| json!({"DIALOG_ID": d, "LIMIT": 50}))
        }),
        ("LAST_ID at a random depth".into(), {
            let d = big.clone();
            std::sync::Arc::new(
                move |_| json!({"DIALOG_ID": d, "LIMIT": 50, "LAST_ID": rand::thread_rng().gen_range(100..top)}),
            )
        }),
        ("FIRST_ID at a random depth".into(), {
            let d = big.clone();
            std::sync::Arc::new(
                move |_| json!({"DIALOG_ID": d, "LIMIT": 50, "FIRST_ID": rand::thread_rng().gen_range(1..top - 100)}),
            )
        }),
    ];
    let mut rows = Vec::new();
    for connections in [conc, 1] {
        for (name, body) in &cases {
            let body = body.clone();
            let label = format!("{name}, {connections} conn.");
            rows.push(measure(&label, requests, connections, at.clone(), move |i| body(i)).await);
        }
    }
    print(&rows);
    let deep = rows[2].pct(0.5) / rows[0].pct(0.5);
    println!("median ratio, random-depth LAST_ID page on {messages} messages / newest page on 1k messages: {deep:.2}");
}

/// Start the bare baseline server (this binary, `baseline-server`) as its own process.
fn start_baseline() -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let exe = std::env::current_exe().expect("own path");
    let mut child = std::process::Command::new(exe)
        .arg("baseline-server")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the baseline server");
    let out = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line).expect("baseline address");
    let addr = line.trim().strip_prefix("listening ").expect("listening line").to_owned();
    (child, addr)
}

/// Register a bot through the admin webhook (CLIENT_ID `bench`); returns its id.
async fn register_bot(server: &Server, handler: &str) -> i64 {
    let c = client(1);
    let bot = post_ok(
        &c,
        &format!("{}imbot.register", server.webhook),
        &json!({"CLIENT_ID": "bench", "CODE": "bench", "TYPE": "B", "EVENT_HANDLER": handler,
                "PROPERTIES": {"NAME": "Bench"}}),
    )
    .await;
    bot.as_i64().expect("bot id")
}

/// Scenario 1: `imbot.message.add` through a webhook at `conc` connections, beside the bare baseline; the
/// server's resident memory idle and under this load.
pub async fn message_add(bin: PathBuf, requests: usize, conc: usize) {
    let server = start(&bin, |_| {});
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_idle = server.rss_mib();
    let bot = register_bot(&server, "http://127.0.0.1:9/unused").await;
    let (mut baseline, base_url) = start_baseline();
    let url = format!("{}imbot.message.add", server.webhook);
    let body =
        move |i: usize| json!({"CLIENT_ID": "bench", "BOT_ID": bot, "DIALOG_ID": 1, "MESSAGE": format!("message {i}")});
    let b_url = format!("{base_url}/rest/1/x/imbot.message.add");
    let at = move |_| url.clone();
    let b_at = move |_| b_url.clone();
    // Warm up both.
    measure("warm-up", 2_000, conc, at.clone(), body).await;
    measure("warm-up", 2_000, conc, b_at.clone(), body).await;
    // Sample the server's memory while it is loaded.
    let pid = server.pid();
    let peak = Arc::new(Mutex::new(0f64));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                let r = harness::rss_mib(pid);
                {
                    let mut p = peak.lock().unwrap();
                    if r > *p {
                        *p = r;
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let mut rows = Vec::new();
    // Alternate runs so drift on a noisy machine hits both alike; report every run.
    for round in 1..=3 {
        rows.push(measure(&format!("bare baseline, run {round}"), requests, conc, b_at.clone(), body).await);
        rows.push(measure(&format!("imbot.message.add, run {round}"), requests, conc, at.clone(), body).await);
    }
    sampler.abort();
    let _ = baseline.kill();
    let _ = baseline.wait();
    print(&rows);
    let med = |pred: &dyn Fn(&Summary) -> bool, f: &dyn Fn(&Summary) -> f64| {
        let mut v: Vec<f64> = rows.iter().filter(|r| pred(r)).map(f).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let base_rps = med(&|r| r.name.starts_with("bare"), &|r| r.rps());
    let add_rps = med(&|r| r.name.starts_with("imbot"), &|r| r.rps());
    let add_p99 = med(&|r| r.name.starts_with("imbot"), &|r| r.pct(0.99));
    let peak = *peak.lock().unwrap();
    println!(
        "median req/s: baseline {base_rps:.0}, imbot.message.add {add_rps:.0} → ratio {:.2}; imbot.message.add p99 (median of runs) {add_p99:.2} ms",
        add_rps / base_rps
    );
    println!("server RSS: idle {rss_idle:.1} MiB, peak under load {peak:.1} MiB");
    println!(
        "{}",
        json!({"scenario": "message-add", "baseline_rps": base_rps, "rps": add_rps, "ratio": add_rps / base_rps,
        "p99_ms": add_p99, "rss_idle_mib": rss_idle, "rss_peak_mib": peak})
    );
}

/// A fast bot handler: records each ONIMCOMMANDADD; with `answer`, answers it with `imbot.command.answer`
/// (after acknowledging the event) and records when the answer was stored.
#[derive(Clone)]
struct Bot {
    webhook: String,
    answer: bool,
    /// Command number → when its post was sent.
    sent: Arc<Mutex<HashMap<u64, Instant>>>,
    /// Post-to-answer-stored latencies (seconds).
    done: Arc<Mutex<Vec<f64>>>,
    received: Arc<std::sync::atomic::AtomicUsize>,
    last_received: Arc<Mutex<Option<Instant>>>,
    client: reqwest::Client,
}

async fn bot_handler(axum::extract::State(b): axum::extract::State<Bot>, body: axum::body::Bytes) -> &'static str {
    b.received.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    *b.last_received.lock().unwrap() = Some(Instant::now());
    if !b.answer {
        return "ok";
    }
    let form = imbot_wire::form::parse_str(&String::from_utf8_lossy(&body));
    let Some(Value::Object(commands)) = form.get("data").and_then(|d| d.get("COMMAND")).cloned() else { return "ok" };
    let message_id = form["data"]["PARAMS"]["MESSAGE_ID"].as_str().unwrap_or("0").to_owned();
    for (_, c) in commands {
        let n: u64 = c["COMMAND_PARAMS"].as_str().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
        let (command_id, bot_id) = (c["COMMAND_ID"].as_str().unwrap_or("0").to_owned(), c["BOT_ID"].clone());
        let b = b.clone();
        let message_id = message_id.clone();
        tokio::spawn(async move {
            let body = json!({"CLIENT_ID": "bench", "BOT_ID": bot_id, "COMMAND_ID": command_id, "MESSAGE_ID": message_id,
                              "MESSAGE": format!("answer {n}")});
            post_ok(&b.client, &format!("{}imbot.command.answer", b.webhook), &body).await;
            if let Some(t) = b.sent.lock().unwrap().remove(&n) {
                b.done.lock().unwrap().push(t.elapsed().as_secs_f64());
            }
        });
    }
    "ok"
}

async fn start_bot(webhook: &str, answer: bool) -> (Bot, String) {
    let b = Bot {
        webhook: webhook.to_owned(),
        answer,
        sent: Arc::default(),
        done: Arc::default(),
        received: Arc::default(),
        last_received: Arc::default(),
        client: client(64),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/bot", listener.local_addr().expect("addr"));
    let app = axum::Router::new().fallback(bot_handler).with_state(b.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (b, url)
}

/// `users` users with an `im` webhook each, made with the CLI before the server starts.
fn make_users(bin: &Path, dir: &Path, users: usize) -> Vec<(i64, String)> {
    (0..users)
        .map(|i| {
            let id = run_cli(bin, dir, &["user", "add", "--name", &format!("User {i}")]);
            let hook = run_cli(bin, dir, &["webhook", "add", "--user", &id, "--scope", "im"]);
            (id.parse().expect("user id"), hook)
        })
        .collect()
}

/// The server's base URL replaces whatever base a CLI-made webhook URL has.
fn rebase(hook: &str, http: &str) -> String {
    let path = &hook[hook.find("/rest/").expect("a webhook URL")..];
    format!("{http}{path}")
}

/// Scenario 2: the command round trip. Users post `/echo n` with `im.message.add`; the bot's handler gets
/// ONIMCOMMANDADD and answers with `imbot.command.answer`; latency is from the post to the stored answer.
/// Open loop at each of `rates` for `seconds`, then closed loop at saturation.
pub async fn commands(bin: PathBuf, users: usize, rates: Vec<u64>, seconds: u64, saturation: usize) {
    let mut people = Vec::new();
    let server = start(&bin, |dir| people = make_users(&bin, dir, users));
    let people: Vec<(i64, String)> = people.into_iter().map(|(id, h)| (id, rebase(&h, &server.http))).collect();
    let (bot, handler) = start_bot(&server.webhook, true).await;
    let bot_id = register_bot(&server, &handler).await;
    post_ok(
        &client(1),
        &format!("{}imbot.command.register", server.webhook),
        &json!({"CLIENT_ID": "bench", "BOT_ID": bot_id, "COMMAND": "echo", "EVENT_COMMAND_ADD": handler,
                "LANG": [{"LANGUAGE_ID": "en", "TITLE": "echo", "PARAMS": "n"}]}),
    )
    .await;
    let poster = client(256);
    let mut n: u64 = 0;
    let mut rows = Vec::new();
    // A post the server does not take (an error, or no answer within the client's timeout when the offered
    // rate is far above what it sustains) is counted, not fatal: it is one of the case's failures.
    let failed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let post = |n: u64| {
        let (_, hook) = &people[n as usize % people.len()];
        let (url, c, sent, failed) =
            (format!("{hook}im.message.add"), poster.clone(), bot.sent.clone(), failed.clone());
        async move {
            sent.lock().unwrap().insert(n, Instant::now());
            let body = json!({"DIALOG_ID": bot_id, "MESSAGE": format!("/echo {n}")});
            if !harness::post_accepted(&c, &url, &body).await {
                sent.lock().unwrap().remove(&n);
                failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    };
    // Warm up.
    for _ in 0..200 {
        post(n).await;
        n += 1;
    }
    assert_eq!(wait_answers(&bot, Duration::from_secs(30)).await, 0, "the warm-up commands are answered");
    for rate in rates {
        bot.done.lock().unwrap().clear();
        let total = rate * seconds;
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..total {
            let due = t0 + Duration::from_secs_f64(i as f64 / rate as f64);
            tokio::time::sleep_until(due.into()).await;
            tasks.push(tokio::spawn(post(n)));
            n += 1;
        }
        for t in tasks {
            t.await.expect("post");
        }
        let left = wait_answers(&bot, Duration::from_secs(30)).await;
        let lat = std::mem::take(&mut *bot.done.lock().unwrap());
        let refused = failed.swap(0, std::sync::atomic::Ordering::Relaxed);
        let name = if left == 0 && refused == 0 {
            format!("open loop {rate}/s for {seconds} s")
        } else {
            format!("open loop {rate}/s, NOT SUSTAINED ({left} unanswered 30 s after, {refused} posts failed)")
        };
        rows.push(Summary::new(&name, t0.elapsed().as_secs_f64(), lat));
        if left > 0 {
            // Let the backlog drain before the next case, so each case starts from an idle server.
            let rest = wait_answers(&bot, Duration::from_secs(300)).await;
            bot.sent.lock().unwrap().clear();
            bot.done.lock().unwrap().clear();
            if rest > 0 {
                println!("{rest} commands of the {rate}/s case never answered within 5 min");
            }
        }
    }
    // Saturation: as fast as `saturation` concurrent posters go.
    bot.done.lock().unwrap().clear();
    let total = (saturation * 50) as u64;
    let t0 = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicU64::new(n));
    let end = n + total;
    let mut tasks = Vec::new();
    for _ in 0..saturation {
        let (next, post) = (next.clone(), &post);
        tasks.push(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= end {
                    break;
                }
                post(i).await;
            }
        });
    }
    futures_join_all(tasks).await;
    let posted_in = t0.elapsed();
    let left = wait_answers(&bot, Duration::from_secs(300)).await;
    assert_eq!(left, 0, "every command posted at saturation is answered within 5 min");
    let lat = std::mem::take(&mut *bot.done.lock().unwrap());
    rows.push(Summary::new(&format!("saturation, {saturation} posters"), t0.elapsed().as_secs_f64(), lat));
    print(&rows);
    println!(
        "saturation: {total} commands posted in {:.2} s ({:.0}/s), answered in {:.2} s",
        posted_in.as_secs_f64(),
        total as f64 / posted_in.as_secs_f64(),
        rows.last().map(|r| r.seconds).unwrap_or(0.0)
    );
}

async fn futures_join_all<F: std::future::Future<Output = ()>>(tasks: Vec<F>) {
    let mut set = Vec::new();
    for t in tasks {
        set.push(Box::pin(t));
    }
    // Poll them together on this task (they borrow local state, so no spawn).
    let mut pending: Vec<_> = set.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut any = false;
        for slot in pending.iter_mut() {
            if let Some(f) = slot {
                if f.as_mut().poll(cx).is_ready() {
                    *slot = None;
                } else {
                    any = true;
                }
            }
        }
        if any {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await
}

/// Wait until every posted command has its answer stored, or `limit` passes; how many are still unanswered
/// (an offered rate above what the server sustains leaves a backlog: reported, not fatal).
async fn wait_answers(bot: &Bot, limit: Duration) -> usize {
    let t0 = Instant::now();
    loop {
        let left = bot.sent.lock().unwrap().len();
        if left == 0 || t0.elapsed() >= limit {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Scenario 3: delivery throughput. `events` commands are queued while delivery is off; the server restarts
/// with delivery on (at most `per_handler` attempts in flight to the one handler URL) and the time until a fast
/// handler (answering 200 at once) has them all is measured.
pub async fn delivery(bin: PathBuf, users: usize, events: usize, per_handler: u32) {
    let off = config_file("[delivery]\nenabled = false\n");
    let (bot, handler) = start_bot("", false).await;
    let data = tempfile::tempdir().expect("temp dir");
    let dir = data.path().to_path_buf();
    let people = make_users(&bin, &dir, users);
    let server = start_on(&bin, &dir, &["--config", off.path().to_str().expect("utf-8 path")]);
    let people: Vec<(i64, String)> = people.into_iter().map(|(id, h)| (id, rebase(&h, &server.http))).collect();
    let hook = rebase(&run_cli(&bin, &dir, &["webhook", "add", "--user", "1", "--scope", "im,imbot"]), &server.http);
    let c = client(1);
    let bot_id = post_ok(
        &c,
        &format!("{hook}imbot.register"),
        &json!({"CLIENT_ID": "bench", "CODE": "bench", "TYPE": "B", "EVENT_HANDLER": handler, "PROPERTIES": {"NAME": "Bench"}}),
    )
    .await
    .as_i64()
    .expect("bot id");
    post_ok(
        &c,
        &format!("{hook}imbot.command.register"),
        &json!({"CLIENT_ID": "bench", "BOT_ID": bot_id, "COMMAND": "echo", "EVENT_COMMAND_ADD": handler,
                "LANG": [{"LANGUAGE_ID": "en", "TITLE": "echo", "PARAMS": "n"}]}),
    )
    .await;
    let people = Arc::new(people);
    let posted = measure(
        "queue commands (delivery off)",
        events,
        64,
        {
            let people = people.clone();
            move |i| format!("{}im.message.add", people[i % people.len()].1)
        },
        move |i| json!({"DIALOG_ID": bot_id, "MESSAGE": format!("/echo {i}")}),
    )
    .await;
    drop(server);
    let t0 = Instant::now();
    let on = config_file(&format!("[delivery]\nper_handler = {per_handler}\n"));
    let server = start_on(&bin, &dir, &["--config", on.path().to_str().expect("utf-8 path")]);
    let limit = Duration::from_secs(600);
    loop {
        if bot.received.load(std::sync::atomic::Ordering::Relaxed) >= events {
            break;
        }
        assert!(
            t0.elapsed() < limit,
            "only {} of {events} events after {limit:?}",
            bot.received.load(std::sync::atomic::Ordering::Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let last = bot.last_received.lock().unwrap().expect("events arrived");
    let secs = (last - t0).as_secs_f64();
    print(&[posted]);
    println!(
        "delivered {events} events to one handler URL ({per_handler} in flight at most) from {users} dialogs in {secs:.2} s (from the restart): {:.0} events/s",
        events as f64 / secs
    );
    println!(
        "{}",
        json!({"scenario": "delivery", "events": events, "per_handler": per_handler, "seconds": secs, "events_per_s": events as f64 / secs})
    );
    drop(server);
}

/// A temporary configuration file holding `text`, for `serve --config`.
fn config_file(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("config file");
    std::fs::write(file.path(), text).expect("write config");
    file
}

/// `serve` on an existing data dir (with `extra` flags).
fn start_on(bin: &Path, dir: &Path, extra: &[&str]) -> Server {
    harness::start_existing(bin, dir, extra)
}

/// Scenario 5: start-up time to a healthy `/healthz`, first start (fresh dir: key generation, migrations) and
/// restart, `runs` times each; median and max.
pub async fn footprint(bin: PathBuf, runs: usize) {
    let mut first = Vec::new();
    let mut again = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..runs {
        let tmp = tempfile::tempdir().expect("temp dir");
        for (i, out) in [&mut first, &mut again].into_iter().enumerate() {
            let port = free_port();
            let mut child = std::process::Command::new(&bin)
                .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--tls-listen", "off"])
                .arg("--data-dir")
                .arg(tmp.path())
                .envs(harness::db_env(tmp.path()))
                .env("RUST_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("start imbotd");
            let healthy = harness::wait_healthy(&format!("http://127.0.0.1:{port}/healthz"), Duration::from_secs(10))
                .await
                .expect("healthy within 10 s");
            out.push(healthy.as_secs_f64());
            if i == 1 {
                tokio::time::sleep(Duration::from_millis(300)).await;
                rss.push(harness::rss_mib(child.id()));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        (v[v.len() / 2], v[v.len() - 1])
    };
    let (f50, fmax) = med(&mut first);
    let (a50, amax) = med(&mut again);
    let (r50, rmax) = med(&mut rss);
    println!("start-up to a healthy /healthz over {runs} runs (spawn to first 200):");
    println!("  first start (new data dir): median {:.1} ms, max {:.1} ms", f50 * 1000.0, fmax * 1000.0);
    println!("  restart (existing data dir): median {:.1} ms, max {:.1} ms", a50 * 1000.0, amax * 1000.0);
    println!("  idle RSS after start: median {r50:.1} MiB, max {rmax:.1} MiB");
    println!(
        "{}",
        json!({"scenario": "footprint", "first_start_ms": f50 * 1000.0, "restart_ms": a50 * 1000.0, "rss_idle_mib": r50})
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}
