//! `imbot.command.update` — change `COMMAND`, `EVENT_COMMAND_ADD`, `HIDDEN`, `EXTRANET_SUPPORT` or `LANG` (the
//! whole set) of a command in `FIELDS`; `true`. `COMMON` cannot change over REST (SPEC-NOTES §12.12).

use super::command_register::lang;
use super::owner;
use crate::error::Error;
use crate::methods::im::{flag, positive};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots;
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.command.update",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__commands__imbot-command-update.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// The command `COMMAND_ID` of one of `app`'s bots.
pub async fn owned_command(ctx: &CallCtx, p: &Params, app: &crate::store::apps::App) -> Result<bots::Command, Error> {
    let not_found = || Error::api(ErrorCode::COMMAND_ID_ERROR, "Command not found");
    let id = positive(p, "COMMAND_ID").ok_or_else(not_found)?;
    let c = bots::command(&ctx.state.store, id).await?.ok_or_else(not_found)?;
    let b = bots::get(&ctx.state.store, c.bot_id).await?.ok_or_else(not_found)?;
    if b.app_id != app.id {
        return Err(Error::api(ErrorCode::APP_ID_ERROR, "Command was installed by another rest application"));
    }
    Ok(c)
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let mut c = owned_command(ctx, &p, &app).await?;
    let empty = || Error::api(ErrorCode::WRONG_REQUEST, "Update fields can't be empty");
    let Some(Value::Object(fields)) = p.get("FIELDS") else { return Err(empty()) };
    let f = Params::from_map(fields.clone());
    let mut changed = false;
    if let Some(name) = super::command_register::command_name(&f) {
        c.command = name;
        changed = true;
    }
    if let Some(url) = super::handler_url(ctx, &f, "EVENT_COMMAND_ADD", ErrorCode::EVENT_COMMAND_ADD_ERROR).await? {
        c.handler_url = url;
        changed = true;
    }
    if f.contains("HIDDEN") {
        c.hidden = flag(&f, "HIDDEN", false);
        changed = true;
    }
    if f.contains("EXTRANET_SUPPORT") {
        c.extranet_support = flag(&f, "EXTRANET_SUPPORT", false);
        changed = true;
    }
    if f.contains("LANG") {
        c.lang = lang(f.get("LANG")).ok_or_else(|| Error::api(ErrorCode::LANG_ERROR, "Lang set can't be empty"))?;
        changed = true;
    }
    if !changed {
        return Err(empty());
    }
    bots::update_command(&ctx.state.store, &c).await.map_err(|_| {
        Error::api(ErrorCode::WRONG_REQUEST, "Command can't be updated: the bot has a command of that name")
    })?;
    Ok(Value::Bool(true).into())
}
