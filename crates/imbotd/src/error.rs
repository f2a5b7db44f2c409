//! The server's one error type, mapped once to the wire.
//!
//! Methods and transport return `Error`. A Bitrix-facing error (`Error::Api`) goes to the client as is;
//! anything else is an internal failure: it is logged with its whole cause chain and the client sees only
//! `500 INTERNAL_SERVER_ERROR`, never a message from SQLite or a panic.

use crate::store::StoreError;
use imbot_wire::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<ErrorCode> for Error {
    fn from(c: ErrorCode) -> Self {
        Error::Api(ApiError::new(c))
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Store(StoreError::Db(e))
    }
}

impl Error {
    /// A catalogued error with a specific description.
    pub fn api(code: ErrorCode, description: impl Into<String>) -> Self {
        Error::Api(ApiError::with(code, description.into()))
    }

    /// What the client sees. Internal errors are logged here, once, with their cause chain.
    pub fn to_api(&self) -> ApiError {
        match self {
            Error::Api(e) => e.clone(),
            other => {
                let mut chain = other.to_string();
                let mut src = std::error::Error::source(other);
                while let Some(s) = src {
                    chain.push_str(": ");
                    chain.push_str(&s.to_string());
                    src = s.source();
                }
                tracing::error!(error = %chain, "internal error");
                ApiError::new(ErrorCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}
