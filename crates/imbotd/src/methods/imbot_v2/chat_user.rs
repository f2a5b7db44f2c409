//! `imbot.v2.Chat.User.add` / `.delete` / `.list` — the participants of a group chat, managed by a bot that
//! administers it (owner or manager) (docs/v2.md §3.2). `add` skips unknown, inactive and present users;
//! `delete` of a non-participant is `true` (idempotent); `list` is a bare array of User, `order` by `id` (order
//! of joining), `userId` or `lastSendMessageId`, at most `limit` (1–200, default 50).

use super::{bot_call, bot_chat, bot_group_chat, is_admin, obj, refused, users_of};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, Output};
use crate::store::chats;
use imbot_wire::v2::enums::{ChatUserOrderField, SortDirection};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::{ChatUserList, ChatUserRequest, ChatUsersRequest};
use imbot_wire::Params;

super::v2_variant!(
    mod add("imbot.v2.chat.user.add", "imbot.v2__chats__chat-user-add")
    |ctx, p| super::add(ctx, p)
);

super::v2_variant!(
    mod delete("imbot.v2.chat.user.delete", "imbot.v2__chats__chat-user-delete")
    |ctx, p| super::delete(ctx, p)
);

super::v2_variant!(
    mod list("imbot.v2.chat.user.list", "imbot.v2__chats__chat-user-list")
    |ctx, p| super::list(ctx, p)
);

fn not_admin() -> Error {
    Error::api(errors::ACCESS_DENIED, "The bot is not an administrator of the chat")
}

async fn add(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = ChatUsersRequest::parse(&obj(&p))?;
    let bc = bot_group_chat(ctx, &c, r.dialog_id).await?;
    if !is_admin(&bc.member) {
        return Err(not_admin());
    }
    let ids: Vec<UserId> = r.user_ids.iter().map(|u| UserId(*u)).collect();
    messenger::add_users(&ctx.state, &c.me, bc.chat.id, &ids, false).await.map_err(refused)?;
    Ok(imbot_wire::v2::results::ok().into())
}

async fn delete(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = ChatUserRequest::parse(&obj(&p))?;
    let bc = bot_group_chat(ctx, &c, r.dialog_id).await?;
    if !is_admin(&bc.member) {
        return Err(not_admin());
    }
    let target = UserId(r.user_id);
    if chats::member(&ctx.state.store, bc.chat.id, target).await?.is_none() {
        return Ok(imbot_wire::v2::results::ok().into());
    }
    messenger::remove_user(&ctx.state, &c.me, bc.chat.id, target).await.map_err(refused)?;
    Ok(imbot_wire::v2::results::ok().into())
}

async fn list(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = ChatUserList::parse(&obj(&p))?;
    let bc = bot_chat(ctx, &c, r.dialog_id).await?;
    let store = &ctx.state.store;
    // Members in order of joining: the `id` of their membership.
    let mut members: Vec<UserId> = chats::members(store, bc.chat.id).await?.into_iter().map(|m| m.user_id).collect();
    match r.order.0 {
        ChatUserOrderField::Id => {}
        ChatUserOrderField::UserId => members.sort(),
        ChatUserOrderField::LastSendMessageId => {
            let last = chats::last_message_by_author(store, bc.chat.id).await?;
            let last = |u: &UserId| last.iter().find(|(a, _)| a == u).map(|(_, id)| *id).unwrap_or(0);
            members.sort_by_key(|u| (last(u), u.0));
        }
    }
    if r.order.1 == SortDirection::Desc {
        members.reverse();
    }
    members.truncate(r.limit.max(0) as usize);
    Ok(imbot_wire::v2::results::chat_user_list(&users_of(ctx, &members).await?).into())
}
