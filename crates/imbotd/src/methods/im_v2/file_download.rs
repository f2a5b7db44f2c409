//! `im.v2.File.download` — a one-time link to a file of a dialog the calling user can read: `{downloadUrl}`
//! (docs/v2.md §3.7).
//!
//! `FILE_NOT_FOUND`: no such file (or its message was deleted, or `fileId` is not a positive integer), or the
//! file is not in the chat of `dialogId`. `ACCESS_DENIED`: `dialogId` is malformed or names a dialog the user
//! may not read (as `im.dialog.messages.get` decides: members, and intranet users for open chats), or the file
//! was posted before the user joined with history hidden. The link is
//! `{client_endpoint}download.json?token=im%7C…`, valid `[files] download_ttl` seconds, good for one GET.

use super::im_v2_spec;
use crate::error::Error;
use crate::messenger::files::{self, LinkKind};
use crate::methods::im::me;
use crate::methods::imbot_v2::obj;
use crate::methods::{CallCtx, Output};
use crate::store::files as stored;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::{FileApi, FileDownload};
use imbot_wire::{DialogId, Params};

im_v2_spec!("im.v2.file.download", "im.v2__files__file-download", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let r = FileDownload::parse(&obj(&p), FileApi::User)?;
    let state = &ctx.state;
    let user = me(ctx).await?;
    let f = stored::get(&state.store, r.file_id).await?.ok_or(errors::FILE_NOT_FOUND)?;
    let dialog: DialogId = r.dialog_id.ok_or(errors::ACCESS_DENIED)?;
    match files::sees_in_dialog(state, &user, dialog, &f).await {
        Ok(true) => {}
        Ok(false) => return Err(errors::FILE_NOT_FOUND.into()),
        Err(Error::Api(a)) if a.status == 400 || a.status == 403 => {
            return Err(Error::api(errors::ACCESS_DENIED, "No access to the chat"))
        }
        Err(other) => return Err(other),
    }
    let url = files::download_link(state, &f, LinkKind::Im).await?;
    Ok(imbot_wire::v2::results::file_download(&url).into())
}
