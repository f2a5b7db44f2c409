//! `imbot.v2.Bot.*`, `imbot.v2.Command.*` and `imbot.v2.Revision.get` (docs/v2.md §3.1, §3.4, §3.6).

use super::{
    Background, BotType, BotV2, Color, CommandV2, EventMode, Gender, UserV2, bot_params, decode, field, fields_of,
    ok_result,
};
use crate::client::Client;
use crate::error::Result;
use crate::serde_util::{de, ser};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// `fields.properties` of a bot: its user profile. `name` is required on registration.
///
/// ```
/// use imbot_sdk::methods::v2::{BotPropertiesV2, Color};
/// let p = BotPropertiesV2 { color: Some(Color::Mint), work_position: Some("Helper".into()), ..BotPropertiesV2::named("Echo") };
/// assert_eq!(serde_json::to_value(&p).unwrap(), serde_json::json!({"name": "Echo", "workPosition": "Helper", "color": "mint"}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BotPropertiesV2 {
    /// `name`: shown in the chat list and the dialog header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `lastName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `workPosition`: shown in the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_position: Option<String>,
    /// `color` of the avatar placeholder (automatic when unset).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub color: Option<Color>,
    /// `gender`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub gender: Option<Gender>,
    /// `avatar`: a Base64 image, without a `data:…;base64,` prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

impl BotPropertiesV2 {
    /// Properties with only `name`.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::methods::v2::BotPropertiesV2::named("Todo").name.as_deref(), Some("Todo"));
    /// ```
    pub fn named(name: impl Into<String>) -> Self {
        BotPropertiesV2 { name: Some(name.into()), ..Default::default() }
    }
}

/// `imbot.v2.Bot.register` parameters: serialises to its `fields` object. Idempotent by `code` per owner: a
/// second registration answers the existing bot, unchanged.
///
/// Through a webhook the bot needs a `botToken`: either the client's
/// ([`ClientBuilder::bot_token`](crate::ClientBuilder::bot_token), sent top-level) or `bot_token` here (sent as
/// `fields.botToken`, which wins).
///
/// ```
/// use imbot_sdk::methods::v2::{BotType, RegisterBotV2};
/// let fetch = RegisterBotV2 { bot_type: Some(BotType::Supervisor), ..RegisterBotV2::fetch("watcher", "Watcher") };
/// assert_eq!(
///     serde_json::to_value(&fetch).unwrap(),
///     serde_json::json!({"code": "watcher", "properties": {"name": "Watcher"}, "type": "supervisor"})
/// );
/// let push = RegisterBotV2::webhook("push", "Push", "https://bot.example.com/v2");
/// let v = serde_json::to_value(&push).unwrap();
/// assert_eq!((v["eventMode"].as_str(), v["webhookUrl"].as_str()), (Some("webhook"), Some("https://bot.example.com/v2")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterBotV2 {
    /// `code`: unique within the owner.
    pub code: String,
    /// `botToken` (webhook registrations): at most 40 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot_token: Option<String>,
    /// `properties`.
    pub properties: BotPropertiesV2,
    /// `type` (default `bot`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub bot_type: Option<BotType>,
    /// `eventMode` (default `fetch`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub event_mode: Option<EventMode>,
    /// `webhookUrl`: required with `eventMode: webhook`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// `isHidden` (default `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_hidden: Option<bool>,
    /// `isReactionsEnabled` (default `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_reactions_enabled: Option<bool>,
    /// `isSupportOpenline` (default `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_support_openline: Option<bool>,
    /// `backgroundId` (default: the user's own).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub background_id: Option<Background>,
}

impl RegisterBotV2 {
    /// A fetch-mode bot (events by `imbot.v2.Event.get`, see [`EventPoller`](super::EventPoller)): no public
    /// address needed.
    ///
    /// ```
    /// let r = imbot_sdk::methods::v2::RegisterBotV2::fetch("helper", "Helper");
    /// assert!(r.event_mode.is_none() && r.webhook_url.is_none());
    /// ```
    pub fn fetch(code: impl Into<String>, name: impl Into<String>) -> Self {
        RegisterBotV2 { code: code.into(), properties: BotPropertiesV2::named(name), ..Default::default() }
    }

    /// A webhook-mode bot: its eight `ONIMBOTV2*` events are POSTed to `url` (form-encoded, one POST per bot;
    /// parse them with [`parse_event`](crate::events::parse_event)).
    ///
    /// ```
    /// let r = imbot_sdk::methods::v2::RegisterBotV2::webhook("push", "Push", "https://bot.example.com/");
    /// assert_eq!(r.event_mode, Some(imbot_sdk::methods::v2::EventMode::Webhook));
    /// ```
    pub fn webhook(code: impl Into<String>, name: impl Into<String>, url: impl Into<String>) -> Self {
        RegisterBotV2 { event_mode: Some(EventMode::Webhook), webhook_url: Some(url.into()), ..Self::fetch(code, name) }
    }
}

/// `fields` of `imbot.v2.Bot.update`: only what is set changes.
///
/// `bot_token` **rotates** the token: the call is authorised with the current one (the client's), the new one
/// replaces it at once, and the old one answers `BOT_OWNERSHIP_ERROR` from then on — continue with
/// [`Client::with_bot_token`](crate::Client::with_bot_token).
///
/// ```
/// use imbot_sdk::methods::v2::{BotPropertiesV2, UpdateBotV2};
/// let f = UpdateBotV2 { properties: Some(BotPropertiesV2::named("Echo 2")), background_id: Some(None), ..Default::default() };
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"properties": {"name": "Echo 2"}, "backgroundId": null}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateBotV2 {
    /// `properties`: none required; a wrong colour is ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<BotPropertiesV2>,
    /// `isHidden`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_hidden: Option<bool>,
    /// `isReactionsEnabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_reactions_enabled: Option<bool>,
    /// `isSupportOpenline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_support_openline: Option<bool>,
    /// `backgroundId`: `Some(None)` resets to the user's background.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt_opt")]
    pub background_id: Option<Option<Background>>,
    /// `eventMode`: switching rebuilds the webhook subscriptions.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser::display_opt")]
    pub event_mode: Option<EventMode>,
    /// `webhookUrl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// `botToken`: the new token (rotation), at most 40 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot_token: Option<String>,
}

/// Which bot `imbot.v2.Bot.get` looks up: by id or by code.
///
/// ```
/// use imbot_sdk::methods::v2::BotKey;
/// assert_eq!(BotKey::from(456), BotKey::Id(456));
/// assert_eq!(BotKey::from("support_bot"), BotKey::Code("support_bot".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotKey {
    /// `botId`.
    Id(i64),
    /// `code`.
    Code(String),
}

impl From<i64> for BotKey {
    fn from(id: i64) -> Self {
        BotKey::Id(id)
    }
}

impl From<&str> for BotKey {
    fn from(code: &str) -> Self {
        BotKey::Code(code.to_owned())
    }
}

impl From<String> for BotKey {
    fn from(code: String) -> Self {
        BotKey::Code(code)
    }
}

/// `{"bot": Bot, "users": [User]}`: what `Bot.register`, `Bot.update` and `Bot.get` answer.
///
/// ```
/// use imbot_sdk::methods::v2::BotAnswer;
/// let a: BotAnswer = serde_json::from_value(serde_json::json!({
///     "bot": {"id": 456, "code": "support_bot", "type": "bot"},
///     "users": [{"id": 456, "active": true, "name": "Support Bot", "bot": true, "type": "bot"}]
/// })).unwrap();
/// assert_eq!(a.user().unwrap().name, "Support Bot");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BotAnswer {
    /// `bot`: extended for the owner, brief for others.
    #[serde(default)]
    pub bot: BotV2,
    /// `users`: the bot's own user.
    #[serde(default, deserialize_with = "de::list")]
    pub users: Vec<UserV2>,
}

impl BotAnswer {
    /// The bot's user (name, avatar, …).
    ///
    /// ```
    /// assert!(imbot_sdk::methods::v2::BotAnswer::default().user().is_none());
    /// ```
    pub fn user(&self) -> Option<&UserV2> {
        self.users.iter().find(|u| u.id == self.bot.id)
    }
}

/// `imbot.v2.Bot.list` parameters.
///
/// ```
/// use imbot_sdk::methods::v2::{BotListQuery, BotType};
/// let q = BotListQuery { bot_type: Some(BotType::Supervisor), limit: Some(10), ..Default::default() };
/// assert_eq!(q.to_params(), serde_json::json!({"filter": {"type": "supervisor"}, "limit": 10}));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BotListQuery {
    /// `filter.type`.
    pub bot_type: Option<BotType>,
    /// `limit` (default 50).
    pub limit: Option<u32>,
    /// `offset` (default 0).
    pub offset: Option<u32>,
}

impl BotListQuery {
    /// The parameters as sent.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::methods::v2::BotListQuery::default().to_params(), serde_json::json!({}));
    /// ```
    pub fn to_params(&self) -> Value {
        let mut m = Map::new();
        if let Some(t) = self.bot_type {
            m.insert("filter".into(), json!({"type": t.as_str()}));
        }
        if let Some(l) = self.limit {
            m.insert("limit".into(), l.into());
        }
        if let Some(o) = self.offset {
            m.insert("offset".into(), o.into());
        }
        Value::Object(m)
    }
}

/// `imbot.v2.Bot.list`'s answer: the owner's bots (extended), their users, and whether more follow.
///
/// ```
/// use imbot_sdk::methods::v2::BotPage;
/// let p: BotPage = serde_json::from_value(serde_json::json!({"bots": [{"id": 1}], "users": [], "hasNextPage": false})).unwrap();
/// assert_eq!((p.bots.len(), p.has_next_page), (1, false));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BotPage {
    /// `bots`.
    #[serde(default, deserialize_with = "de::list")]
    pub bots: Vec<BotV2>,
    /// `users`: the bots' users.
    #[serde(default, deserialize_with = "de::list")]
    pub users: Vec<UserV2>,
    /// `hasNextPage`: call again with `offset` + `limit`.
    #[serde(default, deserialize_with = "de::flag")]
    pub has_next_page: bool,
}

/// `imbot.v2.Command.register` parameters (its `fields`). Idempotent per bot and command.
///
/// ```
/// use imbot_sdk::methods::v2::RegisterCommandV2;
/// let c = RegisterCommandV2::new("/help").title("en", "Show help").title("de", "Hilfe").params("en", "topic");
/// assert_eq!(
///     serde_json::to_value(&c).unwrap(),
///     serde_json::json!({"command": "help", "title": {"de": "Hilfe", "en": "Show help"}, "params": {"en": "topic"}})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterCommandV2 {
    /// `command`: without the `/`.
    pub command: String,
    /// `title`: `{language: text}`; required unless `hidden`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub title: BTreeMap<String, String>,
    /// `params`: `{language: hint}`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// `common`: usable in every chat, not only where the bot is (default `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common: Option<bool>,
    /// `hidden`: not listed, still callable (default `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    /// `extranetSupport` (default `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extranet_support: Option<bool>,
}

impl RegisterCommandV2 {
    /// Command `/command` (a leading `/` is dropped); add titles with [`RegisterCommandV2::title`].
    ///
    /// ```
    /// assert_eq!(imbot_sdk::methods::v2::RegisterCommandV2::new("/help").command, "help");
    /// ```
    pub fn new(command: impl Into<String>) -> Self {
        let command = command.into();
        RegisterCommandV2 { command: command.trim_start_matches('/').to_owned(), ..Default::default() }
    }

    /// Adds a title in `language` (two lower-case letters).
    ///
    /// ```
    /// let c = imbot_sdk::methods::v2::RegisterCommandV2::new("x").title("en", "Do x");
    /// assert_eq!(c.title["en"], "Do x");
    /// ```
    pub fn title(mut self, language: &str, text: &str) -> Self {
        self.title.insert(language.to_owned(), text.to_owned());
        self
    }

    /// Adds a parameter hint in `language`.
    ///
    /// ```
    /// let c = imbot_sdk::methods::v2::RegisterCommandV2::new("x").params("en", "text");
    /// assert_eq!(c.params["en"], "text");
    /// ```
    pub fn params(mut self, language: &str, text: &str) -> Self {
        self.params.insert(language.to_owned(), text.to_owned());
        self
    }
}

/// `fields` of `imbot.v2.Command.update`: only what is set changes. In `title`, a language mapped to `None`
/// is removed; `params` applies only to the languages given in `title`.
///
/// ```
/// use imbot_sdk::methods::v2::UpdateCommandV2;
/// let f = UpdateCommandV2 { common: Some(true), ..Default::default() }.title("de", Some("Neu")).title("en", None);
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"title": {"de": "Neu", "en": null}, "common": true}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCommandV2 {
    /// `command`: renames it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// `title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<BTreeMap<String, Option<String>>>,
    /// `params`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<BTreeMap<String, Option<String>>>,
    /// `common` (changeable in v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common: Option<bool>,
    /// `hidden`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    /// `extranetSupport`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extranet_support: Option<bool>,
}

impl UpdateCommandV2 {
    /// Sets (`Some`) or removes (`None`) the title in `language`.
    ///
    /// ```
    /// let f = imbot_sdk::methods::v2::UpdateCommandV2::default().title("en", Some("Help"));
    /// assert_eq!(f.title.unwrap()["en"].as_deref(), Some("Help"));
    /// ```
    pub fn title(mut self, language: &str, text: Option<&str>) -> Self {
        self.title.get_or_insert_with(BTreeMap::new).insert(language.to_owned(), text.map(str::to_owned));
        self
    }

    /// Sets (`Some`) or removes (`None`) the parameter hint in `language`.
    ///
    /// ```
    /// let f = imbot_sdk::methods::v2::UpdateCommandV2::default().title("en", Some("Help")).params("en", Some("topic"));
    /// assert_eq!(f.params.unwrap()["en"].as_deref(), Some("topic"));
    /// ```
    pub fn params(mut self, language: &str, text: Option<&str>) -> Self {
        self.params.get_or_insert_with(BTreeMap::new).insert(language.to_owned(), text.map(str::to_owned));
        self
    }
}

/// `imbot.v2.Revision.get`: the API revisions; `rest` is the one to check features against.
///
/// ```
/// let r: imbot_sdk::methods::v2::Revision =
///     serde_json::from_value(serde_json::json!({"rest": 36, "web": 130, "mobile": 23, "desktop": 6})).unwrap();
/// assert!(r.rest >= 35);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Revision {
    /// `rest`.
    #[serde(default, deserialize_with = "de::int")]
    pub rest: i64,
    /// `web`.
    #[serde(default, deserialize_with = "de::int")]
    pub web: i64,
    /// `mobile`.
    #[serde(default, deserialize_with = "de::int")]
    pub mobile: i64,
    /// `desktop`.
    #[serde(default, deserialize_with = "de::int")]
    pub desktop: i64,
}

impl Client {
    /// `imbot.v2.Bot.register`: registers a bot (or answers the existing one with the same `code`).
    ///
    /// ```no_run
    /// # async fn run() -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::RegisterBotV2;
    /// let client = imbot_sdk::Client::webhook("https://portal.bitrix24.com/rest/1/abc/").bot_token("support-7f3a").build()?;
    /// let answer = client.imbot_v2_bot_register(&RegisterBotV2::fetch("support_bot", "Support")).await?;
    /// println!("bot {} ({:?})", answer.bot.id, answer.bot.event_mode());
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_bot_register(&self, req: &RegisterBotV2) -> Result<BotAnswer> {
        const M: &str = "imbot.v2.Bot.register";
        decode(M, self.call(M, json!({"fields": fields_of(M, req)?})).await?)
    }

    /// `imbot.v2.Bot.update`: changes what `fields` sets; answers the bot as it is now.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::{BotPropertiesV2, UpdateBotV2};
    /// let fields = UpdateBotV2 { properties: Some(BotPropertiesV2::named("Support 2")), ..Default::default() };
    /// client.imbot_v2_bot_update(456, &fields).await?;
    /// // Token rotation: the new token works from now on, the old one no longer.
    /// client.imbot_v2_bot_update(456, &UpdateBotV2 { bot_token: Some("support-8e4b".into()), ..Default::default() }).await?;
    /// let client = client.with_bot_token("support-8e4b");
    /// # let _ = client; Ok(()) }
    /// ```
    pub async fn imbot_v2_bot_update(&self, bot_id: i64, fields: &UpdateBotV2) -> Result<BotAnswer> {
        const M: &str = "imbot.v2.Bot.update";
        let mut p = bot_params(bot_id);
        p.insert("fields".into(), fields_of(M, fields)?);
        decode(M, self.call(M, Value::Object(p)).await?)
    }

    /// `imbot.v2.Bot.get`: a bot by id or code — extended for its owner, brief for everyone else.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let by_code = client.imbot_v2_bot_get("support_bot").await?;
    /// let by_id = client.imbot_v2_bot_get(by_code.bot.id).await?;
    /// # let _ = by_id; Ok(()) }
    /// ```
    pub async fn imbot_v2_bot_get(&self, bot: impl Into<BotKey>) -> Result<BotAnswer> {
        const M: &str = "imbot.v2.Bot.get";
        let params = match bot.into() {
            BotKey::Id(id) => json!({"botId": id}),
            BotKey::Code(code) => json!({"code": code}),
        };
        decode(M, self.call(M, params).await?)
    }

    /// `imbot.v2.Bot.list`: the bots of the caller (the OAuth app, or the webhook + `botToken`).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::BotListQuery;
    /// for bot in client.imbot_v2_bot_list(&BotListQuery::default()).await?.bots {
    ///     println!("{} {} {}", bot.id, bot.code, bot.kind);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_bot_list(&self, query: &BotListQuery) -> Result<BotPage> {
        const M: &str = "imbot.v2.Bot.list";
        decode(M, self.call(M, query.to_params()).await?)
    }

    /// `imbot.v2.Bot.unregister`: deletes the bot; its last event is ONIMBOTV2DELETE.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// assert!(client.imbot_v2_bot_unregister(456).await?);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_bot_unregister(&self, bot_id: i64) -> Result<bool> {
        let v = self.call("imbot.v2.Bot.unregister", Value::Object(bot_params(bot_id))).await?;
        Ok(ok_result(&v))
    }

    /// `imbot.v2.Command.register`: answers the command (the existing one for the same bot and command).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::RegisterCommandV2;
    /// let cmd = client.imbot_v2_command_register(456, &RegisterCommandV2::new("help").title("en", "Show help")).await?;
    /// println!("{} is command {}", cmd.command, cmd.id);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_command_register(&self, bot_id: i64, req: &RegisterCommandV2) -> Result<CommandV2> {
        const M: &str = "imbot.v2.Command.register";
        let mut p = bot_params(bot_id);
        p.insert("fields".into(), fields_of(M, req)?);
        field(M, self.call(M, Value::Object(p)).await?, "command")
    }

    /// `imbot.v2.Command.update`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::UpdateCommandV2;
    /// client.imbot_v2_command_update(456, 42, &UpdateCommandV2 { hidden: Some(true), ..Default::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_command_update(
        &self,
        bot_id: i64,
        command_id: i64,
        fields: &UpdateCommandV2,
    ) -> Result<CommandV2> {
        const M: &str = "imbot.v2.Command.update";
        let mut p = bot_params(bot_id);
        p.insert("commandId".into(), command_id.into());
        p.insert("fields".into(), fields_of(M, fields)?);
        field(M, self.call(M, Value::Object(p)).await?, "command")
    }

    /// `imbot.v2.Command.list`: the bot's commands, titles in the portal's language.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// for c in client.imbot_v2_command_list(456).await? {
    ///     println!("{} — {}", c.command, c.title);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_command_list(&self, bot_id: i64) -> Result<Vec<CommandV2>> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default, deserialize_with = "de::list")]
            commands: Vec<CommandV2>,
        }
        const M: &str = "imbot.v2.Command.list";
        Ok(decode::<List>(M, self.call(M, Value::Object(bot_params(bot_id))).await?)?.commands)
    }

    /// `imbot.v2.Command.unregister`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.imbot_v2_command_unregister(456, 42).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_command_unregister(&self, bot_id: i64, command_id: i64) -> Result<bool> {
        let mut p = bot_params(bot_id);
        p.insert("commandId".into(), command_id.into());
        Ok(ok_result(&self.call("imbot.v2.Command.unregister", Value::Object(p)).await?))
    }

    /// `imbot.v2.Revision.get`: no bot, no `botToken`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// if client.imbot_v2_revision_get().await?.rest < 35 {
    ///     println!("token rotation is not available here");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_revision_get(&self) -> Result<Revision> {
        const M: &str = "imbot.v2.Revision.get";
        decode(M, self.call(M, json!({})).await?)
    }
}
