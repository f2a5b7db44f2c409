//! `im.message.command` — run a bot command in the context of a message, as pressing a keyboard button or
//! choosing a menu item does; `true`. The caller must be able to read the message. The bot's handler gets
//! `ONIMCOMMANDADD` with `COMMAND_CONTEXT` `KEYBOARD` (or `MENU` when the command comes from the message's
//! menu), `MESSAGE_ID` = the message with the button and `COMMAND_PARAMS` as given.

use super::{me, positive};
use crate::domain::{MessageId, UserId};
use crate::error::Error;
use crate::events::CommandContext;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::{bots, messages};
use imbot_wire::params::scalar_string;
use imbot_wire::rich::{Keyboard, Menu};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.message.command",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-message-command.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let mid = positive(&p, "MESSAGE_ID")
        .ok_or_else(|| Error::api(ErrorCode::MESSAGE_ID_ERROR, "Message ID can't be empty"))?;
    let bot_id = positive(&p, "BOT_ID").ok_or_else(|| Error::api(ErrorCode::BOT_ID_ERROR, "Bot ID can't be empty"))?;
    let name = p
        .get("COMMAND")
        .and_then(scalar_string)
        .map(|s| s.trim().trim_start_matches('/').trim().to_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::api(ErrorCode::COMMAND_ERROR, "Command can't be empty"))?;
    let params = match p.get("COMMAND_PARAMS") {
        None | Some(Value::Null) => String::new(),
        Some(v) => {
            scalar_string(v).ok_or_else(|| Error::api(ErrorCode::PARAMS_ERROR, "Command params must be a string"))?
        }
    };
    let state = &ctx.state;
    let user = me(ctx).await?;
    let message = messages::get(&state.store, MessageId(mid))
        .await?
        .filter(|m| !m.deleted)
        .ok_or_else(|| Error::api(ErrorCode::MESSAGE_ID_ERROR, "Message ID can't be empty"))?;
    let bot = bots::get(&state.store, UserId(bot_id))
        .await?
        .ok_or_else(|| Error::api(ErrorCode::BOT_ID_ERROR, "Bot not found"))?;
    let command = bots::commands_of(&state.store, bot.id)
        .await?
        .into_iter()
        .find(|c| c.command == name)
        .ok_or_else(|| Error::api(ErrorCode::COMMAND_ERROR, "Command not found"))?;
    let in_keyboard = message.params.get("KEYBOARD").and_then(Keyboard::from_stored).is_some_and(|k| {
        k.buttons().any(|b| b.bot_id == bot.id.0 && b.action.command().is_some_and(|(c, _)| c == name))
    });
    let in_menu = message.params.get("MENU").and_then(Menu::from_stored).is_some_and(|m| {
        m.items.iter().any(|i| i.bot_id == bot.id.0 && i.action.command().is_some_and(|(c, _)| c == name))
    });
    let context = if !in_keyboard && in_menu { CommandContext::Menu } else { CommandContext::Keyboard };
    messenger::command_on_message(state, &user, &message, &bot, &command, &params, context).await?;
    Ok(Value::Bool(true).into())
}
