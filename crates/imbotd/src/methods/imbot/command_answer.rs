//! `imbot.command.answer` — answer a command in the dialog of the message that carried it; `result` is the new
//! message id (int).
//!
//! The command is `COMMAND_ID`, or `COMMAND` by name among the app's bots (narrowed by `BOT_ID`). The answer
//! may be posted for 10 minutes after the command fired in that chat (prolonged by each new command); after
//! that nothing is posted and the result is `true` (SPEC-NOTES §12.20) — except in the bot's own private
//! dialog. A bot that is not a member of the chat (a COMMON command) answers with a system message prefixed
//! "Bot … answered:". `MESSAGE` is required; `ATTACH`, `KEYBOARD`, `MENU` (buttons go to this bot), `SYSTEM`,
//! `URL_PREVIEW` as in `imbot.message.add`.

use super::command_update::owned_command;
use super::message_add::{bot_post, not_added};
use super::{bot_user, owner};
use crate::domain::{MessageId, UserId};
use crate::error::Error;
use crate::messenger::{self, render};
use crate::methods::im::positive;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats::{self, ChatType};
use crate::store::{bots, messages};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.command.answer",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__commands__imbot-command-answer.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let state = &ctx.state;
    let command = if p.contains("COMMAND_ID") {
        owned_command(ctx, &p, &app).await?
    } else {
        let name = super::command_register::command_name(&p)
            .ok_or_else(|| Error::api(ErrorCode::COMMAND_ID_ERROR, "Command not found"))?;
        let wanted_bot = positive(&p, "BOT_ID").map(UserId);
        let mut found = None;
        for b in bots::of_app(&state.store, app.id).await? {
            if wanted_bot.is_some_and(|w| w != b.id) {
                continue;
            }
            if let Some(c) = bots::commands_of(&state.store, b.id).await?.into_iter().find(|c| c.command == name) {
                found = Some(c);
                break;
            }
        }
        found.ok_or_else(|| Error::api(ErrorCode::COMMAND_ID_ERROR, "Command not found"))?
    };
    let mid = positive(&p, "MESSAGE_ID")
        .ok_or_else(|| Error::api(ErrorCode::MESSAGE_ID_EMPTY, "Message ID can't be empty"))?;
    let bot = bots::get(&state.store, command.bot_id)
        .await?
        .ok_or_else(|| Error::api(ErrorCode::COMMAND_ID_ERROR, "Command not found"))?;
    let mut post = bot_post(&p, &bot)?;
    let message = messages::get(&state.store, MessageId(mid))
        .await?
        .ok_or_else(|| Error::api(ErrorCode::MESSAGE_ID_EMPTY, "Message ID can't be empty: no such message"))?;
    let chat = chats::get(&state.store, message.chat_id)
        .await?
        .ok_or_else(|| Error::Internal("message without chat".into()))?;
    let me = bot_user(ctx, &bot).await?;
    let member = chats::member(&state.store, chat.id, bot.id).await?;
    let own_private = chat.kind == ChatType::Private && member.is_some();
    if !own_private && !bots::has_grant(&state.store, bot.id, chat.id, state.clock.unix()).await? {
        // The answer window is closed: Bitrix answers `true` and posts nothing.
        return Ok(Value::Bool(true).into());
    }
    let id = if member.is_some() {
        let dialog = messenger::dialog_of(state, &chat, bot.id).await?;
        messenger::post(state, &me, dialog, post).await.map_err(not_added)?.1
    } else {
        post.is_system = true;
        post.text = format!("Bot [USER={}]{}[/USER] answered:[BR]{}", bot.id, render::full_name(&me), post.text);
        messenger::post_unchecked(state, &me, chat.id, post).await?
    };
    Ok(Value::from(id.0).into())
}
