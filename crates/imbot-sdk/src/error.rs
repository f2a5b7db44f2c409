//! The one error type of the crate: [`Error`], and [`Result`].
//!
//! A REST call fails in one of a few ways, and each is its own variant so a bot can react precisely:
//! the server answered a Bitrix error ([`Error::Api`], with the exact `error` code and HTTP status), the OAuth
//! server refused a refresh ([`Error::OAuth`]), the connection failed ([`Error::Transport`]), or the answer was not
//! what the method promises ([`Error::Protocol`], [`Error::Decode`]). Event bodies and rich-message builders have
//! their own error types ([`EventError`], [`BuildError`]) that convert into this one.

use crate::events::EventError;
use crate::rich::BuildError;

/// A boxed error from user code (a [`TokenStore`](crate::TokenStore), a handler).
///
/// ```
/// let e: imbot_sdk::BoxError = "disk full".into();
/// assert_eq!(e.to_string(), "disk full");
/// ```
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `Result` with this crate's [`Error`].
///
/// ```
/// fn answer() -> imbot_sdk::Result<i64> {
///     Ok(42)
/// }
/// assert_eq!(answer().unwrap(), 42);
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in this crate.
///
/// ```
/// use imbot_sdk::Error;
///
/// let e = Error::Api { code: "MESSAGE_EMPTY".into(), description: "Message can't be empty".into(), status: 400 };
/// assert!(e.is_api("MESSAGE_EMPTY"));
/// assert_eq!(e.status(), Some(400));
/// assert_eq!(e.to_string(), "MESSAGE_EMPTY (HTTP 400): Message can't be empty");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The REST server answered `{"error": code, "error_description": description}` with HTTP `status`.
    #[error("{code} (HTTP {status}): {description}")]
    Api {
        /// The machine code, exactly as sent (`MESSAGE_EMPTY`, `expired_token`, `QUERY_LIMIT_EXCEEDED`…).
        code: String,
        /// The human text (may be empty).
        description: String,
        /// The HTTP status of the answer.
        status: u16,
    },
    /// The OAuth server refused to renew the tokens (`invalid_grant`, `invalid_client`…): the refresh token is
    /// used, expired or belongs to another app. The bot must be authorised again.
    #[error("token refresh refused: {code} (HTTP {status}): {description}")]
    OAuth {
        /// The authorization server's `error`.
        code: String,
        /// Its `error_description`.
        description: String,
        /// The HTTP status of the answer.
        status: u16,
    },
    /// The HTTP request could not be made or its answer not read (connection refused, TLS, timeout…).
    #[error("HTTP transport: {0}")]
    Transport(#[from] reqwest::Error),
    /// The answer was not a Bitrix24 envelope (not JSON, or neither `result` nor `error`).
    #[error("unexpected answer to {method} (HTTP {status}): {detail}")]
    Protocol {
        /// The REST method called.
        method: String,
        /// The HTTP status of the answer.
        status: u16,
        /// What was wrong, with the start of the body.
        detail: String,
    },
    /// `result` does not have the shape this crate expects for the method.
    #[error("cannot read the result of {method}: {source}")]
    Decode {
        /// The REST method called.
        method: String,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// A call was made with arguments this crate refuses before sending (params not an object, a batch of more
    /// than 50 commands, a webhook URL that is not one…).
    #[error("invalid argument: {0}")]
    Invalid(String),
    /// The user's [`TokenStore`](crate::TokenStore) failed to save renewed tokens. The client keeps using
    /// them in memory, but they were not persisted.
    #[error("token store: {0}")]
    TokenStore(#[source] BoxError),
    /// An event body could not be read or verified.
    #[error(transparent)]
    Event(#[from] EventError),
    /// An ATTACH, KEYBOARD or MENU builder was given something Bitrix24 would reject or drop.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// An error from user code (a handler), boxed.
    #[error("{0}")]
    Other(#[source] BoxError),
}

impl Error {
    /// Wraps any error of user code.
    ///
    /// ```
    /// let e = imbot_sdk::Error::other(std::io::Error::other("no space left"));
    /// assert_eq!(e.to_string(), "no space left");
    /// ```
    pub fn other(e: impl Into<BoxError>) -> Error {
        Error::Other(e.into())
    }

    /// The Bitrix error code, for [`Error::Api`] and [`Error::OAuth`].
    ///
    /// ```
    /// let e = imbot_sdk::Error::Api { code: "expired_token".into(), description: String::new(), status: 401 };
    /// assert_eq!(e.api_code(), Some("expired_token"));
    /// assert_eq!(imbot_sdk::Error::Invalid("x".into()).api_code(), None);
    /// ```
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } | Error::OAuth { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Is this an [`Error::Api`] with exactly this `code`?
    ///
    /// ```
    /// let e = imbot_sdk::Error::Api { code: "ACCESS_ERROR".into(), description: String::new(), status: 403 };
    /// assert!(e.is_api("ACCESS_ERROR"));
    /// assert!(!e.is_api("access_error"));
    /// ```
    pub fn is_api(&self, code: &str) -> bool {
        matches!(self, Error::Api { code: c, .. } if c == code)
    }

    /// The HTTP status of an answer that was an error, when there was one.
    ///
    /// ```
    /// let e = imbot_sdk::Error::Api { code: "QUERY_LIMIT_EXCEEDED".into(), description: String::new(), status: 503 };
    /// assert_eq!(e.status(), Some(503));
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::OAuth { status, .. } | Error::Protocol { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }
}
