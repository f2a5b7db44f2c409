//! The parts every scenario uses: a release server on a temp dir, the server's CLI, closed-loop and open-loop
//! load over keep-alive connections, latency summaries, and the table + JSON report.
//!
//! With `--database-url postgres://…` (a PostgreSQL server), every data dir a scenario uses gets a fresh
//! database of its own on that server, passed to the server and the CLI as `IMBOTD_DATABASE_URL` and dropped
//! when the tool exits ([`drop_databases`]).

use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The PostgreSQL server to run on (`--database-url`), if any.
static POSTGRES: OnceLock<String> = OnceLock::new();
/// The database of each data dir (PostgreSQL runs).
static DATABASES: Mutex<Option<HashMap<PathBuf, (String, String)>>> = Mutex::new(None);

/// Run the scenarios on PostgreSQL at `base` (`postgres://user@host:port`) instead of SQLite.
pub fn use_postgres(base: &str) {
    let _ = POSTGRES.set(base.trim_end_matches('/').to_owned());
}

/// "SQLite" or "PostgreSQL", for the reports.
pub fn backend() -> &'static str {
    if POSTGRES.get().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

/// Run `f` on a runtime of its own thread (callable from sync code inside the tool's runtime).
fn blocking<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt").block_on(f)
    })
    .join()
    .expect("database thread")
}

/// The environment pointing imbotd at `dir`'s database; creates the database on first use (PostgreSQL runs).
pub fn db_env(dir: &Path) -> Vec<(&'static str, String)> {
    let Some(base) = POSTGRES.get() else { return Vec::new() };
    let mut dbs = DATABASES.lock().unwrap();
    let map = dbs.get_or_insert_with(HashMap::new);
    if let Some((_, url)) = map.get(dir) {
        return vec![("IMBOTD_DATABASE_URL", url.clone())];
    }
    let name = format!("imbotd_bench_{}_{}", std::process::id(), map.len());
    let (b, n) = (base.clone(), name.clone());
    blocking(async move {
        use sqlx::{Connection, Executor};
        let mut c = sqlx::PgConnection::connect(&format!("{b}/postgres")).await.expect("connect to PostgreSQL");
        c.execute(format!("CREATE DATABASE \"{n}\"").as_str()).await.expect("create the bench database");
    });
    let url = format!("{base}/{name}");
    map.insert(dir.to_path_buf(), (name, url.clone()));
    vec![("IMBOTD_DATABASE_URL", url)]
}

/// Drop the databases of a PostgreSQL run (the servers must be stopped).
pub fn drop_databases() {
    let Some(base) = POSTGRES.get().cloned() else { return };
    let names: Vec<String> =
        DATABASES.lock().unwrap().take().unwrap_or_default().into_values().map(|(name, _)| name).collect();
    blocking(async move {
        use sqlx::{Connection, Executor};
        let Ok(mut c) = sqlx::PgConnection::connect(&format!("{base}/postgres")).await else { return };
        for n in names {
            let _ = c.execute(format!("DROP DATABASE IF EXISTS \"{n}\" WITH (FORCE)").as_str()).await;
        }
    });
}

/// A server process on a temp dir, stopped on drop.
pub struct Server {
    child: Child,
    _dir: tempfile::TempDir,
    pub http: String,
    /// An admin webhook with scopes im, imbot, user.
    pub webhook: String,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process in MiB (Linux `/proc`).
    pub fn rss_mib(&self) -> f64 {
        rss_mib(self.pid())
    }
}

pub fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map(|kib| kib / 1024.0)
        .unwrap_or(f64::NAN)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run the server's CLI on `dir`; its stdout, trimmed.
pub fn run_cli(bin: &Path, dir: &Path, args: &[&str]) -> String {
    let out =
        Command::new(bin).args(args).arg("--data-dir").arg(dir).envs(db_env(dir)).output().expect("run imbotd CLI");
    assert!(out.status.success(), "imbotd {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Start `bin serve` on a fresh temp dir (rate and operating limits off, no TLS) after `prepare(dir)`.
pub fn start(bin: &Path, prepare: impl FnOnce(&Path)) -> Server {
    let tmp = tempfile::tempdir().expect("temp dir");
    prepare(tmp.path());
    let mut s = spawn(bin, tmp.path(), &[]);
    s._dir = tmp;
    s
}

/// Start `bin serve` on an existing data dir (the caller keeps it alive) with `extra` flags.
pub fn start_existing(bin: &Path, dir: &Path, extra: &[&str]) -> Server {
    spawn(bin, dir, extra)
}

fn spawn(bin: &Path, dir: &Path, extra: &[&str]) -> Server {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = dir.to_path_buf();
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
        .args(extra)
        .envs(db_env(&dir))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start imbotd serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let mut http = String::new();
    for line in lines.by_ref() {
        if let Some(u) = line.trim().strip_prefix("http: ") {
            http = u.trim().to_owned();
            break;
        }
    }
    // Keep draining the rest of the banner so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    assert!(!http.is_empty(), "the server printed no http address");
    let webhook =
        run_cli(bin, &dir, &["webhook", "add", "--user", "1", "--scope", "im,imbot,user", "--public-url", &http]);
    Server { child, _dir: tmp, http, webhook }
}

/// Latency summary of one case.
pub struct Summary {
    pub name: String,
    pub requests: usize,
    pub seconds: f64,
    /// Sorted, seconds.
    pub lat: Vec<f64>,
}

impl Summary {
    pub fn new(name: &str, seconds: f64, mut lat: Vec<f64>) -> Summary {
        lat.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
        Summary { name: name.to_owned(), requests: lat.len(), seconds, lat }
    }

    /// Percentile `p` (0–1) in milliseconds.
    pub fn pct(&self, p: f64) -> f64 {
        if self.lat.is_empty() {
            return f64::NAN;
        }
        let i = ((self.lat.len() as f64 - 1.0) * p).round() as usize;
        self.lat[i] * 1000.0
    }

    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    pub fn json(&self) -> Value {
        serde_json::json!({
            "case": self.name, "requests": self.requests, "rps": self.rps(),
            "p50_ms": self.pct(0.5), "p90_ms": self.pct(0.9), "p99_ms": self.pct(0.99), "max_ms": self.pct(1.0),
        })
    }
}

pub fn client(conc: usize) -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(conc).timeout(Duration::from_secs(30)).build().expect("client")
}

/// Closed loop: `n` requests built by `body(i)` POSTed to `url(i)` over `conc` keep-alive connections; each must
/// answer 200 with a `result`.
pub async fn measure(
    name: &str,
    n: usize,
    conc: usize,
    url: impl Fn(usize) -> String + Send + Sync + 'static,
    body: impl Fn(usize) -> Value + Send + Sync + 'static,
) -> Summary {
    let client = client(conc);
    let (url, body) = (Arc::new(url), Arc::new(body));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let (client, url, body, next) = (client.clone(), url.clone(), body.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let t = Instant::now();
                post_ok(&client, &url(i), &body(i)).await;
                lat.push(t.elapsed().as_secs_f64());
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.expect("task"));
    }
    Summary::new(name, started.elapsed().as_secs_f64(), lat)
}

/// POST `body`; whether the server answered 200 with a `result` (errors and time-outs are `false`).
pub async fn post_accepted(client: &reqwest::Client, url: &str, body: &Value) -> bool {
    let Ok(r) = client.post(url).json(body).send().await else { return false };
    let ok = r.status().is_success();
    ok && r.json::<Value>().await.is_ok_and(|v| v.get("result").is_some())
}

/// POST `body`; panics unless the answer is 200 with a `result`. Returns `result`.
pub async fn post_ok(client: &reqwest::Client, url: &str, body: &Value) -> Value {
    let r = client.post(url).json(body).send().await.expect("request");
    let status = r.status();
    let v: Value = r.json().await.expect("json");
    assert!(status.is_success() && v.get("result").is_some(), "HTTP {status}: {v}");
    v["result"].clone()
}

pub fn print(rows: &[Summary]) {
    println!(
        "{:<44} {:>8} {:>10} {:>9} {:>9} {:>9} {:>9}",
        "case", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for r in rows {
        println!(
            "{:<44} {:>8} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
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

/// Wait until `GET url` answers 200 (or `limit` passes).
pub async fn wait_healthy(url: &str, limit: Duration) -> Option<Duration> {
    let client = reqwest::Client::new();
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if let Ok(r) = client.get(url).send().await {
            if r.status().is_success() {
                return Some(t0.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    None
}
