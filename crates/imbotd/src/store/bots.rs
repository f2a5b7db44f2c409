//! Bots, their owning apps' handlers, commands and answer grants.
//!
//! A bot is a user (`users.is_bot = 1`) plus a `bots` row; `BOT_ID` is the user id. Each bot belongs to an
//! app: an OAuth app, or the implicit app of a (webhook, CLIENT_ID) pair (`apps.kind = 'webhook'`). Handler
//! URLs of bot events are kept per app, as Bitrix keeps them.

use super::{Store, StoreError, Tx};
use crate::domain::{secret, AppId, ChatId, ScopeSet, UserId, WebhookId};
use serde_json::Value;
use sqlx::Row;

/// Bot type letters (SPEC-NOTES §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotType {
    Bot,
    Human,
    Supervisor,
    OpenLine,
}

impl BotType {
    pub fn letter(self) -> &'static str {
        match self {
            BotType::Bot => "B",
            BotType::Human => "H",
            BotType::Supervisor => "S",
            BotType::OpenLine => "O",
        }
    }

    /// `B`, `H`, `S`, `O` (any case); anything else is `B`, as Bitrix treats it.
    pub fn parse(s: &str) -> BotType {
        match s.trim().to_ascii_uppercase().as_str() {
            "H" => BotType::Human,
            "S" => BotType::Supervisor,
            "O" => BotType::OpenLine,
            _ => BotType::Bot,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bot {
    pub id: UserId,
    pub app_id: AppId,
    pub code: String,
    pub kind: BotType,
    pub openline: bool,
    /// "Name LastName" of the bot user.
    pub name: String,
    /// The v2 settings; `api_version` 1 for bots registered with `imbot.register`.
    pub v2: V2Settings,
}

/// What the v2 API keeps of a bot (docs/v2.md §4.2). A v1 bot has the defaults, `api_version` 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V2Settings {
    /// The API the bot was registered with: it fixes the bot's event format (docs/v2.md §7).
    pub api_version: i64,
    /// `bot`, `supervisor`, `personal`, `openline`, `network`; `""` for v1 bots (derived from the type letter).
    pub v2_type: String,
    /// `fetch` or `webhook`; `""` for v1 bots.
    pub event_mode: String,
    pub webhook_url: String,
    pub is_hidden: bool,
    pub reactions_enabled: bool,
    pub background_id: Option<String>,
}

impl Default for V2Settings {
    fn default() -> Self {
        V2Settings {
            api_version: 1,
            v2_type: String::new(),
            event_mode: String::new(),
            webhook_url: String::new(),
            is_hidden: false,
            reactions_enabled: true,
            background_id: None,
        }
    }
}

impl Bot {
    pub fn is_v2(&self) -> bool {
        self.v2.api_version >= 2
    }
}

/// The five bot event handler URLs of an app ("" = not bound).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handlers {
    pub message_add: String,
    pub message_update: String,
    pub message_delete: String,
    pub welcome_message: String,
    pub bot_delete: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub id: i64,
    pub bot_id: UserId,
    pub command: String,
    pub handler_url: String,
    pub common: bool,
    pub hidden: bool,
    pub extranet_support: bool,
    pub lang: Value,
}

const BOT_COLUMNS: &str = "b.id, b.app_id, b.code, b.type, b.openline, u.name AS uname, u.last_name AS ulast,
    b.api_version, b.v2_type, b.event_mode, b.webhook_url, b.is_hidden, b.reactions_enabled, b.background_id";

fn bot_row(r: &sqlx::any::AnyRow) -> Bot {
    let name = format!("{} {}", r.get::<String, _>("uname"), r.get::<String, _>("ulast")).trim().to_owned();
    Bot {
        id: UserId(r.get("id")),
        app_id: AppId(r.get("app_id")),
        code: r.get("code"),
        kind: BotType::parse(r.get::<&str, _>("type")),
        openline: r.get::<i64, _>("openline") != 0,
        name,
        v2: V2Settings {
            api_version: r.get("api_version"),
            v2_type: r.get("v2_type"),
            event_mode: r.get("event_mode"),
            webhook_url: r.get("webhook_url"),
            is_hidden: r.get::<i64, _>("is_hidden") != 0,
            reactions_enabled: r.get::<i64, _>("reactions_enabled") != 0,
            background_id: r.get("background_id"),
        },
    }
}

/// The implicit app of a webhook + CLIENT_ID pair, created on first use.
pub async fn webhook_app(store: &Store, webhook: WebhookId, client_id: &str, now: i64) -> Result<AppId, StoreError> {
    let find = || {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM apps WHERE kind = 'webhook' AND webhook_id = $1 AND webhook_client_id = $2",
        )
        .bind(webhook.0)
        .bind(client_id)
    };
    if let Some(id) = find().fetch_optional(store.pool()).await? {
        return Ok(AppId(id));
    }
    sqlx::query(
        "INSERT INTO apps(name, client_id, client_secret_hash, application_token, scopes, created_at, kind, webhook_id, webhook_client_id)
         VALUES ($1, $2, '', $3, $4, $5, 'webhook', $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(format!("webhook {webhook} / {client_id}"))
    .bind(format!("webhook.{webhook}.{}", secret::hex_token(8)))
    // Bitrix uses the CLIENT_ID itself as the application_token of webhook bots (SPEC-NOTES §3.3).
    .bind(client_id)
    .bind(ScopeSet::parse_list("im,imbot").unwrap_or_default().to_list())
    .bind(now)
    .bind(webhook.0)
    .bind(client_id)
    .execute(store.w())
    .await?;
    Ok(AppId(find().fetch_one(store.pool()).await?))
}

pub async fn handlers(store: &Store, app: AppId) -> Result<Handlers, StoreError> {
    handlers_on(store.pool(), app).await
}

pub async fn handlers_tx(tx: &mut Tx, app: AppId) -> Result<Handlers, StoreError> {
    handlers_on(&mut **tx, app).await
}

async fn handlers_on<'e>(ex: impl sqlx::any::AnyExecutor<'e>, app: AppId) -> Result<Handlers, StoreError> {
    let r = sqlx::query(
        "SELECT event_message_add, event_message_update, event_message_delete, event_welcome_message, event_bot_delete FROM apps WHERE id = $1",
    )
    .bind(app.0)
    .fetch_optional(ex)
    .await?;
    Ok(r.map(|r| Handlers {
        message_add: r.get(0),
        message_update: r.get(1),
        message_delete: r.get(2),
        welcome_message: r.get(3),
        bot_delete: r.get(4),
    })
    .unwrap_or_default())
}

pub async fn set_handlers(tx: &mut Tx, app: AppId, h: &Handlers) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE apps SET event_message_add = $1, event_message_update = $2, event_message_delete = $3, event_welcome_message = $4, event_bot_delete = $5 WHERE id = $6",
    )
    .bind(&h.message_add)
    .bind(&h.message_update)
    .bind(&h.message_delete)
    .bind(&h.welcome_message)
    .bind(&h.bot_delete)
    .bind(app.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn by_code(store: &Store, code: &str) -> Result<Option<Bot>, StoreError> {
    let r = sqlx::query(&format!("SELECT {BOT_COLUMNS} FROM bots b JOIN users u ON u.id = b.id WHERE b.code = $1"))
        .bind(code)
        .fetch_optional(store.pool())
        .await?;
    Ok(r.as_ref().map(bot_row))
}

pub async fn get(store: &Store, id: UserId) -> Result<Option<Bot>, StoreError> {
    get_on(store.pool(), id).await
}

pub async fn get_tx(tx: &mut Tx, id: UserId) -> Result<Option<Bot>, StoreError> {
    get_on(&mut **tx, id).await
}

async fn get_on<'e>(ex: impl sqlx::any::AnyExecutor<'e>, id: UserId) -> Result<Option<Bot>, StoreError> {
    let r = sqlx::query(&format!("SELECT {BOT_COLUMNS} FROM bots b JOIN users u ON u.id = b.id WHERE b.id = $1"))
        .bind(id.0)
        .fetch_optional(ex)
        .await?;
    Ok(r.as_ref().map(bot_row))
}

/// Bots of `app`, by id (the first is the default bot of calls without BOT_ID).
pub async fn of_app(store: &Store, app: AppId) -> Result<Vec<Bot>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {BOT_COLUMNS} FROM bots b JOIN users u ON u.id = b.id WHERE b.app_id = $1 ORDER BY b.id"
    ))
    .bind(app.0)
    .fetch_all(store.pool())
    .await?;
    Ok(rows.iter().map(bot_row).collect())
}

/// Every bot of the portal, by id.
pub async fn all(store: &Store) -> Result<Vec<Bot>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {BOT_COLUMNS} FROM bots b JOIN users u ON u.id = b.id ORDER BY b.id"))
        .fetch_all(store.pool())
        .await?;
    Ok(rows.iter().map(bot_row).collect())
}

/// Bots that are members of `chat`.
pub async fn in_chat(store: &Store, chat: ChatId) -> Result<Vec<Bot>, StoreError> {
    in_chat_on(store.pool(), chat).await
}

pub async fn in_chat_tx(tx: &mut Tx, chat: ChatId) -> Result<Vec<Bot>, StoreError> {
    in_chat_on(&mut **tx, chat).await
}

async fn in_chat_on<'e>(ex: impl sqlx::any::AnyExecutor<'e>, chat: ChatId) -> Result<Vec<Bot>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {BOT_COLUMNS} FROM bots b JOIN users u ON u.id = b.id JOIN chat_members m ON m.user_id = b.id AND m.chat_id = $1 ORDER BY b.id"
    ))
    .bind(chat.0)
    .fetch_all(ex)
    .await?;
    Ok(rows.iter().map(bot_row).collect())
}

/// How many members `chat` has (`CHAT_USER_COUNT` of bot events).
pub async fn member_count(store: &Store, chat: ChatId) -> Result<i64, StoreError> {
    member_count_on(store.pool(), chat).await
}

pub async fn member_count_tx(tx: &mut Tx, chat: ChatId) -> Result<i64, StoreError> {
    member_count_on(&mut **tx, chat).await
}

async fn member_count_on<'e>(ex: impl sqlx::any::AnyExecutor<'e>, chat: ChatId) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM chat_members WHERE chat_id = $1").bind(chat.0).fetch_one(ex).await?)
}

/// The bot-user properties from `imbot.register` / `imbot.update`.
#[derive(Debug, Clone, Default)]
pub struct BotUser {
    pub name: String,
    pub last_name: String,
    pub email: String,
    pub gender: String,
    pub work_position: String,
    pub color: String,
}

/// Create the bot user and its row; returns the BOT_ID.
pub async fn create(
    tx: &mut Tx,
    app: AppId,
    code: &str,
    kind: BotType,
    openline: bool,
    u: &BotUser,
    now: i64,
) -> Result<UserId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users(name, last_name, email, gender, work_position, is_bot, date_register, color)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
    )
    .bind(&u.name)
    .bind(&u.last_name)
    .bind(&u.email)
    .bind(&u.gender)
    .bind(&u.work_position)
    .bind(now)
    .bind(&u.color)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO bots(id, app_id, code, type, openline, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(app.0)
        .bind(code)
        .bind(kind.letter())
        .bind(openline as i64)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(UserId(id))
}

pub async fn update_user(tx: &mut Tx, bot: UserId, u: &BotUser) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET name = $1, last_name = $2, email = $3, gender = $4, work_position = $5, color = $6
         WHERE id = $7",
    )
    .bind(&u.name)
    .bind(&u.last_name)
    .bind(&u.email)
    .bind(&u.gender)
    .bind(&u.work_position)
    .bind(&u.color)
    .bind(bot.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_code(tx: &mut Tx, bot: UserId, code: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE bots SET code = $1 WHERE id = $2").bind(code).bind(bot.0).execute(&mut **tx).await?;
    Ok(())
}

/// Delete a bot: its commands and grants, its memberships, the bot row; the user is deactivated (its messages
/// stay in history under its name).
pub async fn delete(tx: &mut Tx, bot: UserId) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM bot_commands WHERE bot_id = $1",
        "DELETE FROM command_grants WHERE bot_id = $1",
        "DELETE FROM chat_members WHERE user_id = $1",
        "DELETE FROM bots WHERE id = $1",
        "UPDATE users SET active = 0 WHERE id = $1",
    ] {
        sqlx::query(sql).bind(bot.0).execute(&mut **tx).await?;
    }
    Ok(())
}

const COMMAND_COLUMNS: &str = "id, bot_id, command, handler_url, common, hidden, extranet_support, lang";

fn command_row(r: &sqlx::any::AnyRow) -> Command {
    Command {
        id: r.get("id"),
        bot_id: UserId(r.get("bot_id")),
        command: r.get("command"),
        handler_url: r.get("handler_url"),
        common: r.get::<i64, _>("common") != 0,
        hidden: r.get::<i64, _>("hidden") != 0,
        extranet_support: r.get::<i64, _>("extranet_support") != 0,
        lang: serde_json::from_str(r.get::<&str, _>("lang")).unwrap_or(Value::Array(vec![])),
    }
}

#[derive(Debug, Clone)]
pub struct NewCommand {
    pub command: String,
    pub handler_url: String,
    pub common: bool,
    pub hidden: bool,
    pub extranet_support: bool,
    pub lang: Value,
}

/// Register a command; idempotent per (bot, command): an existing one is returned unchanged.
pub async fn add_command(store: &Store, bot: UserId, c: &NewCommand, now: i64) -> Result<i64, StoreError> {
    sqlx::query(
        "INSERT INTO bot_commands(bot_id, command, handler_url, common, hidden, extranet_support, lang, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(bot.0)
    .bind(&c.command)
    .bind(&c.handler_url)
    .bind(c.common as i64)
    .bind(c.hidden as i64)
    .bind(c.extranet_support as i64)
    .bind(c.lang.to_string())
    .bind(now)
    .execute(store.w())
    .await?;
    Ok(sqlx::query_scalar("SELECT id FROM bot_commands WHERE bot_id = $1 AND command = $2")
        .bind(bot.0)
        .bind(&c.command)
        .fetch_one(store.pool())
        .await?)
}

pub async fn command(store: &Store, id: i64) -> Result<Option<Command>, StoreError> {
    let r = sqlx::query(&format!("SELECT {COMMAND_COLUMNS} FROM bot_commands WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(r.as_ref().map(command_row))
}

pub async fn update_command(store: &Store, c: &Command) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE bot_commands SET command = $1, handler_url = $2, hidden = $3, extranet_support = $4, lang = $5, common = $6
         WHERE id = $7",
    )
    .bind(&c.command)
    .bind(&c.handler_url)
    .bind(c.hidden as i64)
    .bind(c.extranet_support as i64)
    .bind(c.lang.to_string())
    .bind(c.common as i64)
    .bind(c.id)
    .execute(store.w())
    .await?;
    Ok(())
}

pub async fn delete_command(store: &Store, id: i64) -> Result<bool, StoreError> {
    Ok(sqlx::query("DELETE FROM bot_commands WHERE id = $1").bind(id).execute(store.w()).await?.rows_affected() == 1)
}

/// Commands named `name` of any bot (the candidates for a typed `/name`).
pub async fn commands_named(store: &Store, name: &str) -> Result<Vec<Command>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COMMAND_COLUMNS} FROM bot_commands WHERE command = $1 ORDER BY id"))
        .bind(name)
        .fetch_all(store.pool())
        .await?;
    Ok(rows.iter().map(command_row).collect())
}

/// Commands of one bot.
pub async fn commands_of(store: &Store, bot: UserId) -> Result<Vec<Command>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COMMAND_COLUMNS} FROM bot_commands WHERE bot_id = $1 ORDER BY id"))
        .bind(bot.0)
        .fetch_all(store.pool())
        .await?;
    Ok(rows.iter().map(command_row).collect())
}

/// Open (or prolong) the answer window of `bot` in `chat` until `expires_at`.
pub async fn grant(tx: &mut Tx, bot: UserId, chat: ChatId, expires_at: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO command_grants(bot_id, chat_id, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT(bot_id, chat_id) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(bot.0)
    .bind(chat.0)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether `bot` may answer in `chat` at `now`.
pub async fn has_grant(store: &Store, bot: UserId, chat: ChatId, now: i64) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM command_grants WHERE bot_id = $1 AND chat_id = $2 AND expires_at > $3",
    )
    .bind(bot.0)
    .bind(chat.0)
    .bind(now)
    .fetch_one(store.pool())
    .await?;
    Ok(n > 0)
}

/// Store a bot's v2 settings (registration through v2, or `imbot.v2.Bot.update`).
pub async fn set_v2(tx: &mut Tx, bot: UserId, v: &V2Settings) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE bots SET api_version = $1, v2_type = $2, event_mode = $3, webhook_url = $4, is_hidden = $5,
         reactions_enabled = $6, background_id = $7 WHERE id = $8",
    )
    .bind(v.api_version)
    .bind(&v.v2_type)
    .bind(&v.event_mode)
    .bind(&v.webhook_url)
    .bind(v.is_hidden as i64)
    .bind(v.reactions_enabled as i64)
    .bind(&v.background_id)
    .bind(bot.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Set the type letter and open-lines flag of a bot (`imbot.v2.Bot.update` of `isSupportOpenline`).
pub async fn set_kind(tx: &mut Tx, bot: UserId, kind: BotType, openline: bool) -> Result<(), StoreError> {
    sqlx::query("UPDATE bots SET type = $1, openline = $2 WHERE id = $3")
        .bind(kind.letter())
        .bind(openline as i64)
        .bind(bot.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The counters of the extended v2 Bot object: messages the bot wrote, its commands, the chats it is in, and
/// the people in those chats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BotCounts {
    pub messages: i64,
    pub commands: i64,
    pub chats: i64,
    pub users: i64,
}

pub async fn counts(store: &Store, bot: UserId) -> Result<BotCounts, StoreError> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM messages WHERE author_id = $1) AS messages,
                (SELECT COUNT(*) FROM bot_commands WHERE bot_id = $1) AS commands,
                (SELECT COUNT(*) FROM chat_members WHERE user_id = $1) AS chats,
                (SELECT COUNT(DISTINCT o.user_id) FROM chat_members m JOIN chat_members o ON o.chat_id = m.chat_id
                  WHERE m.user_id = $1 AND o.user_id <> $1) AS users",
    )
    .bind(bot.0)
    .fetch_one(store.pool())
    .await?;
    Ok(BotCounts {
        messages: r.get("messages"),
        commands: r.get("commands"),
        chats: r.get("chats"),
        users: r.get("users"),
    })
}

/// The implicit app of a (webhook, botToken) pair (docs/v2.md §6), by the token's digest; created when missing.
/// Its `application_token` is the first 32 hex digits of the digest (the events' synthetic token).
pub async fn token_app(store: &Store, webhook: WebhookId, token_hash: &str, now: i64) -> Result<AppId, StoreError> {
    if let Some(a) = super::apps::of_bot_token(store, webhook, token_hash).await? {
        return Ok(a.id);
    }
    sqlx::query(
        "INSERT INTO apps(name, client_id, client_secret_hash, application_token, scopes, created_at, kind, webhook_id, bot_token_hash)
         VALUES ($1, $2, '', $3, $4, $5, 'webhook', $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(format!("webhook {webhook} / v2 bot token"))
    .bind(format!("local.v2.{}.{}", webhook.0, &token_hash[..16.min(token_hash.len())]))
    .bind(&token_hash[..32.min(token_hash.len())])
    .bind(ScopeSet::parse_list("im,imbot").unwrap_or_else(|_| ScopeSet::all()).to_list())
    .bind(now)
    .bind(webhook.0)
    .bind(token_hash)
    .execute(store.w())
    .await?;
    super::apps::of_bot_token(store, webhook, token_hash)
        .await?
        .map(|a| a.id)
        .ok_or_else(|| StoreError::Commit("the bot token's app was not created".into()))
}

/// Move a token app to a new botToken digest (rotation); `false` when another app of the webhook holds it.
pub async fn rotate_token(tx: &mut Tx, app: AppId, webhook: WebhookId, new_hash: &str) -> Result<bool, StoreError> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM apps WHERE webhook_id = $1 AND bot_token_hash = $2 AND id <> $3")
            .bind(webhook.0)
            .bind(new_hash)
            .bind(app.0)
            .fetch_optional(&mut **tx)
            .await?;
    if taken.is_some() {
        return Ok(false);
    }
    sqlx::query("UPDATE apps SET bot_token_hash = $1, application_token = $2 WHERE id = $3")
        .bind(new_hash)
        .bind(&new_hash[..32.min(new_hash.len())])
        .bind(app.0)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}
