//! Properties of the PHP form codec.
//!
//! * `parse_str(http_build_query(m)) == m` for nested maps of strings whose keys survive PHP's name rules;
//! * `parse_str` never panics, whatever the input;
//! * decoding is a fixed point of re-encoding: `parse_str(http_build_query(parse_str(s))) == parse_str(s)`
//!   once empty arrays (which `http_build_query` omits) are removed;
//! * `parse_str_into` continues a map exactly like one longer input would;
//! * `http_build_query` output only uses the RFC 1738 safe alphabet plus `%`, `+`, `=`, `&`.
//!
//! Maps are compared as serialised JSON because PHP arrays are ordered and `Map`'s `==` ignores order.

use imbot_wire::form::{http_build_query, parse_str, parse_str_into};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn text(m: &Map<String, Value>) -> String {
    serde_json::to_string(m).expect("a map always serialises")
}

/// Keys PHP would refuse unless the top-level name starts the same way (cookie-prefix rule).
fn has_cookie_prefix(k: &str) -> bool {
    k.starts_with("__Host-") || k.starts_with("__Secure-")
}

/// A single C `isspace` character alone in brackets means `[]` to PHP, so it cannot be a key.
fn is_lone_space(k: &str) -> bool {
    matches!(k, " " | "\t" | "\n" | "\u{b}" | "\u{c}" | "\r")
}

/// Top-level names: non-empty, no brackets, no NUL (names are C strings), no `.`/space (PHP turns them into
/// `_`), so no leading space either.
fn top_key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_][A-Za-z0-9_]{0,6}",
        "[^\\[\\]\\x00. ]{1,8}",
        Just("KEYBOARD".to_owned()),
        Just("0".to_owned()),
    ]
    .prop_filter("cookie prefixes are PHP-reserved", |k| !has_cookie_prefix(k))
}

/// Inner keys: non-empty, no brackets, no NUL; anything else is kept verbatim by PHP.
fn inner_key() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9_]{1,6}", "-?[0-9]{1,3}", "[^\\[\\]\\x00]{1,8}", Just(" x.y ".to_owned()),]
        .prop_filter("not a key PHP would reinterpret", |k| !has_cookie_prefix(k) && !is_lone_space(k))
}

/// Values: arbitrary Unicode, NUL included (values are binary safe).
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![any::<String>(), "[ -~]{0,10}", Just(String::new())].prop_map(Value::String)
}

/// A non-empty PHP array of strings, at most `depth` levels deep.
fn inner_map(depth: u32) -> BoxedStrategy<Value> {
    let entry = if depth == 0 { leaf().boxed() } else { prop_oneof![3 => leaf(), 1 => inner_map(depth - 1)].boxed() };
    prop::collection::vec((inner_key(), entry), 1..4)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()))
        .boxed()
}

fn top_map() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((top_key(), prop_oneof![2 => leaf(), 1 => inner_map(3)]), 0..5)
        .prop_map(|entries| entries.into_iter().collect())
}

/// Strings that look like form bodies, full of the characters PHP's rules care about.
fn formish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("[]".to_owned()),
        Just("[ ]".to_owned()),
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("%".to_owned()),
        Just("%5B".to_owned()),
        Just("%5d".to_owned()),
        Just("%00".to_owned()),
        Just("%2".to_owned()),
        Just("%D0%9F".to_owned()),
        Just("%ff".to_owned()),
        Just("+".to_owned()),
        Just(".".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("__Host-".to_owned()),
        Just("..Host-".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("-1".to_owned()),
        "[a-c0-9]{1,3}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

/// Remove empty arrays, innermost first (`http_build_query` omits them).
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn build_then_parse_round_trips(m in top_map()) {
        let query = http_build_query(&m);
        prop_assert_eq!(text(&parse_str(&query)), text(&m), "query: {}", query);
    }

    #[test]
    fn parse_never_panics_on_strings(s in any::<String>()) {
        let _ = parse_str(&s);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_str(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn parse_is_a_fixed_point_of_reencoding(s in formish()) {
        let first = parse_str(&s);
        let again = parse_str(&http_build_query(&first));
        prop_assert_eq!(text(&again), text(&strip_empty(&first)), "input: {:?}", s);
    }

    #[test]
    fn parse_is_a_fixed_point_for_arbitrary_strings(s in any::<String>()) {
        let first = parse_str(&s);
        let again = parse_str(&http_build_query(&first));
        prop_assert_eq!(text(&again), text(&strip_empty(&first)), "input: {:?}", s);
    }

    #[test]
    fn parse_into_continues_like_one_input(a in formish(), b in formish()) {
        // A raw NUL ends PHP's input, so it would also swallow `b` in the joined string.
        prop_assume!(!a.contains('\0'));
        let mut merged = parse_str(&a);
        parse_str_into(&mut merged, &b);
        prop_assert_eq!(text(&merged), text(&parse_str(&format!("{a}&{b}"))));
    }

    #[test]
    fn build_output_is_rfc1738_safe(m in top_map()) {
        let query = http_build_query(&m);
        prop_assert!(
            query.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.%+=&".contains(&b)),
            "query: {}", query
        );
    }
}
