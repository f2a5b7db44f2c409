//! `GET|POST /oauth/token/` — the local OAuth token endpoint (COMPAT R18, `settings__oauth__auto-renewal.md`).
//!
//! `grant_type=refresh_token` with `client_id`, `client_secret`, `refresh_token` (query or form/JSON body)
//! returns a new pair and rotates the refresh token: the old one stops working at once. Errors come as the
//! authorization server sends them, `{"error","error_description"}`: `invalid_request` (400) for missing
//! parameters or an unsupported grant type, `invalid_client` (401) for a wrong client id or secret,
//! `invalid_grant` (400) for an unknown, used or expired refresh token.

use super::{body, error_response, json_response, Ctx};
use crate::app::PublicUrls;
use crate::error::Error;
use crate::store::apps::{self, IssuedTokens};
use axum::extract::Request;
use axum::response::Response;
use imbot_wire::params::scalar_string;
use imbot_wire::{ErrorCode, Params};
use serde_json::{json, Value};

/// The token answer, shared with `imbotd app token`.
pub fn token_json(t: &IssuedTokens, ttl: i64, urls: &PublicUrls, member_id: &str) -> Value {
    json!({
        "access_token": t.access_token,
        "refresh_token": t.refresh_token,
        "expires": t.access_expires_at,
        "expires_in": ttl,
        "scope": t.scopes.to_list(),
        "domain": urls.domain(),
        "client_endpoint": urls.client_endpoint(),
        "server_endpoint": urls.server_endpoint(),
        "status": "L",
        "member_id": member_id,
        "user_id": t.user_id.0,
    })
}

pub async fn handle(ctx: Ctx, req: Request) -> Response {
    match token(&ctx, req).await {
        Ok(v) => json_response(200, &v),
        Err(e) => {
            let api = e.to_api();
            tracing::info!(status = api.status, error = %api.code, "oauth token request refused");
            error_response(&api)
        }
    }
}

async fn token(ctx: &Ctx, req: Request) -> Result<Value, Error> {
    let state = &ctx.state;
    let (parts, b) = req.into_parts();
    let bytes =
        body::read_body(b, state.config.max_body_bytes, std::time::Duration::from_secs(state.config.body_timeout))
            .await?;
    let p = Params::from_map(body::params(parts.uri.query(), &parts.headers, bytes).await?);
    let get = |k: &str| p.get(k).and_then(scalar_string).filter(|s| !s.is_empty());
    let grant_type =
        get("grant_type").ok_or_else(|| Error::api(ErrorCode::OAUTH_INVALID_REQUEST, "grant_type is required"))?;
    if grant_type != "refresh_token" {
        return Err(Error::api(
            ErrorCode::OAUTH_INVALID_REQUEST,
            format!("Unsupported grant_type {grant_type:?}: this server issues tokens with `imbotd app token` and renews them with grant_type=refresh_token"),
        ));
    }
    let (Some(client_id), Some(secret), Some(refresh)) = (get("client_id"), get("client_secret"), get("refresh_token"))
    else {
        return Err(Error::api(
            ErrorCode::OAUTH_INVALID_REQUEST,
            "client_id, client_secret and refresh_token are required",
        ));
    };
    let app = apps::authenticate_client(&state.store, &client_id, &secret)
        .await?
        .ok_or_else(|| Error::api(ErrorCode::OAUTH_INVALID_CLIENT, "Invalid client_id or client_secret"))?;
    let ttl = state.config.access_token_ttl;
    let issued = apps::refresh(&state.store, &app, &refresh, ttl, state.config.refresh_token_ttl, state.clock.unix())
        .await?
        .ok_or_else(|| Error::api(ErrorCode::OAUTH_INVALID_GRANT, "The refresh token is invalid, used or expired"))?;
    Ok(token_json(&issued, ttl, &state.urls, &state.member_id))
}
