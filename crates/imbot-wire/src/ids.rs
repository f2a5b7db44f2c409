//! Identifiers as they appear on the wire.
//!
//! `DIALOG_ID` (SPEC-NOTES §4) is a string: `"27"` is the private dialog with user 27, `"chat42"` group chat 42,
//! `"sg7"` the chat of workgroup 7. Bitrix also accepts numbers for the user form (`"DIALOG_ID": 27` in JSON).
//! Parsing is strict: `"chat"`, `"chat0"`, `"0"`, `"-1"`, `"chatx"`, `" 27"` are not dialog ids.

use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialogId {
    /// The private dialog with this user.
    User(i64),
    /// A group chat (`chatN`).
    Chat(i64),
    /// A workgroup/project chat (`sgN`).
    SonetGroup(i64),
}

fn positive(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with('0') {
        return None;
    }
    s.parse().ok().filter(|n| *n > 0)
}

impl DialogId {
    /// Parse the text form.
    pub fn parse(s: &str) -> Option<DialogId> {
        let lower = s.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("chat") {
            positive(rest).map(DialogId::Chat)
        } else if let Some(rest) = lower.strip_prefix("sg") {
            positive(rest).map(DialogId::SonetGroup)
        } else {
            positive(&lower).map(DialogId::User)
        }
    }

    /// Parse a parameter value (string or JSON integer).
    pub fn from_value(v: &Value) -> Option<DialogId> {
        match v {
            Value::String(s) => DialogId::parse(s.trim()),
            Value::Number(n) => n.as_i64().filter(|n| *n > 0).map(DialogId::User),
            _ => None,
        }
    }
}

impl fmt::Display for DialogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialogId::User(id) => write!(f, "{id}"),
            DialogId::Chat(id) => write!(f, "chat{id}"),
            DialogId::SonetGroup(id) => write!(f, "sg{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(DialogId::parse("27"), Some(DialogId::User(27)));
        assert_eq!(DialogId::parse("chat42"), Some(DialogId::Chat(42)));
        assert_eq!(DialogId::parse("CHAT42"), Some(DialogId::Chat(42)));
        assert_eq!(DialogId::parse("sg7"), Some(DialogId::SonetGroup(7)));
        for bad in ["", "0", "-1", "chat", "chat0", "chatx", "x1", "1.5", "01", " 27", "chat-3", "99999999999999999999"]
        {
            assert_eq!(DialogId::parse(bad), None, "{bad:?}");
        }
        assert_eq!(DialogId::from_value(&json!(27)), Some(DialogId::User(27)));
        assert_eq!(DialogId::from_value(&json!(" chat5 ")), Some(DialogId::Chat(5)));
        assert_eq!(DialogId::from_value(&json!([1])), None);
    }

    #[test]
    fn display_round_trips() {
        for d in [DialogId::User(3), DialogId::Chat(9), DialogId::SonetGroup(1)] {
            assert_eq!(DialogId::parse(&d.to_string()), Some(d));
        }
    }
}
