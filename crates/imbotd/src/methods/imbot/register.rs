//! `imbot.register` — register a bot for the calling app; `result` is the BOT_ID (int).
//!
//! `CODE` is unique on the portal and the call is idempotent on it: an existing bot's id comes back unchanged.
//! Handlers (`EVENT_MESSAGE_ADD`, `EVENT_WELCOME_MESSAGE`, `EVENT_BOT_DELETE` required; `EVENT_HANDLER` fills all
//! five) are the app's, shared by all its bots: registering another bot replaces them. `EVENT_MESSAGE_UPDATE` /
//! `EVENT_MESSAGE_DELETE` are kept only for `TYPE` S or O or `OPENLINE=Y` (SPEC-NOTES §5.1). Checks in Bitrix's
//! order: client id, handlers, CODE, bot count (`bots_per_app`), NAME.

use super::{handler_url, owner};
use crate::error::Error;
use crate::methods::im::flag;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots::{self, BotType, BotUser, Handlers};
use imbot_wire::params::scalar_string;
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.register",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__bots__imbot-register.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// Read `PROPERTIES` into the bot user; `None` when neither NAME nor LAST_NAME is present.
pub fn properties(v: Option<&Value>) -> Option<BotUser> {
    let Some(Value::Object(m)) = v else { return None };
    if !m.contains_key("NAME") && !m.contains_key("LAST_NAME") {
        return None;
    }
    let text = |k: &str| m.get(k).and_then(scalar_string).map(|s| s.trim().to_owned()).unwrap_or_default();
    let gender = text("PERSONAL_GENDER").to_ascii_uppercase();
    let position = text("WORK_POSITION");
    Some(BotUser {
        name: text("NAME"),
        last_name: text("LAST_NAME"),
        email: text("EMAIL"),
        gender: if gender == "M" || gender == "F" { gender } else { String::new() },
        work_position: if position.is_empty() { "Chat bot".into() } else { position },
        color: text("COLOR").to_ascii_uppercase(),
    })
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let common = handler_url(ctx, &p, "EVENT_HANDLER", ErrorCode::EVENT_MESSAGE_ADD_ERROR).await?;
    let url = async |key: &str, code: ErrorCode| -> Result<Option<String>, Error> {
        Ok(handler_url(ctx, &p, key, code).await?.or(common.clone()))
    };
    // One handler at a time, in Bitrix's order (ADD, UPDATE, DELETE, WELCOME, BOT_DELETE): a missing required
    // handler is reported before a later handler's bad URL.
    let required = |v: Option<String>, code: ErrorCode, what: &str| {
        v.ok_or_else(|| Error::api(code, format!("Handler for \"{what}\" event isn't specified")))
    };
    let add = required(
        url("EVENT_MESSAGE_ADD", ErrorCode::EVENT_MESSAGE_ADD_ERROR).await?,
        ErrorCode::EVENT_MESSAGE_ADD_ERROR,
        "Message add",
    )?;
    let upd = url("EVENT_MESSAGE_UPDATE", ErrorCode::EVENT_MESSAGE_UPDATE_ERROR).await?;
    let del = url("EVENT_MESSAGE_DELETE", ErrorCode::EVENT_MESSAGE_DELETE_ERROR).await?;
    let welcome = required(
        url("EVENT_WELCOME_MESSAGE", ErrorCode::EVENT_WELCOME_MESSAGE_ERROR).await?,
        ErrorCode::EVENT_WELCOME_MESSAGE_ERROR,
        "Welcome message",
    )?;
    let bot_delete = required(
        url("EVENT_BOT_DELETE", ErrorCode::EVENT_BOT_DELETE_ERROR).await?,
        ErrorCode::EVENT_BOT_DELETE_ERROR,
        "Bot delete",
    )?;
    let code = p.get("CODE").and_then(scalar_string).map(|s| s.trim().to_owned()).unwrap_or_default();
    if code.is_empty() {
        return Err(Error::api(ErrorCode::CODE_ERROR, "Bot code isn't specified"));
    }
    let state = &ctx.state;
    if let Some(existing) = bots::by_code(&state.store, &code).await? {
        return Ok(Value::from(existing.id.0).into());
    }
    let count = bots::of_app(&state.store, app.id).await?.len();
    if state.config.bots_per_app > 0 && count >= state.config.bots_per_app {
        return Err(Error::api(
            ErrorCode::MAX_COUNT_ERROR,
            format!("Has reached the maximum number of bots for application (max: {})", state.config.bots_per_app),
        ));
    }
    let user =
        properties(p.get("PROPERTIES")).ok_or_else(|| Error::api(ErrorCode::NAME_ERROR, "Bot name isn't specified"))?;
    let kind = BotType::parse(&p.get("TYPE").and_then(scalar_string).unwrap_or_default());
    let openline = kind == BotType::OpenLine || flag(&p, "OPENLINE", false);
    let keeps_edits = matches!(kind, BotType::Supervisor | BotType::OpenLine) || openline;
    let handlers = Handlers {
        message_add: add,
        message_update: if keeps_edits { upd.unwrap_or_default() } else { String::new() },
        message_delete: if keeps_edits { del.unwrap_or_default() } else { String::new() },
        welcome_message: welcome,
        bot_delete,
    };
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    let id = bots::create(&mut tx, app.id, &code, kind, openline, &user, now).await?;
    bots::set_handlers(&mut tx, app.id, &handlers).await?;
    crate::messenger::commit(state, tx).await?;
    Ok(Value::from(id.0).into())
}
