//! `user.current` — the calling user's full user object.

use super::user_json;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::users;
use imbot_wire::Params;

pub static SPEC: MethodSpec = MethodSpec {
    name: "user.current",
    scopes: &[crate::domain::Scope::User, crate::domain::Scope::UserBrief, crate::domain::Scope::UserBasic],
    doc: "api-reference__user__user-current.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, _: Params) -> Result<Output, Error> {
    let u = users::get(&ctx.state.store, ctx.caller.user_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("authenticated user {} does not exist", ctx.caller.user_id)))?;
    Ok(user_json(&u, ctx.state.config.timezone).into())
}
