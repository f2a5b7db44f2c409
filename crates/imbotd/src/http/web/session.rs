//! Web chat sign-in state: the session cookie and the CSRF token.
//!
//! The cookie (`imbotd_session`) is an opaque random token, HttpOnly, SameSite=Strict, Path=/, and Secure when
//! served over HTTPS; the store keeps only its digest. Every state-changing request (REST calls, logout,
//! resend) must also carry the session's CSRF token in `X-Bitrix-Csrf-Token` (the header Bitrix's own pages
//! use), which a cross-site page cannot read. Reads (`GET`) need only the cookie.

use crate::app::AppState;
use crate::http::Scheme;
use crate::store::users::{self, User};
use crate::store::web::{self, Session};
use crate::store::StoreError;
use axum::http::HeaderMap;

pub const COOKIE: &str = "imbotd_session";
pub const CSRF_HEADER: &str = "x-bitrix-csrf-token";

/// The cookie value of our session, if the request has one.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The signed-in user of a request (an active session of an active user), if any.
pub async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<(Session, User)>, StoreError> {
    let Some(token) = cookie_token(headers) else { return Ok(None) };
    let Some(s) = web::find(&state.store, &token, state.config.web_session_ttl, state.clock.unix()).await? else {
        return Ok(None);
    };
    Ok(users::get(&state.store, s.user_id).await?.filter(|u| u.active && !u.is_bot).map(|u| (s, u)))
}

/// Whether the request carries the session's CSRF token (compared in constant time).
pub fn csrf_ok(headers: &HeaderMap, s: &Session) -> bool {
    let Some(sent) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) else { return false };
    let (a, b) = (sent.as_bytes(), s.csrf.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `Set-Cookie` for a new session (or, with `None`, one that clears it).
pub fn set_cookie(token: Option<&str>, ttl: i64, scheme: Scheme) -> String {
    let secure = if scheme == Scheme::Https { "; Secure" } else { "" };
    match token {
        Some(t) => format!("{COOKIE}={t}; Path=/; Max-Age={ttl}; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
    }
}
