//! Incoming webhooks: a user's code with a set of scopes. The code is stored hashed; the first four
//! characters are kept as a hint for `webhook list`.

use super::{Store, StoreError};
use crate::domain::{secret, ScopeSet, UserId, WebhookId};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: WebhookId,
    pub user_id: UserId,
    pub code_hint: String,
    pub scopes: ScopeSet,
    pub created_at: i64,
}

fn row(r: &sqlx::any::AnyRow) -> Webhook {
    Webhook {
        id: WebhookId(r.get("id")),
        user_id: UserId(r.get("user_id")),
        code_hint: r.get("code_hint"),
        scopes: ScopeSet::from_stored(&r.get::<String, _>("scopes")),
        created_at: r.get("created_at"),
    }
}

/// Create a webhook with `code`. Fails with a unique violation if the same code exists.
pub async fn create(
    store: &Store,
    user: UserId,
    code: &str,
    scopes: &ScopeSet,
    now: i64,
) -> Result<WebhookId, StoreError> {
    let hint: String = code.chars().take(4).collect();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhooks(user_id, code_hash, code_hint, scopes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.0)
    .bind(secret::hash(code))
    .bind(hint)
    .bind(scopes.to_list())
    .bind(now)
    .fetch_one(store.w())
    .await?;
    Ok(WebhookId(id))
}

/// The webhook of `user` with this `code`, if any (scoped by the user from the URL).
pub async fn find(store: &Store, user: UserId, code: &str) -> Result<Option<Webhook>, StoreError> {
    let r = sqlx::query(
        "SELECT id, user_id, code_hint, scopes, created_at FROM webhooks WHERE user_id = $1 AND code_hash = $2",
    )
    .bind(user.0)
    .bind(secret::hash(code))
    .fetch_optional(store.pool())
    .await?;
    Ok(r.as_ref().map(row))
}

/// [`find`] for an active user, with whether that user is an administrator: the one query a webhook call's
/// authentication needs.
pub async fn find_for_active_user(
    store: &Store,
    user: UserId,
    code: &str,
) -> Result<Option<(Webhook, bool)>, StoreError> {
    let r = sqlx::query(
        "SELECT w.id, w.user_id, w.code_hint, w.scopes, w.created_at, u.is_admin FROM webhooks w
         JOIN users u ON u.id = w.user_id AND u.active = 1 WHERE w.user_id = $1 AND w.code_hash = $2",
    )
    .bind(user.0)
    .bind(secret::hash(code))
    .fetch_optional(store.pool())
    .await?;
    Ok(r.as_ref().map(|r| (row(r), r.get::<i64, _>("is_admin") != 0)))
}

pub async fn list(store: &Store) -> Result<Vec<Webhook>, StoreError> {
    let rows = sqlx::query("SELECT id, user_id, code_hint, scopes, created_at FROM webhooks ORDER BY id")
        .fetch_all(store.pool())
        .await?;
    Ok(rows.iter().map(row).collect())
}

/// Remove a webhook; `false` if there was none with that id.
pub async fn remove(store: &Store, id: WebhookId) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id.0).execute(store.w()).await?;
    Ok(r.rows_affected() > 0)
}
