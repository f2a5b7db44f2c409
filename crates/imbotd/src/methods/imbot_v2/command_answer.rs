//! `imbot.v2.Command.answer` — answer a command in the chat of the message that carried it;
//! `{"result": true}` (docs/v2.md §3.4). In a chat the bot is not in, within the command's 10-minute answer
//! window, the answer is a system message naming the bot (as v1); outside it and the bot's own chats, the
//! answer is refused with `COMMAND_ANSWER_FAILED`.

use super::command_update::own_command;
use super::message_send::post_of;
use super::{bot_call, obj, v2_spec};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger::{self, render};
use crate::methods::{CallCtx, Output};
use crate::store::{bots, chats, messages};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::CommandAnswer;
use imbot_wire::Params;

v2_spec!("imbot.v2.command.answer", "imbot.v2__commands__command-answer", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = CommandAnswer::parse(&obj(&p), c.bot.id.0)?;
    let state = &ctx.state;
    let failed = |why: &str| Error::api(errors::COMMAND_ANSWER_FAILED, format!("Command answer failed: {why}"));
    own_command(ctx, &c.bot, r.command_id).await.map_err(|_| failed("no such command of the bot"))?;
    let message =
        messages::get(&state.store, MessageId(r.message_id)).await?.ok_or_else(|| failed("no such message"))?;
    let chat = chats::get(&state.store, message.chat_id).await?.ok_or_else(|| failed("no such chat"))?;
    let mut post = post_of(&r.content);
    let member = chats::member(&state.store, chat.id, c.bot.id).await?;
    if member.is_some() {
        let dialog = messenger::dialog_of(state, &chat, c.bot.id).await?;
        messenger::post(state, &c.me, dialog, post).await.map_err(|e| failed(&e.to_api().description))?;
    } else if bots::has_grant(&state.store, c.bot.id, chat.id, state.clock.unix()).await? {
        post.is_system = true;
        post.text = format!("Bot [USER={}]{}[/USER] answered:[BR]{}", c.bot.id, render::full_name(&c.me), post.text);
        messenger::post_unchecked(state, &c.me, chat.id, post).await?;
    } else {
        return Err(failed("the answer window of this command has closed"));
    }
    Ok(imbot_wire::v2::results::ok().into())
}
