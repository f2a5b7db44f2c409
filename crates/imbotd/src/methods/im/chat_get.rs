//! `im.chat.get` — the id of the chat bound to `ENTITY_TYPE` + `ENTITY_ID` among the caller's chats:
//! `{"ID": n}`, or `null` when there is none (never an error, SPEC-NOTES §13.27).

use super::me;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats;
use imbot_wire::params::scalar_string;
use imbot_wire::Params;
use serde_json::{json, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.chat.get",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__im-chat-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let user = me(ctx).await?;
    let et = p.get("ENTITY_TYPE").and_then(scalar_string).unwrap_or_default();
    let ei = p.get("ENTITY_ID").and_then(scalar_string).unwrap_or_default();
    if et.is_empty() || ei.is_empty() {
        return Ok(Value::Null.into());
    }
    Ok(match chats::find_by_entity(&ctx.state.store, user.id, &et, &ei).await? {
        Some(id) => json!({"ID": id.0}),
        None => Value::Null,
    }
    .into())
}
