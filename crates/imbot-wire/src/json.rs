//! PHP `json_encode` compatibility.
//!
//! Bitrix24 encodes responses with `Json::encode`, i.e. `json_encode` with `JSON_HEX_TAG | JSON_HEX_AMP |
//! JSON_HEX_APOS | JSON_HEX_QUOT | JSON_UNESCAPED_UNICODE` and without `JSON_UNESCAPED_SLASHES` (SPEC-NOTES §1.2):
//! `<` `>` `&` `'` `"` inside strings become `\u003C` `\u003E` `\u0026` `\u0027` `\u0022`, `/` becomes `\/`, and
//! non-ASCII text is emitted raw. No client depends on the escaping, but mimicking it costs nothing and keeps
//! responses byte-comparable with a real portal's. PHP arrays have one type for lists and maps: an empty one and
//! one keyed `0..n-1` encode as JSON arrays, [`php_array`] reproduces that choice for maps built in Rust.

use serde_json::ser::{CharEscape, Formatter, Serializer};
use serde_json::{Map, Value};
use std::io::{self, Write};

/// A serde_json formatter that escapes like PHP's `Json::encode`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PhpFormatter;

impl Formatter for PhpFormatter {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        for (i, b) in bytes.iter().enumerate() {
            let esc: &[u8] = match b {
                b'/' => b"\\/",
                b'<' => b"\\u003C",
                b'>' => b"\\u003E",
                b'&' => b"\\u0026",
                b'\'' => b"\\u0027",
                _ => continue,
            };
            writer.write_all(&bytes[start..i])?;
            writer.write_all(esc)?;
            start = i + 1;
        }
        writer.write_all(&bytes[start..])
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, writer: &mut W, char_escape: CharEscape) -> io::Result<()> {
        match char_escape {
            CharEscape::Quote => writer.write_all(b"\\u0022"),
            CharEscape::ReverseSolidus => writer.write_all(b"\\\\"),
            CharEscape::Solidus => writer.write_all(b"\\/"),
            CharEscape::Backspace => writer.write_all(b"\\b"),
            CharEscape::FormFeed => writer.write_all(b"\\f"),
            CharEscape::LineFeed => writer.write_all(b"\\n"),
            CharEscape::CarriageReturn => writer.write_all(b"\\r"),
            CharEscape::Tab => writer.write_all(b"\\t"),
            CharEscape::AsciiControl(byte) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let buf = [b'\\', b'u', b'0', b'0', HEX[(byte >> 4) as usize], HEX[(byte & 0xF) as usize]];
                writer.write_all(&buf)
            }
        }
    }
}

/// Serialise `value` the way PHP's `Json::encode` would.
pub fn to_php_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut ser = Serializer::with_formatter(&mut out, PhpFormatter);
    serde::Serialize::serialize(value, &mut ser).expect("serialising a serde_json::Value into a Vec cannot fail");
    out
}

/// A PHP array built as an ordered map: `[]` when empty, a JSON array when its keys are exactly `"0".."n-1"` in
/// order, an object otherwise.
pub fn php_array(map: Map<String, Value>) -> Value {
    let is_list = map.keys().enumerate().all(|(i, k)| k.parse::<usize>().ok() == Some(i) && k == &i.to_string());
    if is_list {
        Value::Array(map.into_iter().map(|(_, v)| v).collect())
    } else {
        Value::Object(map)
    }
}

/// Whether `v` is a PHP list: a JSON array, or an object keyed `"0".."n-1"` (JSON `LANG` array vs form `LANG[0]`).
pub fn as_php_list(v: &Value) -> Option<Vec<&Value>> {
    match v {
        Value::Array(a) => Some(a.iter().collect()),
        Value::Object(m) => {
            let mut items: Vec<(usize, &Value)> = Vec::with_capacity(m.len());
            for (k, v) in m {
                let i: usize = k.parse().ok()?;
                if i.to_string() != *k {
                    return None;
                }
                items.push((i, v));
            }
            items.sort_by_key(|(i, _)| *i);
            Some(items.into_iter().map(|(_, v)| v).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_like_php() {
        let v = json!({"u": "https://x/<a href='q'>&\"", "c": "Привет"});
        let s = String::from_utf8(to_php_json(&v)).unwrap();
        assert_eq!(s, r#"{"u":"https:\/\/x\/\u003Ca href=\u0027q\u0027\u003E\u0026\u0022","c":"Привет"}"#);
        let back: Value = serde_json::from_slice(&to_php_json(&v)).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn control_characters_and_backslashes() {
        let v = json!("a\\b\n\u{1}");
        assert_eq!(String::from_utf8(to_php_json(&v)).unwrap(), r#""a\\b\n\u0001""#);
    }

    #[test]
    fn php_array_shapes() {
        assert_eq!(php_array(Map::new()), json!([]));
        let mut m = Map::new();
        m.insert("0".into(), json!(1));
        m.insert("1".into(), json!(2));
        assert_eq!(php_array(m), json!([1, 2]));
        let mut m = Map::new();
        m.insert("1".into(), json!(1));
        assert_eq!(php_array(m), json!({"1": 1}));
        let mut m = Map::new();
        m.insert("a".into(), json!(1));
        assert_eq!(php_array(m), json!({"a": 1}));
    }

    #[test]
    fn list_views() {
        assert_eq!(as_php_list(&json!({"1": "b", "0": "a"})).unwrap(), vec![&json!("a"), &json!("b")]);
        assert!(as_php_list(&json!({"a": 1})).is_none());
        assert!(as_php_list(&json!({"01": 1})).is_none());
        assert_eq!(as_php_list(&json!([1])).unwrap().len(), 1);
    }
}
