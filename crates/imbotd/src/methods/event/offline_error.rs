//! `event.offline.error` — the rows of a reserved batch named by `message_id` failed: they return to the
//! queue marked erroneous (read again with `event.offline.get` `error=1`).

use super::offline_clear::message_ids;
use super::{admin_app_context, connector, null_argument};
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::offline;
use imbot_wire::params::scalar_string;
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.offline.error",
    scopes: &[],
    doc: "api-reference__events__event-offline-error.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = admin_app_context(ctx)?;
    let pid = p
        .get("PROCESS_ID")
        .and_then(scalar_string)
        .map(|s| s.trim().to_owned())
        .ok_or_else(|| null_argument("PROCESS_ID"))?;
    let ids = message_ids(p.get("MESSAGE_ID").unwrap_or(&Value::Null))?;
    offline::mark_error(&ctx.state.store, app, &connector(&p), &pid, &ids).await?;
    Ok(Value::Bool(true).into())
}
