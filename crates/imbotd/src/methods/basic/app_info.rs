//! `app.info` — information about the calling application (OAuth only; a webhook has no application
//! context and gets `403 ACCESS_DENIED`, SPEC-NOTES §2.2).

use crate::domain::CallerKind;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::apps;
use imbot_wire::{ErrorCode, Params};
use serde_json::json;

pub static SPEC: MethodSpec = MethodSpec {
    name: "app.info",
    scopes: &[],
    doc: "api-reference__common__system__app-info.md",
    case: ParamCase::AsSent,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, _: Params) -> Result<Output, Error> {
    let CallerKind::OAuth { app_id, .. } = &ctx.caller.kind else {
        return Err(Error::api(ErrorCode::ACCESS_DENIED, "Access denied! Application context required"));
    };
    let app = apps::by_id(&ctx.state.store, *app_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("app {app_id} of a live token is gone")))?;
    Ok(json!({
        "ID": app.id.0,
        "CODE": app.client_id,
        "VERSION": app.version,
        "STATUS": "L",
        "INSTALLED": app.installed,
        "PAYMENT_EXPIRED": "N",
        "DAYS": null,
        "LANGUAGE_ID": "en",
        "LICENSE": "en_selfhosted",
        "LICENSE_TYPE": "selfhosted",
        "LICENSE_FAMILY": "selfhosted",
    })
    .into())
}
