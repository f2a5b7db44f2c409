//! Reading v2 request parameters (docs/v2.md §2): exact-case camelCase names, real booleans, `fields`
//! objects, ids, lists, `botToken`, and the documented limits.
//!
//! A v2 request is the same merged parameter map as a v1 one ([`crate::Params`]: query, form, multipart or
//! JSON body), but it is **not** upper-cased and names are **case-sensitive**: `botId`, `fields.message`.
//! `BOTID` or `botid` is simply not `botId` (Bitrix binds v2 parameters by exact name). [`Obj`] is a read-only
//! view of one level (the top level, `fields`, `fields.properties`, …) that knows its path, so every error
//! names the parameter as the client wrote it (`fields.isHidden`).
//!
//! # Value rules
//!
//! * **Absent** — a key that is missing, JSON `null`, or the empty string (form clients cannot send `null`; PHP
//!   clients send `""` for it) reads as absent everywhere, except where the raw value matters
//!   ([`Obj::raw`]: `backgroundId: null` resets, `title: {"en": null}` deletes).
//! * **Integers** — JSON integers (or integral floats) and decimal strings, surrounding spaces allowed.
//! * **Booleans** ([`parse_bool`]) — JSON `true`/`false`; the strings `Y`/`N` that the docs allow for clients
//!   without JSON booleans; `1`/`0` (JSON numbers or strings), because PHP's `http_build_query` — CRest, the
//!   official PHP SDK — encodes `true`/`false` as `1`/`0`; and `true`/`false` as strings, which form encoders
//!   of JavaScript and Python produce. All string forms are ASCII-case-insensitive. Anything else is a
//!   `400 ERROR_ARGUMENT` naming the parameter: PHP truthiness would read `"N"` and `"false"` as true, which is
//!   exactly the bug change log BOT-FIX-0402-2 fixed.
//! * **Strings** — JSON strings, and numbers/booleans printed as PHP would; an array or object where a string
//!   is expected is `400 ERROR_ARGUMENT`.
//! * **Lists** ([`Obj::id_list`]) — a JSON array, a PHP list (`userIds[]=1&userIds[]=2`, keyed `"0".."n-1"`),
//!   a single id, or a comma-separated string; entries that are not positive integers are skipped, duplicates
//!   dropped, order kept.
//!
//! # Failure
//!
//! Nothing panics on input. Missing required parameters without a documented code are
//! `400 ERROR_ARGUMENT "Could not find value for parameter {name}"` (Bitrix's binder text); present but unusable
//! ids are the method's own not-found error, chosen by the caller.

use crate::error::{ApiError, ErrorCode};
use crate::ids::DialogId;
use crate::json::as_php_list;
use crate::params::{scalar_string, value_int};
use crate::v2::errors;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Message text limit in characters (`CIMMessenger::MESSAGE_LIMIT`).
pub const MAX_MESSAGE_LEN: usize = 20_000;
/// What a truncated message ends with.
pub const TRUNCATION_SUFFIX: &str = " (...)";
/// Longest `botToken` that may be set (register, rotation). Longer tokens set before the limit still work.
pub const MAX_BOT_TOKEN_LEN: usize = 40;
/// Bots one application may register through v2.
pub const MAX_BOTS_PER_APP: usize = 100;
/// Largest decoded `File.upload` content: 100 MB, read as MiB.
pub const MAX_FILE_SIZE: usize = 100 * 1024 * 1024;
/// Most entries of `fields.forwardIds`.
pub const MAX_FORWARD_IDS: usize = 100;

/// A documented numeric range with its default; values outside are clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub min: i64,
    pub max: i64,
    pub default: i64,
}

impl Limit {
    /// `Event.get` / `im.v2.Event.get` `limit`: 1–1000, default 100.
    pub const EVENT_GET: Limit = Limit { min: 1, max: 1000, default: 100 };
    /// `Chat.User.list` `limit`: 1–200, default 50.
    pub const CHAT_USER_LIST: Limit = Limit { min: 1, max: 200, default: 50 };
    /// `Chat.Message.getContext` `range`: 1–50, default 50.
    pub const CONTEXT_RANGE: Limit = Limit { min: 1, max: 50, default: 50 };
    /// `Bot.list` `limit`: default 50; no maximum is documented, 100 (the bot limit) fits every app in a page.
    pub const BOT_LIST: Limit = Limit { min: 1, max: 100, default: 50 };
    /// `Chat.InputAction.notify` `duration` in seconds: 1–600; absent means the server's default.
    pub const INPUT_ACTION_DURATION: Limit = Limit { min: 1, max: 600, default: 30 };

    /// The value clamped into the range, or the default when absent.
    pub fn apply(&self, v: Option<i64>) -> i64 {
        v.map_or(self.default, |v| v.clamp(self.min, self.max))
    }
}

/// Truncates message text the way Bitrix does: a text longer than 20 006 characters keeps its first 20 000
/// characters and gets `" (...)"` (so the result is at most 20 006 characters; texts of 20 001–20 006 stay as
/// they are). Characters are Unicode scalar values (`mb_strlen`).
pub fn truncate_message(text: &str) -> Cow<'_, str> {
    let limit = MAX_MESSAGE_LEN + TRUNCATION_SUFFIX.len();
    match text.char_indices().nth(limit) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let cut = text.char_indices().nth(MAX_MESSAGE_LEN).map_or(text.len(), |(i, _)| i);
            let mut s = String::with_capacity(cut + TRUNCATION_SUFFIX.len());
            s.push_str(&text[..cut]);
            s.push_str(TRUNCATION_SUFFIX);
            Cow::Owned(s)
        }
    }
}

/// A v2 boolean: `true`/`false`, `"Y"`/`"N"`, `1`/`0`, `"1"`/`"0"`, `"true"`/`"false"` (strings in any case,
/// spaces ignored). `None` for anything else, including `""` (which callers treat as absent).
pub fn parse_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().and_then(|f| {
            if f == 1.0 {
                Some(true)
            } else if f == 0.0 {
                Some(false)
            } else {
                None
            }
        }),
        Value::String(s) => {
            let s = s.trim();
            if s.eq_ignore_ascii_case("y") || s.eq_ignore_ascii_case("true") || s == "1" {
                Some(true)
            } else if s.eq_ignore_ascii_case("n") || s.eq_ignore_ascii_case("false") || s == "0" {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `400 ERROR_ARGUMENT` with a description.
pub fn argument_error(description: impl Into<Cow<'static, str>>) -> ApiError {
    ApiError::with(ErrorCode::ERROR_ARGUMENT, description)
}

/// `400 ERROR_ARGUMENT "Could not find value for parameter {name}"`.
pub fn missing(name: &str) -> ApiError {
    argument_error(format!("Could not find value for parameter {{{name}}}"))
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// `{langCode: text}` entries in the order given; `None` text = delete that language.
pub type LangTexts = Vec<(String, Option<String>)>;

/// One level of v2 parameters with its path (`""`, `"fields."`, `"fields.properties."`).
#[derive(Debug, Clone, Copy)]
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Obj<'a> {
    /// The top level of a request.
    pub fn root(map: &'a Map<String, Value>) -> Self {
        Obj { map, path: "" }
    }

    /// An empty object (a `fields` the client did not send).
    pub fn empty(path: &'a str) -> Obj<'a> {
        Obj { map: EMPTY.get_or_init(Map::new), path }
    }

    /// The underlying map.
    pub fn map(&self) -> &'a Map<String, Value> {
        self.map
    }

    /// The full name of `key` as the client wrote it: `fields.isHidden`.
    pub fn name(&self, key: &str) -> String {
        format!("{}{key}", self.path)
    }

    /// The value as sent, `null` included (exact case).
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// The value unless absent, `null` or blank.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !is_blank(v))
    }

    /// Whether the key was sent at all (even as `null`).
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// A scalar as text (not trimmed); containers are an error.
    pub fn string(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(_) | Value::Object(_)) => {
                Err(argument_error(format!("Parameter {} must be a string", self.name(key))))
            }
            Some(v) => Ok(scalar_string(v)),
        }
    }

    /// [`Obj::string`] trimmed, `None` when empty.
    pub fn trimmed(&self, key: &str) -> Result<Option<String>, ApiError> {
        Ok(self.string(key)?.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
    }

    /// An integer; anything else is `ERROR_ARGUMENT`.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ (Value::Number(_) | Value::String(_))) => value_int(v)
                .map(Some)
                .ok_or_else(|| argument_error(format!("Parameter {} must be an integer", self.name(key)))),
            Some(_) => Err(argument_error(format!("Parameter {} must be an integer", self.name(key)))),
        }
    }

    /// A required positive id: absent → [`missing`]; present but not a positive integer → `bad`.
    pub fn id(&self, key: &str, bad: ErrorCode) -> Result<i64, ApiError> {
        match self.get(key) {
            None => Err(missing(&self.name(key))),
            Some(v) => value_int(v).filter(|n| *n > 0).ok_or_else(|| ApiError::new(bad)),
        }
    }

    /// An optional positive id: absent → `None`; present but not a positive integer → `bad`.
    pub fn opt_id(&self, key: &str, bad: ErrorCode) -> Result<Option<i64>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => value_int(v).filter(|n| *n > 0).map(Some).ok_or_else(|| ApiError::new(bad)),
        }
    }

    /// A boolean ([`parse_bool`]); anything unrecognised is `ERROR_ARGUMENT`.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => parse_bool(v).map(Some).ok_or_else(|| {
                argument_error(format!(
                    "Parameter {} must be a boolean: true/false, \"Y\"/\"N\" or \"1\"/\"0\"",
                    self.name(key)
                ))
            }),
        }
    }

    /// [`Obj::bool`] with a default.
    pub fn bool_or(&self, key: &str, default: bool) -> Result<bool, ApiError> {
        Ok(self.bool(key)?.unwrap_or(default))
    }

    /// A nested object (`fields`, `properties`, `filter`, `order`, `context`). An empty JSON array (PHP's empty
    /// array) is an empty object; other non-objects are `ERROR_ARGUMENT`.
    pub fn object(&self, key: &str, path: &'a str) -> Result<Option<Obj<'a>>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Obj { map, path })),
            Some(Value::Array(a)) if a.is_empty() => Ok(Some(Obj::empty(path))),
            Some(_) => Err(argument_error(format!("Parameter {} must be an object", self.name(key)))),
        }
    }

    /// A list of positive ids (see the module docs); `None` when absent.
    pub fn id_list(&self, key: &str) -> Result<Option<Vec<i64>>, ApiError> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let items: Vec<Value> = match v {
            Value::String(s) => s.split(',').map(|p| Value::String(p.trim().to_owned())).collect(),
            Value::Number(_) => vec![v.clone()],
            other => match as_php_list(other) {
                Some(list) => list.into_iter().cloned().collect(),
                None => match other {
                    Value::Object(m) => m.values().cloned().collect(),
                    _ => return Err(argument_error(format!("Parameter {} must be an array of ids", self.name(key)))),
                },
            },
        };
        let mut out: Vec<i64> = Vec::with_capacity(items.len());
        for id in items.iter().filter_map(value_int).filter(|n| *n > 0) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(Some(out))
    }

    /// A `{langCode: text}` map (`title`, `params` of commands). Codes are trimmed and lower-cased; a `null` or
    /// empty text is `None` (Command.update: delete that language). `None` when the key is absent; a value that
    /// is not an object is `ERROR_ARGUMENT`.
    pub fn lang_map(&self, key: &str) -> Result<Option<LangTexts>, ApiError> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let map = match v {
            Value::Object(m) => m,
            Value::Array(a) if a.is_empty() => return Ok(Some(Vec::new())),
            _ => {
                return Err(argument_error(format!(
                    "Parameter {} must be an object {{langCode: text}}",
                    self.name(key)
                )))
            }
        };
        let mut out: LangTexts = Vec::with_capacity(map.len());
        for (lang, text) in map {
            let lang = lang.trim().to_ascii_lowercase();
            if lang.is_empty() {
                continue;
            }
            let text = match text {
                Value::Array(_) | Value::Object(_) => {
                    return Err(argument_error(format!("Parameter {}[{lang}] must be a string", self.name(key))))
                }
                other => scalar_string(other).filter(|s| !s.trim().is_empty()),
            };
            out.retain(|(l, _)| *l != lang);
            out.push((lang, text));
        }
        Ok(Some(out))
    }

    /// A required `dialogId`: absent → [`missing`]; malformed → `bad` (`ACCESS_DENIED` for imbot.v2 methods:
    /// the bot cannot be a participant of a dialog that cannot exist).
    pub fn dialog_id(&self, key: &str, bad: ErrorCode) -> Result<DialogId, ApiError> {
        match self.get(key) {
            None => Err(missing(&self.name(key))),
            Some(v) => DialogId::from_value(v).ok_or_else(|| ApiError::new(bad)),
        }
    }
}

/// How the call was authenticated, which decides whether `botToken` is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// `auth=<access_token>`: the bot is found by the token's `client_id`; `botToken` is ignored.
    OAuth,
    /// `/rest/{user}/{code}/…`: every imbot.v2 method but `Revision.get` needs `botToken`.
    Webhook,
}

/// The bot a call acts for: `botId` and, for webhooks, `botToken`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotRef {
    pub bot_id: i64,
    /// `Some` exactly for webhook calls.
    pub bot_token: Option<String>,
}

/// A token as sent: a scalar that is not blank (never trimmed: tokens compare exactly).
fn token_value(v: Option<&Value>) -> Option<String> {
    v.and_then(scalar_string).filter(|s| !s.trim().is_empty())
}

/// The top-level `botToken` of a webhook call (`None` for OAuth). Webhook without one →
/// `BOT_TOKEN_NOT_SPECIFIED`.
pub fn webhook_token(p: &Obj<'_>, auth: AuthKind) -> Result<Option<String>, ApiError> {
    match auth {
        AuthKind::OAuth => Ok(None),
        AuthKind::Webhook => {
            token_value(p.raw("botToken")).map(Some).ok_or_else(|| ApiError::new(errors::BOT_TOKEN_NOT_SPECIFIED))
        }
    }
}

impl BotRef {
    /// The BotController checks, in the pages' order: `BOT_TOKEN_NOT_SPECIFIED` (webhook without
    /// `botToken`), then `BOT_ID_REQUIRED` (`botId` absent, not an integer, or ≤ 0, as PHP's `(int)` reads it).
    /// `BOT_NOT_FOUND` and `BOT_OWNERSHIP_ERROR` need the store and are the server's.
    pub fn parse(p: &Obj<'_>, auth: AuthKind) -> Result<BotRef, ApiError> {
        let bot_token = webhook_token(p, auth)?;
        let bot_id = p
            .get("botId")
            .and_then(value_int)
            .filter(|n| *n > 0)
            .ok_or_else(|| ApiError::new(errors::BOT_ID_REQUIRED))?;
        Ok(BotRef { bot_id, bot_token })
    }
}

/// Checks a `botToken` being *set* (register, rotation): at most [`MAX_BOT_TOKEN_LEN`] characters, else
/// `BOT_TOKEN_INVALID_LENGTH`.
pub fn check_new_token(token: &str) -> Result<(), ApiError> {
    if token.chars().count() > MAX_BOT_TOKEN_LEN {
        Err(ApiError::new(errors::BOT_TOKEN_INVALID_LENGTH))
    } else {
        Ok(())
    }
}

/// A handler URL Bitrix would accept: absolute `http://` or `https://` with a host (the server applies its
/// outbound address policy on top).
pub fn is_handler_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = match lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
        Some(r) => r,
        None => return false,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    !host.is_empty() && !host.starts_with(':') && !url.trim().chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: &Value) -> Obj<'_> {
        Obj::root(v.as_object().unwrap())
    }

    #[test]
    fn booleans() {
        for t in [json!(true), json!("Y"), json!("y"), json!(1), json!("1"), json!("true"), json!(" TRUE ")] {
            assert_eq!(parse_bool(&t), Some(true), "{t}");
        }
        for f in [json!(false), json!("N"), json!(0), json!("0"), json!("false"), json!("False")] {
            assert_eq!(parse_bool(&f), Some(false), "{f}");
        }
        for bad in [json!("yes"), json!(2), json!([]), json!(""), json!(null)] {
            assert_eq!(parse_bool(&bad), None, "{bad}");
        }
        let v = json!({"a": "maybe", "b": "", "c": "N"});
        let e = obj(&v).bool("a").unwrap_err();
        assert!(e.is(ErrorCode::ERROR_ARGUMENT) && e.description.contains("Parameter a "), "{e}");
        assert_eq!(obj(&v).bool("b"), Ok(None));
        assert_eq!(obj(&v).bool_or("c", true), Ok(false));
    }

    #[test]
    fn names_are_case_sensitive() {
        let v = json!({"BOTID": 5, "botid": 6});
        assert_eq!(BotRef::parse(&obj(&v), AuthKind::OAuth).unwrap_err(), ApiError::new(errors::BOT_ID_REQUIRED));
        let v = json!({"botId": "7"});
        assert_eq!(BotRef::parse(&obj(&v), AuthKind::OAuth).unwrap(), BotRef { bot_id: 7, bot_token: None });
    }

    #[test]
    fn bot_token_comes_first_for_webhooks() {
        let v = json!({});
        assert!(BotRef::parse(&obj(&v), AuthKind::Webhook).unwrap_err().is(errors::BOT_TOKEN_NOT_SPECIFIED));
        let v = json!({"botToken": "  ", "botId": 1});
        assert!(BotRef::parse(&obj(&v), AuthKind::Webhook).unwrap_err().is(errors::BOT_TOKEN_NOT_SPECIFIED));
        let v = json!({"botToken": " t ", "botId": 1});
        assert_eq!(BotRef::parse(&obj(&v), AuthKind::Webhook).unwrap().bot_token.as_deref(), Some(" t "));
        let v = json!({"botToken": "t", "botId": "x"});
        assert!(BotRef::parse(&obj(&v), AuthKind::Webhook).unwrap_err().is(errors::BOT_ID_REQUIRED));
        let v = json!({"botId": 3, "botToken": "ignored"});
        assert_eq!(BotRef::parse(&obj(&v), AuthKind::OAuth).unwrap().bot_token, None);
    }

    #[test]
    fn truncation_rule() {
        let exact = "a".repeat(MAX_MESSAGE_LEN + 6);
        assert_eq!(truncate_message(&exact), exact.as_str());
        let long = "ж".repeat(MAX_MESSAGE_LEN + 7);
        let t = truncate_message(&long);
        assert_eq!(t.chars().count(), MAX_MESSAGE_LEN + 6);
        assert!(t.ends_with(" (...)"));
        assert!(t.starts_with("жжж"));
        assert_eq!(truncate_message("hi"), "hi");
    }

    #[test]
    fn id_lists() {
        let v = json!({"a": [1, "2", 2, "x", -1, 0], "b": {"0": "5", "1": "6"}, "c": "7, 8", "d": 9, "e": {"x": 1}});
        let o = obj(&v);
        assert_eq!(o.id_list("a").unwrap(), Some(vec![1, 2]));
        assert_eq!(o.id_list("b").unwrap(), Some(vec![5, 6]));
        assert_eq!(o.id_list("c").unwrap(), Some(vec![7, 8]));
        assert_eq!(o.id_list("d").unwrap(), Some(vec![9]));
        assert_eq!(o.id_list("e").unwrap(), Some(vec![1]));
        assert_eq!(o.id_list("zz").unwrap(), None);
    }

    #[test]
    fn lang_maps() {
        let v = json!({"t": {"EN": "Help", "de": null, "fr": ""}, "s": "Help"});
        let o = obj(&v);
        assert_eq!(
            o.lang_map("t").unwrap().unwrap(),
            vec![("en".to_owned(), Some("Help".to_owned())), ("de".to_owned(), None), ("fr".to_owned(), None)]
        );
        assert!(o.lang_map("s").unwrap_err().is(ErrorCode::ERROR_ARGUMENT));
    }

    #[test]
    fn ids_and_missing_parameters() {
        let v = json!({"messageId": "abc", "zero": 0, "ok": " 12 "});
        let o = obj(&v);
        assert!(o.id("messageId", errors::ACCESS_DENIED).unwrap_err().is(errors::ACCESS_DENIED));
        assert!(o.id("zero", errors::ACCESS_DENIED).unwrap_err().is(errors::ACCESS_DENIED));
        assert_eq!(o.id("ok", errors::ACCESS_DENIED), Ok(12));
        let e = o.id("nope", errors::ACCESS_DENIED).unwrap_err();
        assert_eq!(e.description, "Could not find value for parameter {nope}");
    }

    #[test]
    fn handler_urls() {
        assert!(is_handler_url("https://example.com/bot"));
        assert!(is_handler_url("http://127.0.0.1:8080/x?y=1"));
        for bad in ["ftp://x", "https://", "https:///path", "/relative", "https://a b", ""] {
            assert!(!is_handler_url(bad), "{bad}");
        }
    }

    #[test]
    fn limits_clamp() {
        assert_eq!(Limit::EVENT_GET.apply(None), 100);
        assert_eq!(Limit::EVENT_GET.apply(Some(0)), 1);
        assert_eq!(Limit::EVENT_GET.apply(Some(5000)), 1000);
        assert_eq!(Limit::CHAT_USER_LIST.apply(Some(201)), 200);
    }
}
