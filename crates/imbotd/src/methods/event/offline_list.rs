//! `event.offline.list` — read the app's offline queue without changing it, 50 rows a page (`start`), with
//! each row's `PROCESS_ID` and `ERROR`.

use super::{admin_app_context, connector, offline_json, parse_filter, parse_order, LIST_FIELDS};
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::offline::{self, Field, Selection};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.offline.list",
    scopes: &[],
    doc: "api-reference__events__event-offline-list.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

const PAGE: i64 = 50;

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = admin_app_context(ctx)?;
    let tz = ctx.state.config.timezone;
    let conds = parse_filter(p.get("FILTER"), LIST_FIELDS, tz)?;
    let order = parse_order(p.get("ORDER"), LIST_FIELDS, Field::Id)?;
    let connector = connector(&p);
    let sel = Selection { app_id: app, connector_id: &connector, conds: &conds, order: &order };
    let offset = ctx.start.filter(|s| *s > 0).unwrap_or(0);
    let (rows, total) = offline::list(&ctx.state.store, &sel, offset, PAGE).await?;
    let more = offset + (rows.len() as i64) < total;
    Ok(Output {
        result: Value::Array(rows.iter().map(|e| offline_json(e, tz, true)).collect()),
        next: more.then_some((offset + PAGE) as u64),
        total: Some(total as u64),
    })
}
