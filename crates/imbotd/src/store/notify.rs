//! Cross-instance signals on PostgreSQL: LISTEN/NOTIFY.
//!
//! Instances sharing a database tell each other two things, so a user connected to one sees at once what was
//! done through another:
//! * `imbotd_feed` — the change feed grew. Sent by [`feed_grew`] inside the write transaction, so PostgreSQL
//!   delivers it when (and only if) the transaction commits; several in one transaction arrive as one.
//! * `imbotd_live` — an ephemeral event that is in no table (typing), as JSON, tagged with the sending
//!   instance so it can skip its own.
//!
//! Notifications are a wake-up, not a log: a listener that reconnects after losing its connection may have
//! missed some, so [`listen`] reports the reconnect and readers then re-read the feed from where they are
//! (the feed itself is the durable record). On SQLite there is one process and all of this is a no-op.

use super::{Backend, Store, StoreError, Tx};
use serde_json::Value;

const FEED: &str = "imbotd_feed";
const LIVE: &str = "imbotd_live";

/// What another instance said.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The change feed grew (or the listener reconnected and may have missed that it did).
    FeedGrew,
    /// An ephemeral event published by [`publish`] (the sender's instance id is in it).
    Live(Value),
}

/// Mark `tx` as one that grew the change feed (PostgreSQL: `NOTIFY` at commit; [`super::feed::append`] calls it).
pub async fn feed_grew(tx: &mut Tx) -> Result<(), StoreError> {
    if tx.backend() == Backend::Postgres {
        sqlx::query("NOTIFY imbotd_feed").execute(&mut **tx).await?;
    }
    Ok(())
}

/// Tell the other instances about an ephemeral event (PostgreSQL; a no-op on SQLite).
pub async fn publish(store: &Store, payload: &Value) -> Result<(), StoreError> {
    if store.backend() == Backend::Postgres {
        // pg_notify returns void, which the Any driver cannot decode: select a constant around it.
        sqlx::query("SELECT 1 AS sent FROM (SELECT pg_notify($1, $2)) AS n")
            .bind(LIVE)
            .bind(payload.to_string())
            .execute(store.pool())
            .await?;
    }
    Ok(())
}

/// Listen for the other instances until `tx` is closed; on SQLite, returns at once. Reconnects (with a pause)
/// whenever the connection is lost, and reports [`Notice::FeedGrew`] after each reconnect.
pub async fn listen(store: Store, tx: tokio::sync::mpsc::Sender<Notice>) {
    if store.backend() != Backend::Postgres {
        return;
    }
    loop {
        match listen_once(&store, &tx).await {
            Ok(()) => return,
            Err(e) => tracing::warn!(error = %e, "lost the LISTEN connection to PostgreSQL; reconnecting"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        if tx.send(Notice::FeedGrew).await.is_err() {
            return;
        }
    }
}

async fn listen_once(store: &Store, tx: &tokio::sync::mpsc::Sender<Notice>) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(store.url()).await?;
    listener.listen_all([FEED, LIVE]).await?;
    loop {
        // `None`: the connection was lost, and what was sent meanwhile with it; the next call reconnects.
        let Some(n) = listener.try_recv().await? else {
            tracing::warn!("the LISTEN connection to PostgreSQL was lost; reconnecting");
            if tx.send(Notice::FeedGrew).await.is_err() {
                return Ok(());
            }
            continue;
        };
        let notice = match n.channel() {
            FEED => Notice::FeedGrew,
            _ => match serde_json::from_str(n.payload()) {
                Ok(v) => Notice::Live(v),
                Err(_) => continue,
            },
        };
        if tx.send(notice).await.is_err() {
            return Ok(());
        }
    }
}
