//! Scope `imbot`: chat bots and their commands, v1 API (`api-reference__chat-bots__outdated__*`).
//!
//! Every method acts for an **app**: the OAuth app of the token, or — for webhook calls — the implicit app of
//! the (webhook, `CLIENT_ID`) pair; a webhook call without `CLIENT_ID` is `403 ACCESS_DENIED` "Access denied!
//! Client ID not specified" (SPEC-NOTES §5). A bot belongs to the app that registered it; another app's bot is
//! `400 APP_ID_ERROR`. Methods that act *as the bot* (messages, chats, typing) take `BOT_ID` or default to the
//! app's first bot.

pub mod bot_list;
pub mod chat_add;
pub mod chat_common;
pub mod chat_get;
pub mod chat_leave;
pub mod chat_send_typing;
pub mod chat_settings;
pub mod chat_user_add;
pub mod chat_user_delete;
pub mod chat_user_list;
pub mod command_answer;
pub mod command_register;
pub mod command_unregister;
pub mod command_update;
pub mod dialog_get;
pub mod message_add;
pub mod message_delete;
pub mod message_like;
pub mod message_update;
pub mod register;
pub mod unregister;
pub mod update;

use crate::domain::{CallerKind, UserId};
use crate::error::Error;
use crate::methods::im::positive;
use crate::methods::CallCtx;
use crate::store::apps::{self, App};
use crate::store::bots::{self, Bot};
use crate::store::users::{self, User};
use imbot_wire::params::scalar_string;
use imbot_wire::{ErrorCode, Params};

/// The app the call acts for.
pub async fn owner(ctx: &CallCtx, p: &Params) -> Result<App, Error> {
    let app_id = match &ctx.caller.kind {
        CallerKind::OAuth { app_id, .. } => *app_id,
        CallerKind::Webhook { id } => {
            let client_id =
                p.get("CLIENT_ID").and_then(scalar_string).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            let Some(client_id) = client_id else {
                return Err(Error::api(ErrorCode::ACCESS_DENIED, "Access denied! Client ID not specified"));
            };
            if let Some(app) = apps::of_webhook_client(&ctx.state.store, *id, &client_id).await? {
                return Ok(app);
            }
            // A v2 bot's botToken is its owner's CLIENT_ID for v1 calls (docs/v2.md §6).
            let token_hash = crate::domain::secret::hash(&client_id);
            if let Some(app) = apps::of_bot_token(&ctx.state.store, *id, &token_hash).await? {
                return Ok(app);
            }
            bots::webhook_app(&ctx.state.store, *id, &client_id, ctx.state.clock.unix()).await?
        }
        CallerKind::Session { .. } => return Err(session_refused()),
    };
    apps::by_id(&ctx.state.store, app_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("app {app_id} of a live credential is gone")))
}

/// `imbot.*` under a browser session: `403 WRONG_AUTH_TYPE` (SPEC-NOTES §2.3).
pub fn session_refused() -> Error {
    Error::api(ErrorCode::WRONG_AUTH_TYPE, "Access for this method not allowed by session authorization.")
}

/// The bot named by `BOT_ID` (which must belong to `app`), or — when `BOT_ID` is absent and `required` is
/// false — the app's first bot.
pub async fn bot(ctx: &CallCtx, p: &Params, app: &App, required: bool) -> Result<Bot, Error> {
    let not_found = || Error::api(ErrorCode::BOT_ID_ERROR, "Bot not found");
    let bot = match positive(p, "BOT_ID") {
        Some(id) => bots::get(&ctx.state.store, UserId(id)).await?.ok_or_else(not_found)?,
        None if required || p.get("BOT_ID").and_then(scalar_string).is_some_and(|s| !s.trim().is_empty()) => {
            return Err(not_found());
        }
        None => bots::of_app(&ctx.state.store, app.id).await?.into_iter().next().ok_or_else(not_found)?,
    };
    if bot.app_id != app.id {
        return Err(Error::api(ErrorCode::APP_ID_ERROR, "Bot was installed by another rest application"));
    }
    Ok(bot)
}

/// The bot's user record.
pub async fn bot_user(ctx: &CallCtx, bot: &Bot) -> Result<User, Error> {
    users::get(&ctx.state.store, bot.id).await?.ok_or_else(|| Error::Internal(format!("bot {} has no user", bot.id)))
}

/// A handler URL parameter: absent → `None`; present but not an absolute http(s) URL, or pointing where the
/// outbound policy forbids (`[delivery] outbound` / `allow`) → `code` with the reason.
pub async fn handler_url(ctx: &CallCtx, p: &Params, key: &str, code: ErrorCode) -> Result<Option<String>, Error> {
    let s = match p.get(key).and_then(scalar_string).map(|s| s.trim().to_owned()) {
        None => return Ok(None),
        Some(s) if s.is_empty() => return Ok(None),
        Some(s) => s,
    };
    match url::Url::parse(&s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            ctx.state
                .config
                .outbound
                .check_url(&u)
                .await
                .map_err(|why| Error::api(code, format!("Wrong handler URL: {why}")))?;
            Ok(Some(s))
        }
        _ => Err(Error::api(code, format!("Wrong handler URL: {s:?} is not an absolute http(s) URL"))),
    }
}
