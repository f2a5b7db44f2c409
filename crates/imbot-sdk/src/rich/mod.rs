//! Builders for `ATTACH`, `KEYBOARD` and `MENU` that only produce what Bitrix24 accepts and keeps whole.
//!
//! Bitrix24 drops invalid keyboard buttons and menu items silently and ignores invalid optional links and
//! colours (SPEC-NOTES §7). These builders refuse them instead, at [`build`](Keyboard::build) time, with a
//! [`BuildError`] naming the element and the problem: a button or item has non-empty `TEXT` and exactly one
//! action (a `COMMAND` needs the bot — make the keyboard or menu with `for_bot`), links start with `http://`,
//! `https://` or `/`, colours are `#RGB`/`#RRGGBB`, sizes are positive, and the encoded value stays under the
//! 60 000-character limit. What they build is the documented input shape
//! (`api-reference__chats__messages__attachments.md`, `keyboards.md`, `menu.md`), a [`serde_json::Value`] to put
//! in the `ATTACH` / `KEYBOARD` / `MENU` field of a message; property tests check that imbot-wire's parsers (the
//! server's) accept every value built and drop nothing.
//!
//! ```
//! use imbot_sdk::rich::{Attach, Button, Keyboard, Menu, MenuItem};
//! use imbot_sdk::rich::attach::GridItem;
//!
//! let attach = Attach::new().message("[B]Deploy finished[/B]").grid([GridItem::row("Version", "1.4.2")]).build()?;
//! let keyboard = Keyboard::for_bot(567)
//!     .button(Button::command("Roll back", "rollback", "1.4.2"))
//!     .button(Button::link("Open CI", "https://ci.example.com/42"))
//!     .build()?;
//! let menu = Menu::new().item(MenuItem::copy("Copy version", "1.4.2")).build()?;
//! assert_eq!(keyboard["BOT_ID"], 567);
//! # let _ = (attach, menu);
//! # Ok::<(), imbot_sdk::rich::BuildError>(())
//! ```

pub mod attach;
pub mod keyboard;
pub mod menu;

pub use attach::Attach;
pub use imbot_wire::rich::{ButtonDisplay, ColorToken, Context, GridDisplay};
pub use keyboard::{Button, Keyboard};
pub use menu::{Menu, MenuItem};

use imbot_wire::DialogId;
use imbot_wire::rich::ActionKind;
use serde_json::{Map, Value};

/// Why a builder refused to build: where (`keyboard button 2`, `attach block 1 (LINK)`) and what.
///
/// ```
/// use imbot_sdk::rich::{Button, Keyboard, BuildErrorKind};
/// let err = Keyboard::new().button(Button::link("Docs", "ftp://example.com")).build().unwrap_err();
/// assert_eq!(err.path, "keyboard button 0");
/// assert!(matches!(err.kind, BuildErrorKind::BadLink(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct BuildError {
    /// The element at fault.
    pub path: String,
    /// The problem.
    pub kind: BuildErrorKind,
}

/// The problem of a [`BuildError`].
///
/// ```
/// use imbot_sdk::rich::BuildErrorKind;
/// assert_eq!(BuildErrorKind::EmptyText.to_string(), "TEXT must not be empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// A button, item, message block or user name is empty or blank.
    #[error("TEXT must not be empty")]
    EmptyText,
    /// A link does not start with `http://`, `https://` or `/`.
    #[error("{0:?} is not a link: it must start with http://, https:// or /")]
    BadLink(String),
    /// A colour is not `#RGB` or `#RRGGBB`.
    #[error("{0:?} is not a colour: use #RGB or #RRGGBB")]
    BadColor(String),
    /// A `COMMAND` button or item in a keyboard/menu made without `for_bot`.
    #[error("a COMMAND needs the bot it goes to: make the keyboard or menu with for_bot(bot_id)")]
    NoBot,
    /// A command that is empty or contains white space.
    #[error("{0:?} is not a command: one word after the /, without spaces")]
    BadCommand(String),
    /// An `ACTION` without a value.
    #[error("the ACTION_VALUE must not be empty")]
    EmptyValue,
    /// A size, width or id that is not > 0.
    #[error("{0} must be greater than 0")]
    NotPositive(&'static str),
    /// Nothing in it.
    #[error("nothing to send: add at least one {0}")]
    Empty(&'static str),
    /// Refused by the server-side rules (the 60 000-character limit).
    #[error("{0}")]
    Rejected(String),
}

pub(crate) fn err(path: impl Into<String>, kind: BuildErrorKind) -> BuildError {
    BuildError { path: path.into(), kind }
}

/// What a button or menu item does. Exactly one per button, so an ambiguous button cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    Link(String),
    Command { command: String, params: String },
    Do { kind: ActionKind, value: String },
    App { app_id: i64, params: String },
}

impl Action {
    pub(crate) fn dialog(d: DialogId) -> Action {
        Action::Do { kind: ActionKind::Dialog, value: d.to_string() }
    }

    pub(crate) fn is_command(&self) -> bool {
        matches!(self, Action::Command { .. })
    }

    /// Checks the action and writes its fields.
    pub(crate) fn write(&self, path: &str, bot: Option<i64>, m: &mut Map<String, Value>) -> Result<(), BuildError> {
        match self {
            Action::Link(l) => {
                m.insert("LINK".into(), link(path, l)?.into());
            }
            Action::Command { command, params } => {
                let c = command.trim_start_matches('/');
                if c.is_empty() || c.chars().any(char::is_whitespace) {
                    return Err(err(path, BuildErrorKind::BadCommand(command.clone())));
                }
                if bot.is_none() {
                    return Err(err(path, BuildErrorKind::NoBot));
                }
                m.insert("COMMAND".into(), c.into());
                if !params.trim().is_empty() {
                    m.insert("COMMAND_PARAMS".into(), params.clone().into());
                }
            }
            Action::Do { kind, value } => {
                if value.trim().is_empty() {
                    return Err(err(path, BuildErrorKind::EmptyValue));
                }
                m.insert("ACTION".into(), kind.as_str().into());
                m.insert("ACTION_VALUE".into(), value.clone().into());
            }
            Action::App { app_id, params } => {
                if *app_id <= 0 {
                    return Err(err(path, BuildErrorKind::NotPositive("APP_ID")));
                }
                m.insert("APP_ID".into(), (*app_id).into());
                if !params.trim().is_empty() {
                    m.insert("APP_PARAMS".into(), params.clone().into());
                }
            }
        }
        Ok(())
    }
}

/// `text`, trimmed and non-empty.
pub(crate) fn text(path: &str, t: &str) -> Result<String, BuildError> {
    let t = t.trim();
    if t.is_empty() { Err(err(path, BuildErrorKind::EmptyText)) } else { Ok(t.to_owned()) }
}

pub(crate) fn link(path: &str, l: &str) -> Result<String, BuildError> {
    if imbot_wire::rich::is_valid_link(l) {
        Ok(l.to_owned())
    } else {
        Err(err(path, BuildErrorKind::BadLink(l.to_owned())))
    }
}

pub(crate) fn color(path: &str, c: &str) -> Result<String, BuildError> {
    if imbot_wire::rich::is_hex_color(c) {
        Ok(c.to_owned())
    } else {
        Err(err(path, BuildErrorKind::BadColor(c.to_owned())))
    }
}

pub(crate) fn positive(path: &str, what: &'static str, n: i64) -> Result<i64, BuildError> {
    if n > 0 { Ok(n) } else { Err(err(path, BuildErrorKind::NotPositive(what))) }
}

/// Inserts `key` with a checked optional value.
pub(crate) fn put<T: Into<Value>>(
    m: &mut Map<String, Value>,
    key: &str,
    v: Option<Result<T, BuildError>>,
) -> Result<(), BuildError> {
    if let Some(v) = v {
        m.insert(key.into(), v?.into());
    }
    Ok(())
}

/// The server-side check: the value parses and fits the size limit.
pub(crate) fn server_check(path: &str, r: Result<(), imbot_wire::ApiError>) -> Result<(), BuildError> {
    r.map_err(|e| err(path, BuildErrorKind::Rejected(e.description.to_string())))
}

#[cfg(test)]
mod props;
