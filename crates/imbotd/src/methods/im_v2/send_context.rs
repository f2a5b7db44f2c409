//! `im.v2.Chat.Bot.sendContext` — what the web client sends after opening a bot's dialog from a link with
//! `BOT_CONTEXT` (imbot.v2 bot-context page): the private dialog with the bot (`dialogId` = the bot's id) is
//! opened for the calling user and a v2 bot gets ONIMBOTV2CONTEXTGET with `context`; answers a bare `true`
//! (docs/v2.md §9 C19). A `dialogId` that is not an active bot is `ACCESS_DENIED`.

use super::{im_v2_spec, refuse_session};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger;
use crate::methods::imbot_v2::obj;
use crate::methods::{CallCtx, Output};
use crate::store::{bots, users};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::SendContext;
use imbot_wire::{DialogId, Params};

im_v2_spec!("im.v2.chat.bot.sendcontext", "imbot.v2__bot-context", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    refuse_session(ctx)?;
    let r = SendContext::parse(&obj(&p))?;
    let state = &ctx.state;
    let not_a_bot = || Error::api(errors::ACCESS_DENIED, "dialogId must be the private dialog with a bot");
    let DialogId::User(id) = r.dialog_id else { return Err(not_a_bot()) };
    let bot = bots::get(&state.store, UserId(id)).await?.ok_or_else(not_a_bot)?;
    let bot_user = users::get(&state.store, bot.id).await?.filter(|u| u.active).ok_or_else(not_a_bot)?;
    let me = messenger::active_user(state, ctx.caller.user_id).await?;
    messenger::send_bot_context(state, &me, &bot, &bot_user, r.context).await?;
    Ok(imbot_wire::v2::results::bare_true().into())
}
