//! `/rest/…`: one REST call from URL to envelope.
//!
//! 1. Parse the URL form (COMPAT R1): `/rest/{user_id}/{code}/{method}` (webhook) or `/rest/{method}` (OAuth),
//!    each with no suffix, `.json`, or a trailing `/`; method names are case-insensitive.
//! 2. Decode parameters (query + body, see [`super::body`]); the body may be `max_body_bytes` long, or
//!    `max_upload_bytes` for the two file upload methods ([`UPLOAD_METHODS`]).
//! 3. `require_https` → `400 INVALID_REQUEST` "Https required" for calls over plain HTTP.
//! 4. Authenticate: the webhook code from the path, or the OAuth `auth` token (query, form or JSON; also
//!    `access_token`). Missing → `401 NO_AUTH_FOUND`; unknown token → `401 invalid_token`; expired →
//!    `401 expired_token`; wrong webhook code → `401 NO_AUTH_FOUND`.
//! 5. Find the method (`404 ERROR_METHOD_NOT_FOUND`), count the request in the caller's bucket
//!    (`503 QUERY_LIMIT_EXCEEDED` + `Retry-After`), then [`crate::methods::dispatch::invoke`] (scope, operating
//!    budget, handler).
//! 6. Answer `{"result","next","total","time"}` or `{"error","error_description"}` with Bitrix's status; record
//!    metrics and one log line with request id, method, subject, status and duration.

use super::{body, error_response, json_response, Ctx, Scheme};
use crate::domain::{Caller, CallerKind, UserId};
use crate::error::Error;
use crate::methods::dispatch::invoke;
use crate::methods::{find, CallCtx};
use crate::store::{apps, users, webhooks};
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use imbot_wire::params::scalar_string;
use imbot_wire::{Envelope, ErrorCode, Params};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tracing::Instrument;

/// How the URL addresses the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Webhook { user: String, code: String, method: String },
    OAuth { method: String },
}

impl Target {
    pub fn method(&self) -> &str {
        match self {
            Target::Webhook { method, .. } | Target::OAuth { method } => method,
        }
    }
}

/// Parse a normalised path under `/rest/`.
pub fn parse_target(path: &str) -> Target {
    let rest = path.get(6..).unwrap_or("");
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segs: Vec<&str> = rest.split('/').collect();
    let clean = |m: &str| {
        let m = m.strip_suffix(".json").or_else(|| m.strip_suffix(".JSON")).unwrap_or(m);
        m.to_ascii_lowercase()
    };
    match segs.as_slice() {
        [user, code, method] => Target::Webhook { user: (*user).into(), code: (*code).into(), method: clean(method) },
        // `/rest/{user}/{code}/` with no method: authenticate the webhook, then "method not found".
        [user, code] if !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit()) => {
            Target::Webhook { user: (*user).into(), code: (*code).into(), method: String::new() }
        }
        [method] => Target::OAuth { method: clean(method) },
        _ => Target::OAuth { method: String::new() },
    }
}

/// The methods whose bodies may be `max_upload_bytes` long instead of `max_body_bytes` (a 100 MB file in
/// Base64), known from the path before the body is read.
pub const UPLOAD_METHODS: &[&str] = &["imbot.v2.file.upload", "im.v2.file.upload"];

/// Whether `method` (lower case, as [`parse_target`] gives it) is a file upload.
pub fn is_upload(method: &str) -> bool {
    UPLOAD_METHODS.contains(&method)
}

static REQUEST_SEQ: AtomicU64 = AtomicU64::new(1);
/// Distinguishes request ids of different server processes (and instances, later).
static PROCESS_TAG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| crate::domain::secret::hex_token(4));

pub async fn handle(ctx: Ctx, path: String, req: Request) -> Response {
    let t0 = Instant::now();
    let request_id = format!("{}-{}", *PROCESS_TAG, REQUEST_SEQ.fetch_add(1, Ordering::Relaxed));
    let target = parse_target(&path);
    let span = tracing::info_span!("rest", request_id = %request_id, method = %target.method(), subject = tracing::field::Empty);
    async move {
        let started = ctx.state.clock.now();
        let (label, result) = match call(&ctx, &target, req, started).await {
            Ok((label, resp)) => (label, Ok(resp)),
            Err((label, e)) => (label, Err(e)),
        };
        let (status, mut resp, retry) = match result {
            Ok(resp) => (200u16, resp, None),
            Err(Failure { error, retry_after }) => {
                let api = error.to_api();
                // An overloaded server asks to be retried a second later, as its rate limit does.
                let retry_after = retry_after.or(error.is_overload().then_some(1));
                (api.status, error_response(&api), retry_after)
            }
        };
        if let Some(secs) = retry {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            resp.headers_mut().insert("x-request-id", v);
        }
        let secs = t0.elapsed().as_secs_f64();
        ctx.state.metrics.observe(label, status, secs);
        tracing::info!(status, duration_ms = secs * 1000.0, "rest call");
        resp
    }
    .instrument(span)
    .await
}

struct Failure {
    error: Error,
    retry_after: Option<u64>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, retry_after: None }
    }
}

impl From<ErrorCode> for Failure {
    fn from(c: ErrorCode) -> Self {
        Failure { error: c.into(), retry_after: None }
    }
}

type CallResult = Result<(&'static str, Response), (&'static str, Failure)>;

async fn call(ctx: &Ctx, target: &Target, req: Request, started: chrono::DateTime<chrono::Utc>) -> CallResult {
    let spec = find(target.method());
    let label = spec.map(|s| s.name).unwrap_or("unknown");
    let fail = |f: Failure| (label, f);
    let state = &ctx.state;

    let (parts, body) = req.into_parts();
    let timeout = std::time::Duration::from_secs(state.config.body_timeout);
    let bytes = if is_upload(target.method()) {
        body::read_upload_body(body, &parts.headers, state.config.max_upload_bytes, timeout).await
    } else {
        body::read_body(body, state.config.max_body_bytes, timeout).await
    }
    .map_err(|e| fail(e.into()))?;
    let map = body::params(parts.uri.query(), &parts.headers, bytes).await.map_err(|e| fail(e.into()))?;
    let mut params = Params::from_map(map);

    if state.config.require_https && ctx.scheme == Scheme::Http {
        return Err(fail(ErrorCode::INVALID_REQUEST.into()));
    }
    let token = params.remove("auth").or_else(|| params.remove("access_token"));
    let token = token.as_ref().and_then(scalar_string).filter(|t| !t.is_empty());
    let caller = match (target, token) {
        (Target::OAuth { .. }, None) if super::web::session::cookie_token(&parts.headers).is_some() => {
            session_caller(ctx, &parts.headers).await.map_err(fail)?
        }
        (_, token) => authenticate(ctx, target, token).await.map_err(fail)?,
    };
    tracing::Span::current().record("subject", caller.subject());

    let Some(spec) = spec else {
        return Err(fail(Error::api(ErrorCode::ERROR_METHOD_NOT_FOUND, "Method not found!").into()));
    };
    if matches!(caller.kind, CallerKind::Session { .. }) && spec.scopes.contains(&crate::domain::Scope::Imbot) {
        return Err(fail(crate::methods::imbot::session_refused().into()));
    }
    if let Err(retry) = state.limits.admit(&caller.limit_key()).await {
        return Err(fail(Failure { error: ErrorCode::QUERY_LIMIT_EXCEEDED.into(), retry_after: Some(retry) }));
    }
    let cctx = CallCtx { state: state.clone(), caller, start: None, now: started, depth: 0 };
    let inv = invoke(&cctx, spec, params, started).await;
    let out = inv.outcome.map_err(|e| fail(e.into()))?;
    let env = Envelope { result: out.result, next: out.next, total: out.total };
    Ok((label, json_response(200, &env.to_value(&inv.time))))
}

async fn authenticate(ctx: &Ctx, target: &Target, token: Option<String>) -> Result<Caller, Failure> {
    let store = &ctx.state.store;
    match target {
        Target::Webhook { user, code, .. } => {
            let user_id: i64 = user.parse().map_err(|_| ErrorCode::NO_AUTH_FOUND)?;
            let (hook, is_admin) =
                webhooks::find_for_active_user(store, UserId(user_id), code).await?.ok_or(ErrorCode::NO_AUTH_FOUND)?;
            Ok(Caller {
                user_id: hook.user_id,
                is_admin,
                scopes: hook.scopes,
                kind: CallerKind::Webhook { id: hook.id },
            })
        }
        Target::OAuth { .. } => {
            let token = token.filter(|t| !t.is_empty()).ok_or(ErrorCode::NO_AUTH_FOUND)?;
            let grant = apps::find_access(store, &token).await?.ok_or(ErrorCode::INVALID_TOKEN)?;
            if grant.expires_at <= ctx.state.clock.unix() {
                return Err(ErrorCode::EXPIRED_TOKEN.into());
            }
            if !grant.app.installed {
                return Err(Error::api(ErrorCode::INVALID_TOKEN, "The application is not installed").into());
            }
            let u = users::get(store, grant.user_id).await?.filter(|u| u.active).ok_or(ErrorCode::USER_ACCESS_ERROR)?;
            Ok(Caller {
                user_id: u.id,
                is_admin: u.is_admin,
                scopes: grant.scopes,
                kind: CallerKind::OAuth {
                    app_id: grant.app.id,
                    client_id: grant.app.client_id,
                    token_id: grant.token_id,
                },
            })
        }
    }
}

/// A web chat session calling REST (SPEC-NOTES §2.3): the cookie must name a live session and the request
/// must carry its CSRF token; the caller has the messenger and user scopes (not `imbot`).
async fn session_caller(ctx: &Ctx, headers: &axum::http::HeaderMap) -> Result<Caller, Failure> {
    use super::web::session;
    let (s, u) = session::current(&ctx.state, headers).await?.ok_or_else(|| {
        Failure::from(Error::api(ErrorCode::NO_AUTH_FOUND, "The web session has expired; sign in again"))
    })?;
    if !session::csrf_ok(headers, &s) {
        return Err(
            Error::api(ErrorCode::NO_AUTH_FOUND, "Missing or wrong X-Bitrix-Csrf-Token for the web session").into()
        );
    }
    Ok(Caller {
        user_id: u.id,
        is_admin: u.is_admin,
        scopes: crate::domain::ScopeSet::parse_list("im,user").unwrap_or_else(|_| crate::domain::ScopeSet::all()),
        kind: CallerKind::Session { session_id: s.id },
    })
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Self {
        Failure { error: e.into(), retry_after: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_forms() {
        let w = |u: &str, c: &str, m: &str| Target::Webhook { user: u.into(), code: c.into(), method: m.into() };
        assert_eq!(parse_target("/rest/1/abc/server.time"), w("1", "abc", "server.time"));
        assert_eq!(parse_target("/rest/1/abc/server.time.json"), w("1", "abc", "server.time"));
        assert_eq!(parse_target("/rest/1/abc/Server.Time/"), w("1", "abc", "server.time"));
        assert_eq!(parse_target("/rest/imbot.bot.list"), Target::OAuth { method: "imbot.bot.list".into() });
        assert_eq!(parse_target("/rest/profile.json"), Target::OAuth { method: "profile".into() });
        assert_eq!(parse_target("/rest/a/b"), Target::OAuth { method: String::new() });
        assert_eq!(parse_target("/rest/1/abc/"), w("1", "abc", ""));
        assert!(is_upload(parse_target("/rest/1/abc/IMBOT.V2.File.Upload.json").method()));
        assert!(is_upload(parse_target("/rest/im.v2.File.upload").method()));
        assert!(!is_upload(parse_target("/rest/im.v2.File.download").method()));
    }
}
