//! Fuzz `imbot_wire::form::parse_str` with arbitrary bytes (decoded lossily, as a request body would be).
//!
//! Asserts that decoding never panics, that `http_build_query` of the result only uses the RFC 1738 safe
//! alphabet, and that decoding is a fixed point of re-encoding:
//! `parse_str(http_build_query(parse_str(s))) == parse_str(s)` once empty arrays are removed (PHP's
//! `http_build_query` omits them). Maps are compared as JSON text, because key order matters.
//!
//! Run with `cargo +nightly fuzz run parse_str` from the repository root (or `cd fuzz && cargo check` on
//! stable to only build it).
#![no_main]

use imbot_wire::form::{http_build_query, parse_str, parse_str_into};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fn strip_empty(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter()
        .filter_map(|(k, v)| match v {
            Value::Object(inner) => {
                let inner = strip_empty(inner);
                (!inner.is_empty()).then(|| (k.clone(), Value::Object(inner)))
            }
            other => Some((k.clone(), other.clone())),
        })
        .collect()
}

fn text(m: &Map<String, Value>) -> String {
    serde_json::to_string(m).expect("a map always serialises")
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let first = parse_str(&input);

    let query = http_build_query(&first);
    assert!(
        query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.%+=&".contains(&b)),
        "unsafe byte in {query:?}"
    );

    let again = parse_str(&query);
    assert_eq!(
        text(&again),
        text(&strip_empty(&first)),
        "input {input:?}, query {query:?}"
    );

    // Decoding in two halves is decoding the whole (when no raw NUL ends the first half early).
    if let Some(split) = input.find('&') {
        let (a, b) = (&input[..split], &input[split + 1..]);
        if !a.contains('\0') {
            let mut merged = parse_str(a);
            parse_str_into(&mut merged, b);
            assert_eq!(text(&merged), text(&first), "input {input:?}");
        }
    }
});
