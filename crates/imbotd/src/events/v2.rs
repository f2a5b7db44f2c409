//! Events of bots registered through the v2 API (`ONIMBOTV2*`, docs/v2.md §5).
//!
//! The selection is v1's (`events/mod.rs` decides which bots a change concerns); a bot registered with v2
//! gets each event in the v2 format instead, one per bot (v1 groups an app's bots in one event), through the
//! one durable outbox:
//! * **fetch** mode — an outbox row in status `fetch` holding the event's fetch form (the extended Bot object,
//!   a snapshot taken now), handed out and acknowledged by `imbot.v2.Event.get` (`store::outbox::fetch`);
//! * **webhook** mode — a normal outbox row to the bot's `webhookUrl`, holding the webhook form without tokens
//!   (`{bot: {id, code}, …}`); the worker adds the bot's fresh tokens under `bot.auth` and the top-level
//!   `{domain, application_token}` when it sends (`delivery::v2_body`), with retries, signatures and the log of
//!   every event.

use crate::app::AppState;
use crate::domain::{ChatId, UserId};
use crate::error::Error;
use crate::messenger::render_v2;
use crate::store::bots::{self, Bot};
use crate::store::chats::{self, Chat, ChatType};
use crate::store::messages::Message;
use crate::store::outbox::{self, NewEvent};
use crate::store::users::User;
use crate::store::Tx;
use imbot_wire::v2::entities as e;
use imbot_wire::v2::events::{BotEvent, EventData, WebhookBot};
use imbot_wire::v2::CommandCall;

/// The `event_handler_id` of a v2 bot's subscription to `event` (one per bot and event, stable).
pub fn handler_id(bot: UserId, event: BotEvent) -> i64 {
    let ordinal = BotEvent::ALL.iter().position(|e| *e == event).unwrap_or(0) as i64 + 1;
    bot.0 * 100 + ordinal
}

/// The chat of an event as the bot sees it.
pub async fn chat_for_bot(tx: &mut Tx, state: &AppState, chat: &Chat, bot: UserId) -> Result<e::Chat, Error> {
    let partner =
        if chat.kind == ChatType::Private { chats::private_partner_tx(tx, chat.id, bot).await? } else { None };
    let member = chats::member_tx(tx, chat.id, bot).await?;
    let user_counter = bots::member_count_tx(tx, chat.id).await?;
    let view = render_v2::ChatView {
        chat,
        dialog_id: render_v2::dialog_id(chat, partner),
        member: member.as_ref(),
        user_counter,
        managers: &[],
    };
    Ok(render_v2::chat(&view, state.config.timezone))
}

/// Queue `event` with `data` for `bot` in its mode. `chat` orders webhook deliveries (FIFO per bot and chat).
pub async fn emit(
    tx: &mut Tx,
    state: &AppState,
    bot: &Bot,
    event: BotEvent,
    data: EventData,
    chat: ChatId,
) -> Result<(), Error> {
    let now = state.clock.unix();
    if bot.v2.event_mode == "webhook" {
        if bot.v2.webhook_url.is_empty() {
            return Ok(());
        }
        let form = data.for_webhook(&WebhookBot { id: bot.id.0, code: &bot.code, auth: None });
        let e = NewEvent {
            app_id: bot.app_id,
            event: event.name(),
            fifo_key: format!("{}|{}", bot.v2.webhook_url, chat.0),
            handler_url: bot.v2.webhook_url.clone(),
            data: form,
            // The tokens under `bot.auth` are the bot's own (docs/v2.md §5.2).
            auth_user: bot.id,
            with_refresh: false,
            handler_id: Some(handler_id(bot.id, event)),
        };
        outbox::enqueue(tx, &e, now).await?;
    } else {
        let counts = bots::counts(&state.store, bot.id).await?;
        let entity = render_v2::bot(bot, counts, state.default_language());
        let fetch = data.for_fetch(Some(&entity));
        outbox::enqueue_fetch(tx, bot.app_id, event.name(), bot.id, &fetch, now).await?;
    }
    Ok(())
}

/// ONIMBOTV2MESSAGEADD / MESSAGEUPDATE for `bot`.
pub async fn message(
    tx: &mut Tx,
    state: &AppState,
    bot: &Bot,
    event: BotEvent,
    chat: &Chat,
    m: &Message,
    author: &User,
) -> Result<(), Error> {
    let tz = state.config.timezone;
    let c = chat_for_bot(tx, state, chat, bot.id).await?;
    let msg = render_v2::message(m, &[], false, tz);
    let data = EventData::message(&msg, &c, &render_v2::user(author, tz), state.default_language());
    emit(tx, state, bot, event, data, chat.id).await
}

/// ONIMBOTV2MESSAGEDELETE for `bot`.
pub async fn message_deleted(
    tx: &mut Tx,
    state: &AppState,
    bot: &Bot,
    chat: &Chat,
    message_id: i64,
    author: &User,
) -> Result<(), Error> {
    let tz = state.config.timezone;
    let c = chat_for_bot(tx, state, chat, bot.id).await?;
    let data = EventData::message_delete(message_id, &c, &render_v2::user(author, tz), state.default_language());
    emit(tx, state, bot, BotEvent::MessageDelete, data, chat.id).await
}

/// ONIMBOTV2COMMANDADD for one command of `bot`.
#[allow(clippy::too_many_arguments)]
pub async fn command(
    tx: &mut Tx,
    state: &AppState,
    bot: &Bot,
    call: &CommandCall,
    chat: &Chat,
    m: &Message,
    invoker: &User,
) -> Result<(), Error> {
    let tz = state.config.timezone;
    let c = chat_for_bot(tx, state, chat, bot.id).await?;
    let msg = render_v2::message(m, &[], false, tz);
    let data = EventData::command_add(call, &msg, &c, &render_v2::user(invoker, tz), state.default_language());
    emit(tx, state, bot, BotEvent::CommandAdd, data, chat.id).await
}

/// ONIMBOTV2JOINCHAT: `bot` joined `chat` (added by `by`, or `by` opened a private dialog with it).
pub async fn joined(tx: &mut Tx, state: &AppState, bot: &Bot, chat: &Chat, by: &User) -> Result<(), Error> {
    let tz = state.config.timezone;
    let c = chat_for_bot(tx, state, chat, bot.id).await?;
    let data = EventData::join_chat(&c.dialog_id, &c, &render_v2::user(by, tz), state.default_language());
    emit(tx, state, bot, BotEvent::JoinChat, data, chat.id).await
}

/// ONIMBOTV2DELETE: the last event the bot receives.
pub async fn deleted(tx: &mut Tx, state: &AppState, bot: &Bot) -> Result<(), Error> {
    emit(tx, state, bot, BotEvent::Delete, EventData::delete(), ChatId(0)).await
}

/// ONIMBOTV2REACTIONCHANGE: `user` changed a reaction on `m`, a message of `bot` (docs/v2.md §9 B16).
#[allow(clippy::too_many_arguments)]
pub async fn reaction(
    tx: &mut Tx,
    state: &AppState,
    bot: &Bot,
    chat: &Chat,
    m: &Message,
    reaction: imbot_wire::v2::enums::Reaction,
    action: imbot_wire::v2::enums::ReactionAction,
    user: &User,
) -> Result<(), Error> {
    let tz = state.config.timezone;
    let c = chat_for_bot(tx, state, chat, bot.id).await?;
    let likes = crate::store::messages::likes_tx(tx, m.id).await?;
    let msg = render_v2::message(m, &likes, false, tz);
    let data =
        EventData::reaction_change(reaction, action, &msg, &c, &render_v2::user(user, tz), state.default_language());
    emit(tx, state, bot, BotEvent::ReactionChange, data, chat.id).await
}

/// ONIMBOTV2CONTEXTGET: `user` opened the private dialog with `bot` carrying `context`.
pub async fn context(
    tx: &mut Tx,
    state: &AppState,
    bot: &Bot,
    chat: &Chat,
    user: &User,
    context: serde_json::Map<String, serde_json::Value>,
) -> Result<(), Error> {
    let tz = state.config.timezone;
    let c = chat_for_bot(tx, state, chat, bot.id).await?;
    let data = EventData::context_get(&c.dialog_id, &context, &c, &render_v2::user(user, tz), state.default_language());
    emit(tx, state, bot, BotEvent::ContextGet, data, chat.id).await
}
