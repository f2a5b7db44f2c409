//! REST methods: one file per wire method, grouped by scope, and one registry that dispatches by name.
//!
//! Each method file declares a `SPEC` ([`MethodSpec`]): the Bitrix name, the scopes that grant it, a link to
//! its documentation page, how its top-level parameter names are read, and its handler. The handler parses the
//! merged [`Params`] into the method's typed request, does the work through `domain`/`store`, and returns an
//! [`Output`] (`result` plus optional paging) or an [`Error`]. The transport (`http::rest`) wraps that into the
//! Bitrix envelope; `batch` calls the same registry for its sub-commands.

pub mod basic;
pub mod dispatch;
pub mod event;
pub mod ext;
pub mod im;
pub mod im_v2;
pub mod imbot;
pub mod imbot_v2;
pub mod registry;
pub mod user;

use crate::app::AppState;
use crate::domain::{Caller, Scope};
use crate::error::Error;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use imbot_wire::Params;
use serde_json::Value;
use std::sync::Arc;

pub use registry::{find, registry};

/// Everything a method may know about its call.
#[derive(Clone)]
pub struct CallCtx {
    pub state: Arc<AppState>,
    pub caller: Caller,
    /// The `start` request parameter: list offset (`Some(-1)` = "don't count": omit `total`).
    pub start: Option<i64>,
    pub now: DateTime<Utc>,
    /// Nesting: 0 for a direct call, 1 inside `batch`.
    pub depth: u8,
}

/// A method's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub result: Value,
    pub next: Option<u64>,
    pub total: Option<u64>,
}

impl Output {
    pub fn new(result: Value) -> Output {
        Output { result, next: None, total: None }
    }
}

impl<T: Into<Value>> From<T> for Output {
    fn from(v: T) -> Self {
        Output::new(v.into())
    }
}

/// How a method reads top-level parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamCase {
    /// `array_change_key_case(CASE_UPPER)`: im/imbot v1 and user methods.
    Upper,
    /// Names as sent (basic methods read `full`, `scope`, `name`, `cmd`, `halt` in lower case).
    AsSent,
}

pub type HandlerFn = for<'a> fn(&'a CallCtx, Params) -> BoxFuture<'a, Result<Output, Error>>;

/// The static description of one wire method.
pub struct MethodSpec {
    /// Lower-case Bitrix name, e.g. `user.get`.
    pub name: &'static str,
    /// Any of these scopes grants the method; empty = `basic` (always allowed).
    pub scopes: &'static [Scope],
    /// The documentation page this method follows.
    pub doc: &'static str,
    pub case: ParamCase,
    /// May run inside `batch`.
    pub batchable: bool,
    pub handler: HandlerFn,
}

impl std::fmt::Debug for MethodSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MethodSpec").field("name", &self.name).finish()
    }
}

impl MethodSpec {
    /// Whether `caller` holds a scope that grants this method.
    pub fn allowed_for(&self, caller: &Caller) -> bool {
        self.scopes.is_empty() || caller.scopes.allows_any(self.scopes)
    }

    /// The scope the method is listed under in `methods`/`scope` answers.
    pub fn primary_scope(&self) -> Scope {
        self.scopes.first().copied().unwrap_or(Scope::Basic)
    }
}

/// Declare a method's handler function pointer from an `async fn call(&CallCtx, Params) -> Result<Output>`.
#[macro_export]
macro_rules! handler {
    ($f:path) => {{
        fn boxed<'a>(
            ctx: &'a $crate::methods::CallCtx,
            p: imbot_wire::Params,
        ) -> futures_util::future::BoxFuture<'a, Result<$crate::methods::Output, $crate::error::Error>> {
            Box::pin($f(ctx, p))
        }
        boxed as $crate::methods::HandlerFn
    }};
}
