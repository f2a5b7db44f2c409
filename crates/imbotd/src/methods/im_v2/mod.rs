//! The `im.v2.*` methods (docs/v2.md §3.7): scope `im`, acting as the calling user (OAuth or webhook), parameters
//! read as sent (camelCase). No `botId`: these are the user's side of the v2 API — recording the user's message
//! events (`Event.subscribe`, `unsubscribe`, `get`) and handing a bot the context a dialog was opened with
//! (`Chat.Bot.sendContext`).
//!
//! Failure modes: the documented codes with HTTP 400; a browser session is refused as for other REST methods.

pub mod event;
pub mod send_context;

/// A method's [`crate::methods::MethodSpec`]: scope `im`, parameters as sent, a `chat-bots-v2` page.
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

/// The app a user's call comes through: the OAuth app, or the webhook's own app.
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
