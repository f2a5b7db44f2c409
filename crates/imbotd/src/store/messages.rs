//! Messages, likes and history pages.
//!
//! `params` is a JSON object of normalised message params (ATTACH, KEYBOARD, MENU, CODE, …), `{}` when none.
//! Text is stored verbatim (BB-code, never interpreted). History pages use the `(chat_id, id)` index in both
//! directions, so a page costs O(log n + page) however long the chat is.

use super::{Sql, Store, StoreError, Tx};
use crate::domain::{ChatId, MessageId, UserId};
use serde_json::{Map, Value};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: MessageId,
    pub chat_id: ChatId,
    /// `UserId(0)` for system messages.
    pub author_id: UserId,
    pub text: String,
    pub is_system: bool,
    pub url_preview: bool,
    pub params: Map<String, Value>,
    pub uuid: Option<String>,
    pub reply_id: MessageId,
    pub created_at: i64,
    pub updated_at: Option<i64>,
    pub deleted: bool,
}

#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub chat_id: i64,
    pub author_id: i64,
    pub text: String,
    pub is_system: bool,
    pub url_preview: bool,
    pub params: Map<String, Value>,
    pub uuid: Option<String>,
    pub reply_id: i64,
}

const COLUMNS: &str =
    "id, chat_id, author_id, text, is_system, url_preview, params, uuid, reply_id, created_at, updated_at, deleted";

fn row(r: &sqlx::any::AnyRow) -> Message {
    let params = match serde_json::from_str::<Value>(r.get::<&str, _>("params")) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    Message {
        id: MessageId(r.get("id")),
        chat_id: ChatId(r.get("chat_id")),
        author_id: UserId(r.get("author_id")),
        text: r.get("text"),
        is_system: r.get::<i64, _>("is_system") != 0,
        url_preview: r.get::<i64, _>("url_preview") != 0,
        params,
        uuid: r.get("uuid"),
        reply_id: MessageId(r.get("reply_id")),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
        deleted: r.get::<i64, _>("deleted") != 0,
    }
}

/// Insert a message with what every new message changes: the chat's last message and count, the author's read
/// mark (they have read everything up to their own message) and the `message_add` change-feed record with
/// `feed_payload`. Returns the message id and the chat's message count after it.
///
/// One request: a write transaction holds the process's single writer (`group.rs`), so the four writes go as
/// one — a compound statement on SQLite (one call, its statements prepared once and cached), where `last_insert_rowid()` is the new message's id until the
/// feed record is inserted last, and one statement of data-modifying CTEs on PostgreSQL.
pub async fn insert(
    tx: &mut Tx,
    m: &NewMessage,
    feed_payload: &Value,
    now: i64,
) -> Result<(MessageId, i64), StoreError> {
    const SQLITE: &str = "INSERT INTO messages(chat_id, author_id, text, is_system, url_preview, params, uuid, reply_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id;
         UPDATE chats SET last_message_id = last_insert_rowid(), message_count = message_count + 1 WHERE id = $1
         RETURNING message_count;
         UPDATE chat_members
            SET last_read_id = CASE WHEN last_read_id > last_insert_rowid() THEN last_read_id ELSE last_insert_rowid() END
          WHERE chat_id = $1 AND user_id = $2;
         INSERT INTO change_feed(kind, chat_id, message_id, user_id, payload, created_at)
         VALUES ($10, $1, last_insert_rowid(), $2, $11, $9)";
    const POSTGRES: &str = "WITH m AS (
           INSERT INTO messages(chat_id, author_id, text, is_system, url_preview, params, uuid, reply_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id),
         c AS (UPDATE chats SET last_message_id = (SELECT id FROM m), message_count = message_count + 1
               WHERE id = $1 RETURNING message_count),
         r AS (UPDATE chat_members SET last_read_id = GREATEST(last_read_id, (SELECT id FROM m))
               WHERE chat_id = $1 AND user_id = $2),
         f AS (INSERT INTO change_feed(kind, chat_id, message_id, user_id, payload, created_at)
               SELECT $10, $1, id, $2, $11, $9 FROM m)
         SELECT m.id, c.message_count FROM m CROSS JOIN c";
    let postgres = tx.backend() == super::Backend::Postgres;
    let sql = if postgres { POSTGRES } else { SQLITE };
    let rows = sqlx::query(sql)
        .bind(m.chat_id)
        .bind(m.author_id)
        .bind(&m.text)
        .bind(m.is_system as i64)
        .bind(m.url_preview as i64)
        .bind(Value::Object(m.params.clone()).to_string())
        .bind(&m.uuid)
        .bind(m.reply_id)
        .bind(now)
        .bind(super::feed::ChangeKind::MessageAdd.as_str())
        .bind(feed_payload.to_string())
        .fetch_all(&mut **tx)
        .await?;
    // SQLite: a row per RETURNING, the message's id then the chat's count; PostgreSQL: one row of both. (No
    // chat row means no count: the insert fails on its foreign key before that.)
    let (id, count) = match (postgres, rows.first(), rows.get(1)) {
        (true, Some(r), _) => (r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?),
        (false, Some(a), Some(b)) => (a.try_get::<i64, _>(0)?, b.try_get::<i64, _>(0)?),
        _ => return Err(StoreError::Db(sqlx::Error::RowNotFound)),
    };
    super::notify::feed_grew(tx).await?;
    Ok((MessageId(id), count))
}

pub async fn get(store: &Store, id: MessageId) -> Result<Option<Message>, StoreError> {
    get_on(store.pool(), id).await
}

pub async fn get_tx(tx: &mut Tx, id: MessageId) -> Result<Option<Message>, StoreError> {
    get_on(&mut **tx, id).await
}

async fn get_on<'e>(ex: impl sqlx::any::AnyExecutor<'e>, id: MessageId) -> Result<Option<Message>, StoreError> {
    let r = sqlx::query(&format!("SELECT {COLUMNS} FROM messages WHERE id = $1")).bind(id.0).fetch_optional(ex).await?;
    Ok(r.as_ref().map(row))
}

/// Replace text and params (an edit).
pub async fn update(
    tx: &mut Tx,
    id: MessageId,
    text: &str,
    params: &Map<String, Value>,
    url_preview: bool,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE messages SET text = $1, params = $2, url_preview = $3, updated_at = $4 WHERE id = $5")
        .bind(text)
        .bind(Value::Object(params.clone()).to_string())
        .bind(url_preview as i64)
        .bind(now)
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Mark deleted: Bitrix keeps the message as "This message was deleted." with its params replaced by
/// `IS_DELETED=Y` and its likes gone.
pub async fn mark_deleted(tx: &mut Tx, id: MessageId, text: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM message_reactions WHERE message_id = $1").bind(id.0).execute(&mut **tx).await?;
    sqlx::query(
        "UPDATE messages SET deleted = 1, text = $1, params = '{\"IS_DELETED\":\"Y\"}', updated_at = $2 WHERE id = $3",
    )
    .bind(text)
    .bind(now)
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Which page of history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The newest `limit` messages.
    Latest,
    /// Older than this id.
    Before(MessageId),
    /// Newer than this id.
    After(MessageId),
}

/// A page of `chat`'s history visible from `min_id` on, in `im.dialog.messages.get`'s order: newest first for
/// [`Page::Latest`] and [`Page::Before`], oldest first for [`Page::After`] (Bitrix's `Chat::getMessages` sorts
/// `ID DESC` without `FIRST_ID` and leaves a `FIRST_ID` page in ascending id order).
///
/// Each page is one range `low < id < high` on the `(chat_id, id)` index, walked from the end the page needs,
/// so its cost does not depend on how deep in the history it lies.
pub async fn page(
    store: &Store,
    chat: ChatId,
    min_id: MessageId,
    page: Page,
    limit: i64,
) -> Result<Vec<Message>, StoreError> {
    let floor = min_id.0 - 1;
    let (low, high, ascending) = match page {
        Page::Latest => (floor, i64::MAX, false),
        Page::Before(id) => (floor, id.0, false),
        Page::After(id) => (floor.max(id.0), i64::MAX, true),
    };
    let order = if ascending { "ASC" } else { "DESC" };
    // SQLite is told which index to walk (it would otherwise pick the hidden-history bound as the range and
    // filter row by row); PostgreSQL's planner takes the `(chat_id, id)` range by itself.
    let hint = match store.backend() {
        super::Backend::Sqlite => "INDEXED BY messages_chat_id",
        super::Backend::Postgres => "",
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM messages {hint} WHERE chat_id = $1 AND id > $2 AND id < $3 ORDER BY id {order} LIMIT $4"
    );
    let rows = sqlx::query(&sql).bind(chat.0).bind(low).bind(high).bind(limit).fetch_all(store.pool()).await?;
    Ok(rows.iter().map(row).collect())
}

/// The reaction code v1 likes are (`im.message.like`, `imbot.message.like`, params `LIKE`).
pub const LIKE: &str = "like";

/// Like or unlike (the reaction [`LIKE`]); returns `true` if the state changed.
pub async fn set_like(tx: &mut Tx, id: MessageId, user: UserId, like: bool, now: i64) -> Result<bool, StoreError> {
    set_reaction(tx, id, user, LIKE, like, now).await
}

/// Set or remove one reaction of `user` on a message; returns `true` if the state changed.
pub async fn set_reaction(
    tx: &mut Tx,
    id: MessageId,
    user: UserId,
    reaction: &str,
    on: bool,
    now: i64,
) -> Result<bool, StoreError> {
    let r = if on {
        sqlx::query(
            "INSERT INTO message_reactions(message_id, user_id, reaction, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(reaction)
        .bind(now)
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query("DELETE FROM message_reactions WHERE message_id = $1 AND user_id = $2 AND reaction = $3")
            .bind(id.0)
            .bind(user.0)
            .bind(reaction)
            .execute(&mut **tx)
            .await?
    };
    Ok(r.rows_affected() == 1)
}

pub async fn likes_tx(tx: &mut Tx, id: MessageId) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM message_reactions WHERE message_id = $1 AND reaction = 'like' ORDER BY rowid",
    )
    .bind(id.0)
    .fetch_all(&mut **tx)
    .await?;
    Ok(ids.into_iter().map(UserId).collect())
}

const HAS_REACTION: &str =
    "SELECT COUNT(*) FROM message_reactions WHERE message_id = $1 AND user_id = $2 AND reaction = $3";

/// Whether `user` has set `reaction` on a message.
pub async fn has_reaction(store: &Store, id: MessageId, user: UserId, reaction: &str) -> Result<bool, StoreError> {
    let n: i64 =
        sqlx::query_scalar(HAS_REACTION).bind(id.0).bind(user.0).bind(reaction).fetch_one(store.pool()).await?;
    Ok(n > 0)
}

/// [`has_reaction`] inside a write transaction (a toggle decided where it is written).
pub async fn has_reaction_tx(tx: &mut Tx, id: MessageId, user: UserId, reaction: &str) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(HAS_REACTION).bind(id.0).bind(user.0).bind(reaction).fetch_one(&mut **tx).await?;
    Ok(n > 0)
}

/// Likes of several messages at once: (message id, user id) pairs, each message's in order of liking (by
/// rowid: likes within one second keep their order).
pub async fn likes_of(store: &Store, ids: &[MessageId]) -> Result<Vec<(MessageId, UserId)>, StoreError> {
    Ok(reactions_of(store, ids).await?.into_iter().filter(|(_, _, r)| r == LIKE).map(|(m, u, _)| (m, u)).collect())
}

/// Every reaction of several messages: (message id, user id, code), in the order they were given.
pub async fn reactions_of(store: &Store, ids: &[MessageId]) -> Result<Vec<(MessageId, UserId, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = Sql::new("SELECT message_id, user_id, reaction FROM message_reactions WHERE message_id IN (");
    qb.push_list(ids.iter().map(|id| id.0));
    qb.push(") ORDER BY rowid");
    let rows = qb.build().fetch_all(store.pool()).await?;
    Ok(rows.iter().map(|r| (MessageId(r.get("message_id")), UserId(r.get("user_id")), r.get("reaction"))).collect())
}

/// Bulk-insert `count` plain messages into `chat`, authors taken round-robin from `authors`, with their
/// change-feed records, in batches of `batch` per transaction. For `imbotd dev seed`.
pub async fn bulk_insert(
    store: &Store,
    chat: ChatId,
    authors: &[UserId],
    count: u64,
    batch: u64,
    now: i64,
) -> Result<(), StoreError> {
    let mut done = 0u64;
    while done < count {
        let n = batch.min(count - done);
        let mut tx = store.begin().await?;
        let mut last = 0i64;
        for i in 0..n {
            let k = done + i;
            let author = authors[(k % authors.len() as u64) as usize];
            last = sqlx::query_scalar(
                "INSERT INTO messages(chat_id, author_id, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(chat.0)
            .bind(author.0)
            .bind(format!("Seed message {}", k + 1))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO change_feed(kind, chat_id, message_id, user_id, payload, created_at) VALUES ('message_add', $1, $2, $3, '{}', $4)")
                .bind(chat.0)
                .bind(last)
                .bind(author.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE chats SET last_message_id = $1, message_count = message_count + $2 WHERE id = $3")
            .bind(last)
            .bind(n as i64)
            .bind(chat.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        done += n;
    }
    // A bulk load leaves PostgreSQL's planner statistics behind until autovacuum comes by: refresh them now.
    if store.backend() == super::Backend::Postgres {
        sqlx::query("ANALYZE messages").execute(store.pool()).await?;
    }
    Ok(())
}
