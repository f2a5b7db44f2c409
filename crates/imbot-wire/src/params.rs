//! The request parameter map and Bitrix's reading rules.
//!
//! A REST call's parameters arrive from the query string, a form body, a multipart body or a JSON body and are
//! merged into one ordered map (PHP `$_REQUEST`: body keys win). Leaves are JSON scalars: form input gives strings,
//! JSON may give numbers and booleans, so every accessor accepts both (`"BOT_ID": 7` and `"7"`, COMPAT R4).
//! im/imbot v1 methods upper-case top-level names (`array_change_key_case`, SPEC-NOTES §1.1); nested keys are
//! left alone. Truthiness follows PHP (`""`, `"0"`, `0`, `false`, `null`, `[]` are false).

use crate::json::as_php_list;
use serde_json::{Map, Value};

/// Merged request parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(pub Map<String, Value>);

/// Why a parameter could not be read; the caller turns it into a Bitrix error of the method.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("parameter {0} must be an integer")]
    NotInteger(String),
    #[error("parameter {0} must be a string")]
    NotString(String),
}

impl Params {
    pub fn new() -> Self {
        Params(Map::new())
    }

    pub fn from_map(m: Map<String, Value>) -> Self {
        Params(m)
    }

    /// The parameters as sent (v2 methods read them with `v2::params::Obj`).
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// Replace every U+0000 in keys and string values (at any depth) with U+FFFD, the character invalid input
    /// bytes already become: PostgreSQL cannot store NUL in text, and both backends must keep the same text.
    pub fn replace_nul(self) -> Self {
        fn text(s: String) -> String {
            if s.contains('\0') {
                s.replace('\0', "\u{FFFD}")
            } else {
                s
            }
        }
        fn value(v: Value) -> Value {
            match v {
                Value::String(s) => Value::String(text(s)),
                Value::Array(a) => Value::Array(a.into_iter().map(value).collect()),
                Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (text(k), value(v))).collect()),
                other => other,
            }
        }
        Params(self.0.into_iter().map(|(k, v)| (text(k), value(v))).collect())
    }

    /// PHP `array_change_key_case($p, CASE_UPPER)`: later keys win on collisions.
    pub fn upper_keys(self) -> Self {
        let mut out = Map::with_capacity(self.0.len());
        for (k, v) in self.0 {
            let up = k.to_uppercase();
            out.shift_remove(&up);
            out.insert(up, v);
        }
        Params(out)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Case-insensitive look-up (for the few basic methods whose names Bitrix reads in any case).
    pub fn get_ci(&self, key: &str) -> Option<&Value> {
        self.0.get(key).or_else(|| self.0.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.shift_remove(key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter()
    }

    /// A scalar as text (numbers in decimal, booleans as `"1"`/`""` like PHP's string cast); `None` if absent
    /// or null; an error if it is an array.
    pub fn string(&self, key: &str) -> Result<Option<String>, ParamError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => scalar_string(v).map(Some).ok_or_else(|| ParamError::NotString(key.to_owned())),
        }
    }

    /// An integer given as a JSON number or a decimal string (surrounding spaces allowed); `None` if absent,
    /// null or empty.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ParamError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v) => value_int(v).map(Some).ok_or_else(|| ParamError::NotInteger(key.to_owned())),
        }
    }

    /// PHP truthiness of the parameter (absent = false).
    pub fn truthy(&self, key: &str) -> bool {
        self.0.get(key).is_some_and(php_truthy)
    }

    /// A `Y`/`N` flag: `Some(true)` for `Y` (any case), `true`, `1`; `Some(false)` for anything else present.
    pub fn yn(&self, key: &str) -> Option<bool> {
        self.0.get(key).map(|v| match v {
            Value::String(s) => s.eq_ignore_ascii_case("y") || s == "1" || s.eq_ignore_ascii_case("true"),
            other => php_truthy(other),
        })
    }
}

/// PHP's `(bool)` cast.
pub fn php_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !(s.is_empty() || s == "0"),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A scalar as PHP's string cast would print it.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("1".into()),
        Value::Bool(false) | Value::Null => Some(String::new()),
        _ => None,
    }
}

/// An integer from a JSON number (integral) or a decimal string.
pub fn value_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9e15).map(|f| f as i64))
        }
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// A list parameter: a JSON array, an object keyed 0..n-1, or a single scalar (taken as a one-element list).
pub fn value_list(v: &Value) -> Vec<&Value> {
    match as_php_list(v) {
        Some(l) => l,
        None => match v {
            Value::Object(m) => m.values().collect(),
            other => vec![other],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> Params {
        Params::from_map(v.as_object().unwrap().clone())
    }

    #[test]
    fn nul_becomes_the_replacement_character_everywhere() {
        let ps = p(json!({"M\u{0}": "a\u{0}b", "L": ["\u{0}", {"k\u{0}": "\u{0}"}], "N": 1})).replace_nul();
        assert_eq!(
            Value::Object(ps.0),
            json!({"M\u{FFFD}": "a\u{FFFD}b", "L": ["\u{FFFD}", {"k\u{FFFD}": "\u{FFFD}"}], "N": 1})
        );
    }

    #[test]
    fn upper_keys_later_wins() {
        let ps = p(json!({"dialog_id": "1", "DIALOG_ID": "2", "Message": "x"})).upper_keys();
        assert_eq!(ps.get("DIALOG_ID"), Some(&json!("2")));
        assert_eq!(ps.get("MESSAGE"), Some(&json!("x")));
        assert_eq!(ps.len(), 2);
    }

    #[test]
    fn ints_from_numbers_and_strings() {
        let ps = p(json!({"a": 7, "b": "7", "c": " 8 ", "d": "x", "e": "", "f": 7.0}));
        assert_eq!(ps.int("a"), Ok(Some(7)));
        assert_eq!(ps.int("b"), Ok(Some(7)));
        assert_eq!(ps.int("c"), Ok(Some(8)));
        assert!(ps.int("d").is_err());
        assert_eq!(ps.int("e"), Ok(None));
        assert_eq!(ps.int("f"), Ok(Some(7)));
        assert_eq!(ps.int("zz"), Ok(None));
    }

    #[test]
    fn truthiness_is_php() {
        let ps = p(json!({"a": "0", "b": "", "c": "N", "d": 0, "e": true, "f": [], "g": "false"}));
        assert!(!ps.truthy("a"));
        assert!(!ps.truthy("b"));
        assert!(ps.truthy("c"));
        assert!(!ps.truthy("d"));
        assert!(ps.truthy("e"));
        assert!(!ps.truthy("f"));
        assert!(ps.truthy("g"));
        assert!(!ps.truthy("missing"));
    }

    #[test]
    fn yn_flags() {
        let ps = p(json!({"a": "Y", "b": "N", "c": true, "d": "y"}));
        assert_eq!(ps.yn("a"), Some(true));
        assert_eq!(ps.yn("b"), Some(false));
        assert_eq!(ps.yn("c"), Some(true));
        assert_eq!(ps.yn("d"), Some(true));
        assert_eq!(ps.yn("x"), None);
    }

    #[test]
    fn case_insensitive_lookup() {
        let ps = p(json!({"Full": "true"}));
        assert_eq!(ps.get_ci("full"), Some(&json!("true")));
    }
}
