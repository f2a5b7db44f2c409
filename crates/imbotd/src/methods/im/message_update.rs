//! `im.message.update` — edit the caller's own message within the edit window; `true`.
//!
//! `MESSAGE` absent leaves the text, empty deletes the message (as `im.message.delete`). `ATTACH`, `KEYBOARD`,
//! `MENU`: absent leaves them, `"N"`/empty removes them, a value replaces them. `IS_EDITED` (default `Y`) marks an
//! attachment change as an edit; a text change is always marked. The menu's parse error is reported as
//! `menu_ERROR`, spelled as the doc page spells it.

use super::message_add::message_text;
use super::{flag, me, message_id};
use crate::error::Error;
use crate::messenger::{self, Edit};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::rich::{Attach, Keyboard, Menu};
use imbot_wire::{ApiError, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.message.update",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-message-update.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

fn menu_error(e: ApiError) -> Error {
    if e.code == "MENU_ERROR" {
        Error::Api(ApiError { code: "menu_ERROR".into(), ..e })
    } else {
        Error::Api(e)
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let id = message_id(&p)?;
    let text = message_text(&p)?;
    let attach = Attach::parse(p.get("ATTACH"))?.into_update();
    let keyboard = Keyboard::parse(p.get("KEYBOARD"), None)?.into_update();
    let menu = Menu::parse(p.get("MENU"), None).map_err(menu_error)?.into_update();
    let mut params = Vec::new();
    let attach_changed = attach.is_some();
    if let Some(a) = attach {
        params.push(("ATTACH".to_owned(), a.map(|a| a.to_value())));
    }
    if let Some(k) = keyboard {
        params.push(("KEYBOARD".to_owned(), k.map(|k| k.to_value())));
    }
    if let Some(m) = menu {
        params.push(("MENU".to_owned(), m.map(|m| m.to_value())));
    }
    let url_preview = p.contains("URL_PREVIEW").then(|| flag(&p, "URL_PREVIEW", true));
    let edit = Edit { text, params, url_preview, mark_edited: attach_changed && flag(&p, "IS_EDITED", true) };
    let user = me(ctx).await?;
    messenger::edit(&ctx.state, &user, id, edit).await?;
    Ok(Value::Bool(true).into())
}
