//! Portal-wide settings (member_id) and first-start bootstrap (the admin user, ID 1).

use super::{Store, StoreError};
use crate::domain::secret;

/// Make sure member_id and the admin user exist. Idempotent; safe to race (ON CONFLICT DO NOTHING).
pub async fn bootstrap(store: &Store, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO portal_settings(key, value) VALUES ('member_id', $1) ON CONFLICT DO NOTHING")
        .bind(secret::hex_token(16))
        .execute(store.w())
        .await?;
    sqlx::query(
        "INSERT INTO users(id, name, last_name, is_admin, language_id, date_register)
         VALUES (1, 'Admin', '', 1, 'en', $1) ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .execute(store.w())
    .await?;
    Ok(())
}

/// The portal's stable member_id (32 hex chars).
pub async fn member_id(store: &Store) -> Result<String, StoreError> {
    let v: String =
        sqlx::query_scalar("SELECT value FROM portal_settings WHERE key = 'member_id'").fetch_one(store.pool()).await?;
    Ok(v)
}

/// Set a one-time flag; `true` only for the caller that set it first (e.g. "the admin webhook was printed").
pub async fn claim_once(store: &Store, flag: &str, now: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("INSERT INTO portal_settings(key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(format!("once:{flag}"))
        .bind(now.to_string())
        .execute(store.w())
        .await?;
    Ok(r.rows_affected() == 1)
}

/// A portal setting (`None` when unset).
pub async fn setting(store: &Store, key: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT value FROM portal_settings WHERE key = $1")
        .bind(key)
        .fetch_optional(store.pool())
        .await?)
}

/// Set (or replace) a portal setting.
pub async fn set_setting(store: &Store, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO portal_settings(key, value) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(store.w())
    .await?;
    Ok(())
}
