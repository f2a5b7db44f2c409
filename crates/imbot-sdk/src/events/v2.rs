//! v2 events (`ONIMBOTV2*`, `ONIMV2*`): [`V2Event`] and its parts; the documentation is on `V2Event`.

use super::{BotEntry, CommandContext, Event, EventAuth, EventError, EventMeta, parse_event};
use crate::methods::v2::{BotV2, ChatV2, CommandAnswerV2, MessageV2, Reaction, ReactionAction, UserV2};
use crate::serde_util::{value_i64, value_string};
use imbot_wire::DialogId;
use imbot_wire::v2::{BotEvent, UserEvent};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Is `name` a v2 event (`ONIMBOTV2…` or `ONIMV2…`, any case)?
///
/// ```
/// use imbot_sdk::events::is_v2_event;
/// assert!(is_v2_event("ONIMBOTV2MESSAGEADD") && is_v2_event("onimv2joinchat"));
/// assert!(!is_v2_event("ONIMBOTMESSAGEADD"));
/// ```
pub fn is_v2_event(name: &str) -> bool {
    let upper = name.trim().to_ascii_uppercase();
    upper.starts_with("ONIMBOTV2") || upper.starts_with("ONIMV2")
}

/// The bot an event is for (`data.bot`).
///
/// Webhook events give `{id, code, auth}`, `auth` being the bot's own OAuth tokens for calls back
/// ([`V2EventBot::client`]); fetched events give the full Bot object (`details`) and no tokens.
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2DELETE&data[bot][id]=456&data[bot][code]=support_bot&auth[application_token]=t";
/// let V2Event::Delete(d) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((d.bot.id, d.bot.code.as_str(), d.bot.auth.is_none()), (456, "support_bot", true));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2EventBot {
    /// `id`.
    pub id: i64,
    /// `code`.
    pub code: String,
    /// `auth`: the bot's tokens (webhook events; `None` in ONIMBOTV2DELETE and in fetched events).
    pub auth: Option<EventAuth>,
    /// The full Bot object (fetched events).
    pub details: Option<BotV2>,
}

impl V2EventBot {
    fn from_value(v: &Value) -> Option<V2EventBot> {
        let m = v.as_object()?;
        let id = m.get("id").and_then(value_i64).filter(|id| *id > 0)?;
        let details = (m.contains_key("type") || m.contains_key("eventMode"))
            .then(|| serde_json::from_value::<BotV2>(v.clone()).ok())
            .flatten();
        Some(V2EventBot {
            id,
            code: m.get("code").and_then(value_string).unwrap_or_default(),
            auth: m.get("auth").and_then(Value::as_object).map(EventAuth::from_map),
            details,
        })
    }

    /// A [`Client`](crate::Client) acting as the bot with the tokens of a webhook event (valid an hour; no
    /// `botToken` needed, these are OAuth tokens).
    ///
    /// Fails with [`Error::Invalid`](crate::Error::Invalid) without tokens (fetched events: use your own client).
    ///
    /// ```
    /// # use imbot_sdk::events::{V2Event, parse_v2_event};
    /// let body = "event=ONIMBOTV2DELETE&data[bot][id]=456&data[bot][auth][access_token]=AT\
    ///             &data[bot][auth][client_endpoint]=https%3A%2F%2Fportal.bitrix24.com%2Frest%2F";
    /// let V2Event::Delete(d) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
    /// assert_eq!(d.bot.client().unwrap().endpoint(), "https://portal.bitrix24.com/rest/");
    /// ```
    pub fn client(&self) -> crate::Result<crate::Client> {
        match &self.auth {
            Some(a) => a.client(),
            None => Err(crate::Error::Invalid("this event carries no tokens of the bot".into())),
        }
    }

    fn entry(&self) -> BotEntry {
        BotEntry { bot_id: self.id, bot_code: self.code.clone(), auth: self.auth.clone() }
    }
}

/// MESSAGEADD / MESSAGEUPDATE: a message addressed to the bot (private dialog, mention; every message of its
/// chats for `supervisor`/`personal` bots), or — `ONIMV2*`, no bot — of a chat of the subscribed user.
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2MESSAGEADD&data[bot][id]=456&data[message][id]=789&data[message][authorId]=1\
///             &data[message][text]=Hello+bot%21&data[chat][id]=5&data[chat][dialogId]=chat5&data[user][id]=1\
///             &data[language]=en";
/// let V2Event::MessageAdd(m) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((m.message.text.as_str(), m.chat.dialog(), m.user.unwrap().id), ("Hello bot!", Some(imbot_sdk::DialogId::Chat(5)), 1));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2MessageEvent {
    /// Name, subscription, time, `auth` (webhook) or `eventId`, `date` (fetch).
    pub meta: EventMeta,
    /// The bot (`None` for user events).
    pub bot: Option<V2EventBot>,
    /// `message`.
    pub message: MessageV2,
    /// `chat`: `chat.dialogId` is where to answer.
    pub chat: ChatV2,
    /// `user`: the author.
    pub user: Option<UserV2>,
    /// `language` of the portal.
    pub language: String,
}

/// MESSAGEDELETE: a message was deleted.
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2MESSAGEDELETE&data[bot][id]=456&data[messageId]=789&data[chat][id]=5";
/// let V2Event::MessageDelete(d) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((d.message_id, d.chat.id), (789, 5));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2MessageDelete {
    /// Name, subscription, time, `auth` or `eventId`, `date`.
    pub meta: EventMeta,
    /// The bot (`None` for user events).
    pub bot: Option<V2EventBot>,
    /// `messageId`.
    pub message_id: i64,
    /// `chat`.
    pub chat: ChatV2,
    /// `user`: the author of the deleted message.
    pub user: Option<UserV2>,
    /// `language`.
    pub language: String,
}

/// JOINCHAT: the bot was added to a chat, or a user opened a private dialog with it (`ONIMV2JOINCHAT`: someone
/// was added to a chat of the user; `user` is the added one).
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2JOINCHAT&data[bot][id]=456&data[dialogId]=27&data[chat][id]=9&data[user][id]=27";
/// let V2Event::JoinChat(j) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!(j.dialog_id, Some(imbot_sdk::DialogId::User(27)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2JoinChat {
    /// Name, subscription, time, `auth` or `eventId`, `date`.
    pub meta: EventMeta,
    /// The bot (`None` for user events).
    pub bot: Option<V2EventBot>,
    /// `dialogId`: where to say hello.
    pub dialog_id: Option<DialogId>,
    /// `chat`.
    pub chat: ChatV2,
    /// `user`: who added the bot, or opened the dialog.
    pub user: Option<UserV2>,
    /// `language`.
    pub language: String,
}

/// ONIMBOTV2DELETE: the bot was deleted — its last event. A webhook POST carries no tokens any more.
///
/// ```
/// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=456").unwrap();
/// assert_eq!(e.bot().unwrap().id, 456);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2BotDelete {
    /// Name, subscription, time, `auth` or `eventId`, `date`.
    pub meta: EventMeta,
    /// The bot.
    pub bot: V2EventBot,
}

/// ONIMBOTV2CONTEXTGET: a user opened the dialog with context data (a `BOT_CONTEXT` link, or
/// `im.v2.Chat.Bot.sendContext`).
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2CONTEXTGET&data[bot][id]=456&data[dialogId]=1&data[context][entityType]=task\
///             &data[context][entityId]=164&data[user][id]=1";
/// let V2Event::ContextGet(c) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((c.context["entityType"].as_str(), c.context["entityId"].as_str()), (Some("task"), Some("164")));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2ContextGet {
    /// Name, subscription, time, `auth` or `eventId`, `date`.
    pub meta: EventMeta,
    /// The bot.
    pub bot: V2EventBot,
    /// `dialogId`: the private dialog (the user, as the bot sees it).
    pub dialog_id: Option<DialogId>,
    /// `context`: as passed (values are strings in webhook POSTs).
    pub context: Map<String, Value>,
    /// `chat`.
    pub chat: ChatV2,
    /// `user`: who opened the dialog.
    pub user: Option<UserV2>,
    /// `language`.
    pub language: String,
}

/// The `command` of ONIMBOTV2COMMANDADD.
///
/// ```
/// use imbot_sdk::events::{CommandContext, V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2COMMANDADD&data[bot][id]=456&data[command][id]=78&data[command][command]=%2Fhelp\
///             &data[command][params]=topic&data[command][context]=keyboard&data[message][id]=790";
/// let V2Event::CommandAdd(c) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((c.command.id, c.command.name(), c.command.params.as_str()), (78, "help", "topic"));
/// assert_eq!(c.command.context, CommandContext::Keyboard);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct V2CommandCall {
    /// `id`: the command id.
    pub id: i64,
    /// `command`, with the slash (`/help`).
    pub command: String,
    /// `params`: the rest of the line (or the button's params).
    pub params: String,
    /// `context`: `textarea`, `keyboard` or `menu`.
    pub context: CommandContext,
}

impl V2CommandCall {
    /// The command without its slash.
    ///
    /// ```
    /// # use imbot_sdk::events::{V2Event, parse_v2_event};
    /// # let body = "event=ONIMBOTV2COMMANDADD&data[bot][id]=4&data[command][id]=7&data[command][command]=%2Fx&data[message][id]=9";
    /// # let V2Event::CommandAdd(c) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
    /// assert_eq!(c.command.name(), "x");
    /// ```
    pub fn name(&self) -> &str {
        self.command.trim_start_matches('/')
    }
}

/// ONIMBOTV2COMMANDADD: a user invoked one of the bot's commands (typed, a keyboard button, a menu item); one
/// event per command of a message.
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2COMMANDADD&data[bot][id]=456&data[command][id]=78&data[command][command]=%2Fhelp\
///             &data[command][params]=topic&data[command][context]=textarea&data[message][id]=790\
///             &data[chat][id]=5&data[chat][dialogId]=1&data[user][id]=1";
/// let V2Event::CommandAdd(c) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// let answer = c.answer("Topics: billing, access");
/// assert_eq!((answer.command_id, answer.message_id, answer.dialog_id), (78, 790, imbot_sdk::DialogId::User(1)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2CommandAdd {
    /// Name, subscription, time, `auth` or `eventId`, `date`.
    pub meta: EventMeta,
    /// The bot.
    pub bot: V2EventBot,
    /// `command`.
    pub command: V2CommandCall,
    /// `message`: the message with the command (for a button: the bot's message holding it).
    pub message: MessageV2,
    /// `chat`: where it was invoked.
    pub chat: ChatV2,
    /// `user`: who invoked it.
    pub user: Option<UserV2>,
    /// `language`.
    pub language: String,
}

impl V2CommandAdd {
    /// The bot's id.
    ///
    /// ```
    /// # use imbot_sdk::events::{V2Event, parse_v2_event};
    /// # let body = "event=ONIMBOTV2COMMANDADD&data[bot][id]=4&data[command][id]=7&data[message][id]=9";
    /// # let V2Event::CommandAdd(c) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
    /// assert_eq!(c.bot_id(), 4);
    /// ```
    pub fn bot_id(&self) -> i64 {
        self.bot.id
    }

    /// An `imbot.v2.Command.answer` to this command with the text `message` (its ids and dialog filled in;
    /// add `attach`/`keyboard` as needed). The dialog is `chat.dialogId`, or `chat{chat.id}`, or the user.
    ///
    /// ```
    /// # use imbot_sdk::events::{V2Event, parse_v2_event};
    /// # let body = "event=ONIMBOTV2COMMANDADD&data[bot][id]=4&data[command][id]=7&data[message][id]=9&data[message][chatId]=3";
    /// # let V2Event::CommandAdd(c) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
    /// assert_eq!(c.answer("ok").dialog_id, imbot_sdk::DialogId::Chat(3));
    /// ```
    pub fn answer(&self, message: impl Into<String>) -> CommandAnswerV2 {
        let dialog = reply_to(&self.chat, &self.message, self.user.as_ref()).unwrap_or(DialogId::Chat(0));
        CommandAnswerV2::new(self.command.id, self.message.id, dialog, message)
    }
}

/// REACTIONCHANGE: a reaction on the bot's message (user events: on a message in the user's chats) was added or
/// removed.
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// use imbot_sdk::methods::v2::{Reaction, ReactionAction};
/// let body = "event=ONIMBOTV2REACTIONCHANGE&data[bot][id]=456&data[reaction]=like&data[action]=add&data[message][id]=789";
/// let V2Event::ReactionChange(r) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((r.reaction(), r.action()), (Some(Reaction::Like), Some(ReactionAction::Add)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2ReactionChange {
    /// Name, subscription, time, `auth` or `eventId`, `date`.
    pub meta: EventMeta,
    /// The bot (`None` for user events).
    pub bot: Option<V2EventBot>,
    /// `reaction`: the code, as sent.
    pub reaction_code: String,
    /// `action`: `add` or `delete`, as sent.
    pub action_name: String,
    /// `message`: the message reacted to.
    pub message: MessageV2,
    /// `chat`.
    pub chat: ChatV2,
    /// `user`: who changed the reaction.
    pub user: Option<UserV2>,
    /// `language`.
    pub language: String,
}

impl V2ReactionChange {
    /// `reaction` as a [`Reaction`] (`None` for a code this crate does not know).
    ///
    /// ```
    /// # use imbot_sdk::events::{V2Event, parse_v2_event};
    /// # let body = "event=ONIMBOTV2REACTIONCHANGE&data[bot][id]=4&data[reaction]=fire&data[action]=delete&data[message][id]=9";
    /// # let V2Event::ReactionChange(r) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
    /// assert_eq!(r.reaction(), Some(imbot_sdk::methods::v2::Reaction::Fire));
    /// ```
    pub fn reaction(&self) -> Option<Reaction> {
        Reaction::parse(&self.reaction_code)
    }

    /// `action` as a [`ReactionAction`].
    ///
    /// ```
    /// # use imbot_sdk::events::{V2Event, parse_v2_event};
    /// # let body = "event=ONIMBOTV2REACTIONCHANGE&data[bot][id]=4&data[reaction]=fire&data[action]=delete&data[message][id]=9";
    /// # let V2Event::ReactionChange(r) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
    /// assert_eq!(r.action(), Some(imbot_sdk::methods::v2::ReactionAction::Delete));
    /// ```
    pub fn action(&self) -> Option<ReactionAction> {
        ReactionAction::parse_ci(&self.action_name)
    }
}

/// A v2 event this crate does not type, with its `data` as sent.
///
/// ```
/// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2SOMETHINGNEW&data%5Bx%5D=1").unwrap();
/// let imbot_sdk::events::V2Event::Other(o) = e else { panic!() };
/// assert_eq!(o.data["x"], "1");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct V2OtherEvent {
    /// Name, subscription, time, `auth` or `eventId`, `date`.
    pub meta: EventMeta,
    /// `data`, as decoded.
    pub data: Value,
}

/// A v2 event (`ONIMBOTV2*` of bots, `ONIMV2*` of subscribed users; docs/v2.md §5), from a webhook POST or an
/// `Event.get` answer.
///
/// Events come two ways, and both give the same types:
/// * **fetch** — `imbot.v2.Event.get` / `im.v2.Event.get` answer `{eventId, type, date, data}` with typed JSON
///   (`data.bot` is the full Bot object, no tokens): [`QueuedEvent::event`](crate::methods::v2::QueuedEvent::event)
///   or [`V2Event::from_fetch`];
/// * **webhook** — one form-encoded POST per bot, `event=ONIMBOTV2…&event_handler_id=…&data[bot][id]=…&
///   data[bot][code]=…&data[bot][auth][access_token]=…&data[message][…]=…&ts=…&auth[domain]=…&
///   auth[application_token]=…`, every scalar a string and `null`/empty values left out: [`parse_event`]
///   (which answers [`Event::V2`]) or [`parse_v2_event`].
///
/// Verify a webhook POST by its top-level `auth[application_token]` (not the one under `data[bot][auth]`): for a
/// bot registered through a webhook it is the first 32 hex digits of SHA-256 of its `botToken`
/// ([`ReceiverConfig::bot_token`](crate::receiver::ReceiverConfig::bot_token) computes it); for an OAuth app it
/// is the app's `application_token`.
///
/// | event | variant | `data` after `bot` |
/// |---|---|---|
/// | `ONIMBOTV2MESSAGEADD` / `ONIMV2MESSAGEADD` | [`V2Event::MessageAdd`] | `message`, `chat`, `user` (author), `language` |
/// | `ONIMBOTV2MESSAGEUPDATE` / `ONIMV2MESSAGEUPDATE` | [`V2Event::MessageUpdate`] | the same, the message as updated |
/// | `ONIMBOTV2MESSAGEDELETE` / `ONIMV2MESSAGEDELETE` | [`V2Event::MessageDelete`] | `messageId`, `chat`, `user`, `language` |
/// | `ONIMBOTV2JOINCHAT` / `ONIMV2JOINCHAT` | [`V2Event::JoinChat`] | `dialogId`, `chat`, `user`, `language` |
/// | `ONIMBOTV2DELETE` | [`V2Event::Delete`] | nothing |
/// | `ONIMBOTV2CONTEXTGET` | [`V2Event::ContextGet`] | `dialogId`, `context`, `chat`, `user`, `language` |
/// | `ONIMBOTV2COMMANDADD` | [`V2Event::CommandAdd`] | `command {id, command, params, context}`, `message`, `chat`, `user`, `language` |
/// | `ONIMBOTV2REACTIONCHANGE` / `ONIMV2REACTIONCHANGE` | [`V2Event::ReactionChange`] | `reaction`, `action`, `message`, `chat`, `user`, `language` |
/// | another `ONIMBOTV2*` / `ONIMV2*` | [`V2Event::Other`] | as sent |
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let e = parse_v2_event(b"event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=5&auth%5Bapplication_token%5D=t").unwrap();
/// assert!(matches!(e, V2Event::Delete(_)));
/// assert_eq!((e.name(), e.application_token(), e.is_user_event()), ("ONIMBOTV2DELETE", Some("t"), false));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum V2Event {
    /// `ONIMBOTV2MESSAGEADD`, `ONIMV2MESSAGEADD`.
    MessageAdd(Box<V2MessageEvent>),
    /// `ONIMBOTV2MESSAGEUPDATE`, `ONIMV2MESSAGEUPDATE`.
    MessageUpdate(Box<V2MessageEvent>),
    /// `ONIMBOTV2MESSAGEDELETE`, `ONIMV2MESSAGEDELETE`.
    MessageDelete(Box<V2MessageDelete>),
    /// `ONIMBOTV2JOINCHAT`, `ONIMV2JOINCHAT`.
    JoinChat(Box<V2JoinChat>),
    /// `ONIMBOTV2DELETE`.
    Delete(Box<V2BotDelete>),
    /// `ONIMBOTV2CONTEXTGET`.
    ContextGet(Box<V2ContextGet>),
    /// `ONIMBOTV2COMMANDADD`.
    CommandAdd(Box<V2CommandAdd>),
    /// `ONIMBOTV2REACTIONCHANGE`, `ONIMV2REACTIONCHANGE`.
    ReactionChange(Box<V2ReactionChange>),
    /// Another v2 event.
    Other(Box<V2OtherEvent>),
}

fn malformed(name: &str, what: &str) -> EventError {
    EventError::Malformed(format!("{name} {what}"))
}

/// `data[key]` as `T`: missing (or not an object) is `None`.
fn object<T: DeserializeOwned>(name: &str, d: &Map<String, Value>, key: &str) -> Result<Option<T>, EventError> {
    match d.get(key) {
        Some(v @ Value::Object(_)) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| malformed(name, &format!("has an unreadable data[{key}]: {e}"))),
        _ => Ok(None),
    }
}

fn reply_to(chat: &ChatV2, message: &MessageV2, user: Option<&UserV2>) -> Option<DialogId> {
    chat.dialog()
        .or_else(|| (chat.id > 0).then_some(DialogId::Chat(chat.id)))
        .or_else(|| (message.chat_id > 0).then_some(DialogId::Chat(message.chat_id)))
        .or_else(|| user.filter(|u| u.id > 0).map(|u| DialogId::User(u.id)))
}

impl V2Event {
    /// Reads the `data` of a fetched event of type `kind` (`imbot.v2.Event.get`, `im.v2.Event.get`), with its
    /// `eventId` and `date` when known. Usually called through
    /// [`QueuedEvent::event`](crate::methods::v2::QueuedEvent::event).
    ///
    /// Errors: [`EventError::Malformed`] when `kind` is not a v2 event, or `data` lacks an id the event needs
    /// (`bot.id` of bot events; `message.id`, `messageId`, `command.id`).
    ///
    /// ```
    /// use imbot_sdk::events::V2Event;
    /// let data = serde_json::json!({"message": {"id": 9, "text": "hi"}, "chat": {"id": 5, "dialogId": "chat5"}, "user": {"id": 2}, "language": "en"});
    /// let e = V2Event::from_fetch("ONIMV2MESSAGEADD", data, Some(2001), None).unwrap();
    /// assert!(e.is_user_event() && e.bot().is_none());
    /// assert_eq!((e.message().unwrap().text.as_str(), e.meta().event_id), ("hi", Some(2001)));
    /// ```
    pub fn from_fetch(
        kind: &str,
        data: Value,
        event_id: Option<i64>,
        date: Option<String>,
    ) -> Result<V2Event, EventError> {
        let meta = EventMeta { name: kind.trim().to_ascii_uppercase(), event_id, date, ..Default::default() };
        V2Event::from_parts(meta, data)
    }

    /// The event from its name (in `meta`) and `data`.
    pub(crate) fn from_parts(meta: EventMeta, data: Value) -> Result<V2Event, EventError> {
        let name = meta.name.clone();
        if !is_v2_event(&name) {
            return Err(malformed(&name, "is not a v2 event"));
        }
        let empty = Map::new();
        let d = data.as_object().unwrap_or(&empty);
        let user_event = UserEvent::parse(&name).is_some();
        let bot = d.get("bot").and_then(V2EventBot::from_value);
        let need_bot = || bot.clone().ok_or_else(|| malformed(&name, "without data[bot][id]"));
        if !user_event && BotEvent::parse(&name).is_some() {
            need_bot()?;
        }
        let chat = || object::<ChatV2>(&name, d, "chat").map(Option::unwrap_or_default);
        let user = || object::<UserV2>(&name, d, "user");
        let language = || d.get("language").and_then(value_string).unwrap_or_default();
        let message = || {
            object::<MessageV2>(&name, d, "message")?
                .filter(|m| m.id > 0)
                .ok_or_else(|| malformed(&name, "without data[message][id]"))
        };
        let dialog_id = || d.get("dialogId").and_then(DialogId::from_value);
        let short = name.trim_start_matches("ONIMBOTV2").trim_start_matches("ONIMV2");
        Ok(match short {
            "MESSAGEADD" | "MESSAGEUPDATE" => {
                let e = Box::new(V2MessageEvent {
                    bot,
                    message: message()?,
                    chat: chat()?,
                    user: user()?,
                    language: language(),
                    meta,
                });
                if short == "MESSAGEADD" { V2Event::MessageAdd(e) } else { V2Event::MessageUpdate(e) }
            }
            "MESSAGEDELETE" => V2Event::MessageDelete(Box::new(V2MessageDelete {
                message_id: d
                    .get("messageId")
                    .and_then(value_i64)
                    .filter(|id| *id > 0)
                    .ok_or_else(|| malformed(&name, "without data[messageId]"))?,
                bot,
                chat: chat()?,
                user: user()?,
                language: language(),
                meta,
            })),
            "JOINCHAT" => V2Event::JoinChat(Box::new(V2JoinChat {
                bot,
                dialog_id: dialog_id(),
                chat: chat()?,
                user: user()?,
                language: language(),
                meta,
            })),
            "DELETE" if !user_event => V2Event::Delete(Box::new(V2BotDelete { bot: need_bot()?, meta })),
            "CONTEXTGET" if !user_event => V2Event::ContextGet(Box::new(V2ContextGet {
                bot: need_bot()?,
                dialog_id: dialog_id(),
                context: match d.get("context") {
                    Some(Value::Object(m)) => m.clone(),
                    _ => Map::new(),
                },
                chat: chat()?,
                user: user()?,
                language: language(),
                meta,
            })),
            "COMMANDADD" if !user_event => {
                let c = d.get("command").and_then(Value::as_object).unwrap_or(&empty);
                let s = |k: &str| c.get(k).and_then(value_string).unwrap_or_default();
                let command = V2CommandCall {
                    id: c
                        .get("id")
                        .and_then(value_i64)
                        .filter(|id| *id > 0)
                        .ok_or_else(|| malformed(&name, "without data[command][id]"))?,
                    command: s("command"),
                    params: s("params"),
                    context: CommandContext::parse(&s("context")),
                };
                V2Event::CommandAdd(Box::new(V2CommandAdd {
                    bot: need_bot()?,
                    command,
                    message: message()?,
                    chat: chat()?,
                    user: user()?,
                    language: language(),
                    meta,
                }))
            }
            "REACTIONCHANGE" => V2Event::ReactionChange(Box::new(V2ReactionChange {
                bot,
                reaction_code: d.get("reaction").and_then(value_string).unwrap_or_default(),
                action_name: d.get("action").and_then(value_string).unwrap_or_default(),
                message: message()?,
                chat: chat()?,
                user: user()?,
                language: language(),
                meta,
            })),
            _ => V2Event::Other(Box::new(V2OtherEvent { meta, data })),
        })
    }

    /// Name, subscription, time and `auth` (webhook), or `eventId` and `date` (fetch).
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2DELETE&event_handler_id=1208&data%5Bbot%5D%5Bid%5D=5&ts=17").unwrap();
    /// assert_eq!((e.meta().handler_id, e.meta().ts), (Some(1208), Some(17)));
    /// ```
    pub fn meta(&self) -> &EventMeta {
        match self {
            V2Event::MessageAdd(e) | V2Event::MessageUpdate(e) => &e.meta,
            V2Event::MessageDelete(e) => &e.meta,
            V2Event::JoinChat(e) => &e.meta,
            V2Event::Delete(e) => &e.meta,
            V2Event::ContextGet(e) => &e.meta,
            V2Event::CommandAdd(e) => &e.meta,
            V2Event::ReactionChange(e) => &e.meta,
            V2Event::Other(e) => &e.meta,
        }
    }

    /// The event name, upper case.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::events::parse_v2_event(b"event=onimbotv2delete&data%5Bbot%5D%5Bid%5D=5").unwrap().name(), "ONIMBOTV2DELETE");
    /// ```
    pub fn name(&self) -> &str {
        &self.meta().name
    }

    /// The top-level `auth[application_token]` of a webhook POST (what to verify).
    ///
    /// ```
    /// assert_eq!(imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=5").unwrap().application_token(), None);
    /// ```
    pub fn application_token(&self) -> Option<&str> {
        self.meta().auth.as_ref()?.application_token.as_deref()
    }

    /// Is this a user event (`ONIMV2*`: `im.v2.Event.get`, or `withUserEvents`) rather than a bot's?
    ///
    /// ```
    /// # use imbot_sdk::events::V2Event;
    /// let e = V2Event::from_fetch("ONIMV2JOINCHAT", serde_json::json!({"dialogId": "chat5"}), None, None).unwrap();
    /// assert!(e.is_user_event());
    /// ```
    pub fn is_user_event(&self) -> bool {
        UserEvent::parse(self.name()).is_some()
    }

    /// The bot the event is for (`None` for user events).
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=5").unwrap();
    /// assert_eq!(e.bot().map(|b| b.id), Some(5));
    /// ```
    pub fn bot(&self) -> Option<&V2EventBot> {
        match self {
            V2Event::MessageAdd(e) | V2Event::MessageUpdate(e) => e.bot.as_ref(),
            V2Event::MessageDelete(e) => e.bot.as_ref(),
            V2Event::JoinChat(e) => e.bot.as_ref(),
            V2Event::Delete(e) => Some(&e.bot),
            V2Event::ContextGet(e) => Some(&e.bot),
            V2Event::CommandAdd(e) => Some(&e.bot),
            V2Event::ReactionChange(e) => e.bot.as_ref(),
            V2Event::Other(_) => None,
        }
    }

    /// `chat`, for the events that have one.
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2JOINCHAT&data%5Bbot%5D%5Bid%5D=5&data%5Bchat%5D%5Bid%5D=9").unwrap();
    /// assert_eq!(e.chat().unwrap().id, 9);
    /// ```
    pub fn chat(&self) -> Option<&ChatV2> {
        match self {
            V2Event::MessageAdd(e) | V2Event::MessageUpdate(e) => Some(&e.chat),
            V2Event::MessageDelete(e) => Some(&e.chat),
            V2Event::JoinChat(e) => Some(&e.chat),
            V2Event::ContextGet(e) => Some(&e.chat),
            V2Event::CommandAdd(e) => Some(&e.chat),
            V2Event::ReactionChange(e) => Some(&e.chat),
            V2Event::Delete(_) | V2Event::Other(_) => None,
        }
    }

    /// `user`: who caused the event (the author, who added the bot, who reacted, …).
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=5").unwrap();
    /// assert!(e.user().is_none());
    /// ```
    pub fn user(&self) -> Option<&UserV2> {
        match self {
            V2Event::MessageAdd(e) | V2Event::MessageUpdate(e) => e.user.as_ref(),
            V2Event::MessageDelete(e) => e.user.as_ref(),
            V2Event::JoinChat(e) => e.user.as_ref(),
            V2Event::ContextGet(e) => e.user.as_ref(),
            V2Event::CommandAdd(e) => e.user.as_ref(),
            V2Event::ReactionChange(e) => e.user.as_ref(),
            V2Event::Delete(_) | V2Event::Other(_) => None,
        }
    }

    /// `message`, for the events that carry one (add, update, command, reaction).
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2DELETE&data%5Bbot%5D%5Bid%5D=5").unwrap();
    /// assert!(e.message().is_none());
    /// ```
    pub fn message(&self) -> Option<&MessageV2> {
        match self {
            V2Event::MessageAdd(e) | V2Event::MessageUpdate(e) => Some(&e.message),
            V2Event::CommandAdd(e) => Some(&e.message),
            V2Event::ReactionChange(e) => Some(&e.message),
            _ => None,
        }
    }

    /// Where an answer goes: `chat.dialogId` (for a private dialog, the other side), else the `dialogId` of
    /// join/context events, else the chat or the user.
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_v2_event(b"event=ONIMBOTV2JOINCHAT&data%5Bbot%5D%5Bid%5D=5&data%5BdialogId%5D=27").unwrap();
    /// assert_eq!(e.reply_to(), Some(imbot_sdk::DialogId::User(27)));
    /// ```
    pub fn reply_to(&self) -> Option<DialogId> {
        let from_chat = self.chat().and_then(ChatV2::dialog);
        let explicit = match self {
            V2Event::JoinChat(e) => e.dialog_id,
            V2Event::ContextGet(e) => e.dialog_id,
            _ => None,
        };
        let default_message = MessageV2::default();
        from_chat.or(explicit).or_else(|| {
            let chat = self.chat()?;
            reply_to(chat, self.message().unwrap_or(&default_message), self.user())
        })
    }

    /// The v1-style bot entry (for [`Event::bots`]).
    pub(crate) fn bot_entries(&self) -> Vec<BotEntry> {
        self.bot().map(V2EventBot::entry).into_iter().collect()
    }
}

/// Parses a v2 webhook body (form-encoded as the server POSTs it, or a JSON object) into a [`V2Event`].
///
/// Errors: [`EventError::Malformed`] when the body is not an event, not a v2 one, or lacks an id the event
/// needs.
///
/// ```
/// use imbot_sdk::events::{V2Event, parse_v2_event};
/// let body = "event=ONIMBOTV2MESSAGEADD&event_handler_id=1201&data%5Bbot%5D%5Bid%5D=456\
///             &data%5Bbot%5D%5Bcode%5D=support_bot&data%5Bmessage%5D%5Bid%5D=789&data%5Bmessage%5D%5Btext%5D=Hello\
///             &data%5Bchat%5D%5BdialogId%5D=chat5&ts=1772093963&auth%5Bdomain%5D=some-domain.bitrix24.com\
///             &auth%5Bapplication_token%5D=APPTOKEN";
/// let V2Event::MessageAdd(m) = parse_v2_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((m.bot.as_ref().unwrap().code.as_str(), m.message.id), ("support_bot", 789));
/// assert!(parse_v2_event(b"event=ONIMBOTDELETE&data%5BBOT_ID%5D=5").is_err());
/// ```
pub fn parse_v2_event(body: &[u8]) -> Result<V2Event, EventError> {
    match parse_event(body)? {
        Event::V2(e) => Ok(e),
        other => Err(EventError::Malformed(format!("{} is not a v2 event", other.name()))),
    }
}
