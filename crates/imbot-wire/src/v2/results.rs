//! The `result` of every v2 method, shaped as the method pages' examples (docs/v2.md §3).
//!
//! Two conventions the pages pin: operations without data answer `{"result": {"result": true}}` (a nested
//! `result`, [`ok`]), and objects are wrapped under their name (`{"bot": …, "users": […]}`). The exceptions —
//! `Chat.User.list` (a bare array of users) and `im.v2.Event.subscribe` / `unsubscribe` (a bare `true`) — are
//! kept as documented. Users in results are in the method form; the caller decides Brief/Extended for bots.
//! The values go into [`crate::Envelope`] as they are; nothing here fails.

use super::entities::{Bot, BotForm, Chat, Command, CommandForm, File, FileForm, Form, Message, Revision, User};
use crate::form::http_build_query;
use serde_json::{Map, Value};

fn users(users: &[User]) -> Value {
    Value::Array(users.iter().map(|u| u.to_value(Form::Method)).collect())
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.to_owned(), v);
    }
    Value::Object(m)
}

/// `{"result": true}`: Bot.unregister, Chat.update/leave/setOwner, Chat.User.add/delete, Chat.Manager.*,
/// Chat.Message.update/delete, Reaction.*, Command.unregister/answer, InputAction.notify, TextField.enabled.
pub fn ok() -> Value {
    obj([("result", Value::Bool(true))])
}

/// `im.v2.Event.subscribe` / `unsubscribe`: a bare `true`.
pub fn bare_true() -> Value {
    Value::Bool(true)
}

/// Bot.register, Bot.update, Bot.get: `{"bot": Bot, "users": [User]}`.
pub fn bot(bot: &Bot, form: BotForm, related: &[User]) -> Value {
    obj([("bot", bot.to_value(form)), ("users", users(related))])
}

/// Bot.list: `{"bots": [Bot extended], "users": [User], "hasNextPage": bool}`.
pub fn bot_list(bots: &[Bot], related: &[User], has_next_page: bool) -> Value {
    obj([
        ("bots", Value::Array(bots.iter().map(|b| b.to_value(BotForm::Extended)).collect())),
        ("users", users(related)),
        ("hasNextPage", has_next_page.into()),
    ])
}

/// Chat.add: `{"chat": Chat, "users": [User]}` (the participants).
pub fn chat_add(chat: &Chat, members: &[User]) -> Value {
    obj([("chat", chat.to_value(Form::Method)), ("users", users(members))])
}

/// Chat.get: `{"chat": Chat}`.
pub fn chat_get(chat: &Chat) -> Value {
    obj([("chat", chat.to_value(Form::Method))])
}

/// Chat.User.list: the users as a bare array.
pub fn chat_user_list(members: &[User]) -> Value {
    users(members)
}

/// Chat.Message.send: `{"id": n, "uuidMap": {uuid: newMessageId}}` (`{}` when nothing was forwarded).
pub fn message_send(id: i64, uuid_map: &[(String, i64)]) -> Value {
    let mut map = Map::new();
    for (uuid, id) in uuid_map {
        map.insert(uuid.clone(), (*id).into());
    }
    obj([("id", id.into()), ("uuidMap", Value::Object(map))])
}

/// Chat.Message.read: `{"chatId", "lastId", "counter", "viewedMessages": [ids]}`.
pub fn message_read(chat_id: i64, last_id: i64, counter: i64, viewed: &[i64]) -> Value {
    obj([
        ("chatId", chat_id.into()),
        ("lastId", last_id.into()),
        ("counter", counter.into()),
        ("viewedMessages", Value::Array(viewed.iter().map(|v| (*v).into()).collect())),
    ])
}

/// Chat.Message.get: `{"message": Message, "user": User}` (the author).
pub fn message_get(message: &Message, author: &User) -> Value {
    obj([("message", message.to_value(Form::Method)), ("user", author.to_value(Form::Method))])
}

/// Chat.Message.getContext: `{"messages": [oldest … newest], "users", "hasPrevPage", "hasNextPage"}`.
pub fn message_context(messages: &[Message], authors: &[User], has_prev_page: bool, has_next_page: bool) -> Value {
    obj([
        ("messages", Value::Array(messages.iter().map(|m| m.to_value(Form::Method)).collect())),
        ("users", users(authors)),
        ("hasPrevPage", has_prev_page.into()),
        ("hasNextPage", has_next_page.into()),
    ])
}

/// Command.register / Command.update: `{"command": Command (short)}`.
pub fn command(command: &Command) -> Value {
    obj([("command", command.to_value(CommandForm::Short))])
}

/// Command.list: `{"commands": [Command (list form)]}`.
pub fn command_list(commands: &[Command]) -> Value {
    obj([("commands", Value::Array(commands.iter().map(|c| c.to_value(CommandForm::List)).collect()))])
}

/// File.upload: `{"file": File, "messageId", "chatId", "dialogId"}` — `FileForm::Brief` for imbot.v2,
/// `FileForm::Detailed` for im.v2.
pub fn file_upload(file: &File, form: FileForm, message_id: i64, chat_id: i64, dialog_id: &str) -> Value {
    obj([
        ("file", file.to_value(form)),
        ("messageId", message_id.into()),
        ("chatId", chat_id.into()),
        ("dialogId", dialog_id.into()),
    ])
}

/// File.download: `{"downloadUrl": url}`.
pub fn file_download(url: &str) -> Value {
    obj([("downloadUrl", url.into())])
}

/// The one-time download link: `{rest_base}download.json?token=imbot%7C<token>` (`im%7C…` for im.v2), where
/// `rest_base` is the `client_endpoint` (`https://portal/rest/`).
pub fn download_url(rest_base: &str, prefix: &str, token: &str) -> String {
    let mut q = Map::new();
    q.insert("token".into(), Value::String(format!("{prefix}|{token}")));
    let base = rest_base.trim_end_matches('/');
    format!("{base}/download.json?{}", http_build_query(&q))
}

/// Revision.get.
pub fn revision(rev: &Revision) -> Value {
    rev.to_value()
}
