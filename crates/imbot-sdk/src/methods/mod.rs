//! Typed REST methods: request structs with Bitrix24's field names, responses typed where their shape is stable.
//!
//! Each method is a function on [`Client`](crate::Client) named after the REST method with `.` → `_`
//! (`imbot.command.answer` → [`Client::imbot_command_answer`](crate::Client::imbot_command_answer)). Requests
//! with more than a few parameters are structs whose fields serialise to the documented upper-case names; `None`
//! fields are left out, so the server's defaults apply. Methods of `imbot.*` get `CLIENT_ID` from the client
//! when it is configured ([`ClientBuilder::client_id`](crate::ClientBuilder::client_id)).
//!
//! Responses keep Bitrix's own types where they are stable (message and bot ids are integers) and read every
//! id leniently (`27` and `"27"` alike). Objects whose composition varies keep the fields they do not type in
//! an `extra` map.
//!
//! | scope | methods |
//! |---|---|
//! | `imbot` | [`bots`]: register, unregister, update, bot.list; command.register/update/unregister/answer; message.add/update/delete/like; chat.sendTyping, chat.add/get/leave, chat.user.add/delete/list, chat.setOwner/setManager/updateTitle/updateColor/updateAvatar, dialog.get |
//! | `im` | [`im`]: message.add/update/delete/like, message.command, dialog.messages.get, dialog.get, dialog.read, dialog.unread, dialog.writing, dialog.users.list, chat.add, chat.get, chat.leave, chat.user.add/delete/list, revision.get |
//! | `user` | [`users`]: user.current, user.get (a page, or every user as a [`Stream`](futures_util::Stream)) |
//! | `basic` | [`other`]: server.time, methods, method.get, scope, app.info, profile; events, event.bind/unbind/get/test, event.offline.get/clear/error/list |
//! | imbotd only | [`delivery`]: imbotd.delivery.list/get/resend/status/ping |
//! | `imbot` v2 | [`v2`]: Bot.register/update/get/list/unregister; Command.register/update/list/unregister/answer; Chat.add/get/update/leave/setOwner, Chat.User.add/delete/list, Chat.Manager.add/delete, Chat.InputAction.notify, Chat.TextField.enabled; Chat.Message.send/update/delete/read/get/getContext, Chat.Message.Reaction.add/delete; Event.get (and the [`EventPoller`](v2::EventPoller) loop); File.upload/download; Revision.get |
//! | `im` v2 | [`v2`]: im.v2.Event.subscribe/unsubscribe/get, im.v2.File.upload/download, im.v2.Chat.Bot.sendContext |
//!
//! The v2 methods (`imbot.v2.*`, `im.v2.*`, all 40 of docs/v2.md) follow the v2 conventions instead: camelCase
//! parameters with content in `fields`, real booleans, the bot's id as the first argument, and `botToken` from
//! the client ([`ClientBuilder::bot_token`](crate::ClientBuilder::bot_token)) for webhook bots; see [`v2`].

pub mod bots;
pub use bots::NewChat;
pub mod delivery;
pub mod im;
pub mod other;
pub mod users;
pub mod v2;

use crate::serde_util::de;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The `ACTION` of a like (`imbot.message.like`, `im.message.like`).
///
/// ```
/// use imbot_sdk::methods::LikeAction;
/// assert_eq!(serde_json::to_value(LikeAction::Plus).unwrap(), "plus");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LikeAction {
    /// Toggle (the default).
    #[default]
    Auto,
    /// Like.
    Plus,
    /// Take the like back.
    Minus,
}

/// The `TYPE` of a new chat.
///
/// ```
/// use imbot_sdk::methods::ChatType;
/// assert_eq!(serde_json::to_value(ChatType::Open).unwrap(), "OPEN");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ChatType {
    /// A closed group chat (members only; the default).
    #[default]
    Chat,
    /// An open chat: every employee can find and read it.
    Open,
}

/// A chat object as `im.dialog.get` and `imbot.dialog.get` return it (`api-reference__chat-bots__outdated__chats__fields.md`).
///
/// The stable fields are typed; the rest (`restrictions`, `permissions`, `readed_list`, …) stay in `extra`.
///
/// ```
/// use imbot_sdk::methods::Dialog;
/// let d: Dialog = serde_json::from_value(serde_json::json!({
///     "id": 5, "name": "Team", "owner": "1", "type": "chat", "dialog_id": "chat5", "manager_list": [1]
/// }))
/// .unwrap();
/// assert_eq!((d.id, d.owner, d.dialog_id.as_str()), (5, 1, "chat5"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Dialog {
    /// `id`: the chat id (`0` for a private dialog never opened).
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `name`: the title (for a private dialog, the other person's name).
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// `description`.
    #[serde(default, deserialize_with = "de::string")]
    pub description: String,
    /// `owner`: user id of the owner.
    #[serde(default, deserialize_with = "de::int")]
    pub owner: i64,
    /// `type`: `chat`, `open`, `private`, …
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    pub kind: String,
    /// `message_type`: `C`, `O`, `P`, …
    #[serde(default, deserialize_with = "de::string")]
    pub message_type: String,
    /// `color`: `#hex`.
    #[serde(default, deserialize_with = "de::string")]
    pub color: String,
    /// `avatar`: URL or `""`.
    #[serde(default, deserialize_with = "de::string")]
    pub avatar: String,
    /// `user_counter`: members.
    #[serde(default, deserialize_with = "de::int")]
    pub user_counter: i64,
    /// `message_count`.
    #[serde(default, deserialize_with = "de::int")]
    pub message_count: i64,
    /// `last_message_id`.
    #[serde(default, deserialize_with = "de::int")]
    pub last_message_id: i64,
    /// `entity_type`: what the chat is bound to (free-form), `""` when nothing.
    #[serde(default, deserialize_with = "de::string")]
    pub entity_type: String,
    /// `entity_id`.
    #[serde(default, deserialize_with = "de::string")]
    pub entity_id: String,
    /// `date_create`: ISO 8601.
    #[serde(default, deserialize_with = "de::string")]
    pub date_create: String,
    /// `manager_list`: user ids of the chat's managers.
    #[serde(default, deserialize_with = "de::int_list")]
    pub manager_list: Vec<i64>,
    /// `dialog_id`: `chatN` or the user id.
    #[serde(default, deserialize_with = "de::string")]
    pub dialog_id: String,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Dialog {
    /// The `dialog_id` parsed into a [`DialogId`](crate::DialogId).
    ///
    /// ```
    /// # use imbot_sdk::methods::Dialog;
    /// let d: Dialog = serde_json::from_value(serde_json::json!({"id": 5, "dialog_id": "chat5"})).unwrap();
    /// assert_eq!(d.dialog(), Some(imbot_sdk::DialogId::Chat(5)));
    /// ```
    pub fn dialog(&self) -> Option<imbot_wire::DialogId> {
        imbot_wire::DialogId::parse(&self.dialog_id)
    }
}
