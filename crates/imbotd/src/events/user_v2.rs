//! Events of subscribed users (`ONIMV2*`, `im.v2.Event.subscribe`, docs/v2.md §3.7, §5).
//!
//! A user who subscribed has the events of every chat they are a member of recorded — new, edited and deleted
//! messages (their own and bots' included; the system notices of joins and leaves are not messages here),
//! reactions, and new participants — as `fetch` rows of the outbox whose `fetch_bot_id` is the user (user and
//! bot ids never coincide), in the change's own transaction. `im.v2.Event.get`, or `imbot.v2.Event.get` with
//! `withUserEvents`, hands them out and acknowledges them by offset; what is not acknowledged expires after the
//! fetch retention (24 h), as the page documents. One queue per user, whichever app subscribed (§9 B15).
//!
//! Failure modes: only store errors, which fail the change's transaction with it (nothing half-recorded).

use crate::app::AppState;
use crate::error::Error;
use crate::messenger::render_v2;
use crate::store::chats::{self, Chat, ChatType};
use crate::store::messages::Message;
use crate::store::outbox;
use crate::store::users::User;
use crate::store::Tx;
use imbot_wire::v2::enums::{Reaction, ReactionAction};
use imbot_wire::v2::events::{EventData, UserEvent};

/// The subscribed members of `chat` (with their apps): one query per change, and the change costs nothing more
/// when there are none (the usual case: every post of the process passes here).
type Subscribers = Vec<(crate::domain::UserId, crate::domain::AppId)>;

async fn subscribers(tx: &mut Tx, state: &AppState, chat: &Chat) -> Result<Subscribers, Error> {
    if !crate::store::subscriptions::may_exist(&state.store) {
        return Ok(Vec::new());
    }
    Ok(crate::store::subscriptions::in_chat_tx(tx, chat.id).await?)
}

/// Record, for each of `subs`, the event `build` makes for them (the chat as they see it).
async fn record<F>(
    tx: &mut Tx,
    state: &AppState,
    chat: &Chat,
    subs: Subscribers,
    event: UserEvent,
    build: F,
) -> Result<(), Error>
where
    F: Fn(&imbot_wire::v2::entities::Chat, &str) -> EventData,
{
    let now = state.clock.unix();
    let tz = state.config.timezone;
    let language = state.default_language();
    let counter = crate::store::bots::member_count_tx(tx, chat.id).await?;
    for (user, app) in subs {
        let partner =
            if chat.kind == ChatType::Private { chats::private_partner_tx(tx, chat.id, user).await? } else { None };
        let member = chats::member_tx(tx, chat.id, user).await?;
        let view = render_v2::ChatView {
            chat,
            dialog_id: render_v2::dialog_id(chat, partner),
            member: member.as_ref(),
            user_counter: counter,
            managers: &[],
        };
        let c = render_v2::chat(&view, tz);
        let data = build(&c, language).for_fetch(None);
        outbox::enqueue_fetch(tx, app, event.name(), user, &data, now).await?;
    }
    Ok(())
}

/// ONIMV2MESSAGEADD / ONIMV2MESSAGEUPDATE of message `id` (as stored now) by `author`.
pub async fn message(
    tx: &mut Tx,
    state: &AppState,
    event: UserEvent,
    chat: &Chat,
    id: crate::domain::MessageId,
    author: &User,
) -> Result<(), Error> {
    let subs = subscribers(tx, state, chat).await?;
    if subs.is_empty() {
        return Ok(());
    }
    let Some(m) = crate::store::messages::get_tx(tx, id).await? else { return Ok(()) };
    let tz = state.config.timezone;
    let likes = crate::store::messages::likes_tx(tx, m.id).await?;
    let msg = render_v2::message(&m, &likes, false, tz);
    let who = render_v2::user(author, tz);
    record(tx, state, chat, subs, event, |c, lang| EventData::message(&msg, c, &who, lang)).await
}

/// ONIMV2MESSAGEDELETE of message `id` by `author`.
pub async fn message_deleted(tx: &mut Tx, state: &AppState, chat: &Chat, id: i64, author: &User) -> Result<(), Error> {
    let subs = subscribers(tx, state, chat).await?;
    if subs.is_empty() {
        return Ok(());
    }
    let who = render_v2::user(author, state.config.timezone);
    record(tx, state, chat, subs, UserEvent::MessageDelete, |c, lang| EventData::message_delete(id, c, &who, lang))
        .await
}

/// ONIMV2REACTIONCHANGE: `user` added or removed `reaction` on `m`.
pub async fn reaction(
    tx: &mut Tx,
    state: &AppState,
    chat: &Chat,
    m: &Message,
    reaction: Reaction,
    action: ReactionAction,
    user: &User,
) -> Result<(), Error> {
    let subs = subscribers(tx, state, chat).await?;
    if subs.is_empty() {
        return Ok(());
    }
    let tz = state.config.timezone;
    let likes = crate::store::messages::likes_tx(tx, m.id).await?;
    let msg = render_v2::message(m, &likes, false, tz);
    let who = render_v2::user(user, tz);
    record(tx, state, chat, subs, UserEvent::ReactionChange, |c, lang| {
        EventData::reaction_change(reaction, action, &msg, c, &who, lang)
    })
    .await
}

/// ONIMV2JOINCHAT for each of `users`, just added to `chat`.
pub async fn joined(tx: &mut Tx, state: &AppState, chat: &Chat, users: &[User]) -> Result<(), Error> {
    let subs = subscribers(tx, state, chat).await?;
    if subs.is_empty() {
        return Ok(());
    }
    for user in users {
        let who = render_v2::user(user, state.config.timezone);
        record(tx, state, chat, subs.clone(), UserEvent::JoinChat, |c, lang| {
            EventData::join_chat(&c.dialog_id, c, &who, lang)
        })
        .await?;
    }
    Ok(())
}
