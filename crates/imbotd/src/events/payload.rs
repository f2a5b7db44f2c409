//! The `data` parts of bot events, field by field as the documentation's examples show them (all values are
//! strings on the wire; the encoder prints numbers as decimal text).

use super::{mentions, strip_mentions, CommandContext, MessageFacts};
use crate::app::AppState;
use crate::domain::{MessageId, UserId};
use crate::store::bots::{Bot, Command};
use crate::store::chats::{Chat, ChatType};
use crate::store::users::User;
use serde_json::{Map, Value};

fn s(v: impl ToString) -> Value {
    Value::String(v.to_string())
}

fn yn(b: bool) -> Value {
    s(if b { "Y" } else { "N" })
}

/// The bot's entry of `data[BOT]`, before tokens are added at send time.
pub fn bot_entry(bot: &Bot) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("BOT_ID".into(), s(bot.id.0));
    m.insert("BOT_CODE".into(), s(&bot.code));
    m
}

/// The command's entry of `data[COMMAND]`, before tokens are added at send time.
pub fn command_entry(
    bot: &Bot,
    c: &Command,
    params: &str,
    context: CommandContext,
    message: MessageId,
) -> Map<String, Value> {
    let mut m = bot_entry(bot);
    m.insert("COMMAND".into(), s(&c.command));
    m.insert("COMMAND_ID".into(), s(c.id));
    m.insert("COMMAND_PARAMS".into(), s(params));
    m.insert("COMMAND_CONTEXT".into(), s(context.as_str()));
    m.insert("MESSAGE_ID".into(), s(message.0));
    m
}

/// `data[USER]` of command events: ID, NAME, FIRST_NAME, LAST_NAME, GENDER.
pub fn user_short(u: &User) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("ID".into(), s(u.id.0));
    m.insert("NAME".into(), s(format!("{} {}", u.name, u.last_name).trim()));
    m.insert("FIRST_NAME".into(), s(&u.name));
    m.insert("LAST_NAME".into(), s(&u.last_name));
    m.insert("GENDER".into(), s(if u.gender.is_empty() { "M" } else { &u.gender }));
    m
}

/// `data[USER]` of join events: the short form with WORK_POSITION.
pub fn user_short_with_position(u: &User) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("ID".into(), s(u.id.0));
    m.insert("NAME".into(), s(format!("{} {}", u.name, u.last_name).trim()));
    m.insert("FIRST_NAME".into(), s(&u.name));
    m.insert("LAST_NAME".into(), s(&u.last_name));
    m.insert("WORK_POSITION".into(), s(&u.work_position));
    m.insert("GENDER".into(), s(if u.gender.is_empty() { "M" } else { &u.gender }));
    m
}

/// `data[USER]` of message events: with WORK_POSITION and the IS_* flags.
pub fn user_full(u: &User) -> Map<String, Value> {
    let mut m = user_short_with_position(u);
    m.insert("IS_BOT".into(), yn(u.is_bot));
    m.insert("IS_CONNECTOR".into(), yn(false));
    m.insert("IS_NETWORK".into(), yn(false));
    m.insert("IS_EXTRANET".into(), yn(u.is_extranet));
    m
}

/// The `CHAT_*` fields of group-chat PARAMS; `parent`: with `CHAT_PARENT_ID` / `CHAT_PARENT_MID`, which only
/// `ONIMCOMMANDADD` keeps (SPEC-NOTES §5.12; the ONIMBOTMESSAGEADD group example has none).
fn chat_fields(m: &mut Map<String, Value>, chat: &Chat, parent: bool) {
    m.insert("CHAT_ID".into(), s(chat.id.0));
    if parent {
        m.insert("CHAT_PARENT_ID".into(), s(0));
        m.insert("CHAT_PARENT_MID".into(), s(0));
    }
    m.insert("CHAT_TITLE".into(), s(&chat.title));
    m.insert("CHAT_AUTHOR_ID".into(), s(chat.owner_id.0));
    m.insert("CHAT_TYPE".into(), s(chat.kind.letter()));
    m.insert("CHAT_AVATAR".into(), s(chat.avatar));
    m.insert("CHAT_COLOR".into(), s(if chat.color.is_empty() { "GRAY" } else { &chat.color }));
    m.insert("CHAT_ENTITY_TYPE".into(), s(&chat.entity_type));
    m.insert("CHAT_ENTITY_ID".into(), s(&chat.entity_id));
    m.insert("CHAT_ENTITY_DATA_1".into(), s(""));
    m.insert("CHAT_ENTITY_DATA_2".into(), s(""));
    m.insert("CHAT_ENTITY_DATA_3".into(), s(""));
    m.insert("CHAT_EXTRANET".into(), s("N"));
    m.insert("CHAT_PREV_MESSAGE_ID".into(), s(0));
    m.insert("CHAT_CAN_POST".into(), s(chat.can_post.as_str().to_ascii_uppercase()));
}

/// `data[PARAMS]` of message and command events. `to_bot` is the bot the event is for (private dialogs:
/// `TO_USER_ID`); `command` selects the command-event field set (SPEC-NOTES §5.12); `user_count` is the number of
/// chat members (`CHAT_USER_COUNT`). Key order as in the documented examples: in groups `RID`, `IS_MANAGER` follow
/// the chat fields, and `TO_USER_ID` (the first mention) follows `MESSAGE_ORIGINAL`.
pub fn message_params(
    state: &AppState,
    f: &MessageFacts<'_>,
    to_bot: Option<UserId>,
    bots_in_chat: &[UserId],
    command: bool,
    user_count: i64,
) -> Map<String, Value> {
    let private = f.chat.kind == ChatType::Private;
    let mut m = Map::new();
    let text = if private || command { f.text.to_owned() } else { strip_mentions(f.text) };
    m.insert("MESSAGE".into(), s(&text));
    m.insert("TEMPLATE_ID".into(), s(f.uuid.unwrap_or("")));
    m.insert("MESSAGE_TYPE".into(), s(f.chat.kind.letter()));
    m.insert("FROM_USER_ID".into(), s(f.author.id.0));
    let dialog = if private { f.author.id.0.to_string() } else { format!("chat{}", f.chat.id.0) };
    m.insert("DIALOG_ID".into(), s(dialog));
    m.insert("TO_CHAT_ID".into(), s(f.chat.id.0));
    m.insert("AUTHOR_ID".into(), s(f.author.id.0));
    m.insert("SYSTEM".into(), yn(f.is_system));
    if private {
        let to = to_bot.or(f.partner.map(|p| p.id)).map(|u| u.0).unwrap_or(0);
        m.insert("TO_USER_ID".into(), s(to));
    } else {
        chat_fields(&mut m, f.chat, command);
        m.insert("RID".into(), s(f.author.id.0));
        m.insert("IS_MANAGER".into(), s("N"));
        if command {
            let mut in_chat = Map::new();
            for b in bots_in_chat {
                in_chat.insert(b.0.to_string(), s(b.0));
            }
            m.insert("BOT_IN_CHAT".into(), Value::Object(in_chat));
        }
    }
    if command {
        m.insert("SKIP_USER_CHECK".into(), s("Y"));
    }
    m.insert("PUSH".into(), s("Y"));
    m.insert("PUSH_IMPORTANT".into(), s("N"));
    if command {
        m.insert("RECENT_ADD".into(), s("Y"));
    }
    for (k, v) in [
        ("RECENT_SKIP_AUTHOR", "N"),
        ("CONVERT", "N"),
        ("SKIP_COMMAND", "N"),
        ("SKIP_COUNTER_INCREMENTS", "N"),
        ("SILENT_CONNECTOR", "N"),
        ("SKIP_CONNECTOR", "N"),
        ("IMPORTANT_CONNECTOR", "N"),
        ("NO_SESSION_OL", "N"),
        ("FAKE_RELATION", "0"),
        ("SKIP_URL_INDEX", "N"),
    ] {
        m.insert(k.into(), s(v));
    }
    if !command {
        m.insert("COMMAND_CONTEXT".into(), s("TEXTAREA"));
        message_tail(&mut m, f, private, user_count);
    }
    m.insert("MESSAGE_ID".into(), s(f.id.0));
    if !m.contains_key("CHAT_TYPE") {
        m.insert("CHAT_TYPE".into(), s(f.chat.kind.letter()));
    }
    m.insert("LANGUAGE".into(), s(state.default_language()));
    m
}

/// The fields message events share after the chat fields: `CHAT_USER_COUNT`, `MENTIONED_LIST`,
/// `PLATFORM_CONTEXT`, and for group chats the original text and the first mentioned user.
fn message_tail(m: &mut Map<String, Value>, f: &MessageFacts<'_>, private: bool, user_count: i64) {
    m.insert("CHAT_USER_COUNT".into(), s(if private { 2 } else { user_count }));
    if !private {
        let mut list = Map::new();
        for id in mentions(f.text) {
            list.insert(id.to_string(), s(id));
        }
        m.insert("MENTIONED_LIST".into(), Value::Object(list));
    }
    m.insert("PLATFORM_CONTEXT".into(), s("web"));
    if !private {
        m.insert("MESSAGE_ORIGINAL".into(), s(f.text));
        m.insert("TO_USER_ID".into(), s(mentions(f.text).first().copied().unwrap_or(0)));
    }
}

/// `data[PARAMS]` of `ONIMBOTJOINCHAT`.
pub fn join_params(state: &AppState, chat: &Chat, bot: &Bot, by: &User, full_history: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("CHAT_TYPE".into(), s(chat.kind.letter()));
    m.insert("MESSAGE_TYPE".into(), s(chat.kind.letter()));
    m.insert("BOT_ID".into(), s(bot.id.0));
    m.insert("USER_ID".into(), s(by.id.0));
    if chat.kind == ChatType::Private {
        m.insert("TO_USER_ID".into(), s(by.id.0));
        m.insert("FROM_USER_ID".into(), s(bot.id.0));
        m.insert("DIALOG_ID".into(), s(by.id.0));
    } else {
        m.insert("CHAT_ID".into(), s(chat.id.0));
        m.insert("CHAT_AUTHOR_ID".into(), s(chat.owner_id.0));
        m.insert("CHAT_ENTITY_TYPE".into(), s(&chat.entity_type));
        m.insert("CHAT_ENTITY_ID".into(), s(&chat.entity_id));
        m.insert("ACCESS_HISTORY".into(), s(if full_history { 1 } else { 0 }));
        m.insert("DIALOG_ID".into(), s(format!("chat{}", chat.id.0)));
    }
    m.insert("LANGUAGE".into(), s(state.default_language()));
    m
}

/// `data[PARAMS]` of `ONIMBOTMESSAGEUPDATE` / `ONIMBOTMESSAGEDELETE` (the doc examples' field sets).
pub fn change_params(
    state: &AppState,
    f: &MessageFacts<'_>,
    to_bot: Option<UserId>,
    deleted: bool,
    user_count: i64,
) -> Map<String, Value> {
    let private = f.chat.kind == ChatType::Private;
    let mut m = Map::new();
    m.insert("ID".into(), s(f.id.0));
    m.insert("CHAT_ID".into(), s(f.chat.id.0));
    m.insert("AUTHOR_ID".into(), s(f.author.id.0));
    let text = if deleted {
        let date = chrono::DateTime::from_timestamp(f.created_at, 0)
            .map(|t| t.with_timezone(&state.config.timezone).format("%m/%d/%Y %H:%M:%S").to_string())
            .unwrap_or_default();
        format!("Message from {date} has been deleted")
    } else if private {
        f.text.to_owned()
    } else {
        strip_mentions(f.text)
    };
    m.insert("MESSAGE".into(), s(text));
    m.insert("MESSAGE_TYPE".into(), s(f.chat.kind.letter()));
    m.insert("CHAT_AUTHOR_ID".into(), s(f.chat.owner_id.0));
    if !private {
        m.insert("CHAT_ENTITY_TYPE".into(), s(&f.chat.entity_type));
    }
    m.insert("CHAT_ENTITY_ID".into(), s(&f.chat.entity_id));
    m.insert("CHAT_ENTITY_DATA_1".into(), s(""));
    m.insert("CHAT_ENTITY_DATA_2".into(), s(""));
    m.insert("CHAT_ENTITY_DATA_3".into(), s(""));
    if private {
        m.insert("FROM_USER_ID".into(), s(f.author.id.0));
        m.insert("TO_USER_ID".into(), s(to_bot.map(|u| u.0).unwrap_or(0)));
    }
    if !deleted {
        message_tail(&mut m, f, private, user_count);
    }
    let dialog = if private { f.author.id.0.to_string() } else { format!("chat{}", f.chat.id.0) };
    m.insert("DIALOG_ID".into(), s(dialog));
    m.insert("MESSAGE_ID".into(), s(f.id.0));
    m.insert("CHAT_TYPE".into(), s(f.chat.kind.letter()));
    m.insert("LANGUAGE".into(), s(state.default_language()));
    m
}
