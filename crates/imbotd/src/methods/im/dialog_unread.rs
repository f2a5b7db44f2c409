//! `im.dialog.unread` — mark a dialog unread from `MESSAGE_ID` on; `true`.

use super::{dialog_id, me, positive};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.dialog.unread",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-dialog-unread.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let from = positive(&p, "MESSAGE_ID")
        .ok_or_else(|| Error::api(ErrorCode::MESSAGE_ID_ERROR, "First unread message id can't be empty"))?;
    let dialog = dialog_id(&p)?;
    let user = me(ctx).await?;
    let view = messenger::open_for_read(&ctx.state, &user, dialog).await?;
    messenger::unread(&ctx.state, &user, &view, MessageId(from)).await?;
    Ok(Value::Bool(true).into())
}
