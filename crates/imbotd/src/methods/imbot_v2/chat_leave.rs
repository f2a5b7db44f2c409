//! `imbot.v2.Chat.leave` — the bot leaves a group chat; `{"result": true}` (docs/v2.md §3.2). An owner may
//! leave: the chat passes to its longest-standing member (§9 C15).

use super::{bot_call, bot_group_chat, obj, refused, v2_spec};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, Output};
use imbot_wire::v2::requests::DialogRequest;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.leave", "imbot.v2__chats__chat-leave", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = DialogRequest::parse(&obj(&p))?;
    let bc = bot_group_chat(ctx, &c, r.dialog_id).await?;
    messenger::remove_user(&ctx.state, &c.me, bc.chat.id, c.bot.id).await.map_err(refused)?;
    Ok(imbot_wire::v2::results::ok().into())
}
