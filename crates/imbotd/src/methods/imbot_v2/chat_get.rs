//! `imbot.v2.Chat.get` — a chat the bot takes part in, group (`chat{id}`) or private (`{userId}`); `{chat}`
//! (docs/v2.md §3.2). Not a participant → `ACCESS_DENIED`.

use super::{bot_call, bot_chat, chat_entity, obj, v2_spec};
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use imbot_wire::v2::requests::DialogRequest;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.get", "imbot.v2__chats__chat-get", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = DialogRequest::parse(&obj(&p))?;
    let bc = bot_chat(ctx, &c, r.dialog_id).await?;
    let entity = chat_entity(ctx, &bc.chat, c.bot.id, false).await?;
    Ok(imbot_wire::v2::results::chat_get(&entity).into())
}
