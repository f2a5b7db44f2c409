//! `im.*` (scope `im`): messages, dialogs and chats as the calling user (`api-reference__chats__*`).
//!
//! A bot uses these to read history, to act as a person in tests, and to press keyboard buttons
//! (`im.message.command`). KEYBOARD/MENU `COMMAND` buttons sent through `im.*` need the bot inside the keyboard:
//! build them with [`Keyboard::for_bot`](crate::rich::Keyboard::for_bot).

use super::bots::{NewChat, int_list, int_result};
use super::users::Page;
use super::{Dialog, LikeAction};
use crate::client::Client;
use crate::error::Result;
use crate::serde_util::{de, ser, value_flag, value_i64};
use imbot_wire::DialogId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// `im.message.add` parameters.
///
/// ```
/// use imbot_sdk::methods::im::NewMessage;
/// use imbot_sdk::DialogId;
/// let m = NewMessage::new(DialogId::User(567), "/echo hi");
/// assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::json!({"DIALOG_ID": "567", "MESSAGE": "/echo hi"}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct NewMessage {
    /// `DIALOG_ID`: `27` (private dialog with user 27), `chat5`.
    #[serde(serialize_with = "ser::dialog")]
    pub dialog_id: DialogId,
    /// `MESSAGE`: text (BB-code); may be empty when there is an ATTACH.
    pub message: String,
    /// `ATTACH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach: Option<Value>,
    /// `KEYBOARD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Value>,
    /// `MENU`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub menu: Option<Value>,
    /// `SYSTEM`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub system: Option<bool>,
    /// `URL_PREVIEW`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub url_preview: Option<bool>,
    /// `REPLY_ID`: the message this one answers (same chat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_id: Option<i64>,
    /// `TEMPLATE_ID`: your id of the message (a UUID), shown back as `uuid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_id: Option<String>,
}

impl NewMessage {
    /// `message` into `dialog`.
    ///
    /// ```
    /// let m = imbot_sdk::methods::im::NewMessage::new(imbot_sdk::DialogId::Chat(5), "hi");
    /// assert!(m.attach.is_none());
    /// ```
    pub fn new(dialog: DialogId, message: impl Into<String>) -> Self {
        NewMessage {
            dialog_id: dialog,
            message: message.into(),
            attach: None,
            keyboard: None,
            menu: None,
            system: None,
            url_preview: None,
            reply_id: None,
            template_id: None,
        }
    }
}

/// `im.message.update` parameters (see [`BotMessageUpdate`](super::bots::BotMessageUpdate) for clearing).
///
/// ```
/// use imbot_sdk::methods::im::MessageUpdate;
/// let u = MessageUpdate { message: Some("fixed".into()), ..MessageUpdate::new(10) };
/// assert_eq!(serde_json::to_value(&u).unwrap(), serde_json::json!({"MESSAGE_ID": 10, "MESSAGE": "fixed"}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct MessageUpdate {
    /// `MESSAGE_ID`.
    pub message_id: i64,
    /// `MESSAGE` (empty deletes the message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `ATTACH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach: Option<Value>,
    /// `KEYBOARD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Value>,
    /// `MENU`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub menu: Option<Value>,
    /// `URL_PREVIEW`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub url_preview: Option<bool>,
    /// `IS_EDITED`: `false` changes the ATTACH without the "edited" mark.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub is_edited: Option<bool>,
}

impl MessageUpdate {
    /// An update of `message_id` that changes nothing yet.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::methods::im::MessageUpdate::new(3).message_id, 3);
    /// ```
    pub fn new(message_id: i64) -> Self {
        MessageUpdate { message_id, ..Default::default() }
    }
}

/// Which page of history `im.dialog.messages.get` returns.
///
/// ```
/// use imbot_sdk::methods::im::HistoryQuery;
/// use imbot_sdk::DialogId;
/// let q = HistoryQuery { limit: Some(50), ..HistoryQuery::latest(DialogId::Chat(5)) };
/// assert_eq!(serde_json::to_value(&q).unwrap(), serde_json::json!({"DIALOG_ID": "chat5", "LIMIT": 50}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct HistoryQuery {
    /// `DIALOG_ID`.
    #[serde(serialize_with = "ser::dialog")]
    pub dialog_id: DialogId,
    /// `LAST_ID`: messages older than this one (newest first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_id: Option<i64>,
    /// `FIRST_ID`: messages newer than this one (oldest first); wins over `last_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_id: Option<i64>,
    /// `LIMIT`: 1–50 (default 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl HistoryQuery {
    /// The newest messages of `dialog`.
    ///
    /// ```
    /// let q = imbot_sdk::methods::im::HistoryQuery::latest(imbot_sdk::DialogId::User(1));
    /// assert!(q.last_id.is_none());
    /// ```
    pub fn latest(dialog: DialogId) -> Self {
        HistoryQuery { dialog_id: dialog, last_id: None, first_id: None, limit: None }
    }
}

/// A page of `im.dialog.messages.get`.
///
/// ```
/// use imbot_sdk::methods::im::History;
/// let h: History = serde_json::from_value(serde_json::json!({
///     "chat_id": 5,
///     "messages": [{"id": 9, "chat_id": 5, "author_id": 1, "date": "2024-01-01T00:00:00+00:00",
///                   "text": "hi", "unread": false, "uuid": null, "params": []}],
///     "users": [{"id": 1, "name": "Admin", "bot": false}],
///     "files": []
/// })).unwrap();
/// assert_eq!(h.messages[0].text, "hi");
/// assert_eq!(h.users[0].name, "Admin");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct History {
    /// `chat_id`.
    #[serde(default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `messages`.
    #[serde(default)]
    pub messages: Vec<ImMessage>,
    /// `users`: the authors of the page.
    #[serde(default)]
    pub users: Vec<ImUser>,
    /// `files`.
    #[serde(default)]
    pub files: Value,
}

/// A message of `im.dialog.messages.get`.
///
/// ```
/// use imbot_sdk::methods::im::ImMessage;
/// let m: ImMessage = serde_json::from_value(serde_json::json!({
///     "id": 9, "chat_id": 5, "author_id": 567, "text": "hi",
///     "params": {"KEYBOARD": [{"TEXT": "Repeat"}], "ATTACH": [{"BLOCKS": []}]}
/// })).unwrap();
/// assert_eq!(m.keyboard().unwrap()[0]["TEXT"], "Repeat");
/// assert!(m.attach().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ImMessage {
    /// `id`.
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    /// `chat_id`.
    #[serde(default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `author_id` (0 for system messages).
    #[serde(default, deserialize_with = "de::int")]
    pub author_id: i64,
    /// `date`: ISO 8601.
    #[serde(default, deserialize_with = "de::string")]
    pub date: String,
    /// `text`: as stored (BB-code).
    #[serde(default, deserialize_with = "de::string")]
    pub text: String,
    /// `unread`.
    #[serde(default, deserialize_with = "de::flag")]
    pub unread: bool,
    /// `uuid`: the `TEMPLATE_ID` it was sent with.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub uuid: Option<String>,
    /// `params`: `ATTACH`, `KEYBOARD`, `MENU`, `LIKE`, `IS_EDITED`, … (`[]` when none, as PHP sends it).
    #[serde(default, deserialize_with = "de::object")]
    pub params: Map<String, Value>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ImMessage {
    /// `params.KEYBOARD`: the stored buttons.
    ///
    /// ```
    /// # use imbot_sdk::methods::im::ImMessage;
    /// let m: ImMessage = serde_json::from_value(serde_json::json!({"id": 1, "params": []})).unwrap();
    /// assert!(m.keyboard().is_none());
    /// ```
    pub fn keyboard(&self) -> Option<&Value> {
        self.params.get("KEYBOARD").filter(|v| !v.is_null() && v.as_str() != Some("N"))
    }

    /// `params.ATTACH`: the stored attach objects.
    ///
    /// ```
    /// # use imbot_sdk::methods::im::ImMessage;
    /// let m: ImMessage = serde_json::from_value(serde_json::json!({"id": 1, "params": {}})).unwrap();
    /// assert!(m.attach().is_none());
    /// ```
    pub fn attach(&self) -> Option<&Value> {
        self.params.get("ATTACH").filter(|v| !v.is_null())
    }

    /// `params.MENU`.
    ///
    /// ```
    /// # use imbot_sdk::methods::im::ImMessage;
    /// let m: ImMessage = serde_json::from_value(serde_json::json!({"id": 1, "params": {"MENU": [{}]}})).unwrap();
    /// assert!(m.menu().is_some());
    /// ```
    pub fn menu(&self) -> Option<&Value> {
        self.params.get("MENU").filter(|v| !v.is_null())
    }

    /// `params.LIKE`: ids of the users who like it.
    ///
    /// ```
    /// # use imbot_sdk::methods::im::ImMessage;
    /// let m: ImMessage = serde_json::from_value(serde_json::json!({"id": 1, "params": {"LIKE": [1, "27"]}})).unwrap();
    /// assert_eq!(m.likes(), vec![1, 27]);
    /// ```
    pub fn likes(&self) -> Vec<i64> {
        self.params.get("LIKE").map(int_list).unwrap_or_default()
    }

    /// Was it deleted (`params.IS_DELETED = Y`)?
    ///
    /// ```
    /// # use imbot_sdk::methods::im::ImMessage;
    /// let m: ImMessage = serde_json::from_value(serde_json::json!({"id": 1, "params": {"IS_DELETED": "Y"}})).unwrap();
    /// assert!(m.is_deleted());
    /// ```
    pub fn is_deleted(&self) -> bool {
        self.params.get("IS_DELETED").is_some_and(value_flag)
    }
}

/// A user object of the `im` methods (snake_case keys).
///
/// ```
/// use imbot_sdk::methods::im::ImUser;
/// let u: ImUser = serde_json::from_value(serde_json::json!({"id": 567, "name": "Echo", "bot": true})).unwrap();
/// assert!(u.bot);
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ImUser {
    /// `id`.
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    /// `name`: full name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// `first_name`.
    #[serde(default, deserialize_with = "de::string")]
    pub first_name: String,
    /// `last_name`.
    #[serde(default, deserialize_with = "de::string")]
    pub last_name: String,
    /// `bot`.
    #[serde(default, deserialize_with = "de::flag")]
    pub bot: bool,
    /// `extranet`.
    #[serde(default, deserialize_with = "de::flag")]
    pub extranet: bool,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `im.dialog.read`.
///
/// ```
/// use imbot_sdk::methods::im::ReadMark;
/// let r: ReadMark = serde_json::from_value(serde_json::json!(
///     {"dialogId": "chat1489", "chatId": 1489, "lastId": 84875, "counter": 3}
/// )).unwrap();
/// assert_eq!((r.chat_id, r.last_id, r.counter), (1489, 84875, 3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ReadMark {
    /// `dialogId`.
    #[serde(rename = "dialogId", default, deserialize_with = "de::string")]
    pub dialog_id: String,
    /// `chatId`.
    #[serde(rename = "chatId", default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `lastId`: the last read message.
    #[serde(rename = "lastId", default, deserialize_with = "de::int")]
    pub last_id: i64,
    /// `counter`: unread messages left.
    #[serde(default, deserialize_with = "de::int")]
    pub counter: i64,
}

/// `im.dialog.users.list` parameters: page with `offset` (or the `start` of [`Client::im_dialog_users_list`])
/// or continue after `last_id`.
///
/// ```
/// use imbot_sdk::methods::im::DialogUsersQuery;
/// use imbot_sdk::DialogId;
/// let q = DialogUsersQuery { skip_external: Some(true), ..DialogUsersQuery::of(DialogId::Chat(5)) };
/// assert_eq!(serde_json::to_value(&q).unwrap(), serde_json::json!({"DIALOG_ID": "chat5", "SKIP_EXTERNAL": "Y"}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct DialogUsersQuery {
    /// `DIALOG_ID`.
    #[serde(serialize_with = "ser::dialog")]
    pub dialog_id: DialogId,
    /// `SKIP_EXTERNAL`: leave out bots and other external users.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub skip_external: Option<bool>,
    /// `SKIP_EXTERNAL_EXCEPT_TYPES`: comma-separated types kept anyway (`bot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_external_except_types: Option<String>,
    /// `LIMIT`: page size (default 50, at most 200).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `OFFSET`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// `LAST_ID`: users with a larger id (no `next`: continue from the last id you got).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_id: Option<i64>,
}

impl DialogUsersQuery {
    /// The members of `dialog`, first page.
    ///
    /// ```
    /// let q = imbot_sdk::methods::im::DialogUsersQuery::of(imbot_sdk::DialogId::User(27));
    /// assert!(q.limit.is_none());
    /// ```
    pub fn of(dialog: DialogId) -> Self {
        DialogUsersQuery {
            dialog_id: dialog,
            skip_external: None,
            skip_external_except_types: None,
            limit: None,
            offset: None,
            last_id: None,
        }
    }
}

/// The answer of `im.revision.get`: API revisions.
///
/// ```
/// use imbot_sdk::methods::im::Revision;
/// let r: Revision = serde_json::from_value(serde_json::json!(
///     {"rest": 32, "web": 130, "mobile": 22, "desktop": 6, "im_revision_mobile": 22}
/// )).unwrap();
/// assert_eq!(r.rest, 32);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct Revision {
    /// `rest`: the REST API revision.
    #[serde(default, deserialize_with = "de::int")]
    pub rest: i64,
    /// `web`: the web client's.
    #[serde(default, deserialize_with = "de::int")]
    pub web: i64,
    /// `mobile`.
    #[serde(default, deserialize_with = "de::int")]
    pub mobile: i64,
    /// `desktop`.
    #[serde(default, deserialize_with = "de::int")]
    pub desktop: i64,
    /// `im_revision_mobile`.
    #[serde(default, deserialize_with = "de::int")]
    pub im_revision_mobile: i64,
}

impl Client {
    /// `im.message.add`: posts as the calling user; returns the message id.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::im::NewMessage;
    /// let id = client.im_message_add(&NewMessage::new(imbot_sdk::DialogId::User(567), "/echo hi")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_message_add(&self, req: &NewMessage) -> Result<i64> {
        self.invoke::<Value>("im.message.add", req).await.and_then(|v| int_result("im.message.add", v))
    }

    /// `im.message.update` (the author's own messages, within 3 days).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::im::MessageUpdate;
    /// client.im_message_update(&MessageUpdate { message: Some("fixed".into()), ..MessageUpdate::new(10) }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_message_update(&self, req: &MessageUpdate) -> Result<bool> {
        self.invoke("im.message.update", req).await
    }

    /// `im.message.delete`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_message_delete(10).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_message_delete(&self, message_id: i64) -> Result<bool> {
        self.invoke("im.message.delete", &json!({"MESSAGE_ID": message_id})).await
    }

    /// `im.message.like`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_message_like(10, imbot_sdk::methods::LikeAction::Auto).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_message_like(&self, message_id: i64, action: LikeAction) -> Result<bool> {
        self.invoke("im.message.like", &json!({"MESSAGE_ID": message_id, "ACTION": action})).await
    }

    /// `im.message.command`: presses a bot's keyboard button (`COMMAND` + `COMMAND_PARAMS`) on `message_id`,
    /// which fires `ONIMCOMMANDADD` with `COMMAND_CONTEXT=KEYBOARD`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_message_command(84331, 567, "echo", "hi").await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_message_command(&self, message_id: i64, bot_id: i64, command: &str, params: &str) -> Result<bool> {
        let req = json!({"MESSAGE_ID": message_id, "BOT_ID": bot_id, "COMMAND": command, "COMMAND_PARAMS": params});
        self.invoke("im.message.command", &req).await
    }

    /// `im.dialog.messages.get`: a page of history.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::im::HistoryQuery;
    /// let page = client.im_dialog_messages_get(&HistoryQuery::latest(imbot_sdk::DialogId::Chat(5))).await?;
    /// for m in &page.messages {
    ///     println!("{}: {}", m.author_id, m.text);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn im_dialog_messages_get(&self, req: &HistoryQuery) -> Result<History> {
        self.invoke("im.dialog.messages.get", req).await
    }

    /// `im.dialog.get`: the chat object of `dialog`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let d = client.im_dialog_get(imbot_sdk::DialogId::User(27)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_dialog_get(&self, dialog: DialogId) -> Result<Dialog> {
        self.invoke("im.dialog.get", &json!({"DIALOG_ID": dialog.to_string()})).await
    }

    /// `im.dialog.read`: marks `dialog` read up to `message_id` (all when `None`). `None` when the caller has
    /// no access to it (the method's `false`).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// if let Some(mark) = client.im_dialog_read(imbot_sdk::DialogId::Chat(5), None).await? {
    ///     println!("{} unread left", mark.counter);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn im_dialog_read(&self, dialog: DialogId, message_id: Option<i64>) -> Result<Option<ReadMark>> {
        let mut req = json!({"DIALOG_ID": dialog.to_string()});
        if let Some(id) = message_id {
            req["MESSAGE_ID"] = id.into();
        }
        let v: Value = self.invoke("im.dialog.read", &req).await?;
        if v.is_object() {
            serde_json::from_value(v)
                .map(Some)
                .map_err(|source| crate::Error::Decode { method: "im.dialog.read".into(), source })
        } else {
            Ok(None)
        }
    }

    /// `im.chat.add`: a chat owned by the calling user; returns `CHAT_ID`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::NewChat;
    /// let chat_id = client.im_chat_add(&NewChat { users: vec![27], ..NewChat::titled("Team") }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_chat_add(&self, chat: &NewChat) -> Result<i64> {
        self.invoke::<Value>("im.chat.add", chat).await.and_then(|v| int_result("im.chat.add", v))
    }

    /// `im.chat.user.add`: adds `users` (bots too: that is how a bot joins a chat).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_chat_user_add(5, &[567], None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_chat_user_add(&self, chat_id: i64, users: &[i64], hide_history: Option<bool>) -> Result<bool> {
        let mut req = json!({"CHAT_ID": chat_id, "USERS": users});
        if let Some(h) = hide_history {
            req["HIDE_HISTORY"] = if h { "Y" } else { "N" }.into();
        }
        self.invoke("im.chat.user.add", &req).await
    }

    /// `im.chat.user.list`: member ids (`[]` without access).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let members = client.im_chat_user_list(5).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_chat_user_list(&self, chat_id: i64) -> Result<Vec<i64>> {
        let v: Value = self.invoke("im.chat.user.list", &json!({"CHAT_ID": chat_id})).await?;
        Ok(int_list(&v))
    }

    /// `im.chat.get`: the id of the caller's chat bound to (`entity_type`, `entity_id`), `None` when there is none.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// if let Some(chat_id) = client.im_chat_get("CRM", "DEAL|7").await? {
    ///     println!("chat{chat_id}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn im_chat_get(&self, entity_type: &str, entity_id: &str) -> Result<Option<i64>> {
        let v: Value = self.invoke("im.chat.get", &json!({"ENTITY_TYPE": entity_type, "ENTITY_ID": entity_id})).await?;
        Ok(v.get("ID").and_then(value_i64))
    }

    /// `im.chat.leave`: the caller leaves the chat (an owner hands it to the longest-standing member).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_chat_leave(5).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_chat_leave(&self, chat_id: i64) -> Result<bool> {
        self.invoke("im.chat.leave", &json!({"CHAT_ID": chat_id})).await
    }

    /// `im.chat.user.delete`: removes `user_id` from the chat (needs the right to, and a higher role).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_chat_user_delete(5, 27).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_chat_user_delete(&self, chat_id: i64, user_id: i64) -> Result<bool> {
        self.invoke("im.chat.user.delete", &json!({"CHAT_ID": chat_id, "USER_ID": user_id})).await
    }

    /// `im.dialog.unread`: marks `dialog` unread from `message_id` on.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_dialog_unread(imbot_sdk::DialogId::Chat(5), 84331).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_dialog_unread(&self, dialog: DialogId, message_id: i64) -> Result<bool> {
        self.invoke("im.dialog.unread", &json!({"DIALOG_ID": dialog.to_string(), "MESSAGE_ID": message_id})).await
    }

    /// `im.dialog.users.list`: a page of the dialog's members, starting at `start` (`total` is all of them;
    /// `next` is the `start` of the next page).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::im::DialogUsersQuery;
    /// let page = client.im_dialog_users_list(&DialogUsersQuery::of(imbot_sdk::DialogId::Chat(5)), 0).await?;
    /// for u in &page.items {
    ///     println!("{} {}", u.id, u.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn im_dialog_users_list(&self, query: &DialogUsersQuery, start: u64) -> Result<Page<ImUser>> {
        let mut params = serde_json::to_value(query).expect("DialogUsersQuery serialises");
        if start > 0 {
            params["start"] = start.into();
        }
        Page::from_envelope("im.dialog.users.list", self.call_envelope("im.dialog.users.list", params).await?)
    }

    /// `im.dialog.writing`: shows "typing…" for the caller in `dialog`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_dialog_writing(imbot_sdk::DialogId::Chat(5)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_dialog_writing(&self, dialog: DialogId) -> Result<bool> {
        self.invoke("im.dialog.writing", &json!({"DIALOG_ID": dialog.to_string()})).await
    }

    /// `im.revision.get`: the API revisions of the portal.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let rev = client.im_revision_get().await?;
    /// println!("REST revision {}", rev.rest);
    /// # Ok(()) }
    /// ```
    pub async fn im_revision_get(&self) -> Result<Revision> {
        self.invoke("im.revision.get", &json!({})).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serde_util::value_i64;

    #[test]
    fn history_reads_php_shapes() {
        let h: History = serde_json::from_value(json!({
            "chat_id": "5",
            "messages": [{"id": "9", "params": [], "uuid": null, "unread": "N"}],
            "users": [], "files": []
        }))
        .unwrap();
        assert_eq!(h.chat_id, 5);
        assert!(h.messages[0].params.is_empty());
        assert_eq!(value_i64(&json!("9")), Some(9));
    }
}
