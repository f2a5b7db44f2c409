//! `imbot.v2.Chat.setOwner` — the owning bot hands a group chat to another participant (a non-participant is
//! `ACCESS_DENIED`, §9 C16); the bot stays, as a manager; `{"result": true}` (docs/v2.md §3.2).

use super::{bot_call, bot_group_chat, obj, refused, v2_spec};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger::{self, ChatChange};
use crate::methods::{CallCtx, Output};
use crate::store::chats::{self, Role};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::ChatUserRequest;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.setowner", "imbot.v2__chats__chat-set-owner", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = ChatUserRequest::parse(&obj(&p))?;
    let bc = bot_group_chat(ctx, &c, r.dialog_id).await?;
    if bc.member.role != Role::Owner {
        return Err(Error::api(errors::ACCESS_DENIED, "Only the current owner of the chat can transfer ownership"));
    }
    let target = UserId(r.user_id);
    if target == c.bot.id {
        return Ok(imbot_wire::v2::results::ok().into());
    }
    if chats::member(&ctx.state.store, bc.chat.id, target).await?.is_none() {
        return Err(Error::api(errors::ACCESS_DENIED, "The new owner is not a participant in the chat"));
    }
    messenger::change_chat(&ctx.state, &c.me, bc.chat.id, ChatChange::Owner(target)).await.map_err(refused)?;
    Ok(imbot_wire::v2::results::ok().into())
}
