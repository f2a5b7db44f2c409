//! Lenient readers and Bitrix-style writers for serde.
//!
//! Bitrix24 types scalars inconsistently (SPEC-NOTES §1.2): ids are ints in one method and strings in the next,
//! flags are `"Y"`/`"N"` or booleans, an empty PHP array is `[]` where an object is expected. The readers here
//! accept every spelling a portal or imbotd sends, so a typed response never fails on a quirk.

use imbot_wire::DialogId;
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::{Map, Value};

/// An integer from a JSON number or a decimal string.
pub(crate) fn value_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// A flag from `true`/`false`, `"Y"`/`"N"`, `"1"`/`"0"`, `1`/`0`.
pub(crate) fn value_flag(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => {
            let s = s.trim();
            s.eq_ignore_ascii_case("y") || s == "1" || s.eq_ignore_ascii_case("true")
        }
        _ => false,
    }
}

/// A scalar as text; `None` for null, `false` and containers.
pub(crate) fn value_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("1".to_owned()),
        _ => None,
    }
}

/// A PHP array read as a map: objects as they are, lists keyed `"0"`, `"1"`, …, anything else empty.
pub(crate) fn value_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        Value::Array(list) => list.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Map::new(),
    }
}

pub(crate) mod de {
    use super::*;

    pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let v = Value::deserialize(d)?;
        value_i64(&v).ok_or_else(|| serde::de::Error::custom(format!("expected an integer, got {v}")))
    }

    pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(value_flag(&Value::deserialize(d)?))
    }

    pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(value_string(&Value::deserialize(d)?).unwrap_or_default())
    }

    pub(crate) fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(value_i64(&Value::deserialize(d)?))
    }

    pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(value_string(&Value::deserialize(d)?))
    }

    pub(crate) fn int_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
        let v = Value::deserialize(d)?;
        Ok(match v {
            Value::Array(list) => list.iter().filter_map(value_i64).collect(),
            Value::Object(m) => m.values().filter_map(value_i64).collect(),
            other => value_i64(&other).into_iter().collect(),
        })
    }

    pub(crate) fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
        Ok(value_map(Value::deserialize(d)?))
    }

    /// A positive id; `0`, `null`, `""` are `None` (v2 event chats give `parentChatId: 0` for none).
    pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(value_i64(&Value::deserialize(d)?).filter(|n| *n > 0))
    }

    /// A `string|false` (or `string|null`) value of v2: `false`, `null`, `""` and the webhook's `"0"` are
    /// `None`.
    pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) if s.is_empty() || s == "0" => None,
            Value::String(s) => Some(s),
            Value::Number(n) if n.as_i64() == Some(0) => None,
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }

    /// An `object|false` value (`phones`): `None` unless an object (or a non-empty PHP list).
    pub(crate) fn opt_object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Map<String, Value>>, D::Error> {
        Ok(match Value::deserialize(d)? {
            v @ (Value::Object(_) | Value::Array(_)) => Some(value_map(v)).filter(|m| !m.is_empty()),
            _ => None,
        })
    }

    /// A flag that may be absent or unknown (`message.unread`).
    pub(crate) fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => None,
            v => Some(value_flag(&v)),
        })
    }

    /// `{key: id}` (`uuidMap`), ids read leniently; anything that is not an id is dropped.
    pub(crate) fn id_map<'de, D: Deserializer<'de>>(d: D) -> Result<std::collections::BTreeMap<String, i64>, D::Error> {
        Ok(value_map(Value::deserialize(d)?).into_iter().filter_map(|(k, v)| value_i64(&v).map(|n| (k, n))).collect())
    }

    /// A list of objects: a JSON array, or a PHP form list (`{"0": {...}, "1": {...}}`); anything else empty.
    pub(crate) fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
        let items: Vec<Value> = match Value::deserialize(d)? {
            Value::Array(list) => list,
            Value::Object(m) => m.into_iter().map(|(_, v)| v).collect(),
            _ => Vec::new(),
        };
        items.into_iter().map(|v| serde_json::from_value(v).map_err(serde::de::Error::custom)).collect()
    }
}

pub(crate) mod ser {
    use super::*;

    pub(crate) fn yn_opt<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(true) => s.serialize_str("Y"),
            Some(false) => s.serialize_str("N"),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn dialog<S: Serializer>(v: &DialogId, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub(crate) fn dialog_opt<S: Serializer>(v: &Option<DialogId>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    /// An imbot-wire v2 enum by its documented spelling (they implement `Display` as `as_str`).
    pub(crate) fn display_opt<S: Serializer, T: std::fmt::Display>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    /// `None`: left out (with `skip_serializing_if`); `Some(None)`: `null` (reset); `Some(Some(v))`: `v`.
    pub(crate) fn display_opt_opt<S: Serializer, T: std::fmt::Display>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(Some(d)) => s.collect_str(d),
            _ => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn readers_accept_every_spelling() {
        assert_eq!(value_i64(&json!("27")), Some(27));
        assert_eq!(value_i64(&json!(27)), Some(27));
        assert_eq!(value_i64(&json!(27.0)), Some(27));
        assert_eq!(value_i64(&json!("x")), None);
        assert!(value_flag(&json!("Y")) && value_flag(&json!(true)) && value_flag(&json!("1")));
        assert!(!value_flag(&json!("N")) && !value_flag(&json!(false)) && !value_flag(&Value::Null));
        assert_eq!(value_map(json!([])).len(), 0);
        assert_eq!(value_map(json!(["a"]))["0"], "a");
    }
}
