//! `events` — the names of the events the app may bind: of its scopes and `basic` by default, of one scope
//! with `SCOPE`, or all of them with `FULL`.

use super::app_context;
use crate::domain::Scope;
use crate::error::Error;
use crate::events::generic::CATALOGUE;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::scalar_string;
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "events",
    scopes: &[],
    doc: "api-reference__events__events.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    app_context(ctx)?;
    let scope = p.get("SCOPE").and_then(scalar_string).filter(|s| !s.is_empty());
    let names: Vec<Value> = CATALOGUE
        .iter()
        .filter(|e| match &scope {
            Some(s) => Scope::parse(s) == Some(e.scope),
            None if p.truthy("FULL") => true,
            None => ctx.caller.scopes.allows(e.scope),
        })
        .map(|e| Value::String(e.name.into()))
        .collect();
    Ok(Value::Array(names).into())
}
