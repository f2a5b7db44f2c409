//! Generic event subscriptions made with `event.bind`: online handlers (a URL) and offline subscriptions
//! (handler `''`, events kept in [`super::offline`]). Every query takes the owning app.

use super::{Sql, Store, StoreError, Tx};
use crate::domain::{AppId, UserId};
use serde_json::{Map, Value};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The `event_handler_id` of events sent through this subscription.
    pub id: i64,
    pub app_id: AppId,
    pub event: String,
    /// `''` for an offline subscription.
    pub handler: String,
    /// AUTH_TYPE: whose tokens the event carries; 0 = the user whose action caused the event.
    pub user_id: UserId,
    pub connector_id: String,
    pub options: Map<String, Value>,
    pub last_notified_at: i64,
}

impl Binding {
    pub fn is_offline(&self) -> bool {
        self.handler.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct NewBinding<'a> {
    pub app_id: AppId,
    pub event: &'a str,
    pub handler: &'a str,
    pub user_id: UserId,
    pub connector_id: &'a str,
    pub options: Map<String, Value>,
}

const COLUMNS: &str = "id, app_id, event, handler, user_id, connector_id, options, last_notified_at";

fn row(r: &sqlx::any::AnyRow) -> Binding {
    Binding {
        id: r.get("id"),
        app_id: AppId(r.get("app_id")),
        event: r.get("event"),
        handler: r.get("handler"),
        user_id: UserId(r.get("user_id")),
        connector_id: r.get("connector_id"),
        options: match serde_json::from_str(r.get::<&str, _>("options")) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        last_notified_at: r.get("last_notified_at"),
    }
}

/// Add a subscription; `None` when the same one exists already.
pub async fn add(store: &Store, b: &NewBinding<'_>, now: i64) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO event_bindings(app_id, event, handler, user_id, connector_id, options, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(b.app_id.0)
    .bind(b.event)
    .bind(b.handler)
    .bind(b.user_id.0)
    .bind(b.connector_id)
    .bind(Value::Object(b.options.clone()).to_string())
    .bind(now)
    .fetch_optional(store.w())
    .await?)
}

/// What `event.unbind` removes.
#[derive(Debug, Clone)]
pub struct Unbind<'a> {
    pub app_id: AppId,
    pub event: &'a str,
    pub handler: &'a str,
    /// Only this AUTH_TYPE (`None` = every one).
    pub user_id: Option<UserId>,
    /// Only this connector (offline subscriptions).
    pub connector_id: Option<&'a str>,
}

/// Remove matching subscriptions; how many went.
pub async fn remove(store: &Store, u: &Unbind<'_>) -> Result<u64, StoreError> {
    let mut qb = Sql::new("DELETE FROM event_bindings WHERE app_id = ");
    qb.push_bind(u.app_id.0).push(" AND event = ").push_bind(u.event).push(" AND handler = ").push_bind(u.handler);
    if let Some(user) = u.user_id {
        qb.push(" AND user_id = ").push_bind(user.0);
    }
    if let Some(c) = u.connector_id {
        qb.push(" AND connector_id = ").push_bind(c);
    }
    Ok(qb.build().execute(store.w()).await?.rows_affected())
}

/// An app's subscriptions in id order; `user` limits them to one AUTH_TYPE (what a non-admin sees).
pub async fn of_app(store: &Store, app: AppId, user: Option<UserId>) -> Result<Vec<Binding>, StoreError> {
    let mut qb = Sql::new(format!("SELECT {COLUMNS} FROM event_bindings WHERE app_id = "));
    qb.push_bind(app.0);
    if let Some(u) = user {
        qb.push(" AND user_id = ").push_bind(u.0);
    }
    qb.push(" ORDER BY id");
    Ok(qb.build().fetch_all(store.pool()).await?.iter().map(row).collect())
}

/// The subscriptions to `event` of installed apps (of `app` only, when given), inside the change's transaction.
pub async fn for_event_tx(tx: &mut Tx, event: &str, app: Option<AppId>) -> Result<Vec<Binding>, StoreError> {
    let mut qb = Sql::new(format!(
        "SELECT {} FROM event_bindings b JOIN apps a ON a.id = b.app_id WHERE a.installed = 1 AND b.event = ",
        COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ")
    ));
    qb.push_bind(event);
    if let Some(a) = app {
        qb.push(" AND b.app_id = ").push_bind(a.0);
    }
    qb.push(" ORDER BY b.id");
    Ok(qb.build().fetch_all(&mut **tx).await?.iter().map(row).collect())
}

/// Record that an ONOFFLINEEVENT notification was queued through `id` at `now`.
pub async fn notified_tx(tx: &mut Tx, id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE event_bindings SET last_notified_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
