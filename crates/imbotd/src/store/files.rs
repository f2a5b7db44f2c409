//! Files posted into chats (the Drive stand-in of `imbot.v2.File.*` / `im.v2.File.*`) and their one-time
//! download tokens.
//!
//! A file row is inserted in the transaction that posts the message carrying it (`messenger::post_with_files`),
//! after its content is on disk (`store::blobs`); the row names the content by `storage_key`. A file whose
//! message was deleted reads as gone ([`get`] answers `None`). Download tokens are random, stored as SHA-256,
//! valid until their expiry and good for one use: [`consume`] marks a token used in the same statement that
//! checks it, so two concurrent downloads cannot both win.
//!
//! Failure modes: query errors are `StoreError` (the API's 500).

use super::{Sql, Store, StoreError, Tx};
use crate::domain::{secret, ChatId, MessageId, UserId};
use sqlx::Row;

/// A file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: i64,
    pub chat_id: ChatId,
    pub message_id: MessageId,
    pub author_id: UserId,
    pub name: String,
    pub extension: String,
    pub size: i64,
    /// `file`, `image`, `video` or `audio`.
    pub kind: String,
    /// `(width, height)` of an image whose header gives them.
    pub image: Option<(i64, i64)>,
    pub storage_key: String,
    pub sha256: String,
    pub created_at: i64,
}

/// A file to record with the message that posts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub author_id: UserId,
    pub name: String,
    pub extension: String,
    pub size: i64,
    pub kind: String,
    pub image: Option<(i64, i64)>,
    pub storage_key: String,
    pub sha256: String,
}

const COLUMNS: &str = "f.id, f.chat_id, f.message_id, f.author_id, f.name, f.extension, f.size, f.type, \
                       f.image_width, f.image_height, f.storage_key, f.sha256, f.created_at";

fn row(r: &sqlx::any::AnyRow) -> StoredFile {
    let w: Option<i64> = r.get("image_width");
    let h: Option<i64> = r.get("image_height");
    StoredFile {
        id: r.get("id"),
        chat_id: ChatId(r.get("chat_id")),
        message_id: MessageId(r.get("message_id")),
        author_id: UserId(r.get("author_id")),
        name: r.get("name"),
        extension: r.get("extension"),
        size: r.get("size"),
        kind: r.get("type"),
        image: w.zip(h),
        storage_key: r.get("storage_key"),
        sha256: r.get("sha256"),
        created_at: r.get("created_at"),
    }
}

/// Insert `f` into `chat` (its message is linked by [`link_message`] once it exists); returns the file id.
pub async fn insert(tx: &mut Tx, f: &NewFile, chat: ChatId, now: i64) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO files(chat_id, author_id, name, extension, size, type, image_width, image_height, storage_key,
                           sha256, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(chat.0)
    .bind(f.author_id.0)
    .bind(&f.name)
    .bind(&f.extension)
    .bind(f.size)
    .bind(&f.kind)
    .bind(f.image.map(|(w, _)| w))
    .bind(f.image.map(|(_, h)| h))
    .bind(&f.storage_key)
    .bind(&f.sha256)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Record that `message` carries the files `ids`.
pub async fn link_message(tx: &mut Tx, ids: &[i64], message: MessageId) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new("UPDATE files SET message_id = ");
    q.push_bind(message.0).push(" WHERE id IN (").push_list(ids.iter().copied()).push(")");
    q.build().execute(&mut **tx).await?;
    Ok(())
}

/// Remove the contents under `root` older than `min_age` that no file row names — what a crash between
/// writing a content and committing its row left behind (the age keeps another instance's upload in progress
/// safe). Returns how many went.
pub async fn sweep_orphans(
    store: &Store,
    root: &std::path::Path,
    min_age: std::time::Duration,
) -> Result<usize, StoreError> {
    let root2 = root.to_owned();
    let keys = tokio::task::spawn_blocking(move || super::blobs::keys_older_than(&root2, min_age))
        .await
        .map_err(|e| StoreError::Commit(format!("the orphan sweep stopped: {e}")))?
        .unwrap_or_default();
    let mut removed = 0;
    for chunk in keys.chunks(500) {
        let mut q = Sql::new("SELECT storage_key FROM files WHERE storage_key IN (");
        q.push_list(chunk.iter().cloned()).push(")");
        let known: std::collections::HashSet<String> =
            q.build().fetch_all(store.pool()).await?.iter().map(|r| r.get("storage_key")).collect();
        for key in chunk.iter().filter(|k| !known.contains(*k)) {
            if super::blobs::remove(root, key).await.is_ok() {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// A file whose message still exists (not deleted), or `None`.
pub async fn get(store: &Store, id: i64) -> Result<Option<StoredFile>, StoreError> {
    let r = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM files f JOIN messages m ON m.id = f.message_id WHERE f.id = $1 AND m.deleted = 0"
    ))
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    Ok(r.as_ref().map(row))
}

/// The files of `chat` among `ids` whose messages are not deleted, in id order.
pub async fn in_chat(store: &Store, chat: ChatId, ids: &[i64]) -> Result<Vec<StoredFile>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(format!(
        "SELECT {COLUMNS} FROM files f JOIN messages m ON m.id = f.message_id WHERE m.deleted = 0 AND f.chat_id = "
    ));
    q.push_bind(chat.0).push(" AND f.id IN (").push_list(ids.iter().copied()).push(") ORDER BY f.id");
    let rows = q.build().fetch_all(store.pool()).await?;
    Ok(rows.iter().map(row).collect())
}

/// A new one-time download token of `kind` (`imbot` | `im`) for file `file`, valid `ttl` seconds; returned in
/// clear (only its digest is stored).
pub async fn issue_token(store: &Store, file: i64, kind: &str, ttl: i64, now: i64) -> Result<String, StoreError> {
    let token = secret::hex_token(24);
    sqlx::query(
        "INSERT INTO file_tokens(token_hash, file_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secret::hash(&token))
    .bind(file)
    .bind(kind)
    .bind(now)
    .bind(now.saturating_add(ttl))
    .execute(store.w())
    .await?;
    Ok(token)
}

/// Use a download token: the file id it was issued for, once, while it is valid (`None`: unknown, of another
/// kind, used or expired).
pub async fn consume(store: &Store, kind: &str, token: &str, now: i64) -> Result<Option<i64>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE file_tokens SET used_at = $1
         WHERE token_hash = $2 AND kind = $3 AND used_at IS NULL AND expires_at > $4 RETURNING file_id",
    )
    .bind(now)
    .bind(secret::hash(token))
    .bind(kind)
    .bind(now)
    .fetch_optional(store.w())
    .await?;
    Ok(id)
}

/// Used and expired download tokens go (the delivery worker's hourly purge).
pub async fn purge_tokens(store: &Store, now: i64) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM file_tokens WHERE expires_at <= $1 OR used_at IS NOT NULL")
        .bind(now)
        .execute(store.w())
        .await?;
    Ok(r.rows_affected())
}
