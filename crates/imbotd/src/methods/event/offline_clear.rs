//! `event.offline.clear` — delete a reserved batch (`process_id`), or only its rows named by `id` or
//! `message_id`.

use super::{admin_app_context, bad_argument, connector, null_argument};
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::offline::{self, Which};
use imbot_wire::params::{scalar_string, value_int, value_list};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.offline.clear",
    scopes: &[],
    doc: "api-reference__events__event-offline-clear.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// A list parameter: a JSON array or a form list (`x[]=…`); anything else is `None`.
pub fn list_param(v: &Value) -> Option<Vec<&Value>> {
    match v {
        Value::Array(_) | Value::Object(_) => Some(value_list(v)),
        _ => None,
    }
}

/// `message_id` values: each must be a 32-character MESSAGE_ID.
pub fn message_ids(v: &Value) -> Result<Vec<String>, Error> {
    let bad = || bad_argument("Value must be array of MESSAGE_ID values");
    list_param(v)
        .ok_or_else(bad)?
        .into_iter()
        .map(|m| scalar_string(m).map(|s| s.trim().to_owned()).filter(|s| s.chars().count() == 32).ok_or_else(bad))
        .collect()
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = admin_app_context(ctx)?;
    let pid = p
        .get("PROCESS_ID")
        .and_then(scalar_string)
        .map(|s| s.trim().to_owned())
        .ok_or_else(|| null_argument("PROCESS_ID"))?;
    let which = if let Some(v) = p.get("MESSAGE_ID") {
        Which::MessageIds(message_ids(v)?)
    } else if let Some(v) = p.get("ID") {
        let bad = || bad_argument("Value must be array of integers");
        let ids = list_param(v)
            .ok_or_else(bad)?
            .into_iter()
            .map(|i| value_int(i).filter(|i| *i > 0).ok_or_else(bad))
            .collect::<Result<Vec<i64>, Error>>()?;
        Which::Ids(ids)
    } else {
        Which::All
    };
    offline::clear(&ctx.state.store, app, &connector(&p), &pid, &which).await?;
    Ok(Value::Bool(true).into())
}
