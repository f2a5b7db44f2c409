//! `event.get` — the calling app's subscriptions (a non-administrator sees only their own).

use super::app_context;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bindings;
use imbot_wire::Params;
use serde_json::{json, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.get",
    scopes: &[],
    doc: "api-reference__events__event-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, _: Params) -> Result<Output, Error> {
    let app = app_context(ctx)?;
    let only = (!ctx.caller.is_admin).then_some(ctx.caller.user_id);
    let list: Vec<Value> = bindings::of_app(&ctx.state.store, app, only)
        .await?
        .iter()
        .map(|b| {
            if b.is_offline() {
                json!({ "event": b.event, "connector_id": b.connector_id, "offline": 1 })
            } else {
                json!({ "event": b.event, "handler": b.handler, "auth_type": b.user_id.0.to_string(), "offline": 0 })
            }
        })
        .collect();
    Ok(Value::Array(list).into())
}
