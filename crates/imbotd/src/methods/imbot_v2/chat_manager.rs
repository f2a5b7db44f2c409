//! `imbot.v2.Chat.Manager.add` / `.delete` — the owning bot gives or takes the manager role; users who are not
//! participants (or are the owner) are skipped without an error; `{"result": true}` (docs/v2.md §3.2).

use super::{bot_call, bot_group_chat, obj, refused, BotCall};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger::{self, ChatChange};
use crate::methods::{CallCtx, Output};
use crate::store::chats::{self, Role};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::ChatUsersRequest;
use imbot_wire::Params;

super::v2_variant!(
    mod add("imbot.v2.chat.manager.add", "imbot.v2__chats__chat-manager-add")
    |ctx, p| super::set(ctx, p, true)
);

super::v2_variant!(
    mod delete("imbot.v2.chat.manager.delete", "imbot.v2__chats__chat-manager-delete")
    |ctx, p| super::set(ctx, p, false)
);

async fn set(ctx: &CallCtx, p: Params, on: bool) -> Result<Output, Error> {
    let c: BotCall = bot_call(ctx, &obj(&p)).await?;
    let r = ChatUsersRequest::parse(&obj(&p))?;
    let bc = bot_group_chat(ctx, &c, r.dialog_id).await?;
    if bc.member.role != Role::Owner {
        return Err(Error::api(errors::ACCESS_DENIED, "The bot must be the owner of the chat (owner role required)"));
    }
    for id in r.user_ids.iter().map(|u| UserId(*u)) {
        let Some(m) = chats::member(&ctx.state.store, bc.chat.id, id).await? else { continue };
        if m.role == Role::Owner || (m.role == Role::Manager) == on {
            continue;
        }
        messenger::change_chat(&ctx.state, &c.me, bc.chat.id, ChatChange::Manager(id, on)).await.map_err(refused)?;
    }
    Ok(imbot_wire::v2::results::ok().into())
}
