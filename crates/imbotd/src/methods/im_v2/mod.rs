//! The v2 user API, `im.v2.*` (docs/v2.md §3.7): methods that act as the calling user — the webhook's user,
//! the OAuth token's user or a web session — with scope `im`, no `botId`/`botToken`. One file per method.
//!
//! Parameters are read as sent (camelCase: `ParamCase::AsSent`) through `imbot_wire::v2`'s typed requests;
//! the rules are the messenger's, as for the v1 `im.*` methods.
//!
//! Failure modes: every refusal is a documented v2 code with HTTP 400 (docs/v2.md §2.6); store errors are 500.

pub mod file_download;
pub mod file_upload;

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
