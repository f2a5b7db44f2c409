//! `event.offline.get` — take the first events of the app's offline queue. With `clear=1` (default) they are
//! deleted once returned; with `clear=0` they are reserved under a new `process_id`, hidden from other calls
//! until `event.offline.clear` (or `event.offline.error`). Passing `process_id` reads that batch again.
//! Parallel calls get disjoint batches: the reservation is one statement on the single writer.

use super::{admin_app_context, bad_argument, connector, offline_json, parse_filter, parse_order, GET_FIELDS};
use crate::domain::secret;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::offline::{self, Field, Selection, Which};
use imbot_wire::params::{scalar_string, value_int};
use imbot_wire::Params;
use serde_json::{json, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.offline.get",
    scopes: &[],
    doc: "api-reference__events__event-offline-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// Default batch size (Bitrix's `LIST_LIMIT`).
const LIMIT: i64 = 50;

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = admin_app_context(ctx)?;
    let tz = ctx.state.config.timezone;
    let clear = p.get("CLEAR").map(|v| value_int(v).unwrap_or(0) != 0).unwrap_or(true);
    let process_id = p.get("PROCESS_ID").and_then(scalar_string).map(|s| s.trim().to_owned());
    let error = p.get("ERROR").and_then(value_int) == Some(1);
    let limit = match p.get("LIMIT") {
        None => LIMIT,
        Some(v) => value_int(v).unwrap_or(0),
    };
    if limit <= 0 {
        return Err(bad_argument("Value must be positive integer"));
    }
    let conds = parse_filter(p.get("FILTER"), GET_FIELDS, tz)?;
    let order = parse_order(p.get("ORDER"), GET_FIELDS, Field::TimestampX)?;
    let connector = connector(&p);
    let sel = Selection { app_id: app, connector_id: &connector, conds: &conds, order: &order };
    let store = &ctx.state.store;
    let (pid, return_pid) = match process_id {
        Some(pid) => (pid, true),
        None => {
            let pid = secret::alnum(32);
            offline::reserve(store, &sel, error, limit, &pid).await?;
            (pid, !clear)
        }
    };
    let rows = offline::of_process(store, &sel, &pid, error, limit).await?;
    if clear && !rows.is_empty() {
        offline::clear(store, app, &connector, &pid, &Which::All).await?;
    }
    let events: Vec<Value> = rows.iter().map(|e| offline_json(e, tz, false)).collect();
    Ok(json!({ "process_id": if return_pid { Value::String(pid) } else { Value::Null }, "events": events }).into())
}
