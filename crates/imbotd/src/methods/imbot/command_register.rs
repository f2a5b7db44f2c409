//! `imbot.command.register` — register a slash command of a bot; `result` is the COMMAND_ID (int).
//!
//! `BOT_ID` is required (no default bot). `COMMAND` loses its leading `/`; registering the same command of the
//! same bot again returns the existing id unchanged. `LANG` is a list of `{LANGUAGE_ID, TITLE, PARAMS}`
//! (entries without LANGUAGE_ID or TITLE are skipped; none left → `LANG_ERROR`). `COMMON` (any chat, default
//! N: only the bot's private dialog and chats it is in), `HIDDEN` (not in the picker), `EXTRANET_SUPPORT`.

use super::{bot, handler_url, owner};
use crate::error::Error;
use crate::methods::im::flag;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots::{self, NewCommand};
use imbot_wire::params::{scalar_string, value_list};
use imbot_wire::{ErrorCode, Params};
use serde_json::{json, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.command.register",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__commands__imbot-command-register.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// `COMMAND` without its leading `/` and surrounding spaces.
pub fn command_name(p: &Params) -> Option<String> {
    p.get("COMMAND")
        .and_then(scalar_string)
        .map(|s| s.trim().trim_start_matches('/').trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// `LANG` as the stored list; `None` when no valid entry is left.
pub fn lang(v: Option<&Value>) -> Option<Value> {
    let v = v?;
    let parsed;
    let v = match v {
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s).ok()?;
            &parsed
        }
        other => other,
    };
    let mut out = Vec::new();
    for item in value_list(v) {
        let Value::Object(m) = item else { continue };
        let get = |k: &str| m.get(k).and_then(scalar_string).map(|s| s.trim().to_owned()).unwrap_or_default();
        let (lang, title) = (get("LANGUAGE_ID").to_ascii_lowercase(), get("TITLE"));
        if lang.is_empty() || title.is_empty() {
            continue;
        }
        out.push(json!({"LANGUAGE_ID": lang, "TITLE": title, "PARAMS": get("PARAMS")}));
    }
    (!out.is_empty()).then_some(Value::Array(out))
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    // Checks in the documented (Bitrix) order: handler, COMMAND, bot, app, LANG.
    let url =
        handler_url(ctx, &p, "EVENT_COMMAND_ADD", ErrorCode::EVENT_COMMAND_ADD_ERROR).await?.ok_or_else(|| {
            Error::api(ErrorCode::EVENT_COMMAND_ADD_ERROR, "Handler for \"Command add\" event isn't specified")
        })?;
    let name = command_name(&p).ok_or_else(|| Error::api(ErrorCode::COMMAND_ERROR, "Command isn't specified"))?;
    let b = bot(ctx, &p, &app, true).await?;
    let lang = lang(p.get("LANG")).ok_or_else(|| Error::api(ErrorCode::LANG_ERROR, "Lang set can't be empty"))?;
    let c = NewCommand {
        command: name,
        handler_url: url,
        common: flag(&p, "COMMON", false),
        hidden: flag(&p, "HIDDEN", false),
        extranet_support: flag(&p, "EXTRANET_SUPPORT", false),
        lang,
    };
    let id = bots::add_command(&ctx.state.store, b.id, &c, ctx.state.clock.unix()).await?;
    Ok(Value::from(id).into())
}
