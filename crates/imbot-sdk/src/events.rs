//! Incoming events: the form-encoded bodies Bitrix24 (and imbotd) POST to a bot's handler, parsed into types.
//!
//! [`parse_event`] is framework-free: give it the raw body, get an [`Event`]. The body is decoded exactly as
//! PHP's `parse_str` would (imbot-wire's codec), so `data[COMMAND][103][COMMAND_PARAMS]=a+b` is `"a b"`; a JSON
//! object body is accepted too. Verification (application token, signatures, duplicates) is the
//! [`receiver`](crate::receiver)'s job.
//!
//! The v1 payloads (SPEC-NOTES §3.4, §5.12, the event pages of `api-reference__chat-bots__outdated__*`):
//!
//! | event | variant | `data` |
//! |---|---|---|
//! | `ONIMCOMMANDADD` | [`Event::CommandAdd`] | `COMMAND{id: {bot tokens…, AUTH, BOT_ID, BOT_CODE, COMMAND, COMMAND_ID, COMMAND_PARAMS, COMMAND_CONTEXT, MESSAGE_ID}}`, `PARAMS`, `USER` |
//! | `ONIMBOTMESSAGEADD` / `…UPDATE` / `…DELETE` | [`Event::MessageAdd`] / [`Event::MessageUpdate`] / [`Event::MessageDelete`] | `BOT{id: {bot tokens…, AUTH, BOT_ID, BOT_CODE}}`, `PARAMS`, `USER` |
//! | `ONIMBOTJOINCHAT` | [`Event::JoinChat`] | `BOT`, `PARAMS{CHAT_TYPE, MESSAGE_TYPE, BOT_ID, USER_ID, DIALOG_ID, …}`, `USER` |
//! | `ONIMBOTDELETE` | [`Event::BotDelete`] | `BOT_ID`, `BOT_CODE` |
//! | `ONAPPINSTALL` | [`Event::AppInstall`] | `VERSION`, `ACTIVE`, `INSTALLED`, `LANGUAGE_ID` |
//! | `ONIMBOTV2*`, `ONIMV2*` (the v2 API) | [`Event::V2`] | see [`V2Event`] |
//! | anything else | [`Event::Other`] | as sent |
//!
//! Every event carries the top-level `auth` block ([`EventAuth`]): for an OAuth app the tokens of the person
//! who caused the event, for a webhook bot only `domain`, the endpoints, `member_id` and `application_token`
//! (v2 webhook events: only `domain` and `application_token`).
//! The bot's own tokens are in each bot/command entry ([`BotEntry::auth`], [`CommandEntry::auth`];
//! [`V2EventBot::auth`] in v2).
//!
//! v2 events also arrive by polling (`imbot.v2.Event.get`): their `data` is read into the same [`V2Event`] by
//! [`V2Event::from_fetch`] / [`QueuedEvent::event`](crate::methods::v2::QueuedEvent::event).

use crate::client::Client;
use crate::serde_util::{value_flag, value_i64, value_string};
use imbot_wire::DialogId;
use serde_json::{Map, Value};

mod v2;
pub use v2::{
    V2BotDelete, V2CommandAdd, V2CommandCall, V2ContextGet, V2Event, V2EventBot, V2JoinChat, V2MessageDelete,
    V2MessageEvent, V2OtherEvent, V2ReactionChange, is_v2_event, parse_v2_event,
};

/// Why an event body was refused.
///
/// ```
/// use imbot_sdk::events::{EventError, parse_event};
/// assert!(matches!(parse_event(b"data%5BX%5D=1"), Err(EventError::Malformed(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// Not an event body, or a field the event needs is missing.
    #[error("not a valid Bitrix24 event: {0}")]
    Malformed(String),
    /// `auth[application_token]` is missing or is not one of the configured tokens.
    #[error("the event's application_token is missing or wrong")]
    ApplicationToken,
    /// The Standard Webhooks signature is missing, stale or does not match any configured secret.
    #[error("webhook signature rejected: {0}")]
    Signature(String),
}

/// The `auth` block of an event, or a bot's token block inside it. Every field is optional: webhook bots get only
/// `domain`, the endpoints, `member_id` and `application_token`.
///
/// `Debug` never prints the tokens.
///
/// ```
/// use imbot_sdk::events::EventAuth;
/// let a = EventAuth { application_token: Some("831c".into()), ..Default::default() };
/// assert_eq!(a.application_token.as_deref(), Some("831c"));
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct EventAuth {
    /// `access_token`.
    pub access_token: Option<String>,
    /// `expires`: unix seconds.
    pub expires: Option<i64>,
    /// `expires_in`: seconds.
    pub expires_in: Option<i64>,
    /// `scope`.
    pub scope: Option<String>,
    /// `domain`: the portal.
    pub domain: Option<String>,
    /// `server_endpoint`: the OAuth server's REST root.
    pub server_endpoint: Option<String>,
    /// `status`: the app status letter (`L`, `F`, …).
    pub status: Option<String>,
    /// `client_endpoint`: the portal's REST root (`https://portal/rest/`).
    pub client_endpoint: Option<String>,
    /// `member_id`: the portal's id.
    pub member_id: Option<String>,
    /// `user_id`: whose tokens these are (the bot's in a bot entry).
    pub user_id: Option<i64>,
    /// `refresh_token` (not in every event).
    pub refresh_token: Option<String>,
    /// `client_id` (bot token blocks).
    pub client_id: Option<String>,
    /// `application_token`: compare it with the one you stored (ONAPPINSTALL, or the CLIENT_ID of a webhook bot).
    pub application_token: Option<String>,
}

impl std::fmt::Debug for EventAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventAuth")
            .field("access_token", &self.access_token.as_ref().map(|_| "…"))
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "…"))
            .field("domain", &self.domain)
            .field("client_endpoint", &self.client_endpoint)
            .field("user_id", &self.user_id)
            .field("expires", &self.expires)
            .field("application_token", &self.application_token.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

impl EventAuth {
    fn from_map(m: &Map<String, Value>) -> EventAuth {
        let s = |k: &str| m.get(k).and_then(value_string).filter(|s| !s.is_empty());
        let i = |k: &str| m.get(k).and_then(value_i64);
        EventAuth {
            access_token: s("access_token"),
            expires: i("expires"),
            expires_in: i("expires_in"),
            scope: s("scope"),
            domain: s("domain"),
            server_endpoint: s("server_endpoint"),
            status: s("status"),
            client_endpoint: s("client_endpoint"),
            member_id: s("member_id"),
            user_id: i("user_id"),
            refresh_token: s("refresh_token"),
            client_id: s("client_id"),
            application_token: s("application_token"),
        }
    }

    /// A [`Client`] that acts with this block's `access_token` at its `client_endpoint` (no refresh: the token
    /// lives an hour). With a bot entry's block the calls are made **as the bot**.
    ///
    /// Fails with [`Error::Invalid`](crate::Error::Invalid) when the block has no token or endpoint.
    ///
    /// ```
    /// use imbot_sdk::events::EventAuth;
    /// let a = EventAuth {
    ///     access_token: Some("t".into()),
    ///     client_endpoint: Some("https://portal.bitrix24.com/rest/".into()),
    ///     ..Default::default()
    /// };
    /// assert_eq!(a.client().unwrap().endpoint(), "https://portal.bitrix24.com/rest/");
    /// assert!(EventAuth::default().client().is_err());
    /// ```
    pub fn client(&self) -> crate::Result<Client> {
        match (&self.client_endpoint, &self.access_token) {
            (Some(endpoint), Some(token)) => Client::access_token(endpoint.clone(), token.clone()).build(),
            _ => Err(crate::Error::Invalid("this auth block has no access_token/client_endpoint".into())),
        }
    }
}

/// What every event has: its name, subscription, time and `auth`.
///
/// ```
/// let e = imbot_sdk::events::parse_event(b"event=ONAPPTEST&event_handler_id=5&ts=1700000000").unwrap();
/// assert_eq!(e.meta().name, "ONAPPTEST");
/// assert_eq!(e.meta().handler_id, Some(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct EventMeta {
    /// `event`, upper case.
    pub name: String,
    /// `event_handler_id`.
    pub handler_id: Option<i64>,
    /// `ts`: unix seconds when it was sent.
    pub ts: Option<i64>,
    /// `auth`.
    pub auth: Option<EventAuth>,
    /// `eventId` of a v2 event read with `Event.get` (fetch mode); `None` for POSTed events.
    pub event_id: Option<i64>,
    /// `date` of a v2 event read with `Event.get` (ISO 8601); `None` for POSTed events.
    pub date: Option<String>,
}

/// Where a command was invoked from (`COMMAND_CONTEXT`).
///
/// ```
/// use imbot_sdk::events::CommandContext;
/// assert_eq!(CommandContext::parse("KEYBOARD"), CommandContext::Keyboard);
/// assert_eq!(CommandContext::parse("x"), CommandContext::Other("x".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandContext {
    /// Typed in the input field.
    Textarea,
    /// A keyboard button.
    Keyboard,
    /// A context-menu item.
    Menu,
    /// Anything else, as sent.
    Other(String),
}

impl CommandContext {
    /// Reads `COMMAND_CONTEXT` (case-insensitive).
    ///
    /// ```
    /// assert_eq!(imbot_sdk::events::CommandContext::parse("menu"), imbot_sdk::events::CommandContext::Menu);
    /// ```
    pub fn parse(s: &str) -> CommandContext {
        match s.to_ascii_uppercase().as_str() {
            "TEXTAREA" => CommandContext::Textarea,
            "KEYBOARD" => CommandContext::Keyboard,
            "MENU" => CommandContext::Menu,
            _ => CommandContext::Other(s.to_owned()),
        }
    }
}

/// A bot concerned by an event (`data[BOT][id]`), with its own tokens.
///
/// ```
/// # let body = b"event=ONIMBOTDELETE&data%5BBOT_ID%5D=5&data%5BBOT_CODE%5D=x";
/// let e = imbot_sdk::events::parse_event(body).unwrap();
/// assert!(e.bots().is_empty()); // ONIMBOTDELETE has no BOT block
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BotEntry {
    /// `BOT_ID`.
    pub bot_id: i64,
    /// `BOT_CODE`.
    pub bot_code: String,
    /// The bot's token block (`AUTH`, or the tokens beside it); `None` when the event carries no tokens.
    pub auth: Option<EventAuth>,
}

/// One invoked command of `ONIMCOMMANDADD` (`data[COMMAND][id]`).
///
/// ```
/// let body = "event=ONIMCOMMANDADD&data[COMMAND][7][BOT_ID]=5&data[COMMAND][7][COMMAND]=echo\
///             &data[COMMAND][7][COMMAND_PARAMS]=hi+there&data[COMMAND][7][MESSAGE_ID]=99";
/// let imbot_sdk::Event::CommandAdd(c) = imbot_sdk::events::parse_event(body.as_bytes()).unwrap() else { panic!() };
/// let cmd = &c.commands[0];
/// assert_eq!((cmd.command_id, cmd.bot_id, cmd.params.as_str(), cmd.message_id), (7, 5, "hi there", 99));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CommandEntry {
    /// `COMMAND_ID` (the entry's key).
    pub command_id: i64,
    /// `BOT_ID`: the bot the command belongs to.
    pub bot_id: i64,
    /// `BOT_CODE`.
    pub bot_code: String,
    /// `COMMAND`: without the `/`.
    pub command: String,
    /// `COMMAND_PARAMS`: the rest of the line (or the button's params).
    pub params: String,
    /// `COMMAND_CONTEXT`.
    pub context: CommandContext,
    /// `MESSAGE_ID`: the message to answer (for buttons and menus: the bot's message that carried them).
    pub message_id: i64,
    /// The bot's token block.
    pub auth: Option<EventAuth>,
}

/// The message fields of `data[PARAMS]` in message and command events. The documented fields are typed; all of
/// them stay in `raw`.
///
/// ```
/// let body = "event=ONIMBOTMESSAGEADD&data[BOT][5][BOT_ID]=5&data[PARAMS][MESSAGE]=hi\
///             &data[PARAMS][DIALOG_ID]=27&data[PARAMS][FROM_USER_ID]=27&data[PARAMS][MESSAGE_ID]=9\
///             &data[PARAMS][MESSAGE_TYPE]=P";
/// let imbot_sdk::Event::MessageAdd(m) = imbot_sdk::events::parse_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!(m.params.dialog_id, Some(imbot_sdk::DialogId::User(27)));
/// assert!(m.params.is_private());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct MessageParams {
    /// `MESSAGE_ID` (or `ID`).
    pub message_id: Option<i64>,
    /// `MESSAGE`: the text (mentions removed in group chats; see `message_original`).
    pub message: String,
    /// `MESSAGE_ORIGINAL`: the text as written (group chats).
    pub message_original: Option<String>,
    /// `DIALOG_ID`: where to answer (for a private dialog, the other person).
    pub dialog_id: Option<DialogId>,
    /// `TO_CHAT_ID` (or `CHAT_ID`).
    pub chat_id: Option<i64>,
    /// `FROM_USER_ID`.
    pub from_user_id: Option<i64>,
    /// `TO_USER_ID`.
    pub to_user_id: Option<i64>,
    /// `AUTHOR_ID`.
    pub author_id: Option<i64>,
    /// `MESSAGE_TYPE`: `P` private, `C` chat, `O` open chat, `L` open line, …
    pub message_type: Option<String>,
    /// `CHAT_TYPE`.
    pub chat_type: Option<String>,
    /// `SYSTEM`.
    pub system: bool,
    /// `TEMPLATE_ID`: the sender's id of the message.
    pub template_id: Option<String>,
    /// `LANGUAGE`.
    pub language: Option<String>,
    /// Every field of `PARAMS`, as sent.
    pub raw: Map<String, Value>,
}

impl MessageParams {
    fn from_map(m: &Map<String, Value>) -> MessageParams {
        let s = |k: &str| m.get(k).and_then(value_string);
        let i = |k: &str| m.get(k).and_then(value_i64);
        MessageParams {
            message_id: i("MESSAGE_ID").or_else(|| i("ID")),
            message: s("MESSAGE").unwrap_or_default(),
            message_original: s("MESSAGE_ORIGINAL"),
            dialog_id: m.get("DIALOG_ID").and_then(DialogId::from_value),
            chat_id: i("TO_CHAT_ID").or_else(|| i("CHAT_ID")),
            from_user_id: i("FROM_USER_ID"),
            to_user_id: i("TO_USER_ID"),
            author_id: i("AUTHOR_ID"),
            message_type: s("MESSAGE_TYPE"),
            chat_type: s("CHAT_TYPE"),
            system: m.get("SYSTEM").is_some_and(value_flag),
            template_id: s("TEMPLATE_ID").filter(|t| !t.is_empty()),
            language: s("LANGUAGE"),
            raw: m.clone(),
        }
    }

    /// Is this a private (one-to-one) dialog?
    ///
    /// ```
    /// assert!(!imbot_sdk::events::MessageParams::default().is_private());
    /// ```
    pub fn is_private(&self) -> bool {
        self.message_type.as_deref().or(self.chat_type.as_deref()) == Some("P")
    }

    /// Where an answer goes: `DIALOG_ID`, else the author (private) or `chat{CHAT_ID}`.
    ///
    /// ```
    /// let mut p = imbot_sdk::events::MessageParams::default();
    /// p.chat_id = Some(1407);
    /// assert_eq!(p.reply_to(), Some(imbot_sdk::DialogId::Chat(1407)));
    /// ```
    pub fn reply_to(&self) -> Option<DialogId> {
        if self.dialog_id.is_some() {
            return self.dialog_id;
        }
        if self.is_private() {
            self.from_user_id.or(self.author_id).filter(|&u| u > 0).map(DialogId::User)
        } else {
            self.chat_id.filter(|&c| c > 0).map(DialogId::Chat)
        }
    }
}

/// `data[USER]`: who caused the event (absent for system messages).
///
/// ```
/// let body = "event=ONIMBOTJOINCHAT&data[BOT][5][BOT_ID]=5&data[USER][ID]=27&data[USER][NAME]=Svetlana+Ivanova";
/// let imbot_sdk::Event::JoinChat(j) = imbot_sdk::events::parse_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!(j.user.unwrap().name, "Svetlana Ivanova");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct EventUser {
    /// `ID`.
    pub id: i64,
    /// `NAME`: the full name.
    pub name: String,
    /// `FIRST_NAME`.
    pub first_name: String,
    /// `LAST_NAME`.
    pub last_name: String,
    /// `GENDER`.
    pub gender: String,
    /// `IS_BOT`.
    pub is_bot: bool,
    /// `IS_EXTRANET`.
    pub is_extranet: bool,
    /// Every field, as sent.
    pub raw: Map<String, Value>,
}

impl EventUser {
    fn from_map(m: &Map<String, Value>) -> Option<EventUser> {
        let id = m.get("ID").and_then(value_i64)?;
        let s = |k: &str| m.get(k).and_then(value_string).unwrap_or_default();
        Some(EventUser {
            id,
            name: s("NAME"),
            first_name: s("FIRST_NAME"),
            last_name: s("LAST_NAME"),
            gender: s("GENDER"),
            is_bot: m.get("IS_BOT").is_some_and(value_flag),
            is_extranet: m.get("IS_EXTRANET").is_some_and(value_flag),
            raw: m.clone(),
        })
    }
}

/// `ONIMCOMMANDADD`: one or more commands of the application's bots were invoked.
///
/// ```
/// let body = "event=ONIMCOMMANDADD&data[COMMAND][7][BOT_ID]=5&data[COMMAND][7][COMMAND]=echo\
///             &data[COMMAND][7][MESSAGE_ID]=99&data[PARAMS][DIALOG_ID]=chat3";
/// let imbot_sdk::Event::CommandAdd(c) = imbot_sdk::events::parse_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!(c.params.reply_to(), Some(imbot_sdk::DialogId::Chat(3)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CommandAdd {
    /// Name, subscription, time, `auth`.
    pub meta: EventMeta,
    /// The invoked commands (usually one).
    pub commands: Vec<CommandEntry>,
    /// The message that carried them.
    pub params: MessageParams,
    /// Who invoked them.
    pub user: Option<EventUser>,
}

/// `ONIMBOTMESSAGEADD`, `…UPDATE`, `…DELETE`: a message to the bot (private dialog, or a mention in a chat).
///
/// ```
/// let body = "event=ONIMBOTMESSAGEUPDATE&data[BOT][5][BOT_ID]=5&data[PARAMS][ID]=9&data[PARAMS][MESSAGE]=new";
/// let imbot_sdk::Event::MessageUpdate(m) = imbot_sdk::events::parse_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((m.bots[0].bot_id, m.params.message_id), (5, Some(9)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MessageEvent {
    /// Name, subscription, time, `auth`.
    pub meta: EventMeta,
    /// The application's bots the message concerns.
    pub bots: Vec<BotEntry>,
    /// The message.
    pub params: MessageParams,
    /// Its author.
    pub user: Option<EventUser>,
}

/// `ONIMBOTJOINCHAT`: the bot was added to a chat, or someone opened a private dialog with it.
///
/// ```
/// let body = "event=ONIMBOTJOINCHAT&data[BOT][5][BOT_ID]=5&data[PARAMS][DIALOG_ID]=chat9&data[PARAMS][USER_ID]=27";
/// let imbot_sdk::Event::JoinChat(j) = imbot_sdk::events::parse_event(body.as_bytes()).unwrap() else { panic!() };
/// assert_eq!((j.dialog_id, j.user_id), (Some(imbot_sdk::DialogId::Chat(9)), Some(27)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JoinChat {
    /// Name, subscription, time, `auth`.
    pub meta: EventMeta,
    /// The bots that joined.
    pub bots: Vec<BotEntry>,
    /// `DIALOG_ID`: where to say hello.
    pub dialog_id: Option<DialogId>,
    /// `CHAT_TYPE`: `P`, `C`, `O`, …
    pub chat_type: Option<String>,
    /// `CHAT_ID` (group chats).
    pub chat_id: Option<i64>,
    /// `USER_ID`: who added the bot (or opened the dialog).
    pub user_id: Option<i64>,
    /// `LANGUAGE`.
    pub language: Option<String>,
    /// Every field of `PARAMS`, as sent.
    pub params: Map<String, Value>,
    /// Who added the bot.
    pub user: Option<EventUser>,
}

/// `ONIMBOTDELETE`: the bot was deleted.
///
/// ```
/// let e = imbot_sdk::events::parse_event(b"event=ONIMBOTDELETE&data%5BBOT_ID%5D=567&data%5BBOT_CODE%5D=BOT").unwrap();
/// let imbot_sdk::Event::BotDelete(d) = e else { panic!() };
/// assert_eq!((d.bot_id, d.bot_code.as_str()), (567, "BOT"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BotDelete {
    /// Name, subscription, time, `auth`.
    pub meta: EventMeta,
    /// `BOT_ID`.
    pub bot_id: i64,
    /// `BOT_CODE`.
    pub bot_code: String,
}

/// `ONAPPINSTALL`: the application was installed; `meta.auth` carries its first tokens and `application_token`.
///
/// ```
/// let body = "event=ONAPPINSTALL&data[VERSION]=1&data[ACTIVE]=Y&data[INSTALLED]=Y&data[LANGUAGE_ID]=de\
///             &auth[access_token]=a&auth[refresh_token]=r&auth[application_token]=t";
/// let imbot_sdk::Event::AppInstall(i) = imbot_sdk::events::parse_event(body.as_bytes()).unwrap() else { panic!() };
/// assert!(i.installed);
/// assert_eq!(i.meta.auth.unwrap().application_token.as_deref(), Some("t"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppInstall {
    /// Name, subscription, time, `auth`.
    pub meta: EventMeta,
    /// `VERSION`.
    pub version: String,
    /// `ACTIVE`.
    pub active: bool,
    /// `INSTALLED`: `false` means the app must still finish installing.
    pub installed: bool,
    /// `LANGUAGE_ID`.
    pub language_id: String,
}

/// Any other event (`ONUSERADD`, `ONAPPTEST`, …), with its `data` as decoded.
///
/// ```
/// let e = imbot_sdk::events::parse_event(b"event=ONUSERADD&data%5BID%5D=42").unwrap();
/// let imbot_sdk::Event::Other(o) = e else { panic!() };
/// assert_eq!((o.name.as_str(), &o.data["ID"]), ("ONUSERADD", &serde_json::json!("42")));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OtherEvent {
    /// `event`, upper case (also in `meta.name`).
    pub name: String,
    /// `data`, as decoded (`null` when absent).
    pub data: Value,
    /// Name, subscription, time, `auth`.
    pub meta: EventMeta,
}

/// A parsed event.
///
/// ```
/// use imbot_sdk::Event;
/// let e = imbot_sdk::events::parse_event(b"event=ONIMBOTDELETE&data%5BBOT_ID%5D=5&auth%5Bapplication_token%5D=t")
///     .unwrap();
/// assert!(matches!(e, Event::BotDelete(_)));
/// assert_eq!(e.name(), "ONIMBOTDELETE");
/// assert_eq!(e.application_token(), Some("t"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `ONIMCOMMANDADD`.
    CommandAdd(CommandAdd),
    /// `ONIMBOTMESSAGEADD`.
    MessageAdd(MessageEvent),
    /// `ONIMBOTMESSAGEUPDATE`.
    MessageUpdate(MessageEvent),
    /// `ONIMBOTMESSAGEDELETE`.
    MessageDelete(MessageEvent),
    /// `ONIMBOTJOINCHAT`.
    JoinChat(JoinChat),
    /// `ONIMBOTDELETE`.
    BotDelete(BotDelete),
    /// `ONAPPINSTALL`.
    AppInstall(AppInstall),
    /// A v2 event (`ONIMBOTV2*` of a webhook-mode v2 bot; `ONIMV2*`).
    V2(V2Event),
    /// Anything else.
    Other(OtherEvent),
}

impl Event {
    /// Name, subscription, time and `auth` of any event.
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_event(b"event=onapptest&ts=17").unwrap();
    /// assert_eq!((e.meta().name.as_str(), e.meta().ts), ("ONAPPTEST", Some(17)));
    /// ```
    pub fn meta(&self) -> &EventMeta {
        match self {
            Event::CommandAdd(e) => &e.meta,
            Event::MessageAdd(e) | Event::MessageUpdate(e) | Event::MessageDelete(e) => &e.meta,
            Event::JoinChat(e) => &e.meta,
            Event::BotDelete(e) => &e.meta,
            Event::AppInstall(e) => &e.meta,
            Event::V2(e) => e.meta(),
            Event::Other(e) => &e.meta,
        }
    }

    /// The event name (`ONIMCOMMANDADD`, …).
    ///
    /// ```
    /// assert_eq!(imbot_sdk::events::parse_event(b"event=ONAPPTEST").unwrap().name(), "ONAPPTEST");
    /// ```
    pub fn name(&self) -> &str {
        &self.meta().name
    }

    /// The top-level `auth` block.
    ///
    /// ```
    /// assert!(imbot_sdk::events::parse_event(b"event=ONAPPTEST").unwrap().auth().is_none());
    /// ```
    pub fn auth(&self) -> Option<&EventAuth> {
        self.meta().auth.as_ref()
    }

    /// `auth[application_token]`.
    ///
    /// ```
    /// let e = imbot_sdk::events::parse_event(b"event=ONAPPTEST&auth%5Bapplication_token%5D=abc").unwrap();
    /// assert_eq!(e.application_token(), Some("abc"));
    /// ```
    pub fn application_token(&self) -> Option<&str> {
        self.auth()?.application_token.as_deref()
    }

    /// The bots the event concerns (message and join events; the command owners of `ONIMCOMMANDADD`; the bot
    /// of a v2 event).
    ///
    /// ```
    /// let body = "event=ONIMBOTMESSAGEADD&data[BOT][5][BOT_ID]=5&data[BOT][5][BOT_CODE]=echo";
    /// let e = imbot_sdk::events::parse_event(body.as_bytes()).unwrap();
    /// assert_eq!(e.bots()[0].bot_code, "echo");
    /// ```
    pub fn bots(&self) -> Vec<BotEntry> {
        match self {
            Event::MessageAdd(e) | Event::MessageUpdate(e) | Event::MessageDelete(e) => e.bots.clone(),
            Event::JoinChat(e) => e.bots.clone(),
            Event::CommandAdd(c) => {
                let mut out: Vec<BotEntry> = Vec::new();
                for cmd in &c.commands {
                    if !out.iter().any(|b| b.bot_id == cmd.bot_id) {
                        out.push(BotEntry {
                            bot_id: cmd.bot_id,
                            bot_code: cmd.bot_code.clone(),
                            auth: cmd.auth.clone(),
                        });
                    }
                }
                out
            }
            Event::V2(e) => e.bot_entries(),
            _ => Vec::new(),
        }
    }
}

/// Parses an event body: `application/x-www-form-urlencoded` as Bitrix24 sends it (PHP `http_build_query`),
/// or a JSON object.
///
/// Errors: [`EventError::Malformed`] when there is no `event` field, or a bot/command entry lacks the ids a
/// handler needs (`BOT_ID`; `COMMAND_ID`/`MESSAGE_ID` of a command; for v2 events see [`parse_v2_event`]).
///
/// ```
/// use imbot_sdk::{Event, events::parse_event};
/// let body = b"event=ONIMCOMMANDADD&event_handler_id=1045\
///     &data%5BCOMMAND%5D%5B103%5D%5BBOT_ID%5D=1291&data%5BCOMMAND%5D%5B103%5D%5BCOMMAND%5D=echo\
///     &data%5BCOMMAND%5D%5B103%5D%5BCOMMAND_PARAMS%5D=test&data%5BCOMMAND%5D%5B103%5D%5BMESSAGE_ID%5D=33899\
///     &data%5BCOMMAND%5D%5B103%5D%5BCOMMAND_CONTEXT%5D=TEXTAREA&ts=1772109486";
/// let Event::CommandAdd(c) = parse_event(body).unwrap() else { panic!("a command") };
/// assert_eq!(c.commands[0].command, "echo");
/// assert_eq!(c.commands[0].params, "test");
/// ```
pub fn parse_event(body: &[u8]) -> Result<Event, EventError> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    let map = if trimmed.starts_with('{') {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(m)) => m,
            Ok(_) | Err(_) => return Err(EventError::Malformed("the JSON body is not an object".into())),
        }
    } else {
        imbot_wire::form::parse_str(&text)
    };
    parse_event_map(map)
}

/// Parses an already decoded event (`event`, `event_handler_id`, `data`, `ts`, `auth`), e.g. a form body a web
/// framework decoded with PHP semantics.
///
/// ```
/// use serde_json::json;
/// let m = json!({"event": "ONIMBOTDELETE", "data": {"BOT_ID": "5", "BOT_CODE": "x"}}).as_object().unwrap().clone();
/// let e = imbot_sdk::events::parse_event_map(m).unwrap();
/// assert_eq!(e.name(), "ONIMBOTDELETE");
/// ```
pub fn parse_event_map(mut map: Map<String, Value>) -> Result<Event, EventError> {
    let name = map
        .get("event")
        .and_then(value_string)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| EventError::Malformed("no `event` field".into()))?
        .trim()
        .to_ascii_uppercase();
    let meta = EventMeta {
        name: name.clone(),
        handler_id: map.get("event_handler_id").and_then(value_i64),
        ts: map.get("ts").and_then(value_i64),
        auth: map.get("auth").and_then(Value::as_object).map(EventAuth::from_map),
        event_id: None,
        date: None,
    };
    let data = map.remove("data").unwrap_or(Value::Null);
    if is_v2_event(&name) {
        return V2Event::from_parts(meta, data).map(Event::V2);
    }
    let empty = Map::new();
    let d = data.as_object().unwrap_or(&empty);
    let section = |k: &str| d.get(k).and_then(Value::as_object);
    let params = || section("PARAMS").map(MessageParams::from_map).unwrap_or_default();
    let user = || section("USER").and_then(EventUser::from_map);
    let event = match name.as_str() {
        "ONIMCOMMANDADD" => {
            let commands = section("COMMAND")
                .ok_or_else(|| EventError::Malformed("ONIMCOMMANDADD without data[COMMAND]".into()))?
                .iter()
                .map(|(key, v)| command_entry(key, v))
                .collect::<Result<Vec<_>, _>>()?;
            if commands.is_empty() {
                return Err(EventError::Malformed("ONIMCOMMANDADD with an empty data[COMMAND]".into()));
            }
            Event::CommandAdd(CommandAdd { meta, commands, params: params(), user: user() })
        }
        "ONIMBOTMESSAGEADD" | "ONIMBOTMESSAGEUPDATE" | "ONIMBOTMESSAGEDELETE" => {
            let e = MessageEvent { bots: bot_entries(&name, section("BOT"))?, meta, params: params(), user: user() };
            match name.as_str() {
                "ONIMBOTMESSAGEADD" => Event::MessageAdd(e),
                "ONIMBOTMESSAGEUPDATE" => Event::MessageUpdate(e),
                _ => Event::MessageDelete(e),
            }
        }
        "ONIMBOTJOINCHAT" => {
            let p = section("PARAMS").cloned().unwrap_or_default();
            let s = |k: &str| p.get(k).and_then(value_string);
            Event::JoinChat(JoinChat {
                bots: bot_entries(&name, section("BOT"))?,
                meta,
                dialog_id: p.get("DIALOG_ID").and_then(DialogId::from_value),
                chat_type: s("CHAT_TYPE").or_else(|| s("MESSAGE_TYPE")),
                chat_id: p.get("CHAT_ID").and_then(value_i64),
                user_id: p.get("USER_ID").and_then(value_i64),
                language: s("LANGUAGE"),
                params: p.clone(),
                user: user(),
            })
        }
        "ONIMBOTDELETE" => Event::BotDelete(BotDelete {
            meta,
            bot_id: d
                .get("BOT_ID")
                .and_then(value_i64)
                .ok_or_else(|| EventError::Malformed("ONIMBOTDELETE without data[BOT_ID]".into()))?,
            bot_code: d.get("BOT_CODE").and_then(value_string).unwrap_or_default(),
        }),
        "ONAPPINSTALL" => Event::AppInstall(AppInstall {
            meta,
            version: d.get("VERSION").and_then(value_string).unwrap_or_default(),
            active: d.get("ACTIVE").is_some_and(value_flag),
            installed: d.get("INSTALLED").is_some_and(value_flag),
            language_id: d.get("LANGUAGE_ID").and_then(value_string).unwrap_or_default(),
        }),
        _ => Event::Other(OtherEvent { name, data, meta }),
    };
    Ok(event)
}

/// A bot's token block inside an entry: `AUTH`, else the token fields beside `BOT_ID`.
fn entry_auth(m: &Map<String, Value>) -> Option<EventAuth> {
    match m.get("AUTH").and_then(Value::as_object) {
        Some(a) => Some(EventAuth::from_map(a)),
        None if m.contains_key("access_token") => Some(EventAuth::from_map(m)),
        None => None,
    }
}

fn bot_entries(event: &str, bots: Option<&Map<String, Value>>) -> Result<Vec<BotEntry>, EventError> {
    let bots = bots.ok_or_else(|| EventError::Malformed(format!("{event} without data[BOT]")))?;
    bots.iter()
        .map(|(key, v)| {
            let m = v.as_object().ok_or_else(|| EventError::Malformed(format!("data[BOT][{key}] is not an array")))?;
            let bot_id = m
                .get("BOT_ID")
                .and_then(value_i64)
                .or_else(|| key.parse().ok())
                .ok_or_else(|| EventError::Malformed(format!("data[BOT][{key}] has no BOT_ID")))?;
            Ok(BotEntry {
                bot_id,
                bot_code: m.get("BOT_CODE").and_then(value_string).unwrap_or_default(),
                auth: entry_auth(m),
            })
        })
        .collect()
}

fn command_entry(key: &str, v: &Value) -> Result<CommandEntry, EventError> {
    let m = v.as_object().ok_or_else(|| EventError::Malformed(format!("data[COMMAND][{key}] is not an array")))?;
    let need = |k: &str, fallback: Option<i64>| {
        m.get(k)
            .and_then(value_i64)
            .or(fallback)
            .ok_or_else(|| EventError::Malformed(format!("data[COMMAND][{key}] has no {k}")))
    };
    let s = |k: &str| m.get(k).and_then(value_string).unwrap_or_default();
    Ok(CommandEntry {
        command_id: need("COMMAND_ID", key.parse().ok())?,
        bot_id: need("BOT_ID", None)?,
        bot_code: s("BOT_CODE"),
        command: s("COMMAND").trim_start_matches('/').to_owned(),
        params: s("COMMAND_PARAMS"),
        context: CommandContext::parse(&s("COMMAND_CONTEXT")),
        message_id: need("MESSAGE_ID", None)?,
        auth: entry_auth(m),
    })
}
