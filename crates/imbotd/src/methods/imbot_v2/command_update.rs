//! `imbot.v2.Command.update` — rename a command or change its titles, hints and flags; `{command}`
//! (docs/v2.md §3.4). Per language, a title string replaces, `null` removes, a missing key keeps; hints apply
//! only to the languages the same call's `title` names.

use super::command_register::{entity, lang_entries};
use super::{bot_call, obj, v2_spec};
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use crate::store::bots;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::CommandUpdate;
use imbot_wire::Params;
use serde_json::{json, Value};

v2_spec!("imbot.v2.command.update", "imbot.v2__commands__command-update", call);

/// The bot's command `id`, or `COMMAND_NOT_FOUND` ("not found or no access").
pub async fn own_command(ctx: &CallCtx, bot: &bots::Bot, id: i64) -> Result<bots::Command, Error> {
    bots::command(&ctx.state.store, id)
        .await?
        .filter(|c| c.bot_id == bot.id)
        .ok_or_else(|| errors::COMMAND_NOT_FOUND.into())
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let u = CommandUpdate::parse(&obj(&p))?;
    let state = &ctx.state;
    let mut cmd = own_command(ctx, &c.bot, u.command_id).await?;
    if let Some(name) = &u.command {
        if *name != cmd.command
            && bots::commands_of(&state.store, c.bot.id).await?.iter().any(|x| x.command == *name && x.id != cmd.id)
        {
            return Err(errors::COMMAND_ALREADY_EXISTS.into());
        }
        cmd.command = name.clone();
    }
    if u.title.is_some() || u.params.is_some() {
        let mut entries = lang_entries(&cmd.lang);
        for (lang, title) in u.title.iter().flatten() {
            match title {
                Some(t) => match entries.iter_mut().find(|(l, _, _)| l == lang) {
                    Some(e) => e.1 = t.clone(),
                    None => entries.push((lang.clone(), t.clone(), String::new())),
                },
                None => entries.retain(|(l, _, _)| l != lang),
            }
        }
        for (lang, hint) in u.params.iter().flatten() {
            if let Some(e) = entries.iter_mut().find(|(l, _, _)| l == lang) {
                e.2 = hint.clone().unwrap_or_default();
            }
        }
        cmd.lang =
            Value::Array(entries.iter().map(|(l, t, h)| json!({"LANGUAGE_ID": l, "TITLE": t, "PARAMS": h})).collect());
    }
    if let Some(v) = u.common {
        cmd.common = v;
    }
    if let Some(v) = u.hidden {
        cmd.hidden = v;
    }
    if let Some(v) = u.extranet_support {
        cmd.extranet_support = v;
    }
    bots::update_command(&state.store, &cmd).await?;
    let shown = entity(&cmd, &c.bot.name, state.default_language());
    Ok(imbot_wire::v2::results::command(&shown).into())
}
