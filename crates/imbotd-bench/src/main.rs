//! `imbotd-bench` — benchmark scenarios against a real imbotd started by the tool.
//!
//! Each scenario starts the release server binary (`--server`, default `target/release/imbotd`) on a fresh
//! temporary data dir with the rate limit off, prepares its data with the server's own CLI, drives it over
//! loopback HTTP with keep-alive connections, and prints a table and a JSON line with throughput and latency
//! percentiles. Bounded in count and time; traffic only to 127.0.0.1.
//!
//! Scenarios:
//! * `history` — `im.dialog.messages.get` on a chat seeded with `--messages` messages (default 1,000,000):
//!   the newest page, pages `LAST_ID` deep in history, pages `FIRST_ID` after a random point, and the same
//!   newest page on a small chat for comparison. An indexed history costs the same at any depth.

use clap::{Parser, Subcommand};
use rand::Rng;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

#[derive(Parser)]
#[command(name = "imbotd-bench", about = "Benchmark scenarios for imbotd")]
struct Cli {
    /// The imbotd binary to run (build it with `cargo build --release -p imbotd`).
    #[arg(long, default_value = "target/release/imbotd", global = true)]
    server: PathBuf,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// History pages on a large chat.
    History {
        /// Messages to seed into the large chat.
        #[arg(long, default_value_t = 1_000_000)]
        messages: u64,
        /// Requests per measured case.
        #[arg(long, default_value_t = 2_000)]
        requests: usize,
        /// Concurrent connections.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
}

/// A server process on a temp dir, stopped on drop.
struct Server {
    child: Child,
    _dir: tempfile::TempDir,
    dir: PathBuf,
    http: String,
    webhook: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_cli(bin: &PathBuf, dir: &PathBuf, args: &[&str]) -> String {
    let out = Command::new(bin).args(args).arg("--data-dir").arg(dir).output().expect("run imbotd CLI");
    assert!(out.status.success(), "imbotd {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn start(bin: &PathBuf, prepare: impl FnOnce(&PathBuf)) -> Server {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().to_path_buf();
    prepare(&dir);
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-listen",
            "off",
            "--rate-limit",
            "off",
            "--operating-limit",
            "0",
        ])
        .arg("--data-dir")
        .arg(&dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start imbotd serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut http = String::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(u) = line.trim().strip_prefix("http: ") {
            http = u.trim().to_owned();
        }
        if line.contains("webhooks:") || line.contains("/rest/1/") {
            break;
        }
    }
    assert!(!http.is_empty(), "the server printed no http address");
    let webhook = run_cli(bin, &dir, &["webhook", "add", "--user", "1", "--scope", "im,user", "--public-url", &http]);
    Server { child, _dir: tmp, dir, http, webhook }
}

/// Latency summary of one case.
struct Summary {
    name: String,
    requests: usize,
    seconds: f64,
    lat: Vec<f64>,
}

impl Summary {
    fn pct(&self, p: f64) -> f64 {
        let i = ((self.lat.len() as f64 - 1.0) * p).round() as usize;
        self.lat[i] * 1000.0
    }
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
    fn json(&self) -> Value {
        serde_json::json!({
            "case": self.name, "requests": self.requests, "rps": self.rps(),
            "p50_ms": self.pct(0.5), "p90_ms": self.pct(0.9), "p99_ms": self.pct(0.99), "max_ms": self.pct(1.0),
        })
    }
}

/// Run `n` requests built by `body(i)` against `url` over `conc` keep-alive connections.
async fn measure(
    name: &str,
    url: &str,
    n: usize,
    conc: usize,
    body: impl Fn(usize) -> Value + Send + Sync + 'static,
) -> Summary {
    let client = reqwest::Client::builder().pool_max_idle_per_host(conc).build().expect("client");
    let body = std::sync::Arc::new(body);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let (client, body, next, url) = (client.clone(), body.clone(), next.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let t = Instant::now();
                let r = client.post(&url).json(&body(i)).send().await.expect("request");
                assert!(r.status().is_success(), "HTTP {}", r.status());
                let v: Value = r.json().await.expect("json");
                assert!(v.get("result").is_some(), "no result: {v}");
                lat.push(t.elapsed().as_secs_f64());
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.expect("task"));
    }
    let seconds = started.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    Summary { name: name.to_owned(), requests: n, seconds, lat }
}

fn print(rows: &[Summary]) {
    println!(
        "{:<38} {:>8} {:>10} {:>9} {:>9} {:>9} {:>9}",
        "case", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for r in rows {
        println!(
            "{:<38} {:>8} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            r.name,
            r.requests,
            r.rps(),
            r.pct(0.5),
            r.pct(0.9),
            r.pct(0.99),
            r.pct(1.0)
        );
    }
    for r in rows {
        println!("{}", r.json());
    }
}

async fn history(bin: PathBuf, messages: u64, requests: usize, conc: usize) {
    let seed_started = Instant::now();
    let mut big_chat = String::new();
    let mut small_chat = String::new();
    let server = start(&bin, |dir| {
        big_chat = run_cli(&bin, dir, &["dev", "seed", "--messages", &messages.to_string()]);
        small_chat = run_cli(&bin, dir, &["dev", "seed", "--messages", "1000"]);
    });
    eprintln!(
        "seeded {messages} + 1000 messages in {:.1} s; server at {} ({})",
        seed_started.elapsed().as_secs_f64(),
        server.http,
        server.dir.display()
    );
    let url = format!("{}im.dialog.messages.get", server.webhook);
    // Message ids of the big chat run 1..=messages+1 (the first is the "invited" system message).
    let top = messages as i64;
    let big = format!("chat{big_chat}");
    let small = format!("chat{small_chat}");
    let mut rows = Vec::new();
    // Warm up connections and caches.
    measure("warm-up", &url, 200, conc, {
        let d = big.clone();
        move |_| serde_json::json!({"DIALOG_ID": d, "LIMIT": 50})
    })
    .await;
    rows.push(
        measure(
            "newest page, 1k-message chat",
            &url,
            requests,
            conc,
            move |_| serde_json::json!({"DIALOG_ID": small, "LIMIT": 50}),
        )
        .await,
    );
    rows.push(
        measure(&format!("newest page, {messages}-message chat"), &url, requests, conc, {
            let d = big.clone();
            move |_| serde_json::json!({"DIALOG_ID": d, "LIMIT": 50})
        })
        .await,
    );
    rows.push(
        measure("LAST_ID at a random depth", &url, requests, conc, {
            let d = big.clone();
            move |_| serde_json::json!({"DIALOG_ID": d, "LIMIT": 50, "LAST_ID": rand::thread_rng().gen_range(100..top)})
        })
        .await,
    );
    rows.push(
        measure("FIRST_ID at a random depth", &url, requests, conc, {
            let d = big.clone();
            move |_| serde_json::json!({"DIALOG_ID": d, "LIMIT": 50, "FIRST_ID": rand::thread_rng().gen_range(1..top - 100)})
        })
        .await,
    );
    print(&rows);
    let deep = rows[2].pct(0.5) / rows[0].pct(0.5);
    println!("median ratio, random-depth LAST_ID page on {messages} messages / newest page on 1k messages: {deep:.2}");
    drop(server);
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    assert!(cli.server.exists(), "{} not found: build it with `cargo build --release -p imbotd`", cli.server.display());
    match cli.scenario {
        Scenario::History { messages, requests, concurrency } => {
            history(cli.server, messages, requests, concurrency).await
        }
    }
}
