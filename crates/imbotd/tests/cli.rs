//! The real `imbotd` binary: admin commands' output contract (scripts capture stdout), and `serve` as a child
//! process — start-up output, HTTPS with the generated CA, health and metrics, the admin CLI against a running
//! server, SIGTERM, and a restart on the same data dir.

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imbotd");

/// `imbotd --data-dir DIR args…`, with no IMBOTD_* variables inherited from the environment.
fn imbotd(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("IMBOTD_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn").envs(common::db::env_for_path(dir)).arg("--data-dir").arg(dir);
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    imbotd(dir).args(args).output().expect("run imbotd")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run, expect success, return stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert!(o.status.success(), "imbotd {args:?} failed: {}\n{}", stderr(&o), stdout(&o));
    stdout(&o)
}

/// Run, expect failure with a message on stderr and nothing on stdout; return stderr.
fn fails(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert!(!o.status.success(), "imbotd {args:?} should fail, printed {}", stdout(&o));
    assert_eq!(stdout(&o), "", "nothing on stdout when failing: {args:?}");
    let err = stderr(&o);
    assert!(!err.trim().is_empty(), "a message on stderr: {args:?}");
    err
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap_or_else(|| panic!("an object: {v}")).keys().cloned().collect()
}

/// `http://HOST/rest/{user}/{code}/` → code.
fn code_of(url: &str) -> String {
    url.trim_end_matches('/').rsplit('/').next().unwrap().to_owned()
}

#[test]
fn admin_commands_print_exactly_their_contract() {
    let tmp = common::db::TestDir::new();
    let dir = tmp.path();

    // user add: only the new id.
    assert_eq!(ok(dir, &["user", "add", "--name", "John Smith"]), "2\n");
    assert_eq!(ok(dir, &["user", "add", "--name", "Ext Ern", "--extranet", "--email", "e@x.test"]), "3\n");
    let users = ok(dir, &["user", "list"]);
    assert!(users.lines().any(|l| l.starts_with("2\tJohn Smith")), "{users}");
    assert!(users.lines().any(|l| l.starts_with("3\t") && l.ends_with("extranet")), "{users}");
    fails(dir, &["user", "add", "--name", "  "]);

    // webhook add: only the base URL.
    let out = ok(dir, &["webhook", "add", "--user", "2", "--scope", "im,user"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    let url = out.trim_end();
    assert!(url.starts_with("http://") && url.contains("/rest/2/") && url.ends_with('/'), "{url}");
    let code = code_of(url);
    assert!(code.len() >= 16 && code.chars().all(|c| c.is_ascii_alphanumeric()), "{code}");
    let out = ok(dir, &["webhook", "add", "--user", "2", "--code", "mycode123"]);
    assert!(out.trim_end().ends_with("/rest/2/mycode123/"), "{out}");
    // A code in use, an unknown scope, an unknown user, a bad code.
    fails(dir, &["webhook", "add", "--user", "1", "--code", "mycode123"]);
    let err = fails(dir, &["webhook", "add", "--user", "2", "--scope", "im,crmm"]);
    assert!(err.contains("crmm"), "{err}");
    let err = fails(dir, &["webhook", "add", "--user", "99"]);
    assert!(err.contains("99"), "{err}");
    fails(dir, &["webhook", "add", "--user", "2", "--code", "no/slash"]);

    // webhook list / remove.
    let list = ok(dir, &["webhook", "list"]);
    let rows: Vec<Vec<&str>> = list.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert_eq!(rows[0][1], "2");
    assert_eq!(rows[0][3], "im,user");
    assert!(!list.contains(&code) && !list.contains("mycode123"), "codes are not listed in clear: {list}");
    let id = rows[1][0];
    assert_eq!(ok(dir, &["webhook", "remove", id]), "");
    assert_eq!(ok(dir, &["webhook", "list"]).lines().count(), 1);
    fails(dir, &["webhook", "remove", id]);

    // app add: JSON with exactly three keys.
    let out = ok(dir, &["app", "add", "--name", "X"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    let app: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(keys(&app), ["client_id", "client_secret", "application_token"]);
    let client_id = app["client_id"].as_str().unwrap();
    assert!(client_id.starts_with("local."), "{client_id}");
    assert!(app["client_secret"].as_str().unwrap().len() >= 32);
    assert!(!app["application_token"].as_str().unwrap().is_empty());
    let apps = ok(dir, &["app", "list"]);
    assert!(apps.contains(client_id) && !apps.contains(app["client_secret"].as_str().unwrap()), "{apps}");

    // app token: the token JSON.
    let out = ok(dir, &["app", "token", "--client-id", client_id, "--user", "1"]);
    let t: Value = serde_json::from_str(&out).expect("JSON");
    for k in ["access_token", "refresh_token", "expires_in", "client_endpoint", "server_endpoint", "member_id"] {
        assert!(t.get(k).is_some(), "{k} in {t}");
    }
    assert_eq!(t["expires_in"], 3600);
    assert_eq!(t["user_id"], 1);
    assert!(t["client_endpoint"].as_str().unwrap().ends_with("/rest/"));
    assert_eq!(t["member_id"].as_str().unwrap().len(), 32);
    fails(dir, &["app", "token", "--client-id", "local.nope.1", "--user", "1"]);
    fails(dir, &["app", "token", "--client-id", client_id, "--user", "99"]);
    fails(dir, &["app", "add", "--name", "Y", "--scope", "bogus"]);
}

/// A `serve` child: killed (by its pid) if the test fails before stopping it.
struct Server {
    child: Option<Child>,
    lines: mpsc::Receiver<String>,
    stdout: Vec<String>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let log = std::fs::File::create(dir.join("serve.log")).unwrap();
        let mut child = imbotd(dir)
            .args(["serve", "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--rate-limit", "off"])
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("spawn serve");
        let out = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Server { child: Some(child), lines, stdout: Vec::new() }
    }

    /// Read stdout until a line satisfies `done`; returns all lines read so far.
    fn read_until(&mut self, done: impl Fn(&str) -> bool) -> &[String] {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    let stop = done(&l);
                    self.stdout.push(l);
                    if stop {
                        return &self.stdout;
                    }
                }
                Err(e) => panic!("serve output ended or stalled ({e}); so far: {:#?}", self.stdout),
            }
        }
    }

    fn value(&self, label: &str) -> String {
        self.stdout
            .iter()
            .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| panic!("no {label} line in {:#?}", self.stdout))
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// SIGTERM, then wait for the exit (well within the 30 s grace). Async, so that this test's own HTTP/2
    /// connections keep running (the server's graceful GOAWAY waits for the client's PING ack).
    async fn terminate(&mut self) -> std::process::ExitStatus {
        let st = Command::new("kill").args(["-TERM", &self.pid().to_string()]).status().expect("kill");
        assert!(st.success());
        let mut child = self.child.take().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("serve did not exit within 10 s of SIGTERM");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn client_trusting(ca: &Path) -> reqwest::Client {
    let pem = std::fs::read(ca).expect("ca.pem");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get_json(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let r = client.get(url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}")))
}

#[tokio::test]
async fn serve_runs_answers_stops_on_sigterm_and_restarts() {
    let tmp = common::db::TestDir::new();
    let dir = tmp.path();
    // An admin command before the first start already creates the database; the first `serve` still prints
    // the admin webhook.
    assert_eq!(ok(dir, &["user", "add", "--name", "John Smith"]), "2\n");

    let mut server = Server::start(dir);
    let is_https_hook = |l: &str| l.trim().starts_with("https://") && l.contains("/rest/1/");
    let lines = server.read_until(is_https_hook).to_vec();
    assert!(lines[0].starts_with("imbotd ") && lines[0].contains("is running"), "{lines:#?}");
    let http = server.value("http:");
    let https = server.value("https:");
    assert!(http.starts_with("http://127.0.0.1:") && https.starts_with("https://127.0.0.1:"), "{lines:#?}");
    let http_hook =
        lines.iter().map(|l| l.trim()).find(|l| l.starts_with("http://") && l.contains("/rest/1/")).unwrap().to_owned();
    let https_hook = lines.iter().map(|l| l.trim()).find(|l| is_https_hook(l)).unwrap().to_owned();
    assert_eq!(http_hook, format!("{http}/rest/1/{}/", code_of(&https_hook)));
    assert_eq!(https_hook, format!("{https}/rest/1/{}/", code_of(&https_hook)));
    let ca_path = dir.join("tls").join("ca.pem");
    assert!(lines.iter().any(|l| l.contains(&ca_path.display().to_string())), "the CA to trust is named: {lines:#?}");
    let endpoints: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run/endpoints.json")).unwrap()).unwrap();
    assert_eq!(endpoints["http"], http);
    assert_eq!(endpoints["pid"], server.pid());

    let client = client_trusting(&ca_path);
    let (status, body) = get_json(&client, &format!("{https_hook}profile")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["ID"], "1");
    assert_eq!(body["result"]["ADMIN"], true);
    let (status, body) = get_json(&client, &format!("{http_hook}user.get?ID=2")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"][0]["NAME"], "John");

    let (status, body) = get_json(&client, &format!("{http}/healthz")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let metrics = client.get(format!("{http}/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("imbotd_rest_requests"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("imbotd_rest_requests")
            && l.contains("method=\"profile\"")
            && l.contains("status=\"200\"")),
        "{text}"
    );

    // The admin CLI against the running server: the URL carries the server's actual port.
    let out = ok(dir, &["webhook", "add", "--user", "2", "--scope", "user"]);
    let hook2 = out.trim_end().to_owned();
    assert!(hook2.starts_with(&format!("{http}/rest/2/")), "{hook2} on {http}");
    let (status, body) = get_json(&client, &format!("{hook2}profile")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["ID"], "2");
    // And an app token's endpoints point at it too.
    let app: Value = serde_json::from_str(&ok(dir, &["app", "add", "--name", "Live"])).unwrap();
    let t: Value = serde_json::from_str(&ok(
        dir,
        &["app", "token", "--client-id", app["client_id"].as_str().unwrap(), "--user", "1"],
    ))
    .unwrap();
    assert_eq!(t["client_endpoint"], format!("{https}/rest/"));
    let (status, body) = get_json(
        &client,
        &format!("{}profile?auth={}", t["client_endpoint"].as_str().unwrap(), t["access_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!((status, body["result"]["ID"].as_str()), (200, Some("1")), "{body}");

    let ca_before = std::fs::read(&ca_path).unwrap();
    let status = server.terminate().await;
    assert_eq!(status.code(), Some(0), "clean exit on SIGTERM");
    assert!(!dir.join("run/endpoints.json").exists(), "the endpoints file is removed on exit");

    // Second start on the same data dir: same certificate, no new admin webhook, old credentials work.
    let mut server = Server::start(dir);
    let lines = server.read_until(|l| l.contains("webhooks:") || l.contains("/rest/1/")).to_vec();
    assert!(!lines.iter().any(|l| l.contains("admin webhook") || l.contains("/rest/1/")), "{lines:#?}");
    let http2 = server.value("http:");
    assert_eq!(std::fs::read(&ca_path).unwrap(), ca_before, "the generated certificate is reused");
    let client = client_trusting(&ca_path);
    let code = code_of(&https_hook);
    let https2 = server.value("https:");
    for base in [&http2, &https2] {
        let (status, body) = get_json(&client, &format!("{base}/rest/1/{code}/profile")).await;
        assert_eq!(status, 200, "{base}: {body}");
        assert_eq!(body["result"]["ID"], "1");
    }
    let (status, _) = get_json(&client, &format!("{http2}/rest/2/{}/profile", code_of(&hook2))).await;
    assert_eq!(status, 200);
    assert_eq!(server.terminate().await.code(), Some(0));
}
