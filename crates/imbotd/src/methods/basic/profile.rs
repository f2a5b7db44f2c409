//! `profile` — the calling user's basic profile; an empty object for an inactive user.

use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::users;
use imbot_wire::Params;
use serde_json::{json, Map, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "profile",
    scopes: &[],
    doc: "api-reference__common__users__profile.md",
    case: ParamCase::AsSent,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, _: Params) -> Result<Output, Error> {
    let user = users::get(&ctx.state.store, ctx.caller.user_id).await?;
    let v = match user {
        Some(u) if u.active => json!({
            "ID": u.id.0.to_string(),
            "ADMIN": u.is_admin,
            "NAME": u.name,
            "LAST_NAME": u.last_name,
            "PERSONAL_GENDER": u.gender,
            "TIME_ZONE": u.time_zone,
        }),
        _ => Value::Object(Map::new()),
    };
    Ok(v.into())
}
