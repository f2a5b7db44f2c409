//! `imbot.v2.Bot.unregister` — delete a bot: it gets ONIMBOTV2DELETE (its last event), then its commands,
//! memberships and row go; its messages stay under its name. `{"result": true}` (docs/v2.md §3.1).

use super::{bot_call, obj, v2_spec};
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use crate::store::bots;
use imbot_wire::Params;

v2_spec!("imbot.v2.bot.unregister", "imbot.v2__bots__bot-unregister", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let state = &ctx.state;
    let mut tx = state.store.begin().await?;
    crate::events::bot_deleted(&mut tx, state, &c.bot, ctx.caller.user_id).await?;
    bots::delete(&mut tx, c.bot.id).await?;
    crate::messenger::commit(state, tx).await?;
    Ok(imbot_wire::v2::results::ok().into())
}
