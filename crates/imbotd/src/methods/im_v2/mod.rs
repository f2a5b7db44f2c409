//! The v2 user API, `im.v2.*` (docs/v2.md §3.7): methods that act as the calling user — the webhook's user,
//! the OAuth token's user (and, for files, a web session) — with scope `im`, no `botId`/`botToken`: files
//! (`File.upload`, `File.download`), the user's own event queue (`Event.subscribe`, `unsubscribe`, `get`) and
//! handing a bot the context a dialog was opened with (`Chat.Bot.sendContext`). One file per method.
//!
//! Parameters are read as sent (camelCase: `ParamCase::AsSent`) through `imbot_wire::v2`'s typed requests;
//! the rules are the messenger's, as for the v1 `im.*` methods.
//!
//! Failure modes: every refusal is a documented v2 code with HTTP 400 (docs/v2.md §2.6); store errors are 500.

pub mod event;
pub mod file_download;
pub mod file_upload;
pub mod send_context;

/// A method's [`crate::methods::MethodSpec`]: `im.v2.*` methods need scope `im`, read their parameters as
/// sent and follow a `chat-bots-v2` reference page.
macro_rules! im_v2_spec {
    ($name:literal, $page:literal, $f:path) => {
        pub static SPEC: $crate::methods::MethodSpec = $crate::methods::MethodSpec {
            name: $name,
            scopes: &[$crate::domain::Scope::Im],
            doc: concat!("api-reference__chat-bots__chat-bots-v2__", $page, ".md"),
            case: $crate::methods::ParamCase::AsSent,
            batchable: true,
            handler: $crate::handler!($f),
        };
    };
}
pub(crate) use im_v2_spec;

use crate::domain::{AppId, CallerKind};
use crate::error::Error;
use crate::methods::CallCtx;

/// A browser session has no app: the user-event methods refuse it, as the other app-bound REST methods do.
pub fn refuse_session(ctx: &CallCtx) -> Result<(), Error> {
    match &ctx.caller.kind {
        CallerKind::Session { .. } => Err(crate::methods::imbot::session_refused()),
        _ => Ok(()),
    }
}

/// The app a user's call comes through: the OAuth app, or the webhook's own app (created on first use).
pub async fn calling_app(ctx: &CallCtx) -> Result<AppId, Error> {
    match &ctx.caller.kind {
        CallerKind::OAuth { app_id, .. } => Ok(*app_id),
        CallerKind::Webhook { id } => {
            let now = ctx.state.clock.unix();
            Ok(crate::store::bots::webhook_app(&ctx.state.store, *id, "", now).await?)
        }
        CallerKind::Session { .. } => Err(crate::methods::imbot::session_refused()),
    }
}
