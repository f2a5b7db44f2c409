//! `imbot.message.add` — post as a bot; `result` is the message id (int).
//!
//! `BOT_ID` defaults to the app's first bot. `DIALOG_ID` (required unless `FROM_USER_ID` + `TO_USER_ID`),
//! `MESSAGE` (required even with ATTACH, SPEC-NOTES §12.13), `ATTACH`, `KEYBOARD` and `MENU` (their COMMAND
//! buttons/items go to this bot), `SYSTEM` (in group chats prefixed with the bot's name), `URL_PREVIEW`.
//! With `FROM_USER_ID` + `TO_USER_ID` the bot sends a private system message from one user to the other.
//! A dialog the bot may not post in → `400 WRONG_REQUEST` "Message isn't added". Bot messages never trigger
//! commands or bot events.

use super::{bot, bot_user, owner};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger::{self, render, Post};
use crate::methods::im::{flag, positive};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots::Bot;
use imbot_wire::params::scalar_string;
use imbot_wire::rich::{Attach, Keyboard, Menu};
use imbot_wire::{DialogId, ErrorCode, Params};
use serde_json::{Map, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.message.add",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__messages__imbot-message-add.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// `MESSAGE`, `ATTACH`, `KEYBOARD`, `MENU`, `SYSTEM`, `URL_PREVIEW` of a bot message, parsed.
pub fn bot_post(p: &Params, bot: &Bot) -> Result<Post, Error> {
    let text = match p.get("MESSAGE") {
        None | Some(Value::Null) => String::new(),
        Some(v) => scalar_string(v)
            .ok_or_else(|| Error::api(ErrorCode::MESSAGE_EMPTY, "Message can't be empty"))?
            .trim()
            .to_owned(),
    };
    if text.is_empty() {
        return Err(Error::api(ErrorCode::MESSAGE_EMPTY, "Message can't be empty"));
    }
    let mut params = Map::new();
    if let Some(a) = Attach::parse(p.get("ATTACH"))?.into_set() {
        params.insert("ATTACH".into(), a.to_value());
    }
    if let Some(k) = Keyboard::parse(p.get("KEYBOARD"), Some(bot.id.0))?.into_set() {
        params.insert("KEYBOARD".into(), k.to_value());
    }
    if let Some(m) = Menu::parse(p.get("MENU"), Some(bot.id.0))?.into_set() {
        params.insert("MENU".into(), m.to_value());
    }
    Ok(Post {
        text,
        params,
        is_system: flag(p, "SYSTEM", false),
        url_preview: flag(p, "URL_PREVIEW", true),
        reply_id: None,
        uuid: None,
    })
}

/// A messenger refusal becomes Bitrix's `WRONG_REQUEST` for bot methods.
pub fn not_added(e: Error) -> Error {
    match e {
        Error::Api(a) if a.status == 403 || a.code == "USER_NOT_FOUND" || a.code == "CHAT_ID_EMPTY" => {
            Error::api(ErrorCode::WRONG_REQUEST, format!("Message isn't added: {}", a.description))
        }
        other => other,
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let b = bot(ctx, &p, &app, false).await?;
    let mut post = bot_post(&p, &b)?;
    let me = bot_user(ctx, &b).await?;
    let state = &ctx.state;
    if let (Some(from), Some(to)) = (positive(&p, "FROM_USER_ID"), positive(&p, "TO_USER_ID")) {
        let from = messenger::active_user(state, UserId(from)).await.map_err(not_added)?;
        post.is_system = true;
        post.text = format!("Message from bot [USER={}]{}[/USER][BR]{}", b.id, render::full_name(&me), post.text);
        let (_, id) = messenger::post(state, &from, DialogId::User(to), post).await.map_err(not_added)?;
        return Ok(Value::from(id.0).into());
    }
    let dialog = p
        .get("DIALOG_ID")
        .and_then(DialogId::from_value)
        .ok_or_else(|| Error::api(ErrorCode::DIALOG_ID_EMPTY, "Dialog ID can't be empty"))?;
    if post.is_system && matches!(dialog, DialogId::Chat(_)) {
        post.text = format!("{}:[br]{}", render::full_name(&me), post.text);
    }
    let (_, id) = messenger::post(state, &me, dialog, post).await.map_err(not_added)?;
    Ok(Value::from(id.0).into())
}
