//! The delivery log and its repairs: every attempt is logged (handler URL, HTTP status, the first 20 KB of the
//! answer, the error, the next attempt), retries follow the configured schedule with jitter, a handler's
//! `Retry-After` wins (clamped), a 429 without it doubles the step, the last attempt makes a dead letter, and
//! `imbotd deliveries list|show|resend|recover` (the real binary, on the running server's data dir) read and
//! repair it.

mod bot_util;
mod common;

use bot_util::*;
use common::TestServer;
use imbotd::store::outbox::{self, Attempt};
use serde_json::Value;
use std::time::{Duration, Instant};

/// A server with the given retry policy and logs captured.
async fn server_with(schedule: Vec<i64>, max_attempts: i64, jitter: f64, retry_after_max: i64) -> TestServer {
    logs();
    TestServer::start_with(move |c| {
        c.delivery_retry_schedule = schedule;
        c.delivery_max_attempts = max_attempts;
        c.delivery_jitter = jitter;
        c.delivery_retry_after_max = retry_after_max;
    })
    .await
}

/// The outbox id of event `name` sent to `url` (the only one).
async fn event_id(s: &TestServer, name: &str, url: &str) -> i64 {
    let rows: Vec<OutboxRow> = queued(s, name).await.into_iter().filter(|r| r.handler_url == url).collect();
    assert_eq!(rows.len(), 1, "one {name} for {url}: {rows:#?}");
    rows[0].id
}

/// Wait until event `id` has at least `n` logged attempts and is no longer being sent; returns the log.
async fn wait_attempts(s: &TestServer, id: i64, n: usize) -> Vec<Attempt> {
    let until = Instant::now() + WAIT;
    loop {
        let log = outbox::attempts(&s.state.store, id).await.expect("attempts");
        let status = outbox::status(&s.state.store, id).await.expect("status");
        if log.len() >= n && status.as_deref() != Some("sending") {
            return log;
        }
        assert!(Instant::now() < until, "expected {n} attempts of event {id} within {WAIT:?}: {log:#?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Wait until event `id` has `status` after `attempts` attempts.
async fn wait_status(s: &TestServer, id: i64, status: &str, attempts: i64) {
    let until = Instant::now() + WAIT;
    loop {
        let e = outbox::summary(&s.state.store, id).await.expect("summary").expect("the event exists");
        if e.status == status && e.attempts == attempts {
            return;
        }
        assert!(Instant::now() < until, "expected event {id} {status} after {attempts} attempts: {e:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Wait for the start of a second of the server's clock (so an attempt that follows soon starts and ends in
/// it, and a delay can be checked to the second); returns the clock's seconds.
async fn second_start(s: &TestServer) -> i64 {
    let ms = s.clock.now().timestamp_subsec_millis();
    if ms > 100 {
        tokio::time::sleep(Duration::from_millis(u64::from(1010 - ms))).await;
    }
    s.now()
}

/// The server's clock (seconds) before an attempt was triggered and after it was logged.
#[derive(Debug, Clone, Copy)]
struct Window(i64, i64);

/// Assert that the next attempt after `a` is `lo..=hi` seconds after the attempt, which happened in `w`.
fn assert_delay(a: &Attempt, lo: i64, hi: i64, w: Window) {
    assert!((w.0..=w.1).contains(&a.started_at), "attempt within {w:?}: {a:#?}");
    let next = a.next_attempt_at.unwrap_or_else(|| panic!("a next attempt is scheduled: {a:#?}"));
    assert!(
        (w.0 + lo..=w.1 + hi).contains(&next),
        "next attempt {} s after the attempt, expected {lo}..={hi} s (window {w:?}): {a:#?}",
        next - a.started_at
    );
}

/// Move the clock on by `secs` at the start of a second and wait for attempt `n` of event `id`.
async fn retry(s: &TestServer, id: i64, secs: u64, n: usize) -> (Vec<Attempt>, Window) {
    second_start(s).await;
    s.clock.advance(Duration::from_secs(secs));
    let before = s.now();
    let log = wait_attempts(s, id, n).await;
    (log, Window(before, s.now()))
}

/// A handler answering `status` (and `header`), a bot of a fresh OAuth app on it, and a message from Anna to
/// that bot; returns the handler, the outbox id of the `ONIMBOTJOINCHAT` (the first event sent), its first
/// attempt and when that happened.
async fn failing_bot(
    s: &TestServer,
    anna: &Person,
    code: &str,
    status: u16,
    header: Option<(&str, &str)>,
) -> (Handler, i64, Attempt, Window) {
    let h = Handler::start().await;
    h.set_status(status);
    if let Some((k, v)) = header {
        h.set_header(k, v);
    }
    let api = Api::oauth(s, 1).await;
    let bot = api.register(s, code, "B", &h.url("/bot")).await;
    let before = second_start(s).await;
    anna.send(s, bot, "hello").await;
    let id = event_id(s, "ONIMBOTJOINCHAT", &h.url("/bot")).await;
    let log = wait_attempts(s, id, 1).await;
    assert_eq!(log.len(), 1, "{log:#?}");
    let w = Window(before, s.now());
    (h, id, log[0].clone(), w)
}

#[tokio::test]
async fn a_failed_attempt_is_logged_with_url_status_answer_error_and_next_attempt() {
    let s = server_with(vec![5, 30], 9, 0.2, 3600).await;
    let anna = person(&s, "Anna Weber").await;
    let h = Handler::start().await;
    h.set_status(502);
    h.set_body("upstream exploded: database is gone");
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "logbot", "B", &h.url("/bot")).await;
    let before = second_start(&s).await;
    anna.send(&s, bot, "hello").await;
    let id = event_id(&s, "ONIMBOTJOINCHAT", &h.url("/bot")).await;

    let log = wait_attempts(&s, id, 1).await;
    let w = Window(before, s.now());
    assert_eq!(log.len(), 1, "{log:#?}");
    let a = &log[0];
    assert_eq!(a.attempt, 1);
    assert_eq!(a.url, h.url("/bot"));
    assert_eq!(a.http_status, Some(502));
    assert_eq!(a.response, "upstream exploded: database is gone");
    let err = a.error.as_deref().unwrap_or_else(|| panic!("an error is logged: {a:#?}"));
    assert!(err.contains("502"), "{err}");
    // Jitter 0.2 on the first 5 s step: 4..=6 s.
    assert_delay(a, 4, 6, w);
    let e = outbox::summary(&s.state.store, id).await.unwrap().unwrap();
    assert_eq!((e.status.as_str(), e.attempts), ("pending", 1));
    assert_eq!(Some(e.next_attempt_at), a.next_attempt_at, "the event waits for the logged next attempt");
    assert_eq!(e.last_status, Some(502));
    assert_eq!(h.events("ONIMBOTJOINCHAT").len(), 1);

    // A 30 KB answer is logged cut to its first 20 KB; the second step is 30 s (24..=36 with jitter).
    let big: String = (0..30 * 1024).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    h.set_body(&big);
    let (log, w) = retry(&s, id, 7, 2).await;
    let a = &log[1];
    assert_eq!(a.attempt, 2);
    assert_eq!(a.response.len(), 20 * 1024, "the answer is cut to 20 KB");
    assert_eq!(a.response, big[..20 * 1024]);
    assert_delay(a, 24, 36, w);

    // A multi-byte answer is cut at a character boundary: the log holds a prefix of what the handler said.
    let euros = "€".repeat(10 * 1024);
    h.set_body(&euros);
    let (log, _) = retry(&s, id, 37, 3).await;
    let a = &log[2];
    assert!(a.response.len() <= 20 * 1024 && a.response.len() > 20 * 1024 - 3, "{} bytes", a.response.len());
    assert!(
        euros.starts_with(&a.response),
        "the logged answer is a prefix of the answer: …{:?}",
        &a.response[a.response.len() - 9..]
    );
}

#[tokio::test]
async fn without_jitter_the_delay_is_exactly_the_step_and_the_last_step_repeats() {
    let s = server_with(vec![5, 30], 9, 0.0, 3600).await;
    let anna = person(&s, "Anna Weber").await;
    let (h, id, a, w) = failing_bot(&s, &anna, "exactbot", 500, None).await;
    assert_delay(&a, 5, 5, w);
    // Not due before the step is over.
    s.clock.advance(Duration::from_secs(3));
    assert_eq!(h.after(Duration::from_millis(700), "ONIMBOTJOINCHAT").await.len(), 1, "no retry before 5 s");
    let (log, w) = retry(&s, id, 3, 2).await;
    assert_eq!(h.events("ONIMBOTJOINCHAT")[1].header("x-imbotd-attempt"), Some("2"));
    assert_delay(&log[1], 30, 30, w);
    let (log, w) = retry(&s, id, 31, 3).await;
    assert_delay(&log[2], 30, 30, w);
}

#[tokio::test]
async fn retry_after_wins_is_clamped_and_a_429_without_it_doubles_the_step() {
    let s = server_with(vec![5], 9, 0.0, 600).await;
    let anna = person(&s, "Anna Weber").await;
    let (h120, id120, a, w) = failing_bot(&s, &anna, "ra120", 429, Some(("Retry-After", "120"))).await;
    assert_eq!(a.http_status, Some(429));
    assert_delay(&a, 120, 120, w);
    let (_h_max, _, a, w) = failing_bot(&s, &anna, "ramax", 503, Some(("Retry-After", "99999"))).await;
    assert_eq!(a.http_status, Some(503));
    assert_delay(&a, 600, 600, w);
    let (_h429, _, a, w) = failing_bot(&s, &anna, "plain429", 429, None).await;
    assert_delay(&a, 10, 10, w);
    let date = s.now() + 200;
    let http_date = chrono::DateTime::from_timestamp(date, 0).unwrap().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let (_h_date, _, a, _) = failing_bot(&s, &anna, "radate", 503, Some(("Retry-After", &http_date))).await;
    let next = a.next_attempt_at.expect("scheduled");
    assert!((date..=date + 1).contains(&next), "{http_date}: next attempt at {next}, expected {date}: {a:#?}");

    // The schedule's 5 s do not apply; the 120 s do.
    s.clock.advance(Duration::from_secs(6));
    assert_eq!(h120.after(Duration::from_millis(700), "ONIMBOTJOINCHAT").await.len(), 1, "no retry after 6 s");
    h120.set_status(200);
    h120.clear_headers();
    s.clock.advance(Duration::from_secs(115));
    let r = h120.wait_event_nth("ONIMBOTJOINCHAT", 2).await;
    assert_eq!(r.header("x-imbotd-attempt"), Some("2"));
    wait_status(&s, id120, "delivered", 2).await;
}

#[tokio::test]
async fn after_max_attempts_the_event_is_a_dead_letter() {
    let s = server_with(vec![5, 30], 3, 0.0, 3600).await;
    let anna = person(&s, "Anna Weber").await;
    let (h, id, _, _) = failing_bot(&s, &anna, "deadbot", 500, None).await;
    wait_status(&s, id, "pending", 1).await;
    retry(&s, id, 6, 2).await;
    wait_status(&s, id, "pending", 2).await;
    let (log, _) = retry(&s, id, 31, 3).await;
    wait_status(&s, id, "failed", 3).await;
    assert_eq!(log.iter().map(|a| a.attempt).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(log[0].next_attempt_at.is_some() && log[1].next_attempt_at.is_some(), "{log:#?}");
    assert_eq!(log[2].next_attempt_at, None, "no next attempt after the last: {log:#?}");
    assert!(log.iter().all(|a| a.http_status == Some(500) && a.url == h.url("/bot")), "{log:#?}");

    // No more attempts, however long we wait.
    s.clock.advance(Duration::from_secs(24 * 3600));
    let joins = h.after(Duration::from_millis(1200), "ONIMBOTJOINCHAT").await;
    let attempts: Vec<_> = joins.iter().map(|r| r.header("x-imbotd-attempt").unwrap_or("").to_owned()).collect();
    assert_eq!(attempts, ["1", "2", "3"]);
    assert_eq!(outbox::attempts(&s.state.store, id).await.unwrap().len(), 3);
    wait_status(&s, id, "failed", 3).await;
}

/// Run `imbotd --data-dir DIR deliveries ARGS…` (the real binary); returns (exit code, stdout, stderr).
async fn cli(s: &TestServer, args: &[&str]) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_imbotd"));
    cmd.arg("--data-dir").arg(s.dir.path()).arg("deliveries").args(args);
    for var in ["IMBOTD_CONFIG", "IMBOTD_DATA_DIR", "IMBOTD_DATABASE_URL", "IMBOTD_PUBLIC_URL"] {
        cmd.env_remove(var);
    }
    cmd.envs(s.db_env());
    let out = tokio::task::spawn_blocking(move || cmd.output()).await.unwrap().expect("run imbotd");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// Run and expect success; returns stdout.
async fn cli_ok(s: &TestServer, args: &[&str]) -> String {
    let (code, out, err) = cli(s, args).await;
    assert_eq!(code, 0, "deliveries {args:?} failed: {err}");
    out
}

/// The event ids of `deliveries list` output, in order.
fn ids(out: &str) -> Vec<i64> {
    out.lines()
        .map(|l| l.split('\t').next().unwrap().parse().unwrap_or_else(|_| panic!("a line starting with an id: {l:?}")))
        .collect()
}

/// Sorted ids of the outbox rows of `url` (and `event`, when given).
async fn ids_of(s: &TestServer, url: &str, event: Option<&str>) -> Vec<i64> {
    let mut v: Vec<i64> = outbox(s)
        .await
        .into_iter()
        .filter(|r| r.handler_url == url && event.is_none_or(|e| r.event == e))
        .map(|r| r.id)
        .collect();
    v.sort_unstable();
    v
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

/// Handlers A (failing), B (answering 200) and C (failing), a bot of its own app on each, Anna messaging each
/// (twice for A); with one attempt per event A's and C's events end up failed, B's delivered.
struct Scene {
    s: TestServer,
    a: Handler,
    b: Handler,
    c: Handler,
    app_b: i64,
}

async fn scene() -> Scene {
    let s = server_with(vec![5], 1, 0.0, 3600).await;
    let anna = person(&s, "Anna Weber").await;
    let (a, b, c) = (Handler::start().await, Handler::start().await, Handler::start().await);
    a.set_status(500);
    a.set_body("A is broken");
    c.set_status(503);
    let bot_a = Api::oauth(&s, 1).await.register(&s, "abot", "B", &a.url("/a")).await;
    let bot_b = Api::oauth(&s, 1).await.register(&s, "bbot", "B", &b.url("/b")).await;
    let bot_c = Api::oauth(&s, 1).await.register(&s, "cbot", "B", &c.url("/c")).await;
    anna.send(&s, bot_a, "one").await;
    anna.send(&s, bot_a, "two").await;
    anna.send(&s, bot_b, "hi").await;
    anna.send(&s, bot_c, "hey").await;
    drained(&s).await;
    let rows = outbox(&s).await;
    for r in &rows {
        let want = if r.handler_url == b.url("/b") { "delivered" } else { "failed" };
        assert_eq!(r.status, want, "{rows:#?}");
    }
    let b_join = event_id(&s, "ONIMBOTJOINCHAT", &b.url("/b")).await;
    let app_b = outbox::summary(&s.state.store, b_join).await.unwrap().unwrap().app_id.0;
    Scene { s, a, b, c, app_b }
}

#[tokio::test]
async fn cli_lists_with_filters_and_shows_the_attempt_log() {
    let Scene { s, a, b, c, app_b } = scene().await;
    let all: Vec<i64> = outbox(&s).await.iter().rev().map(|r| r.id).collect();
    assert_eq!(all.len(), 7, "join + 2 messages, join + message, join + message");

    let out = cli_ok(&s, &["list"]).await;
    assert_eq!(ids(&out), all, "every event, newest first:\n{out}");
    let failed_line = out.lines().find(|l| l.contains(&a.url("/a"))).unwrap();
    assert!(failed_line.contains("failed") && failed_line.contains("500"), "{failed_line}");

    let failed = cli_ok(&s, &["list", "--status", "failed"]).await;
    let mut want = ids_of(&s, &a.url("/a"), None).await;
    want.extend(ids_of(&s, &c.url("/c"), None).await);
    assert_eq!(sorted(ids(&failed)), sorted(want), "{failed}");
    assert!(failed.lines().all(|l| l.split('\t').nth(1) == Some("failed")), "{failed}");

    let of_b = cli_ok(&s, &["list", "--app", &app_b.to_string()]).await;
    assert_eq!(sorted(ids(&of_b)), ids_of(&s, &b.url("/b"), None).await, "{of_b}");
    assert!(cli_ok(&s, &["list", "--app", &app_b.to_string(), "--status", "failed"]).await.is_empty());

    let joins = cli_ok(&s, &["list", "--event", "ONIMBOTJOINCHAT"]).await;
    let want: Vec<i64> = outbox(&s).await.iter().filter(|r| r.event == "ONIMBOTJOINCHAT").map(|r| r.id).collect();
    assert_eq!(sorted(ids(&joins)), want, "{joins}");
    let a_adds = cli_ok(&s, &["list", "--event", "ONIMBOTMESSAGEADD", "--status", "failed", "--limit", "10"]).await;
    let mut want = ids_of(&s, &a.url("/a"), Some("ONIMBOTMESSAGEADD")).await;
    want.extend(ids_of(&s, &c.url("/c"), Some("ONIMBOTMESSAGEADD")).await);
    assert_eq!(sorted(ids(&a_adds)), sorted(want), "{a_adds}");
    assert_eq!(ids(&cli_ok(&s, &["list", "--limit", "2"]).await), all[..2]);

    // show: the event and its attempt log as JSON.
    let id = event_id(&s, "ONIMBOTJOINCHAT", &a.url("/a")).await;
    let out = cli_ok(&s, &["show", &id.to_string()]).await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("show prints JSON ({e}): {out}"));
    assert_eq!(v["id"], id);
    assert_eq!(v["event"], "ONIMBOTJOINCHAT");
    assert_eq!(v["handler_url"], a.url("/a"));
    assert_eq!(v["status"], "failed");
    assert_eq!(v["attempts"], 1);
    let log = v["log"].as_array().unwrap_or_else(|| panic!("an attempt log: {v}"));
    assert_eq!(log.len(), 1, "{v}");
    assert_eq!(log[0]["attempt"], 1);
    assert_eq!(log[0]["url"], a.url("/a"));
    assert_eq!(log[0]["http_status"], 500);
    assert_eq!(log[0]["response"], "A is broken");
    assert!(log[0]["error"].as_str().is_some_and(|e| e.contains("500")), "{v}");
    assert_eq!(log[0]["next_attempt_at"], Value::Null, "the only attempt was the last: {v}");
    assert!(log[0]["started_at"].is_i64() && log[0]["duration_ms"].is_i64(), "{v}");
}

#[tokio::test]
async fn cli_resend_redrives_a_dead_letter_and_replays_a_delivered_event() {
    let Scene { s, a, b, .. } = scene().await;
    let dead = event_id(&s, "ONIMBOTJOINCHAT", &a.url("/a")).await;
    a.set_status(200);
    assert_eq!(cli_ok(&s, &["resend", &dead.to_string()]).await, "");
    let r = a.wait_event_nth("ONIMBOTJOINCHAT", 2).await;
    assert_eq!(r.header("x-imbotd-attempt"), Some("2"));
    wait_status(&s, dead, "delivered", 2).await;
    let log = outbox::attempts(&s.state.store, dead).await.unwrap();
    assert_eq!((log[1].http_status, log[1].error.as_deref()), (Some(200), None), "{log:#?}");
    // Only that event: A's other dead letters stay failed.
    for id in ids_of(&s, &a.url("/a"), Some("ONIMBOTMESSAGEADD")).await {
        assert_eq!(outbox::status(&s.state.store, id).await.unwrap().as_deref(), Some("failed"));
    }

    // A delivered event is replayed.
    let done = event_id(&s, "ONIMBOTMESSAGEADD", &b.url("/b")).await;
    cli_ok(&s, &["resend", &done.to_string()]).await;
    let r = b.wait_event_nth("ONIMBOTMESSAGEADD", 2).await;
    assert_eq!(r.data()["PARAMS"]["MESSAGE"], "hi");
    wait_status(&s, done, "delivered", 2).await;
    assert_eq!(b.after(Duration::from_millis(700), "ONIMBOTMESSAGEADD").await.len(), 2, "replayed once");
}

#[tokio::test]
async fn cli_recover_redrives_every_failed_event_of_a_handler() {
    let Scene { s, a, c, .. } = scene().await;
    let url = a.url("/a");
    a.set_status(200);
    // A window that holds none of them, either way of writing times.
    let later = (s.now() + 3600).to_string();
    assert_eq!(cli_ok(&s, &["recover", "--url", &url, "--since", &later]).await.trim(), "0");
    assert_eq!(cli_ok(&s, &["recover", "--url", &url, "--until", "2001-01-01T00:00:00Z"]).await.trim(), "0");
    assert_eq!(cli_ok(&s, &["recover", "--url", "http://127.0.0.1:9/nobody"]).await.trim(), "0");
    assert_eq!(a.after(Duration::from_millis(700), "ONIMBOTJOINCHAT").await.len(), 1, "nothing redriven yet");

    let out = cli_ok(&s, &["recover", "--url", &url]).await;
    assert_eq!(out.trim(), "3", "join + 2 messages of A: {out:?}");
    for id in ids_of(&s, &url, None).await {
        wait_status(&s, id, "delivered", 2).await;
    }
    let texts: Vec<Value> =
        a.events("ONIMBOTMESSAGEADD").iter().map(|r| r.data()["PARAMS"]["MESSAGE"].clone()).collect();
    assert_eq!(texts, ["one", "two", "one", "two"], "each failed once, then redriven in order");
    // The other failing handler's events are untouched.
    let c_before = c.requests().len();
    for id in ids_of(&s, &c.url("/c"), None).await {
        assert_eq!(outbox::status(&s.state.store, id).await.unwrap().as_deref(), Some("failed"));
    }
    assert_eq!(c.after(Duration::from_millis(700), "ONIMBOTJOINCHAT").await.len(), 1);
    assert_eq!(c.requests().len(), c_before);
    assert_eq!(cli_ok(&s, &["recover", "--url", &url]).await.trim(), "0", "nothing failed is left");
}

#[tokio::test]
async fn cli_rejects_bad_arguments() {
    let s = server_with(vec![5], 1, 0.0, 3600).await;
    for args in [
        &["show", "abc"][..],
        &["show", "999999"],
        &["resend", "999999"],
        &["resend"],
        &["list", "--status", "lost"],
        &["list", "--since", "yesterday"],
        &["list", "--app", "one"],
        &["recover"],
        &["recover", "--url", "http://x/", "--until", "tomorrow"],
        &["frobnicate"],
    ] {
        let (code, out, err) = cli(&s, args).await;
        assert_ne!(code, 0, "deliveries {args:?} must fail; stdout {out:?}");
        assert!(!err.trim().is_empty(), "deliveries {args:?}: a message on stderr");
        assert!(out.is_empty(), "deliveries {args:?}: nothing on stdout, got {out:?}");
    }
    let (_, _, err) = cli(&s, &["show", "999999"]).await;
    assert!(err.contains("999999"), "{err}");
    let (_, _, err) = cli(&s, &["list", "--status", "lost"]).await;
    assert!(err.contains("lost"), "{err}");
}

#[tokio::test]
async fn a_redriven_dead_letter_gets_a_fresh_set_of_retries() {
    let s = TestServer::start_with(|c| {
        c.delivery_retry_schedule = vec![5];
        c.delivery_max_attempts = 2;
        c.delivery_jitter = 0.0;
    })
    .await;
    let h = Handler::start().await;
    h.set_status(500);
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "redrive", "B", &h.url("/hook")).await;
    person(&s, "Anna Weber").await.send(&s, bot, "hi").await;
    let dead = |rows: Vec<OutboxRow>| rows.into_iter().find(|r| r.status == "failed");
    let mut row = None;
    for _ in 0..100 {
        s.clock.advance(std::time::Duration::from_secs(6));
        tokio::time::sleep(std::time::Duration::from_millis(60)).await;
        if let Some(r) = dead(outbox(&s).await) {
            row = Some(r);
            break;
        }
    }
    let row = row.expect("a dead letter after 2 attempts");
    assert_eq!(row.attempts, 2);
    assert!(imbotd::store::outbox::resend(&s.state.store, row.id, s.now()).await.unwrap());
    s.state.outbox_signal.notify_one();
    // Still failing: the redrive makes 2 more attempts (not 1) before it is a dead letter again.
    let until = std::time::Instant::now() + WAIT;
    loop {
        s.clock.advance(std::time::Duration::from_secs(6));
        tokio::time::sleep(std::time::Duration::from_millis(60)).await;
        let r = outbox(&s).await.into_iter().find(|r| r.id == row.id).unwrap();
        if r.status == "failed" && r.attempts > 2 {
            assert_eq!(r.attempts, 4, "{r:?}");
            break;
        }
        assert!(std::time::Instant::now() < until, "{r:?}");
    }
}

#[tokio::test]
async fn cli_status_per_handler_and_ping_clears_the_backoff() {
    let s = TestServer::start_with(|c| {
        c.delivery_retry_schedule = vec![3600];
        c.delivery_jitter = 0.0;
    })
    .await;
    let h = Handler::start().await;
    h.set_status(500);
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "pinged", "B", &h.url("/hook")).await;
    person(&s, "Anna Weber").await.send(&s, bot, "hi").await;
    h.wait_requests(1).await;
    let until = Instant::now() + WAIT;
    let status = loop {
        let out = cli_ok(&s, &["status", "--url", &h.url("/hook")]).await;
        let v: Value = serde_json::from_str(out.trim()).expect("one JSON line");
        if v["last_error"].is_string() {
            break v;
        }
        assert!(Instant::now() < until, "{v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status["url"], h.url("/hook"));
    assert!(status["pending"].as_i64().unwrap() >= 2, "{status}");
    assert!(status["last_error"].as_str().unwrap().contains("500"), "{status}");
    assert!(status["last_success_at"].is_null());
    assert!(status["next_attempt_at"].as_i64().unwrap() >= s.now() + 3000, "backed off for an hour: {status}");
    // The bot is back: ping makes its pending events due now, no clock needed.
    h.set_status(200);
    let n: i64 = cli_ok(&s, &["ping", "--url", &h.url("/hook")]).await.trim().parse().unwrap();
    assert!(n >= 1, "{n}");
    s.state.outbox_signal.notify_one();
    h.wait_event("ONIMBOTMESSAGEADD").await;
    let until = Instant::now() + WAIT;
    loop {
        let v: Value = serde_json::from_str(cli_ok(&s, &["status"]).await.trim()).unwrap();
        if v["pending"] == 0 {
            assert!(v["last_success_at"].as_i64().is_some() && v["delivered"].as_i64().unwrap() >= 2, "{v}");
            break;
        }
        assert!(Instant::now() < until, "{v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(cli_ok(&s, &["ping", "--url", &h.url("/hook")]).await.trim(), "0");
}

#[tokio::test]
async fn a_handler_failing_too_long_is_disabled_its_owner_told_and_ping_resumes_it() {
    let s = TestServer::start_with(|c| {
        c.delivery_retry_schedule = vec![20];
        c.delivery_jitter = 0.0;
        c.delivery_disable_after = 60;
        c.delivery_max_attempts = 100;
    })
    .await;
    let h = Handler::start().await;
    h.set_status(503);
    let api = Api::webhook(&s, 1, "owned").await;
    let bot = api.register(&s, "flaky", "B", &h.url("/hook")).await;
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "hello").await;
    h.wait_requests(1).await;
    // Fail for more than a minute of server time.
    let until = Instant::now() + WAIT;
    loop {
        s.clock.advance(Duration::from_secs(21));
        tokio::time::sleep(Duration::from_millis(80)).await;
        let v: Value = serde_json::from_str(cli_ok(&s, &["status", "--url", &h.url("/hook")]).await.trim()).unwrap();
        if v["disabled_at"].is_i64() {
            break;
        }
        assert!(Instant::now() < until, "never disabled: {v}");
    }
    // The owner (user 1, whose webhook registered the bot) gets the notice in the dialog with the bot (posted
    // right after the handler is marked disabled, in a transaction of its own).
    let owner_hook = s.webhook_for(1, "im").await;
    let until = Instant::now() + WAIT;
    loop {
        let page = s
            .post_json(
                &format!("{owner_hook}im.dialog.messages.get"),
                &serde_json::json!({"DIALOG_ID": bot.to_string()}),
            )
            .await;
        let texts: Vec<String> = page.2["result"]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_owned())
            .collect();
        if texts.iter().any(|t| t.contains("is paused") && t.contains("deliveries ping")) {
            break;
        }
        assert!(Instant::now() < until, "no notice for the owner: {texts:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Disabled: no more attempts, however long we wait.
    let seen = h.requests().len();
    s.clock.advance(Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(h.requests().len(), seen, "a disabled handler is not called");
    // Fixed and pinged: the held events go out.
    h.set_status(200);
    cli_ok(&s, &["ping", "--url", &h.url("/hook")]).await;
    s.state.outbox_signal.notify_one();
    h.wait_event("ONIMBOTMESSAGEADD").await;
    let v: Value = serde_json::from_str(cli_ok(&s, &["status", "--url", &h.url("/hook")]).await.trim()).unwrap();
    assert!(v["disabled_at"].is_null(), "{v}");
}
