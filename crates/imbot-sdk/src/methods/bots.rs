//! `imbot.*` (scope `imbot`, v1): bots, their commands, their messages and their chats
//! (`api-reference__chat-bots__outdated__*`).
//!
//! Through a webhook every call needs `CLIENT_ID`; configure it once with
//! [`ClientBuilder::client_id`](crate::ClientBuilder::client_id). `BOT_ID` may be left out (`None`) of message and
//! chat methods: the server then takes the first bot of the calling application.

use super::{ChatType, Dialog, LikeAction};
use crate::client::Client;
use crate::error::Result;
use crate::serde_util::{de, ser, value_i64, value_map};
use imbot_wire::DialogId;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The `TYPE` of a bot.
///
/// ```
/// use imbot_sdk::methods::bots::BotType;
/// assert_eq!(serde_json::to_value(BotType::Supervisor).unwrap(), "S");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BotType {
    /// `B`: answers at once (the default).
    #[default]
    #[serde(rename = "B")]
    Bot,
    /// `H`: human-like, shows "typing…" before answering.
    #[serde(rename = "H")]
    Human,
    /// `O`: an Open Lines bot.
    #[serde(rename = "O")]
    OpenLines,
    /// `S`: a supervisor: receives every message of the chats it is in.
    #[serde(rename = "S")]
    Supervisor,
}

/// `PROPERTIES` of a bot: its user profile. `NAME` or `LAST_NAME` is required on registration.
///
/// ```
/// use imbot_sdk::methods::bots::BotProperties;
/// let p = BotProperties { color: Some("AQUA".into()), ..BotProperties::named("Echo") };
/// assert_eq!(serde_json::to_value(&p).unwrap(), serde_json::json!({"NAME": "Echo", "COLOR": "AQUA"}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct BotProperties {
    /// `NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `LAST_NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `COLOR`: one of `RED, GREEN, MINT, LIGHT_BLUE, DARK_BLUE, PURPLE, AQUA, PINK, LIME, BROWN, AZURE, KHAKI,
    /// SAND, MARENGO, GRAY, GRAPHITE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// `EMAIL` (must not be a real user's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `PERSONAL_BIRTHDAY`: `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_birthday: Option<String>,
    /// `WORK_POSITION`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_position: Option<String>,
    /// `PERSONAL_WWW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_www: Option<String>,
    /// `PERSONAL_GENDER`: `M` or `F`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_gender: Option<String>,
    /// `PERSONAL_PHOTO`: a base64 image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_photo: Option<String>,
}

impl BotProperties {
    /// Properties with only `NAME`.
    ///
    /// ```
    /// let p = imbot_sdk::methods::bots::BotProperties::named("Todo");
    /// assert_eq!(p.name.as_deref(), Some("Todo"));
    /// ```
    pub fn named(name: impl Into<String>) -> Self {
        BotProperties { name: Some(name.into()), ..Default::default() }
    }
}

/// `imbot.register` parameters.
///
/// ```
/// use imbot_sdk::methods::bots::RegisterBot;
/// let req = RegisterBot::new("echo_bot", "Echo", "https://bot.example.com/events");
/// let v = serde_json::to_value(&req).unwrap();
/// assert_eq!(v["CODE"], "echo_bot");
/// assert_eq!(v["EVENT_MESSAGE_ADD"], "https://bot.example.com/events");
/// assert_eq!(v["PROPERTIES"]["NAME"], "Echo");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct RegisterBot {
    /// `CODE`: unique on the portal; registering an existing code returns that bot's id.
    pub code: String,
    /// `TYPE` (default `B`).
    #[serde(rename = "TYPE", skip_serializing_if = "Option::is_none")]
    pub bot_type: Option<BotType>,
    /// `OPENLINE`: the bot works in Open Lines.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub openline: Option<bool>,
    /// `EVENT_HANDLER`: one URL for every event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_handler: Option<String>,
    /// `EVENT_MESSAGE_ADD`: URL of ONIMBOTMESSAGEADD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_message_add: Option<String>,
    /// `EVENT_MESSAGE_UPDATE`: URL of ONIMBOTMESSAGEUPDATE (kept only for `S`/`O` bots and Open Lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_message_update: Option<String>,
    /// `EVENT_MESSAGE_DELETE`: URL of ONIMBOTMESSAGEDELETE (as above).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_message_delete: Option<String>,
    /// `EVENT_WELCOME_MESSAGE`: URL of ONIMBOTJOINCHAT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_welcome_message: Option<String>,
    /// `EVENT_BOT_DELETE`: URL of ONIMBOTDELETE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bot_delete: Option<String>,
    /// `PROPERTIES`.
    pub properties: BotProperties,
}

impl RegisterBot {
    /// A bot `code` named `name` whose required handlers (message add, welcome, delete) all go to `handler`.
    ///
    /// ```
    /// let r = imbot_sdk::methods::bots::RegisterBot::new("c", "N", "http://127.0.0.1:9000/");
    /// assert_eq!(r.event_bot_delete.as_deref(), Some("http://127.0.0.1:9000/"));
    /// ```
    pub fn new(code: impl Into<String>, name: impl Into<String>, handler: impl Into<String>) -> Self {
        let handler = handler.into();
        RegisterBot {
            code: code.into(),
            event_message_add: Some(handler.clone()),
            event_welcome_message: Some(handler.clone()),
            event_bot_delete: Some(handler),
            properties: BotProperties::named(name),
            ..Default::default()
        }
    }
}

/// `FIELDS` of `imbot.update`: only what is set changes.
///
/// ```
/// use imbot_sdk::methods::bots::{BotProperties, UpdateBotFields};
/// let f = UpdateBotFields { properties: Some(BotProperties::named("Echo 2")), ..Default::default() };
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"PROPERTIES": {"NAME": "Echo 2"}}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct UpdateBotFields {
    /// `CODE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `EVENT_HANDLER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_handler: Option<String>,
    /// `EVENT_MESSAGE_ADD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_message_add: Option<String>,
    /// `EVENT_MESSAGE_UPDATE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_message_update: Option<String>,
    /// `EVENT_MESSAGE_DELETE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_message_delete: Option<String>,
    /// `EVENT_WELCOME_MESSAGE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_welcome_message: Option<String>,
    /// `EVENT_BOT_DELETE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bot_delete: Option<String>,
    /// `PROPERTIES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<BotProperties>,
}

/// One bot of `imbot.bot.list`.
///
/// ```
/// use imbot_sdk::methods::bots::BotInfo;
/// let b: BotInfo = serde_json::from_value(serde_json::json!(
///     {"ID": 39, "NAME": "NewBot", "CODE": "newbot", "OPENLINE": "N"}
/// )).unwrap();
/// assert_eq!((b.id, b.openline), (39, false));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BotInfo {
    /// `ID`: the bot's id (also its user id).
    #[serde(rename = "ID", deserialize_with = "de::int")]
    pub id: i64,
    /// `NAME`: full name.
    #[serde(rename = "NAME", default, deserialize_with = "de::string")]
    pub name: String,
    /// `CODE`.
    #[serde(rename = "CODE", default, deserialize_with = "de::string")]
    pub code: String,
    /// `OPENLINE`.
    #[serde(rename = "OPENLINE", default, deserialize_with = "de::flag")]
    pub openline: bool,
}

/// One localisation of a command (`LANG`).
///
/// ```
/// use imbot_sdk::methods::bots::CommandLang;
/// let l = CommandLang::new("en", "Echo", "text to repeat");
/// assert_eq!(serde_json::to_value(&l).unwrap()["LANGUAGE_ID"], "en");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct CommandLang {
    /// `LANGUAGE_ID`: `en`, `de`, `ru`, …
    pub language_id: String,
    /// `TITLE`: what the command does, shown in the command list.
    pub title: String,
    /// `PARAMS`: a hint for its parameters.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub params: String,
}

impl CommandLang {
    /// A localisation.
    ///
    /// ```
    /// let l = imbot_sdk::methods::bots::CommandLang::new("de", "Echo", "");
    /// assert_eq!(l.language_id, "de");
    /// ```
    pub fn new(language_id: impl Into<String>, title: impl Into<String>, params: impl Into<String>) -> Self {
        CommandLang { language_id: language_id.into(), title: title.into(), params: params.into() }
    }
}

/// `imbot.command.register` parameters.
///
/// ```
/// use imbot_sdk::methods::bots::RegisterCommand;
/// let req = RegisterCommand::new(39, "echo", "https://bot.example.com/events").title("en", "Echo", "text");
/// let v = serde_json::to_value(&req).unwrap();
/// assert_eq!(v["COMMAND"], "echo");
/// assert_eq!(v["LANG"][0]["TITLE"], "Echo");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct RegisterCommand {
    /// `BOT_ID` (required).
    pub bot_id: i64,
    /// `COMMAND`: the word after `/` (Latin letters and digits).
    pub command: String,
    /// `EVENT_COMMAND_ADD`: URL of ONIMCOMMANDADD (one per application: use the same for all commands).
    pub event_command_add: String,
    /// `LANG`: at least one localisation.
    pub lang: Vec<CommandLang>,
    /// `COMMON`: usable in every chat, not only where the bot is.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub common: Option<bool>,
    /// `HIDDEN`: not listed, still executable.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub hidden: Option<bool>,
    /// `EXTRANET_SUPPORT`: extranet users may use it.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub extranet_support: Option<bool>,
}

impl RegisterCommand {
    /// Command `/command` of `bot_id`, its events going to `handler`. Add a title with
    /// [`RegisterCommand::title`].
    ///
    /// ```
    /// let r = imbot_sdk::methods::bots::RegisterCommand::new(1, "/help", "http://h/");
    /// assert_eq!(r.command, "help");
    /// ```
    pub fn new(bot_id: i64, command: impl Into<String>, handler: impl Into<String>) -> Self {
        let command = command.into();
        RegisterCommand {
            bot_id,
            command: command.trim_start_matches('/').to_owned(),
            event_command_add: handler.into(),
            ..Default::default()
        }
    }

    /// Adds a localisation.
    ///
    /// ```
    /// let r = imbot_sdk::methods::bots::RegisterCommand::new(1, "add", "http://h/").title("en", "Add a task", "text");
    /// assert_eq!(r.lang.len(), 1);
    /// ```
    pub fn title(mut self, language_id: &str, title: &str, params: &str) -> Self {
        self.lang.push(CommandLang::new(language_id, title, params));
        self
    }
}

/// `FIELDS` of `imbot.command.update` (`COMMON` cannot change).
///
/// ```
/// use imbot_sdk::methods::bots::CommandFields;
/// let f = CommandFields { hidden: Some(true), ..Default::default() };
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"HIDDEN": "Y"}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct CommandFields {
    /// `COMMAND`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// `EVENT_COMMAND_ADD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_command_add: Option<String>,
    /// `HIDDEN`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub hidden: Option<bool>,
    /// `EXTRANET_SUPPORT`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub extranet_support: Option<bool>,
    /// `LANG`: replaces every localisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Vec<CommandLang>>,
}

/// `imbot.command.answer` parameters: the answer to one command (`MESSAGE_ID` is the message that carried it).
///
/// ```
/// use imbot_sdk::methods::bots::CommandAnswer;
/// let a = CommandAnswer::new(103, 33899, "Done!");
/// let v = serde_json::to_value(&a).unwrap();
/// assert_eq!((v["COMMAND_ID"].as_i64(), v["MESSAGE_ID"].as_i64()), (Some(103), Some(33899)));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct CommandAnswer {
    /// `COMMAND_ID` (or give `command`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_id: Option<i64>,
    /// `COMMAND`: the command's text, looked up among the application's commands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// `MESSAGE_ID`: the message with the command (from the event).
    pub message_id: i64,
    /// `MESSAGE`: the answer's text (BB-code), required.
    pub message: String,
    /// `ATTACH` (see [`rich::Attach`](crate::rich::Attach)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach: Option<Value>,
    /// `KEYBOARD` (see [`rich::Keyboard`](crate::rich::Keyboard)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Value>,
    /// `MENU` (see [`rich::Menu`](crate::rich::Menu)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub menu: Option<Value>,
    /// `SYSTEM`: a system message.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub system: Option<bool>,
    /// `URL_PREVIEW`: `false` turns link previews off.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub url_preview: Option<bool>,
}

impl CommandAnswer {
    /// The answer `message` to command `command_id` carried by message `message_id`.
    ///
    /// ```
    /// let a = imbot_sdk::methods::bots::CommandAnswer::new(1, 2, "hi");
    /// assert_eq!(a.message, "hi");
    /// ```
    pub fn new(command_id: i64, message_id: i64, message: impl Into<String>) -> Self {
        CommandAnswer { command_id: Some(command_id), message_id, message: message.into(), ..Default::default() }
    }
}

/// `imbot.message.add` parameters.
///
/// ```
/// use imbot_sdk::methods::bots::BotMessage;
/// use imbot_sdk::DialogId;
/// let m = BotMessage::new(DialogId::Chat(5), "Hello");
/// assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::json!({"DIALOG_ID": "chat5", "MESSAGE": "Hello"}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct BotMessage {
    /// `BOT_ID`: the sending bot (default: the application's first bot).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot_id: Option<i64>,
    /// `DIALOG_ID`: where to post (unless `from_user_id` + `to_user_id`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::dialog_opt")]
    pub dialog_id: Option<DialogId>,
    /// `FROM_USER_ID`: with `to_user_id`, a private system message between two users "from the bot".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_user_id: Option<i64>,
    /// `TO_USER_ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_user_id: Option<i64>,
    /// `MESSAGE`: text (BB-code), required.
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
    /// `SKIP_CONNECTOR`: not forwarded to Open Lines connectors.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::yn_opt")]
    pub skip_connector: Option<bool>,
}

impl BotMessage {
    /// `message` into `dialog`.
    ///
    /// ```
    /// let m = imbot_sdk::methods::bots::BotMessage::new(imbot_sdk::DialogId::User(27), "hi");
    /// assert_eq!(m.dialog_id, Some(imbot_sdk::DialogId::User(27)));
    /// ```
    pub fn new(dialog: DialogId, message: impl Into<String>) -> Self {
        BotMessage { dialog_id: Some(dialog), message: message.into(), ..Default::default() }
    }
}

/// `imbot.message.update` parameters: `None` leaves a part unchanged; `Some(json!("N"))` (or `""`) clears
/// ATTACH, KEYBOARD or MENU; an empty `message` deletes the message.
///
/// ```
/// use imbot_sdk::methods::bots::BotMessageUpdate;
/// let u = BotMessageUpdate { keyboard: Some(serde_json::json!("N")), ..BotMessageUpdate::new(84331) };
/// assert_eq!(serde_json::to_value(&u).unwrap(), serde_json::json!({"MESSAGE_ID": 84331, "KEYBOARD": "N"}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct BotMessageUpdate {
    /// `BOT_ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot_id: Option<i64>,
    /// `MESSAGE_ID`.
    pub message_id: i64,
    /// `MESSAGE`.
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
}

impl BotMessageUpdate {
    /// An update of `message_id` that changes nothing yet.
    ///
    /// ```
    /// let u = imbot_sdk::methods::bots::BotMessageUpdate::new(7);
    /// assert_eq!(u.message_id, 7);
    /// ```
    pub fn new(message_id: i64) -> Self {
        BotMessageUpdate { message_id, ..Default::default() }
    }
}

/// `im.chat.add` / `imbot.chat.add` parameters.
///
/// ```
/// use imbot_sdk::methods::NewChat;
/// let c = NewChat { users: vec![1, 27], ..NewChat::titled("Release") };
/// assert_eq!(serde_json::to_value(&c).unwrap(), serde_json::json!({"TITLE": "Release", "USERS": [1, 27]}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct NewChat {
    /// `TYPE`: closed (default) or open.
    #[serde(rename = "TYPE", skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<ChatType>,
    /// `TITLE` (default: made from the members' names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `DESCRIPTION`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `COLOR`: one of the 16 names (`RED`, `AQUA`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// `MESSAGE`: the first message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `USERS`: members besides the creator.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<i64>,
    /// `AVATAR`: a base64 image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// `ENTITY_TYPE`: bind the chat to an object of yours…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    /// `ENTITY_ID`: …with this id (find it again with `imbot.chat.get` / `im.chat.get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
}

impl NewChat {
    /// A closed chat with a title.
    ///
    /// ```
    /// let c = imbot_sdk::methods::NewChat::titled("Team");
    /// assert_eq!(c.title.as_deref(), Some("Team"));
    /// ```
    pub fn titled(title: impl Into<String>) -> Self {
        NewChat { title: Some(title.into()), ..Default::default() }
    }
}

fn bot(bot_id: Option<i64>) -> Value {
    bot_id.map_or(Value::Null, Value::from)
}

/// Drops `null` members so absent optional params are not sent.
fn params(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

/// `result` of `imbot.command.answer`: a message id, or `true` when the answer window had closed.
fn answer_result(v: Value) -> Option<i64> {
    match v {
        Value::Bool(_) => None,
        other => value_i64(&other),
    }
}

impl Client {
    /// `imbot.register`: creates the bot (or returns the id of the bot with the same `CODE`). Returns `BOT_ID`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::bots::RegisterBot;
    /// let bot_id = client.imbot_register(&RegisterBot::new("echo_bot", "Echo", "https://bot.example.com/")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_register(&self, req: &RegisterBot) -> Result<i64> {
        self.invoke::<Value>("imbot.register", req).await.and_then(|v| int_result("imbot.register", v))
    }

    /// `imbot.unregister`: deletes the bot (its commands go, its messages stay).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// assert!(client.imbot_unregister(39).await?);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_unregister(&self, bot_id: i64) -> Result<bool> {
        self.invoke("imbot.unregister", &json!({"BOT_ID": bot_id})).await
    }

    /// `imbot.update`: changes the bot's code, handlers or profile.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::bots::{BotProperties, UpdateBotFields};
    /// let fields = UpdateBotFields { properties: Some(BotProperties::named("Echo 2")), ..Default::default() };
    /// client.imbot_update(39, &fields).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_update(&self, bot_id: i64, fields: &UpdateBotFields) -> Result<bool> {
        self.invoke("imbot.update", &json!({"BOT_ID": bot_id, "FIELDS": fields})).await
    }

    /// `imbot.bot.list`: every bot of the portal.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// for bot in client.imbot_bot_list().await? {
    ///     println!("{} {} ({})", bot.id, bot.name, bot.code);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbot_bot_list(&self) -> Result<Vec<BotInfo>> {
        let v: Value = self.invoke("imbot.bot.list", &json!({})).await?;
        value_map(v)
            .into_iter()
            .map(|(_, b)| {
                serde_json::from_value(b)
                    .map_err(|source| crate::Error::Decode { method: "imbot.bot.list".into(), source })
            })
            .collect()
    }

    /// `imbot.command.register`: returns `COMMAND_ID` (the existing one for the same bot and command).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::bots::RegisterCommand;
    /// let req = RegisterCommand::new(39, "echo", "https://bot.example.com/").title("en", "Echo", "text");
    /// let command_id = client.imbot_command_register(&req).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_command_register(&self, req: &RegisterCommand) -> Result<i64> {
        self.invoke::<Value>("imbot.command.register", req).await.and_then(|v| int_result("imbot.command.register", v))
    }

    /// `imbot.command.update`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::bots::CommandFields;
    /// client.imbot_command_update(103, &CommandFields { hidden: Some(true), ..Default::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_command_update(&self, command_id: i64, fields: &CommandFields) -> Result<bool> {
        self.invoke("imbot.command.update", &json!({"COMMAND_ID": command_id, "FIELDS": fields})).await
    }

    /// `imbot.command.unregister`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_command_unregister(103).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_command_unregister(&self, command_id: i64) -> Result<bool> {
        self.invoke("imbot.command.unregister", &json!({"COMMAND_ID": command_id})).await
    }

    /// `imbot.command.answer`: posts the answer into the dialog of the command's message. Returns the new
    /// message's id, or `None` when the bot's 10-minute answer window for that dialog had closed (nothing posted).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::bots::CommandAnswer;
    /// let id = client.imbot_command_answer(&CommandAnswer::new(103, 33899, "Pong")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_command_answer(&self, req: &CommandAnswer) -> Result<Option<i64>> {
        self.invoke::<Value>("imbot.command.answer", req).await.map(answer_result)
    }

    /// `imbot.message.add`: posts as the bot; returns the message id.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::bots::BotMessage;
    /// let id = client.imbot_message_add(&BotMessage::new(imbot_sdk::DialogId::Chat(5), "Hello")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_message_add(&self, req: &BotMessage) -> Result<i64> {
        self.invoke::<Value>("imbot.message.add", req).await.and_then(|v| int_result("imbot.message.add", v))
    }

    /// `imbot.message.update`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::bots::BotMessageUpdate;
    /// let req = BotMessageUpdate { message: Some("edited".into()), ..BotMessageUpdate::new(84331) };
    /// client.imbot_message_update(&req).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_message_update(&self, req: &BotMessageUpdate) -> Result<bool> {
        self.invoke("imbot.message.update", req).await
    }

    /// `imbot.message.delete` (`complete`: without the "message deleted" stub).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_message_delete(None, 84331, false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_message_delete(&self, bot_id: Option<i64>, message_id: i64, complete: bool) -> Result<bool> {
        let req = params(json!({
            "BOT_ID": bot(bot_id), "MESSAGE_ID": message_id, "COMPLETE": if complete { "Y" } else { "N" }
        }));
        self.invoke("imbot.message.delete", &req).await
    }

    /// `imbot.message.like`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::LikeAction;
    /// client.imbot_message_like(None, 84331, LikeAction::Plus).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_message_like(&self, bot_id: Option<i64>, message_id: i64, action: LikeAction) -> Result<bool> {
        let req = params(json!({"BOT_ID": bot(bot_id), "MESSAGE_ID": message_id, "ACTION": action}));
        self.invoke("imbot.message.like", &req).await
    }

    /// `imbot.chat.sendTyping`: shows "typing…" for the bot in `dialog`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_send_typing(None, imbot_sdk::DialogId::User(27)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_send_typing(&self, bot_id: Option<i64>, dialog: DialogId) -> Result<bool> {
        let req = params(json!({"BOT_ID": bot(bot_id), "DIALOG_ID": dialog.to_string()}));
        self.invoke("imbot.chat.sendTyping", &req).await
    }

    /// `imbot.chat.add`: a chat owned by the bot; returns `CHAT_ID`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::NewChat;
    /// let chat_id = client.imbot_chat_add(None, &NewChat { users: vec![1], ..NewChat::titled("Todo") }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_add(&self, bot_id: Option<i64>, chat: &NewChat) -> Result<i64> {
        let mut req = serde_json::to_value(chat).expect("NewChat serialises");
        if let (Some(id), Value::Object(m)) = (bot_id, &mut req) {
            m.insert("BOT_ID".into(), id.into());
        }
        self.invoke::<Value>("imbot.chat.add", &req).await.and_then(|v| int_result("imbot.chat.add", v))
    }

    /// `imbot.chat.get`: the id of the chat bound to (`entity_type`, `entity_id`), `None` when there is none.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// if let Some(chat_id) = client.imbot_chat_get("TODO", "team-1").await? {
    ///     println!("chat{chat_id}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_get(&self, entity_type: &str, entity_id: &str) -> Result<Option<i64>> {
        let v: Value =
            self.invoke("imbot.chat.get", &json!({"ENTITY_TYPE": entity_type, "ENTITY_ID": entity_id})).await?;
        Ok(v.get("ID").and_then(value_i64))
    }

    /// `imbot.chat.leave`: the bot leaves the chat.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_leave(None, 5).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_leave(&self, bot_id: Option<i64>, chat_id: i64) -> Result<bool> {
        self.invoke("imbot.chat.leave", &params(json!({"BOT_ID": bot(bot_id), "CHAT_ID": chat_id}))).await
    }

    /// `imbot.chat.user.add`: adds `users` to a chat of the bot (`hide_history`: they see messages from now
    /// on only; the default).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_user_add(None, 5, &[27, 28], None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_user_add(
        &self,
        bot_id: Option<i64>,
        chat_id: i64,
        users: &[i64],
        hide_history: Option<bool>,
    ) -> Result<bool> {
        let req = params(json!({
            "BOT_ID": bot(bot_id), "CHAT_ID": chat_id, "USERS": users,
            "HIDE_HISTORY": hide_history.map(|h| if h { "Y" } else { "N" }),
        }));
        self.invoke("imbot.chat.user.add", &req).await
    }

    /// `imbot.chat.user.delete`: removes a member.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_user_delete(None, 5, 27).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_user_delete(&self, bot_id: Option<i64>, chat_id: i64, user_id: i64) -> Result<bool> {
        let req = params(json!({"BOT_ID": bot(bot_id), "CHAT_ID": chat_id, "USER_ID": user_id}));
        self.invoke("imbot.chat.user.delete", &req).await
    }

    /// `imbot.chat.user.list`: member ids.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let members = client.imbot_chat_user_list(None, 5).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_user_list(&self, bot_id: Option<i64>, chat_id: i64) -> Result<Vec<i64>> {
        let v: Value =
            self.invoke("imbot.chat.user.list", &params(json!({"BOT_ID": bot(bot_id), "CHAT_ID": chat_id}))).await?;
        Ok(int_list(&v))
    }

    /// `imbot.dialog.get`: the chat object of `dialog` (access is the calling user's).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let chat = client.imbot_dialog_get(imbot_sdk::DialogId::Chat(5)).await?;
    /// println!("{} has {} members", chat.name, chat.user_counter);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_dialog_get(&self, dialog: DialogId) -> Result<Dialog> {
        self.invoke("imbot.dialog.get", &json!({"DIALOG_ID": dialog.to_string()})).await
    }

    /// `imbot.chat.setOwner`: makes `user_id` the owner of a chat the bot owns.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_set_owner(None, 5, 27).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_set_owner(&self, bot_id: Option<i64>, chat_id: i64, user_id: i64) -> Result<bool> {
        let req = params(json!({"BOT_ID": bot(bot_id), "CHAT_ID": chat_id, "USER_ID": user_id}));
        self.invoke("imbot.chat.setOwner", &req).await
    }

    /// `imbot.chat.setManager`: makes `user_id` a manager of the chat (`is_manager = false` takes it back).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_set_manager(None, 5, 27, true).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_set_manager(
        &self,
        bot_id: Option<i64>,
        chat_id: i64,
        user_id: i64,
        is_manager: bool,
    ) -> Result<bool> {
        let req = params(json!({
            "BOT_ID": bot(bot_id), "CHAT_ID": chat_id, "USER_ID": user_id,
            "IS_MANAGER": if is_manager { "Y" } else { "N" },
        }));
        self.invoke("imbot.chat.setManager", &req).await
    }

    /// `imbot.chat.updateTitle`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_update_title(None, 5, "Release 2.0").await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_update_title(&self, bot_id: Option<i64>, chat_id: i64, title: &str) -> Result<bool> {
        let req = params(json!({"BOT_ID": bot(bot_id), "CHAT_ID": chat_id, "TITLE": title}));
        self.invoke("imbot.chat.updateTitle", &req).await
    }

    /// `imbot.chat.updateColor`: `color` is one of the 16 names (`RED`, `AQUA`, …).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_update_color(None, 5, "MINT").await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_update_color(&self, bot_id: Option<i64>, chat_id: i64, color: &str) -> Result<bool> {
        let req = params(json!({"BOT_ID": bot(bot_id), "CHAT_ID": chat_id, "COLOR": color}));
        self.invoke("imbot.chat.updateColor", &req).await
    }

    /// `imbot.chat.updateAvatar`: `avatar` is a base64 image (PNG, JPEG, GIF or WebP, at most 5000×5000).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client, png_base64: String) -> imbot_sdk::Result<()> {
    /// client.imbot_chat_update_avatar(None, 5, &png_base64).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_chat_update_avatar(&self, bot_id: Option<i64>, chat_id: i64, avatar: &str) -> Result<bool> {
        let req = params(json!({"BOT_ID": bot(bot_id), "CHAT_ID": chat_id, "AVATAR": avatar}));
        self.invoke("imbot.chat.updateAvatar", &req).await
    }
}

/// A result that must be an integer id.
pub(crate) fn int_result(method: &str, v: Value) -> Result<i64> {
    value_i64(&v).ok_or_else(|| crate::Error::Protocol {
        method: method.to_owned(),
        status: 200,
        detail: format!("expected an id as `result`, got {v}"),
    })
}

/// A list of ids (`[1, "2"]`), `[]` for anything else.
pub(crate) fn int_list(v: &Value) -> Vec<i64> {
    match v {
        Value::Array(list) => list.iter().filter_map(value_i64).collect(),
        Value::Object(m) => m.values().filter_map(value_i64).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_use_bitrix_names_and_skip_unset_fields() {
        let r =
            RegisterBot { bot_type: Some(BotType::Human), openline: Some(false), ..RegisterBot::new("c", "N", "u") };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["TYPE"], "H");
        assert_eq!(v["OPENLINE"], "N");
        assert!(v.get("EVENT_MESSAGE_UPDATE").is_none());
        let c = RegisterCommand { common: Some(true), ..RegisterCommand::new(1, "/x", "u") }.title("en", "X", "");
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["COMMON"], "Y");
        assert_eq!(v["LANG"][0], json!({"LANGUAGE_ID": "en", "TITLE": "X"}));
        assert_eq!(params(json!({"BOT_ID": null, "A": 1})), json!({"A": 1}));
    }

    #[test]
    fn answer_results() {
        assert_eq!(answer_result(json!(5)), Some(5));
        assert_eq!(answer_result(json!(true)), None);
        assert_eq!(int_list(&json!([1, "2", "x"])), vec![1, 2]);
    }
}
