//! `imbot.v2.Bot.get` — a bot by `botId` or `code`, in the extended form for its owner and the brief one for
//! anyone else; `{bot, users}` (docs/v2.md §3.1).

use super::{bot_answer, caller_app, obj, v2_spec};
use crate::domain::UserId;
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use crate::store::bots;
use imbot_wire::v2::errors;
use imbot_wire::v2::params::webhook_token;
use imbot_wire::v2::requests::BotGet;
use imbot_wire::Params;

v2_spec!("imbot.v2.bot.get", "imbot.v2__bots__bot-get", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let o = obj(&p);
    let token = webhook_token(&o, super::auth_kind(ctx)?)?;
    let store = &ctx.state.store;
    let bot = match BotGet::parse(&o)? {
        BotGet::ById(id) => bots::get(store, UserId(id)).await?,
        BotGet::ByCode(code) => bots::by_code(store, &code).await?,
    }
    .ok_or(errors::BOT_NOT_FOUND)?;
    let owner = caller_app(ctx, token.as_deref(), false).await?.is_some_and(|a| a.id == bot.app_id);
    Ok(bot_answer(ctx, &bot, owner).await?.into())
}
