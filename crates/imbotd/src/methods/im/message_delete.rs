//! `im.message.delete` — delete a message (author within the edit window, or a chat owner/manager); `true`.
//! The message stays in history as "This message was deleted." with `IS_DELETED=Y`.

use super::{me, message_id};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.message.delete",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-message-delete.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let id = message_id(&p)?;
    let user = me(ctx).await?;
    messenger::delete(&ctx.state, &user, id).await?;
    Ok(Value::Bool(true).into())
}
