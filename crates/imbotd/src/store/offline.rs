//! The offline event queue (`event.offline.*`): per app and connector, the latest state of each changed
//! object (rows merge on MESSAGE_ID among unreserved rows), batches reserved under a `process_id` until
//! cleared, and rows marked erroneous. Written in the transaction of the change that caused the event.

use super::Sql;
use super::{Store, StoreError, Tx};
use crate::domain::AppId;
use sqlx::Row;

/// A field of the queue that filters and orders may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    TimestampX,
    EventName,
    MessageId,
    ProcessId,
    Error,
}

impl Field {
    pub fn parse(name: &str) -> Option<Field> {
        Some(match name.to_ascii_uppercase().as_str() {
            "ID" => Field::Id,
            "TIMESTAMP_X" => Field::TimestampX,
            "EVENT_NAME" => Field::EventName,
            "MESSAGE_ID" => Field::MessageId,
            "PROCESS_ID" => Field::ProcessId,
            "ERROR" => Field::Error,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::TimestampX => "updated_at",
            Field::EventName => "event",
            Field::MessageId => "message_id",
            Field::ProcessId => "process_id",
            Field::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn sql(self) -> &'static str {
        match self {
            Op::Eq => " = ",
            Op::Ne => " <> ",
            Op::Gt => " > ",
            Op::Ge => " >= ",
            Op::Lt => " < ",
            Op::Le => " <= ",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Int(i64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    pub field: Field,
    pub op: Op,
    pub value: Operand,
}

/// Filter and order of a read, always within one app and connector.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub app_id: AppId,
    pub connector_id: &'a str,
    pub conds: &'a [Cond],
    /// `(field, descending)`; ID ascending breaks ties.
    pub order: &'a [(Field, bool)],
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfflineEvent {
    pub id: i64,
    pub updated_at: i64,
    pub event: String,
    /// JSON text of EVENT_DATA.
    pub data: String,
    /// JSON text of EVENT_ADDITIONAL.
    pub additional: String,
    pub message_id: String,
    pub process_id: String,
    pub error: bool,
}

const COLUMNS: &str = "id, updated_at, event, data, additional, message_id, process_id, error";

fn row(r: &sqlx::any::AnyRow) -> OfflineEvent {
    OfflineEvent {
        id: r.get("id"),
        updated_at: r.get("updated_at"),
        event: r.get("event"),
        data: r.get("data"),
        additional: r.get("additional"),
        message_id: r.get("message_id"),
        process_id: r.get("process_id"),
        error: r.get::<i64, _>("error") != 0,
    }
}

/// A new event for the queue.
#[derive(Debug, Clone)]
pub struct NewOffline<'a> {
    pub app_id: AppId,
    pub connector_id: &'a str,
    pub message_id: &'a str,
    pub event: &'a str,
    pub data: &'a str,
    pub additional: &'a str,
}

/// Queue an event, or refresh the unreserved row of the same object (same MESSAGE_ID).
pub async fn record_tx(tx: &mut Tx, e: &NewOffline<'_>, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO offline_events(app_id, connector_id, message_id, event, data, additional, process_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, '', $7)
         ON CONFLICT(app_id, connector_id, message_id, process_id)
         DO UPDATE SET data = excluded.data, additional = excluded.additional, updated_at = excluded.updated_at",
    )
    .bind(e.app_id.0)
    .bind(e.connector_id)
    .bind(e.message_id)
    .bind(e.event)
    .bind(e.data)
    .bind(e.additional)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn push_selection<'q>(qb: &mut Sql<'q>, s: &Selection<'q>) {
    qb.push(" WHERE app_id = ").push_bind(s.app_id.0).push(" AND connector_id = ").push_bind(s.connector_id);
    for c in s.conds {
        qb.push(" AND ").push(c.field.column()).push(c.op.sql());
        match &c.value {
            Operand::Int(i) => qb.push_bind(*i),
            Operand::Text(t) => qb.push_bind(t.clone()),
        };
    }
}

fn push_order(qb: &mut Sql<'_>, order: &[(Field, bool)]) {
    qb.push(" ORDER BY ");
    for (f, desc) in order {
        qb.push(f.column()).push(if *desc { " DESC, " } else { " ASC, " });
    }
    qb.push("id ASC");
}

/// Reserve up to `limit` unreserved rows (error rows when `error`) for `process_id`, in `s.order`.
/// One statement on the writer, so parallel callers get disjoint batches.
pub async fn reserve(
    store: &Store,
    s: &Selection<'_>,
    error: bool,
    limit: i64,
    process_id: &str,
) -> Result<u64, StoreError> {
    let mut qb = Sql::new("UPDATE offline_events SET process_id = ");
    qb.push_bind(process_id.to_owned()).push(" WHERE id IN (SELECT id FROM offline_events");
    push_selection(&mut qb, s);
    qb.push(" AND process_id = '' AND error = ").push_bind(error as i64);
    push_order(&mut qb, s.order);
    qb.push(" LIMIT ").push_bind(limit).push(")");
    let mut tx = store.begin().await?;
    let n = qb.build().execute(&mut *tx).await?.rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// The rows reserved by `process_id` (error rows when `error`).
pub async fn of_process(
    store: &Store,
    s: &Selection<'_>,
    process_id: &str,
    error: bool,
    limit: i64,
) -> Result<Vec<OfflineEvent>, StoreError> {
    let mut qb = Sql::new(format!("SELECT {COLUMNS} FROM offline_events"));
    push_selection(&mut qb, s);
    qb.push(" AND process_id = ").push_bind(process_id.to_owned()).push(" AND error = ").push_bind(error as i64);
    push_order(&mut qb, s.order);
    qb.push(" LIMIT ").push_bind(limit);
    Ok(qb.build().fetch_all(store.pool()).await?.iter().map(row).collect())
}

/// Which rows of a batch `clear` deletes.
#[derive(Debug, Clone)]
pub enum Which {
    All,
    Ids(Vec<i64>),
    MessageIds(Vec<String>),
}

/// Delete rows of `process_id`; how many went.
pub async fn clear(
    store: &Store,
    app: AppId,
    connector_id: &str,
    process_id: &str,
    which: &Which,
) -> Result<u64, StoreError> {
    let mut qb = Sql::new("DELETE FROM offline_events WHERE app_id = ");
    qb.push_bind(app.0)
        .push(" AND connector_id = ")
        .push_bind(connector_id.to_owned())
        .push(" AND process_id = ")
        .push_bind(process_id.to_owned());
    match which {
        Which::All => {}
        Which::Ids(ids) => {
            qb.push(" AND id IN (");
            qb.push_list(ids.iter().copied()).push(")");
        }
        Which::MessageIds(ids) => {
            qb.push(" AND message_id IN (");
            qb.push_list(ids.iter().cloned()).push(")");
        }
    }
    if matches!(which, Which::Ids(v) if v.is_empty()) || matches!(which, Which::MessageIds(v) if v.is_empty()) {
        return Ok(0);
    }
    Ok(qb.build().execute(store.w()).await?.rows_affected())
}

/// `event.offline.error`: the rows of `message_ids` reserved by `process_id` go back to the queue marked
/// erroneous (fetched again only with `error=1`); other not-yet-erroneous copies of those objects are dropped,
/// as Bitrix's `markError` drops them.
pub async fn mark_error(
    store: &Store,
    app: AppId,
    connector_id: &str,
    process_id: &str,
    message_ids: &[String],
) -> Result<(), StoreError> {
    if message_ids.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    for mid in message_ids {
        let reserved: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM offline_events WHERE app_id = $1 AND connector_id = $2 AND message_id = $3 AND process_id = $4 AND error = 0",
        )
        .bind(app.0)
        .bind(connector_id)
        .bind(mid)
        .bind(process_id)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM offline_events WHERE app_id = $1 AND connector_id = $2 AND message_id = $3 AND process_id <> $4
               AND (error = 0 OR ($5 IS NOT NULL AND process_id = ''))",
        )
        .bind(app.0)
        .bind(connector_id)
        .bind(mid)
        .bind(process_id)
        .bind(reserved)
        .execute(&mut *tx)
        .await?;
        if let Some(id) = reserved {
            sqlx::query("UPDATE offline_events SET error = 1, process_id = '' WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// `event.offline.list`: a page of the queue without changing it, and the total.
pub async fn list(
    store: &Store,
    s: &Selection<'_>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<OfflineEvent>, i64), StoreError> {
    let mut qb = Sql::new(format!("SELECT {COLUMNS} FROM offline_events"));
    push_selection(&mut qb, s);
    push_order(&mut qb, s.order);
    qb.push(" LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    let rows = qb.build().fetch_all(store.w()).await?.iter().map(row).collect();
    let mut qc = Sql::new("SELECT COUNT(*) FROM offline_events");
    push_selection(&mut qc, s);
    let total: i64 = qc.build_scalar().fetch_one(store.pool()).await?;
    Ok((rows, total))
}

/// Reserved batches older than `before` are dropped (Bitrix keeps them 30 days).
pub async fn purge_reserved(store: &Store, before: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM offline_events WHERE process_id <> '' AND updated_at < $1")
        .bind(before)
        .execute(store.w())
        .await?
        .rows_affected())
}

/// Rows in the queue (all apps), for metrics.
pub async fn depth(store: &Store) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM offline_events").fetch_one(store.pool()).await?)
}
