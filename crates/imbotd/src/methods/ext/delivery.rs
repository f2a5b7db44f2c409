//! `imbotd.delivery.list`, `.get`, `.resend`, `.status`, `.ping` — the delivery log over REST, so a bot's
//! developer can see every attempt of every event sent to their handlers and replay any of them.
//!
//! Who sees what: an OAuth app sees its own events; a webhook call with `CLIENT_ID` sees the events of that
//! (webhook, CLIENT_ID) bot owner; a portal administrator's webhook without `CLIENT_ID` sees everything.
//! Anyone else → `403 ACCESS_DENIED`. Another app's event is `400 ERROR_ARGUMENT` "Event not found", as if it
//! did not exist. Results use the same field names as `imbotd deliveries show`.

use crate::domain::{AppId, CallerKind};
use crate::error::Error;
use crate::methods::im::positive;
use crate::methods::imbot::owner;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::outbox::{self, Summary};
use imbot_wire::params::{scalar_string, value_int};
use imbot_wire::{ErrorCode, Params};
use serde_json::{json, Value};

macro_rules! spec {
    ($name:ident, $wire:literal, $f:ident) => {
        pub static $name: MethodSpec = MethodSpec {
            name: $wire,
            scopes: &[crate::domain::Scope::Imbot],
            doc: "docs/compat.md",
            case: ParamCase::Upper,
            batchable: true,
            handler: crate::handler!($f),
        };
    };
}

spec!(LIST, "imbotd.delivery.list", list);
spec!(GET, "imbotd.delivery.get", get);
spec!(RESEND, "imbotd.delivery.resend", resend);
spec!(STATUS, "imbotd.delivery.status", status);
spec!(PING, "imbotd.delivery.ping", ping);

/// The app whose events the caller may see; `None` = all (an administrator's webhook without CLIENT_ID).
async fn scope(ctx: &CallCtx, p: &Params) -> Result<Option<AppId>, Error> {
    let has_client = p.get("CLIENT_ID").and_then(scalar_string).is_some_and(|s| !s.trim().is_empty());
    match &ctx.caller.kind {
        CallerKind::Webhook { .. } if !has_client => {
            if ctx.caller.is_admin {
                Ok(None)
            } else {
                Err(Error::api(ErrorCode::ACCESS_DENIED, "Access denied! Client ID not specified"))
            }
        }
        _ => Ok(Some(owner(ctx, p).await?.id)),
    }
}

fn summary_json(e: &Summary) -> Value {
    json!({
        "id": e.id, "app_id": e.app_id.0, "event": e.event, "handler_url": e.handler_url, "status": e.status,
        "attempts": e.attempts, "next_attempt_at": e.next_attempt_at, "last_status": e.last_status,
        "last_error": e.last_error, "created_at": e.created_at, "delivered_at": e.delivered_at,
    })
}

async fn visible(ctx: &CallCtx, p: &Params) -> Result<Summary, Error> {
    let app = scope(ctx, p).await?;
    let not_found = || Error::api(ErrorCode::ERROR_ARGUMENT, "Event not found");
    let id = positive(p, "ID").ok_or_else(not_found)?;
    let e = outbox::summary(&ctx.state.store, id).await?.ok_or_else(not_found)?;
    if app.is_some_and(|a| a != e.app_id) {
        return Err(not_found());
    }
    Ok(e)
}

async fn list(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = scope(ctx, &p).await?;
    let text = |k: &str| p.get(k).and_then(scalar_string).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let status = text("STATUS");
    if status.as_deref().is_some_and(|s| !matches!(s, "pending" | "sending" | "delivered" | "failed")) {
        return Err(Error::api(ErrorCode::ERROR_ARGUMENT, "STATUS is one of pending, sending, delivered, failed"));
    }
    let f = outbox::Filter {
        app,
        status,
        event: text("EVENT"),
        since: p.get("SINCE").and_then(value_int),
        until: p.get("UNTIL").and_then(value_int),
        limit: p.get("LIMIT").and_then(value_int).filter(|l| *l > 0).unwrap_or(50).min(200),
    };
    let rows = outbox::list(&ctx.state.store, &f).await?;
    Ok(Value::Array(rows.iter().map(summary_json).collect()).into())
}

async fn get(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let e = visible(ctx, &p).await?;
    let log: Vec<Value> = outbox::attempts(&ctx.state.store, e.id)
        .await?
        .into_iter()
        .map(|a| {
            json!({
                "attempt": a.attempt, "started_at": a.started_at, "duration_ms": a.duration_ms, "url": a.url,
                "http_status": a.http_status, "response": a.response, "error": a.error, "next_attempt_at": a.next_attempt_at,
            })
        })
        .collect();
    let mut v = summary_json(&e);
    v["log"] = Value::Array(log);
    Ok(v.into())
}

async fn resend(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let e = visible(ctx, &p).await?;
    if !outbox::resend(&ctx.state.store, e.id, ctx.state.clock.unix()).await? {
        return Err(Error::api(ErrorCode::WRONG_REQUEST, "The event is being sent right now"));
    }
    ctx.state.outbox_signal.notify_one();
    Ok(Value::Bool(true).into())
}

async fn status(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = scope(ctx, &p).await?;
    let url = p.get("URL").and_then(scalar_string).filter(|s| !s.is_empty());
    let rows = outbox::handler_status_of(&ctx.state.store, url.as_deref(), app).await?;
    Ok(Value::Array(
        rows.iter()
            .map(|h| {
                json!({
                    "url": h.handler_url, "pending": h.pending, "failed": h.failed, "delivered": h.delivered,
                    "last_success_at": h.last_success_at, "last_error_at": h.last_error_at, "last_error": h.last_error,
                    "next_attempt_at": h.next_attempt_at, "disabled_at": h.disabled_at,
                })
            })
            .collect(),
    )
    .into())
}

async fn ping(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = scope(ctx, &p).await?;
    let url = p
        .get("URL")
        .and_then(scalar_string)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::api(ErrorCode::ERROR_ARGUMENT, "URL is required"))?;
    if let Some(a) = app {
        if !outbox::app_uses_handler(&ctx.state.store, a, &url).await? {
            return Err(Error::api(ErrorCode::ERROR_ARGUMENT, "No events of this app for that URL"));
        }
    }
    let n = outbox::ping(&ctx.state.store, &url, ctx.state.clock.unix()).await?;
    ctx.state.outbox_signal.notify_one();
    Ok(Value::from(n).into())
}
