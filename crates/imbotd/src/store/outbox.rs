//! The event outbox: events waiting for delivery, written in the transaction of the change that caused them,
//! and the log of delivery attempts.
//!
//! Rows move `pending` → `sending` (claimed by the worker) → `delivered` | `pending` (retry later) | `failed`
//! (retries exhausted). A row left in `sending` by a crash is pending again at the next start, so an
//! acknowledged event is delivered at least once.

use super::{Committing, Sql, Store, StoreError, Tx};
use crate::domain::{AppId, UserId};
use serde_json::{Map, Value};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub app_id: AppId,
    pub event: &'static str,
    pub handler_url: String,
    pub fifo_key: String,
    pub data: Map<String, Value>,
    pub auth_user: UserId,
    pub with_refresh: bool,
    /// The `event_handler_id` to send: the event.bind subscription's id; `None` for bot events, whose id is
    /// derived from the app and event ([`crate::events::handler_id`]).
    pub handler_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub app_id: AppId,
    pub event: String,
    pub handler_url: String,
    pub fifo_key: String,
    pub data: Map<String, Value>,
    pub auth_user: UserId,
    pub with_refresh: bool,
    pub attempts: i64,
    /// Attempts made before the last redrive; retries are counted from here.
    pub redrive_base: i64,
    pub created_at: i64,
    pub handler_id: Option<i64>,
}

/// One delivery attempt as logged.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub attempt: i64,
    pub started_at: i64,
    pub duration_ms: i64,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    pub url: String,
    pub response: String,
    pub next_attempt_at: Option<i64>,
}

/// Queue an event: `pending` (claimable) when it heads its FIFO key, `queued` behind an unfinished event of the
/// same key (it becomes `pending` when that one is done, [`finish_attempt`]). Write transactions are
/// serialised, so the head test and the promotion never miss each other.
pub async fn enqueue(tx: &mut Tx, e: &NewEvent, now: i64) -> Result<i64, StoreError> {
    tx.notes_mut().queued_events = true;
    Ok(sqlx::query_scalar(
        "INSERT INTO event_outbox(app_id, event, handler_url, fifo_key, data, auth_user_id, with_refresh, next_attempt_at, created_at, handler_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                 CASE WHEN EXISTS (SELECT 1 FROM event_outbox x WHERE x.fifo_key = $4 AND x.status IN ('pending', 'sending', 'queued'))
                      THEN 'queued' ELSE 'pending' END)
         RETURNING id",
    )
    .bind(e.app_id.0)
    .bind(e.event)
    .bind(&e.handler_url)
    .bind(&e.fifo_key)
    .bind(Value::Object(e.data.clone()).to_string())
    .bind(e.auth_user.0)
    .bind(e.with_refresh as i64)
    .bind(now)
    .bind(now)
    .bind(e.handler_id)
    .fetch_one(&mut **tx)
    .await?)
}

fn row(r: &sqlx::any::AnyRow) -> Event {
    Event {
        id: r.get("id"),
        app_id: AppId(r.get("app_id")),
        event: r.get("event"),
        handler_url: r.get("handler_url"),
        fifo_key: r.get("fifo_key"),
        data: match serde_json::from_str(r.get::<&str, _>("data")) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        auth_user: UserId(r.get("auth_user_id")),
        with_refresh: r.get::<i64, _>("with_refresh") != 0,
        attempts: r.get("attempts"),
        redrive_base: r.get("redrive_base"),
        created_at: r.get("created_at"),
        handler_id: r.get("handler_id"),
    }
}

/// After a restart of the only process (SQLite): every event claimed but never finished is pending again.
pub async fn requeue_in_flight(store: &Store) -> Result<u64, StoreError> {
    Ok(sqlx::query("UPDATE event_outbox SET status = 'pending', lease_until = NULL WHERE status = 'sending'")
        .execute(store.w())
        .await?
        .rows_affected())
}

/// After a restart of instance `claimer` (PostgreSQL): what it had claimed before is pending again at once
/// (it is certainly not sending those any more); other instances' claims are left to their leases.
pub async fn requeue_own(store: &Store, claimer: &str) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE event_outbox SET status = 'pending', lease_until = NULL WHERE status = 'sending' AND claimed_by = $1",
    )
    .bind(claimer)
    .execute(store.w())
    .await?
    .rows_affected())
}

/// Events whose claimer's lease ran out before `now` (real unix seconds: the instance died or hung mid-delivery)
/// are pending again, for any instance to claim. Live claimers renew nothing: an attempt is bounded by the
/// delivery timeout, which the lease outlasts.
pub async fn requeue_expired(store: &Store, now: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE event_outbox SET status = 'pending', lease_until = NULL WHERE status = 'sending' AND lease_until < $1",
    )
    .bind(now)
    .execute(store.w())
    .await?
    .rows_affected())
}

/// Claim up to `limit` due events — only heads of their FIFO key are `pending`, so events of one handler and
/// dialog go out in order — and at most `per_handler` in flight per handler URL, so one handler with many
/// dialogs never takes every slot of the worker, nor keeps other handlers' events from being looked at: the
/// candidates are the first `per_handler` due heads *of each handler*. Claimed events are `sending`, by
/// `claimer`, with a lease until `lease_until` (real unix seconds).
///
/// Instances sharing a PostgreSQL database claim concurrently: the chosen rows are locked `FOR UPDATE SKIP
/// LOCKED` and re-checked to be `pending`, so two claimers never take the same event.
///
/// Returns the claim's commit on its way to disk ([`Tx::commit_later`]) beside the events: nothing may be
/// sent before it resolved (a claim lost in a crash would send the event twice, and out of order).
pub async fn claim_due(
    store: &Store,
    now: i64,
    limit: i64,
    per_handler: i64,
    claimer: &str,
    lease_until: i64,
) -> Result<(Vec<Event>, Committing), StoreError> {
    // A read first: an idle worker polls twice a second and must not take the write lock each time.
    if next_due(store).await?.is_none_or(|t| t > now) {
        return Ok((Vec::new(), super::committed(Default::default())));
    }
    let lock = match store.backend() {
        super::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        super::Backend::Sqlite => "",
    };
    let mut tx = store.begin_concurrent().await?;
    let candidates: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.handler_url FROM (
           SELECT o.id, o.handler_url, ROW_NUMBER() OVER (PARTITION BY o.handler_url ORDER BY o.id) AS rn
             FROM event_outbox o
            WHERE o.status = 'pending' AND o.next_attempt_at <= $1
              AND NOT EXISTS (SELECT 1 FROM handler_health hh WHERE hh.handler_url = o.handler_url AND hh.disabled_at IS NOT NULL)
         ) c WHERE c.rn <= $2 ORDER BY c.id",
    )
    .bind(now)
    .bind(per_handler)
    .fetch_all(&mut *tx)
    .await?;
    let in_flight: Vec<(String, i64)> =
        sqlx::query_as("SELECT handler_url, COUNT(*) FROM event_outbox WHERE status = 'sending' GROUP BY handler_url")
            .fetch_all(&mut *tx)
            .await?;
    let mut busy: std::collections::HashMap<String, i64> = in_flight.into_iter().collect();
    let mut chosen = Vec::new();
    for (id, url) in candidates {
        if chosen.len() as i64 >= limit {
            break;
        }
        let n = busy.entry(url).or_insert(0);
        if *n < per_handler {
            *n += 1;
            chosen.push(id);
        }
    }
    if chosen.is_empty() {
        tx.commit().await?;
        return Ok((Vec::new(), super::committed(Default::default())));
    }
    let mut q = Sql::new("SELECT * FROM event_outbox WHERE status = 'pending' AND id IN (");
    q.push_list(chosen.iter().copied()).push(") ORDER BY id").push(lock);
    let rows = q.build().fetch_all(&mut *tx).await?;
    let events: Vec<Event> = rows.iter().map(row).collect();
    if !events.is_empty() {
        // One statement for the whole claim (the rows are the ones just read, locked on PostgreSQL).
        let mut q = Sql::new("UPDATE event_outbox SET status = 'sending', lease_until = ");
        q.push_bind(lease_until).push(", claimed_by = ").push_bind(claimer).push(" WHERE id IN (");
        q.push_list(events.iter().map(|e| e.id)).push(")");
        q.build().execute(&mut *tx).await?;
    }
    Ok((events, tx.commit_later().await?))
}

/// One finished attempt, as the worker records it.
#[derive(Debug, Clone, Default)]
pub struct AttemptLog {
    pub attempt: i64,
    pub started_at: i64,
    pub duration_ms: i64,
    pub url: String,
    pub http_status: Option<u16>,
    /// The first 20 KB of the handler's answer.
    pub response: String,
    pub error: Option<String>,
    pub delivered: bool,
    /// When the next attempt is due; `None` with `delivered = false` means retries are exhausted.
    pub next_attempt_at: Option<i64>,
}

/// The event after `id` in its FIFO key, if one waits, is the key's head now — unless another event of the
/// key is pending or in flight (a replayed one, [`resend`]), which stays the only head.
fn promote_next_sql(q: &mut Sql<'_>, id: i64) {
    q.push(
        "UPDATE event_outbox SET status = 'pending' WHERE id = (
           SELECT MIN(x.id) FROM event_outbox x
            WHERE x.status = 'queued' AND x.fifo_key = (SELECT o.fifo_key FROM event_outbox o WHERE o.id = ",
    )
    .push_bind(id)
    .push(
        "))
         AND NOT EXISTS (SELECT 1 FROM event_outbox y
            WHERE y.status IN ('pending', 'sending')
              AND y.fifo_key = (SELECT o.fifo_key FROM event_outbox o WHERE o.id = ",
    )
    .push_bind(id)
    .push("))");
}

/// The handler's side of a finished attempt (see [`note_health`]).
#[derive(Debug, Clone, Copy)]
pub struct Health<'a> {
    pub handler_url: &'a str,
    pub app: AppId,
    /// Seconds of failing before the handler is disabled (0 = never).
    pub disable_after: i64,
}

/// Log an attempt, move the event on (delivered, pending until `next_attempt_at`, or failed) and record the
/// handler's health, in one transaction. Returns `true` when this failure disabled the handler, and the
/// transaction's commit on its way to disk ([`Tx::commit_later`]): the writer is free for the next attempt's
/// claim as soon as this returns, and if the process dies before the commit, the event is sent again.
pub async fn finish_attempt(
    store: &Store,
    id: i64,
    a: &AttemptLog,
    health: Health<'_>,
    now: i64,
) -> Result<(bool, Committing), StoreError> {
    // Serialised with the writes that queue events: the promotion below and an enqueue's head test never race.
    let mut tx = store.begin().await?;
    let (status, next) = match (a.delivered, a.next_attempt_at) {
        (true, _) => ("delivered", now),
        (false, Some(at)) => ("pending", at),
        (false, None) => ("failed", now),
    };
    // The log, the event's new state, the next event of its dialog and (delivered) the handler's health, as one
    // request on SQLite (`Batch`): the writer is held for these alone.
    let mut batch = super::Batch::new(&tx);
    batch
        .statement()
        .push(
            "INSERT INTO event_attempts(outbox_id, attempt, started_at, duration_ms, http_status, error, url, response, \
             next_attempt_at) VALUES (",
        )
        .push_bind(id)
        .push(", ")
        .push_bind(a.attempt)
        .push(", ")
        .push_bind(a.started_at)
        .push(", ")
        .push_bind(a.duration_ms)
        .push(", ")
        .push_bind(a.http_status.map(i64::from))
        .push(", ")
        .push_bind(a.error.as_deref())
        .push(", ")
        .push_bind(a.url.as_str())
        .push(", ")
        .push_bind(a.response.as_str())
        .push(", ")
        .push_bind(a.next_attempt_at)
        .push(")");
    let update = batch.statement();
    update
        .push("UPDATE event_outbox SET status = ")
        .push_bind(status)
        .push(", lease_until = NULL, attempts = ")
        .push_bind(a.attempt)
        .push(", next_attempt_at = ")
        .push_bind(next)
        .push(", last_status = ")
        .push_bind(a.http_status.map(i64::from))
        .push(", last_error = ")
        .push_bind(a.error.as_deref());
    if a.delivered {
        update.push(", delivered_at = ").push_bind(now);
    }
    update.push(" WHERE id = ").push_bind(id);
    if status != "pending" {
        promote_next_sql(batch.statement(), id);
    }
    if a.delivered {
        batch.statement().push("DELETE FROM handler_health WHERE handler_url = ").push_bind(health.handler_url);
    }
    batch.execute(&mut tx).await?;
    if a.delivered {
        return Ok((false, tx.commit_later().await?));
    }
    let disabled = note_health_tx(
        &mut tx,
        health.handler_url,
        health.app,
        a.delivered,
        a.error.as_deref(),
        health.disable_after,
        now,
    )
    .await?;
    Ok((disabled, tx.commit_later().await?))
}

/// An event as the delivery log lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: i64,
    pub app_id: AppId,
    pub event: String,
    pub handler_url: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub app: Option<AppId>,
    pub status: Option<String>,
    pub event: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub limit: i64,
}

/// What the delivery log calls a status: an event waiting behind another of its dialog (`queued`) is
/// `pending` to its developer.
fn public_status(stored: String) -> String {
    if stored == "queued" {
        "pending".into()
    } else {
        stored
    }
}

fn summary_row(r: &sqlx::any::AnyRow) -> Summary {
    Summary {
        id: r.get("id"),
        app_id: AppId(r.get("app_id")),
        event: r.get("event"),
        handler_url: r.get("handler_url"),
        status: public_status(r.get("status")),
        attempts: r.get("attempts"),
        next_attempt_at: r.get("next_attempt_at"),
        last_status: r.get("last_status"),
        last_error: r.get("last_error"),
        created_at: r.get("created_at"),
        delivered_at: r.get("delivered_at"),
    }
}

/// Events matching `f`, newest first.
pub async fn list(store: &Store, f: &Filter) -> Result<Vec<Summary>, StoreError> {
    let mut qb = Sql::new(
        "SELECT id, app_id, event, handler_url, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at
         FROM event_outbox WHERE 1 = 1",
    );
    if let Some(a) = f.app {
        qb.push(" AND app_id = ").push_bind(a.0);
    }
    if let Some(st) = &f.status {
        if st == "pending" {
            qb.push(" AND status IN ('pending', 'queued')");
        } else {
            qb.push(" AND status = ").push_bind(st.clone());
        }
    }
    if let Some(ev) = &f.event {
        qb.push(" AND event = ").push_bind(ev.to_ascii_uppercase());
    }
    if let Some(t) = f.since {
        qb.push(" AND created_at >= ").push_bind(t);
    }
    if let Some(t) = f.until {
        qb.push(" AND created_at <= ").push_bind(t);
    }
    qb.push(" ORDER BY id DESC LIMIT ").push_bind(if f.limit > 0 { f.limit } else { 100 });
    Ok(qb.build().fetch_all(store.pool()).await?.iter().map(summary_row).collect())
}

/// One event's summary.
pub async fn summary(store: &Store, id: i64) -> Result<Option<Summary>, StoreError> {
    let r = sqlx::query(
        "SELECT id, app_id, event, handler_url, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at
         FROM event_outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    Ok(r.as_ref().map(summary_row))
}

/// Send an event again now (whatever its state: a replay of a delivered one, or a redrive of a dead letter).
/// `false` when there is no such event, or it is being sent right now. It keeps its dialog's order: behind an
/// event of its FIFO key that is still on its way it waits as `queued` (promoted in id order); a fetch-mode
/// event is handed out by `Event.get` again.
pub async fn resend(store: &Store, id: i64, now: i64) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let done = redrive_tx(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(done)
}

/// Redrive every failed event of `handler_url` created in [since, until], oldest first, each keeping its
/// dialog's order ([`resend`]); returns how many.
pub async fn recover(store: &Store, handler_url: &str, since: i64, until: i64, now: i64) -> Result<u64, StoreError> {
    let mut tx = store.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM event_outbox WHERE status = 'failed' AND handler_url = $1 AND created_at >= $2 AND created_at <= $3
         ORDER BY id",
    )
    .bind(handler_url)
    .bind(since)
    .bind(until)
    .fetch_all(&mut *tx)
    .await?;
    let mut n = 0;
    for id in ids {
        n += u64::from(redrive_tx(&mut tx, id, now).await?);
    }
    tx.commit().await?;
    Ok(n)
}

/// Make event `id` due now with a fresh set of retries (see [`resend`]).
async fn redrive_tx(tx: &mut Tx, id: i64, now: i64) -> Result<bool, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT status, fifo_key FROM event_outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((status, key)) = row else { return Ok(false) };
    let next = match status.as_str() {
        "sending" => return Ok(false),
        // Already on its way (the head of its key, or waiting behind it): only due now.
        "pending" => "pending",
        "queued" => "queued",
        "fetch" => "fetch",
        _ if status == "delivered" && key.starts_with("fetch|") => "fetch",
        _ => {
            let ahead: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM event_outbox WHERE fifo_key = $1 AND id <> $2 AND status IN ('pending', 'sending', 'queued')
                 LIMIT 1",
            )
            .bind(&key)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
            if ahead.is_some() {
                "queued"
            } else {
                "pending"
            }
        }
    };
    sqlx::query("UPDATE event_outbox SET status = $1, next_attempt_at = $2, redrive_base = attempts WHERE id = $3")
        .bind(next)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// The status of an event (`pending`, `sending`, `delivered`, `failed`).
pub async fn status(store: &Store, id: i64) -> Result<Option<String>, StoreError> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM event_outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(status.map(public_status))
}

/// The attempts of an event, in order.
pub async fn attempts(store: &Store, id: i64) -> Result<Vec<Attempt>, StoreError> {
    let rows = sqlx::query(
        "SELECT attempt, started_at, duration_ms, http_status, error, url, response, next_attempt_at
         FROM event_attempts WHERE outbox_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Attempt {
            attempt: r.get("attempt"),
            started_at: r.get("started_at"),
            duration_ms: r.get("duration_ms"),
            http_status: r.get("http_status"),
            error: r.get("error"),
            url: r.get("url"),
            response: r.get("response"),
            next_attempt_at: r.get("next_attempt_at"),
        })
        .collect())
}

/// The earliest time a pending event is due (for the worker's sleep), if any.
pub async fn next_due(store: &Store) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM event_outbox WHERE status = 'pending'")
        .fetch_one(store.pool())
        .await?)
}

/// How many events are in each status.
pub async fn counts(store: &Store) -> Result<Vec<(String, i64)>, StoreError> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM event_outbox GROUP BY status").fetch_all(store.pool()).await?;
    let mut out: Vec<(String, i64)> = Vec::new();
    for r in &rows {
        let (status, n) = (public_status(r.get("status")), r.get::<i64, _>("n"));
        match out.iter_mut().find(|(s, _)| *s == status) {
            Some((_, total)) => *total += n,
            None => out.push((status, n)),
        }
    }
    Ok(out)
}

/// Unfinished (pending or in-flight) events per handler URL.
pub async fn pending_by_handler(store: &Store) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT handler_url, COUNT(*) FROM event_outbox WHERE status IN ('pending', 'sending', 'queued') GROUP BY handler_url",
    )
    .fetch_all(store.pool())
    .await?)
}

/// The delivery state of one handler URL, like Telegram's getWebhookInfo.
#[derive(Debug, Clone, PartialEq)]
pub struct HandlerStatus {
    pub handler_url: String,
    pub pending: i64,
    pub failed: i64,
    pub delivered: i64,
    /// Unix seconds of the last successful delivery.
    pub last_success_at: Option<i64>,
    /// The last failed attempt: when and why.
    pub last_error_at: Option<i64>,
    pub last_error: Option<String>,
    /// When the oldest pending event (the one the others wait behind) is due.
    pub next_attempt_at: Option<i64>,
    /// When the handler was disabled for failing too long (its events are held).
    pub disabled_at: Option<i64>,
}

/// The state of every handler (or of one URL), optionally only those of one app.
pub async fn handler_status(store: &Store, url: Option<&str>) -> Result<Vec<HandlerStatus>, StoreError> {
    handler_status_of(store, url, None).await
}

/// [`handler_status`] limited to the handlers `app` has events for.
pub async fn handler_status_of(
    store: &Store,
    url: Option<&str>,
    app: Option<AppId>,
) -> Result<Vec<HandlerStatus>, StoreError> {
    let rows = sqlx::query(
        "SELECT o.handler_url,
                CAST(SUM(CASE WHEN o.status IN ('pending', 'sending', 'queued') THEN 1 ELSE 0 END) AS BIGINT) AS pending,
                CAST(SUM(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END) AS BIGINT) AS failed,
                CAST(SUM(CASE WHEN o.status = 'delivered' THEN 1 ELSE 0 END) AS BIGINT) AS delivered,
                MAX(o.delivered_at) AS last_success_at,
                (SELECT x.next_attempt_at FROM event_outbox x WHERE x.handler_url = o.handler_url AND x.status = 'pending'
                 ORDER BY x.id LIMIT 1) AS next_attempt_at
         FROM event_outbox o WHERE ($1 IS NULL OR o.handler_url = $1) AND ($2 IS NULL OR o.app_id = $2)
         GROUP BY o.handler_url ORDER BY o.handler_url",
    )
    .bind(url)
    .bind(app.map(|a| a.0))
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let handler_url: String = r.get("handler_url");
        let last = sqlx::query(
            "SELECT a.started_at, a.error FROM event_attempts a JOIN event_outbox o ON o.id = a.outbox_id
             WHERE o.handler_url = $1 AND a.error IS NOT NULL ORDER BY a.id DESC LIMIT 1",
        )
        .bind(&handler_url)
        .fetch_optional(store.pool())
        .await?;
        let disabled_at = disabled_at(store, &handler_url).await?;
        out.push(HandlerStatus {
            disabled_at,
            pending: r.get("pending"),
            failed: r.get("failed"),
            delivered: r.get("delivered"),
            last_success_at: r.get("last_success_at"),
            next_attempt_at: r.get("next_attempt_at"),
            last_error_at: last.as_ref().map(|l| l.get("started_at")),
            last_error: last.as_ref().and_then(|l| l.get("error")),
            handler_url,
        })
    }
    Ok(out)
}

/// Clear a handler's backoff (and re-enable it if it was disabled): its pending events are due now, after the
/// bot came back. Returns how many.
pub async fn ping(store: &Store, handler_url: &str, now: i64) -> Result<u64, StoreError> {
    enable(store, handler_url).await?;
    let r = sqlx::query("UPDATE event_outbox SET next_attempt_at = $1 WHERE status = 'pending' AND handler_url = $2 AND next_attempt_at > $3")
        .bind(now)
        .bind(handler_url)
        .bind(now)
        .execute(store.w())
        .await?;
    Ok(r.rows_affected())
}

/// A handler's failure state after an attempt, inside `tx`. Returns `true` when this failure disabled it (it has
/// been failing for `disable_after` seconds; 0 = never disable). A success forgets the failures.
async fn note_health_tx(
    tx: &mut Tx,
    handler_url: &str,
    app: AppId,
    ok: bool,
    error: Option<&str>,
    disable_after: i64,
    now: i64,
) -> Result<bool, StoreError> {
    if ok {
        sqlx::query("DELETE FROM handler_health WHERE handler_url = $1").bind(handler_url).execute(&mut **tx).await?;
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO handler_health(handler_url, app_id, failing_since, last_error) VALUES ($1, $2, $3, $4)
         ON CONFLICT(handler_url) DO UPDATE SET last_error = excluded.last_error",
    )
    .bind(handler_url)
    .bind(app.0)
    .bind(now)
    .bind(error)
    .execute(&mut **tx)
    .await?;
    if disable_after <= 0 {
        return Ok(false);
    }
    let r = sqlx::query(
        "UPDATE handler_health SET disabled_at = $1 WHERE handler_url = $2 AND disabled_at IS NULL AND failing_since <= $3",
    )
    .bind(now)
    .bind(handler_url)
    .bind(now - disable_after)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Re-enable a disabled handler (and forget its failures); `true` if it was disabled.
pub async fn enable(store: &Store, handler_url: &str) -> Result<bool, StoreError> {
    let r =
        sqlx::query("DELETE FROM handler_health WHERE handler_url = $1").bind(handler_url).execute(store.w()).await?;
    Ok(r.rows_affected() == 1)
}

/// When a handler was disabled, if it is.
pub async fn disabled_at(store: &Store, handler_url: &str) -> Result<Option<i64>, StoreError> {
    let v: Option<Option<i64>> = sqlx::query_scalar("SELECT disabled_at FROM handler_health WHERE handler_url = $1")
        .bind(handler_url)
        .fetch_optional(store.pool())
        .await?;
    Ok(v.flatten())
}

/// Whether `app` has any event for `handler_url`.
pub async fn app_uses_handler(store: &Store, app: AppId, handler_url: &str) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_outbox WHERE app_id = $1 AND handler_url = $2")
        .bind(app.0)
        .bind(handler_url)
        .fetch_one(store.pool())
        .await?;
    Ok(n > 0)
}

/// The stored `data` of an event (without the tokens minted at send time).
pub async fn data(store: &Store, id: i64) -> Result<Option<Value>, StoreError> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT data FROM event_outbox WHERE id = $1").bind(id).fetch_optional(store.pool()).await?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Since when a handler has been failing without a success (`None` = healthy).
pub async fn failing_since(store: &Store, handler_url: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT failing_since FROM handler_health WHERE handler_url = $1")
        .bind(handler_url)
        .fetch_optional(store.pool())
        .await?)
}

/// Queue an event for a fetch-mode v2 bot (`imbot.v2.Event.get`): an outbox row in status `fetch`, its id the
/// `eventId`, `data` the event's fetch form. Acknowledged rows become `delivered`, so the delivery log shows
/// fetched events beside pushed ones.
pub async fn enqueue_fetch(
    tx: &mut Tx,
    app: AppId,
    event: &str,
    bot: UserId,
    data: &Value,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO event_outbox(app_id, event, handler_url, fifo_key, data, auth_user_id, with_refresh, next_attempt_at, created_at, status, fetch_bot_id)
         VALUES ($1, $2, '', $3, $4, 0, 0, $5, $5, 'fetch', $6) RETURNING id",
    )
    .bind(app.0)
    .bind(event)
    .bind(format!("fetch|{}", bot.0))
    .bind(data.to_string())
    .bind(now)
    .bind(bot.0)
    .fetch_one(&mut **tx)
    .await?)
}

/// A queued fetch event.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchEvent {
    pub id: i64,
    pub event: String,
    pub created_at: i64,
    pub data: Value,
}

/// How long a fetch event waits to be read: 24 h, the documented retention of im.v2 user events, applied to bot
/// fetch queues too (docs/v2.md §9 B9). Older ones are no longer handed out.
pub const FETCH_RETENTION_SECONDS: i64 = 86_400;

/// `Event.get`: acknowledge (mark delivered) the events of `owners` (a bot, and with `withUserEvents` the
/// calling user; or a user alone for `im.v2.Event.get`) below `ack_below`, then up to `limit` waiting ones,
/// oldest first, and whether more wait. One transaction, so two pollers never see half an acknowledgement.
/// Events older than [`FETCH_RETENTION_SECONDS`] are left out.
pub async fn fetch(
    store: &Store,
    owners: &[UserId],
    ack_below: Option<i64>,
    limit: i64,
    now: i64,
) -> Result<(Vec<FetchEvent>, bool), StoreError> {
    let (a, b) = match owners {
        [] => return Ok((Vec::new(), false)),
        [one] => (one.0, one.0),
        [one, two, ..] => (one.0, two.0),
    };
    let cutoff = now - FETCH_RETENTION_SECONDS;
    let mut tx = store.begin().await?;
    if let Some(below) = ack_below {
        sqlx::query(
            "UPDATE event_outbox SET status = 'delivered', delivered_at = $1, attempts = attempts + 1
             WHERE fetch_bot_id IN ($2, $3) AND status = 'fetch' AND id < $4",
        )
        .bind(now)
        .bind(a)
        .bind(b)
        .bind(below)
        .execute(&mut *tx)
        .await?;
    }
    let rows = sqlx::query(
        "SELECT id, event, created_at, data FROM event_outbox
         WHERE fetch_bot_id IN ($1, $2) AND status = 'fetch' AND created_at >= $3
         ORDER BY id LIMIT $4",
    )
    .bind(a)
    .bind(b)
    .bind(cutoff)
    .bind(limit + 1)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let more = rows.len() as i64 > limit;
    let events = rows
        .iter()
        .take(limit.max(0) as usize)
        .map(|r| FetchEvent {
            id: r.get("id"),
            event: r.get("event"),
            created_at: r.get("created_at"),
            data: serde_json::from_str(r.get::<&str, _>("data")).unwrap_or(Value::Null),
        })
        .collect();
    Ok((events, more))
}

/// One past the highest fetch event of `bot` ever acknowledged (0 if none): where an empty `Event.get` leaves
/// the cursor.
pub async fn fetch_acked_up_to(store: &Store, bot: UserId) -> Result<i64, StoreError> {
    let max: Option<i64> =
        sqlx::query_scalar("SELECT MAX(id) FROM event_outbox WHERE fetch_bot_id = $1 AND status = 'delivered'")
            .bind(bot.0)
            .fetch_one(store.pool())
            .await?;
    Ok(max.map(|m| m + 1).unwrap_or(0))
}

/// The app whose fetch events wait (or waited) for `bot`, even after the bot was unregistered.
pub async fn fetch_owner(store: &Store, bot: UserId) -> Result<Option<AppId>, StoreError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT app_id FROM event_outbox WHERE fetch_bot_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(bot.0)
            .fetch_optional(store.pool())
            .await?;
    Ok(id.map(AppId))
}
