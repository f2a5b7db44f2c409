//! The delivery worker: POSTs outbox events to bot handlers.
//!
//! It claims due events (oldest first, one at a time per handler + dialog, so each dialog's events arrive in
//! order), mints the bots' and the user's tokens for the app at send time (one transaction per claimed batch,
//! committed before any of its POSTs: a handler may call back with its tokens at once), encodes the Bitrix form body
//! (`imbot_wire::events`), POSTs it with a per-attempt timeout and no redirects, logs the attempt (URL, status,
//! latency, the first 20 KB of the answer, the error, the next attempt), and marks the event delivered (2xx),
//! schedules a retry ([`retry_delay`]: the configured schedule with jitter, `Retry-After` honoured, longer after
//! 429 and timeouts) or, after `max_attempts`, failed (a dead letter that `imbotd deliveries` can redrive).
//! Every attempt carries `webhook-id` (stable per event) and, when the app has signing keys
//! (`imbotd app secret`), `webhook-timestamp` and `webhook-signature` (Standard Webhooks).
//! A handler's error, slowness or absence never touches the API call that caused the event: that call
//! returned when the event was committed; and a slow handler holds one of the worker's concurrent slots, so
//! other handlers' events keep flowing. Events left half-sent by a crash are sent again after restart
//! (at-least-once).

use crate::app::AppState;
use crate::domain::{AppId, UserId};
use crate::events::handler_id;
use crate::store::apps::{self, App};
use crate::store::outbox::{self, Event};
use crate::store::signing;
use crate::store::Backend;

pub mod policy;
use imbot_wire::events::{bot_entry, event_body, AuthBlock};
use imbot_wire::v2::events::{webhook_body, BotEvent, WebhookAuth};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Attempts in flight at once, across all handlers.
pub const CONCURRENCY: usize = 64;

/// How much of a handler's answer the attempt log keeps.
pub const RESPONSE_LOG_BYTES: usize = 20 * 1024;

/// Seconds until the next attempt after failed attempt number `attempt` (1-based).
///
/// The schedule's step for this attempt (the last step repeats), doubled after a 429 or a timeout
/// (`slow`), spread by ±`jitter` (`unit` is a uniform random number in [0, 1)). A handler's `Retry-After`
/// replaces all that, clamped to [1, `retry_after_max`].
pub fn retry_delay(
    schedule: &[i64],
    attempt: i64,
    jitter: f64,
    unit: f64,
    retry_after: Option<i64>,
    slow: bool,
    retry_after_max: i64,
) -> i64 {
    if let Some(ra) = retry_after {
        return ra.clamp(1, retry_after_max.max(1));
    }
    let step =
        schedule.get(((attempt - 1).max(0) as usize).min(schedule.len().saturating_sub(1))).copied().unwrap_or(60);
    let base = if slow { step.saturating_mul(2) } else { step } as f64;
    let factor = 1.0 + jitter * (2.0 * unit - 1.0);
    (base * factor).round().max(0.0) as i64
}

/// `Retry-After` as seconds from `now`: delta-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: i64) -> Option<i64> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<i64>() {
        // A negative delay is not a valid Retry-After: ignore it.
        return (secs >= 0).then_some(secs);
    }
    chrono::DateTime::parse_from_rfc2822(v).ok().map(|t| (t.timestamp() - now).max(0))
}

/// Wall-clock unix seconds. Leases measure how long a process has really been gone, so they do not follow the
/// injectable clock that schedules retries (tests move that one by hours).
fn real_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Start the worker; it stops when `stop` turns true, after finishing the attempts in flight.
pub fn spawn(state: Arc<AppState>, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        // SQLite has one process: what it left claimed is ours to send again. On a shared PostgreSQL, other
        // instances may be sending right now: this instance takes back its own claims of before the restart,
        // and (below, every few seconds) those whose lease ran out, whoever made them.
        let requeued = match state.store.backend() {
            Backend::Sqlite => outbox::requeue_in_flight(&state.store).await,
            Backend::Postgres => outbox::requeue_own(&state.store, &state.instance).await,
        };
        match requeued {
            Ok(n) if n > 0 => tracing::warn!(events = n, "re-queued events left in flight by the previous run"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot recover the outbox"),
        }
        let lease = state.config.delivery_timeout as i64 + state.config.delivery_lease_margin;
        let mut next_lease_check = real_now() + 5;
        let resolver = Arc::new(policy::GuardedResolver { policy: state.config.outbound.clone() });
        let client = match reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(resolver)
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
        let mut next_purge = 0i64;
        loop {
            if *stop.borrow() {
                break;
            }
            // Hourly: forget OAuth tokens nobody can use any more (events mint two per attempt).
            let now = state.clock.unix();
            if now >= next_purge {
                next_purge = now + 3600;
                match apps::purge_dead_tokens(&state.store, now).await {
                    Ok(n) if n > 0 => tracing::info!(tokens = n, "purged dead OAuth tokens"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "cannot purge dead OAuth tokens"),
                }
                // Reserved offline batches never cleared are dropped after 30 days, as Bitrix drops them.
                match crate::store::offline::purge_reserved(&state.store, now - 30 * 86_400).await {
                    Ok(n) if n > 0 => tracing::info!(events = n, "dropped offline batches reserved over 30 days ago"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "cannot purge reserved offline batches"),
                }
                if let Err(e) = crate::store::web::purge(&state.store, now).await {
                    tracing::error!(error = %e, "cannot purge expired web sessions");
                }
                if let Err(e) = crate::store::files::purge_tokens(&state.store, now).await {
                    tracing::error!(error = %e, "cannot purge used and expired download links");
                }
                crate::limits::prune_shared(&state.limits).await;
            }
            if state.store.backend() == Backend::Postgres && real_now() >= next_lease_check {
                next_lease_check = real_now() + 5;
                match outbox::requeue_expired(&state.store, real_now()).await {
                    Ok(n) if n > 0 => {
                        tracing::warn!(events = n, "re-queued events of an instance that stopped mid-delivery")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "cannot re-queue expired claims"),
                }
            }
            let free = permits.available_permits();
            let (batch, claimed) = if free == 0 {
                (Vec::new(), None)
            } else {
                match outbox::claim_due(
                    &state.store,
                    state.clock.unix(),
                    free as i64,
                    state.config.delivery_per_handler,
                    &state.instance,
                    real_now() + lease,
                )
                .await
                {
                    Ok((b, committing)) => (b, Some(committing)),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot claim events");
                        (Vec::new(), None)
                    }
                }
            };
            let busy = !batch.is_empty();
            // The claim and the tokens commit while the worker claims on: each attempt waits for them itself.
            let (ready, gate) = prepare(&state, batch, claimed).await;
            for (e, ready) in ready {
                let gate = gate.clone();
                let Ok(permit) = permits.clone().acquire_owned().await else { break };
                let (state, client) = (state.clone(), client.clone());
                tokio::spawn(async move {
                    let ready = match gate.await {
                        Gate::Open => ready,
                        // Not claimed after all (its claim rolled back): it is still pending, for a later claim.
                        Gate::Unclaimed => return,
                        Gate::NoTokens => Ready::Internal,
                    };
                    let aftermath = deliver(&state, &client, e, ready).await;
                    drop(permit);
                    // A finished attempt may unblock the next event of its handler and dialog.
                    state.outbox_signal.notify_one();
                    aftermath.await;
                    // Committed: the event it promoted (the next of its dialog) is now visible to the claim's
                    // first look, which reads committed state.
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
    tx: &mut crate::store::Tx,
    app: &App,
    user: UserId,
    with_refresh: bool,
) -> Result<AuthBlock, crate::store::StoreError> {
    let ttl = state.config.access_token_ttl;
    let now = state.clock.unix();
    let t = apps::issue_tokens_tx(tx, app, user, ttl, state.config.refresh_token_ttl, now).await?;
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

/// The body of `e` with fresh tokens (all minted in one transaction, committed before the body is sent: the
/// handler may call back with them at once).
async fn body(state: &AppState, app: &App, e: &Event) -> Result<String, crate::store::StoreError> {
    let mut tx = state.store.begin().await?;
    let body = body_tx(state, &mut tx, app, e).await?;
    tx.commit().await?;
    Ok(body)
}

async fn body_tx(
    state: &AppState,
    tx: &mut crate::store::Tx,
    app: &App,
    e: &Event,
) -> Result<String, crate::store::StoreError> {
    if let Some(event) = BotEvent::parse(&e.event) {
        return v2_body(state, tx, app, e, event).await;
    }
    let mut data = e.data.clone();
    let tokens = app.event_tokens;
    for section in ["COMMAND", "BOT"] {
        if !tokens {
            break;
        }
        if let Some(Value::Object(entries)) = data.get_mut(section) {
            for entry in entries.values_mut() {
                let Value::Object(fields) = entry else { continue };
                let bot = fields.get("BOT_ID").and_then(|v| v.as_str()).and_then(|s| s.parse().ok()).unwrap_or(0);
                if bot > 0 {
                    let auth = auth_for(state, tx, app, UserId(bot), true).await?;
                    *entry = Value::Object(bot_entry(Some(&auth), std::mem::take(fields)));
                }
            }
        }
    }
    // A webhook-owned bot's app is not an app the users installed: it gets the outgoing-webhook `auth`
    // (no user tokens, SPEC-NOTES §3.3), so holding one user's webhook never yields other users' tokens.
    let webhook_owned = app.webhook_client_id.is_some();
    let auth: Option<Map<String, Value>> = if webhook_owned || !tokens {
        None
    } else if e.event == "ONAPPINSTALL" && e.auth_user.0 > 0 {
        Some(install_auth(&auth_for(state, tx, app, e.auth_user, true).await?))
    } else if e.auth_user.0 > 0 {
        Some(auth_for(state, tx, app, e.auth_user, e.with_refresh).await?.top_level())
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
    Ok(event_body(
        &e.event,
        e.handler_id.unwrap_or_else(|| handler_id(AppId(app.id.0), &e.event)),
        data,
        state.clock.unix(),
        auth,
    ))
}

/// A v2 bot's webhook event (docs/v2.md §5.5): the stored `data` starts with `bot: {id, code}`; the bot's fresh
/// tokens go under `bot.auth` (none for ONIMBOTV2DELETE, or when the app leaves tokens out), and the top-level
/// `auth` is only `{domain, application_token}`.
async fn v2_body(
    state: &AppState,
    tx: &mut crate::store::Tx,
    app: &App,
    e: &Event,
    event: BotEvent,
) -> Result<String, crate::store::StoreError> {
    let mut data = e.data.clone();
    if event != BotEvent::Delete && app.event_tokens && e.auth_user.0 > 0 {
        let auth = auth_for(state, tx, app, e.auth_user, false).await?;
        if let Some(Value::Object(bot)) = data.get_mut("bot") {
            bot.insert("auth".into(), Value::Object(auth.top_level()));
        }
    }
    let top = WebhookAuth { domain: state.urls.domain(), application_token: app.application_token.clone() };
    Ok(webhook_body(event, e.handler_id.unwrap_or(0), data, state.clock.unix(), &top))
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

/// Why the outbound policy refuses `url`, when its host is a literal IP address.
fn literal_ip_refusal(policy: &policy::Policy, url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?;
    let ip: std::net::IpAddr = host.trim_start_matches('[').trim_end_matches(']').parse().ok()?;
    policy.check(host, ip).err()
}

/// The event's stable delivery id (the same on every attempt): `webhook-id` / `X-Imbotd-Delivery-Id`.
/// Prefixed with the portal's member_id so ids of different portals never collide at one handler.
pub fn delivery_id(state: &AppState, event_id: i64) -> String {
    format!("msg_{}_{event_id}", state.member_id.get(..12).unwrap_or(&state.member_id))
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

/// A claimed event made ready to send: its app and its body with fresh tokens, or why it cannot be sent.
enum Ready {
    Send(App, String),
    /// The owning app is gone: the event fails for good.
    NoApp,
    /// A store error: the attempt is retried in 5 s.
    Internal,
}

/// Whether a prepared batch may be sent, once its claim's and its tokens' commits are on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Open,
    /// The claim's commit failed: the events were never claimed.
    Unclaimed,
    /// The tokens' commit failed: the bodies carry tokens that do not exist.
    NoTokens,
}

/// Make a claimed batch ready to send. The bodies' tokens are minted in one transaction for the whole batch
/// (one commit instead of one per event, on the store's single writer); if that transaction fails, each event
/// gets a transaction of its own, so one event's error cannot hold the others back. The claim's commit and
/// the tokens' are not waited for here, so the worker can claim the next batch meanwhile: the returned gate
/// resolves once both are on disk (the tokens' transaction began after the claim's was released, so it
/// commits with it or after it).
async fn prepare(
    state: &AppState,
    batch: Vec<Event>,
    claimed: Option<crate::store::Committing>,
) -> (Vec<(Event, Ready)>, futures_util::future::Shared<futures_util::future::BoxFuture<'static, Gate>>) {
    use futures_util::FutureExt;
    let claimed = claimed.unwrap_or_else(|| crate::store::committed(Default::default()));
    let mut found = Vec::with_capacity(batch.len());
    for e in batch {
        let app = match apps::by_id(&state.store, e.app_id).await {
            Ok(Some(app)) => Some(app),
            Ok(None) => None,
            Err(err) => {
                tracing::error!(event_id = e.id, error = %err, "cannot load the app of an event");
                found.push((e, Err(())));
                continue;
            }
        };
        found.push((e, Ok(app)));
    }
    let together = async {
        let mut tx = state.store.begin().await?;
        let mut bodies = Vec::with_capacity(found.len());
        for (e, app) in &found {
            bodies.push(match app {
                Ok(Some(app)) => Some(body_tx(state, &mut tx, app, e).await?),
                _ => None,
            });
        }
        let committing = tx.commit_later().await?;
        Ok::<_, crate::store::StoreError>((bodies, committing))
    };
    let (bodies, minted) = match together.await {
        Ok((bodies, committing)) => (bodies.into_iter().map(|b| b.map(Ok)).collect(), committing),
        Err(err) => {
            tracing::warn!(error = %err, events = found.len(), "cannot mint a batch's tokens together; one by one");
            let mut bodies = Vec::with_capacity(found.len());
            for (e, app) in &found {
                bodies.push(match app {
                    Ok(Some(app)) => Some(body(state, app, e).await),
                    _ => None,
                });
            }
            // Each of those committed on its own.
            (bodies, crate::store::committed(Default::default()))
        }
    };
    let gate: futures_util::future::BoxFuture<'static, Gate> = Box::pin(async move {
        if let Err(err) = claimed.await {
            tracing::error!(error = %err, "the commit of a claim failed; its events stay pending");
            return Gate::Unclaimed;
        }
        if let Err(err) = minted.await {
            tracing::error!(error = %err, "the commit of a batch's tokens failed");
            return Gate::NoTokens;
        }
        Gate::Open
    });
    let ready = found
        .into_iter()
        .zip(bodies)
        .map(|((e, app), body)| {
            let ready = match (app, body) {
                (Ok(Some(app)), Some(Ok(body))) => Ready::Send(app, body),
                (Ok(None), _) => Ready::NoApp,
                (Ok(Some(_)), Some(Err(err))) => {
                    tracing::error!(event_id = e.id, error = %err, "cannot build an event body");
                    Ready::Internal
                }
                _ => Ready::Internal,
            };
            (e, ready)
        })
        .collect();
    (ready, gate.shared())
}

/// One attempt at `e`. Returns what is left once the writer is free again (see [`Aftermath`]).
async fn deliver<'s>(state: &'s AppState, client: &reqwest::Client, e: Event, ready: Ready) -> Aftermath<'s> {
    let attempt = e.attempts + 1;
    let started = state.clock.unix();
    let t0 = Instant::now();
    let (app, body) = match ready {
        Ready::Send(app, body) => (app, body),
        Ready::NoApp => {
            let o = Outcome {
                url: e.handler_url.clone(),
                error: Some("the owning app no longer exists".into()),
                ..Outcome::default()
            };
            return finish(state, &e, attempt, started, t0, o, None).await;
        }
        Ready::Internal => {
            let o = Outcome { url: e.handler_url.clone(), error: Some("internal error".into()), ..Outcome::default() };
            return finish(state, &e, attempt, started, t0, o, Some(started + 5)).await;
        }
    };
    // v2 events go to the bot's `webhookUrl` as it is; v1 webhook bots' handlers get `CLIENT_ID` appended.
    let url =
        if BotEvent::parse(&e.event).is_some() { e.handler_url.clone() } else { target_url(&app, &e.handler_url) };
    // A literal IP never reaches the resolver: check it here (names are checked by `GuardedResolver`).
    if let Some(refusal) = literal_ip_refusal(&state.config.outbound, &url) {
        let o = Outcome { url: e.handler_url.clone(), error: Some(refusal), ..Outcome::default() };
        let retry_at = (attempt - e.redrive_base < state.config.delivery_max_attempts).then(|| {
            state.clock.unix()
                + retry_delay(&state.config.delivery_retry_schedule, attempt - e.redrive_base, 0.0, 0.5, None, false, 1)
        });
        tracing::warn!(event_id = e.id, url = %e.handler_url, "handler refused by the outbound policy");
        return finish(state, &e, attempt, started, t0, o, retry_at).await;
    }
    let delivery_id = delivery_id(state, e.id);
    let mut request = client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-imbotd-delivery-id", &delivery_id)
        .header("x-imbotd-attempt", attempt.to_string())
        .header("webhook-id", &delivery_id);
    match signing::live_keys(&state.store, app.id, state.clock.unix()).await {
        Ok(keys) if !keys.is_empty() => {
            let ts = state.clock.unix();
            request = request
                .header("webhook-timestamp", ts.to_string())
                .header("webhook-signature", imbot_wire::signature::header(&keys, &delivery_id, ts, body.as_bytes()));
        }
        Ok(_) => {}
        Err(err) => tracing::error!(event_id = e.id, error = %err, "cannot load signing keys; sending unsigned"),
    }
    let result = request.body(body).send().await;
    // The log shows the URL actually called (with `CLIENT_ID` for webhook bots).
    let mut outcome = Outcome { url: url.clone(), ..Outcome::default() };
    match result {
        Ok(r) => {
            let status = r.status();
            outcome.status = Some(status.as_u16());
            outcome.retry_after = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, state.clock.unix()));
            outcome.slow = status.as_u16() == 429;
            outcome.response = read_snippet(r).await;
            if status.is_success() {
                outcome.delivered = true;
            } else {
                outcome.error = Some(format!("handler answered HTTP {}", status.as_u16()));
            }
        }
        Err(err) if err.is_timeout() => {
            outcome.slow = true;
            outcome.error = Some(format!("timed out after {} s", state.config.delivery_timeout));
        }
        Err(err) => outcome.error = Some(format!("cannot reach the handler: {err}")),
    }
    let cfg = &state.config;
    let retry_at = (!outcome.delivered && attempt - e.redrive_base < cfg.delivery_max_attempts).then(|| {
        let unit: f64 = rand::random();
        state.clock.unix()
            + retry_delay(
                &cfg.delivery_retry_schedule,
                attempt - e.redrive_base,
                cfg.delivery_jitter,
                unit,
                outcome.retry_after,
                outcome.slow,
                cfg.delivery_retry_after_max,
            )
    });
    if outcome.delivered {
        tracing::info!(event_id = e.id, event = %e.event, url = %e.handler_url, attempt, "event delivered");
    } else {
        tracing::warn!(event_id = e.id, event = %e.event, url = %e.handler_url, attempt, error = outcome.error.as_deref().unwrap_or(""), retry_at, "event delivery failed");
    }
    finish(state, &e, attempt, started, t0, outcome, retry_at).await
}

/// What is left of an attempt once its log is released to the writer: waiting for the log's commit and, if
/// the attempt disabled its handler, telling the bot's owner. The worker frees the attempt's slot first, so the
/// next attempt does not wait for this one's fsync.
type Aftermath<'s> = futures_util::future::BoxFuture<'s, ()>;

/// What one attempt found out.
#[derive(Debug, Default)]
struct Outcome {
    url: String,
    status: Option<u16>,
    response: String,
    error: Option<String>,
    delivered: bool,
    retry_after: Option<i64>,
    /// A 429 or a timeout: wait longer before the next attempt.
    slow: bool,
}

/// The first [`RESPONSE_LOG_BYTES`] of a response body, as text.
async fn read_snippet(mut r: reqwest::Response) -> String {
    let mut buf: Vec<u8> = Vec::new();
    while buf.len() < RESPONSE_LOG_BYTES {
        match r.chunk().await {
            Ok(Some(c)) => buf.extend_from_slice(&c[..c.len().min(RESPONSE_LOG_BYTES - buf.len())]),
            _ => break,
        }
    }
    // A character cut at the limit is dropped, not logged as U+FFFD (which would also overrun the limit).
    if let Err(e) = std::str::from_utf8(&buf) {
        if e.error_len().is_none() {
            buf.truncate(e.valid_up_to());
        }
    }
    // NUL bytes, which PostgreSQL cannot keep in text, are logged as U+FFFD like any other unreadable byte.
    String::from_utf8_lossy(&buf).replace('\0', "\u{FFFD}")
}

async fn finish<'s>(
    state: &'s AppState,
    e: &Event,
    attempt: i64,
    started: i64,
    t0: Instant,
    o: Outcome,
    retry_at: Option<i64>,
) -> Aftermath<'s> {
    let label = match (o.delivered, o.status, o.slow, o.error.as_deref()) {
        (true, _, _, _) => "delivered",
        (false, Some(_), _, _) => "http_error",
        (false, None, true, _) => "timeout",
        (false, None, false, Some(err)) if err.contains("[delivery]") => "refused",
        _ => "unreachable",
    };
    state.metrics.observe_delivery(label, t0.elapsed().as_secs_f64());
    let log = outbox::AttemptLog {
        attempt,
        started_at: started,
        duration_ms: t0.elapsed().as_millis() as i64,
        url: o.url.clone(),
        http_status: o.status,
        response: o.response.clone(),
        error: o.error.clone(),
        delivered: o.delivered,
        next_attempt_at: retry_at,
    };
    let disable_after = state.config.delivery_disable_after;
    let health = outbox::Health { handler_url: &e.handler_url, app: e.app_id, disable_after };
    let (disabled, committing) = match outbox::finish_attempt(&state.store, e.id, &log, health, state.clock.unix())
        .await
    {
        Ok(done) => done,
        Err(err) => {
            tracing::error!(event_id = e.id, error = %err, "cannot record a delivery attempt; the event will be sent again");
            return Box::pin(async {});
        }
    };
    let e = e.clone();
    Box::pin(async move {
        if let Err(err) = committing.await {
            tracing::error!(event_id = e.id, error = %err, "cannot record a delivery attempt; the event will be sent again");
            return;
        }
        if disabled {
            tracing::warn!(url = %e.handler_url, "handler disabled after failing for {disable_after} s; its events are held");
            if let Err(err) = tell_owner(state, &e, &o).await {
                tracing::error!(url = %e.handler_url, error = %err.to_api(), "cannot tell the bot's owner about the disabled handler");
            }
        }
    })
}

/// A system message to the owner of the app's first bot, in their private dialog with it: the handler is
/// disabled, why, and how to resume.
async fn tell_owner(state: &AppState, e: &Event, o: &Outcome) -> Result<(), crate::error::Error> {
    let owner = apps::owner_user(&state.store, e.app_id).await?;
    let Some(bot) = crate::store::bots::of_app(&state.store, e.app_id).await?.into_iter().next() else { return Ok(()) };
    let (Some(owner), Some(bot_user)) =
        (crate::store::users::get(&state.store, owner).await?, crate::store::users::get(&state.store, bot.id).await?)
    else {
        return Ok(());
    };
    let chat = crate::messenger::ensure_private(state, &owner, &bot_user).await?;
    let text = format!(
        "Event delivery to {} is paused: it has been failing for {} hours (last error: {}). No event is lost: \
         they are held until the handler answers again. Fix it, then resume with `imbotd deliveries ping --url {}`.",
        e.handler_url,
        state.config.delivery_disable_after / 3600,
        o.error.as_deref().unwrap_or("unknown"),
        e.handler_url
    );
    let post = crate::messenger::Post { text, is_system: true, ..Default::default() };
    crate::messenger::post_unchecked(state, &bot_user, chat, post).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEDULE: &[i64] = &[5, 30, 120];

    #[test]
    fn schedule_steps_repeat_the_last() {
        assert_eq!(retry_delay(SCHEDULE, 1, 0.0, 0.5, None, false, 3600), 5);
        assert_eq!(retry_delay(SCHEDULE, 2, 0.0, 0.5, None, false, 3600), 30);
        assert_eq!(retry_delay(SCHEDULE, 7, 0.0, 0.5, None, false, 3600), 120);
    }

    #[test]
    fn jitter_stays_within_bounds() {
        for i in 0..=100 {
            let unit = f64::from(i) / 101.0;
            let d = retry_delay(SCHEDULE, 3, 0.2, unit, None, false, 3600);
            assert!((96..=144).contains(&d), "{d}");
        }
        assert_eq!(retry_delay(SCHEDULE, 3, 0.2, 0.0, None, false, 3600), 96);
    }

    #[test]
    fn slow_doubles_and_retry_after_wins_within_bounds() {
        assert_eq!(retry_delay(SCHEDULE, 1, 0.0, 0.5, None, true, 3600), 10);
        assert_eq!(retry_delay(SCHEDULE, 1, 0.2, 0.9, Some(42), true, 3600), 42);
        assert_eq!(retry_delay(SCHEDULE, 1, 0.0, 0.5, Some(99_999), false, 3600), 3600);
        assert_eq!(retry_delay(SCHEDULE, 1, 0.0, 0.5, Some(0), false, 3600), 1);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after(" 120 ", 0), Some(120));
        let now = chrono::DateTime::parse_from_rfc2822("Wed, 21 Oct 2015 07:28:00 GMT").unwrap().timestamp();
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now), Some(120));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
