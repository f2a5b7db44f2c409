//! Several imbotd instances on one PostgreSQL database: any instance serves any request, sessions work across
//! instances, the delivery workers of all instances share the queue (each command delivered exactly once
//! while nobody crashes, FIFO per dialog), live updates cross instances, and when one instance is killed
//! mid-load nothing acknowledged is lost: its messages are stored and the events it was sending are sent by
//! the others once its lease has run out.
//!
//! Runs on PostgreSQL only (`IMBOTD_TEST_DATABASE_URL`, see `common/db.rs`; CI sets it): SQLite is one process
//! by design, and on a run without PostgreSQL this test says so and passes.

mod bot_util;
mod common;

use bot_util::{Handler, Req};
use common::db::TestDir;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imbotd");

/// One `imbotd serve` process with its own data dir, on the shared database.
struct Instance {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Instance {
    fn start(url: &str) -> Instance {
        let dir = tempfile::tempdir().unwrap();
        // Short attempts and leases, so the events of a killed instance come back within seconds.
        let config = dir.path().join("imbotd.toml");
        std::fs::write(&config, "[delivery]\nattempt_timeout = 2\nlease_margin = 1\nper_handler = 4\n").unwrap();
        let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--tls-listen", "off", "--rate-limit", "off", "--no-demo"])
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.path())
            .env("IMBOTD_DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("spawn serve");
        let out = BufReader::new(child.stdout.take().unwrap());
        let mut base = None;
        for line in out.lines() {
            let line = line.expect("stdout");
            if let Some(u) = line.trim().strip_prefix("http: ") {
                base = Some(u.trim().to_owned());
                break;
            }
        }
        Instance { child, base: base.expect("an http line"), _dir: dir }
    }

    /// The id the instance keeps in its data dir (it names the instance's delivery claims).
    fn id(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("instance-id")).unwrap().trim().to_owned()
    }

    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The admin CLI on the shared database (its data dir does not matter).
fn cli(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("IMBOTD_DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run imbotd");
    assert!(out.status.success(), "imbotd {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

async fn post(client: &reqwest::Client, url: &str, body: &Value) -> Option<Value> {
    let r = client.post(url).json(body).timeout(Duration::from_secs(10)).send().await.ok()?;
    let v: Value = r.json().await.ok()?;
    Some(v)
}

/// A user of the portal: their webhook path (`/rest/ID/CODE/`) works on every instance.
#[derive(Clone)]
struct User {
    id: i64,
    path: String,
}

fn user(dir: &Path, url: &str, name: &str, scope: &str) -> User {
    let id: i64 = cli(dir, url, &["user", "add", "--name", name]).parse().unwrap();
    let hook = cli(dir, url, &["webhook", "add", "--user", &id.to_string(), "--scope", scope]);
    let path = hook[hook.find("/rest/").unwrap()..].to_owned();
    User { id, path }
}

/// (dialog as the bot sees it, message id) of an ONIMCOMMANDADD request.
fn command_of(r: &Req) -> (String, i64) {
    let p = &r.data()["PARAMS"];
    (p["DIALOG_ID"].as_str().unwrap().to_owned(), p["MESSAGE_ID"].as_str().unwrap().parse().unwrap())
}

/// Wait until the handler has received every message id of `want` as a command.
async fn wait_commands(h: &Handler, want: &HashSet<i64>, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let got: HashSet<i64> = h.events("ONIMCOMMANDADD").iter().map(|r| command_of(r).1).collect();
        let missing: Vec<&i64> = want.difference(&got).collect();
        if missing.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "{} acknowledged commands never arrived: {missing:?}", missing.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Per dialog, the message ids in order of their first arrival must be the dialog's messages in id order.
fn assert_fifo(reqs: &[Req]) {
    let mut seen: HashSet<i64> = HashSet::new();
    let mut per_dialog: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in reqs {
        let (dialog, id) = command_of(r);
        if seen.insert(id) {
            per_dialog.entry(dialog).or_default().push(id);
        }
    }
    for (dialog, ids) in per_dialog {
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "dialog {dialog} out of order: {ids:?}");
    }
}

/// Follow `/web/live` on `base` with `cookie`; collects the ids of `message` events, and as negative numbers
/// the user ids of `typing` events.
fn follow_live(client: reqwest::Client, base: String, cookie: String) -> Arc<Mutex<Vec<i64>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let out = seen.clone();
    tokio::spawn(async move {
        let mut resp = client.get(format!("{base}/web/live")).header("cookie", cookie).send().await.expect("live");
        assert_eq!(resp.status(), 200);
        let mut buf = String::new();
        while let Ok(Some(chunk)) = resp.chunk().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let (mut ev, mut data) = (String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        ev = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                let v: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
                match ev.as_str() {
                    "message" => out.lock().unwrap().extend(v["message"]["id"].as_i64()),
                    "typing" => out.lock().unwrap().extend(v["user_id"].as_i64().map(|u| -u)),
                    _ => {}
                }
            }
        }
    });
    seen
}

async fn wait_live(seen: &Arc<Mutex<Vec<i64>>>, want: &[i64], within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let got: HashSet<i64> = seen.lock().unwrap().iter().copied().collect();
        let missing: Vec<&i64> = want.iter().filter(|id| !got.contains(id)).collect();
        if missing.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "live updates missing on instance B: {missing:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_share_one_postgresql_and_survive_losing_one() {
    let home = TestDir::new();
    let Some(db) = home.db() else {
        eprintln!("cluster test skipped: set IMBOTD_TEST_DATABASE_URL to a PostgreSQL server to run it");
        return;
    };
    let url = db.url.clone();
    let dir = home.path();
    let client = reqwest::Client::new();

    // Three instances; the CLI makes the people (any instance sees them at once: one database).
    let mut nodes: Vec<Instance> = (0..3).map(|_| Instance::start(&url)).collect();
    let admin = user(dir, &url, "Bot Owner", "im,imbot");
    let posters: Vec<User> = (0..4).map(|i| user(dir, &url, &format!("Poster {i}"), "im")).collect();
    let watcher = user(dir, &url, "Wanda Watcher", "im");

    // A bot with /echo, registered through instance A; its handler answers a little slowly, so deliveries
    // are in flight on several instances at once.
    let h = Handler::start().await;
    h.set_delay(Duration::from_millis(30));
    let a = &nodes[0].base.clone();
    let call = |base: &str, u: &User, method: &str| format!("{base}{}{method}", u.path);
    let reg = post(
        &client,
        &call(a, &admin, "imbot.register"),
        &json!({"CLIENT_ID": "cluster", "CODE": "clusterbot", "TYPE": "B", "EVENT_HANDLER": h.url("/bot"),
                "PROPERTIES": {"NAME": "Cluster bot"}}),
    )
    .await
    .unwrap();
    let bot = reg["result"].as_i64().unwrap_or_else(|| panic!("imbot.register: {reg}"));
    let cmd = post(
        &client,
        &call(&nodes[1].base, &admin, "imbot.command.register"),
        &json!({"CLIENT_ID": "cluster", "BOT_ID": bot, "COMMAND": "echo", "EVENT_COMMAND_ADD": h.url("/cmd"), "COMMON": "Y",
                "LANG": [{"LANGUAGE_ID": "en", "TITLE": "echo", "PARAMS": "text"}]}),
    )
    .await
    .unwrap();
    assert!(cmd["result"].is_i64(), "imbot.command.register through B: {cmd}");
    let mut members: Vec<i64> = posters.iter().map(|p| p.id).collect();
    members.extend([watcher.id, bot]);
    let chat = post(
        &client,
        &call(&nodes[2].base, &posters[0], "im.chat.add"),
        &json!({"TITLE": "Cluster", "USERS": members}),
    )
    .await
    .unwrap()["result"]
        .as_i64()
        .expect("im.chat.add through C");

    // The watcher signs in on B with a link made by the CLI; the session works on A too.
    let link = cli(dir, &url, &["user", "login-link", &watcher.id.to_string()]);
    let token = &link[link.find("/login/").unwrap()..];
    let b = nodes[1].base.clone();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.get(format!("{b}{token}")).send().await.unwrap();
    assert_eq!(r.status(), 303, "signed in on B");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let me = client.get(format!("{a}/web/session")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(me.status(), 200, "a session made on B works on A");
    let live = follow_live(client.clone(), b.clone(), cookie.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Phase 1, nobody crashes: 4 posters × 15 commands, in their private dialog with the bot and in the group
    // chat by turns, each through instance (n mod 3).
    let posting = |round: std::ops::Range<usize>, bases: Vec<String>| {
        let (client, posters) = (client.clone(), posters.clone());
        async move {
            let tasks = posters.into_iter().enumerate().map(|(pi, p)| {
                let (client, bases, round) = (client.clone(), bases.clone(), round.clone());
                tokio::spawn(async move {
                    let mut acked = Vec::new();
                    for n in round {
                        let base = &bases[(n + pi) % bases.len()];
                        let dialog = if n % 2 == 0 { format!("chat{chat}") } else { bot.to_string() };
                        let body = json!({"DIALOG_ID": dialog, "MESSAGE": format!("/echo p{pi} n{n}")});
                        if let Some(v) = post(&client, &format!("{base}{}im.message.add", p.path), &body).await {
                            if let Some(id) = v["result"].as_i64() {
                                acked.push((base.clone(), dialog, id));
                            }
                        }
                    }
                    acked
                })
            });
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            all
        }
    };
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();
    let phase1 = posting(0..15, bases.clone()).await;
    assert_eq!(phase1.len(), 60, "every post of phase 1 acknowledged");
    let want: HashSet<i64> = phase1.iter().map(|(_, _, id)| *id).collect();
    wait_commands(&h, &want, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let reqs = h.events("ONIMCOMMANDADD");
    let mut count: HashMap<i64, usize> = HashMap::new();
    for r in &reqs {
        *count.entry(command_of(r).1).or_default() += 1;
    }
    let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered more than once without a crash: {twice:?}");
    assert_eq!(count.len(), 60);
    assert_fifo(&reqs);
    // Live: every group-chat message, whichever instance took it, reached the watcher on B.
    let group: Vec<i64> = phase1.iter().filter(|(_, d, _)| d.starts_with("chat")).map(|(_, _, id)| *id).collect();
    assert!(phase1.iter().any(|(base, d, _)| base == a && d.starts_with("chat")), "some went through A");
    wait_live(&live, &group, Duration::from_secs(5)).await;
    // Typing is in no table: it crosses instances by notification alone.
    let typing =
        post(&client, &call(a, &posters[1], "im.dialog.writing"), &json!({"DIALOG_ID": format!("chat{chat}")}))
            .await
            .unwrap();
    assert_eq!(typing["result"], true, "{typing}");
    wait_live(&live, &[-posters[1].id], Duration::from_secs(5)).await;

    // Phase 2: the same load with a slower handler, and instance C is killed (SIGKILL) while it is sending.
    h.set_delay(Duration::from_millis(200));
    let load = tokio::spawn(posting(15..45, bases.clone()));
    let pool = common::db::pool(dir, home.db()).await;
    let c_id = nodes[2].id();
    let deadline = Instant::now() + Duration::from_secs(10);
    let in_flight_on_c: Vec<i64> = loop {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM event_outbox WHERE status = 'sending' AND claimed_by = $1")
                .bind(&c_id)
                .fetch_all(&pool)
                .await
                .unwrap();
        if !ids.is_empty() {
            break ids;
        }
        assert!(Instant::now() < deadline, "instance C never claimed an event");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    nodes[2].kill();
    let phase2 = load.await.unwrap();
    let killed = nodes[2].base.clone();
    assert!(phase2.len() >= 60, "the live instances kept acknowledging: {} posts", phase2.len());
    // Every acknowledged command arrives (those C was sending come back when its lease runs out).
    let want2: HashSet<i64> = phase2.iter().map(|(_, _, id)| *id).collect();
    wait_commands(&h, &want2, Duration::from_secs(60)).await;
    // What C held when it died was sent by the survivors once C's lease ran out.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ids = in_flight_on_c.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let open: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM event_outbox WHERE id IN ({ids}) AND status <> 'delivered'"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        if open == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the events C was sending were not taken over: {in_flight_on_c:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let reqs = h.events("ONIMCOMMANDADD");
    assert_fifo(&reqs);
    let mut count: HashMap<i64, usize> = HashMap::new();
    for r in &reqs {
        *count.entry(command_of(r).1).or_default() += 1;
    }
    let again = count.iter().filter(|(id, n)| want2.contains(id) && **n > 1).count();
    let through_c = phase2.iter().filter(|(base, _, _)| *base == killed).count();
    eprintln!(
        "phase 2: {} posts acknowledged ({through_c} by C before it died), C was sending {} events, {again} commands came twice",
        phase2.len(),
        in_flight_on_c.len()
    );
    // At most `[delivery] per_handler` (4) commands were in flight to the handler when C died.
    assert!(again <= 4, "only events in flight on C when it died may come twice: {again}");
    // Every acknowledged message is stored, whichever instance took it (C's included), and readable on A.
    let stored: HashSet<i64> = {
        let mut ids = HashSet::new();
        for p in &posters {
            for dialog in [format!("chat{chat}"), bot.to_string()] {
                let mut last = None;
                loop {
                    let mut body = json!({"DIALOG_ID": dialog, "LIMIT": 50});
                    if let Some(l) = last {
                        body["LAST_ID"] = json!(l);
                    }
                    let v = post(&client, &call(a, p, "im.dialog.messages.get"), &body).await.unwrap();
                    let page = v["result"]["messages"].as_array().cloned().unwrap_or_default();
                    if page.is_empty() {
                        break;
                    }
                    ids.extend(page.iter().filter_map(|m| m["id"].as_i64()));
                    last = page.iter().filter_map(|m| m["id"].as_i64()).min();
                }
            }
        }
        ids
    };
    let lost: Vec<i64> = phase1.iter().chain(&phase2).map(|(_, _, id)| *id).filter(|id| !stored.contains(id)).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    // Live on B goes on for what the survivors take.
    let after: Vec<i64> =
        phase2.iter().filter(|(base, d, _)| *base != killed && d.starts_with("chat")).map(|(_, _, id)| *id).collect();
    wait_live(&live, &after, Duration::from_secs(5)).await;
}

/// The request limits count every instance's requests: a burst of 5 is used up by calls spread over two
/// instances, and the operating-time window is the cluster's.
#[tokio::test]
async fn rate_limits_hold_across_instances() {
    let home = TestDir::new();
    let Some(db) = home.db() else {
        eprintln!("cluster test skipped: set IMBOTD_TEST_DATABASE_URL to a PostgreSQL server to run it");
        return;
    };
    let mut apps = Vec::new();
    let mut dirs = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let mut config = imbotd::config::Config::for_tests(dir.path());
        config.database_url = db.url.clone();
        config.tls_listen = None;
        config.rate_limit = imbotd::config::RateLimit::Bucket { drain_per_second: 0.01, burst: 5 };
        apps.push(imbotd::Application::build(config).await.expect("an instance starts"));
        dirs.push(dir);
    }
    let store = &apps[0].state().store;
    let code = "clusterlimitcode1";
    let scopes = imbotd::domain::ScopeSet::parse_list("user").unwrap();
    imbotd::store::webhooks::create(store, imbotd::domain::UserId(1), code, &scopes, 0).await.unwrap();
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for i in 0..7 {
        let base = format!("http://{}", apps[i % 2].http_addr());
        let r = client.get(format!("{base}/rest/1/{code}/profile")).send().await.unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 503, 503], "one bucket for both instances");
    for app in apps {
        app.shutdown().await.unwrap();
    }
}
