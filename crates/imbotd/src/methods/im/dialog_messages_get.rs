//! `im.dialog.messages.get` — a page of a dialog's history: `{chat_id, messages, users, files}`. The dialog is
//! `DIALOG_ID`, or `CHAT_ID` for a group chat.
//!
//! Without `FIRST_ID`/`LAST_ID`: the newest `LIMIT` messages; `LAST_ID`: older than it; both newest first.
//! `FIRST_ID` (wins over `LAST_ID`): the `LIMIT` messages right after it, oldest first (Bitrix's order for a
//! `FIRST_ID` page). A positive `FIRST_ID`/`LAST_ID` that is no message of this chat gives empty `messages`,
//! `users` and `files` (the page: "an empty array if a non-existent identifier is specified"); `FIRST_ID=0`
//! reads from the beginning. `LIMIT` defaults to 20, is capped at 50. Non-numeric ids → `FIRST_ID_STRING` /
//! `LAST_ID_STRING`. A member sees messages from the moment they joined (when history was hidden). `users`
//! holds every author on the page (not system messages' posters); `files` the files the page's messages carry
//! (`params.FILE_ID`, posted with `imbot.v2.File.upload` / `im.v2.File.upload`) in the page's detailed File
//! form, with empty URLs: reading history hands out no download links (`im.v2.File.download` does).

use super::{dialog_id, me, positive};
use crate::domain::{MessageId, UserId};
use crate::error::Error;
use crate::messenger::{self, files, render};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::messages::{self, Page};
use crate::store::users;
use imbot_wire::params::value_int;
use imbot_wire::v2::entities::FileForm;
use imbot_wire::{DialogId, ErrorCode, Params};
use serde_json::{json, Value};
use std::collections::HashMap;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 50;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.dialog.messages.get",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-dialog-messages-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// An optional id parameter: absent/empty → None, numeric → Some, anything else → the given error.
fn id_param(p: &Params, key: &str, err: ErrorCode, text: &'static str) -> Result<Option<i64>, Error> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => value_int(v).map(Some).ok_or_else(|| Error::api(err, text)),
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    // `CHAT_ID` (> 0) stands for `DIALOG_ID=chatN` and wins over it, as in Bitrix (SPEC-NOTES §6).
    let dialog = match positive(&p, "CHAT_ID") {
        Some(chat) => DialogId::Chat(chat),
        None => dialog_id(&p)?,
    };
    let first = id_param(&p, "FIRST_ID", ErrorCode::FIRST_ID_STRING, "First ID can't be string")?;
    let last = id_param(&p, "LAST_ID", ErrorCode::LAST_ID_STRING, "Last ID can't be string")?;
    let limit = match p.get("LIMIT").and_then(value_int) {
        Some(l) if l > 0 => l.min(MAX_LIMIT),
        _ => DEFAULT_LIMIT,
    };
    let user = me(ctx).await?;
    let state = &ctx.state;
    let view = messenger::open_for_read(state, &user, dialog).await?;
    let tz = state.config.timezone;
    let Some(chat) = &view.chat else {
        return Ok(json!({"chat_id": 0, "messages": [], "users": [], "files": []}).into());
    };
    let page = match (first, last) {
        (Some(f), _) => Page::After(MessageId(f)),
        (None, Some(l)) => Page::Before(MessageId(l)),
        (None, None) => Page::Latest,
    };
    if let Page::After(id) | Page::Before(id) = page {
        let known = id.0 > 0 && messages::get(&state.store, id).await?.is_some_and(|m| m.chat_id == chat.id);
        if id.0 > 0 && !known {
            return Ok(json!({"chat_id": chat.id.0, "messages": [], "users": [], "files": []}).into());
        }
    }
    let min_id = view.member.as_ref().map(|m| m.start_id).unwrap_or(MessageId(0));
    let rows = messages::page(&state.store, chat.id, min_id, page, limit).await?;
    let ids: Vec<MessageId> = rows.iter().map(|m| m.id).collect();
    let mut likes: HashMap<MessageId, Vec<UserId>> = HashMap::new();
    for (m, u) in messages::likes_of(&state.store, &ids).await? {
        likes.entry(m).or_default().push(u);
    }
    let read_mark = view.member.as_ref().map(|m| m.last_read_id.0).unwrap_or(i64::MAX);
    let mut authors: Vec<UserId> = Vec::new();
    let list: Vec<Value> = rows
        .iter()
        .map(|m| {
            let author = render::shown_author(m);
            if author.0 != 0 && !authors.contains(&author) {
                authors.push(author);
            }
            let unread = m.author_id != user.id && m.id.0 > read_mark;
            render::message(m, likes.get(&m.id).map(Vec::as_slice).unwrap_or(&[]), unread, tz)
        })
        .collect();
    let mut users_out = Vec::new();
    for id in authors {
        if let Some(u) = users::get(&state.store, id).await? {
            users_out.push(render::user(&u, tz));
        }
    }
    let file_ids: Vec<i64> = rows.iter().filter(|m| !m.deleted).flat_map(|m| files::file_ids(&m.params)).collect();
    let mut files_out = Vec::new();
    for f in crate::store::files::in_chat(&state.store, chat.id, &file_ids).await? {
        let detail = files::detail(&f, "", files::Viewer::V1);
        files_out.push(files::entity(state, &f, None, Some(detail)).await?.to_value(FileForm::Detailed));
    }
    Ok(json!({"chat_id": chat.id.0, "messages": list, "users": users_out, "files": files_out}).into())
}
