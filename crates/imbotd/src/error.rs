//! The server's one error type, mapped once to the wire.
//!
//! Methods and transport return `Error`. A Bitrix-facing error (`Error::Api`) goes to the client as is;
//! anything else is an internal failure: it is logged with its whole cause chain and the client sees only
//! `500 INTERNAL_SERVER_ERROR`, never a message from SQLite or a panic. One internal failure is the client's to
//! retry: no database connection became free within the pool's wait (the server is overloaded) is
//! `503 QUERY_LIMIT_EXCEEDED` with `Retry-After`, which Bitrix clients already back off and retry on.

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

    /// Whether the failure is an overload the client should retry later (no database connection became free in
    /// time).
    pub fn is_overload(&self) -> bool {
        matches!(self, Error::Store(StoreError::Db(sqlx::Error::PoolTimedOut)))
    }

    /// What the client sees. Internal errors are logged here, once, with their cause chain.
    pub fn to_api(&self) -> ApiError {
        match self {
            Error::Api(e) => e.clone(),
            other if other.is_overload() => {
                tracing::warn!("overloaded: no database connection became free in time; answering 503");
                ApiError::with(
                    ErrorCode::QUERY_LIMIT_EXCEEDED,
                    "The server is overloaded (no database connection became free in time); retry later".to_owned(),
                )
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overload_is_a_503_to_retry_and_other_failures_are_500() {
        let busy = Error::from(sqlx::Error::PoolTimedOut);
        assert!(busy.is_overload());
        let api = busy.to_api();
        assert_eq!((api.status, api.code.as_ref()), (503, "QUERY_LIMIT_EXCEEDED"));
        let broken = Error::from(sqlx::Error::RowNotFound);
        assert!(!broken.is_overload());
        let api = broken.to_api();
        assert_eq!((api.status, api.code.as_ref()), (500, "INTERNAL_SERVER_ERROR"));
        assert_eq!(api.description, "Internal server error", "no database detail reaches the client");
    }
}
