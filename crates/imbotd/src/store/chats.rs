//! Chats (group chats and private dialogs) and their members.

use super::{Store, StoreError, Tx};
use crate::domain::{ChatId, MessageId, UserId};
use sqlx::Row;

/// Chat type letters (SPEC-NOTES §4); imbotd creates P, C and O.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatType {
    Private,
    Closed,
    Open,
}

impl ChatType {
    pub fn letter(self) -> &'static str {
        match self {
            ChatType::Private => "P",
            ChatType::Closed => "C",
            ChatType::Open => "O",
        }
    }

    fn parse(s: &str) -> ChatType {
        match s {
            "P" => ChatType::Private,
            "O" => ChatType::Open,
            _ => ChatType::Closed,
        }
    }
}

/// A member's role in a group chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Member,
    Manager,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Manager => "manager",
            Role::Owner => "owner",
        }
    }

    fn parse(s: &str) -> Role {
        match s {
            "owner" => Role::Owner,
            "manager" => Role::Manager,
            _ => Role::Member,
        }
    }
}

/// Who may do something in a chat: at least this role, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rights {
    AtLeast(Role),
    Nobody,
}

impl Rights {
    pub fn as_str(self) -> &'static str {
        match self {
            Rights::AtLeast(r) => r.as_str(),
            Rights::Nobody => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Rights> {
        Some(match s.to_ascii_lowercase().as_str() {
            "member" => Rights::AtLeast(Role::Member),
            "manager" => Rights::AtLeast(Role::Manager),
            "owner" => Rights::AtLeast(Role::Owner),
            "none" => Rights::Nobody,
            _ => return None,
        })
    }

    pub fn allows(self, role: Role) -> bool {
        matches!(self, Rights::AtLeast(min) if role >= min)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    pub id: ChatId,
    pub kind: ChatType,
    pub title: String,
    pub description: String,
    pub color: String,
    pub avatar: i64,
    pub owner_id: UserId,
    pub entity_type: String,
    pub entity_id: String,
    pub can_post: Rights,
    pub manage_users_add: Rights,
    pub manage_users_delete: Rights,
    pub manage_ui: Rights,
    pub manage_settings: Rights,
    pub manage_messages: Rights,
    pub last_message_id: MessageId,
    pub message_count: i64,
    pub created_at: i64,
    /// `false` when a bot switched the input field off (`imbot.v2.Chat.TextField.enabled`).
    pub text_field_enabled: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub chat_id: ChatId,
    pub user_id: UserId,
    pub role: Role,
    pub joined_at: i64,
    pub last_read_id: MessageId,
    pub start_id: MessageId,
}

#[derive(Debug, Clone)]
pub struct NewChat {
    pub kind: ChatType,
    pub title: String,
    pub description: String,
    pub color: String,
    pub owner: UserId,
    pub entity_type: String,
    pub entity_id: String,
}

const CHAT_COLUMNS: &str = "id, type, title, description, color, avatar, owner_id, entity_type, entity_id, can_post,
    manage_users_add, manage_users_delete, manage_ui, manage_settings, manage_messages, last_message_id,
    message_count, created_at, text_field_enabled";

fn rights(r: &sqlx::any::AnyRow, col: &str) -> Rights {
    Rights::parse(r.get::<&str, _>(col)).unwrap_or(Rights::AtLeast(Role::Member))
}

fn chat_row(r: &sqlx::any::AnyRow) -> Chat {
    Chat {
        id: ChatId(r.get("id")),
        kind: ChatType::parse(r.get::<&str, _>("type")),
        title: r.get("title"),
        description: r.get("description"),
        color: r.get("color"),
        avatar: r.get("avatar"),
        owner_id: UserId(r.get("owner_id")),
        entity_type: r.get("entity_type"),
        entity_id: r.get("entity_id"),
        can_post: rights(r, "can_post"),
        manage_users_add: rights(r, "manage_users_add"),
        manage_users_delete: rights(r, "manage_users_delete"),
        manage_ui: rights(r, "manage_ui"),
        manage_settings: rights(r, "manage_settings"),
        manage_messages: rights(r, "manage_messages"),
        last_message_id: MessageId(r.get("last_message_id")),
        message_count: r.get("message_count"),
        created_at: r.get("created_at"),
        text_field_enabled: r.get::<i64, _>("text_field_enabled") != 0,
    }
}

fn member_row(r: &sqlx::any::AnyRow) -> Member {
    Member {
        chat_id: ChatId(r.get("chat_id")),
        user_id: UserId(r.get("user_id")),
        role: Role::parse(r.get::<&str, _>("role")),
        joined_at: r.get("joined_at"),
        last_read_id: MessageId(r.get("last_read_id")),
        start_id: MessageId(r.get("start_id")),
    }
}

const MEMBER_COLUMNS: &str = "chat_id, user_id, role, joined_at, last_read_id, start_id";

pub async fn get(store: &Store, id: ChatId) -> Result<Option<Chat>, StoreError> {
    get_on(store.pool(), id).await
}

pub async fn get_tx(tx: &mut Tx, id: ChatId) -> Result<Option<Chat>, StoreError> {
    get_on(&mut **tx, id).await
}

async fn get_on<'e>(ex: impl sqlx::any::AnyExecutor<'e>, id: ChatId) -> Result<Option<Chat>, StoreError> {
    let r =
        sqlx::query(&format!("SELECT {CHAT_COLUMNS} FROM chats WHERE id = $1")).bind(id.0).fetch_optional(ex).await?;
    Ok(r.as_ref().map(chat_row))
}

/// The newest chat bound to (entity_type, entity_id) that `user` is a member of.
pub async fn find_by_entity(
    store: &Store,
    user: UserId,
    entity_type: &str,
    entity_id: &str,
) -> Result<Option<ChatId>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM chats c JOIN chat_members m ON m.chat_id = c.id AND m.user_id = $1
         WHERE c.entity_type = $2 AND c.entity_id = $3 ORDER BY c.id DESC LIMIT 1",
    )
    .bind(user.0)
    .bind(entity_type)
    .bind(entity_id)
    .fetch_optional(store.pool())
    .await?;
    Ok(id.map(ChatId))
}

/// The oldest chat bound to (entity_type, entity_id), portal-wide (`imbot.chat.get`).
pub async fn first_by_entity(store: &Store, entity_type: &str, entity_id: &str) -> Result<Option<ChatId>, StoreError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM chats WHERE entity_type = $1 AND entity_id = $2 ORDER BY id LIMIT 1")
            .bind(entity_type)
            .bind(entity_id)
            .fetch_optional(store.pool())
            .await?;
    Ok(id.map(ChatId))
}

/// The private dialog between `a` and `b`, if it exists.
pub async fn private_between(store: &Store, a: UserId, b: UserId) -> Result<Option<ChatId>, StoreError> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let id: Option<i64> = sqlx::query_scalar("SELECT chat_id FROM private_dialogs WHERE user_lo = $1 AND user_hi = $2")
        .bind(lo.0)
        .bind(hi.0)
        .fetch_optional(store.pool())
        .await?;
    Ok(id.map(ChatId))
}

/// The private dialog between `a` and `b`, created (with both as members) when missing. Returns
/// `(chat, created)`.
pub async fn private_get_or_create(tx: &mut Tx, a: UserId, b: UserId, now: i64) -> Result<(ChatId, bool), StoreError> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT chat_id FROM private_dialogs WHERE user_lo = $1 AND user_hi = $2")
            .bind(lo.0)
            .bind(hi.0)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(id) = existing {
        return Ok((ChatId(id), false));
    }
    let id: i64 = sqlx::query_scalar("INSERT INTO chats(type, owner_id, created_at) VALUES ('P', 0, $1) RETURNING id")
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO private_dialogs(user_lo, user_hi, chat_id) VALUES ($1, $2, $3)")
        .bind(lo.0)
        .bind(hi.0)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for u in if lo == hi { vec![lo] } else { vec![lo, hi] } {
        add_member(tx, ChatId(id), u, Role::Member, MessageId(0), now).await?;
    }
    Ok((ChatId(id), true))
}

/// The other member of a private dialog, seen from `me`.
pub async fn private_partner(store: &Store, chat: ChatId, me: UserId) -> Result<Option<UserId>, StoreError> {
    private_partner_on(store.pool(), chat, me).await
}

/// [`private_partner`] inside `tx` (a dialog the transaction may have just opened).
pub async fn private_partner_tx(tx: &mut Tx, chat: ChatId, me: UserId) -> Result<Option<UserId>, StoreError> {
    private_partner_on(&mut **tx, chat, me).await
}

async fn private_partner_on<'e>(
    ex: impl sqlx::any::AnyExecutor<'e>,
    chat: ChatId,
    me: UserId,
) -> Result<Option<UserId>, StoreError> {
    let r = sqlx::query("SELECT user_lo, user_hi FROM private_dialogs WHERE chat_id = $1")
        .bind(chat.0)
        .fetch_optional(ex)
        .await?;
    Ok(r.map(|r| {
        let (lo, hi): (i64, i64) = (r.get("user_lo"), r.get("user_hi"));
        UserId(if lo == me.0 { hi } else { lo })
    }))
}

pub async fn create(tx: &mut Tx, c: &NewChat, now: i64) -> Result<ChatId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO chats(type, title, description, color, owner_id, entity_type, entity_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.kind.letter())
    .bind(&c.title)
    .bind(&c.description)
    .bind(&c.color)
    .bind(c.owner.0)
    .bind(&c.entity_type)
    .bind(&c.entity_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(ChatId(id))
}

pub async fn set_title(tx: &mut Tx, chat: ChatId, title: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE chats SET title = $1 WHERE id = $2").bind(title).bind(chat.0).execute(&mut **tx).await?;
    Ok(())
}

/// Add a member (no-op when already one); `true` if added.
pub async fn add_member(
    tx: &mut Tx,
    chat: ChatId,
    user: UserId,
    role: Role,
    start_id: MessageId,
    now: i64,
) -> Result<bool, StoreError> {
    let last_message: i64 =
        sqlx::query_scalar("SELECT last_message_id FROM chats WHERE id = $1").bind(chat.0).fetch_one(&mut **tx).await?;
    let r = sqlx::query(
        "INSERT INTO chat_members(chat_id, user_id, role, joined_at, last_read_id, start_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(chat.0)
    .bind(user.0)
    .bind(role.as_str())
    .bind(now)
    .bind(last_message)
    .bind(start_id.0)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Remove a member; `true` if they were one.
pub async fn remove_member(tx: &mut Tx, chat: ChatId, user: UserId) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2")
        .bind(chat.0)
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_owner(tx: &mut Tx, chat: ChatId, user: UserId) -> Result<(), StoreError> {
    sqlx::query("UPDATE chats SET owner_id = $1 WHERE id = $2").bind(user.0).bind(chat.0).execute(&mut **tx).await?;
    sqlx::query("UPDATE chat_members SET role = 'owner' WHERE chat_id = $1 AND user_id = $2")
        .bind(chat.0)
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn member(store: &Store, chat: ChatId, user: UserId) -> Result<Option<Member>, StoreError> {
    member_on(store.pool(), chat, user).await
}

pub async fn member_tx(tx: &mut Tx, chat: ChatId, user: UserId) -> Result<Option<Member>, StoreError> {
    member_on(&mut **tx, chat, user).await
}

async fn member_on<'e>(
    ex: impl sqlx::any::AnyExecutor<'e>,
    chat: ChatId,
    user: UserId,
) -> Result<Option<Member>, StoreError> {
    let r = sqlx::query(&format!("SELECT {MEMBER_COLUMNS} FROM chat_members WHERE chat_id = $1 AND user_id = $2"))
        .bind(chat.0)
        .bind(user.0)
        .fetch_optional(ex)
        .await?;
    Ok(r.as_ref().map(member_row))
}

/// Members in joining order.
pub async fn members(store: &Store, chat: ChatId) -> Result<Vec<Member>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {MEMBER_COLUMNS} FROM chat_members WHERE chat_id = $1 ORDER BY joined_at, user_id"
    ))
    .bind(chat.0)
    .fetch_all(store.pool())
    .await?;
    Ok(rows.iter().map(member_row).collect())
}

pub async fn member_count(store: &Store, chat: ChatId) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM chat_members WHERE chat_id = $1")
        .bind(chat.0)
        .fetch_one(store.pool())
        .await?)
}

/// Move a member's read mark (never backwards unless `allow_back`); returns the new mark.
pub async fn set_read(
    tx: &mut Tx,
    chat: ChatId,
    user: UserId,
    upto: MessageId,
    allow_back: bool,
) -> Result<MessageId, StoreError> {
    let sql = if allow_back {
        "UPDATE chat_members SET last_read_id = $1 WHERE chat_id = $2 AND user_id = $3 RETURNING last_read_id"
    } else {
        "UPDATE chat_members SET last_read_id = CASE WHEN last_read_id > $1 THEN last_read_id ELSE $1 END
         WHERE chat_id = $2 AND user_id = $3 RETURNING last_read_id"
    };
    let v: Option<i64> =
        sqlx::query_scalar(sql).bind(upto.0).bind(chat.0).bind(user.0).fetch_optional(&mut **tx).await?;
    Ok(MessageId(v.unwrap_or(0)))
}

/// Unread messages of `user` in `chat`: not deleted, not their own, newer than their read mark.
pub async fn unread_count(store: &Store, chat: ChatId, user: UserId) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages m JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = $1
         WHERE m.chat_id = $2 AND m.id > cm.last_read_id AND m.id >= cm.start_id AND m.author_id <> $3 AND m.deleted = 0",
    )
    .bind(user.0)
    .bind(chat.0)
    .bind(user.0)
    .fetch_one(store.pool())
    .await?)
}

/// The first message `user` has not read in `chat` (the same messages as [`unread_count`]), or 0.
pub async fn first_unread(store: &Store, chat: ChatId, user: UserId) -> Result<MessageId, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(m.id) FROM messages m JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = $1
         WHERE m.chat_id = $2 AND m.id > cm.last_read_id AND m.id >= cm.start_id AND m.author_id <> $3 AND m.deleted = 0",
    )
    .bind(user.0)
    .bind(chat.0)
    .bind(user.0)
    .fetch_one(store.pool())
    .await?;
    Ok(MessageId(id.unwrap_or(0)))
}

/// Do `a` and `b` share any chat?
pub async fn share_a_chat(store: &Store, a: UserId, b: UserId) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM chat_members x JOIN chat_members y ON x.chat_id = y.chat_id WHERE x.user_id = $1 AND y.user_id = $2",
    )
    .bind(a.0)
    .bind(b.0)
    .fetch_one(store.pool())
    .await?;
    Ok(n > 0)
}

pub async fn set_color(tx: &mut Tx, chat: ChatId, color: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE chats SET color = $1 WHERE id = $2").bind(color).bind(chat.0).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_role(tx: &mut Tx, chat: ChatId, user: UserId, role: Role) -> Result<(), StoreError> {
    sqlx::query("UPDATE chat_members SET role = $1 WHERE chat_id = $2 AND user_id = $3")
        .bind(role.as_str())
        .bind(chat.0)
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_description(tx: &mut Tx, chat: ChatId, description: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE chats SET description = $1 WHERE id = $2")
        .bind(description)
        .bind(chat.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Switch the chat's input field on or off; `true` if that changed it.
pub async fn set_text_field(tx: &mut Tx, chat: ChatId, enabled: bool) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE chats SET text_field_enabled = $1 WHERE id = $2 AND text_field_enabled <> $1")
        .bind(enabled as i64)
        .bind(chat.0)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The newest message id of each author in `chat` (`imbot.v2.Chat.User.list` ordered by `lastSendMessageId`).
pub async fn last_message_by_author(store: &Store, chat: ChatId) -> Result<Vec<(UserId, i64)>, StoreError> {
    let rows = sqlx::query("SELECT author_id, MAX(id) AS last_id FROM messages WHERE chat_id = $1 GROUP BY author_id")
        .bind(chat.0)
        .fetch_all(store.pool())
        .await?;
    Ok(rows.iter().map(|r| (UserId(r.get("author_id")), r.get("last_id"))).collect())
}
