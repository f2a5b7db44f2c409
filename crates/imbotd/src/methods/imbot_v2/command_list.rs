//! `imbot.v2.Command.list` — the bot's commands (also those registered through v1), titles in the portal's
//! language with English as fallback, `category` the bot's name; `{commands}` (docs/v2.md §3.4).

use super::command_register::entity;
use super::{bot_call, obj, v2_spec};
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use crate::store::bots;
use imbot_wire::Params;

v2_spec!("imbot.v2.command.list", "imbot.v2__commands__command-list", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let lang = ctx.state.default_language();
    let list: Vec<_> =
        bots::commands_of(&ctx.state.store, c.bot.id).await?.iter().map(|x| entity(x, &c.bot.name, lang)).collect();
    Ok(imbot_wire::v2::results::command_list(&list).into())
}
