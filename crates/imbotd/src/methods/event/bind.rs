//! `event.bind` — subscribe the calling app to an event, online (a handler URL) or offline (the queue read
//! with `event.offline.*`). Checks follow the rest module's `Api\Event::eventBind` in its order.

use super::{app_context, bad_argument, connector, null_argument};
use crate::domain::UserId;
use crate::error::Error;
use crate::events::generic::{self, ONOFFLINEEVENT};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bindings::{self, NewBinding};
use imbot_wire::params::{scalar_string, value_int};
use imbot_wire::{ErrorCode, Params};
use serde_json::{Map, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "event.bind",
    scopes: &[],
    doc: "api-reference__events__event-bind.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// Whether an online or offline subscription is meant (`event_type`).
pub fn event_type(p: &Params) -> Result<bool, Error> {
    match p.get("EVENT_TYPE").and_then(scalar_string).map(|s| s.to_lowercase()) {
        None => Ok(false),
        Some(s) if s.is_empty() || s == "online" => Ok(false),
        Some(s) if s == "offline" => Ok(true),
        Some(_) => Err(bad_argument("Value must be one of {online|offline}")),
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = app_context(ctx)?;
    let me = ctx.caller.user_id;
    let admin = ctx.caller.is_admin;
    let event = p.get("EVENT").and_then(scalar_string).unwrap_or_default().trim().to_uppercase();
    let mut user = p.get("AUTH_TYPE").and_then(value_int).unwrap_or(0);
    let mut handler = p.get("HANDLER").and_then(scalar_string).unwrap_or_default().trim().to_owned();
    if user > 0 {
        if !admin && user != me.0 {
            return Err(Error::api(
                ErrorCode::ACCESS_DENIED,
                "Access denied! Event binding with AUTH_TYPE requires administrator access rights",
            ));
        }
    } else if !admin {
        user = me.0;
    }
    let connector = connector(&p);
    if event.is_empty() {
        return Err(null_argument("EVENT"));
    }
    let offline = event_type(&p)?;
    if offline {
        if !admin {
            return Err(Error::api(
                ErrorCode::ACCESS_DENIED,
                "Access denied! Offline events binding requires administrator access rights",
            ));
        }
        handler.clear();
        user = 0;
    } else if handler.is_empty() {
        return Err(null_argument("HANDLER"));
    }
    if !handler.is_empty() {
        check_handler(ctx, &handler).await?;
    }
    let spec = generic::spec(&event)
        .filter(|s| ctx.caller.scopes.allows(s.scope))
        .ok_or_else(|| Error::api(ErrorCode::ERROR_EVENT_NOT_FOUND, "Event not found"))?;
    if offline && !spec.offline {
        return Err(bad_argument("Offline event cannot be registered for this event."));
    }
    let mut options = Map::new();
    if spec.name == ONOFFLINEEVENT {
        if let Some(t) = p.get("OPTIONS").and_then(|o| o.get("minTimeout")) {
            options.insert("minTimeout".into(), Value::from(value_int(t).unwrap_or(0)));
        }
    }
    let new = NewBinding {
        app_id: app,
        event: spec.name,
        handler: &handler,
        user_id: UserId(user),
        connector_id: if offline { &connector } else { "" },
        options,
    };
    match bindings::add(&ctx.state.store, &new, ctx.state.clock.unix()).await? {
        Some(_) => Ok(Value::Bool(true).into()),
        None => Err(Error::api(ErrorCode::ERROR_CORE, "Unable to set event handler: Handler already binded")),
    }
}

/// A handler URL must be absolute http(s) with a host, and allowed by the outbound policy.
async fn check_handler(ctx: &CallCtx, handler: &str) -> Result<(), Error> {
    let wrong = |why: String| Error::api(ErrorCode::ERROR_WRONG_HANDLER_URL, format!("Wrong handler URL: {why}"));
    let url = url::Url::parse(handler).map_err(|e| wrong(format!("{handler:?} is not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::api(ErrorCode::ERROR_UNSUPPORTED_PROTOCOL, "Unsupported handler protocol"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(wrong(format!("{handler:?} has no host")));
    }
    ctx.state.config.outbound.check_url(&url).await.map_err(wrong)
}
