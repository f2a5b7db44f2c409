//! Standard Webhooks signing keys per app (`whsec_…`). Rotating adds a new key and gives the old ones an
//! expiry, so a handler can switch secrets without losing events: until the grace period ends every event
//! is signed with each live key.

use super::{Store, StoreError};
use crate::domain::AppId;
use base64::Engine as _;
use rand::RngCore;

/// A new key for `app`; keys that were live stay valid for `grace` more seconds. Returns `whsec_<base64>`.
pub async fn rotate(store: &Store, app: AppId, grace: i64, now: i64) -> Result<String, StoreError> {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let secret = base64::engine::general_purpose::STANDARD.encode(raw);
    let mut tx = store.begin().await?;
    sqlx::query(
        "UPDATE app_signing_keys SET expires_at = $1 WHERE app_id = $2 AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(now + grace)
    .bind(app.0)
    .bind(now + grace)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO app_signing_keys(app_id, secret, created_at) VALUES ($1, $2, $3)")
        .bind(app.0)
        .bind(&secret)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(format!("whsec_{secret}"))
}

/// Remove every key of `app`: events go out unsigned again.
pub async fn disable(store: &Store, app: AppId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM app_signing_keys WHERE app_id = $1").bind(app.0).execute(store.w()).await?;
    Ok(())
}

/// The raw bytes of the live keys of `app`, newest first (empty: the app does not sign).
pub async fn live_keys(store: &Store, app: AppId, now: i64) -> Result<Vec<Vec<u8>>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT secret FROM app_signing_keys WHERE app_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY id DESC",
    )
    .bind(app.0)
    .bind(now)
    .fetch_all(store.pool())
    .await?;
    Ok(rows.iter().filter_map(|s| base64::engine::general_purpose::STANDARD.decode(s).ok()).collect())
}
