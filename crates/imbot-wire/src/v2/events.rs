//! v2 events: the `ONIMBOTV2*` bot events and the `ONIMV2*` user events (docs/v2.md §5), their `data` in the
//! documented key order, the `Event.get` queue records, and the webhook body.
//!
//! # `data`
//!
//! [`EventData`] is an event's `data` **without** its `bot` entry, because the bot's shape depends on the
//! delivery mode: the fetch form ([`EventData::for_fetch`]) starts with the full extended Bot object (no
//! tokens); the webhook form ([`EventData::for_webhook`]) starts with `{id, code, auth}`, where `auth` holds the
//! bot's own OAuth tokens for callbacks. Everything else is identical: `message` / `messageId` / `dialogId` /
//! `command` / `reaction` / `action` / `context`, then `chat` and `user` (event forms of the objects), then
//! `language`. User events (`im.v2.Event.get`) have no `bot`.
//!
//! # Webhook body
//!
//! A webhook event is one POST **per bot**, `application/x-www-form-urlencoded`, made by PHP's
//! `http_build_query` of `{event, event_handler_id, data, ts, auth}` — the same envelope as v1, so it is built
//! by [`crate::events::event_body`]. The top-level `auth` is only `{domain, application_token}`
//! ([`WebhookAuth`]); receivers verify that `application_token`, not the one under `data[bot][auth]`. The
//! encoding makes every scalar a string (`true` → `1`, `false` → `0`) and **omits** `null` and empty
//! arrays/objects (`forward: null`, `params: {}`), as PHP does — the docs' "`null` → `""`" is not what
//! `http_build_query` produces (docs/v2.md §9 A2).
//!
//! # `Event.get`
//!
//! The queue hands out [`QueuedEvent`]s `{eventId, type, date, data}`; [`event_get`] wraps them as
//! `{events, nextOffset, hasMore}` and [`next_offset`] is the documented cursor rule. Nothing here fails.

use super::entities::{iso, Bot, BotForm, Chat, CommandCall, Form, Message, User};
use super::enums::{Reaction, ReactionAction};
use crate::events::{event_body, AuthBlock};
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

string_enum! { parse_ci:
    /// Events of a v2 bot (the eight subscriptions the platform manages in webhook mode).
    pub enum BotEvent {
        MessageAdd = "ONIMBOTV2MESSAGEADD",
        MessageUpdate = "ONIMBOTV2MESSAGEUPDATE",
        MessageDelete = "ONIMBOTV2MESSAGEDELETE",
        JoinChat = "ONIMBOTV2JOINCHAT",
        Delete = "ONIMBOTV2DELETE",
        ContextGet = "ONIMBOTV2CONTEXTGET",
        CommandAdd = "ONIMBOTV2COMMANDADD",
        ReactionChange = "ONIMBOTV2REACTIONCHANGE",
    }
}

string_enum! { parse_ci:
    /// Events of a subscribed user (`im.v2.Event.get`, or `imbot.v2.Event.get` with `withUserEvents`).
    pub enum UserEvent {
        MessageAdd = "ONIMV2MESSAGEADD",
        MessageUpdate = "ONIMV2MESSAGEUPDATE",
        MessageDelete = "ONIMV2MESSAGEDELETE",
        ReactionChange = "ONIMV2REACTIONCHANGE",
        JoinChat = "ONIMV2JOINCHAT",
    }
}

impl BotEvent {
    /// The upper-case event name.
    pub fn name(self) -> &'static str {
        self.as_str()
    }
}

impl UserEvent {
    /// The upper-case event name.
    pub fn name(self) -> &'static str {
        self.as_str()
    }
}

/// An event's `data` without `bot`, keys in the documented order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventData {
    map: Map<String, Value>,
}

fn tail(m: &mut Map<String, Value>, chat: &Chat, user: &User, language: &str) {
    m.insert("chat".into(), chat.to_value(Form::Event));
    m.insert("user".into(), user.to_value(Form::Event));
    m.insert("language".into(), language.into());
}

impl EventData {
    /// MESSAGEADD / MESSAGEUPDATE (bot and user events): `message, chat, user, language`; `user` is the
    /// author.
    pub fn message(message: &Message, chat: &Chat, author: &User, language: &str) -> Self {
        let mut m = Map::new();
        m.insert("message".into(), message.to_value(Form::Event));
        tail(&mut m, chat, author, language);
        EventData { map: m }
    }

    /// MESSAGEDELETE: `messageId, chat, user, language`; `user` is the author of the deleted message.
    pub fn message_delete(message_id: i64, chat: &Chat, author: &User, language: &str) -> Self {
        let mut m = Map::new();
        m.insert("messageId".into(), message_id.into());
        tail(&mut m, chat, author, language);
        EventData { map: m }
    }

    /// JOINCHAT: `dialogId, chat, user, language`. For ONIMBOTV2JOINCHAT `user` is who added the bot (or who
    /// opened the private dialog); for ONIMV2JOINCHAT it is the added user.
    pub fn join_chat(dialog_id: &str, chat: &Chat, user: &User, language: &str) -> Self {
        let mut m = Map::new();
        m.insert("dialogId".into(), dialog_id.into());
        tail(&mut m, chat, user, language);
        EventData { map: m }
    }

    /// ONIMBOTV2DELETE: nothing but `bot`.
    pub fn delete() -> Self {
        EventData::default()
    }

    /// ONIMBOTV2CONTEXTGET: `dialogId, context, chat, user, language`.
    pub fn context_get(
        dialog_id: &str,
        context: &Map<String, Value>,
        chat: &Chat,
        user: &User,
        language: &str,
    ) -> Self {
        let mut m = Map::new();
        m.insert("dialogId".into(), dialog_id.into());
        m.insert("context".into(), Value::Object(context.clone()));
        tail(&mut m, chat, user, language);
        EventData { map: m }
    }

    /// ONIMBOTV2COMMANDADD: `command, message, chat, user, language` — one event per command of a message.
    pub fn command_add(command: &CommandCall, message: &Message, chat: &Chat, user: &User, language: &str) -> Self {
        let mut m = Map::new();
        m.insert("command".into(), command.to_value());
        m.insert("message".into(), message.to_value(Form::Event));
        tail(&mut m, chat, user, language);
        EventData { map: m }
    }

    /// REACTIONCHANGE: `reaction, action, message, chat, user, language`; `user` changed the reaction.
    pub fn reaction_change(
        reaction: Reaction,
        action: ReactionAction,
        message: &Message,
        chat: &Chat,
        user: &User,
        language: &str,
    ) -> Self {
        let mut m = Map::new();
        m.insert("reaction".into(), reaction.as_str().into());
        m.insert("action".into(), action.as_str().into());
        m.insert("message".into(), message.to_value(Form::Event));
        tail(&mut m, chat, user, language);
        EventData { map: m }
    }

    /// Data stored earlier (e.g. in the outbox), taken back as it is.
    pub fn from_map(map: Map<String, Value>) -> Self {
        EventData { map }
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }

    /// The fetch form: `bot` (the extended Bot object) first for bot events, nothing for user events.
    pub fn for_fetch(&self, bot: Option<&Bot>) -> Value {
        let mut m = Map::with_capacity(self.map.len() + 1);
        if let Some(b) = bot {
            m.insert("bot".into(), b.to_value(BotForm::Extended));
        }
        m.extend(self.map.clone());
        Value::Object(m)
    }

    /// The webhook form: `bot` = `{id, code, auth}` first.
    pub fn for_webhook(&self, bot: &WebhookBot<'_>) -> Map<String, Value> {
        let mut b = Map::new();
        b.insert("id".into(), bot.id.into());
        b.insert("code".into(), bot.code.into());
        if let Some(a) = bot.auth {
            b.insert("auth".into(), Value::Object(a.top_level()));
        }
        let mut m = Map::with_capacity(self.map.len() + 1);
        m.insert("bot".into(), Value::Object(b));
        m.extend(self.map.clone());
        m
    }
}

/// The `bot` entry of a webhook event.
#[derive(Debug, Clone, Copy)]
pub struct WebhookBot<'a> {
    pub id: i64,
    pub code: &'a str,
    /// The bot's tokens, in the order `access_token, expires, expires_in, scope, domain, server_endpoint,
    /// status, client_endpoint, member_id, user_id, [refresh_token], application_token` (the events page's
    /// example has no `refresh_token`; leave it `None` to match). `None`: no `auth` at all (ONIMBOTV2DELETE).
    pub auth: Option<&'a AuthBlock>,
}

/// The top-level `auth` of a v2 webhook event: `{domain, application_token}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAuth {
    pub domain: String,
    pub application_token: String,
}

impl WebhookAuth {
    pub fn to_map(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("domain".into(), self.domain.clone().into());
        m.insert("application_token".into(), self.application_token.clone().into());
        m
    }
}

/// The `application_token` of a webhook-registered bot's events (the docs' "synthetic APPLICATION_TOKEN", value
/// unspecified): the first 32 lower-case hex digits of SHA-256 of its `botToken` — 32 hex characters like every
/// Bitrix application token, computable by the bot's author from the one secret they hold, never the secret
/// itself, derivable from the digest the server stores, and new after a rotation (docs/v2.md §9 A12).
pub fn synthetic_application_token(bot_token: &str) -> String {
    let digest = Sha256::digest(bot_token.as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The form body of one webhook delivery:
/// `event=…&event_handler_id=…&data[bot][id]=…&…&ts=…&auth[domain]=…&auth[application_token]=…`.
pub fn webhook_body(event: BotEvent, handler_id: i64, data: Map<String, Value>, ts: i64, auth: &WebhookAuth) -> String {
    event_body(event.name(), handler_id, data, ts, Some(auth.to_map()))
}

/// One record of an `Event.get` answer.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedEvent {
    /// Strictly increasing; pass `eventId + 1` (= `nextOffset`) back to acknowledge.
    pub event_id: i64,
    /// `ONIMBOTV2…` or `ONIMV2…`.
    pub event_type: String,
    /// When the event happened.
    pub date: DateTime<FixedOffset>,
    /// The fetch form of `data`.
    pub data: Value,
}

impl QueuedEvent {
    /// `{eventId, type, date, data}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("eventId".into(), self.event_id.into());
        m.insert("type".into(), self.event_type.clone().into());
        m.insert("date".into(), iso(&self.date).into());
        m.insert("data".into(), self.data.clone());
        Value::Object(m)
    }
}

/// The `result` of `imbot.v2.Event.get` / `im.v2.Event.get`: `{events, nextOffset, hasMore}`.
pub fn event_get(events: &[QueuedEvent], next_offset: i64, has_more: bool) -> Value {
    let mut m = Map::new();
    m.insert("events".into(), Value::Array(events.iter().map(QueuedEvent::to_value).collect()));
    m.insert("nextOffset".into(), next_offset.into());
    m.insert("hasMore".into(), has_more.into());
    Value::Object(m)
}

/// `nextOffset`: one past the last event returned; when none was returned, the offset the client sent or,
/// if larger, `acked_up_to` (one past the highest id ever acknowledged on this queue, `0` if none) — so an
/// empty answer never moves the cursor backwards and the client "still needs to save it".
pub fn next_offset(requested: Option<i64>, last_returned: Option<i64>, acked_up_to: i64) -> i64 {
    match last_returned {
        Some(id) => id.saturating_add(1),
        None => requested.unwrap_or(0).max(acked_up_to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(BotEvent::ALL.len(), 8);
        assert_eq!(BotEvent::parse("onimbotv2commandadd"), Some(BotEvent::CommandAdd));
        assert_eq!(UserEvent::JoinChat.name(), "ONIMV2JOINCHAT");
        assert_eq!(UserEvent::parse("ONIMBOTV2JOINCHAT"), None);
    }

    #[test]
    fn synthetic_token_is_32_hex_of_sha256() {
        // sha256("my_bot_token") = 4d24e66ff2900a4df397a170020b7603 81feb5b4…; the first 16 bytes are used.
        let t = synthetic_application_token("my_bot_token");
        assert_eq!(t, "4d24e66ff2900a4df397a170020b7603");
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(t, synthetic_application_token("my_bot_token"));
        assert_ne!(t, synthetic_application_token("my_bot_token2"));
        assert_eq!(synthetic_application_token(""), "e3b0c44298fc1c149afbf4c8996fb924");
    }

    #[test]
    fn offsets() {
        assert_eq!(next_offset(Some(1000), Some(1001), 0), 1002);
        assert_eq!(next_offset(Some(1002), None, 900), 1002);
        assert_eq!(next_offset(None, None, 1002), 1002);
        assert_eq!(next_offset(None, None, 0), 0);
        assert_eq!(next_offset(Some(5), None, 1002), 1002);
    }
}
