//! Typed message parameters: `ATTACH`, `KEYBOARD` and `MENU` (SPEC-NOTES §7.2–7.5, COMPAT R20/R21).
//!
//! A message method reads each of these parameters **once, at the edge**, into a typed value; everything behind
//! it (store, events, the web chat) works with the types and their normalised stored form, never with the raw
//! request shape.
//!
//! # Input forms (all three parameters)
//!
//! The value is taken from the request's parameter map as it is: form input gives strings and objects keyed
//! `"0"`, `"1"`, … (read as lists with [`as_php_list`]), JSON gives arrays, numbers and booleans. Each parameter
//! accepts
//! * a **JSON string** — decoded with `serde_json` and then read like the other forms. Bitrix decodes with
//!   `CUtil::JsObjectToPhp`, which also tolerates some non-JSON JavaScript; we accept strict JSON only, and a
//!   string that is not JSON (or decodes to a scalar) is the `*_ERROR` of the parameter;
//! * the **full object** — `{"BUTTONS": […], "BOT_ID", "COLORS", "VOTE"}`, `{"ITEMS": […], "BOT_ID"}`,
//!   `{"BLOCKS": […], "ID", "COLOR", "COLOR_TOKEN"}`;
//! * the **short form** — a bare array of buttons / items / blocks (Bitrix wraps it itself). An object that
//!   has neither the wrapping key nor list keys is iterated like PHP's `foreach` (its values in order).
//!
//! # Absent, clear, set — [`Field`]
//!
//! * absent parameter or JSON `null` → [`Field::Absent`] (PHP `isset` is false for null, so Bitrix leaves the
//!   stored value alone on update);
//! * anything PHP's `empty()` calls empty (`""`, `"0"`, `0`, `false`, `[]`, `{}`), the string `"N"` (any case,
//!   surrounding spaces ignored) and a JSON string that decodes to an empty array/object → [`Field::Clear`]:
//!   "no keyboard" on add, "remove it" on update (SPEC-NOTES §13 fact 24, COMPAT R20);
//! * otherwise the parsed value, [`Field::Set`], or an [`ApiError`] (`400 *_ERROR` / `400 *_OVERSIZE`).
//!
//! # Leniency rules common to the three parsers
//!
//! * Inner keys are case-sensitive, as in Bitrix (`TEXT`, not `text`); unknown keys are ignored (COMPAT R21).
//! * Enumerations (`ACTION`, `CONTEXT`, `DISPLAY`, `*_TOKEN`, `AVATAR_TYPE`, `TYPE:"NEWLINE"`) are read
//!   ASCII-case-insensitively and flags (`Y`/`N`) also accept `y`, `1`, `true` and JSON booleans. PHP compares
//!   exact upper-case strings; reading more never rejects something Bitrix accepts.
//! * Links ([`is_valid_link`]) must match Bitrix's `#^(?:/|https?://)#` (the scheme is compared
//!   case-insensitively). Colours ([`is_hex_color`]) must be `#RGB` or `#RRGGBB`. An optional colour or link that
//!   fails is ignored, as Bitrix ignores it; a required link that fails is an error.
//! * Optional numbers (`WIDTH`, `HEIGHT`, `SIZE`, `USER_ID`, …) are kept only when they are integers > 0
//!   (Bitrix `intval(...) > 0`); optional text fields of the wrong type (arrays) are ignored.
//! * Text is not HTML-escaped. Bitrix runs `htmlspecialcharsbx` over button texts and links when it stores them;
//!   we store the text as given and leave escaping to whoever renders it (the web chat must escape, and must
//!   sanitise or drop the attach `LINK.HTML` field).
//!
//! # Stored form and round trip
//!
//! Every type has `to_value()`, the **normalised stored form** in Bitrix's shape (what `im.dialog.messages.get`
//! returns in `params` and what events carry): a keyboard is the array of stored buttons (each with `TYPE`,
//! `BOT_ID`, `VOTE`, `WAIT:"N"`, `CONTEXT`, `DISABLED`, `DISPLAY`, `BG_COLOR_TOKEN` filled in), a menu the array
//! of stored items, an attach the array of attach objects (a message may carry several). Parsing the stored
//! form gives the value back: `parse(Some(&x.to_value()), None) == Ok(Field::Set(x))` for every value the
//! parsers produce (`from_stored` is the same parse, for reading the database back). Values built by hand that
//! break an invariant documented on a type (an empty `TEXT`, a COMMAND button with `bot_id` 0, …) don't round-trip.
//!
//! # Size ([`MAX_ENCODED_LEN`])
//!
//! The stored form, JSON-encoded as PHP's `Json::encode` would ([`crate::json::to_php_json`]: `\/`, `\u003C`…
//! escapes, raw non-ASCII) and counted in characters (`mb_strlen`), must be **< 60 000** or the parse fails
//! with `ATTACH_OVERSIZE` / `KEYBOARD_OVERSIZE` / `MENU_OVERSIZE` (SPEC-NOTES §7.5, §12.1). The v1
//! `imbot.message.add`/`update` pages still say "30 KB"; that is stale, the source and the v2 pages say 60 000
//! characters. (Bitrix's `imbot.message.add` happens not to check KEYBOARD/MENU size on add, §12.25; we always
//! check — no bot depends on sending a 60 000-character keyboard.)

use crate::error::{ApiError, ErrorCode};
use crate::json::{as_php_list, to_php_json};
use crate::params::value_int;
use serde_json::{Map, Value};
use std::borrow::Cow;

pub mod attach;
pub mod keyboard;
pub mod menu;

pub use attach::{
    Attach, Attachment, AvatarType, Block, Delimiter, FileItem, GridDisplay, GridItem, ImageItem, LinkBlock, UserBlock,
};
pub use keyboard::{Button, ButtonDisplay, Keyboard, KeyboardItem};
pub use menu::{Menu, MenuItem};

/// The stored form of an ATTACH, KEYBOARD or MENU, JSON-encoded, must be shorter than this many characters
/// (`< 60000`). The v1 method pages say "30 KB"; the source and the v2 pages say 60 000 characters.
pub const MAX_ENCODED_LEN: usize = 60_000;

/// How a message parameter was given: absent (leave as is), explicitly none (clear it), or a value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Field<T> {
    /// Not in the request, or JSON `null`.
    #[default]
    Absent,
    /// `""`, `"N"`, `"0"`, `false`, `[]`, `{}`: no value (on update: remove the stored one).
    Clear,
    /// A parsed value.
    Set(T),
}

impl<T> Field<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    pub fn is_clear(&self) -> bool {
        matches!(self, Field::Clear)
    }

    pub fn as_set(&self) -> Option<&T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    /// The value when set; `None` for both absent and clear (what an *add* method needs).
    pub fn into_set(self) -> Option<T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    /// What an *update* method needs: `None` = leave unchanged, `Some(None)` = clear, `Some(Some(v))` = set.
    pub fn into_update(self) -> Option<Option<T>> {
        match self {
            Field::Absent => None,
            Field::Clear => Some(None),
            Field::Set(v) => Some(Some(v)),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Clear => Field::Clear,
            Field::Set(v) => Field::Set(f(v)),
        }
    }
}

string_enum! { parse_ci:
    /// `ACTION` of a button or menu item (IM revision ≥ 28). `LIVECHAT` and `HELP` are Bitrix-internal
    /// actions the source also accepts.
    pub enum ActionKind {
        /// Insert `ACTION_VALUE` into the input field.
        Put = "PUT",
        /// Send `ACTION_VALUE` as a message.
        Send = "SEND",
        /// Copy `ACTION_VALUE` to the clipboard.
        Copy = "COPY",
        /// Call the phone number in `ACTION_VALUE`.
        Call = "CALL",
        /// Open the dialog `ACTION_VALUE` (`chatXXX` or a user id).
        Dialog = "DIALOG",
        Livechat = "LIVECHAT",
        Help = "HELP",
    }
}

string_enum! { parse_ci:
    /// `CONTEXT` of a button or menu item: where it is shown. Default `ALL`.
    #[derive(Default)]
    pub enum Context {
        #[default]
        All = "ALL",
        Mobile = "MOBILE",
        Desktop = "DESKTOP",
    }
}

string_enum! { parse_ci:
    /// A colour token (`BG_COLOR_TOKEN` of a button, `COLOR_TOKEN` of an attach or grid item).
    #[derive(Default)]
    pub enum ColorToken {
        #[default]
        Base = "base",
        Primary = "primary",
        Secondary = "secondary",
        Alert = "alert",
    }
}

/// What pressing a keyboard button or choosing a menu item does. Bitrix takes the first that is valid, in this
/// priority: **LINK > FUNCTION > APP_ID > ACTION+ACTION_VALUE > COMMAND** (SPEC-NOTES §7.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonAction {
    /// `LINK`: opens the URL (`/…`, `http://…`, `https://…`).
    Link(String),
    /// `FUNCTION`: a Bitrix-internal client function name. Kept for fidelity; a client must never execute it.
    Function(String),
    /// `APP_ID` (> 0) + `APP_PARAMS` (`""` when absent): opens a chat application (deprecated, open lines).
    App { app_id: i64, params: String },
    /// `ACTION` + non-blank `ACTION_VALUE`, executed by the client.
    Action { kind: ActionKind, value: String },
    /// `COMMAND` (leading `/` and surrounding spaces removed, non-empty) + `COMMAND_PARAMS` (`""` when absent or
    /// blank): fires ONIMCOMMANDADD for the button's bot, which must be > 0.
    Command { command: String, params: String },
}

impl ButtonAction {
    /// The bot command, if this is a COMMAND action.
    pub fn command(&self) -> Option<(&str, &str)> {
        match self {
            ButtonAction::Command { command, params } => Some((command, params)),
            _ => None,
        }
    }

    /// Appends the action's stored fields to `m`.
    pub(crate) fn write(&self, m: &mut Map<String, Value>) {
        match self {
            ButtonAction::Link(l) => {
                m.insert("LINK".into(), l.clone().into());
            }
            ButtonAction::Function(f) => {
                m.insert("FUNCTION".into(), f.clone().into());
            }
            ButtonAction::App { app_id, params } => {
                m.insert("APP_ID".into(), (*app_id).into());
                m.insert("APP_PARAMS".into(), params.clone().into());
            }
            ButtonAction::Action { kind, value } => {
                m.insert("ACTION".into(), kind.as_str().into());
                m.insert("ACTION_VALUE".into(), value.clone().into());
            }
            ButtonAction::Command { command, params } => {
                m.insert("COMMAND".into(), command.clone().into());
                m.insert("COMMAND_PARAMS".into(), params.clone().into());
            }
        }
    }

    /// Reads the action of a button or menu item; `bot_id` is the bot its COMMAND would go to (0 = none).
    /// The error is the reason the button is dropped.
    pub(crate) fn read(obj: &Map<String, Value>, bot_id: i64) -> Result<ButtonAction, String> {
        let link = text(obj, "LINK");
        if let Some(l) = &link {
            if is_valid_link(l) {
                return Ok(ButtonAction::Link(l.clone()));
            }
        }
        if let Some(f) = nonblank(obj, "FUNCTION") {
            return Ok(ButtonAction::Function(f));
        }
        if let Some(app_id) = pos_int(obj, "APP_ID") {
            let params = nonblank(obj, "APP_PARAMS").unwrap_or_default();
            return Ok(ButtonAction::App { app_id, params });
        }
        let kind = text(obj, "ACTION").map(|a| (ActionKind::parse(&a), a));
        if let (Some((Some(kind), _)), Some(value)) = (&kind, nonblank(obj, "ACTION_VALUE")) {
            return Ok(ButtonAction::Action { kind: *kind, value });
        }
        if let Some(command) = text(obj, "COMMAND").map(|c| normalise_command(&c)).filter(|c| !c.is_empty()) {
            if bot_id <= 0 {
                return Err(format!(
                    "COMMAND {command:?} needs a bot: pass BOT_ID in the keyboard/menu object (im.* methods and updates)"
                ));
            }
            let params = nonblank(obj, "COMMAND_PARAMS").unwrap_or_default();
            return Ok(ButtonAction::Command { command, params });
        }
        // Nothing usable: say why, most specific first.
        Err(match (link, kind) {
            (Some(l), _) => format!("LINK {l:?} must start with http://, https:// or /"),
            (None, Some((None, a))) => {
                format!("ACTION {a:?} is not one of PUT, SEND, COPY, CALL, DIALOG")
            }
            (None, Some((Some(_), _))) => "ACTION_VALUE is missing or empty".to_owned(),
            (None, None) => "no action: give LINK, COMMAND, ACTION with ACTION_VALUE, or APP_ID".to_owned(),
        })
    }
}

/// `COMMAND` as stored: leading `/` and white space stripped (Bitrix strips one leading `/`; stripping all makes
/// the rule idempotent), trailing white space trimmed.
pub(crate) fn normalise_command(c: &str) -> String {
    c.trim_start_matches(|ch: char| ch == '/' || ch.is_whitespace()).trim_end().to_owned()
}

/// A link Bitrix accepts: root-relative (`/…`) or absolute `http://` / `https://` (regex `#^(?:/|https?://)#`;
/// the scheme is compared case-insensitively here).
pub fn is_valid_link(s: &str) -> bool {
    fn has_prefix(s: &str, p: &str) -> bool {
        s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    }
    s.starts_with('/') || has_prefix(s, "http://") || has_prefix(s, "https://")
}

/// `#RGB` or `#RRGGBB` (Bitrix `/^#([\da-f]{6}|[\da-f]{3})$/i`).
pub fn is_hex_color(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 4 || b.len() == 7) && b[0] == b'#' && b[1..].iter().all(u8::is_ascii_hexdigit)
}

/// Length, in characters, of `v` encoded like PHP's `Json::encode` — the measure of [`MAX_ENCODED_LEN`].
pub fn encoded_len(v: &Value) -> usize {
    String::from_utf8_lossy(&to_php_json(v)).chars().count()
}

// ---------------------------------------------------------------------------------------------------------------
// Shared reading helpers.

/// The parameter after the "absent / clear" decision and JSON-string decoding.
pub(crate) enum Decoded<'a> {
    Absent,
    Clear,
    Value(Cow<'a, Value>),
}

/// Applies the absent/clear rules and decodes a JSON string; the error is a detail for `*_ERROR`.
pub(crate) fn decode(value: Option<&Value>) -> Result<Decoded<'_>, String> {
    let v = match value {
        None | Some(Value::Null) => return Ok(Decoded::Absent),
        Some(v) => v,
    };
    match v {
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() || t == "0" || t.eq_ignore_ascii_case("N") {
                return Ok(Decoded::Clear);
            }
            match serde_json::from_str::<Value>(t) {
                Ok(Value::Array(a)) if a.is_empty() => Ok(Decoded::Clear),
                Ok(Value::Object(o)) if o.is_empty() => Ok(Decoded::Clear),
                Ok(d @ (Value::Array(_) | Value::Object(_))) => Ok(Decoded::Value(Cow::Owned(d))),
                Ok(_) => Err("the JSON string must encode an object or an array".to_owned()),
                Err(e) => Err(format!("not valid JSON ({e})")),
            }
        }
        Value::Bool(false) => Ok(Decoded::Clear),
        Value::Number(n) if n.as_f64() == Some(0.0) => Ok(Decoded::Clear),
        Value::Array(a) if a.is_empty() => Ok(Decoded::Clear),
        Value::Object(o) if o.is_empty() => Ok(Decoded::Clear),
        Value::Array(_) | Value::Object(_) => Ok(Decoded::Value(Cow::Borrowed(v))),
        other => Err(format!("expected a JSON string, an object or an array, got {other}")),
    }
}

/// The elements of a list-like value with a label for messages: a JSON array or an object keyed `0..n-1` (by
/// index), any other object (its values in order, labelled by key, like PHP `foreach`). `None` for scalars.
pub(crate) fn entries(v: &Value) -> Option<Vec<(String, &Value)>> {
    if let Some(list) = as_php_list(v) {
        return Some(list.into_iter().enumerate().map(|(i, x)| (i.to_string(), x)).collect());
    }
    match v {
        Value::Object(m) => Some(m.iter().map(|(k, x)| (format!("{k:?}"), x)).collect()),
        _ => None,
    }
}

/// One object or a list of objects (`{"LINK": {…}}` and `{"LINK": [{…}, …]}` alike). `None` when `v` is a
/// scalar; the list may be empty.
pub(crate) fn one_or_many(v: &Value) -> Option<Vec<&Value>> {
    match as_php_list(v) {
        Some(list) => Some(list),
        None => match v {
            Value::Object(_) => Some(vec![v]),
            _ => None,
        },
    }
}

/// A scalar field as text (numbers in decimal, booleans as PHP prints them); `None` when absent, null or not a
/// scalar.
pub(crate) fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(scalar)
}

/// A scalar value as text (numbers in decimal, booleans as PHP prints them); `None` for null and containers.
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("1".to_owned()),
        Value::Bool(false) => Some(String::new()),
        _ => None,
    }
}

/// [`text`] when it is not blank (kept as given, not trimmed).
pub(crate) fn nonblank(obj: &Map<String, Value>, key: &str) -> Option<String> {
    text(obj, key).filter(|s| !s.trim().is_empty())
}

/// [`text`] trimmed, when not empty.
pub(crate) fn trimmed(obj: &Map<String, Value>, key: &str) -> Option<String> {
    text(obj, key).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// An integer > 0, else `None`.
pub(crate) fn pos_int(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    obj.get(key).and_then(value_int).filter(|n| *n > 0)
}

/// A valid `#RGB`/`#RRGGBB` colour, else `None`.
pub(crate) fn color(obj: &Map<String, Value>, key: &str) -> Option<String> {
    text(obj, key).filter(|c| is_hex_color(c))
}

/// A valid link, else `None` (for optional links, which Bitrix silently ignores when invalid).
pub(crate) fn link(obj: &Map<String, Value>, key: &str) -> Option<String> {
    text(obj, key).filter(|l| is_valid_link(l))
}

/// A `Y`/`N` flag: `Y`/`y`, `1`, `true` and non-zero numbers are set; anything else (or absent) is not.
pub(crate) fn flag(obj: &Map<String, Value>, key: &str) -> bool {
    match obj.get(key) {
        Some(Value::String(s)) => {
            let s = s.trim();
            s.eq_ignore_ascii_case("Y") || s == "1" || s.eq_ignore_ascii_case("true")
        }
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        _ => false,
    }
}

pub(crate) fn yn(b: bool) -> Value {
    Value::from(if b { "Y" } else { "N" })
}

/// An enumeration field, `None` when absent or not one of the values.
pub(crate) fn enum_field<T>(obj: &Map<String, Value>, key: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    text(obj, key).and_then(|s| parse(&s))
}

/// `CODE` with Bitrix's default text and a specific detail: `"Incorrect keyboard params: button 2: …"`.
pub(crate) fn error(code: ErrorCode, detail: impl std::fmt::Display) -> ApiError {
    ApiError::with(code, format!("{}: {detail}", code.description))
}

/// `*_OVERSIZE` unless the stored form is shorter than [`MAX_ENCODED_LEN`] characters.
pub(crate) fn check_size(stored: &Value, code: ErrorCode) -> Result<(), ApiError> {
    let len = encoded_len(stored);
    if len < MAX_ENCODED_LEN {
        Ok(())
    } else {
        Err(error(code, format!("{len} characters of JSON, the limit is less than {MAX_ENCODED_LEN}")))
    }
}

/// Joins the reasons buttons/items were dropped, at most five of them.
pub(crate) fn summarise(reasons: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = reasons.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("; ");
    if reasons.len() > SHOWN {
        s.push_str(&format!("; and {} more", reasons.len() - SHOWN));
    }
    s
}
