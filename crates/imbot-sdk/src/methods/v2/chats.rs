//! `imbot.v2.Chat.*` (members, managers, owner, the input field and indicator) and `im.v2.Chat.Bot.sendContext`
//! (docs/v2.md §3.2, §3.5, §3.7).

use super::{
    ChatUserOrderField, ChatV2, Color, SortDirection, StatusMessageCode, UserV2, bot_params, decode, dialog_params,
    field, fields_of, ok_result,
};
use crate::client::Client;
use crate::error::Result;
use crate::serde_util::{de, ser};
use imbot_wire::DialogId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// `fields` of `imbot.v2.Chat.add`: all optional. The bot owns the chat unless `owner_id` is set.
///
/// ```
/// use imbot_sdk::methods::v2::{Color, NewChatV2};
/// let c = NewChatV2 { user_ids: vec![1, 27], color: Some(Color::Mint), ..NewChatV2::titled("Support") };
/// assert_eq!(serde_json::to_value(&c).unwrap(), serde_json::json!({"title": "Support", "color": "mint", "userIds": [1, 27]}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewChatV2 {
    /// `title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `color` (automatic when unset).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub color: Option<Color>,
    /// `avatar`: a Base64 image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// `userIds`: the members besides the bot.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_ids: Vec<i64>,
    /// `ownerId` (default: the bot).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<i64>,
    /// `message`: the chat's first message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl NewChatV2 {
    /// A chat named `title`.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::methods::v2::NewChatV2::titled("Team").title.as_deref(), Some("Team"));
    /// ```
    pub fn titled(title: impl Into<String>) -> Self {
        NewChatV2 { title: Some(title.into()), ..Default::default() }
    }
}

/// `fields` of `imbot.v2.Chat.update`: title, description, colour and avatar at once; what is unset stays.
///
/// ```
/// use imbot_sdk::methods::v2::ChatFieldsV2;
/// let f = ChatFieldsV2 { title: Some("Release 2.0".into()), ..Default::default() };
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"title": "Release 2.0"}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatFieldsV2 {
    /// `title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `color`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub color: Option<Color>,
    /// `avatar`: a Base64 image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

/// `{"chat": Chat, "users": [User]}`: what `imbot.v2.Chat.add` answers (the members).
///
/// ```
/// let a: imbot_sdk::methods::v2::ChatAnswer = serde_json::from_value(serde_json::json!(
///     {"chat": {"id": 5, "dialogId": "chat5", "role": "owner"}, "users": [{"id": 1}, {"id": 2}]}
/// )).unwrap();
/// assert_eq!((a.chat.dialog(), a.users.len()), (Some(imbot_sdk::DialogId::Chat(5)), 2));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatAnswer {
    /// `chat`.
    #[serde(default)]
    pub chat: ChatV2,
    /// `users`.
    #[serde(default, deserialize_with = "de::list")]
    pub users: Vec<UserV2>,
}

/// `imbot.v2.Chat.User.list` parameters.
///
/// ```
/// use imbot_sdk::methods::v2::{ChatUserOrderField, SortDirection, UserListQuery};
/// let q = UserListQuery { order: Some((ChatUserOrderField::Id, SortDirection::Desc)), limit: Some(200) };
/// assert_eq!(q.to_params(), serde_json::json!({"order": {"id": "DESC"}, "limit": 200}));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserListQuery {
    /// `order`: one field and direction (default `{"id": "ASC"}`).
    pub order: Option<(ChatUserOrderField, SortDirection)>,
    /// `limit`: 1–200 (default 50); there is no offset.
    pub limit: Option<u32>,
}

impl UserListQuery {
    /// The parameters as sent (without `botId`/`dialogId`).
    ///
    /// ```
    /// assert_eq!(imbot_sdk::methods::v2::UserListQuery::default().to_params(), serde_json::json!({}));
    /// ```
    pub fn to_params(&self) -> Value {
        let mut m = Map::new();
        if let Some((f, d)) = self.order {
            m.insert("order".into(), json!({ f.as_str(): d.as_str() }));
        }
        if let Some(l) = self.limit {
            m.insert("limit".into(), l.into());
        }
        Value::Object(m)
    }
}

fn users_params(bot_id: i64, dialog: DialogId, user_ids: &[i64]) -> Value {
    let mut p = dialog_params(bot_id, dialog);
    p.insert("userIds".into(), user_ids.into());
    Value::Object(p)
}

impl Client {
    /// `imbot.v2.Chat.add`: a group chat created by the bot.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::NewChatV2;
    /// let created = client.imbot_v2_chat_add(456, &NewChatV2 { user_ids: vec![1, 27], ..NewChatV2::titled("Support") }).await?;
    /// println!("{} with {} members", created.chat.dialog_id, created.users.len());
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_add(&self, bot_id: i64, chat: &NewChatV2) -> Result<ChatAnswer> {
        const M: &str = "imbot.v2.Chat.add";
        let mut p = bot_params(bot_id);
        p.insert("fields".into(), fields_of(M, chat)?);
        decode(M, self.call(M, Value::Object(p)).await?)
    }

    /// `imbot.v2.Chat.get`: a chat (or private dialog) the bot is in, as the bot sees it.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let chat = client.imbot_v2_chat_get(456, imbot_sdk::DialogId::Chat(5)).await?;
    /// println!("{}: {:?} members, the bot is {:?}", chat.name, chat.user_counter, chat.role);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_get(&self, bot_id: i64, dialog: DialogId) -> Result<ChatV2> {
        const M: &str = "imbot.v2.Chat.get";
        field(M, self.call(M, Value::Object(dialog_params(bot_id, dialog))).await?, "chat")
    }

    /// `imbot.v2.Chat.update`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::{ChatFieldsV2, Color};
    /// let f = ChatFieldsV2 { title: Some("Release 2.0".into()), color: Some(Color::Aqua), ..Default::default() };
    /// client.imbot_v2_chat_update(456, imbot_sdk::DialogId::Chat(5), &f).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_update(&self, bot_id: i64, dialog: DialogId, fields: &ChatFieldsV2) -> Result<bool> {
        const M: &str = "imbot.v2.Chat.update";
        let mut p = dialog_params(bot_id, dialog);
        p.insert("fields".into(), fields_of(M, fields)?);
        Ok(ok_result(&self.call(M, Value::Object(p)).await?))
    }

    /// `imbot.v2.Chat.leave`: the bot leaves (an owner hands the chat to the longest-standing member).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_leave(456, imbot_sdk::DialogId::Chat(5)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_leave(&self, bot_id: i64, dialog: DialogId) -> Result<bool> {
        Ok(ok_result(&self.call("imbot.v2.Chat.leave", Value::Object(dialog_params(bot_id, dialog))).await?))
    }

    /// `imbot.v2.Chat.setOwner`: hands a chat the bot owns to a member.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_set_owner(456, imbot_sdk::DialogId::Chat(5), 27).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_set_owner(&self, bot_id: i64, dialog: DialogId, user_id: i64) -> Result<bool> {
        let mut p = dialog_params(bot_id, dialog);
        p.insert("userId".into(), user_id.into());
        Ok(ok_result(&self.call("imbot.v2.Chat.setOwner", Value::Object(p)).await?))
    }

    /// `imbot.v2.Chat.User.add`: the bot must be the chat's owner or a manager; unknown users are skipped.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_user_add(456, imbot_sdk::DialogId::Chat(5), &[27, 28]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_user_add(&self, bot_id: i64, dialog: DialogId, user_ids: &[i64]) -> Result<bool> {
        Ok(ok_result(&self.call("imbot.v2.Chat.User.add", users_params(bot_id, dialog, user_ids)).await?))
    }

    /// `imbot.v2.Chat.User.delete`: `true` also when the user was not a member.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_user_delete(456, imbot_sdk::DialogId::Chat(5), 27).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_user_delete(&self, bot_id: i64, dialog: DialogId, user_id: i64) -> Result<bool> {
        let mut p = dialog_params(bot_id, dialog);
        p.insert("userId".into(), user_id.into());
        Ok(ok_result(&self.call("imbot.v2.Chat.User.delete", Value::Object(p)).await?))
    }

    /// `imbot.v2.Chat.User.list`: the members (at most `limit`, ≤ 200).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::UserListQuery;
    /// for u in client.imbot_v2_chat_user_list(456, imbot_sdk::DialogId::Chat(5), &UserListQuery::default()).await? {
    ///     println!("{} {}", u.id, u.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_user_list(
        &self,
        bot_id: i64,
        dialog: DialogId,
        query: &UserListQuery,
    ) -> Result<Vec<UserV2>> {
        #[derive(Deserialize)]
        #[serde(transparent)]
        struct List(#[serde(deserialize_with = "de::list")] Vec<UserV2>);
        const M: &str = "imbot.v2.Chat.User.list";
        let mut p = dialog_params(bot_id, dialog);
        if let Value::Object(q) = query.to_params() {
            p.extend(q);
        }
        Ok(decode::<List>(M, self.call(M, Value::Object(p)).await?)?.0)
    }

    /// `imbot.v2.Chat.Manager.add`: the bot must own the chat; non-members are skipped.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_manager_add(456, imbot_sdk::DialogId::Chat(5), &[27]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_manager_add(&self, bot_id: i64, dialog: DialogId, user_ids: &[i64]) -> Result<bool> {
        Ok(ok_result(&self.call("imbot.v2.Chat.Manager.add", users_params(bot_id, dialog, user_ids)).await?))
    }

    /// `imbot.v2.Chat.Manager.delete`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_manager_delete(456, imbot_sdk::DialogId::Chat(5), &[27]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_manager_delete(&self, bot_id: i64, dialog: DialogId, user_ids: &[i64]) -> Result<bool> {
        Ok(ok_result(&self.call("imbot.v2.Chat.Manager.delete", users_params(bot_id, dialog, user_ids)).await?))
    }

    /// `imbot.v2.Chat.InputAction.notify`: shows "typing…" (`status: None`) or an agent status such as
    /// "Agent is thinking..." for `duration` seconds (1–600; the server's default when `None`).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::StatusMessageCode;
    /// client.imbot_v2_chat_input_action_notify(456, imbot_sdk::DialogId::User(27), Some(StatusMessageCode::Thinking), Some(30)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_input_action_notify(
        &self,
        bot_id: i64,
        dialog: DialogId,
        status: Option<StatusMessageCode>,
        duration: Option<u32>,
    ) -> Result<bool> {
        let mut p = dialog_params(bot_id, dialog);
        if let Some(s) = status {
            p.insert("statusMessageCode".into(), s.as_str().into());
        }
        if let Some(d) = duration {
            p.insert("duration".into(), d.into());
        }
        Ok(ok_result(&self.call("imbot.v2.Chat.InputAction.notify", Value::Object(p)).await?))
    }

    /// `imbot.v2.Chat.TextField.enabled`: `false` leaves users only the bot's keyboard buttons.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_chat_text_field_enabled(456, imbot_sdk::DialogId::User(27), false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_chat_text_field_enabled(&self, bot_id: i64, dialog: DialogId, enabled: bool) -> Result<bool> {
        let mut p = dialog_params(bot_id, dialog);
        p.insert("enabled".into(), enabled.into());
        Ok(ok_result(&self.call("imbot.v2.Chat.TextField.enabled", Value::Object(p)).await?))
    }

    /// `im.v2.Chat.Bot.sendContext` (as the calling user): hands `context` to the bot of the private dialog
    /// `dialog` (the bot's id) as ONIMBOTV2CONTEXTGET — what a `BOT_CONTEXT` link does when a user opens it.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use serde_json::json;
    /// client.im_v2_chat_bot_send_context(imbot_sdk::DialogId::User(456), &json!({"entityType": "task", "entityId": 164})).await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_v2_chat_bot_send_context(&self, dialog: DialogId, context: &Value) -> Result<bool> {
        let params = json!({"dialogId": dialog.to_string(), "context": context});
        Ok(ok_result(&self.call("im.v2.Chat.Bot.sendContext", params).await?))
    }
}
