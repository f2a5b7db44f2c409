//! `imbot.v2.File.download` — a one-time link to a file of a chat the bot is in: `{downloadUrl}` (docs/v2.md
//! §3.6). `dialogId`, which the quick start sends, is ignored (§9 C21).
//!
//! After the controller checks: `FILE_NOT_FOUND` (no such file, its message deleted, `fileId` not a positive
//! integer), `FILE_ACCESS_ERROR` (the bot is not a member of the file's chat, or joined it after the file was
//! posted with history hidden). The link is `{client_endpoint}download.json?token=imbot%7C…`, valid
//! `[files] download_ttl` seconds, good for one GET (`http::download`).

use super::{bot_call, obj, v2_spec};
use crate::error::Error;
use crate::messenger::files::{self, LinkKind};
use crate::methods::{CallCtx, Output};
use crate::store::files as stored;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::{FileApi, FileDownload};
use imbot_wire::Params;

v2_spec!("imbot.v2.file.download", "imbot.v2__files__file-download", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = FileDownload::parse(&obj(&p), FileApi::Bot)?;
    let state = &ctx.state;
    let f = stored::get(&state.store, r.file_id).await?.ok_or(errors::FILE_NOT_FOUND)?;
    if !files::member_sees(state, c.bot.id, &f).await? {
        return Err(errors::FILE_ACCESS_ERROR.into());
    }
    let url = files::download_link(state, &f, LinkKind::Imbot).await?;
    Ok(imbot_wire::v2::results::file_download(&url).into())
}
