//! `imbot.v2.Command.register` — a slash command of the bot; `{command}` (docs/v2.md §3.4).
//!
//! Idempotent per (bot, command): the existing command comes back unchanged. Titles and hints per language are
//! kept in the v1 `LANG` shape (`[{LANGUAGE_ID, TITLE, PARAMS}]`), so v1 methods and the web chat's command
//! picker show them too. A v2 command has no handler URL: its event goes where the bot's events go.

use super::{bot_call, obj, v2_spec};
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use crate::store::bots::{self, Command, NewCommand};
use imbot_wire::v2::entities as e;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::CommandRegister;
use imbot_wire::Params;
use serde_json::{json, Value};

v2_spec!("imbot.v2.command.register", "imbot.v2__commands__command-register", call);

/// `[{LANGUAGE_ID, TITLE, PARAMS}]` from per-language titles and hints.
pub fn lang_value(titles: &[(String, String)], params: &[(String, String)]) -> Value {
    let mut langs: Vec<&str> = titles.iter().map(|(l, _)| l.as_str()).collect();
    for (l, _) in params {
        if !langs.contains(&l.as_str()) {
            langs.push(l);
        }
    }
    let text = |list: &[(String, String)], lang: &str| {
        list.iter().find(|(l, _)| l == lang).map(|(_, t)| t.clone()).unwrap_or_default()
    };
    Value::Array(
        langs.iter().map(|l| json!({"LANGUAGE_ID": l, "TITLE": text(titles, l), "PARAMS": text(params, l)})).collect(),
    )
}

/// (language, title, hint) entries of a stored `LANG`.
pub fn lang_entries(lang: &Value) -> Vec<(String, String, String)> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    lang.as_array()
        .map(|a| a.iter().map(|v| (s(v, "LANGUAGE_ID").to_ascii_lowercase(), s(v, "TITLE"), s(v, "PARAMS"))).collect())
        .unwrap_or_default()
}

/// A command as v2 shows it; title and hint in `language`, else English, else the first.
pub fn entity(c: &Command, bot_name: &str, language: &str) -> e::Command {
    let entries = lang_entries(&c.lang);
    let pick = entries
        .iter()
        .find(|(l, _, _)| l == language)
        .or_else(|| entries.iter().find(|(l, _, _)| l == "en"))
        .or_else(|| entries.first());
    e::Command {
        id: c.id,
        bot_id: c.bot_id.0,
        command: e::slash(&c.command),
        common: c.common,
        hidden: c.hidden,
        extranet_support: c.extranet_support,
        title: pick.map(|(_, t, _)| t.clone()).unwrap_or_default(),
        params: pick.map(|(_, _, p)| p.clone()).unwrap_or_default(),
        category: bot_name.to_owned(),
        context: String::new(),
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = CommandRegister::parse(&obj(&p))?;
    let state = &ctx.state;
    let new = NewCommand {
        command: r.command.clone(),
        handler_url: String::new(),
        common: r.common,
        hidden: r.hidden,
        extranet_support: r.extranet_support,
        lang: lang_value(&r.title, &r.params),
    };
    let id = bots::add_command(&state.store, c.bot.id, &new, state.clock.unix()).await?;
    let cmd = bots::command(&state.store, id).await?.ok_or(errors::COMMAND_REGISTER_FAILED)?;
    let shown = entity(&cmd, &c.bot.name, state.default_language());
    Ok(imbot_wire::v2::results::command(&shown).into())
}
