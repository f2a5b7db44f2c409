//! # The Bitrix24 v2 bot API on the wire (`imbot.v2.*`, `im.v2.*`)
//!
//! The contract is docs/v2.md (a digest of the 69 `chat-bots-v2` reference pages, with every ambiguity and the
//! choice made); this module is its executable part, pure functions without I/O:
//!
//! * [`params`] — reading v2 parameters: exact-case camelCase names, `fields` objects, real booleans (plus
//!   `Y`/`N` and `1`/`0`, see there why), ids, lists, `botToken`, limits and the message truncation rule;
//! * [`requests`] — one typed request per method, parsed once at the edge with the documented defaults and
//!   error codes (ATTACH/KEYBOARD through [`crate::rich`], the v1 format v2 shares);
//! * [`entities`] — User, Bot, Chat, Message, File, Command, Revision as JSON in the documented key order, in
//!   their method and event forms;
//! * [`results`] — each method's `result` shape (`{"result": {"result": true}}`, `{"bot", "users"}`, …);
//! * [`events`] — `ONIMBOTV2*` / `ONIMV2*` `data`, the `Event.get` records and cursor, and the form-encoded
//!   webhook body (PHP `http_build_query`, byte for byte);
//! * [`errors`] — the v2 error codes (all HTTP 400);
//! * [`enums`] — bot types, event modes, backgrounds, colours, reactions, status codes, …;
//! * [`methods`] — the method table (name, scope, bot argument, page).
//!
//! A handler's path: [`methods::find`] → [`params::Obj::root`] over the merged request map (never upper-cased)
//! → [`params::BotRef::parse`] → `requests::X::parse` → store work → `results::…` into the envelope. Failures
//! are [`crate::ApiError`]s; nothing panics on input.

pub mod entities;
pub mod enums;
pub mod errors;
pub mod events;
pub mod methods;
pub mod params;
pub mod requests;
pub mod results;

pub use entities::{
    Bot, BotForm, Chat, Command, CommandCall, CommandForm, File, FileForm, Form, Message, Revision, User,
};
pub use events::{BotEvent, EventData, QueuedEvent, UserEvent, WebhookAuth, WebhookBot};
pub use params::{AuthKind, BotRef, Obj};
