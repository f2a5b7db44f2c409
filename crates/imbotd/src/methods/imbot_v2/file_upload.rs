//! `imbot.v2.File.upload` — the bot posts a file (and optional text) into a dialog it takes part in, in one
//! call: `{file: File (brief), messageId, chatId, dialogId}` (docs/v2.md §3.6, `messenger::files`).
//!
//! After the controller checks: `FILE_EMPTY` / `FILE_INVALID_CONTENT` / `FILE_TOO_LARGE` (`[files] max_size`),
//! then `ACCESS_DENIED` when the bot is not in the chat (checked before the content is written, and again by
//! the messenger when it posts, §9 C25), `FILE_UPLOAD_FAILED` when the content cannot be written to disk. The
//! message is the bot's like any other: its events follow the usual rules.

use super::message_send::as_denied;
use super::{bot_call, denied, obj, v2_spec};
use crate::domain::ChatId;
use crate::error::Error;
use crate::messenger::files::{self, UploadError};
use crate::methods::{CallCtx, Output};
use crate::store::chats::{self, ChatType};
use imbot_wire::v2::entities::FileForm;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::{FileApi, FileUpload};
use imbot_wire::{DialogId, Params};

v2_spec!("imbot.v2.file.upload", "imbot.v2__files__file-upload", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let state = &ctx.state;
    let r = FileUpload::parse_limited(&obj(&p), FileApi::Bot, state.config.file_max_size)?;
    drop(p);
    let dialog = r.dialog_id;
    match dialog {
        DialogId::Chat(id) => {
            let chat = chats::get(&state.store, ChatId(id)).await?.filter(|c| c.kind != ChatType::Private);
            let chat = chat.ok_or_else(denied)?;
            chats::member(&state.store, chat.id, c.bot.id).await?.ok_or_else(denied)?;
        }
        DialogId::SonetGroup(_) => return Err(denied()),
        DialogId::User(_) => {}
    }
    let up = match files::upload(state, &c.me, r).await {
        Ok(up) => up,
        Err(UploadError::Write(e)) => {
            tracing::error!(error = %e, "cannot write an uploaded file");
            return Err(errors::FILE_UPLOAD_FAILED.into());
        }
        Err(UploadError::Post(e)) => return Err(as_denied(e)),
    };
    let file = files::entity(state, &up.file, Some(&c.me), None).await?;
    let dialog = dialog.to_string();
    Ok(imbot_wire::v2::results::file_upload(&file, FileForm::Brief, up.message_id.0, up.chat_id.0, &dialog).into())
}
