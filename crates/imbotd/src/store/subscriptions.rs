//! `im.v2.Event.subscribe`: the users whose message events are recorded (`events::user_v2`), each with the app
//! that subscribed last (the owner of the recorded rows). One row per user; subscribing again is a no-op apart
//! from the app.
//!
//! Every new message asks who in its chat is subscribed, inside its write transaction. While nobody at all is,
//! the store's hint says so and the question is not sent: on SQLite the hint is exact (read at start-up, set
//! before a subscription is written; the server is the only writer of this table); on PostgreSQL, where
//! another instance may subscribe someone, it is always "maybe". It is never cleared by an unsubscribe, so it
//! errs only towards asking.

use super::{Backend, Store, StoreError, Tx};
use crate::domain::{AppId, ChatId, UserId};
use sqlx::Row;
use std::sync::atomic::Ordering;

/// Set the hint from the table (at start-up).
pub(super) async fn load_hint(store: &Store) -> Result<(), StoreError> {
    let any = match store.backend() {
        Backend::Postgres => true,
        Backend::Sqlite => {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM user_event_subscriptions LIMIT 1) s")
                .fetch_one(store.pool())
                .await?;
            n > 0
        }
    };
    store.maybe_subscribed.store(any, Ordering::SeqCst);
    Ok(())
}

/// Whether anybody may be subscribed; `false` means certainly nobody.
pub fn may_exist(store: &Store) -> bool {
    store.maybe_subscribed.load(Ordering::SeqCst)
}

pub async fn subscribe(store: &Store, user: UserId, app: AppId, now: i64) -> Result<(), StoreError> {
    // Before the row exists, so no message transaction can miss it.
    store.maybe_subscribed.store(true, Ordering::SeqCst);
    sqlx::query(
        "INSERT INTO user_event_subscriptions(user_id, app_id, subscribed_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET app_id = excluded.app_id",
    )
    .bind(user.0)
    .bind(app.0)
    .bind(now)
    .execute(store.w())
    .await?;
    Ok(())
}

pub async fn unsubscribe(store: &Store, user: UserId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM user_event_subscriptions WHERE user_id = $1").bind(user.0).execute(store.w()).await?;
    Ok(())
}

pub async fn is_subscribed(store: &Store, user: UserId) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_event_subscriptions WHERE user_id = $1")
        .bind(user.0)
        .fetch_one(store.pool())
        .await?;
    Ok(n > 0)
}

/// The subscribed members of `chat`, with their apps.
pub async fn in_chat_tx(tx: &mut Tx, chat: ChatId) -> Result<Vec<(UserId, AppId)>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.user_id, s.app_id FROM user_event_subscriptions s
         JOIN chat_members m ON m.user_id = s.user_id AND m.chat_id = $1 ORDER BY s.user_id",
    )
    .bind(chat.0)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.iter().map(|r| (UserId(r.get("user_id")), AppId(r.get("app_id")))).collect())
}
