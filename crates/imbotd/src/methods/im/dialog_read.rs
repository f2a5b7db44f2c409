//! `im.dialog.read` — mark a dialog read up to `MESSAGE_ID` (default: everything):
//! `{dialogId, chatId, lastId, counter}` (counter = what stays unread). A dialog the caller has no access to
//! answers `false`, not an error (the page: "Returns `false` if the user does not have access to the chat").

use super::{dialog_id, me, positive};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::{ErrorCode, Params};
use serde_json::{json, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.dialog.read",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-dialog-read.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let dialog = dialog_id(&p)?;
    let user = me(ctx).await?;
    let view = match messenger::open_for_read(&ctx.state, &user, dialog).await {
        Ok(view) => view,
        Err(Error::Api(e)) if e.is(ErrorCode::ACCESS_ERROR) => return Ok(Value::Bool(false).into()),
        Err(e) => return Err(e),
    };
    let (last, counter) = messenger::read(&ctx.state, &user, &view, positive(&p, "MESSAGE_ID").map(MessageId)).await?;
    Ok(json!({"dialogId": dialog.to_string(), "chatId": view.chat_id().0, "lastId": last.0, "counter": counter}).into())
}
