//! `parse_str` against real PHP behaviour.
//!
//! Every expected value in [`PHP_TABLE`] is what PHP 8.2.36 printed for
//! `parse_str($input, $out); echo json_encode($out, JSON_FORCE_OBJECT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);`
//! (JSON_FORCE_OBJECT because PHP lists are objects with keys "0", "1", … in this crate). The comment above
//! each case names the rule of `main/php_variables.c` (`php_default_treat_data`, `php_register_variable_ex`)
//! or `Zend/zend_hash.c` it exercises. Cases PHP cannot show as JSON (invalid UTF-8) and cases too long for
//! a table (nesting depth) follow as separate tests, also checked against PHP 8.2.36.
//!
//! Key order matters (PHP arrays are ordered), and `Map`'s `==` ignores order, so every comparison here is
//! on the serialised JSON text.

use imbot_wire::form::{merge_request_vars, parse_str, parse_str_into};
use serde_json::{json, Map, Value};

/// Order-sensitive text of a map.
fn text(m: &Map<String, Value>) -> String {
    serde_json::to_string(m).expect("a map always serialises")
}

/// Order-sensitive text of an expected JSON literal (serde_json keeps the literal's key order).
fn expected_text(json: &str) -> String {
    let v: Value = serde_json::from_str(json).expect("expected values are valid JSON");
    serde_json::to_string(&v).expect("serialises")
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// (input, PHP 8.2.36 output)
const PHP_TABLE: &[(&str, &str)] = &[
    // plain pairs, insertion order
    ("a=1&b=2", r##"{"a":"1","b":"2"}"##),
    // [] appends at the next index
    ("a[]=1&a[]=2", r##"{"a":{"0":"1","1":"2"}}"##),
    // next index = largest integer key + 1
    ("a[5]=x&a[]=y", r##"{"a":{"5":"x","6":"y"}}"##),
    // PHP >= 8.0: a negative largest key counts too (nNextFreeElement starts at ZEND_LONG_MIN)
    ("a[-3]=x&a[]=y", r##"{"a":{"-3":"x","-2":"y"}}"##),
    // next index follows the largest integer key, not the last one
    ("x=1&a[0]=1&a[-1]=2&a[]=3", r##"{"x":"1","a":{"0":"1","-1":"2","1":"3"}}"##),
    // "05" is not canonical: a string key, so the next index is 0
    ("a[05]=x&a[]=y", r##"{"a":{"05":"x","0":"y"}}"##),
    // "5" and "05" are different keys
    ("a[5]=x&a[05]=z&a[]=y", r##"{"a":{"5":"x","05":"z","6":"y"}}"##),
    // "-0" is a string key (ZEND_HANDLE_NUMERIC_STR rejects it)
    ("a[-0]=x&a[]=y", r##"{"a":{"-0":"x","0":"y"}}"##),
    // "1.5" is a string key
    ("a[1.5]=x&a[]=y", r##"{"a":{"1.5":"x","0":"y"}}"##),
    // '+' decodes to a space: " 5" is a string key
    ("a[+5]=x&a[]=y", r##"{"a":{" 5":"x","0":"y"}}"##),
    // list
    ("a[0]=x&a[]=y", r##"{"a":{"0":"x","1":"y"}}"##),
    // string keys do not move the next index
    ("a[]=1&a[x]=2&a[]=3", r##"{"a":{"0":"1","x":"2","1":"3"}}"##),
    // brackets are recognised after decoding
    ("a%5Bb%5D=1", r##"{"a":{"b":"1"}}"##),
    // lower-case hex
    ("a%5bb%5d=1", r##"{"a":{"b":"1"}}"##),
    // decoded name "[]": empty base name, dropped
    ("%5B%5D=1", r##"{}"##),
    // '+' and %20 are spaces; a space in the base name becomes '_'
    ("a+b=1&c%20d=2", r##"{"a_b":"1","c_d":"2"}"##),
    // '+' and %20 in values; %2B is a literal '+'
    ("a=hello+world&b=hello%20world&c=a%2Bb", r##"{"a":"hello world","b":"hello world","c":"a+b"}"##),
    // '.' in the base name becomes '_'
    ("a.b=1", r##"{"a_b":"1"}"##),
    // ' ' in the base name becomes '_'
    ("a b=1", r##"{"a_b":"1"}"##),
    // a leading '.' becomes '_'
    (".a=1", r##"{"_a":"1"}"##),
    // bracket contents are verbatim: the dot stays
    ("a[b.c]=1", r##"{"a":{"b.c":"1"}}"##),
    // bracket contents are verbatim: the space stays
    ("a[b c]=1", r##"{"a":{"b c":"1"}}"##),
    // verbatim, leading dot
    ("a[.b]=1", r##"{"a":{".b":"1"}}"##),
    // verbatim, leading space
    ("a[ b]=1", r##"{"a":{" b":"1"}}"##),
    // a single whitespace character alone in brackets means [] (isspace skip)
    ("a[ ]=1&a[%09]=2", r##"{"a":{"0":"1","1":"2"}}"##),
    // two spaces are a key
    ("a[  ]=1", r##"{"a":{"  ":"1"}}"##),
    // empty base name: dropped
    ("[x]=1", r##"{}"##),
    // empty name: dropped
    ("=1", r##"{}"##),
    // name of spaces only: dropped
    (" =1", r##"{}"##),
    // unclosed '[' on the first level becomes '_'
    ("a[b=1", r##"{"a_b":"1"}"##),
    // unclosed: ' ' and '.' after it become '_' too (PHP 8)
    ("a[b.c d=1", r##"{"a_b_c_d":"1"}"##),
    // unclosed: later '[' become '_' too
    ("a[b[c=1", r##"{"a_b_c":"1"}"##),
    // unclosed at the end
    ("a[=1", r##"{"a_":"1"}"##),
    // unclosed, no '='
    ("a[", r##"{"a_":""}"##),
    // unclosed on a deeper level: ignored, value goes to a[b]
    ("a[b][c=1", r##"{"a":{"b":"1"}}"##),
    // text after ']' ends the name
    ("a[b]x=1", r##"{"a":{"b":"1"}}"##),
    // text after ']' ends the name even if brackets follow
    ("a[b]x[c]=1", r##"{"a":{"b":"1"}}"##),
    // a second ']' is junk after the name
    ("a[b]]=1", r##"{"a":{"b":"1"}}"##),
    // the index ends at the first ']': key "b[c"
    ("a[b[c]]=1", r##"{"a":{"b[c":"1"}}"##),
    // junk after []
    ("a[]x=1", r##"{"a":{"0":"1"}}"##),
    // ']' in the base name is kept
    ("a]b=1", r##"{"a]b":"1"}"##),
    // duplicate key: last wins
    ("a=1&a=2", r##"{"a":"2"}"##),
    // an overwritten key keeps its position
    ("a=1&b=2&a=3", r##"{"a":"3","b":"2"}"##),
    // nested overwrite keeps position
    ("a[b]=1&a[c]=2&a[b]=3", r##"{"a":{"b":"3","c":"2"}}"##),
    // an array overwrites a scalar
    ("a=1&a[b]=2", r##"{"a":{"b":"2"}}"##),
    // a scalar overwrites an array
    ("a[b]=2&a=1", r##"{"a":"1"}"##),
    // nested scalar replaced by an array
    ("a[x]=1&a[x][y]=2", r##"{"a":{"x":{"y":"2"}}}"##),
    // array -> scalar -> new array: the next index restarts at 0
    ("a[]=1&a=2&a[]=3", r##"{"a":{"0":"3"}}"##),
    // nested array -> scalar -> array
    ("a[b][c]=1&a[b]=2&a[b][d]=3", r##"{"a":{"b":{"d":"3"}}}"##),
    // scalar replaced by a fresh list
    ("a[b]=1&a[b][]=2", r##"{"a":{"b":{"0":"2"}}}"##),
    // independent next indices per array
    ("a[x][]=1&a[x][]=2&a[y][]=3", r##"{"a":{"x":{"0":"1","1":"2"},"y":{"0":"3"}}}"##),
    // [] on an intermediate level appends a new array each time
    ("a[][]=1&a[][]=2", r##"{"a":{"0":{"0":"1"},"1":{"0":"2"}}}"##),
    // empty value
    ("a=", r##"{"a":""}"##),
    // no '=': empty value
    ("a", r##"{"a":""}"##),
    // no '=' followed by a pair
    ("a&b=2", r##"{"a":"","b":"2"}"##),
    // split on the first '=' only
    ("a=b=c", r##"{"a":"b=c"}"##),
    // value "="
    ("a==", r##"{"a":"="}"##),
    // empty pieces are skipped
    ("&&a=1&&", r##"{"a":"1"}"##),
    // only separators
    ("&&", r##"{}"##),
    // empty input
    ("", r##"{}"##),
    // leading spaces of the name are dropped
    ("  a=1", r##"{"a":"1"}"##),
    // leading '+' decodes to a space and is dropped
    ("+a=1", r##"{"a":"1"}"##),
    // leading %20 is dropped
    ("%20a=1", r##"{"a":"1"}"##),
    // %26 and %3D are data, not separators
    ("a%26b=1%3D2", r##"{"a&b":"1=2"}"##),
    // numeric top-level names
    ("0=a&1=b", r##"{"0":"a","1":"b"}"##),
    // percent-encoded Cyrillic UTF-8 value
    ("a=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82", r##"{"a":"Привет"}"##),
    // percent-encoded Cyrillic UTF-8 name
    ("%D0%BA%D0%BB%D1%8E%D1%87=1", r##"{"ключ":"1"}"##),
    // raw UTF-8 names and values
    ("a=Привет&ключ[вложенный]=да", r##"{"a":"Привет","ключ":{"вложенный":"да"}}"##),
    // invalid percent sequences stay literal
    ("a=%zz&b=%4&c=%&d=%4g&e=%41", r##"{"a":"%zz","b":"%4","c":"%","d":"%4g","e":"A"}"##),
    // '%' at the end; '%%41' is '%' then 'A'
    ("a=100%&b=%%41", r##"{"a":"100%","b":"%A"}"##),
    // Bitrix keyboard
    ("KEYBOARD[0][TEXT]=Hi&KEYBOARD[1][TYPE]=NEWLINE", r##"{"KEYBOARD":{"0":{"TEXT":"Hi"},"1":{"TYPE":"NEWLINE"}}}"##),
    // Bitrix keyboard with an encoded '#'
    (
        "KEYBOARD[0][TEXT]=Yes&KEYBOARD[0][BG_COLOR]=%2329619b&KEYBOARD[0][BLOCK]=Y&KEYBOARD[1][TYPE]=NEWLINE",
        r##"{"KEYBOARD":{"0":{"TEXT":"Yes","BG_COLOR":"#29619b","BLOCK":"Y"},"1":{"TYPE":"NEWLINE"}}}"##,
    ),
    // Bitrix LANG list
    ("LANG[0][LANGUAGE_ID]=en&LANG[0][TITLE]=x", r##"{"LANG":{"0":{"LANGUAGE_ID":"en","TITLE":"x"}}}"##),
    // Bitrix imbot.register
    (
        "PROPERTIES[NAME]=Bot&PROPERTIES[WORK_POSITION]=Helper&CODE=bot1&TYPE=B",
        r##"{"PROPERTIES":{"NAME":"Bot","WORK_POSITION":"Helper"},"CODE":"bot1","TYPE":"B"}"##,
    ),
    // the decoded name ends at NUL
    ("a%00b=1", r##"{"a":"1"}"##),
    // values keep NUL bytes
    ("a=x%00y", r##"{"a":"x\u0000y"}"##),
    // NUL cuts the name to "a[b", which is then an unclosed bracket
    ("a[b%00c]=1", r##"{"a_b":"1"}"##),
    // the input ends at a raw NUL byte
    ("a=1\0&b=2", r##"{"a":"1"}"##),
    // next index would overflow: dropped
    ("a[9223372036854775807]=1&a[]=2", r##"{"a":{"9223372036854775807":"1"}}"##),
    // the last free index is used, then appending is dropped
    ("a[9223372036854775806]=1&a[]=2&a[]=3", r##"{"a":{"9223372036854775806":"1","9223372036854775807":"2"}}"##),
    // out of i64 range: a string key
    ("a[9223372036854775808]=1&a[]=2", r##"{"a":{"9223372036854775808":"1","0":"2"}}"##),
    // ZEND_LONG_MIN is an integer key
    ("a[-9223372036854775808]=1&a[]=2", r##"{"a":{"-9223372036854775808":"1","-9223372036854775807":"2"}}"##),
    // appending an intermediate array that cannot be inserted drops the pair
    ("a[9223372036854775807][x]=1&a[][y]=2", r##"{"a":{"9223372036854775807":{"x":"1"}}}"##),
    // __Host- sent as such is allowed
    ("__Host-x=1", r##"{"__Host-x":"1"}"##),
    // mangling must not produce __Host-: dropped
    ("..Host-x=1", r##"{}"##),
    // mangling must not produce __Secure-: dropped
    ("_.Secure-x=1", r##"{}"##),
    // a nested __Host- key is refused; x was already created
    ("x[__Host-a]=1", r##"{"x":{}}"##),
    // refused on an intermediate level; arrays before it stay
    ("x[a][__Host-][b]=1", r##"{"x":{"a":{}}}"##),
    // allowed when the name as sent starts with __Host-
    ("__Host-x[__Host-y]=1", r##"{"__Host-x":{"__Host-y":"1"}}"##),
    // the check is case-sensitive and needs the full prefix
    ("x[__host-a]=1&x[__Hos]=2", r##"{"x":{"__host-a":"1","__Hos":"2"}}"##),
];

#[test]
fn php_table() {
    assert!(PHP_TABLE.len() >= 40);
    let failures: Vec<String> = PHP_TABLE
        .iter()
        .filter_map(|(input, want)| {
            let got = text(&parse_str(input));
            let want = expected_text(want);
            (got != want).then(|| format!("parse_str({input:?})\n   got: {got}\n  want: {want}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from PHP:\n{}",
        failures.len(),
        PHP_TABLE.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_utf8_is_replaced_lossily() {
    // php_url_decode yields raw bytes; PHP keeps them, this crate stores Strings, so each maximal invalid
    // sequence becomes U+FFFD (String::from_utf8_lossy).
    let cases = [
        ("a=%ff%fe", json!({"a": "\u{FFFD}\u{FFFD}"})),
        ("a=%C3", json!({"a": "\u{FFFD}"})),
        ("a=%C3%A9%C3", json!({"a": "é\u{FFFD}"})),
        ("%ff=1", json!({"\u{FFFD}": "1"})),
        ("a[%ff]=1", json!({"a": {"\u{FFFD}": "1"}})),
        ("a=%E2%82", json!({"a": "\u{FFFD}"})),
    ];
    for (input, want) in cases {
        assert_eq!(text(&parse_str(input)), text(&obj(want)), "{input:?}");
    }
}

/// `a` followed by `depth` copies of `[x]`.
fn deep_name(depth: usize) -> String {
    format!("a{}", "[x]".repeat(depth))
}

/// `{"x": {"x": … leaf}}` with `depth` levels.
fn deep_value(depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |inner, _| json!({ "x": inner }))
}

#[test]
fn nesting_up_to_64_levels_is_kept() {
    // max_input_nesting_level = 64: 64 bracket pairs are fine.
    let got = parse_str(&format!("{}=1", deep_name(64)));
    assert_eq!(text(&got), text(&obj(json!({ "a": deep_value(64, json!("1")) }))));
    // 63 pairs and then `[]x`: still 64 levels.
    let got = parse_str(&format!("a=1&{}[]x=1", deep_name(63)));
    assert_eq!(text(&got), text(&obj(json!({ "a": deep_value(63, json!({"0": "1"})) }))));
}

#[test]
fn nesting_over_64_levels_deletes_the_whole_variable() {
    // PHP 8.2.36: "b=0&a=1&c=2&a[x]…(65)=1&d=3" gives {"b":"0","c":"2","d":"3"}: zend_symtable_str_del on
    // the top-level name, earlier values included.
    let input = format!("b=0&a=1&c=2&{}=1&d=3", deep_name(65));
    assert_eq!(text(&parse_str(&input)), expected_text(r#"{"b":"0","c":"2","d":"3"}"#));
    // A later pair re-creates it at the end.
    let input = format!("b=0&a[y]=1&c=2&{}=1&a=5", deep_name(65));
    assert_eq!(text(&parse_str(&input)), expected_text(r#"{"b":"0","c":"2","a":"5"}"#));
    // The level check comes before the bracket is parsed: an unclosed 65th bracket also deletes.
    let input = format!("b=0&a=1&{}[c=1", deep_name(64));
    assert_eq!(text(&parse_str(&input)), expected_text(r#"{"b":"0"}"#));
    // Same with appends.
    let input = format!("b=0&a=1&a{}=1", "[]".repeat(65));
    assert_eq!(text(&parse_str(&input)), expected_text(r#"{"b":"0"}"#));
}

#[test]
fn nesting_limit_after_an_early_stop_keeps_the_variable() {
    // PHP 8.2.36: the refused __Host- key returns before the 65th level is reached: {"b":"1","a":[]}.
    let input = format!("b=1&a[__Host-x]{}=1", "[x]".repeat(70));
    assert_eq!(text(&parse_str(&input)), expected_text(r#"{"b":"1","a":{}}"#));
    // Same when appending an intermediate array fails (next index past i64::MAX).
    let input = format!("a[9223372036854775807]=1&a[][x]{}=1", "[x]".repeat(70));
    assert_eq!(text(&parse_str(&input)), expected_text(r#"{"a":{"9223372036854775807":"1"}}"#));
}

#[test]
fn parse_str_into_continues_an_existing_map() {
    // Query then body: as if the body pairs followed the query pairs.
    let mut params = parse_str("a[]=1&b=2&c[x]=1");
    parse_str_into(&mut params, "a[]=3&b=4&c[y]=2&d=5");
    assert_eq!(text(&params), expected_text(r#"{"a":{"0":"1","1":"3"},"b":"4","c":{"x":"1","y":"2"},"d":"5"}"#));
}

#[test]
fn parse_str_into_accepts_maps_built_elsewhere() {
    // Existing JSON lists are PHP lists; non-string scalars are scalars; the next index is computed from the
    // keys already there.
    let mut params = obj(json!({
        "list": ["a", "b"],
        "obj": {"7": "x", "name": "n"},
        "num": 5,
        "flag": true,
    }));
    parse_str_into(&mut params, "list[]=c&obj[]=y&num[]=1&flag=0&new=1");
    let want = json!({
        "list": {"0": "a", "1": "b", "2": "c"},
        "obj": {"7": "x", "name": "n", "8": "y"},
        "num": {"0": "1"},
        "flag": "0",
        "new": "1",
    });
    assert_eq!(text(&params), text(&obj(want)));

    // A nesting violation deletes a variable that came from elsewhere, too.
    let mut params = obj(json!({"a": {"k": "v"}, "b": "1"}));
    parse_str_into(&mut params, &format!("{}=1", deep_name(65)));
    assert_eq!(text(&params), expected_text(r#"{"b":"1"}"#));
}

#[test]
fn parse_str_into_with_empty_input_keeps_the_map() {
    let mut params = obj(json!({"z": "1", "a": {"5": "x"}, "l": [1, [2]]}));
    parse_str_into(&mut params, "");
    assert_eq!(text(&params), expected_text(r#"{"z":"1","a":{"5":"x"},"l":[1,[2]]}"#));
}

#[test]
fn merge_request_vars_matches_php_request() {
    // $_REQUEST from $_GET then $_POST (php_autoglobal_merge), PHP 8.2.36 built-in server, query | body:
    let cases = [
        ("a[]=1", "a[]=2", r#"{"a":{"0":"2"}}"#),
        ("a[x]=1", "a[y]=2", r#"{"a":{"x":"1","y":"2"}}"#),
        ("a=1", "a[x]=2", r#"{"a":{"x":"2"}}"#),
        ("a[x]=1", "a=2", r#"{"a":"2"}"#),
        ("a[0]=1&a[1]=2", "a[]=3", r#"{"a":{"0":"3","1":"2"}}"#),
        ("b=1&a[x][y]=1&c=3", "a[x][z]=2&d=4&b=5", r#"{"b":"5","a":{"x":{"y":"1","z":"2"}},"c":"3","d":"4"}"#),
    ];
    for (query, body, want) in cases {
        let mut request = parse_str(query);
        merge_request_vars(&mut request, parse_str(body));
        assert_eq!(text(&request), expected_text(want), "query {query:?}, body {body:?}");
    }
}
