//! `scope` — the caller's scopes, or every scope the portal knows with `full=true`.

use crate::domain::Scope;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::php_truthy;
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "scope",
    scopes: &[],
    doc: "api-reference__common__system__scope.md",
    case: ParamCase::AsSent,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let list: Vec<Value> = if p.get_ci("full").is_some_and(php_truthy) {
        Scope::GRANTABLE.iter().map(|s| Value::String(s.as_str().into())).collect()
    } else {
        ctx.caller.scopes.iter().map(|s| Value::String(s.as_str().into())).collect()
    };
    Ok(Value::Array(list).into())
}
