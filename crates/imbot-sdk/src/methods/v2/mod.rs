//! The v2 bot API, `imbot.v2.*` and `im.v2.*` (docs/v2.md): typed methods, the objects they answer with, and a
//! fetch-mode event poller.
//!
//! **Parameters** are camelCase and case-sensitive (`botId`, `dialogId`); content goes in a `fields` object;
//! flags are real booleans. The request structs here serialise to exactly that, so a method call is
//! `client.imbot_v2_chat_message_send(bot_id, &SendMessage::new(dialog, "Hi"))`. Every method that acts as a bot
//! takes the bot's id first: v2 never picks a bot for you.
//!
//! **Authorisation.** Over OAuth nothing more is needed. Over a webhook every `imbot.v2.*` method but
//! `Revision.get` needs the bot's `botToken` — the secret you chose when registering it, which names the bot's
//! owner. Give it to the client once, [`ClientBuilder::bot_token`](crate::ClientBuilder::bot_token) (or
//! [`Client::with_bot_token`](crate::Client::with_bot_token) for several bots), and the client adds it to every
//! call; `im.v2.*` methods act as the calling user and never take it.
//!
//! ```no_run
//! use imbot_sdk::{Client, DialogId};
//! use imbot_sdk::methods::v2::{RegisterBotV2, SendMessage};
//!
//! # async fn run() -> imbot_sdk::Result<()> {
//! let client = Client::webhook("https://portal.bitrix24.com/rest/1/abc/").bot_token("support-7f3a").build()?;
//! let answer = client.imbot_v2_bot_register(&RegisterBotV2::fetch("support_bot", "Support")).await?;
//! let sent = client.imbot_v2_chat_message_send(answer.bot.id, &SendMessage::new(DialogId::Chat(5), "Hello")).await?;
//! println!("message {}", sent.id);
//! # Ok(()) }
//! ```
//!
//! **Answers** are typed as the objects of docs/v2.md §4 — [`BotV2`], [`UserV2`], [`ChatV2`], [`MessageV2`],
//! [`CommandV2`], [`FileV2`] — with camelCase names, every id read leniently (`456` and `"456"`, so the same
//! types read the all-string webhook events), and the fields they do not type in `extra`. Operations without
//! data (`{"result": true}`) return `bool`.
//!
//! **Enumerations** (bot types, event modes, colours, reactions, status codes, …) are imbot-wire's, the ones the
//! server itself parses, re-exported here: `as_str` gives the wire spelling, `parse` the exact match and
//! `parse_ci` the case-insensitive one.
//!
//! ```
//! use imbot_sdk::methods::v2::{BotType, Reaction};
//! assert_eq!(BotType::Supervisor.as_str(), "supervisor");
//! assert_eq!(Reaction::parse("redHeart"), Some(Reaction::RedHeart));
//! ```
//!
//! **Errors** are [`Error::Api`](crate::Error::Api) with the documented code (`BOT_TOKEN_NOT_SPECIFIED`,
//! `ACCESS_DENIED`, …; all HTTP 400).
//!
//! | group | methods |
//! |---|---|
//! | bots | `imbot.v2.Bot.register`, `.update`, `.get`, `.list`, `.unregister`; `imbot.v2.Revision.get` |
//! | commands | `imbot.v2.Command.register`, `.update`, `.list`, `.unregister`, `.answer` |
//! | chats | `imbot.v2.Chat.add`, `.get`, `.update`, `.leave`, `.setOwner`, `Chat.User.add/delete/list`, `Chat.Manager.add/delete`, `Chat.InputAction.notify`, `Chat.TextField.enabled`; `im.v2.Chat.Bot.sendContext` |
//! | messages | `imbot.v2.Chat.Message.send`, `.update`, `.delete`, `.read`, `.get`, `.getContext`, `Chat.Message.Reaction.add/delete` |
//! | files | `imbot.v2.File.upload`, `.download`; `im.v2.File.upload`, `.download` |
//! | events | `imbot.v2.Event.get`, `im.v2.Event.subscribe`, `.unsubscribe`, `.get`; [`EventPoller`] (fetch loop with acknowledgement and back-off) |
//!
//! Events themselves — the `data` of fetched events and the form-encoded webhook POSTs — are parsed into
//! [`V2Event`](crate::events::V2Event) (see [`events`](crate::events)).

mod bots;
mod chats;
mod fetch;
mod files;
mod messages;

pub use bots::{
    BotAnswer, BotKey, BotListQuery, BotPage, BotPropertiesV2, RegisterBotV2, RegisterCommandV2, Revision, UpdateBotV2,
    UpdateCommandV2,
};
pub use chats::{ChatAnswer, ChatFieldsV2, NewChatV2, UserListQuery};
pub use fetch::{EventPage, EventPoller, QueuedEvent};
pub use files::{FileV2, NewFile, UploadedFile};
pub use messages::{
    CommandAnswerV2, FoundMessage, MessageContext, ReadReceipt, SendMessage, SentMessage, UpdateMessage,
};

// The enumerations of docs/v2.md §8, from imbot-wire (the server's own).
pub use imbot_wire::v2::enums::{
    Background, BotType, ChatRole, ChatType, ChatUserOrderField, Color, CommandContext, EventMode, FileType, Gender,
    Reaction, ReactionAction, SortDirection, StatusMessageCode, UserType,
};

use crate::serde_util::{de, value_flag};
use imbot_wire::DialogId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A `{"result": true}` answer (or a bare `true`) as a `bool`.
pub(crate) fn ok_result(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.get("result").is_some_and(value_flag),
        other => value_flag(other),
    }
}

/// A user (`users[]`, `user`; docs/v2.md §4.1), in method and event form alike.
///
/// The online fields are `string|false`: `None` when `false` (always so in events).
///
/// ```
/// use imbot_sdk::methods::v2::UserV2;
/// let u: UserV2 = serde_json::from_value(serde_json::json!({
///     "id": 1, "active": true, "name": "John Smith", "firstName": "John", "bot": false, "type": "employee",
///     "lastActivityDate": false, "departments": [1], "phones": false, "email": "john@example.com"
/// })).unwrap();
/// assert_eq!((u.id, u.name.as_str(), u.kind.as_str()), (1, "John Smith", "employee"));
/// assert!(u.active && !u.bot && u.last_activity_date.is_none() && u.phones.is_none());
/// // The webhook form: every scalar a string, lists as PHP arrays.
/// let w: UserV2 = serde_json::from_value(serde_json::json!({
///     "id": "1", "active": "1", "bot": "0", "idle": "0", "departments": {"0": "1"}
/// })).unwrap();
/// assert_eq!((w.id, w.active, w.bot, w.idle.clone(), w.departments.clone()), (1, true, false, None, vec![1]));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserV2 {
    /// `id`.
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `active`.
    #[serde(default, deserialize_with = "de::flag")]
    pub active: bool,
    /// `name`: the full name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// `firstName`.
    #[serde(default, deserialize_with = "de::string")]
    pub first_name: String,
    /// `lastName`.
    #[serde(default, deserialize_with = "de::string")]
    pub last_name: String,
    /// `workPosition`.
    #[serde(default, deserialize_with = "de::string")]
    pub work_position: String,
    /// `color`: `#rrggbb`.
    #[serde(default, deserialize_with = "de::string")]
    pub color: String,
    /// `avatar`: URL or `""`.
    #[serde(default, deserialize_with = "de::string")]
    pub avatar: String,
    /// `gender`: `M`, `F` or `""`.
    #[serde(default, deserialize_with = "de::string")]
    pub gender: String,
    /// `birthday`: `""` when unknown.
    #[serde(default, deserialize_with = "de::string")]
    pub birthday: String,
    /// `extranet`.
    #[serde(default, deserialize_with = "de::flag")]
    pub extranet: bool,
    /// `bot`.
    #[serde(default, deserialize_with = "de::flag")]
    pub bot: bool,
    /// `connector`: an Open Channels connector user.
    #[serde(default, deserialize_with = "de::flag")]
    pub connector: bool,
    /// `externalAuthId`: `default`, `bot`, `email`, …
    #[serde(default, deserialize_with = "de::string")]
    pub external_auth_id: String,
    /// `status`: `online`, `dnd`.
    #[serde(default, deserialize_with = "de::string")]
    pub status: String,
    /// `idle`: ISO date, `None` for `false`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub idle: Option<String>,
    /// `lastActivityDate`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub last_activity_date: Option<String>,
    /// `mobileLastDate`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub mobile_last_date: Option<String>,
    /// `desktopLastDate`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub desktop_last_date: Option<String>,
    /// `absent`: start of an absence.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub absent: Option<String>,
    /// `departments`.
    #[serde(default, deserialize_with = "de::int_list")]
    pub departments: Vec<i64>,
    /// `phones`: `personalPhone`, `workPhone`, …; `None` for `false`.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub phones: Option<Map<String, Value>>,
    /// `type`: `employee`, `extranet`, `email`, `collaber`, `bot` (see [`UserV2::user_type`]).
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    pub kind: String,
    /// `website`.
    #[serde(default, deserialize_with = "de::string")]
    pub website: String,
    /// `email`.
    #[serde(default, deserialize_with = "de::string")]
    pub email: String,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UserV2 {
    /// `type` as a [`UserType`], `None` for a value this crate does not know.
    ///
    /// ```
    /// use imbot_sdk::methods::v2::{UserType, UserV2};
    /// let u: UserV2 = serde_json::from_value(serde_json::json!({"id": 5, "type": "bot"})).unwrap();
    /// assert_eq!(u.user_type(), Some(UserType::Bot));
    /// ```
    pub fn user_type(&self) -> Option<UserType> {
        UserType::parse(&self.kind)
    }
}

/// A bot (`bot`, `bots[]`; docs/v2.md §4.2). The brief form (what other applications see) has `id` to
/// `language`; the extended form (the owner's, and every fetched event's) adds `moduleId`, `eventMode` and the
/// counters (`None` in the brief form).
///
/// ```
/// use imbot_sdk::methods::v2::{BotType, BotV2, EventMode};
/// let b: BotV2 = serde_json::from_value(serde_json::json!({
///     "id": 456, "code": "support_bot", "type": "bot", "isHidden": false, "isSupportOpenline": false,
///     "isReactionsEnabled": true, "backgroundId": null, "language": "en", "moduleId": "rest",
///     "eventMode": "fetch", "countMessage": 150, "countCommand": 3, "countChat": 12, "countUser": 45
/// })).unwrap();
/// assert_eq!((b.id, b.code.as_str(), b.bot_type(), b.event_mode()), (456, "support_bot", Some(BotType::Bot), Some(EventMode::Fetch)));
/// assert_eq!((b.count_message, b.background_id.as_deref()), (Some(150), None));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BotV2 {
    /// `id`: the bot's user id.
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `code`.
    #[serde(default, deserialize_with = "de::string")]
    pub code: String,
    /// `type`: `bot`, `supervisor`, `personal`, `openline`, `network` (see [`BotV2::bot_type`]).
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    pub kind: String,
    /// `isHidden`.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_hidden: bool,
    /// `isSupportOpenline`.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_support_openline: bool,
    /// `isReactionsEnabled`.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_reactions_enabled: bool,
    /// `backgroundId`: `None` for the user's own background.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub background_id: Option<String>,
    /// `language`.
    #[serde(default, deserialize_with = "de::string")]
    pub language: String,
    /// `moduleId` (extended form).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub module_id: Option<String>,
    /// `eventMode`: `fetch` or `webhook` (extended form; see [`BotV2::event_mode`]).
    #[serde(default, rename = "eventMode", deserialize_with = "de::opt_string")]
    pub event_mode_name: Option<String>,
    /// `countMessage`: messages sent (extended form).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub count_message: Option<i64>,
    /// `countCommand`: registered commands (extended form).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub count_command: Option<i64>,
    /// `countChat`: chats the bot is in (extended form).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub count_chat: Option<i64>,
    /// `countUser`: unique users (extended form).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub count_user: Option<i64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BotV2 {
    /// `type` as a [`BotType`].
    ///
    /// ```
    /// let b: imbot_sdk::methods::v2::BotV2 = serde_json::from_value(serde_json::json!({"id": 1, "type": "personal"})).unwrap();
    /// assert_eq!(b.bot_type(), Some(imbot_sdk::methods::v2::BotType::Personal));
    /// ```
    pub fn bot_type(&self) -> Option<BotType> {
        BotType::parse_ci(&self.kind)
    }

    /// `eventMode` as an [`EventMode`] (`None` in the brief form).
    ///
    /// ```
    /// let b: imbot_sdk::methods::v2::BotV2 = serde_json::from_value(serde_json::json!({"id": 1, "eventMode": "webhook"})).unwrap();
    /// assert_eq!(b.event_mode(), Some(imbot_sdk::methods::v2::EventMode::Webhook));
    /// ```
    pub fn event_mode(&self) -> Option<EventMode> {
        self.event_mode_name.as_deref().and_then(EventMode::parse_ci)
    }
}

/// A chat as the bot (or the calling user) sees it (`chat`; docs/v2.md §4.3). Method answers carry every field;
/// events leave out the reader's `role`/`muteList` and the method-only fields (`None`/empty here).
///
/// ```
/// use imbot_sdk::DialogId;
/// use imbot_sdk::methods::v2::ChatV2;
/// let c: ChatV2 = serde_json::from_value(serde_json::json!({
///     "id": 5, "dialogId": "chat5", "name": "Support Chat", "type": "chat", "messageType": "C", "owner": 456,
///     "color": "#4ba984", "entityLink": {}, "diskFolderId": 42, "role": "owner", "permissions": {},
///     "parentChatId": null, "isNew": true, "textFieldEnabled": "Y", "managerList": [], "messageCount": 1,
///     "userCounter": 3, "lastMessageViews": "{}"
/// })).unwrap();
/// assert_eq!((c.id, c.dialog(), c.owner, c.role.as_deref()), (5, Some(DialogId::Chat(5)), 456, Some("owner")));
/// assert!(c.text_field_enabled && c.is_new && c.parent_chat_id.is_none());
/// assert_eq!(c.extra["lastMessageViews"], "{}");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChatV2 {
    /// `id`.
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `dialogId`: `chat5`, or for a private dialog the other side's user id — where to answer.
    #[serde(default, deserialize_with = "de::string")]
    pub dialog_id: String,
    /// `name`.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// `description`.
    #[serde(default, deserialize_with = "de::string")]
    pub description: String,
    /// `type`: `chat`, `open`, `private`, … (see [`ChatV2::chat_type`]).
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    pub kind: String,
    /// `messageType`: `C`, `O`, `P`, `L`, …
    #[serde(default, deserialize_with = "de::string")]
    pub message_type: String,
    /// `owner`: user id.
    #[serde(default, deserialize_with = "de::int")]
    pub owner: i64,
    /// `color`: `#rrggbb`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub color: Option<String>,
    /// `avatar`: URL or `""`.
    #[serde(default, deserialize_with = "de::string")]
    pub avatar: String,
    /// `extranet`.
    #[serde(default, deserialize_with = "de::flag")]
    pub extranet: bool,
    /// `containsCollaber`.
    #[serde(default, deserialize_with = "de::flag")]
    pub contains_collaber: bool,
    /// `entityType`: what the chat is bound to (`LINES` for Open Channels), `""` when nothing.
    #[serde(default, deserialize_with = "de::string")]
    pub entity_type: String,
    /// `entityId`.
    #[serde(default, deserialize_with = "de::string")]
    pub entity_id: String,
    /// `entityData1`.
    #[serde(default, rename = "entityData1", deserialize_with = "de::string")]
    pub entity_data1: String,
    /// `entityData2`.
    #[serde(default, rename = "entityData2", deserialize_with = "de::string")]
    pub entity_data2: String,
    /// `entityData3`.
    #[serde(default, rename = "entityData3", deserialize_with = "de::string")]
    pub entity_data3: String,
    /// `entityLink`.
    #[serde(default, deserialize_with = "de::object")]
    pub entity_link: Map<String, Value>,
    /// `diskFolderId`.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub disk_folder_id: Option<i64>,
    /// `role`: the reader's role, `owner`, `manager`, `member`, … (method answers only).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub role: Option<String>,
    /// `permissions`: the reader's rights.
    #[serde(default, deserialize_with = "de::object")]
    pub permissions: Map<String, Value>,
    /// `muteList` (method answers only).
    #[serde(default, deserialize_with = "de::int_list")]
    pub mute_list: Vec<i64>,
    /// `parentChatId` (threads); `None` for `null` or `0`.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub parent_chat_id: Option<i64>,
    /// `parentMessageId`; `None` for `null` or `0`.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub parent_message_id: Option<i64>,
    /// `isNew`.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_new: bool,
    /// `textFieldEnabled` (`"Y"`/`"N"` on the wire).
    #[serde(default, deserialize_with = "de::flag")]
    pub text_field_enabled: bool,
    /// `backgroundId`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub background_id: Option<String>,
    /// `dateCreate` (method answers only).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub date_create: Option<String>,
    /// `lastMessageId` (method answers only).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub last_message_id: Option<i64>,
    /// `lastId`: the last message the reader has read (method answers only).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub last_id: Option<i64>,
    /// `managerList` (method answers only).
    #[serde(default, deserialize_with = "de::int_list")]
    pub manager_list: Vec<i64>,
    /// `messageCount` (method answers only).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub message_count: Option<i64>,
    /// `userCounter`: members (method answers only).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub user_counter: Option<i64>,
    /// Every other field (`lastMessageViews`, `markedId`, `public`, `unreadId`, …), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatV2 {
    /// `dialogId` parsed.
    ///
    /// ```
    /// let c: imbot_sdk::methods::v2::ChatV2 = serde_json::from_value(serde_json::json!({"id": 9, "dialogId": "27"})).unwrap();
    /// assert_eq!(c.dialog(), Some(imbot_sdk::DialogId::User(27)));
    /// ```
    pub fn dialog(&self) -> Option<DialogId> {
        DialogId::parse(&self.dialog_id)
    }

    /// `type` as a [`ChatType`].
    ///
    /// ```
    /// let c: imbot_sdk::methods::v2::ChatV2 = serde_json::from_value(serde_json::json!({"type": "private"})).unwrap();
    /// assert_eq!(c.chat_type(), Some(imbot_sdk::methods::v2::ChatType::Private));
    /// ```
    pub fn chat_type(&self) -> Option<ChatType> {
        ChatType::parse(&self.kind)
    }
}

/// Where a forwarded message came from (`message.forward`).
///
/// ```
/// use imbot_sdk::methods::v2::MessageV2;
/// let m: MessageV2 = serde_json::from_value(serde_json::json!(
///     {"id": 9, "forward": {"id": 3, "userId": 1, "chatId": 5, "date": "2025-01-15T10:30:00+01:00"}}
/// )).unwrap();
/// assert_eq!(m.forward.unwrap().chat_id, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ForwardV2 {
    /// `id`: the original message.
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `userId`: its author.
    #[serde(default, deserialize_with = "de::int")]
    pub user_id: i64,
    /// `chatId`: its chat.
    #[serde(default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `date`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub date: Option<String>,
}

fn forward<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ForwardV2>, D::Error> {
    match Value::deserialize(d)? {
        v @ Value::Object(_) => serde_json::from_value(v).map(Some).map_err(serde::de::Error::custom),
        _ => Ok(None),
    }
}

/// A message (`message`, `messages[]`; docs/v2.md §4.4).
///
/// ```
/// use imbot_sdk::methods::v2::MessageV2;
/// let m: MessageV2 = serde_json::from_value(serde_json::json!({
///     "id": 789, "chatId": 5, "authorId": 1, "date": "2025-01-15T10:30:00+01:00", "text": "Hello bot!",
///     "isSystem": false, "uuid": "", "forward": null, "params": {}, "viewedByOthers": false
/// })).unwrap();
/// assert_eq!((m.id, m.chat_id, m.author_id, m.text.as_str()), (789, 5, 1, "Hello bot!"));
/// assert!(m.forward.is_none() && m.params.is_empty() && m.unread.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MessageV2 {
    /// `id`.
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `chatId`.
    #[serde(default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `authorId`: `0` for system messages.
    #[serde(default, deserialize_with = "de::int")]
    pub author_id: i64,
    /// `date`: ISO 8601.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub date: Option<String>,
    /// `text`: BB-code.
    #[serde(default, deserialize_with = "de::string")]
    pub text: String,
    /// `isSystem`.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_system: bool,
    /// `uuid`: the sender's dedup id (`templateId`), `""` when none.
    #[serde(default, deserialize_with = "de::string")]
    pub uuid: String,
    /// `forward`: the original of a forwarded message.
    #[serde(default, deserialize_with = "forward")]
    pub forward: Option<ForwardV2>,
    /// `params`: the stored params, v1 UPPER_CASE keys (`ATTACH`, `KEYBOARD`, `FILE_ID`, `LIKE`, …).
    #[serde(default, deserialize_with = "de::object")]
    pub params: Map<String, Value>,
    /// `viewedByOthers`.
    #[serde(default, deserialize_with = "de::flag")]
    pub viewed_by_others: bool,
    /// `unread`: for the reader (method answers, when known).
    #[serde(default, deserialize_with = "de::opt_flag")]
    pub unread: Option<bool>,
    /// `viewed`: for the reader (method answers, when known).
    #[serde(default, deserialize_with = "de::opt_flag")]
    pub viewed: Option<bool>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MessageV2 {
    /// `params.KEYBOARD`: the message's buttons, when it has any.
    ///
    /// ```
    /// let m: imbot_sdk::methods::v2::MessageV2 = serde_json::from_value(serde_json::json!(
    ///     {"id": 1, "params": {"KEYBOARD": [{"TEXT": "Yes", "COMMAND": "yes"}]}}
    /// )).unwrap();
    /// assert_eq!(m.keyboard().unwrap()[0]["TEXT"], "Yes");
    /// ```
    pub fn keyboard(&self) -> Option<&Value> {
        self.params.get("KEYBOARD").filter(|k| !matches!(k, Value::Null | Value::Bool(false)) && k != &"N")
    }

    /// `params.ATTACH`: the message's attachments, when it has any.
    ///
    /// ```
    /// let m: imbot_sdk::methods::v2::MessageV2 = serde_json::from_value(serde_json::json!({"id": 1})).unwrap();
    /// assert!(m.attach().is_none());
    /// ```
    pub fn attach(&self) -> Option<&Value> {
        self.params.get("ATTACH").filter(|a| !matches!(a, Value::Null | Value::Bool(false)) && a != &"N")
    }
}

/// A slash command (`command`, `commands[]`; docs/v2.md §4.6). Register and update answer the short form
/// (`title`, `params`, `category`, `context` empty); `Command.list` the full one.
///
/// ```
/// use imbot_sdk::methods::v2::CommandV2;
/// let c: CommandV2 = serde_json::from_value(serde_json::json!({
///     "id": 42, "botId": 456, "command": "/help", "title": "Show Help", "params": "request text",
///     "common": false, "hidden": false, "extranetSupport": false, "category": "My Bot", "context": ""
/// })).unwrap();
/// assert_eq!((c.id, c.bot_id, c.command.as_str(), c.name()), (42, 456, "/help", "help"));
/// assert_eq!(c.title, "Show Help");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommandV2 {
    /// `id`: the command id (`commandId` of the other methods).
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `botId`.
    #[serde(default, deserialize_with = "de::int")]
    pub bot_id: i64,
    /// `command`, with the slash: `/help`.
    #[serde(default, deserialize_with = "de::string")]
    pub command: String,
    /// `common`: usable in any chat.
    #[serde(default, deserialize_with = "de::flag")]
    pub common: bool,
    /// `hidden`: not listed, still callable.
    #[serde(default, deserialize_with = "de::flag")]
    pub hidden: bool,
    /// `extranetSupport`.
    #[serde(default, deserialize_with = "de::flag")]
    pub extranet_support: bool,
    /// `title` in the portal's language (list form).
    #[serde(default, deserialize_with = "de::string")]
    pub title: String,
    /// `params`: the parameter hint (list form).
    #[serde(default, deserialize_with = "de::string")]
    pub params: String,
    /// `category`: the bot's name (list form).
    #[serde(default, deserialize_with = "de::string")]
    pub category: String,
    /// `context` (list form).
    #[serde(default, deserialize_with = "de::string")]
    pub context: String,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CommandV2 {
    /// The command without its slash (`help`), as events and keyboards name it.
    ///
    /// ```
    /// let c: imbot_sdk::methods::v2::CommandV2 = serde_json::from_value(serde_json::json!({"command": "/x"})).unwrap();
    /// assert_eq!(c.name(), "x");
    /// ```
    pub fn name(&self) -> &str {
        self.command.trim_start_matches('/')
    }
}

/// `{"botId": …}`, how every bot method starts its parameters (the client adds `botToken`).
pub(crate) fn bot_params(bot_id: i64) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("botId".into(), bot_id.into());
    m
}

/// `bot_params` plus `dialogId`.
pub(crate) fn dialog_params(bot_id: i64, dialog: DialogId) -> Map<String, Value> {
    let mut m = bot_params(bot_id);
    m.insert("dialogId".into(), dialog.to_string().into());
    m
}

/// Serialises a request struct (its `fields` object).
pub(crate) fn fields_of(method: &str, req: &impl Serialize) -> crate::Result<Value> {
    serde_json::to_value(req)
        .map_err(|e| crate::Error::Invalid(format!("params of {method} cannot be serialised: {e}")))
}

/// Reads `v[key]` as `T` (a wrapped answer such as `{"chat": …}`).
pub(crate) fn field<T: serde::de::DeserializeOwned>(method: &str, mut v: Value, key: &str) -> crate::Result<T> {
    let inner = v.get_mut(key).map(Value::take).unwrap_or(Value::Null);
    serde_json::from_value(inner).map_err(|source| crate::Error::Decode { method: method.to_owned(), source })
}

/// Reads `v` as `T`.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(method: &str, v: Value) -> crate::Result<T> {
    serde_json::from_value(v).map_err(|source| crate::Error::Decode { method: method.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ok_results() {
        assert!(ok_result(&json!({"result": true})));
        assert!(ok_result(&json!(true)));
        assert!(!ok_result(&json!({"result": false})));
        assert!(!ok_result(&json!(null)));
    }

    /// `imbot.v2.Chat.Message.getContext` → `imbot_v2_chat_message_get_context`.
    fn function_name(method: &str) -> String {
        let mut out = String::new();
        for (i, part) in method.split('.').enumerate() {
            if i > 0 {
                out.push('_');
            }
            for (j, c) in part.chars().enumerate() {
                if c.is_ascii_uppercase() && j > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
        }
        out
    }

    #[test]
    fn every_method_of_the_server_is_typed() {
        let src = [
            include_str!("bots.rs"),
            include_str!("chats.rs"),
            include_str!("messages.rs"),
            include_str!("files.rs"),
            include_str!("fetch.rs"),
        ]
        .concat();
        assert_eq!(imbot_wire::v2::methods::ALL.len(), 40);
        for m in imbot_wire::v2::methods::ALL {
            let f = function_name(m.name);
            assert!(src.contains(&format!("pub async fn {f}(")), "{} has no `Client::{f}`", m.name);
            assert!(src.contains(&format!("\"{}\"", m.name)), "{} is not called by its documented name", m.name);
        }
        assert_eq!(function_name("im.v2.Chat.Bot.sendContext"), "im_v2_chat_bot_send_context");
    }

    #[test]
    fn event_forms_read_like_method_forms() {
        let c: ChatV2 = serde_json::from_value(json!({
            "id": "5", "dialogId": "chat5", "owner": "1", "parentChatId": "0", "isNew": "0", "textFieldEnabled": "N",
            "diskFolderId": "42"
        }))
        .unwrap();
        assert_eq!((c.id, c.owner, c.parent_chat_id, c.disk_folder_id), (5, 1, None, Some(42)));
        assert!(!c.text_field_enabled && !c.is_new);
        let m: MessageV2 = serde_json::from_value(json!({"id": "7", "isSystem": "1", "params": []})).unwrap();
        assert!(m.is_system && m.params.is_empty());
        let u: UserV2 =
            serde_json::from_value(json!({"id": 1, "phones": {"workPhone": "1"}, "absent": "2025-01-01"})).unwrap();
        assert_eq!(u.phones.unwrap()["workPhone"], "1");
        assert_eq!(u.absent.as_deref(), Some("2025-01-01"));
    }
}
