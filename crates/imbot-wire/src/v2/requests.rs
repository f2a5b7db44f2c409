//! Typed requests of the v2 methods (docs/v2.md §3): each method's parameters read once, at the edge.
//!
//! A handler first resolves the bot with [`super::params::BotRef::parse`] (or [`super::params::webhook_token`]
//! for the methods without `botId`), then parses its request here, then does the store work (`BOT_NOT_FOUND`,
//! `BOT_OWNERSHIP_ERROR`, membership and rights are the server's). Every `parse` checks in the order the method
//! page lists its error codes; documented defaults are applied, so the structs hold the values the method works
//! with.
//!
//! `ATTACH` and `KEYBOARD` inside `fields` (`fields.attach`, `fields.keyboard`) have the v1 format and are read
//! by [`crate::rich`] (UPPER_CASE inner keys, the same forms, limits and errors); the calling bot is passed as
//! the keyboard's bot, as imbot.* v1 methods do. v2 documents no `menu` field.
//!
//! Failure: an [`ApiError`] whose code is a documented v2 code ([`super::errors`]), `ATTACH_*`/`KEYBOARD_*`,
//! or `400 ERROR_ARGUMENT` for a missing or mistyped parameter that has no code of its own.

use super::enums::{
    Background, BotType, ChatUserOrderField, Color, EventMode, Gender, Reaction, SortDirection, StatusMessageCode,
};
use super::errors;
use super::params::{
    argument_error, check_new_token, is_handler_url, missing, truncate_message, LangTexts, Limit, Obj, MAX_FILE_SIZE,
    MAX_FORWARD_IDS,
};
use crate::error::{ApiError, ErrorCode};
use crate::ids::DialogId;
use crate::params::{scalar_string, value_int};
use crate::rich::{Attach, Field, Keyboard};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde_json::{Map, Value};

/// `fields` when the method requires it (absent → `ERROR_ARGUMENT`).
fn required_fields<'a>(p: &Obj<'a>) -> Result<Obj<'a>, ApiError> {
    p.object("fields", "fields.")?.ok_or_else(|| missing("fields"))
}

/// `fields` when optional (absent → an empty object).
fn optional_fields<'a>(p: &Obj<'a>) -> Result<Obj<'a>, ApiError> {
    Ok(p.object("fields", "fields.")?.unwrap_or_else(|| Obj::empty("fields.")))
}

/// A token as sent (scalar, not blank, not trimmed).
fn token(v: Option<&Value>) -> Option<String> {
    v.and_then(scalar_string).filter(|s| !s.trim().is_empty())
}

/// A message text: absent/blank → `None`; a container → `ERROR_ARGUMENT`; kept verbatim but truncated.
fn message_text(f: &Obj<'_>) -> Result<Option<String>, ApiError> {
    Ok(f.string("message")?.filter(|s| !s.trim().is_empty()).map(|s| truncate_message(&s).into_owned()))
}

// ---------------------------------------------------------------------------------------------------------------
// Bots

/// `fields.properties` of `Bot.register` / `Bot.update`. Blank strings read as absent; an unknown colour or
/// gender is ignored (register: the colour is then assigned automatically).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BotProperties {
    pub name: Option<String>,
    pub last_name: Option<String>,
    pub work_position: Option<String>,
    pub color: Option<Color>,
    pub gender: Option<Gender>,
    /// Base64 image without a `data:` prefix; the server checks it (`BOT_AVATAR_INCORRECT_TYPE` / `_SIZE`).
    pub avatar: Option<String>,
}

impl BotProperties {
    fn read(o: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(BotProperties {
            name: o.trimmed("name")?,
            last_name: o.trimmed("lastName")?,
            work_position: o.trimmed("workPosition")?,
            color: o.string("color")?.and_then(|c| Color::parse_lenient(&c)),
            gender: o.string("gender")?.and_then(|g| Gender::parse_ci(&g)),
            avatar: o.trimmed("avatar")?,
        })
    }
}

/// `imbot.v2.Bot.register`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotRegister {
    /// `fields.code`, trimmed.
    pub code: String,
    /// `fields.botToken` (or a top-level `botToken`, which the quick start sends); `None` for OAuth calls.
    pub bot_token: Option<String>,
    /// `name` is always set.
    pub properties: BotProperties,
    pub bot_type: BotType,
    pub event_mode: EventMode,
    /// Checked to be an absolute http(s) URL when `event_mode` is webhook; kept as given otherwise.
    pub webhook_url: Option<String>,
    pub is_hidden: bool,
    pub is_reactions_enabled: bool,
    pub is_support_openline: bool,
    /// Unknown values are `None` (`null`).
    pub background_id: Option<Background>,
}

impl BotRegister {
    /// Checks in the page's order: `BOT_TOKEN_NOT_SPECIFIED` (webhook), `BOT_TOKEN_INVALID_LENGTH`,
    /// `BOT_CODE_REQUIRED`, `BOT_PROPERTIES_REQUIRED`, `BOT_INVALID_TYPE`, `BOT_INVALID_EVENT_MODE`,
    /// `BOT_WEBHOOK_URL_REQUIRED`, `BOT_INVALID_CALLBACK`. `BOT_CODE_ALREADY_TAKEN`, `BOT_LIMIT_EXCEEDED` and the
    /// avatar errors are the server's.
    pub fn parse(p: &Obj<'_>, auth: super::params::AuthKind) -> Result<Self, ApiError> {
        let f = optional_fields(p)?;
        let bot_token = match auth {
            super::params::AuthKind::OAuth => None,
            super::params::AuthKind::Webhook => Some(
                token(f.raw("botToken"))
                    .or_else(|| token(p.raw("botToken")))
                    .ok_or_else(|| ApiError::new(errors::BOT_TOKEN_NOT_SPECIFIED))?,
            ),
        };
        if let Some(t) = &bot_token {
            check_new_token(t)?;
        }
        let code = f.trimmed("code")?.ok_or_else(|| ApiError::new(errors::BOT_CODE_REQUIRED))?;
        let properties = match f.object("properties", "fields.properties.")? {
            Some(o) => BotProperties::read(&o)?,
            None => return Err(ApiError::new(errors::BOT_PROPERTIES_REQUIRED)),
        };
        if properties.name.is_none() {
            return Err(ApiError::new(errors::BOT_PROPERTIES_REQUIRED));
        }
        let bot_type = match f.string("type")? {
            None => BotType::default(),
            Some(t) => BotType::parse_ci(&t).ok_or_else(|| ApiError::new(errors::BOT_INVALID_TYPE))?,
        };
        let event_mode = match f.string("eventMode")? {
            None => EventMode::default(),
            Some(m) => EventMode::parse_ci(&m).ok_or_else(|| ApiError::new(errors::BOT_INVALID_EVENT_MODE))?,
        };
        let webhook_url = f.trimmed("webhookUrl")?;
        if event_mode == EventMode::Webhook {
            match &webhook_url {
                None => return Err(ApiError::new(errors::BOT_WEBHOOK_URL_REQUIRED)),
                Some(u) if !is_handler_url(u) => return Err(ApiError::new(errors::BOT_INVALID_CALLBACK)),
                Some(_) => {}
            }
        }
        Ok(BotRegister {
            code,
            bot_token,
            properties,
            bot_type,
            event_mode,
            webhook_url,
            is_hidden: f.bool_or("isHidden", false)?,
            is_reactions_enabled: f.bool_or("isReactionsEnabled", true)?,
            is_support_openline: f.bool_or("isSupportOpenline", false)?,
            background_id: f.string("backgroundId")?.and_then(|b| Background::parse(&b)),
        })
    }
}

/// `imbot.v2.Bot.update` (`fields*`). `None` leaves a property unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BotUpdate {
    /// Only the properties given are `Some`.
    pub properties: Option<BotProperties>,
    pub is_hidden: Option<bool>,
    pub is_reactions_enabled: Option<bool>,
    pub is_support_openline: Option<bool>,
    /// `Some(None)`: reset to `null` (sent as `null`/`""`, or an unknown value, which "is normalized to null").
    pub background_id: Option<Option<Background>>,
    pub event_mode: Option<EventMode>,
    pub webhook_url: Option<String>,
    /// `fields.botToken`: rotate to this token (blank is ignored; the call authenticates with the old one).
    pub new_bot_token: Option<String>,
}

impl BotUpdate {
    /// Errors: `ERROR_ARGUMENT` (no `fields`), `BOT_INVALID_EVENT_MODE`, `BOT_INVALID_CALLBACK`,
    /// `BOT_TOKEN_INVALID_LENGTH`. `BOT_WEBHOOK_URL_REQUIRED` (switching to webhook with no URL stored) and
    /// `BOT_TOKEN_ROTATION_FAILED` are the server's.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let f = required_fields(p)?;
        let event_mode = match f.string("eventMode")? {
            None => None,
            Some(m) => Some(EventMode::parse_ci(&m).ok_or_else(|| ApiError::new(errors::BOT_INVALID_EVENT_MODE))?),
        };
        let webhook_url = f.trimmed("webhookUrl")?;
        if webhook_url.as_deref().is_some_and(|u| !is_handler_url(u)) {
            return Err(ApiError::new(errors::BOT_INVALID_CALLBACK));
        }
        let new_bot_token = token(f.raw("botToken"));
        if let Some(t) = &new_bot_token {
            check_new_token(t)?;
        }
        let background_id = if f.has("backgroundId") {
            Some(match f.raw("backgroundId") {
                Some(Value::String(s)) => Background::parse(s),
                _ => None,
            })
        } else {
            None
        };
        Ok(BotUpdate {
            properties: f.object("properties", "fields.properties.")?.map(|o| BotProperties::read(&o)).transpose()?,
            is_hidden: f.bool("isHidden")?,
            is_reactions_enabled: f.bool("isReactionsEnabled")?,
            is_support_openline: f.bool("isSupportOpenline")?,
            background_id,
            event_mode,
            webhook_url,
            new_bot_token,
        })
    }
}

/// `imbot.v2.Bot.get`: `botId` or `code` (`botId` wins when both are given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotGet {
    ById(i64),
    ByCode(String),
}

impl BotGet {
    /// `PARAMS_REQUIRED` when neither is given (a `botId` that is not a positive integer counts as not given).
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        if let Some(id) = p.get("botId").and_then(value_int).filter(|n| *n > 0) {
            return Ok(BotGet::ById(id));
        }
        match p.trimmed("code")? {
            Some(code) => Ok(BotGet::ByCode(code)),
            None => Err(ApiError::new(errors::PARAMS_REQUIRED)),
        }
    }
}

/// The `filter.type` of `Bot.list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotTypeFilter {
    /// No filter.
    All,
    Only(BotType),
    /// An unknown type: the documented answer is an empty `bots` array, never an error.
    Nothing,
}

/// `imbot.v2.Bot.list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotList {
    pub filter: BotTypeFilter,
    /// [`Limit::BOT_LIST`].
    pub limit: i64,
    /// ≥ 0, default 0.
    pub offset: i64,
}

impl BotList {
    /// Never fails on a bad filter; `ERROR_ARGUMENT` only for a `limit`/`offset` that is not an integer.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let filter = match p.object("filter", "filter.")? {
            None => BotTypeFilter::All,
            Some(f) => match f.string("type")? {
                None => BotTypeFilter::All,
                Some(t) => BotType::parse(t.trim()).map_or(BotTypeFilter::Nothing, BotTypeFilter::Only),
            },
        };
        Ok(BotList {
            filter,
            limit: Limit::BOT_LIST.apply(p.int("limit")?),
            offset: p.int("offset")?.unwrap_or(0).max(0),
        })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Chats

/// `imbot.v2.Chat.add` (`fields` optional: a chat with no parameters is a valid request).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChatAdd {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Unknown colours are ignored ("assigned automatically").
    pub color: Option<Color>,
    /// Base64 image.
    pub avatar: Option<String>,
    /// Positive ids, deduplicated; unknown users are the server's to skip.
    pub user_ids: Vec<i64>,
    /// Default: the bot. Not a positive integer → ignored.
    pub owner_id: Option<i64>,
    /// First message (truncated like any message).
    pub message: Option<String>,
}

impl ChatAdd {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let f = optional_fields(p)?;
        Ok(ChatAdd {
            title: f.trimmed("title")?,
            description: f.string("description")?,
            color: f.string("color")?.and_then(|c| Color::parse_lenient(&c)),
            avatar: f.trimmed("avatar")?,
            user_ids: f.id_list("userIds")?.unwrap_or_default(),
            owner_id: f.get("ownerId").and_then(value_int).filter(|n| *n > 0),
            message: message_text(&f)?,
        })
    }
}

/// Methods whose only parameter is `dialogId`: `Chat.get`, `Chat.leave`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogRequest {
    pub dialog_id: DialogId,
}

impl DialogRequest {
    /// Absent → `ERROR_ARGUMENT`; malformed → `ACCESS_DENIED`.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(DialogRequest { dialog_id: p.dialog_id("dialogId", errors::ACCESS_DENIED)? })
    }
}

/// `imbot.v2.Chat.update` (`fields*`: title, description, color, avatar; all optional inside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatUpdate {
    pub dialog_id: DialogId,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Unknown colours are ignored.
    pub color: Option<Color>,
    pub avatar: Option<String>,
}

impl ChatUpdate {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let dialog_id = p.dialog_id("dialogId", errors::ACCESS_DENIED)?;
        let f = required_fields(p)?;
        Ok(ChatUpdate {
            dialog_id,
            title: f.trimmed("title")?,
            description: f.string("description")?,
            color: f.string("color")?.and_then(|c| Color::parse_lenient(&c)),
            avatar: f.trimmed("avatar")?,
        })
    }

    /// Whether the call changes nothing (then it answers `{"result": true}`).
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none() && self.color.is_none() && self.avatar.is_none()
    }
}

/// `dialogId` + `userId`: `Chat.setOwner`, `Chat.User.delete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatUserRequest {
    pub dialog_id: DialogId,
    pub user_id: i64,
}

impl ChatUserRequest {
    /// `userId` absent → `ERROR_ARGUMENT`; not a positive integer → `ACCESS_DENIED`.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(ChatUserRequest {
            dialog_id: p.dialog_id("dialogId", errors::ACCESS_DENIED)?,
            user_id: p.id("userId", errors::ACCESS_DENIED)?,
        })
    }
}

/// `dialogId` + `userIds*`: `Chat.User.add`, `Chat.Manager.add`, `Chat.Manager.delete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatUsersRequest {
    pub dialog_id: DialogId,
    /// Never empty.
    pub user_ids: Vec<i64>,
}

impl ChatUsersRequest {
    /// `EMPTY_USER_IDS` when `userIds` is absent or holds no positive id.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let dialog_id = p.dialog_id("dialogId", errors::ACCESS_DENIED)?;
        let user_ids = p.id_list("userIds")?.unwrap_or_default();
        if user_ids.is_empty() {
            return Err(ApiError::new(errors::EMPTY_USER_IDS));
        }
        Ok(ChatUsersRequest { dialog_id, user_ids })
    }
}

/// `imbot.v2.Chat.User.list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatUserList {
    pub dialog_id: DialogId,
    /// The first recognised `order` entry; default `id ASC`. Unknown fields/directions are ignored.
    pub order: (ChatUserOrderField, SortDirection),
    /// [`Limit::CHAT_USER_LIST`].
    pub limit: i64,
}

impl ChatUserList {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let dialog_id = p.dialog_id("dialogId", errors::ACCESS_DENIED)?;
        let mut order = (ChatUserOrderField::Id, SortDirection::Asc);
        if let Some(o) = p.object("order", "order.")? {
            for (k, v) in o.map() {
                let (Some(field), Some(dir)) =
                    (ChatUserOrderField::parse(k), v.as_str().and_then(SortDirection::parse_ci))
                else {
                    continue;
                };
                order = (field, dir);
                break;
            }
        }
        Ok(ChatUserList { dialog_id, order, limit: Limit::CHAT_USER_LIST.apply(p.int("limit")?) })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/// The message body shared by `Chat.Message.send` and `Command.answer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageContent {
    /// `fields.message`, verbatim, truncated to 20 000 characters + `" (...)"`; blank → `None`.
    pub message: Option<String>,
    pub attach: Option<Attach>,
    /// Parsed with the calling bot as the keyboard's bot.
    pub keyboard: Option<Keyboard>,
    /// Default `false`. A system message has `authorId = 0` and no longer belongs to the bot.
    pub system: bool,
    /// Default `true`.
    pub url_preview: bool,
}

impl MessageContent {
    fn read(f: &Obj<'_>, bot_id: i64) -> Result<Self, ApiError> {
        Ok(MessageContent {
            message: message_text(f)?,
            attach: Attach::parse(f.raw("attach"))?.into_set(),
            keyboard: Keyboard::parse(f.raw("keyboard"), Some(bot_id))?.into_set(),
            system: f.bool_or("system", false)?,
            url_preview: f.bool_or("urlPreview", true)?,
        })
    }
}

/// `imbot.v2.Chat.Message.send`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSend {
    pub dialog_id: DialogId,
    pub content: MessageContent,
    /// `fields.replyId`; not a positive integer → ignored.
    pub reply_id: Option<i64>,
    /// `fields.templateId` (the message UUID), at most 255 characters (longer is cut, as v1 does).
    pub template_id: Option<String>,
    /// `fields.forwardIds` `{uuid: messageId}` in the order given, at most [`MAX_FORWARD_IDS`].
    pub forward_ids: Vec<(String, i64)>,
    /// `fields.skipConnector` / `fields.silentConnector` (change log BOT-FIX-0402-2; open lines only).
    pub skip_connector: bool,
    pub silent_connector: bool,
}

impl MessageSend {
    /// `EMPTY_MESSAGE` when there is no text, no attachment and nothing to forward (a keyboard alone is
    /// empty); `ATTACH_*` / `KEYBOARD_*` from [`crate::rich`]; `ERROR_ARGUMENT` for bad types or more than
    /// 100 `forwardIds`.
    pub fn parse(p: &Obj<'_>, bot_id: i64) -> Result<Self, ApiError> {
        let dialog_id = p.dialog_id("dialogId", errors::ACCESS_DENIED)?;
        let f = optional_fields(p)?;
        let content = MessageContent::read(&f, bot_id)?;
        let mut forward_ids = Vec::new();
        if let Some(o) = f.object("forwardIds", "fields.forwardIds.")? {
            if o.map().len() > MAX_FORWARD_IDS {
                return Err(argument_error(format!(
                    "Parameter fields.forwardIds may hold at most {MAX_FORWARD_IDS} messages"
                )));
            }
            for (uuid, id) in o.map() {
                if let Some(id) = value_int(id).filter(|n| *n > 0) {
                    forward_ids.push((uuid.clone(), id));
                }
            }
        }
        if content.message.is_none() && content.attach.is_none() && forward_ids.is_empty() {
            return Err(ApiError::new(errors::EMPTY_MESSAGE));
        }
        Ok(MessageSend {
            dialog_id,
            content,
            reply_id: f.get("replyId").and_then(value_int).filter(|n| *n > 0),
            template_id: f.trimmed("templateId")?.map(|t| t.chars().take(255).collect()),
            forward_ids,
            skip_connector: f.bool_or("skipConnector", false)?,
            silent_connector: f.bool_or("silentConnector", false)?,
        })
    }
}

/// `imbot.v2.Chat.Message.update` (`fields*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageUpdate {
    pub message_id: i64,
    /// `None`: unchanged. `Some("")`: the text was sent empty (v1 semantics: the message is deleted, see
    /// docs/v2.md). Otherwise truncated like any message.
    pub message: Option<String>,
    /// `"N"`, `""`, `[]`, `false` clear (v1 rules, [`Field`]).
    pub attach: Field<Attach>,
    pub keyboard: Field<Keyboard>,
    /// Documented as the string `Y`/`N`; booleans are read too.
    pub url_preview: Option<bool>,
}

impl MessageUpdate {
    /// `messageId` absent → `ERROR_ARGUMENT`, not a positive integer → `ACCESS_DENIED` (the message "does not
    /// exist"); no `fields` → `ERROR_ARGUMENT`.
    pub fn parse(p: &Obj<'_>, bot_id: i64) -> Result<Self, ApiError> {
        let message_id = p.id("messageId", errors::ACCESS_DENIED)?;
        let f = required_fields(p)?;
        let message = match f.raw("message") {
            None | Some(Value::Null) => None,
            Some(Value::Array(_) | Value::Object(_)) => {
                return Err(argument_error("Parameter fields.message must be a string"))
            }
            Some(v) => Some(scalar_string(v).map(|s| truncate_message(&s).into_owned()).unwrap_or_default()),
        };
        Ok(MessageUpdate {
            message_id,
            message,
            attach: Attach::parse(f.raw("attach"))?,
            keyboard: Keyboard::parse(f.raw("keyboard"), Some(bot_id))?,
            url_preview: f.bool("urlPreview")?,
        })
    }
}

/// `imbot.v2.Chat.Message.delete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageDelete {
    pub message_id: i64,
    /// Default `false` (soft delete).
    pub complete: bool,
}

impl MessageDelete {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(MessageDelete {
            message_id: p.id("messageId", errors::ACCESS_DENIED)?,
            complete: p.bool_or("complete", false)?,
        })
    }
}

/// `imbot.v2.Chat.Message.read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageRead {
    pub dialog_id: DialogId,
    /// Read up to and including this message; `None` reads everything.
    pub message_id: Option<i64>,
}

impl MessageRead {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(MessageRead {
            dialog_id: p.dialog_id("dialogId", errors::ACCESS_DENIED)?,
            message_id: p.opt_id("messageId", errors::MESSAGE_NOT_FOUND)?,
        })
    }
}

/// `imbot.v2.Chat.Message.get` and `getContext` (`range` is [`Limit::CONTEXT_RANGE`]; ignored by `get`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageLookup {
    pub message_id: i64,
    pub range: i64,
}

impl MessageLookup {
    /// A `messageId` that is not a positive integer → `MESSAGE_NOT_FOUND`. `BOT_TYPE_NOT_ALLOWED` is the
    /// server's (it knows the bot's type) and comes before this in Bitrix's order.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(MessageLookup {
            message_id: p.id("messageId", errors::MESSAGE_NOT_FOUND)?,
            range: Limit::CONTEXT_RANGE.apply(p.int("range")?),
        })
    }
}

/// `imbot.v2.Chat.Message.Reaction.add` / `.delete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionRequest {
    pub message_id: i64,
    pub reaction: Reaction,
}

impl ReactionRequest {
    /// `reaction` absent → `ERROR_ARGUMENT`; not one of the 48 codes (exact case) → `REACTION_NOT_FOUND`.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let message_id = p.id("messageId", errors::ACCESS_DENIED)?;
        let code = p.string("reaction")?.ok_or_else(|| missing("reaction"))?;
        let reaction = Reaction::parse(code.trim()).ok_or_else(|| ApiError::new(errors::REACTION_NOT_FOUND))?;
        Ok(ReactionRequest { message_id, reaction })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

/// A command name as stored: surrounding spaces and leading `/` removed. `Err` when the value is not a string or
/// number (`COMMAND_NAME_INVALID`), `Ok("")` when nothing is left.
fn command_name(v: &Value) -> Result<String, ()> {
    match v {
        Value::Array(_) | Value::Object(_) | Value::Bool(_) => Err(()),
        other => {
            let s = scalar_string(other).unwrap_or_default();
            Ok(s.trim().trim_start_matches('/').trim().to_owned())
        }
    }
}

/// `imbot.v2.Command.register`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRegister {
    /// Without the leading `/`.
    pub command: String,
    /// `{lang: text}`, languages lower-cased; never empty unless `hidden`.
    pub title: Vec<(String, String)>,
    pub params: Vec<(String, String)>,
    pub common: bool,
    pub hidden: bool,
    pub extranet_support: bool,
    /// The call used the flat pre-2026-03-30 format (no `fields`), supported until 30.09.2026.
    pub legacy_format: bool,
}

fn set_texts(v: Option<LangTexts>) -> Vec<(String, String)> {
    v.unwrap_or_default().into_iter().filter_map(|(l, t)| t.map(|t| (l, t))).collect()
}

impl CommandRegister {
    /// `fields` present → new format; absent → the legacy flat format. Errors in order:
    /// `COMMAND_NAME_INVALID` (not a string), `COMMAND_REQUIRED`, `COMMAND_TITLE_REQUIRED` (visible command
    /// without a title).
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let (f, legacy_format) = match p.object("fields", "fields.")? {
            Some(f) => (f, false),
            None => (*p, true),
        };
        let command = match f.get("command") {
            None => return Err(ApiError::new(errors::COMMAND_REQUIRED)),
            Some(v) => command_name(v).map_err(|()| ApiError::new(errors::COMMAND_NAME_INVALID))?,
        };
        if command.is_empty() {
            return Err(ApiError::new(errors::COMMAND_REQUIRED));
        }
        let hidden = f.bool_or("hidden", false)?;
        let title = set_texts(f.lang_map("title")?);
        if title.is_empty() && !hidden {
            return Err(ApiError::new(errors::COMMAND_TITLE_REQUIRED));
        }
        Ok(CommandRegister {
            command,
            title,
            params: set_texts(f.lang_map("params")?),
            common: f.bool_or("common", false)?,
            hidden,
            extranet_support: f.bool_or("extranetSupport", false)?,
            legacy_format,
        })
    }
}

/// `imbot.v2.Command.update` (`fields*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandUpdate {
    pub command_id: i64,
    /// A new name without `/`.
    pub command: Option<String>,
    /// Per language: `Some(text)` sets, `None` (sent as `null` or `""`) deletes; languages not listed stay.
    pub title: Option<LangTexts>,
    /// As `title`, but only for languages that are also in this call's `title` (the page's rule; entries for
    /// other languages are dropped here).
    pub params: Option<LangTexts>,
    pub common: Option<bool>,
    pub hidden: Option<bool>,
    pub extranet_support: Option<bool>,
}

impl CommandUpdate {
    /// `commandId` absent → `ERROR_ARGUMENT`, not a positive integer → `COMMAND_NOT_FOUND`; `command` not a
    /// string → `COMMAND_NAME_INVALID`, empty → `COMMAND_NAME_EMPTY`. `COMMAND_ALREADY_EXISTS` is the server's.
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let command_id = p.id("commandId", errors::COMMAND_NOT_FOUND)?;
        let f = required_fields(p)?;
        let command = match f.raw("command") {
            None => None,
            Some(v) => {
                let name = match v {
                    Value::Null => String::new(),
                    other => command_name(other).map_err(|()| ApiError::new(errors::COMMAND_NAME_INVALID))?,
                };
                if name.is_empty() {
                    return Err(ApiError::new(errors::COMMAND_NAME_EMPTY));
                }
                Some(name)
            }
        };
        let title = f.lang_map("title")?;
        let params = f.lang_map("params")?.map(|ps| {
            let langs: Vec<&str> = title.iter().flatten().map(|(l, _)| l.as_str()).collect();
            ps.into_iter().filter(|(l, _)| langs.contains(&l.as_str())).collect::<Vec<_>>()
        });
        Ok(CommandUpdate {
            command_id,
            command,
            title,
            params,
            common: f.bool("common")?,
            hidden: f.bool("hidden")?,
            extranet_support: f.bool("extranetSupport")?,
        })
    }
}

/// `imbot.v2.Command.unregister`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandRef {
    pub command_id: i64,
}

impl CommandRef {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(CommandRef { command_id: p.id("commandId", errors::COMMAND_NOT_FOUND)? })
    }
}

/// `imbot.v2.Command.answer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandAnswer {
    pub command_id: i64,
    /// The message that carried the command.
    pub message_id: i64,
    pub dialog_id: DialogId,
    pub content: MessageContent,
}

impl CommandAnswer {
    /// The page lists only `COMMAND_ANSWER_FAILED`; it is also the answer to unusable ids and to an answer with
    /// no text and no attachment ("Message is empty").
    pub fn parse(p: &Obj<'_>, bot_id: i64) -> Result<Self, ApiError> {
        let command_id = p.id("commandId", errors::COMMAND_ANSWER_FAILED)?;
        let message_id = p.id("messageId", errors::COMMAND_ANSWER_FAILED)?;
        let dialog_id = p.dialog_id("dialogId", errors::COMMAND_ANSWER_FAILED)?;
        let content = MessageContent::read(&optional_fields(p)?, bot_id)?;
        if content.message.is_none() && content.attach.is_none() {
            return Err(ApiError::with(errors::COMMAND_ANSWER_FAILED, "Command answer failed: message is empty"));
        }
        Ok(CommandAnswer { command_id, message_id, dialog_id, content })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Chat interface

/// `imbot.v2.Chat.InputAction.notify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputActionNotify {
    pub dialog_id: DialogId,
    /// `None`: the standard "typing" indicator (also for an unknown code).
    pub status: Option<StatusMessageCode>,
    /// Seconds, clamped to 1–600; `None`: the server's default.
    pub duration: Option<i64>,
}

impl InputActionNotify {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(InputActionNotify {
            dialog_id: p.dialog_id("dialogId", errors::ACCESS_DENIED)?,
            status: p.string("statusMessageCode")?.and_then(|s| StatusMessageCode::parse_ci(&s)),
            duration: p.int("duration")?.map(|d| Limit::INPUT_ACTION_DURATION.apply(Some(d))),
        })
    }
}

/// `imbot.v2.Chat.TextField.enabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFieldEnabled {
    pub dialog_id: DialogId,
    /// Default `true`.
    pub enabled: bool,
}

impl TextFieldEnabled {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(TextFieldEnabled {
            dialog_id: p.dialog_id("dialogId", errors::ACCESS_DENIED)?,
            enabled: p.bool_or("enabled", true)?,
        })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Events

/// `imbot.v2.Event.get` and `im.v2.Event.get` (`withUserEvents` is always `false` for the latter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventGet {
    /// Acknowledge every event with an id below this; `None` on the first call (negative reads as `None`).
    pub offset: Option<i64>,
    /// [`Limit::EVENT_GET`].
    pub limit: i64,
    /// Also return the calling user's `ONIMV2*` events (needs scope `im` and `im.v2.Event.subscribe`).
    pub with_user_events: bool,
}

impl EventGet {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(EventGet {
            offset: p.int("offset")?.filter(|o| *o >= 0),
            limit: Limit::EVENT_GET.apply(p.int("limit")?),
            with_user_events: p.bool_or("withUserEvents", false)?,
        })
    }

    /// `im.v2.Event.get`: `offset` and `limit` only.
    pub fn parse_user(p: &Obj<'_>) -> Result<Self, ApiError> {
        Ok(EventGet {
            offset: p.int("offset")?.filter(|o| *o >= 0),
            limit: Limit::EVENT_GET.apply(p.int("limit")?),
            with_user_events: false,
        })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Files

/// Which method family a file request belongs to: the two use different codes for the same failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileApi {
    /// `imbot.v2.File.*`.
    Bot,
    /// `im.v2.File.*`.
    User,
}

impl FileApi {
    fn empty(self) -> ErrorCode {
        match self {
            FileApi::Bot => errors::FILE_EMPTY,
            FileApi::User => errors::IM_FILE_EMPTY,
        }
    }

    fn bad_dialog(self) -> ErrorCode {
        match self {
            FileApi::Bot => errors::ACCESS_DENIED,
            FileApi::User => errors::CHAT_NOT_FOUND,
        }
    }
}

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes `fields.content`: standard Base64, padding optional, ASCII white space ignored; no `data:` prefix.
/// `Err` carries the code to answer.
pub fn decode_file_content(content: &str) -> Result<Vec<u8>, ErrorCode> {
    decode_file_content_limited(content, MAX_FILE_SIZE)
}

/// [`decode_file_content`] with another size limit (a server that allows less than [`MAX_FILE_SIZE`]):
/// more than `max` decoded bytes is `FILE_TOO_LARGE`, found before decoding when the length alone tells.
pub fn decode_file_content_limited(content: &str, max: usize) -> Result<Vec<u8>, ErrorCode> {
    // Line breaks are rare; without them the content is decoded in place (it may be 140 MB).
    let compact: std::borrow::Cow<'_, str> = if content.bytes().any(|b| b.is_ascii_whitespace()) {
        content.chars().filter(|c| !c.is_ascii_whitespace()).collect::<String>().into()
    } else {
        content.into()
    };
    if compact.len() / 4 * 3 > max.saturating_add(3) {
        return Err(errors::FILE_TOO_LARGE);
    }
    let bytes = BASE64.decode(compact.as_bytes()).map_err(|_| errors::FILE_INVALID_CONTENT)?;
    if bytes.len() > max {
        return Err(errors::FILE_TOO_LARGE);
    }
    Ok(bytes)
}

/// `imbot.v2.File.upload` / `im.v2.File.upload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUpload {
    pub dialog_id: DialogId,
    /// `fields.name`, trimmed.
    pub name: String,
    /// Decoded `fields.content`, at most [`MAX_FILE_SIZE`] bytes.
    pub content: Vec<u8>,
    /// Text of the message that carries the file.
    pub message: Option<String>,
}

impl FileUpload {
    /// `FILE_EMPTY` (no `fields`, name or content), `FILE_INVALID_CONTENT`, `FILE_TOO_LARGE`; a malformed
    /// `dialogId` is `ACCESS_DENIED` (imbot.v2) or `CHAT_NOT_FOUND` (im.v2).
    pub fn parse(p: &Obj<'_>, api: FileApi) -> Result<Self, ApiError> {
        Self::parse_limited(p, api, MAX_FILE_SIZE)
    }

    /// [`FileUpload::parse`] with a server's own content limit (`max` decoded bytes).
    pub fn parse_limited(p: &Obj<'_>, api: FileApi, max: usize) -> Result<Self, ApiError> {
        let dialog_id = p.dialog_id("dialogId", api.bad_dialog())?;
        let f = p.object("fields", "fields.")?.ok_or_else(|| ApiError::new(api.empty()))?;
        // `fields[content]` sent as a multipart file part arrives as `[filename, base64]` (the transport's
        // Bitrix file-field form, a PHP list); its filename stands in for a missing `name`. The content is borrowed, not
        // copied: it may be 140 MB.
        let file_part = f
            .get("content")
            .and_then(crate::json::as_php_list)
            .filter(|l| l.len() == 2 && l.iter().all(|v| v.is_string()));
        let (content, part_name): (std::borrow::Cow<'_, str>, Option<&str>) = match (f.get("content"), file_part) {
            (None, _) => return Err(ApiError::new(api.empty())),
            (_, Some(part)) => (part[1].as_str().unwrap_or_default().into(), part[0].as_str()),
            (Some(Value::String(s)), None) => (s.as_str().into(), None),
            (Some(Value::Array(_) | Value::Object(_)), None) => {
                return Err(argument_error("Parameter fields.content must be a string"))
            }
            (Some(other), None) => (scalar_string(other).unwrap_or_default().into(), None),
        };
        if content.trim().is_empty() {
            return Err(ApiError::new(api.empty()));
        }
        let name = match f.trimmed("name")? {
            Some(n) => n,
            None => part_name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| ApiError::new(api.empty()))?,
        };
        let content = decode_file_content_limited(&content, max).map_err(ApiError::new)?;
        Ok(FileUpload { dialog_id, name, content, message: message_text(&f)? })
    }

    /// The extension in lower case (`""` when the name has none).
    pub fn extension(&self) -> String {
        extension_of(&self.name)
    }
}

/// The lower-cased text after the last `.` of a file name (`""` when none, or only a leading dot).
pub fn extension_of(name: &str) -> String {
    match name.rfind('.') {
        Some(i) if i > 0 && i + 1 < name.len() => name[i + 1..].to_lowercase(),
        _ => String::new(),
    }
}

/// `imbot.v2.File.download` (`fileId*`; a `dialogId`, which the quick start sends, is ignored) and
/// `im.v2.File.download` (`dialogId*`, `fileId*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileDownload {
    pub dialog_id: Option<DialogId>,
    pub file_id: i64,
}

impl FileDownload {
    pub fn parse(p: &Obj<'_>, api: FileApi) -> Result<Self, ApiError> {
        let dialog_id = match api {
            FileApi::Bot => None,
            FileApi::User => Some(p.dialog_id("dialogId", errors::ACCESS_DENIED)?),
        };
        Ok(FileDownload { dialog_id, file_id: p.id("fileId", errors::FILE_NOT_FOUND)? })
    }
}

/// `im.v2.Chat.Bot.sendContext` (named by bot-context.md, not documented as a method page): `dialogId` and
/// `context`, an object (a JSON string of an object is accepted too, as links carry it URL-encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendContext {
    pub dialog_id: DialogId,
    pub context: Map<String, Value>,
}

impl SendContext {
    pub fn parse(p: &Obj<'_>) -> Result<Self, ApiError> {
        let dialog_id = p.dialog_id("dialogId", errors::ACCESS_DENIED)?;
        let context = match p.get("context") {
            None => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(Value::Array(a)) if a.is_empty() => Map::new(),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(m)) => m,
                _ => return Err(argument_error("Parameter context must be a JSON object")),
            },
            Some(_) => return Err(argument_error("Parameter context must be a JSON object")),
        };
        Ok(SendContext { dialog_id, context })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::AuthKind;
    use serde_json::json;

    fn obj(v: &Value) -> Obj<'_> {
        Obj::root(v.as_object().unwrap())
    }

    #[test]
    fn extension_rules() {
        assert_eq!(extension_of("report.PDF"), "pdf");
        assert_eq!(extension_of(".bashrc"), "");
        assert_eq!(extension_of("noext"), "");
        assert_eq!(extension_of("a.tar.gz"), "gz");
        assert_eq!(extension_of("trailing."), "");
    }

    #[test]
    fn base64_content() {
        assert_eq!(decode_file_content("SGVsbG8gV29ybGQh").unwrap(), b"Hello World!");
        assert_eq!(decode_file_content("SGVsbG8\n").unwrap(), b"Hello");
        assert_eq!(decode_file_content("data:text/plain;base64,SGVsbG8="), Err(errors::FILE_INVALID_CONTENT));
        assert_eq!(decode_file_content("!!!"), Err(errors::FILE_INVALID_CONTENT));
    }

    #[test]
    fn content_as_a_multipart_file_part() {
        let v = json!({"dialogId": "5", "fields": {"content": ["notes.txt", "aGk="]}});
        let r = FileUpload::parse(&obj(&v), FileApi::Bot).unwrap();
        assert_eq!((r.name.as_str(), r.content.as_slice()), ("notes.txt", b"hi".as_slice()));
        let v = json!({"dialogId": "5", "fields": {"name": "other.txt", "content": ["notes.txt", "aGk="]}});
        assert_eq!(FileUpload::parse(&obj(&v), FileApi::Bot).unwrap().name, "other.txt");
        let v = json!({"dialogId": "5", "fields": {"content": {"0": "n.txt", "1": "aGk="}}});
        assert_eq!(FileUpload::parse(&obj(&v), FileApi::Bot).unwrap().name, "n.txt", "as a form decodes it");
        let v = json!({"dialogId": "5", "fields": {"name": "a", "content": {"x": 1}}});
        assert_eq!(FileUpload::parse(&obj(&v), FileApi::Bot).unwrap_err().code, "ERROR_ARGUMENT");
    }

    #[test]
    fn a_server_limit_below_the_documented_one() {
        // "Hello World!" is 12 bytes.
        assert_eq!(decode_file_content_limited("SGVsbG8gV29ybGQh", 12).unwrap(), b"Hello World!");
        assert_eq!(decode_file_content_limited("SGVsbG8gV29ybGQh", 11), Err(errors::FILE_TOO_LARGE));
        // Too long is told from the length, before the (invalid) content is decoded.
        assert_eq!(decode_file_content_limited(&"!".repeat(40), 8), Err(errors::FILE_TOO_LARGE));
        let v = json!({"dialogId": "chat5", "fields": {"name": "a.txt", "content": "SGVsbG8gV29ybGQh"}});
        let e = FileUpload::parse_limited(&obj(&v), FileApi::User, 4).unwrap_err();
        assert_eq!(e.code, "FILE_TOO_LARGE");
        assert_eq!(FileUpload::parse_limited(&obj(&v), FileApi::User, 12).unwrap().content, b"Hello World!");
    }

    #[test]
    fn register_quick_start_puts_the_token_on_top() {
        let v = json!({"botToken": "my_secret_token_123", "fields": {"code": "support_bot",
            "properties": {"name": "Support Bot", "workPosition": "AI Assistant"}, "eventMode": "fetch"}});
        let r = BotRegister::parse(&obj(&v), AuthKind::Webhook).unwrap();
        assert_eq!(r.bot_token.as_deref(), Some("my_secret_token_123"));
    }

    #[test]
    fn command_name_forms() {
        assert_eq!(command_name(&json!(" /help ")), Ok("help".to_owned()));
        assert_eq!(command_name(&json!(["help"])), Err(()));
        assert_eq!(command_name(&json!("/")), Ok(String::new()));
    }
}
