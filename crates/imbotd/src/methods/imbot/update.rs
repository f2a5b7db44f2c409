//! `imbot.update` — change a bot's CODE, handlers (the app's) or PROPERTIES; `true`. Nothing to change →
//! `400 WRONG_REQUEST` "Update fields can't be empty". Here the UPDATE/DELETE handlers are kept whatever the
//! bot type (SPEC-NOTES §12.6). TYPE and OPENLINE cannot change.

use super::register::properties;
use super::{bot, owner};
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots;
use imbot_wire::params::scalar_string;
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.update",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__bots__imbot-update.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let b = bot(ctx, &p, &app, true).await?;
    let empty = || Error::api(ErrorCode::WRONG_REQUEST, "Update fields can't be empty");
    let Some(Value::Object(fields)) = p.get("FIELDS") else { return Err(empty()) };
    let f = imbot_wire::Params::from_map(fields.clone());
    let state = &ctx.state;
    let mut handlers = bots::handlers(&state.store, app.id).await?;
    let mut changed = false;
    let common = super::handler_url(ctx, &f, "EVENT_HANDLER", ErrorCode::EVENT_MESSAGE_ADD_ERROR).await?;
    for (key, code, slot) in [
        ("EVENT_MESSAGE_ADD", ErrorCode::EVENT_MESSAGE_ADD_ERROR, &mut handlers.message_add),
        ("EVENT_MESSAGE_UPDATE", ErrorCode::EVENT_MESSAGE_UPDATE_ERROR, &mut handlers.message_update),
        ("EVENT_MESSAGE_DELETE", ErrorCode::EVENT_MESSAGE_DELETE_ERROR, &mut handlers.message_delete),
        ("EVENT_WELCOME_MESSAGE", ErrorCode::EVENT_WELCOME_MESSAGE_ERROR, &mut handlers.welcome_message),
        ("EVENT_BOT_DELETE", ErrorCode::EVENT_BOT_DELETE_ERROR, &mut handlers.bot_delete),
    ] {
        if let Some(u) = super::handler_url(ctx, &f, key, code).await?.or(common.clone()) {
            *slot = u;
            changed = true;
        }
    }
    let code = f.get("CODE").and_then(scalar_string).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let props = match f.get("PROPERTIES") {
        Some(v @ Value::Object(m)) => {
            let blank = |k: &str| m.get(k).and_then(scalar_string).is_some_and(|s| s.trim().is_empty());
            if m.contains_key("NAME") && m.contains_key("LAST_NAME") && blank("NAME") && blank("LAST_NAME") {
                return Err(Error::api(ErrorCode::NAME_ERROR, "Bot name isn't specified"));
            }
            let current = crate::store::users::get(&state.store, b.id).await?;
            properties(Some(v)).map(|mut u| {
                if let Some(cur) = current {
                    if u.name.is_empty() {
                        u.name = cur.name;
                    }
                    if !m.contains_key("LAST_NAME") {
                        u.last_name = cur.last_name;
                    }
                }
                u
            })
        }
        _ => None,
    };
    if !changed && code.is_none() && props.is_none() {
        return Err(empty());
    }
    if let Some(c) = &code {
        if bots::by_code(&state.store, c).await?.is_some_and(|other| other.id != b.id) {
            // Not a documented imbot.update error code: Bitrix's update just fails ("Bot can't be updated").
            return Err(Error::api(
                ErrorCode::WRONG_REQUEST,
                format!("Bot can't be updated: the code {c:?} is already used"),
            ));
        }
    }
    let mut tx = state.store.begin().await?;
    if changed {
        bots::set_handlers(&mut tx, app.id, &handlers).await?;
    }
    if let Some(c) = &code {
        bots::set_code(&mut tx, b.id, c).await?;
    }
    if let Some(u) = &props {
        bots::update_user(&mut tx, b.id, u).await?;
    }
    crate::messenger::commit(state, tx).await?;
    Ok(Value::Bool(true).into())
}
