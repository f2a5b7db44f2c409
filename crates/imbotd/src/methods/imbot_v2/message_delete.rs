//! `imbot.v2.Chat.Message.delete` — delete the bot's own message, or any message of a chat where the bot is a
//! manager; `{"result": true}` (docs/v2.md §3.3). `complete` is accepted; the message always stays in history
//! as "This message was deleted." (v1's rule, compat MS-level), so history ids stay dense.

use super::message_send::as_denied;
use super::{bot_call, obj, v2_spec};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, Output};
use imbot_wire::v2::requests::MessageDelete;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.message.delete", "imbot.v2__messages__chat-message-delete", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = MessageDelete::parse(&obj(&p))?;
    messenger::delete(&ctx.state, &c.me, MessageId(r.message_id)).await.map_err(as_denied)?;
    Ok(imbot_wire::v2::results::ok().into())
}
