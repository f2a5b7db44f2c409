//! `method.get` — `{isExisting, isAvailable}` for a method name (both false when `name` is missing/empty).

use crate::error::Error;
use crate::methods::{find, CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;
use serde_json::json;

pub static SPEC: MethodSpec = MethodSpec {
    name: "method.get",
    scopes: &[],
    doc: "api-reference__common__system__method-get.md",
    case: ParamCase::AsSent,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let name = p.get_ci("name").and_then(imbot_wire::params::scalar_string).unwrap_or_default();
    let m = if name.is_empty() { None } else { find(name.trim()) };
    Ok(json!({
        "isExisting": m.is_some(),
        "isAvailable": m.is_some_and(|m| m.allowed_for(&ctx.caller)),
    })
    .into())
}
