//! `imbot.v2.Command.unregister` — delete a command of the bot; `{"result": true}` (docs/v2.md §3.4).

use super::command_update::own_command;
use super::{bot_call, obj, v2_spec};
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use crate::store::bots;
use imbot_wire::v2::requests::CommandRef;
use imbot_wire::Params;

v2_spec!("imbot.v2.command.unregister", "imbot.v2__commands__command-unregister", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = CommandRef::parse(&obj(&p))?;
    let cmd = own_command(ctx, &c.bot, r.command_id).await?;
    bots::delete_command(&ctx.state.store, cmd.id).await?;
    Ok(imbot_wire::v2::results::ok().into())
}
