//! `event.test` — send `ONAPPTEST` to the calling app's subscriptions, with the call's parameters under
//! `data[QUERY]`; answers `1`.

use super::app_context;
use crate::error::Error;
use crate::events::generic::{self, ONAPPTEST};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;
use serde_json::{Map, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.test",
    scopes: &[],
    doc: "api-reference__events__test-handler.md",
    case: ParamCase::AsSent,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = app_context(ctx)?;
    let query: Map<String, Value> =
        p.iter().filter(|(k, _)| k.as_str() != "auth").map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut data = Map::new();
    data.insert("QUERY".into(), Value::Object(query));
    data.insert("LANGUAGE_ID".into(), Value::String(ctx.state.default_language().into()));
    let spec = generic::spec(ONAPPTEST).expect("in the catalogue");
    let state = &ctx.state;
    let mut tx = state.store.begin().await?;
    generic::emit(&mut tx, spec, Some(app), data, ctx.caller.user_id, state.clock.unix()).await?;
    crate::messenger::commit(state, tx).await?;
    Ok(Value::from(1).into())
}
