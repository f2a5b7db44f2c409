//! The web chat: the page at `/`, its assets, sign-in, the read models the page needs beyond the REST methods,
//! and the live stream.
//!
//! * `GET /`, `GET /assets/{file}` — the single-page app, embedded in the binary (`crates/imbotd/web/`), with
//!   a strict Content-Security-Policy (no inline script or style, nothing from other origins);
//! * `POST /web/login` (`{login, password}`), `GET /login/{token}` (a one-time link from
//!   `imbotd user login-link`), `POST /web/logout`, `GET /web/session`;
//! * `GET /web/api/dialogs|people|commands|bots|deliveries|deliveries/{id}`, `POST
//!   /web/api/deliveries/{id}/resend` — JSON without the REST envelope;
//! * `GET /web/live` — Server-Sent Events fed by the change feed ([`live`]).
//!
//! Messages are sent, edited, liked and commanded through the REST methods themselves (`/rest/im.*` with the
//! session cookie and `X-Bitrix-Csrf-Token`), so the page obeys exactly the rules a bot or SDK does.
//! Failures answer JSON `{error, error_description}` with 400/401/403/404/500; nothing here panics on input.

pub mod api;
pub mod live;
pub mod session;

use super::{json_response, Ctx};
use crate::messenger::render;
use crate::store::web as wstore;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

/// The page's routes, merged into the main router.
pub fn routes() -> Router<Ctx> {
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/assets/{file}", get(asset))
        .route("/login/{token}", get(login_link))
        .route("/web/login", post(login))
        .route("/web/logout", post(logout))
        .route("/web/session", get(session_info))
        .route("/web/live", get(live::stream))
        .route("/web/api/dialogs", get(api::dialogs))
        .route("/web/api/people", get(api::people))
        .route("/web/api/commands", get(api::commands))
        .route("/web/api/bots", get(api::bots))
        .route("/web/api/deliveries", get(api::deliveries))
        .route("/web/api/deliveries/{id}", get(api::delivery))
        .route("/web/api/deliveries/{id}/resend", post(api::resend))
}

/// Every file the page loads, embedded at build time.
const ASSETS: &[(&str, &str, &str)] = &[
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../../web/app.js")),
    ("render.js", "text/javascript; charset=utf-8", include_str!("../../../web/render.js")),
    ("app.css", "text/css; charset=utf-8", include_str!("../../../web/app.css")),
];

const INDEX: &str = include_str!("../../../web/index.html");

const CSP: &str = "default-src 'self'; img-src 'self' data: https: http:; style-src 'self'; script-src 'self'; \
                   connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// A page or asset with the security headers every web answer carries.
fn page(status: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn index() -> Response {
    page(StatusCode::OK, "text/html; charset=utf-8", INDEX)
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, ct, body)) => page(StatusCode::OK, ct, *body),
        None => web_error(404, "NOT_FOUND", &format!("No asset {file:?}")),
    }
}

/// `{error, error_description}` with `status`.
pub fn web_error(status: u16, code: &str, description: &str) -> Response {
    json_response(status, &json!({"error": code, "error_description": description}))
}

/// A store failure: logged with its cause, answered as a plain 500.
pub fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "web chat request failed");
    web_error(500, "INTERNAL_SERVER_ERROR", "Internal server error")
}

/// What the page learns about the signed-in user.
fn session_json(ctx: &Ctx, s: &wstore::Session, u: &crate::store::users::User) -> Value {
    json!({"user": render::user(u, ctx.state.config.timezone), "csrf": s.csrf, "lang": u.language_id})
}

fn with_cookie(mut r: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

#[derive(serde::Deserialize)]
struct LoginForm {
    login: String,
    password: String,
}

async fn login(State(ctx): State<Ctx>, body: Bytes) -> Response {
    let Ok(form) = serde_json::from_slice::<LoginForm>(&body) else {
        return web_error(
            400,
            "INVALID_REQUEST",
            "Send JSON {\"login\": \"<user ID or e-mail>\", \"password\": \"…\"}",
        );
    };
    let state = &ctx.state;
    let found = match wstore::password_of(&state.store, &form.login).await {
        Ok(f) => f,
        Err(e) => return internal(e),
    };
    // Verify against a dummy hash when there is no such user, so timing does not tell who exists.
    let (user, hash) = match found {
        Some((u, Some(h))) => (Some(u), h),
        _ => (None, DUMMY_HASH.clone()),
    };
    let password = form.password;
    let ok = tokio::task::spawn_blocking(move || crate::domain::secret::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| ok) else {
        return web_error(401, "WRONG_LOGIN", "Wrong user or password");
    };
    sign_in(&ctx, user).await.unwrap_or_else(|r| r)
}

/// An Argon2id hash of a random password nobody knows (for constant-time failures).
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::domain::secret::hash_password(&crate::domain::secret::hex_token(16)).unwrap_or_default()
});

/// Open a session and answer the session JSON with its cookie.
async fn sign_in(ctx: &Ctx, user: crate::domain::UserId) -> Result<Response, Response> {
    let state = &ctx.state;
    let ttl = state.config.web_session_ttl;
    let (token, s) = wstore::open(&state.store, user, ttl, state.clock.unix()).await.map_err(internal)?;
    let u = crate::store::users::get(&state.store, user)
        .await
        .map_err(internal)?
        .ok_or_else(|| web_error(401, "WRONG_LOGIN", "Wrong user or password"))?;
    tracing::info!(user = user.0, "web sign-in");
    Ok(with_cookie(json_response(200, &session_json(ctx, &s, &u)), &session::set_cookie(Some(&token), ttl, ctx.scheme)))
}

async fn login_link(State(ctx): State<Ctx>, Path(token): Path<String>) -> Response {
    let user = match wstore::use_login_link(&ctx.state.store, &token, ctx.state.clock.unix()).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return page(
                StatusCode::BAD_REQUEST,
                "text/html; charset=utf-8",
                "<!doctype html><title>imbotd</title><p>This login link is not valid: it was used already or has \
                 expired. Ask for a new one with <code>imbotd user login-link ID</code>.</p><p><a href=\"/\">Sign in</a></p>",
            )
        }
        Err(e) => return internal(e),
    };
    match sign_in(&ctx, user).await {
        Ok(r) => {
            let cookie = r.headers().get(header::SET_COOKIE).cloned();
            let mut redirect = page(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", "");
            redirect.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
            if let Some(c) = cookie {
                redirect.headers_mut().insert(header::SET_COOKIE, c);
            }
            redirect
        }
        Err(r) => r,
    }
}

async fn logout(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let cleared = session::set_cookie(None, 0, ctx.scheme);
    match session::current(&ctx.state, &headers).await {
        Ok(Some((s, _))) => {
            if !session::csrf_ok(&headers, &s) {
                return web_error(403, "CSRF", "Missing or wrong X-Bitrix-Csrf-Token");
            }
            if let Err(e) = wstore::close(&ctx.state.store, s.id).await {
                return internal(e);
            }
            with_cookie(json_response(200, &json!({"result": true})), &cleared)
        }
        Ok(None) => with_cookie(json_response(200, &json!({"result": true})), &cleared),
        Err(e) => internal(e),
    }
}

async fn session_info(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    match session::current(&ctx.state, &headers).await {
        Ok(Some((s, u))) => json_response(200, &session_json(&ctx, &s, &u)),
        Ok(None) => web_error(401, "UNAUTHORIZED", "Not signed in"),
        Err(e) => internal(e),
    }
}
