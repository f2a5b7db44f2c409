//! `imbotd deliveries …`: the delivery log and its repairs, on the same data dir as `serve` (also while it
//! runs: its worker picks re-queued events up within half a second).
//!
//! * `list [--app ID] [--status pending|sending|delivered|failed] [--event NAME] [--since T] [--until T] [--limit N]`
//!   — one line per event, newest first: id, status, attempts, event, app, handler, last status/error;
//! * `show ID` — the event and every attempt as JSON (URL, status, latency, answer, error, next attempt);
//! * `resend ID` — send it again now (replay a delivered event, or redrive a dead letter);
//! * `recover --url URL [--since T] [--until T]` — redrive every failed event of a handler in a window;
//!   prints how many;
//! * `status [--url URL]` — per handler, as JSON lines: pending, failed and delivered counts, last success,
//!   last error, next attempt (like Telegram's getWebhookInfo);
//! * `ping --url URL` — clear a handler's backoff (and re-enable it if it was disabled for failing too long)
//!   after the bot restarted: its pending events are due now;
//!   prints how many. Times are unix seconds or RFC 3339.

use super::GlobalArgs;
use crate::domain::{AppId, Clock};
use crate::store::{outbox, Store};
use clap::Subcommand;
use serde_json::json;

#[derive(Debug, Subcommand)]
pub enum DeliveriesCmd {
    /// List events, newest first.
    List {
        #[arg(long)]
        app: Option<i64>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Show one event and its attempts as JSON.
    Show { id: i64 },
    /// Send an event again now.
    Resend { id: i64 },
    /// Per-handler delivery state as JSON lines.
    Status {
        #[arg(long)]
        url: Option<String>,
    },
    /// Make a handler's pending events due now; prints how many.
    Ping {
        #[arg(long)]
        url: String,
    },
    /// Redrive the failed events of a handler URL created in a time window; prints how many.
    Recover {
        #[arg(long)]
        url: String,
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
    },
}

/// Unix seconds from `1795300000` or `2026-11-22T00:00:00Z`.
fn time_arg(v: &Option<String>, name: &str) -> Result<Option<i64>, String> {
    match v {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .or_else(|| chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp()))
            .map(Some)
            .ok_or_else(|| format!("--{name} {s:?}: unix seconds or an RFC 3339 time")),
    }
}

pub async fn deliveries(global: &GlobalArgs, cmd: DeliveriesCmd) -> Result<(), Box<dyn std::error::Error>> {
    let config = global.load(None)?;
    let store = Store::open(&config.effective_database_url(), Clock::system().unix()).await?;
    let now = Clock::system().unix();
    match cmd {
        DeliveriesCmd::List { app, status, event, since, until, limit } => {
            if let Some(st) = &status {
                if !matches!(st.as_str(), "pending" | "sending" | "delivered" | "failed") {
                    return Err(format!("--status {st:?}: pending, sending, delivered or failed").into());
                }
            }
            let f = outbox::Filter {
                app: app.map(AppId),
                status,
                event,
                since: time_arg(&since, "since")?,
                until: time_arg(&until, "until")?,
                limit,
            };
            for e in outbox::list(&store, &f).await? {
                let last = match (&e.last_status, &e.last_error) {
                    (_, Some(err)) => err.clone(),
                    (Some(st), None) => format!("HTTP {st}"),
                    (None, None) => String::new(),
                };
                println!(
                    "{}\t{}\t{}\t{}\tapp:{}\t{}\t{}",
                    e.id, e.status, e.attempts, e.event, e.app_id, e.handler_url, last
                );
            }
        }
        DeliveriesCmd::Show { id } => {
            let e = outbox::summary(&store, id).await?.ok_or_else(|| format!("no event with ID {id}"))?;
            let attempts: Vec<_> = outbox::attempts(&store, id)
                .await?
                .into_iter()
                .map(|a| {
                    json!({
                        "attempt": a.attempt, "started_at": a.started_at, "duration_ms": a.duration_ms, "url": a.url,
                        "http_status": a.http_status, "response": a.response, "error": a.error,
                        "next_attempt_at": a.next_attempt_at,
                    })
                })
                .collect();
            let v = json!({
                "id": e.id, "app_id": e.app_id.0, "event": e.event, "handler_url": e.handler_url, "status": e.status,
                "attempts": e.attempts, "next_attempt_at": e.next_attempt_at, "created_at": e.created_at,
                "delivered_at": e.delivered_at, "log": attempts,
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        DeliveriesCmd::Resend { id } => {
            if !outbox::resend(&store, id, now).await? {
                return Err(format!("no event with ID {id} (or it is being sent right now)").into());
            }
        }
        DeliveriesCmd::Status { url } => {
            for h in outbox::handler_status(&store, url.as_deref()).await? {
                println!(
                    "{}",
                    json!({
                        "url": h.handler_url, "pending": h.pending, "failed": h.failed, "delivered": h.delivered,
                        "last_success_at": h.last_success_at, "last_error_at": h.last_error_at,
                        "last_error": h.last_error, "next_attempt_at": h.next_attempt_at, "disabled_at": h.disabled_at,
                    })
                );
            }
        }
        DeliveriesCmd::Ping { url } => {
            println!("{}", outbox::ping(&store, &url, now).await?);
        }
        DeliveriesCmd::Recover { url, since, until } => {
            let since = time_arg(&since, "since")?.unwrap_or(0);
            let until = time_arg(&until, "until")?.unwrap_or(i64::MAX);
            println!("{}", outbox::recover(&store, &url, since, until, now).await?);
        }
    }
    store.close().await;
    Ok(())
}
