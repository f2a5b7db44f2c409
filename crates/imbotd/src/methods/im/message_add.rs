//! `im.message.add` — post a message as the calling user; `result` is the message id (int).
//!
//! The dialog is `DIALOG_ID` (`chatN` or a user id), or the legacy `CHAT_ID` / `USER_ID`. `MESSAGE` is
//! trimmed and may be empty only with an `ATTACH`. `ATTACH`, `KEYBOARD`, `MENU` are parsed into typed values
//! (`""`/`"N"` = none) and stored normalised; COMMAND buttons need `BOT_ID` inside the keyboard. `SYSTEM=Y`
//! posts a system message; from an OAuth app into a group chat its text is prefixed `[b]<app name>[/b]\n`.
//! `REPLY_ID` must be in the same chat; `TEMPLATE_ID` becomes the message `uuid`, cut to 255 characters as
//! Bitrix cuts it (`mb_substr(…, 0, 255)`).

use super::{flag, me, positive};
use crate::domain::{CallerKind, MessageId};
use crate::error::Error;
use crate::messenger::{self, Post};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::apps;
use imbot_wire::params::scalar_string;
use imbot_wire::rich::{Attach, Keyboard, Menu};
use imbot_wire::{DialogId, ErrorCode, Params};
use serde_json::{Map, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.message.add",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-message-add.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// `DIALOG_ID`, or the legacy `CHAT_ID` / `USER_ID` forms.
fn target(p: &Params) -> Result<DialogId, Error> {
    if let Some(v) = p.get("DIALOG_ID") {
        return DialogId::from_value(v).ok_or_else(|| Error::api(ErrorCode::USER_ID_EMPTY, "User ID can't be empty"));
    }
    if p.contains("CHAT_ID") {
        return positive(p, "CHAT_ID")
            .map(DialogId::Chat)
            .ok_or_else(|| Error::api(ErrorCode::CHAT_ID_EMPTY, "Chat ID can't be empty"));
    }
    positive(p, "USER_ID")
        .map(DialogId::User)
        .ok_or_else(|| Error::api(ErrorCode::USER_ID_EMPTY, "User ID can't be empty"))
}

/// `MESSAGE` as trimmed text; an array or object is not a message (`MESSAGE_EMPTY` "Wrong message type", as
/// Bitrix answers).
pub fn message_text(p: &Params) -> Result<Option<String>, Error> {
    match p.get("MESSAGE") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => scalar_string(v)
            .map(|s| Some(s.trim().to_owned()))
            .ok_or_else(|| Error::api(ErrorCode::MESSAGE_EMPTY, "Wrong message type")),
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let dialog = target(&p)?;
    let mut text = message_text(&p)?.unwrap_or_default();
    let attach = Attach::parse(p.get("ATTACH"))?.into_set();
    let keyboard = Keyboard::parse(p.get("KEYBOARD"), None)?.into_set();
    let menu = Menu::parse(p.get("MENU"), None)?.into_set();
    if text.is_empty() && attach.is_none() {
        return Err(Error::api(ErrorCode::MESSAGE_EMPTY, "Message can't be empty"));
    }
    let uuid = p
        .get("TEMPLATE_ID")
        .and_then(scalar_string)
        .map(|s| s.trim().chars().take(255).collect::<String>())
        .filter(|s| !s.is_empty());
    let is_system = flag(&p, "SYSTEM", false);
    if is_system && matches!(dialog, DialogId::Chat(_)) {
        if let CallerKind::OAuth { app_id, .. } = &ctx.caller.kind {
            if let Some(app) = apps::by_id(&ctx.state.store, *app_id).await? {
                text = format!("[b]{}[/b]\n{text}", app.name);
            }
        }
    }
    let mut params = Map::new();
    if let Some(a) = attach {
        params.insert("ATTACH".into(), a.to_value());
    }
    if let Some(k) = keyboard {
        params.insert("KEYBOARD".into(), k.to_value());
    }
    if let Some(m) = menu {
        params.insert("MENU".into(), m.to_value());
    }
    let author = me(ctx).await?;
    let post = Post {
        text,
        params,
        is_system,
        url_preview: flag(&p, "URL_PREVIEW", true),
        reply_id: positive(&p, "REPLY_ID").map(MessageId),
        uuid,
    };
    let (_, id) = messenger::post(&ctx.state, &author, dialog, post).await?;
    Ok(Value::from(id.0).into())
}
