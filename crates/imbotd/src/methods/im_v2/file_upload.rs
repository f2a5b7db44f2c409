//! `im.v2.File.upload` — the calling user posts a file (and optional text) into a dialog: `{file: File
//! (detailed), messageId, chatId, dialogId}` (docs/v2.md §3.7, `messenger::files`).
//!
//! Checks in the page's order: `FILE_EMPTY` ("File name and content are required"), `FILE_INVALID_CONTENT`,
//! `FILE_TOO_LARGE` (`[files] max_size`), then `CHAT_NOT_FOUND` for a `dialogId` that is malformed or names no
//! chat (an unknown or inactive user, `chatN` that does not exist) and `ACCESS_DENIED` for a chat the user is
//! not in or may not post to, or a private dialog they may not open (§9 C25). Those are checked before the
//! content is written; `UPLOAD_FAILED` when it cannot be written. The answer's URLs (`urlShow`, `urlDownload`,
//! `viewerAttrs.src`, `viewerAttrs.unifiedLink`) are one one-time link `…/rest/download.json?token=im%7C…`.

use super::im_v2_spec;
use crate::domain::{ChatId, UserId};
use crate::error::Error;
use crate::messenger::files::{self, LinkKind, UploadError, Viewer};
use crate::methods::im::me;
use crate::methods::imbot_v2::obj;
use crate::methods::{CallCtx, Output};
use crate::store::chats::{self, ChatType};
use crate::store::users;
use imbot_wire::v2::entities::FileForm;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::{FileApi, FileUpload};
use imbot_wire::{DialogId, ErrorCode, Params};

im_v2_spec!("im.v2.file.upload", "im.v2__files__file-upload", call);

/// A messenger refusal in this method's codes: no such user → `CHAT_NOT_FOUND`; any other refusal →
/// `ACCESS_DENIED` ("No access to the chat").
fn mapped(e: Error) -> Error {
    match e {
        Error::Api(a) if a.is(ErrorCode::USER_NOT_FOUND) => errors::CHAT_NOT_FOUND.into(),
        Error::Api(a) if a.status == 400 || a.status == 403 => {
            Error::api(errors::ACCESS_DENIED, format!("No access to the chat: {}", a.description))
        }
        other => other,
    }
}

fn no_access() -> Error {
    Error::api(errors::ACCESS_DENIED, "No access to the chat")
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let state = &ctx.state;
    let r = FileUpload::parse_limited(&obj(&p), FileApi::User, state.config.file_max_size)?;
    drop(p);
    let user = me(ctx).await?;
    let dialog = r.dialog_id;
    match dialog {
        DialogId::Chat(id) => {
            let chat = chats::get(&state.store, ChatId(id)).await?.filter(|c| c.kind != ChatType::Private);
            let chat = chat.ok_or(errors::CHAT_NOT_FOUND)?;
            let member = chats::member(&state.store, chat.id, user.id).await?.ok_or_else(no_access)?;
            if !chat.can_post.allows(member.role) {
                return Err(no_access());
            }
        }
        DialogId::User(id) => {
            users::get(&state.store, UserId(id)).await?.filter(|u| u.active).ok_or(errors::CHAT_NOT_FOUND)?;
        }
        DialogId::SonetGroup(_) => return Err(errors::CHAT_NOT_FOUND.into()),
    }
    let up = match files::upload(state, &user, r).await {
        Ok(up) => up,
        Err(UploadError::Write(e)) => {
            tracing::error!(error = %e, "cannot write an uploaded file");
            return Err(errors::UPLOAD_FAILED.into());
        }
        Err(UploadError::Post(e)) => return Err(mapped(e)),
    };
    let url = files::download_link(state, &up.file, LinkKind::Im).await?;
    let detail = files::detail(&up.file, &url, Viewer::V2);
    let file = files::entity(state, &up.file, Some(&user), Some(detail)).await?;
    let dialog = dialog.to_string();
    Ok(imbot_wire::v2::results::file_upload(&file, FileForm::Detailed, up.message_id.0, up.chat_id.0, &dialog).into())
}
