//! The delivery worker: POSTs outbox events to bot handlers.
//!
//! It claims due events (oldest first, one at a time per handler + dialog, so each dialog's events arrive in
//! order), mints the bots' and the user's tokens for the app at send time, encodes the Bitrix form body
//! (`imbot_wire::events`), POSTs it with a per-attempt timeout and no redirects, logs the attempt, and marks the
//! event delivered (2xx), schedules a retry (5 s, 30 s, 2 min, 10 min, 1 h …) or, after `max_attempts`, failed.
//! A handler's error, slowness or absence never touches the API call that caused the event: that call
//! returned when the event was committed; and a slow handler holds one of the worker's concurrent slots, so
//! other handlers' events keep flowing. Events left half-sent by a crash are sent again after restart
//! (at-least-once).

use crate::app::AppState;
use crate::domain::{AppId, UserId};
use crate::events::handler_id;
use crate::store::apps::{self, App};
use crate::store::outbox::{self, Event};
use imbot_wire::events::{bot_entry, event_body, AuthBlock};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Attempts in flight at once, across all handlers.
pub const CONCURRENCY: usize = 16;

/// Delays before attempt 2, 3, … (the last repeats).
pub const RETRY_DELAYS: &[i64] = &[5, 30, 120, 600, 3600];

/// Start the worker; it stops when `stop` turns true, after finishing the attempts in flight.
pub fn spawn(state: Arc<AppState>, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        match outbox::recover(&state.store).await {
            Ok(n) if n > 0 => tracing::warn!(events = n, "re-queued events left in flight by the previous run"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot recover the outbox"),
        }
        let client = match reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(state.config.delivery_timeout))
            .user_agent(concat!("imbotd/", env!("CARGO_PKG_VERSION")))
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "cannot build the delivery HTTP client; events stay queued");
                return;
            }
        };
        // At most CONCURRENCY attempts in flight; a slow handler holds one permit, never the others' events.
        let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
        loop {
            if *stop.borrow() {
                break;
            }
            let free = permits.available_permits();
            let batch = if free == 0 {
                Vec::new()
            } else {
                match outbox::claim_due(&state.store, state.clock.unix(), free as i64).await {
                    Ok(b) => b,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot claim events");
                        Vec::new()
                    }
                }
            };
            let busy = !batch.is_empty();
            for e in batch {
                let Ok(permit) = permits.clone().acquire_owned().await else { break };
                let (state, client) = (state.clone(), client.clone());
                tokio::spawn(async move {
                    deliver(&state, &client, e).await;
                    drop(permit);
                    // A finished attempt may unblock the next event of its handler and dialog.
                    state.outbox_signal.notify_one();
                });
            }
            if busy && permits.available_permits() > 0 {
                continue;
            }
            tokio::select! {
                _ = state.outbox_signal.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                _ = stop.changed() => {}
            }
        }
        // Let the attempts in flight finish (each is bounded by the attempt timeout).
        let _ = permits.acquire_many(CONCURRENCY as u32).await;
    })
}

async fn auth_for(
    state: &AppState,
    app: &App,
    user: UserId,
    with_refresh: bool,
) -> Result<AuthBlock, crate::store::StoreError> {
    let ttl = state.config.access_token_ttl;
    let now = state.clock.unix();
    let t = apps::issue_tokens(&state.store, app, user, ttl, state.config.refresh_token_ttl, now).await?;
    Ok(AuthBlock {
        access_token: t.access_token,
        expires: t.access_expires_at,
        expires_in: ttl,
        scope: t.scopes.to_list(),
        domain: state.urls.domain(),
        server_endpoint: state.urls.server_endpoint(),
        status: "L".into(),
        client_endpoint: state.urls.client_endpoint(),
        member_id: state.member_id.clone(),
        user_id: user.0,
        refresh_token: with_refresh.then_some(t.refresh_token),
        client_id: app.client_id.clone(),
        application_token: app.application_token.clone(),
    })
}

/// The body of `e` with fresh tokens.
async fn body(state: &AppState, app: &App, e: &Event) -> Result<String, crate::store::StoreError> {
    let mut data = e.data.clone();
    for section in ["COMMAND", "BOT"] {
        if let Some(Value::Object(entries)) = data.get_mut(section) {
            for entry in entries.values_mut() {
                let Value::Object(fields) = entry else { continue };
                let bot = fields.get("BOT_ID").and_then(|v| v.as_str()).and_then(|s| s.parse().ok()).unwrap_or(0);
                if bot > 0 {
                    let auth = auth_for(state, app, UserId(bot), true).await?;
                    *entry = Value::Object(bot_entry(Some(&auth), std::mem::take(fields)));
                }
            }
        }
    }
    // A webhook-owned bot's app is not an app the users installed: it gets the outgoing-webhook `auth`
    // (no user tokens, SPEC-NOTES §3.3), so holding one user's webhook never yields other users' tokens.
    let webhook_owned = app.webhook_client_id.is_some();
    let auth: Option<Map<String, Value>> = if webhook_owned {
        None
    } else if e.event == "ONAPPINSTALL" && e.auth_user.0 > 0 {
        Some(install_auth(&auth_for(state, app, e.auth_user, true).await?))
    } else if e.auth_user.0 > 0 {
        Some(auth_for(state, app, e.auth_user, e.with_refresh).await?.top_level())
    } else {
        None
    };
    let auth = auth.or_else(|| {
        let mut m = Map::new();
        m.insert("domain".into(), Value::String(state.urls.domain()));
        m.insert("client_endpoint".into(), Value::String(state.urls.client_endpoint()));
        m.insert("server_endpoint".into(), Value::String(state.urls.server_endpoint()));
        m.insert("member_id".into(), Value::String(state.member_id.clone()));
        m.insert("application_token".into(), Value::String(app.application_token.clone()));
        Some(m)
    });
    Ok(event_body(&e.event, handler_id(AppId(app.id.0), &e.event), data, state.clock.unix(), auth))
}

/// The `auth` of `ONAPPINSTALL`, in its documented order (`on-app-install.md`).
fn install_auth(a: &AuthBlock) -> Map<String, Value> {
    let mut m = Map::new();
    let s = |v: String| Value::String(v);
    m.insert("domain".into(), s(a.domain.clone()));
    m.insert("scope".into(), s(a.scope.clone()));
    m.insert("access_token".into(), s(a.access_token.clone()));
    m.insert("refresh_token".into(), s(a.refresh_token.clone().unwrap_or_default()));
    m.insert("expires_in".into(), s(a.expires_in.to_string()));
    m.insert("server_endpoint".into(), s(a.server_endpoint.clone()));
    m.insert("status".into(), s(a.status.clone()));
    m.insert("client_endpoint".into(), s(a.client_endpoint.clone()));
    m.insert("member_id".into(), s(a.member_id.clone()));
    m.insert("application_token".into(), s(a.application_token.clone()));
    m
}

/// Where to POST: webhook-owned handlers get `CLIENT_ID` appended, as Bitrix does (SPEC-NOTES §2.2).
fn target_url(app: &App, url: &str) -> String {
    match &app.webhook_client_id {
        Some(cid) => {
            let sep = if url.contains('?') { '&' } else { '?' };
            let mut enc = String::new();
            imbot_wire::form::urlencode_into(&mut enc, cid.as_bytes());
            format!("{url}{sep}CLIENT_ID={enc}")
        }
        None => url.to_owned(),
    }
}

async fn deliver(state: &AppState, client: &reqwest::Client, e: Event) {
    let attempt = e.attempts + 1;
    let started = state.clock.unix();
    let t0 = Instant::now();
    let app = match apps::by_id(&state.store, e.app_id).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            finish(state, &e, attempt, started, t0, None, Some("the owning app no longer exists"), false, None).await;
            return;
        }
        Err(err) => {
            tracing::error!(event_id = e.id, error = %err, "cannot load the app of an event");
            finish(state, &e, attempt, started, t0, None, Some("internal error"), false, Some(started + 5)).await;
            return;
        }
    };
    let body = match body(state, &app, &e).await {
        Ok(b) => b,
        Err(err) => {
            tracing::error!(event_id = e.id, error = %err, "cannot build an event body");
            finish(state, &e, attempt, started, t0, None, Some("internal error"), false, Some(started + 5)).await;
            return;
        }
    };
    let url = target_url(&app, &e.handler_url);
    let result = client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-imbotd-delivery-id", e.id.to_string())
        .header("x-imbotd-attempt", attempt.to_string())
        .body(body)
        .send()
        .await;
    let (status, error, ok) = match result {
        Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None, true),
        Ok(r) => (Some(r.status().as_u16()), Some(format!("handler answered HTTP {}", r.status().as_u16())), false),
        Err(err) if err.is_timeout() => {
            (None, Some(format!("timed out after {} s", state.config.delivery_timeout)), false)
        }
        Err(err) => (None, Some(format!("cannot reach the handler: {err}")), false),
    };
    let retry_at = (!ok && attempt < state.config.delivery_max_attempts)
        .then(|| state.clock.unix() + RETRY_DELAYS[((attempt - 1) as usize).min(RETRY_DELAYS.len() - 1)]);
    if ok {
        tracing::info!(event_id = e.id, event = %e.event, url = %e.handler_url, attempt, "event delivered");
    } else {
        tracing::warn!(event_id = e.id, event = %e.event, url = %e.handler_url, attempt, error = error.as_deref().unwrap_or(""), retry_at, "event delivery failed");
    }
    finish(state, &e, attempt, started, t0, status, error.as_deref(), ok, retry_at).await;
}

#[allow(clippy::too_many_arguments)]
async fn finish(
    state: &AppState,
    e: &Event,
    attempt: i64,
    started: i64,
    t0: Instant,
    status: Option<u16>,
    error: Option<&str>,
    ok: bool,
    retry_at: Option<i64>,
) {
    let ms = t0.elapsed().as_millis() as i64;
    if let Err(err) = outbox::finish_attempt(
        &state.store,
        e.id,
        attempt,
        started,
        ms,
        status,
        error,
        ok,
        retry_at,
        state.clock.unix(),
    )
    .await
    {
        tracing::error!(event_id = e.id, error = %err, "cannot record a delivery attempt; the event will be sent again");
    }
}
