//! `imbot.v2.Chat.Message.get` and `.getContext` — reading history, for `supervisor` and `personal` bots only
//! (`BOT_TYPE_NOT_ALLOWED` first); a message of a chat the bot is in, from the point its history starts
//! (`MESSAGE_NOT_FOUND` for an unknown or deleted id, `MESSAGE_ACCESS_DENIED` otherwise). `get`: `{message,
//! user}` (its author); `getContext`: the message and up to `range` (1–50) messages on each side, oldest first,
//! their authors, `hasPrevPage`/`hasNextPage` (docs/v2.md §3.3).

use super::{bot_call, obj, BotCall};
use crate::domain::{MessageId, UserId};
use crate::error::Error;
use crate::messenger::render_v2;
use crate::methods::{CallCtx, Output};
use crate::store::chats::{self, Member};
use crate::store::messages::{self, Message, Page};
use crate::store::users;
use imbot_wire::v2::entities as e;
use imbot_wire::v2::enums::BotType;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::MessageLookup;
use imbot_wire::Params;

super::v2_variant!(
    mod get("imbot.v2.chat.message.get", "imbot.v2__messages__chat-message-get")
    |ctx, p| super::get(ctx, p)
);

super::v2_variant!(
    mod context("imbot.v2.chat.message.getcontext", "imbot.v2__messages__chat-message-get-context")
    |ctx, p| super::get_context(ctx, p)
);

/// The message and the bot's membership of its chat, after the type and access checks.
async fn lookup(ctx: &CallCtx, p: &Params) -> Result<(BotCall, MessageLookup, Message, Vec<Member>), Error> {
    let c = bot_call(ctx, &obj(p)).await?;
    if !matches!(render_v2::bot_type(&c.bot), BotType::Supervisor | BotType::Personal) {
        return Err(Error::api(errors::BOT_TYPE_NOT_ALLOWED, "Only supervisor and personal bots can read messages"));
    }
    let r = MessageLookup::parse(&obj(p))?;
    let store = &ctx.state.store;
    let m = messages::get(store, MessageId(r.message_id))
        .await?
        .filter(|m| !m.deleted)
        .ok_or_else(|| Error::api(errors::MESSAGE_NOT_FOUND, "Message not found"))?;
    let members = chats::members(store, m.chat_id).await?;
    let mine = members.iter().find(|mem| mem.user_id == c.bot.id);
    if mine.is_none_or(|mem| m.id < mem.start_id) {
        return Err(Error::api(
            errors::MESSAGE_ACCESS_DENIED,
            "The bot is not a participant in the chat with this message or has no access to its history",
        ));
    }
    Ok((c, r, m, members))
}

/// Render messages with their likes and whether another member has read them.
async fn render(ctx: &CallCtx, list: &[Message], members: &[Member]) -> Result<Vec<e::Message>, Error> {
    let ids: Vec<MessageId> = list.iter().map(|m| m.id).collect();
    let likes = messages::likes_of(&ctx.state.store, &ids).await?;
    let tz = ctx.state.config.timezone;
    Ok(list
        .iter()
        .map(|m| {
            let mine: Vec<UserId> = likes.iter().filter(|(id, _)| *id == m.id).map(|(_, u)| *u).collect();
            let viewed = members.iter().any(|mem| mem.user_id != m.author_id && mem.last_read_id >= m.id);
            render_v2::message(m, &mine, viewed, tz)
        })
        .collect())
}

async fn get(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let (_, _, m, members) = lookup(ctx, &p).await?;
    let msg = render(ctx, std::slice::from_ref(&m), &members).await?.remove(0);
    let author = users::get(&ctx.state.store, render_v2_author(&m)).await?;
    let author = match author {
        Some(u) => super::user_entity(ctx, &u),
        None => system_user(ctx),
    };
    Ok(imbot_wire::v2::results::message_get(&msg, &author).into())
}

async fn get_context(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let (c, r, m, members) = lookup(ctx, &p).await?;
    let store = &ctx.state.store;
    let start = members.iter().find(|mem| mem.user_id == c.bot.id).map(|mem| mem.start_id).unwrap_or(MessageId(0));
    let visible = |list: Vec<Message>| list.into_iter().filter(|m| !m.deleted).collect::<Vec<_>>();
    // One more than asked on each side tells whether a page lies beyond.
    let mut before = visible(messages::page(store, m.chat_id, start, Page::Before(m.id), r.range + 1).await?);
    let mut after = visible(messages::page(store, m.chat_id, start, Page::After(m.id), r.range + 1).await?);
    let has_prev = before.len() as i64 > r.range;
    let has_next = after.len() as i64 > r.range;
    before.truncate(r.range as usize);
    after.truncate(r.range as usize);
    before.reverse();
    let mut list = before;
    list.push(m);
    list.extend(after);
    let rendered = render(ctx, &list, &members).await?;
    let mut authors: Vec<UserId> = Vec::new();
    for m in &list {
        let a = render_v2_author(m);
        if a.0 > 0 && !authors.contains(&a) {
            authors.push(a);
        }
    }
    let users = super::users_of(ctx, &authors).await?;
    Ok(imbot_wire::v2::results::message_context(&rendered, &users, has_prev, has_next).into())
}

/// The author a message shows (0 for system messages).
fn render_v2_author(m: &Message) -> UserId {
    crate::messenger::render::shown_author(m)
}

/// The author of a system message (`authorId` 0): no user of the portal, shown as an empty user with id 0.
fn system_user(ctx: &CallCtx) -> e::User {
    let u = users::User {
        id: UserId(0),
        name: String::new(),
        last_name: String::new(),
        second_name: String::new(),
        email: String::new(),
        gender: String::new(),
        work_position: String::new(),
        language_id: String::new(),
        time_zone: String::new(),
        is_admin: false,
        is_extranet: false,
        is_bot: false,
        active: true,
        date_register: 0,
        last_login: None,
        color: String::new(),
    };
    super::user_entity(ctx, &u)
}
