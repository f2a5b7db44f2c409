//! `methods` (deprecated) — names of methods: those available to the caller (no params), all (`full=true`),
//! or those of one scope (`scope=im`; `scope=` empty lists the basic ones).

use crate::domain::Scope;
use crate::error::Error;
use crate::methods::{registry, CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::php_truthy;
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "methods",
    scopes: &[],
    doc: "api-reference__common__system__methods.md",
    case: ParamCase::AsSent,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let full = p.get_ci("full").is_some_and(php_truthy);
    let scope_filter = p.get_ci("scope").map(|v| imbot_wire::params::scalar_string(v).unwrap_or_default());
    let names: Vec<Value> = registry()
        .iter()
        .filter(|m| match &scope_filter {
            Some(s) if s.is_empty() => m.primary_scope() == Scope::Basic,
            Some(s) => Scope::parse(s).is_some_and(|sc| m.primary_scope() == sc || m.scopes.contains(&sc)),
            None => full || m.allowed_for(&ctx.caller),
        })
        .map(|m| Value::String(m.name.to_owned()))
        .collect();
    Ok(Value::Array(names).into())
}
