//! Request limits shared by every instance on PostgreSQL (`crate::limits` decides; this keeps the counts).
//!
//! Both tables are UNLOGGED (migrations/postgres/0011): counting a request costs no fsync, and a PostgreSQL
//! crash empties them, which only forgives recent requests. Each statement updates one row under its row lock,
//! so concurrent requests of one caller through several instances are counted exactly, in some order.

use super::{Store, StoreError};
use sqlx::Row;

/// Count one request against `key`'s leaky bucket at `now` (fractional unix seconds): drain since the last
/// request at `drain` per second, then add 1 if that stays within `burst`. Returns whether it was admitted and
/// the level after draining (and adding, when admitted).
pub async fn bucket_admit(
    store: &Store,
    key: &str,
    now: f64,
    drain: f64,
    burst: f64,
) -> Result<(bool, f64), StoreError> {
    // Every SET expression sees the row as it was; a clock behind the stored one drains nothing.
    let r = sqlx::query(
        "INSERT INTO rate_buckets AS b (key, level, at, admitted) VALUES ($1, 1, $2, TRUE)
         ON CONFLICT (key) DO UPDATE SET
           level = GREATEST(b.level - GREATEST($2 - b.at, 0) * $3, 0)
                   + CASE WHEN GREATEST(b.level - GREATEST($2 - b.at, 0) * $3, 0) + 1 <= $4 THEN 1 ELSE 0 END,
           admitted = GREATEST(b.level - GREATEST($2 - b.at, 0) * $3, 0) + 1 <= $4,
           at = GREATEST($2, b.at)
         RETURNING admitted, level",
    )
    .bind(key)
    .bind(now)
    .bind(drain)
    .bind(burst)
    .fetch_one(store.w())
    .await?;
    Ok((r.get("admitted"), r.get("level")))
}

/// Add `seconds` of handler time to (key, method)'s basket of `minute`.
pub async fn operating_add(
    store: &Store,
    key: &str,
    method: &str,
    minute: i64,
    seconds: f64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO operating_baskets AS o (key, method, minute, seconds) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key, method, minute) DO UPDATE SET seconds = o.seconds + excluded.seconds",
    )
    .bind(key)
    .bind(method)
    .bind(minute)
    .bind(seconds)
    .execute(store.w())
    .await?;
    Ok(())
}

/// (minute, seconds) baskets of (key, method) after `after_minute`, oldest first.
pub async fn operating_window(
    store: &Store,
    key: &str,
    method: &str,
    after_minute: i64,
) -> Result<Vec<(i64, f64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT minute, seconds FROM operating_baskets WHERE key = $1 AND method = $2 AND minute > $3 ORDER BY minute",
    )
    .bind(key)
    .bind(method)
    .bind(after_minute)
    .fetch_all(store.pool())
    .await?)
}

/// Forget baskets of minutes up to `minute` (outside every window) and buckets idle since `idle_before`.
pub async fn prune(store: &Store, minute: i64, idle_before: f64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM operating_baskets WHERE minute <= $1").bind(minute).execute(store.w()).await?;
    sqlx::query("DELETE FROM rate_buckets WHERE at < $1").bind(idle_before).execute(store.w()).await?;
    Ok(())
}
