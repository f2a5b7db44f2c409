//! The v2 bot API, `imbot.v2.*` (docs/v2.md): one file per wire method, as for v1.
//!
//! Parameters are read as sent (camelCase, case-sensitive: `ParamCase::AsSent`) through `imbot_wire::v2`'s
//! typed requests. Every method that takes `botId` runs the documented controller checks first
//! ([`bot_call`]): `BOT_TOKEN_NOT_SPECIFIED` (a webhook call without `botToken`) → `BOT_ID_REQUIRED` →
//! `BOT_NOT_FOUND` → `BOT_OWNERSHIP_ERROR`. The owner of a bot is the OAuth app, or for webhook calls the
//! implicit app of the (webhook, `botToken`) pair — the same app v1 calls reach with `CLIENT_ID = botToken`
//! (docs/v2.md §6). v1 and v2 work on the same bots, chats and messages; a bot's events follow the API it
//! was registered with (`events::v2`).
//!
//! Failure modes: every refusal is a v2 error code with HTTP 400 (docs/v2.md §2.6); store errors are 500.

pub mod bot_get;
pub mod bot_list;
pub mod bot_register;
pub mod bot_unregister;
pub mod bot_update;
pub mod chat_add;
pub mod chat_get;
pub mod chat_leave;
pub mod chat_manager;
pub mod chat_set_owner;
pub mod chat_update;
pub mod chat_user;
pub mod command_answer;
pub mod command_list;
pub mod command_register;
pub mod command_unregister;
pub mod command_update;
pub mod event_get;
pub mod file_download;
pub mod file_upload;
pub mod input_action;
pub mod message_delete;
pub mod message_get;
pub mod message_read;
pub mod message_send;
pub mod message_update;
pub mod reaction;
pub mod revision_get;
pub mod text_field;

use crate::domain::{secret, CallerKind, UserId};
use crate::error::Error;
use crate::messenger::render_v2;
use crate::methods::CallCtx;
use crate::store::apps::{self, App};
use crate::store::bots::{self, Bot};
use crate::store::users::{self, User};
use imbot_wire::v2::entities as e;
use imbot_wire::v2::errors;
use imbot_wire::v2::params::{AuthKind, BotRef, Obj};
use imbot_wire::Params;

/// A method's [`crate::methods::MethodSpec`]: `imbot.v2.*` methods need scope `imbot`, read their
/// parameters as sent and follow a `chat-bots-v2` reference page.
macro_rules! v2_spec {
    ($name:literal, $page:literal, $f:path) => {
        pub static SPEC: $crate::methods::MethodSpec = $crate::methods::MethodSpec {
            name: $name,
            scopes: &[$crate::domain::Scope::Imbot],
            doc: concat!("api-reference__chat-bots__chat-bots-v2__", $page, ".md"),
            case: $crate::methods::ParamCase::AsSent,
            batchable: true,
            handler: $crate::handler!($f),
        };
    };
}
pub(crate) use v2_spec;

/// One of several methods served by one function of a file (`Chat.Manager.add` and `.delete` both call
/// `set`): a module `$m` holding the method's `SPEC` and a handler that runs `$body` with the call's `$ctx`, `$p`.
macro_rules! v2_variant {
    (mod $m:ident($name:literal, $page:literal) |$ctx:ident, $p:ident| $body:expr) => {
        pub mod $m {
            $crate::methods::imbot_v2::v2_spec!($name, $page, call);
            async fn call(
                $ctx: &$crate::methods::CallCtx,
                $p: imbot_wire::Params,
            ) -> Result<$crate::methods::Output, $crate::error::Error> {
                $body.await
            }
        }
    };
}
pub(crate) use v2_variant;

/// The parameters of a v2 call as an object.
pub fn obj(p: &Params) -> Obj<'_> {
    Obj::root(p.as_map())
}

/// How the call is authorised, for the `botToken` rule. A browser session cannot call bot methods.
pub fn auth_kind(ctx: &CallCtx) -> Result<AuthKind, Error> {
    match ctx.caller.kind {
        CallerKind::OAuth { .. } => Ok(AuthKind::OAuth),
        CallerKind::Webhook { .. } => Ok(AuthKind::Webhook),
        CallerKind::Session { .. } => Err(crate::methods::imbot::session_refused()),
    }
}

/// The app the call acts for: the OAuth token's, or the (webhook, `token`) pair's — created when `create`,
/// else `None` when that pair owns nothing yet. A v1 app of the same webhook whose CLIENT_ID equals the token
/// is that app (docs/v2.md §6).
pub async fn caller_app(ctx: &CallCtx, token: Option<&str>, create: bool) -> Result<Option<App>, Error> {
    let store = &ctx.state.store;
    match &ctx.caller.kind {
        CallerKind::OAuth { app_id, .. } => Ok(apps::by_id(store, *app_id).await?),
        CallerKind::Webhook { id } => {
            let Some(token) = token else { return Ok(None) };
            let hash = secret::hash(token);
            if let Some(a) = apps::of_bot_token(store, *id, &hash).await? {
                return Ok(Some(a));
            }
            if let Some(a) = apps::of_webhook_client(store, *id, token).await? {
                return Ok(Some(a));
            }
            if !create {
                return Ok(None);
            }
            let app = bots::token_app(store, *id, &hash, ctx.state.clock.unix()).await?;
            Ok(apps::by_id(store, app).await?)
        }
        CallerKind::Session { .. } => Err(crate::methods::imbot::session_refused()),
    }
}

/// A bot method's bot, after the controller checks.
pub struct BotCall {
    pub app: App,
    pub bot: Bot,
    /// The bot's user.
    pub me: User,
}

/// The controller checks of every method with `botId*` (docs/v2.md §2.3), in their order.
pub async fn bot_call(ctx: &CallCtx, p: &Obj<'_>) -> Result<BotCall, Error> {
    let auth = auth_kind(ctx)?;
    let r = BotRef::parse(p, auth)?;
    let store = &ctx.state.store;
    let bot = bots::get(store, UserId(r.bot_id)).await?.ok_or(errors::BOT_NOT_FOUND)?;
    let app = caller_app(ctx, r.bot_token.as_deref(), false).await?;
    let Some(app) = app.filter(|a| a.id == bot.app_id) else {
        return Err(errors::BOT_OWNERSHIP_ERROR.into());
    };
    let me = users::get(store, bot.id).await?.ok_or_else(|| Error::Internal(format!("bot {} has no user", bot.id)))?;
    Ok(BotCall { app, bot, me })
}

/// The Bot object (with its counters).
pub async fn bot_entity(ctx: &CallCtx, bot: &Bot) -> Result<e::Bot, Error> {
    let counts = bots::counts(&ctx.state.store, bot.id).await?;
    Ok(render_v2::bot(bot, counts, ctx.state.default_language()))
}

/// The User object of a user or bot.
pub fn user_entity(ctx: &CallCtx, u: &User) -> e::User {
    render_v2::user(u, ctx.state.config.timezone)
}

/// `{"bot": …, "users": [the bot's user]}` in the form the caller may see.
pub async fn bot_answer(ctx: &CallCtx, bot: &Bot, owner: bool) -> Result<serde_json::Value, Error> {
    let me = users::get(&ctx.state.store, bot.id)
        .await?
        .ok_or_else(|| Error::Internal(format!("bot {} has no user", bot.id)))?;
    let form = if owner { e::BotForm::Extended } else { e::BotForm::Brief };
    Ok(imbot_wire::v2::results::bot(&bot_entity(ctx, bot).await?, form, &[user_entity(ctx, &me)]))
}

/// A v2 avatar (Base64 without a `data:` prefix, a prefix tolerated): an image of at most 5000×5000.
pub fn check_avatar(avatar: &str) -> Result<(), Error> {
    use base64::Engine as _;
    let data = avatar.split_once("base64,").map(|(_, d)| d).unwrap_or(avatar).trim();
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.as_bytes()).unwrap_or_default();
    if !crate::methods::imbot::chat_settings::is_image(&bytes) {
        return Err(errors::BOT_AVATAR_INCORRECT_TYPE.into());
    }
    let size = crate::methods::imbot::chat_settings::image_size(&bytes);
    if !size.is_some_and(|(w, h)| (1..=5000).contains(&w) && (1..=5000).contains(&h)) {
        return Err(errors::BOT_AVATAR_INCORRECT_SIZE.into());
    }
    Ok(())
}

/// A handler URL the outbound policy accepts, else `BOT_INVALID_CALLBACK` naming why.
pub async fn check_callback(ctx: &CallCtx, url: &str) -> Result<(), Error> {
    let u = url::Url::parse(url).map_err(|_| Error::from(errors::BOT_INVALID_CALLBACK))?;
    ctx.state
        .config
        .outbound
        .check_url(&u)
        .await
        .map_err(|why| Error::api(errors::BOT_INVALID_CALLBACK, format!("Invalid callback URL: {why}")))
}

/// `ACCESS_DENIED`, the v2 answer for a dialog or message the bot may not touch.
pub fn denied() -> Error {
    errors::ACCESS_DENIED.into()
}

/// A chat the bot takes part in, with its membership.
pub struct BotChat {
    pub chat: crate::store::chats::Chat,
    pub member: crate::store::chats::Member,
}

/// The chat of `dialog` if the bot is a participant, else `ACCESS_DENIED` (docs/v2.md §3.2): `chat{id}` for a
/// group chat, `{userId}` for the bot's private dialog with that user (which exists once either wrote).
pub async fn bot_chat(ctx: &CallCtx, c: &BotCall, dialog: imbot_wire::DialogId) -> Result<BotChat, Error> {
    use crate::domain::ChatId;
    use crate::store::chats::{self, ChatType};
    let store = &ctx.state.store;
    let chat_id = match dialog {
        imbot_wire::DialogId::Chat(id) => Some(ChatId(id)),
        imbot_wire::DialogId::User(u) => chats::private_between(store, c.bot.id, UserId(u)).await?,
        imbot_wire::DialogId::SonetGroup(_) => None,
    };
    let Some(chat) = (match chat_id {
        Some(id) => chats::get(store, id).await?,
        None => None,
    }) else {
        return Err(Error::api(errors::ACCESS_DENIED, "Bot is not a participant in the chat"));
    };
    if matches!(dialog, imbot_wire::DialogId::Chat(_)) && chat.kind == ChatType::Private {
        return Err(Error::api(errors::ACCESS_DENIED, "Bot is not a participant in the chat"));
    }
    let member = chats::member(store, chat.id, c.bot.id)
        .await?
        .ok_or_else(|| Error::api(errors::ACCESS_DENIED, "Bot is not a participant in the chat"))?;
    Ok(BotChat { chat, member })
}

/// [`bot_chat`] for the methods that work only in group chats (`chat{id}`).
pub async fn bot_group_chat(ctx: &CallCtx, c: &BotCall, dialog: imbot_wire::DialogId) -> Result<BotChat, Error> {
    if !matches!(dialog, imbot_wire::DialogId::Chat(_)) {
        return Err(Error::api(errors::ACCESS_DENIED, "The method works in group chats only (dialogId chat{id})"));
    }
    bot_chat(ctx, c, dialog).await
}

/// The Chat object (method form) as `viewer` sees it.
pub async fn chat_entity(
    ctx: &CallCtx,
    chat: &crate::store::chats::Chat,
    viewer: UserId,
    is_new: bool,
) -> Result<e::Chat, Error> {
    use crate::store::chats::{self, ChatType, Role};
    let store = &ctx.state.store;
    let members = chats::members(store, chat.id).await?;
    let member = members.iter().find(|m| m.user_id == viewer);
    let managers: Vec<UserId> = members.iter().filter(|m| m.role == Role::Manager).map(|m| m.user_id).collect();
    let partner = match chat.kind {
        ChatType::Private => members.iter().find(|m| m.user_id != viewer).map(|m| m.user_id),
        _ => None,
    };
    let view = render_v2::ChatView {
        chat,
        dialog_id: render_v2::dialog_id(chat, partner),
        member,
        user_counter: members.len() as i64,
        managers: &managers,
    };
    let mut entity = render_v2::chat(&view, ctx.state.config.timezone);
    entity.is_new = is_new;
    Ok(entity)
}

/// The User objects of `ids` (unknown ids skipped), in that order.
pub async fn users_of(ctx: &CallCtx, ids: &[UserId]) -> Result<Vec<e::User>, Error> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(u) = users::get(&ctx.state.store, *id).await? {
            out.push(user_entity(ctx, &u));
        }
    }
    Ok(out)
}

/// Whether a membership may administer the chat's members (owner or manager).
pub fn is_admin(m: &crate::store::chats::Member) -> bool {
    matches!(m.role, crate::store::chats::Role::Owner | crate::store::chats::Role::Manager)
}

/// The messenger's refusals of a chat change, as the v2 `ACCESS_DENIED` with their text.
pub fn refused(e: Error) -> Error {
    match e {
        Error::Api(a) if a.status < 500 => {
            Error::api(errors::ACCESS_DENIED, format!("Access denied: {}", a.description))
        }
        other => other,
    }
}
