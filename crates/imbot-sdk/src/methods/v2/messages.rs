//! `imbot.v2.Chat.Message.*`, reactions, and `imbot.v2.Command.answer` (docs/v2.md §3.3, §3.4).
//!
//! `attach` and `keyboard` take the v1 formats unchanged (UPPER_CASE keys): build them with
//! [`rich::Attach`](crate::rich::Attach) and [`rich::Keyboard`](crate::rich::Keyboard). A keyboard's `COMMAND`
//! buttons belong to the calling bot. v2 has no `menu`.

use super::{MessageV2, Reaction, UserV2, bot_params, decode, dialog_params, fields_of, ok_result};
use crate::client::Client;
use crate::error::Result;
use crate::serde_util::de;
use imbot_wire::DialogId;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `imbot.v2.Chat.Message.send` parameters: `dialog_id` goes top-level, the rest serialises to `fields`.
///
/// ```
/// use imbot_sdk::DialogId;
/// use imbot_sdk::methods::v2::SendMessage;
/// let m = SendMessage { reply_id: Some(788), url_preview: Some(false), ..SendMessage::new(DialogId::Chat(5), "[b]Done[/b]") };
/// assert_eq!(
///     serde_json::to_value(&m).unwrap(),
///     serde_json::json!({"message": "[b]Done[/b]", "urlPreview": false, "replyId": 788})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendMessage {
    /// `dialogId`: `chatN`, or a user id for the bot's private dialog with that user.
    #[serde(skip)]
    pub dialog_id: DialogId,
    /// `message`: BB-code text, at most 20 000 characters (longer is cut, with ` (...)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `attach` (see [`rich::Attach`](crate::rich::Attach)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach: Option<Value>,
    /// `keyboard` (see [`rich::Keyboard`](crate::rich::Keyboard)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Value>,
    /// `system`: a system message (`authorId = 0`, not the bot's afterwards).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<bool>,
    /// `urlPreview`: `false` turns link previews off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_preview: Option<bool>,
    /// `replyId`: the message answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_id: Option<i64>,
    /// `templateId`: your UUID of the message (dedup).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_id: Option<String>,
    /// `forwardIds`: `{uuid: messageId}` to forward (≤ 100, from chats the bot is in).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub forward_ids: BTreeMap<String, i64>,
    /// `skipConnector` (open lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_connector: Option<bool>,
    /// `silentConnector` (open lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silent_connector: Option<bool>,
}

impl SendMessage {
    /// Text `message` into `dialog`.
    ///
    /// ```
    /// let m = imbot_sdk::methods::v2::SendMessage::new(imbot_sdk::DialogId::User(27), "Hi");
    /// assert_eq!(m.message.as_deref(), Some("Hi"));
    /// ```
    pub fn new(dialog: DialogId, message: impl Into<String>) -> Self {
        SendMessage {
            dialog_id: dialog,
            message: Some(message.into()),
            attach: None,
            keyboard: None,
            system: None,
            url_preview: None,
            reply_id: None,
            template_id: None,
            forward_ids: BTreeMap::new(),
            skip_connector: None,
            silent_connector: None,
        }
    }
}

/// `imbot.v2.Chat.Message.send`'s answer.
///
/// ```
/// let s: imbot_sdk::methods::v2::SentMessage =
///     serde_json::from_value(serde_json::json!({"id": 789, "uuidMap": {"a1": 790}})).unwrap();
/// assert_eq!((s.id, s.uuid_map["a1"]), (789, 790));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SentMessage {
    /// `id`: the new message.
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `uuidMap`: `{uuid: new message id}` of the forwarded messages.
    #[serde(default, deserialize_with = "de::id_map")]
    pub uuid_map: BTreeMap<String, i64>,
}

/// `fields` of `imbot.v2.Chat.Message.update` (own messages only); what is unset stays.
///
/// `message: Some("")` empties the text (which deletes a message with nothing else left); `keyboard:
/// Some(json!("N"))` removes the keyboard, `attach: Some(json!("N"))` the attachments.
///
/// ```
/// use imbot_sdk::methods::v2::UpdateMessage;
/// let u = UpdateMessage { keyboard: Some(serde_json::json!("N")), ..UpdateMessage::text(789, "edited") };
/// assert_eq!(serde_json::to_value(&u).unwrap(), serde_json::json!({"message": "edited", "keyboard": "N"}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMessage {
    /// `messageId` (top-level).
    #[serde(skip)]
    pub message_id: i64,
    /// `message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `attach`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach: Option<Value>,
    /// `keyboard`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Value>,
    /// `urlPreview`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_preview: Option<bool>,
}

impl UpdateMessage {
    /// New text for message `message_id`.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::methods::v2::UpdateMessage::text(5, "x").message_id, 5);
    /// ```
    pub fn text(message_id: i64, message: impl Into<String>) -> Self {
        UpdateMessage { message_id, message: Some(message.into()), ..Default::default() }
    }
}

/// `imbot.v2.Chat.Message.read`'s answer.
///
/// ```
/// let r: imbot_sdk::methods::v2::ReadReceipt = serde_json::from_value(serde_json::json!(
///     {"chatId": 5, "lastId": 789, "counter": 0, "viewedMessages": [785, 786, 789]}
/// )).unwrap();
/// assert_eq!((r.last_id, r.counter, r.viewed_messages.len()), (789, 0, 3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReadReceipt {
    /// `chatId`.
    #[serde(default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `lastId`: the last message now read.
    #[serde(default, deserialize_with = "de::int")]
    pub last_id: i64,
    /// `counter`: messages still unread.
    #[serde(default, deserialize_with = "de::int")]
    pub counter: i64,
    /// `viewedMessages`: the ids this call marked, oldest first.
    #[serde(default, deserialize_with = "de::int_list")]
    pub viewed_messages: Vec<i64>,
}

/// `imbot.v2.Chat.Message.get`'s answer: the message and its author.
///
/// ```
/// let f: imbot_sdk::methods::v2::FoundMessage = serde_json::from_value(serde_json::json!(
///     {"message": {"id": 789, "authorId": 1, "text": "Hello!"}, "user": {"id": 1, "name": "John Smith"}}
/// )).unwrap();
/// assert_eq!((f.message.text.as_str(), f.user.name.as_str()), ("Hello!", "John Smith"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FoundMessage {
    /// `message`.
    #[serde(default)]
    pub message: MessageV2,
    /// `user`: the author.
    #[serde(default)]
    pub user: UserV2,
}

/// `imbot.v2.Chat.Message.getContext`'s answer: a window of messages around one, oldest first.
///
/// For the next page call again with the last message's id, for the previous one with the first's.
///
/// ```
/// let c: imbot_sdk::methods::v2::MessageContext = serde_json::from_value(serde_json::json!({
///     "messages": [{"id": 785, "authorId": 1}, {"id": 789, "authorId": 2}],
///     "users": [{"id": 1}, {"id": 2}], "hasPrevPage": false, "hasNextPage": true
/// })).unwrap();
/// assert_eq!((c.messages.len(), c.author(&c.messages[1]).map(|u| u.id)), (2, Some(2)));
/// assert!(c.has_next_page && !c.has_prev_page);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MessageContext {
    /// `messages`: oldest → newest, the centre included.
    #[serde(default, deserialize_with = "de::list")]
    pub messages: Vec<MessageV2>,
    /// `users`: their authors.
    #[serde(default, deserialize_with = "de::list")]
    pub users: Vec<UserV2>,
    /// `hasPrevPage`.
    #[serde(default, deserialize_with = "de::flag")]
    pub has_prev_page: bool,
    /// `hasNextPage`.
    #[serde(default, deserialize_with = "de::flag")]
    pub has_next_page: bool,
}

impl MessageContext {
    /// The author of `message` among `users`.
    ///
    /// ```
    /// let c = imbot_sdk::methods::v2::MessageContext::default();
    /// # let m: imbot_sdk::methods::v2::MessageV2 = serde_json::from_value(serde_json::json!({"id": 1})).unwrap();
    /// assert!(c.author(&m).is_none());
    /// ```
    pub fn author(&self, message: &MessageV2) -> Option<&UserV2> {
        self.users.iter().find(|u| u.id == message.author_id)
    }
}

/// `imbot.v2.Command.answer` parameters: the ids go top-level, the content to `fields`. Unlike v1 it needs the
/// `dialogId` (the event's `chat.dialogId`); take all three from the event with
/// [`V2CommandAdd::answer`](crate::events::V2CommandAdd::answer).
///
/// ```
/// use imbot_sdk::DialogId;
/// use imbot_sdk::methods::v2::CommandAnswerV2;
/// let a = CommandAnswerV2::new(42, 790, DialogId::User(1), "Topics: billing, access");
/// assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::json!({"message": "Topics: billing, access"}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandAnswerV2 {
    /// `commandId`.
    #[serde(skip)]
    pub command_id: i64,
    /// `messageId`: the message that carried the command.
    #[serde(skip)]
    pub message_id: i64,
    /// `dialogId`: where it was invoked.
    #[serde(skip)]
    pub dialog_id: DialogId,
    /// `message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `attach`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach: Option<Value>,
    /// `keyboard`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Value>,
    /// `system`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<bool>,
    /// `urlPreview`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_preview: Option<bool>,
}

impl CommandAnswerV2 {
    /// The answer `message` to command `command_id` carried by `message_id` in `dialog`.
    ///
    /// ```
    /// let a = imbot_sdk::methods::v2::CommandAnswerV2::new(1, 2, imbot_sdk::DialogId::Chat(5), "ok");
    /// assert_eq!(a.dialog_id, imbot_sdk::DialogId::Chat(5));
    /// ```
    pub fn new(command_id: i64, message_id: i64, dialog: DialogId, message: impl Into<String>) -> Self {
        CommandAnswerV2 {
            command_id,
            message_id,
            dialog_id: dialog,
            message: Some(message.into()),
            attach: None,
            keyboard: None,
            system: None,
            url_preview: None,
        }
    }
}

impl Client {
    /// `imbot.v2.Chat.Message.send`: posts as the bot into a dialog it is in.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::SendMessage;
    /// use imbot_sdk::rich::{Button, Keyboard};
    /// let keyboard = Keyboard::for_bot(456).button(Button::command("Help", "help", "")).build()?;
    /// let msg = SendMessage { keyboard: Some(keyboard), ..SendMessage::new(imbot_sdk::DialogId::User(27), "Hello") };
    /// let sent = client.imbot_v2_chat_message_send(456, &msg).await?;
    /// # let _ = sent; Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_send(&self, bot_id: i64, msg: &SendMessage) -> Result<SentMessage> {
        const M: &str = "imbot.v2.Chat.Message.send";
        let mut p = dialog_params(bot_id, msg.dialog_id);
        p.insert("fields".into(), fields_of(M, msg)?);
        decode(M, self.call(M, Value::Object(p)).await?)
    }

    /// `imbot.v2.Chat.Message.update`: the bot's own messages only.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::UpdateMessage;
    /// client.imbot_v2_chat_message_update(456, &UpdateMessage::text(789, "edited")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_update(&self, bot_id: i64, req: &UpdateMessage) -> Result<bool> {
        const M: &str = "imbot.v2.Chat.Message.update";
        let mut p = bot_params(bot_id);
        p.insert("messageId".into(), req.message_id.into());
        p.insert("fields".into(), fields_of(M, req)?);
        Ok(ok_result(&self.call(M, serde_json::Value::Object(p)).await?))
    }

    /// `imbot.v2.Chat.Message.delete`: own messages, or any as a chat administrator; `complete` removes it
    /// without the "deleted" stub.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_message_delete(456, 789, false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_delete(&self, bot_id: i64, message_id: i64, complete: bool) -> Result<bool> {
        let mut p = bot_params(bot_id);
        p.insert("messageId".into(), message_id.into());
        p.insert("complete".into(), complete.into());
        Ok(ok_result(&self.call("imbot.v2.Chat.Message.delete", Value::Object(p)).await?))
    }

    /// `imbot.v2.Chat.Message.read`: marks `dialog` read for the bot up to `message_id` (everything with
    /// `None`).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let r = client.imbot_v2_chat_message_read(456, imbot_sdk::DialogId::User(27), None).await?;
    /// println!("read up to {}, {} unread", r.last_id, r.counter);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_read(
        &self,
        bot_id: i64,
        dialog: DialogId,
        message_id: Option<i64>,
    ) -> Result<ReadReceipt> {
        const M: &str = "imbot.v2.Chat.Message.read";
        let mut p = dialog_params(bot_id, dialog);
        if let Some(id) = message_id {
            p.insert("messageId".into(), id.into());
        }
        decode(M, self.call(M, Value::Object(p)).await?)
    }

    /// `imbot.v2.Chat.Message.get`: one message and its author — `supervisor` and `personal` bots only
    /// (`BOT_TYPE_NOT_ALLOWED` otherwise); typically the original of a `replyId`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let found = client.imbot_v2_chat_message_get(456, 788).await?;
    /// println!("{} wrote {:?}", found.user.name, found.message.text);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_get(&self, bot_id: i64, message_id: i64) -> Result<FoundMessage> {
        const M: &str = "imbot.v2.Chat.Message.get";
        let mut p = bot_params(bot_id);
        p.insert("messageId".into(), message_id.into());
        decode(M, self.call(M, Value::Object(p)).await?)
    }

    /// `imbot.v2.Chat.Message.getContext`: `range` messages (1–50, default 50) on each side of `message_id` —
    /// `supervisor` and `personal` bots only.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let ctx = client.imbot_v2_chat_message_get_context(456, 789, Some(5)).await?;
    /// for m in &ctx.messages {
    ///     println!("{}: {}", ctx.author(m).map_or("?", |u| u.name.as_str()), m.text);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_get_context(
        &self,
        bot_id: i64,
        message_id: i64,
        range: Option<u32>,
    ) -> Result<MessageContext> {
        const M: &str = "imbot.v2.Chat.Message.getContext";
        let mut p = bot_params(bot_id);
        p.insert("messageId".into(), message_id.into());
        if let Some(r) = range {
            p.insert("range".into(), r.into());
        }
        decode(M, self.call(M, Value::Object(p)).await?)
    }

    /// `imbot.v2.Chat.Message.Reaction.add` (`REACTION_ALREADY_SET` when the bot has it already).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::Reaction;
    /// client.imbot_v2_chat_message_reaction_add(456, 789, Reaction::Like).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_reaction_add(
        &self,
        bot_id: i64,
        message_id: i64,
        reaction: Reaction,
    ) -> Result<bool> {
        self.reaction("imbot.v2.Chat.Message.Reaction.add", bot_id, message_id, reaction).await
    }

    /// `imbot.v2.Chat.Message.Reaction.delete`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::Reaction;
    /// client.imbot_v2_chat_message_reaction_delete(456, 789, Reaction::Like).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_message_reaction_delete(
        &self,
        bot_id: i64,
        message_id: i64,
        reaction: Reaction,
    ) -> Result<bool> {
        self.reaction("imbot.v2.Chat.Message.Reaction.delete", bot_id, message_id, reaction).await
    }

    async fn reaction(&self, method: &str, bot_id: i64, message_id: i64, reaction: Reaction) -> Result<bool> {
        let mut p = bot_params(bot_id);
        p.insert("messageId".into(), message_id.into());
        p.insert("reaction".into(), reaction.as_str().into());
        Ok(ok_result(&self.call(method, Value::Object(p)).await?))
    }

    /// `imbot.v2.Command.answer`: posts the answer into the command's dialog — also one the bot is not in (as a
    /// system message with the bot's name). `true` when posted.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client, event: imbot_sdk::events::V2CommandAdd) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_command_answer(event.bot_id(), &event.answer("Pong")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_command_answer(&self, bot_id: i64, answer: &CommandAnswerV2) -> Result<bool> {
        const M: &str = "imbot.v2.Command.answer";
        let mut p = dialog_params(bot_id, answer.dialog_id);
        p.insert("commandId".into(), answer.command_id.into());
        p.insert("messageId".into(), answer.message_id.into());
        p.insert("fields".into(), fields_of(M, answer)?);
        Ok(ok_result(&self.call(M, Value::Object(p)).await?))
    }
}
