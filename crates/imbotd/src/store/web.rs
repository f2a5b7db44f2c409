//! The web chat's own data: passwords, sign-in sessions, one-time login links, and the read models the page
//! needs beyond the REST methods (the dialog list, the people one may talk to). Tokens are stored as SHA-256
//! digests; a session is found by its cookie's digest and is valid until `expires_at`, which each use moves on.

use super::{Store, StoreError};
use crate::domain::{secret, ChatId, MessageId, UserId};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: i64,
    pub user_id: UserId,
    pub csrf: String,
    pub expires_at: i64,
}

/// Set (or with `None` remove) a user's password hash.
pub async fn set_password(store: &Store, user: UserId, hash: Option<&str>) -> Result<bool, StoreError> {
    Ok(sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND is_bot = 0")
        .bind(hash)
        .bind(user.0)
        .execute(store.w())
        .await?
        .rows_affected()
        > 0)
}

/// The active human user signing in as `login` (an ID or an e-mail, case-insensitively) and their hash.
pub async fn password_of(store: &Store, login: &str) -> Result<Option<(UserId, Option<String>)>, StoreError> {
    let login = login.trim();
    let row = match login.parse::<i64>() {
        Ok(id) => {
            sqlx::query("SELECT id, password_hash FROM users WHERE id = $1 AND active = 1 AND is_bot = 0")
                .bind(id)
                .fetch_optional(store.pool())
                .await?
        }
        Err(_) => {
            sqlx::query(
                "SELECT id, password_hash FROM users WHERE email <> '' AND lower(email) = lower($1) AND active = 1 AND is_bot = 0
                 ORDER BY id LIMIT 1",
            )
            .bind(login)
            .fetch_optional(store.pool())
            .await?
        }
    };
    Ok(row.map(|r| (UserId(r.get("id")), r.get("password_hash"))))
}

/// Open a session for `user`; returns the cookie value (shown once) and the session.
pub async fn open(store: &Store, user: UserId, ttl: i64, now: i64) -> Result<(String, Session), StoreError> {
    let token = secret::hex_token(32);
    let csrf = secret::hex_token(16);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO web_sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(secret::hash(&token))
    .bind(user.0)
    .bind(&csrf)
    .bind(now)
    .bind(now + ttl)
    .fetch_one(store.w())
    .await?;
    Ok((token, Session { id, user_id: user, csrf, expires_at: now + ttl }))
}

/// The live session of a cookie value; each use extends it to `now + ttl` (written at most once a minute).
pub async fn find(store: &Store, token: &str, ttl: i64, now: i64) -> Result<Option<Session>, StoreError> {
    let row = sqlx::query(
        "SELECT s.id, s.user_id, s.csrf, s.expires_at FROM web_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
    )
    .bind(secret::hash(token))
    .bind(now)
    .fetch_optional(store.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let mut s = Session {
        id: r.get("id"),
        user_id: UserId(r.get("user_id")),
        csrf: r.get("csrf"),
        expires_at: r.get("expires_at"),
    };
    if s.expires_at < now + ttl - 60 {
        s.expires_at = now + ttl;
        sqlx::query("UPDATE web_sessions SET expires_at = $1 WHERE id = $2")
            .bind(s.expires_at)
            .bind(s.id)
            .execute(store.w())
            .await?;
    }
    Ok(Some(s))
}

/// Whether session `id` is still open at `now`.
pub async fn is_open(store: &Store, id: i64, now: i64) -> Result<bool, StoreError> {
    let r: Option<i64> = sqlx::query_scalar("SELECT 1 FROM web_sessions WHERE id = $1 AND expires_at > $2")
        .bind(id)
        .bind(now)
        .fetch_optional(store.pool())
        .await?;
    Ok(r.is_some())
}

pub async fn close(store: &Store, id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM web_sessions WHERE id = $1").bind(id).execute(store.w()).await?;
    Ok(())
}

/// Sign a user out everywhere (a new password does this).
pub async fn close_all(store: &Store, user: UserId) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
        .bind(user.0)
        .execute(store.w())
        .await?
        .rows_affected())
}

/// Expired sessions and used or expired links go.
pub async fn purge(store: &Store, now: i64) -> Result<u64, StoreError> {
    let a = sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1").bind(now).execute(store.w()).await?;
    let b = sqlx::query("DELETE FROM login_links WHERE expires_at <= $1 OR used_at IS NOT NULL")
        .bind(now)
        .execute(store.w())
        .await?;
    Ok(a.rows_affected() + b.rows_affected())
}

/// A one-time login link token for `user` (an active human), or `None` if there is no such user.
pub async fn new_login_link(store: &Store, user: UserId, ttl: i64, now: i64) -> Result<Option<String>, StoreError> {
    let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND active = 1 AND is_bot = 0")
        .bind(user.0)
        .fetch_optional(store.pool())
        .await?;
    if ok.is_none() {
        return Ok(None);
    }
    let token = secret::hex_token(24);
    sqlx::query("INSERT INTO login_links(token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(secret::hash(&token))
        .bind(user.0)
        .bind(now + ttl)
        .execute(store.w())
        .await?;
    Ok(Some(token))
}

/// Use a login link: its user, once, while it is valid.
pub async fn use_login_link(store: &Store, token: &str, now: i64) -> Result<Option<UserId>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE login_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id",
    )
    .bind(now)
    .bind(secret::hash(token))
    .bind(now)
    .fetch_optional(store.w())
    .await?;
    Ok(id.map(UserId))
}

/// One entry of the web chat's dialog list.
#[derive(Debug, Clone, PartialEq)]
pub struct DialogRow {
    pub chat_id: ChatId,
    /// Bitrix type letter: P, C, O.
    pub kind: String,
    pub title: String,
    pub color: String,
    pub last_message_id: MessageId,
    /// The other member of a private dialog.
    pub partner: Option<UserId>,
    pub unread: i64,
    /// `false` when a bot switched the input field off (`imbot.v2.Chat.TextField.enabled`).
    pub text_field: bool,
}

/// The chats `user` is a member of, most recent activity first, with unread counts (messages after the read
/// mark, not their own).
pub async fn dialogs(store: &Store, user: UserId, limit: i64) -> Result<Vec<DialogRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, c.type, c.title, c.color, c.last_message_id, c.text_field_enabled,
                (SELECT p.user_id FROM chat_members p WHERE p.chat_id = c.id AND p.user_id <> m.user_id LIMIT 1) AS partner,
                (SELECT COUNT(*) FROM messages x WHERE x.chat_id = c.id AND x.id > m.last_read_id AND x.id >= m.start_id
                   AND x.author_id <> m.user_id AND x.deleted = 0) AS unread
         FROM chat_members m JOIN chats c ON c.id = m.chat_id
         WHERE m.user_id = $1
         ORDER BY c.last_message_id DESC, c.id DESC LIMIT $2",
    )
    .bind(user.0)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let kind: String = r.get("type");
            DialogRow {
                chat_id: ChatId(r.get("id")),
                partner: if kind == "P" { r.get::<Option<i64>, _>("partner").map(UserId) } else { None },
                kind,
                title: r.get("title"),
                color: r.get("color"),
                last_message_id: MessageId(r.get("last_message_id")),
                unread: r.get("unread"),
                text_field: r.get::<i64, _>("text_field_enabled") != 0,
            }
        })
        .collect())
}

/// The chats `user` is a member of (for filtering live updates).
pub async fn chat_ids(store: &Store, user: UserId) -> Result<Vec<ChatId>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT chat_id FROM chat_members WHERE user_id = $1")
        .bind(user.0)
        .fetch_all(store.pool())
        .await?;
    Ok(ids.into_iter().map(ChatId).collect())
}
