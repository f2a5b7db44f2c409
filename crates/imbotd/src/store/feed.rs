//! The change feed: one ordered record per messenger change, appended inside the change's own transaction,
//! so a reader following `seq` sees every committed change exactly once and never one that rolled back.
//!
//! Readers: the web chat's live updates, bot event selection, other instances. Records are small (ids and a
//! JSON payload); readers load current state from the tables when they need more.

use super::{StoreError, Tx};
use crate::domain::{ChatId, MessageId, UserId};
use serde_json::Value;
use sqlx::Row;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    ChatAdd,
    ChatUpdate,
    MemberAdd,
    MemberRemove,
    MessageAdd,
    MessageUpdate,
    MessageDelete,
    MessageLike,
    Read,
    Unread,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ChatAdd => "chat_add",
            ChangeKind::ChatUpdate => "chat_update",
            ChangeKind::MemberAdd => "member_add",
            ChangeKind::MemberRemove => "member_remove",
            ChangeKind::MessageAdd => "message_add",
            ChangeKind::MessageUpdate => "message_update",
            ChangeKind::MessageDelete => "message_delete",
            ChangeKind::MessageLike => "message_like",
            ChangeKind::Read => "read",
            ChangeKind::Unread => "unread",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeKind> {
        Some(match s {
            "chat_add" => ChangeKind::ChatAdd,
            "chat_update" => ChangeKind::ChatUpdate,
            "member_add" => ChangeKind::MemberAdd,
            "member_remove" => ChangeKind::MemberRemove,
            "message_add" => ChangeKind::MessageAdd,
            "message_update" => ChangeKind::MessageUpdate,
            "message_delete" => ChangeKind::MessageDelete,
            "message_like" => ChangeKind::MessageLike,
            "read" => ChangeKind::Read,
            "unread" => ChangeKind::Unread,
            _ => return None,
        })
    }
}

/// One record as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub seq: i64,
    pub kind: ChangeKind,
    pub chat_id: ChatId,
    pub message_id: MessageId,
    /// The user the change is about (the author, the added member, the reader).
    pub user_id: UserId,
    pub payload: Value,
    pub created_at: i64,
}

/// Append a record in `tx`; returns its `seq`.
pub async fn append(
    tx: &mut Tx,
    kind: ChangeKind,
    chat: ChatId,
    message: MessageId,
    user: UserId,
    payload: &Value,
    now: i64,
) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO change_feed(kind, chat_id, message_id, user_id, payload, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
    )
    .bind(kind.as_str())
    .bind(chat.0)
    .bind(message.0)
    .bind(user.0)
    .bind(payload.to_string())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    super::notify::feed_grew(tx).await?;
    Ok(seq)
}

/// Records after `after_seq`, oldest first, at most `limit`.
pub async fn read(store: &super::Store, after_seq: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
    let rows = sqlx::query(
        "SELECT seq, kind, chat_id, message_id, user_id, payload, created_at FROM change_feed
         WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after_seq)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Change {
                seq: r.get("seq"),
                kind: ChangeKind::parse(r.get::<&str, _>("kind"))?,
                chat_id: ChatId(r.get("chat_id")),
                message_id: MessageId(r.get("message_id")),
                user_id: UserId(r.get("user_id")),
                payload: serde_json::from_str(r.get::<&str, _>("payload")).unwrap_or(Value::Null),
                created_at: r.get("created_at"),
            })
        })
        .collect())
}

/// The newest `seq` (0 when empty): where a new reader starts.
pub async fn head(store: &super::Store) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM change_feed").fetch_one(store.pool()).await?)
}
