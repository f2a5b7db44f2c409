//! HTTP transport: routes, request decoding, authentication, limits and the Bitrix envelope.
//!
//! * `/rest/…` — REST calls in every URL form of COMPAT R1 ([`rest`]);
//! * `GET /rest/download.json?token=…` — a one-time file download link ([`download`]);
//! * `/oauth/token/` — the local OAuth token endpoint ([`oauth`]);
//! * `/healthz`, `/metrics` — operations;
//! * `/`, `/assets/…`, `/login/…`, `/web/…` — the web chat ([`web`]).
//!
//! Paths are normalised first (`//` collapsed), so `/rest//server.time` works. Nothing here redirects. Every
//! response is JSON with `Content-Type: application/json; charset=utf-8` (except `/metrics` and a download's
//! file). A panic inside a handler is caught and answered as `500 INTERNAL_SERVER_ERROR` in Bitrix's shape.

pub mod body;
pub mod download;
pub mod oauth;
pub mod rest;
pub mod web;

use crate::app::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use imbot_wire::json::to_php_json;
use imbot_wire::{ApiError, ErrorCode};
use serde_json::Value;
use std::sync::Arc;

/// Which listener a request came in on (for `require_https`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

#[derive(Clone)]
pub struct Ctx {
    pub state: Arc<AppState>,
    pub scheme: Scheme,
}

pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A JSON response encoded like PHP's `json_encode`.
pub fn json_response(status: u16, body: &Value) -> Response {
    let mut resp = Response::new(Body::from(to_php_json(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    resp
}

pub fn error_response(e: &ApiError) -> Response {
    json_response(e.status, &e.to_value())
}

pub fn router(state: Arc<AppState>, scheme: Scheme) -> Router {
    let ctx = Ctx { state, scheme };
    Router::new()
        .route("/healthz", any(healthz))
        .route("/metrics", get(metrics))
        .merge(web::routes())
        .fallback(dispatch)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(ctx)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            error_response(&ApiError::new(ErrorCode::INTERNAL_SERVER_ERROR))
        }))
}

/// Collapse runs of `/` (COMPAT R1).
pub fn normalise_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut prev_slash = false;
    for c in path.chars() {
        if c == '/' {
            if !prev_slash {
                out.push(c);
            }
            prev_slash = true;
        } else {
            out.push(c);
            prev_slash = false;
        }
    }
    out
}

async fn dispatch(State(ctx): State<Ctx>, req: Request) -> Response {
    let path = normalise_path(req.uri().path());
    let lower = path.to_ascii_lowercase();
    if download::is_download_path(&lower) {
        download::handle(ctx, req).await
    } else if lower == "/rest" || lower.starts_with("/rest/") {
        rest::handle(ctx, path, req).await
    } else if lower == "/oauth/token" || lower == "/oauth/token/" {
        oauth::handle(ctx, req).await
    } else if lower == "/healthz" || lower == "/healthz/" {
        healthz(State(ctx)).await.into_response()
    } else {
        json_response(
            404,
            &serde_json::json!({"error": "NOT_FOUND", "error_description": format!("Nothing at {path}; REST calls go to /rest/")}),
        )
    }
}

/// `POST /metrics` and the like: JSON too, like every other answer.
async fn method_not_allowed(req: Request) -> Response {
    json_response(
        405,
        &serde_json::json!({"error": "METHOD_NOT_ALLOWED", "error_description": format!("{} is not allowed on {}", req.method(), req.uri().path())}),
    )
}

async fn healthz(State(ctx): State<Ctx>) -> Response {
    match ctx.state.store.ping().await {
        Ok(()) => json_response(200, &serde_json::json!({"status": "ok"})),
        Err(e) => {
            tracing::error!(error = %e, "health check: store unreachable");
            json_response(503, &serde_json::json!({"status": "unavailable", "error": "store unreachable"}))
        }
    }
}

async fn metrics(State(ctx): State<Ctx>) -> Response {
    match crate::store::outbox::counts(&ctx.state.store).await {
        Ok(counts) => {
            for status in ["pending", "sending", "delivered", "failed"] {
                let n = counts.iter().find(|(s, _)| s == status).map(|(_, n)| *n).unwrap_or(0);
                ctx.state.metrics.set_outbox(status, n);
            }
        }
        Err(e) => tracing::error!(error = %e, "metrics: cannot count the outbox"),
    }
    match crate::store::outbox::pending_by_handler(&ctx.state.store).await {
        Ok(per) => ctx.state.metrics.set_handler_pending(&per),
        Err(e) => tracing::error!(error = %e, "metrics: cannot count pending events per handler"),
    }
    match crate::store::offline::depth(&ctx.state.store).await {
        Ok(n) => ctx.state.metrics.set_offline_events(n),
        Err(e) => tracing::error!(error = %e, "metrics: cannot count the offline queue"),
    }
    let mut resp = Response::new(Body::from(ctx.state.metrics.render()));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn collapses_slashes() {
        assert_eq!(super::normalise_path("//rest///x//"), "/rest/x/");
    }
}
