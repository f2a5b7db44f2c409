//! `imbot.chat.get` — `{"ID": n}` of the bot's chat bound to `ENTITY_TYPE` + `ENTITY_ID`, or `null`; with
//! `DIALOG_ID` instead, the full chat object (the shared implementation's undocumented form, SPEC-NOTES §12.4).

use super::chat_common::acting;
use crate::error::Error;
use crate::methods::im::dialog_get::dialog_object;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats;
use imbot_wire::params::scalar_string;
use imbot_wire::{DialogId, Params};
use serde_json::{json, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.get",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let (_, me) = acting(ctx, &p).await?;
    if let Some(d) = p.get("DIALOG_ID").and_then(DialogId::from_value) {
        return Ok(dialog_object(&ctx.state, &me, d).await?.into());
    }
    let et = p.get("ENTITY_TYPE").and_then(scalar_string).unwrap_or_default();
    let ei = p.get("ENTITY_ID").and_then(scalar_string).unwrap_or_default();
    if et.is_empty() || ei.is_empty() {
        return Ok(Value::Null.into());
    }
    Ok(match chats::find_by_entity(&ctx.state.store, me.id, &et, &ei).await? {
        Some(id) => json!({"ID": id.0}),
        None => Value::Null,
    }
    .into())
}
