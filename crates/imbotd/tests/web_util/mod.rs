//! Browser harness for `web_e2e.rs`: one chromedriver per test binary on a free loopback port (shared by the
//! tests running at the same time, stopped when the last of them ends), headless Chromium sessions driven with
//! fantoccini, polling waits that fail with what they waited for (and the page's error banner), a check that
//! nothing in the page is executable, and a tiny static file server for `crates/imbotd/web/`.
//!
//! Missing Chromium or chromedriver is a failure, not a skip: CI installs both (`.ci/run`). `CHROMEDRIVER` and
//! `CHROME` override the Debian paths `/usr/bin/chromedriver` and `/usr/bin/chromium`.
#![allow(dead_code)]

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::{json, Value};
use std::future::Future;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// How long a wait for something in the page may take before the test fails.
pub const UI_WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// The workspace's `target/web-e2e/` (screenshots, the chromedriver log).
pub fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/web-e2e");
    std::fs::create_dir_all(&dir).expect("create target/web-e2e");
    dir
}

fn tool(env: &str, default: &str, package: &str) -> String {
    let path = std::env::var(env).unwrap_or_else(|_| default.to_owned());
    assert!(
        Path::new(&path).is_file(),
        "the browser tests need {path} (Debian package `{package}`: apt-get install chromium chromium-driver; \
         or set {env}); .ci/run installs it"
    );
    path
}

/// A running chromedriver.
pub struct Driver {
    pub url: String,
    port: u16,
    child: Mutex<Child>,
    chrome: String,
}

static DRIVER: Mutex<Weak<Driver>> = Mutex::new(Weak::new());

/// The chromedriver of this test binary, started on first use; it stops when the last holder drops it.
pub fn driver() -> Arc<Driver> {
    let mut slot = DRIVER.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = slot.upgrade() {
        return d;
    }
    let d = Arc::new(Driver::start());
    *slot = Arc::downgrade(&d);
    d
}

impl Driver {
    fn start() -> Driver {
        let bin = tool("CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
        let chrome = tool("CHROME", "/usr/bin/chromium", "chromium");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().unwrap().port();
        let log = out_dir().join("chromedriver.log");
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .arg("--log-level=WARNING")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        let d = Driver { url: format!("http://127.0.0.1:{port}"), port, child: Mutex::new(child), chrome };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let until = Instant::now() + UI_WAIT;
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = d.child.lock().unwrap().try_wait() {
                panic!("{bin} exited at start ({status}); see {}", log.display());
            }
            assert!(Instant::now() < until, "{bin} did not listen on port {port} within {UI_WAIT:?}");
            std::thread::sleep(Duration::from_millis(25));
        }
        d
    }

    /// A new headless Chromium session.
    pub async fn session(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": self.chrome,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                         "--disable-dev-shm-usage", "--no-first-run", "--lang=en-US"],
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut last = None;
        // The first session right after start occasionally races chromedriver's own start-up: try twice.
        for _ in 0..2 {
            match ClientBuilder::new(connector.clone()).capabilities(caps.clone()).connect(&self.url).await {
                Ok(c) => return c,
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        panic!("cannot open a Chromium session through chromedriver at {}: {:?}", self.url, last.unwrap());
    }
}

impl Drop for Driver {
    /// `GET /shutdown` quits the browsers it still runs; then make sure the process is gone.
    fn drop(&mut self) {
        if let Ok(mut s) = TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], self.port)), POLL * 4) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = s.write_all(b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            let _ = s.read(&mut [0u8; 256]);
        }
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let until = Instant::now() + Duration::from_secs(3);
        while Instant::now() < until {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Run `body` with `n` fresh browser sessions; the sessions are closed afterwards, also when `body` panics
/// (the panic is then resumed).
pub async fn with_browsers<F, Fut>(n: usize, body: F)
where
    F: FnOnce(Vec<Client>) -> Fut,
    Fut: Future<Output = ()>,
{
    let driver = driver();
    let mut clients = Vec::new();
    for _ in 0..n {
        clients.push(driver.session().await);
    }
    let outcome = AssertUnwindSafe(body(clients.clone())).catch_unwind().await;
    for c in clients {
        let _ = c.close().await;
    }
    drop(driver);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// One signed-in (or signing-in) user's browser window on the server at `base`.
#[derive(Clone)]
pub struct Page {
    pub c: Client,
    pub base: String,
    /// Who this is, for failure messages.
    pub who: String,
}

impl Page {
    pub fn new(c: &Client, base: &str, who: &str) -> Page {
        Page { c: c.clone(), base: base.to_owned(), who: who.to_owned() }
    }

    /// Run `script` (a function body; `arguments` are `args`) in the page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.c.execute(script, args).await.unwrap_or_else(|e| panic!("[{}] script failed: {e}\n{script}", self.who))
    }

    /// The text of the error banner, when it shows.
    pub async fn error_banner(&self) -> Option<String> {
        let v = self
            .c
            .execute(
                "const e = document.querySelector('[data-test=error]'); return e && !e.hidden ? e.textContent : null;",
                vec![],
            )
            .await
            .ok()?;
        v.as_str().map(|s| s.trim().to_owned())
    }

    async fn timed_out(&self, what: &str) -> ! {
        let banner = self.error_banner().await.map(|b| format!("; the error banner says: {b:?}")).unwrap_or_default();
        let url = self.c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        panic!("[{}] waited {UI_WAIT:?} for {what} (page {url}){banner}", self.who)
    }

    /// Poll `script` until it returns something truthy (not null/false/""/0); returns that value.
    pub async fn until(&self, what: &str, script: &str, args: Vec<Value>) -> Value {
        let until = Instant::now() + UI_WAIT;
        loop {
            let v = self.js(script, args.clone()).await;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return v;
            }
            if Instant::now() > until {
                self.timed_out(what).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The first element matching `css` that is displayed, waiting for it.
    pub async fn shown(&self, css: &str) -> Element {
        let until = Instant::now() + UI_WAIT;
        loop {
            if let Ok(all) = self.c.find_all(Locator::Css(css)).await {
                for e in all {
                    if e.is_displayed().await.unwrap_or(false) {
                        return e;
                    }
                }
            }
            if Instant::now() > until {
                self.timed_out(&format!("a visible {css}")).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until no element matching `css` is displayed.
    pub async fn gone(&self, css: &str) {
        let script = "return [...document.querySelectorAll(arguments[0])].every((e) => !e.checkVisibility());";
        self.until(&format!("no visible {css}"), script, vec![json!(css)]).await;
    }

    /// Click the first visible `css`. The app re-renders lists and messages (keyed, but a changed message or
    /// the dialog list is rebuilt), so an element found a moment ago may be gone: then find it again.
    pub async fn click(&self, css: &str) {
        let until = Instant::now() + UI_WAIT;
        loop {
            match self.shown(css).await.click().await {
                Ok(()) => return,
                Err(e) if e.is_stale_element_reference() && Instant::now() < until => tokio::time::sleep(POLL).await,
                Err(e) => panic!("[{}] cannot click {css}: {e}", self.who),
            }
        }
    }

    /// The `innerText` of the first visible `css`, waiting for it.
    pub async fn text(&self, css: &str) -> String {
        let script = "const e = [...document.querySelectorAll(arguments[0])].find((x) => x.checkVisibility());
                      return e ? {text: e.innerText} : null;";
        let v = self.until(&format!("a visible {css}"), script, vec![json!(css)]).await;
        v["text"].as_str().unwrap_or_default().to_owned()
    }

    /// Attribute `name` of the first visible `css`, waiting for it.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let script = "const e = [...document.querySelectorAll(arguments[0])].find((x) => x.checkVisibility());
                      return e ? {value: e.getAttribute(arguments[1])} : null;";
        let v = self.until(&format!("a visible {css}"), script, vec![json!(css), json!(name)]).await;
        v["value"].as_str().map(str::to_owned)
    }

    /// Type `text` into the element (keys as a user presses them).
    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.shown(css).await;
        e.send_keys(text).await.unwrap_or_else(|err| panic!("[{}] cannot type into {css}: {err}", self.who));
    }

    /// Open `/` and sign in with the password form; returns when the chat view shows and the live stream is
    /// connected.
    pub async fn sign_in(&self, login: &str, password: &str) {
        self.c.goto(&format!("{}/", self.base)).await.expect("open the page");
        self.shown("[data-test=login-form]").await;
        self.type_into("[data-test=login-user]", login).await;
        self.type_into("[data-test=login-password]", password).await;
        self.click("[data-test=login-submit]").await;
        self.shown("[data-test=dialog-list]").await;
        self.shown("[data-test=logout]").await;
        self.until(
            "the live stream to connect",
            "return document.getElementById('live-status')?.classList.contains('online');",
            vec![],
        )
        .await;
    }

    /// The page-wide audit: every way the app's page could have been made to run content. Empty when inert.
    pub async fn executable_content(&self) -> Vec<String> {
        let v = self.js(AUDIT, vec![]).await;
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap_or_default().to_owned()).collect()
    }

    /// Replace `alert`, `confirm`, `prompt` and `print` with traps that count calls in `window.__trapped`.
    pub async fn trap_dialogs(&self) {
        self.js(
            "window.__trapped = []; for (const f of ['alert', 'confirm', 'prompt', 'print']) \
             window[f] = (...a) => { window.__trapped.push(f + '(' + a.join(',') + ')'); };",
            vec![],
        )
        .await;
    }

    pub async fn screenshot(&self) -> Vec<u8> {
        self.c.screenshot().await.unwrap_or_else(|e| panic!("[{}] screenshot: {e}", self.who))
    }
}

/// Lists what could execute: script elements other than the app's, `on*` attributes, `javascript:` (and other
/// non-http) URLs in href/src/action-like attributes, `srcdoc`, frames and objects, and what a payload or a
/// trapped dialog left behind (`window.__pwned`, `window.__trapped`).
const AUDIT: &str = r#"
const problems = [];
const app = new URL('/assets/app.js', location.href).href;
for (const s of document.querySelectorAll('script')) if (s.src !== app) problems.push('script element: ' + s.outerHTML.slice(0, 200));
for (const el of document.querySelectorAll('*')) {
  for (const a of el.attributes) {
    const v = a.value.trim().toLowerCase();
    if (/^on/i.test(a.name)) problems.push(`${a.name} attribute on <${el.tagName.toLowerCase()}>: ${a.value.slice(0, 100)}`);
    if (['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'srcset'].includes(a.name.toLowerCase())
        && /^(javascript|vbscript|data:text|data:application)/.test(v.replace(/[\s\u0000-\u001f]/g, '')))
      problems.push(`${a.name}="${a.value.slice(0, 100)}" on <${el.tagName.toLowerCase()}>`);
    if (a.name.toLowerCase() === 'srcdoc') problems.push('srcdoc on <' + el.tagName.toLowerCase() + '>');
  }
  if (['IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName)) problems.push(`<${el.tagName.toLowerCase()}> element`);
}
if (document.querySelector('a[href^="javascript:" i]')) problems.push('a[href^="javascript:"]');
if (typeof window.__pwned !== 'undefined') problems.push('window.__pwned = ' + String(window.__pwned));
if (Array.isArray(window.__trapped) && window.__trapped.length) problems.push('dialogs opened: ' + window.__trapped.join('; '));
return problems;
"#;

/// Serve the files of `dir` (one level, by name) on `127.0.0.1:0`; returns the base URL and the server task.
pub async fn static_server(dir: PathBuf) -> (String, tokio::task::JoinHandle<()>) {
    use axum::http::{header, StatusCode, Uri};
    use axum::response::IntoResponse;
    let dir = Arc::new(dir);
    let serve = move |uri: Uri| {
        let dir = dir.clone();
        async move {
            let name = uri.path().trim_start_matches('/');
            let listed = std::fs::read_dir(&*dir)
                .map(|rd| rd.flatten().any(|e| e.file_name().to_str() == Some(name)))
                .unwrap_or(false);
            if name.is_empty() || !listed {
                return (StatusCode::NOT_FOUND, "not found").into_response();
            }
            let ct = match name.rsplit('.').next() {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                _ => "application/octet-stream",
            };
            match std::fs::read(dir.join(name)) {
                Ok(body) => ([(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "no-store")], body).into_response(),
                Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
            }
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the static server");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = axum::Router::new().fallback(serve);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (base, task)
}
