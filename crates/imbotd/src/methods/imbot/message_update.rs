//! `imbot.message.update` — edit a message of the bot; `true`. `MESSAGE` absent = unchanged, empty = delete;
//! `ATTACH`/`KEYBOARD`/`MENU` `"N"` or empty clear them. Another author's message → `403 CANT_EDIT_MESSAGE`.

use super::{bot, bot_user, owner};
use crate::error::Error;
use crate::messenger::{self, Edit};
use crate::methods::im::{flag, message_id};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::scalar_string;
use imbot_wire::rich::{Attach, Keyboard, Menu};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.message.update",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__messages__imbot-message-update.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let b = bot(ctx, &p, &app, false).await?;
    let id = message_id(&p)?;
    let text = p.get("MESSAGE").and_then(scalar_string).map(|s| s.trim().to_owned());
    let mut params = Vec::new();
    if let Some(a) = Attach::parse(p.get("ATTACH"))?.into_update() {
        params.push(("ATTACH".to_owned(), a.map(|a| a.to_value())));
    }
    if let Some(k) = Keyboard::parse(p.get("KEYBOARD"), Some(b.id.0))?.into_update() {
        params.push(("KEYBOARD".to_owned(), k.map(|k| k.to_value())));
    }
    if let Some(m) = Menu::parse(p.get("MENU"), Some(b.id.0))?.into_update() {
        params.push(("MENU".to_owned(), m.map(|m| m.to_value())));
    }
    let attach_changed = params.iter().any(|(k, _)| k == "ATTACH");
    let url_preview = p.contains("URL_PREVIEW").then(|| flag(&p, "URL_PREVIEW", true));
    let me = bot_user(ctx, &b).await?;
    messenger::edit(&ctx.state, &me, id, Edit { text, params, url_preview, mark_edited: attach_changed }).await?;
    Ok(Value::Bool(true).into())
}
