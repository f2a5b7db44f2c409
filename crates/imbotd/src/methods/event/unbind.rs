//! `event.unbind` — remove the calling app's subscriptions to an event; answers `{"count": N}`.

use super::bind::event_type;
use super::{app_context, connector, null_argument};
use crate::domain::UserId;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bindings::{self, Unbind};
use imbot_wire::params::{scalar_string, value_int};
use imbot_wire::{ErrorCode, Params};
use serde_json::json;

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.unbind",
    scopes: &[],
    doc: "api-reference__events__event-unbind.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = app_context(ctx)?;
    let me = ctx.caller.user_id;
    let admin = ctx.caller.is_admin;
    let event = p.get("EVENT").and_then(scalar_string).unwrap_or_default().trim().to_uppercase();
    if event.is_empty() {
        return Err(null_argument("EVENT"));
    }
    let offline = event_type(&p)?;
    let mut handler = p.get("HANDLER").and_then(scalar_string).unwrap_or_default().trim().to_owned();
    if offline {
        if !admin {
            return Err(Error::api(
                ErrorCode::ACCESS_DENIED,
                "Access denied! Offline events unbinding requires administrator access rights",
            ));
        }
        handler.clear();
    } else if handler.is_empty() {
        return Err(null_argument("HANDLER"));
    }
    let connector = connector(&p);
    let (user_id, connector_id) = if offline {
        (None, Some(connector.as_str()))
    } else if p.contains("AUTH_TYPE") {
        // `auth_type=0` or empty removes the subscriptions that use the acting user's tokens.
        let user = p.get("AUTH_TYPE").and_then(value_int).unwrap_or(0);
        if !admin && user != me.0 {
            return Err(Error::api(
                ErrorCode::ACCESS_DENIED,
                "Access denied! Event unbinding with AUTH_TYPE requires administrator access rights",
            ));
        }
        (Some(UserId(user)), None)
    } else if !admin {
        (Some(me), None)
    } else {
        (None, None)
    };
    let count = bindings::remove(
        &ctx.state.store,
        &Unbind { app_id: app, event: &event, handler: &handler, user_id, connector_id },
    )
    .await?;
    Ok(json!({ "count": count }).into())
}
