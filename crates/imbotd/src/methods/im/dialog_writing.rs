//! `im.dialog.writing` — "user is typing" in a dialog; `true`. Typing is not a stored change: it is published
//! to live listeners only (the web chat), never to the change feed.

use super::{dialog_id, me};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.dialog.writing",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-dialog-writing.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let dialog = dialog_id(&p)?;
    let user = me(ctx).await?;
    let view = messenger::open_for_read(&ctx.state, &user, dialog)
        .await
        .map_err(|_| Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"))?;
    messenger::typing(&ctx.state, &user, &view);
    Ok(Value::Bool(true).into())
}
