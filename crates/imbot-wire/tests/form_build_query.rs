//! `http_build_query` against real PHP behaviour.
//!
//! The expected strings in [`PHP_TABLE`] and [`PHP_FLOATS`] are what PHP 8.2.36 printed for
//! `http_build_query(json_decode($json, true))` (default arguments: PHP_QUERY_RFC1738, `&`), i.e. the
//! rules of `php_url_encode_hash_ex` / `php_url_encode` in `ext/standard/http.c` and `url.c`; floats go through
//! `"%.*G"` with `precision = 14` (`main/snprintf.c` `php_gcvt` on `zend_dtoa` mode 2).

use imbot_wire::form::{http_build_query, parse_str, php_float_to_string, urldecode, urlencode_into};
use serde_json::{Map, Value};

fn map(json: &str) -> Map<String, Value> {
    serde_json::from_str(json).expect("test input is a JSON object")
}

#[test]
fn bitrix_documentation_event_body() {
    // The ONIMBOTMESSAGEADD example from Bitrix's bot documentation, byte for byte.
    let body = map(
        r#"{"event":"ONIMBOTMESSAGEADD","event_handler_id":"403","data":{"BOT":{"567":{"BOT_ID":"567","BOT_CODE":"BOT1"}},"PARAMS":{"MESSAGE":"Hello world","SYSTEM":"N"}},"ts":"1771928985","auth":{"domain":"some-domain.bitrix24.com","server_endpoint":"https://oauth.bitrix.info/rest/"}}"#,
    );
    assert_eq!(
        http_build_query(&body),
        "event=ONIMBOTMESSAGEADD&event_handler_id=403&data%5BBOT%5D%5B567%5D%5BBOT_ID%5D=567&data%5BBOT%5D%5B567%5D%5BBOT_CODE%5D=BOT1&data%5BPARAMS%5D%5BMESSAGE%5D=Hello+world&data%5BPARAMS%5D%5BSYSTEM%5D=N&ts=1771928985&auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F"
    );
    // And PHP's parse_str of it gives the body back.
    assert_eq!(
        serde_json::to_string(&parse_str(&http_build_query(&body))).unwrap(),
        serde_json::to_string(&body).unwrap()
    );
}

/// (JSON input, PHP 8.2.36 `http_build_query` output)
const PHP_TABLE: &[(&str, &str)] = &[
    // true/false are 1/0; null and empty arrays/objects are omitted, also when nested
    (r##"{"a":true,"b":false,"c":null,"d":[],"e":{"x":null,"y":[]},"f":{}}"##, r##"a=1&b=0"##),
    // nothing left to encode: empty string
    (r##"{"a":null,"b":[]}"##, r##""##),
    // empty map
    (r##"{}"##, r##""##),
    // JSON arrays use indices 0..n
    (r##"{"x":["p","q"],"y":[]}"##, r##"x%5B0%5D=p&x%5B1%5D=q"##),
    // lists of objects and lists
    (r##"{"a":[{"b":"1"},["c",["d"]]]}"##, r##"a%5B0%5D%5Bb%5D=1&a%5B1%5D%5B0%5D=c&a%5B1%5D%5B1%5D%5B0%5D=d"##),
    // only A-Za-z0-9 - _ . are literal; space is +; ~ and * are escaped (RFC 1738)
    (r##"{"a":"~*-_. +/%&=?#[]'\"\\"}"##, r##"a=%7E%2A-_.+%2B%2F%25%26%3D%3F%23%5B%5D%27%22%5C"##),
    // keys are urlencoded too, brackets as %5B %5D
    (
        r##"{"a b":{"c d":{"e":"1","0":"z","-3":"m"}}}"##,
        r##"a+b%5Bc+d%5D%5Be%5D=1&a+b%5Bc+d%5D%5B0%5D=z&a+b%5Bc+d%5D%5B-3%5D=m"##,
    ),
    // UTF-8 bytes are percent-encoded, upper-case hex
    (
        r##"{"b":"Привет","ключ":{"вложенный":"да"},"d":"ü€😀"}"##,
        r##"b=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82&%D0%BA%D0%BB%D1%8E%D1%87%5B%D0%B2%D0%BB%D0%BE%D0%B6%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9%5D=%D0%B4%D0%B0&d=%C3%BC%E2%82%AC%F0%9F%98%80"##,
    ),
    // control bytes
    (r##"{"c":"\u0000\u0001\n\r\t\u007f"}"##, r##"c=%00%01%0A%0D%09%7F"##),
    // numeric keys
    (r##"{"0":"a","1":"b","10":"c"}"##, r##"0=a&1=b&10=c"##),
    // empty keys are kept
    (r##"{"":"1","x":{"":"2"}}"##, r##"=1&x%5B%5D=2"##),
    // integers in decimal
    (
        r##"{"i":0,"j":-1,"k":9223372036854775807,"l":-9223372036854775808}"##,
        r##"i=0&j=-1&k=9223372036854775807&l=-9223372036854775808"##,
    ),
    // floats: %.14G as PHP prints them
    (
        r##"{"a":0.30000000000000004,"b":1.0,"c":1e20,"d":0.5,"e":-0.0,"f":1e-5,"g":0.0001,"h":-1.5e-7}"##,
        r##"a=0.3&b=1&c=1.0E%2B20&d=0.5&e=-0&f=1.0E-5&g=0.0001&h=-1.5E-7"##,
    ),
    // floats around 1e14/1e15, incl. dtoa's untrimmed ties
    (
        r##"{"a":100000000000000.0,"b":10000000000000.0,"c":123456789012345678.0,"d":100000000000005.0,"e":100000000000015.0,"f":120000000000005.0}"##,
        r##"a=1.0E%2B14&b=10000000000000&c=1.2345678901235E%2B17&d=1.0000000000000E%2B14&e=1.0000000000002E%2B14&f=1.2000000000000E%2B14"##,
    ),
    // integers above i64::MAX are floats in PHP
    (r##"{"a":18446744073709551615,"b":9223372036854775808}"##, r##"a=1.844674407371E%2B19&b=9.2233720368548E%2B18"##),
    // extreme floats and exact ties
    (
        r##"{"a":1.7976931348623157e308,"b":5e-324,"c":2.5,"d":12345678901234.5,"e":99999999999999.5}"##,
        r##"a=1.7976931348623E%2B308&b=4.9406564584125E-324&c=2.5&d=12345678901234&e=1.0E%2B14"##,
    ),
    // an event body with an empty string value
    (
        r##"{"event":"ONIMBOTJOINCHAT","data":{"PARAMS":{"DIALOG_ID":"chat12","CHAT_TYPE":"C","MESSAGE_TYPE":"C","CHAT_ENTITY_TYPE":""},"USER":{"ID":"1","NAME":"John Smith","IS_EXTRANET":"N"}}}"##,
        r##"event=ONIMBOTJOINCHAT&data%5BPARAMS%5D%5BDIALOG_ID%5D=chat12&data%5BPARAMS%5D%5BCHAT_TYPE%5D=C&data%5BPARAMS%5D%5BMESSAGE_TYPE%5D=C&data%5BPARAMS%5D%5BCHAT_ENTITY_TYPE%5D=&data%5BUSER%5D%5BID%5D=1&data%5BUSER%5D%5BNAME%5D=John+Smith&data%5BUSER%5D%5BIS_EXTRANET%5D=N"##,
    ),
    // nested keys
    (r##"{"a":{"b":{"c":{"d":{"e":"deep"}}}}}"##, r##"a%5Bb%5D%5Bc%5D%5Bd%5D%5Be%5D=deep"##),
    // list entries that are null keep their index
    (r##"{"a":[null,"x",null,[]]}"##, r##"a%5B1%5D=x"##),
];

#[test]
fn php_table() {
    let failures: Vec<String> = PHP_TABLE
        .iter()
        .filter_map(|(input, want)| {
            let got = http_build_query(&map(input));
            (got != *want).then(|| format!("http_build_query({input})\n   got: {got}\n  want: {want}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} cases differ from PHP:\n{}", failures.len(), failures.join("\n"));
}

/// (bits of an f64, PHP 8.2.36 text of it in `http_build_query`, before urlencoding)
const PHP_FLOATS: &[(u64, &str)] = &[
    (0x3fd3333333333334, "0.3"),                  // 0.30000000000000004
    (0x3ff0000000000000, "1"),                    // 1.0
    (0xbff0000000000000, "-1"),                   // -1.0
    (0x3fe0000000000000, "0.5"),                  // 0.5
    (0x4415af1d78b58c40, "1.0E+20"),              // 1e+20
    (0x3ee4f8b588e368f1, "1.0E-5"),               // 1e-05
    (0x3f1a36e2eb1c432d, "0.0001"),               // 0.0001
    (0x3f202e85be180b74, "0.00012345678901235"),  // 0.00012345678901234567
    (0x42d6bcc41e900000, "1.0E+14"),              // 100000000000000.0
    (0x42a2309ce5400000, "10000000000000"),       // 10000000000000.0
    (0x42d6bcc41e8fffc0, "99999999999999"),       // 99999999999999.0
    (0x430c6bf52633fff8, "1.0E+15"),              // 999999999999999.0
    (0x42d6bcc41e900140, "1.0000000000000E+14"),  // 100000000000005.0
    (0x42d6bcc41e9003c0, "1.0000000000002E+14"),  // 100000000000015.0
    (0x42d6bcc41e900640, "1.0000000000002E+14"),  // 100000000000025.0
    (0x42db48eb57e00140, "1.2000000000000E+14"),  // 120000000000005.0
    (0x430c6bf52633ffd8, "1.0E+15"),              // 999999999999995.0
    (0x4308ec7fb3570ca8, "8.769290818605E+14"),   // 876929081860501.0
    (0x43084abfcbe11ae0, "8.54698382599E+14"),    // 854698382599004.0
    (0x42a674e79c5fe500, "12345678901234"),       // 12345678901234.5
    (0x42d6bcc41e8fffe0, "1.0E+14"),              // 99999999999999.5
    (0x4004000000000000, "2.5"),                  // 2.5
    (0x3fc0000000000000, "0.125"),                // 0.125
    (0x4340000000000000, "9.007199254741E+15"),   // 9007199254740992.0
    (0x43e0000000000000, "9.2233720368548E+18"),  // 9.223372036854776e+18
    (0x43f0000000000000, "1.844674407371E+19"),   // 1.8446744073709552e+19
    (0x0000000000000001, "4.9406564584125E-324"), // 5e-324
    (0x0010000000000000, "2.2250738585072E-308"), // 2.2250738585072014e-308
    (0x7fefffffffffffff, "1.7976931348623E+308"), // 1.7976931348623157e+308
    (0x437b69b4ba630f35, "1.2345678901235E+17"),  // 1.2345678901234568e+17
    (0x400921fb54442d18, "3.1415926535898"),      // 3.141592653589793
    (0xc005bf0a8b145769, "-2.718281828459"),      // -2.718281828459045
    (0x3fd5555555555555, "0.33333333333333"),     // 0.3333333333333333
    (0x3fe5555555555555, "0.66666666666667"),     // 0.6666666666666666
    (0x430c6bf526340000, "1.0E+15"),              // 1000000000000000.0
    (0x4341c37937e08000, "1.0E+16"),              // 1e+16
    (0x7e41eb2d66005835, "1.5E+300"),             // 1.5e+300
    (0x81b01297d23ab683, "-1.5E-300"),            // -1.5e-300
    (0x3fb999999999999a, "0.1"),                  // 0.1
    (0x3fe6666666666666, "0.7"),                  // 0.7
    (0x40934a456d5cfaad, "1234.5678"),            // 1234.5678
    (0x444b1ae4d6e2ef50, "1.0E+21"),              // 1e+21
    (0x3e7ad7f29abcaf48, "1.0E-7"),               // 1e-07
    (0x3e80823f71155233, "1.23E-7"),              // 1.23e-07
];

#[test]
fn floats_print_like_php() {
    let failures: Vec<String> = PHP_FLOATS
        .iter()
        .filter_map(|&(bits, want)| {
            let f = f64::from_bits(bits);
            let got = php_float_to_string(f);
            (got != want).then(|| format!("{f:?}: got {got}, want {want}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Through the encoder, '+' of the exponent is escaped.
    let number = map(r#"{"f":1e20,"g":-1.5e-7}"#);
    assert_eq!(http_build_query(&number), "f=1.0E%2B20&g=-1.5E-7");
    // Non-finite values cannot be in a serde_json Value, but the printer knows PHP's spelling.
    assert_eq!(php_float_to_string(f64::INFINITY), "INF");
    assert_eq!(php_float_to_string(f64::NEG_INFINITY), "-INF");
    assert_eq!(php_float_to_string(f64::NAN), "NAN");
}

#[test]
fn key_order_is_insertion_order() {
    let mut m = Map::new();
    m.insert("z".into(), Value::from("1"));
    m.insert("a".into(), Value::from("2"));
    m.insert("m".into(), serde_json::json!({"y": "3", "b": "4"}));
    assert_eq!(http_build_query(&m), "z=1&a=2&m%5By%5D=3&m%5Bb%5D=4");
}

#[test]
fn urlencode_every_byte_like_php() {
    // php_url_encode: alnum, '-', '_', '.' literal; ' ' -> '+'; everything else %XX upper-case.
    let all: Vec<u8> = (0..=255u8).collect();
    let mut got = String::new();
    urlencode_into(&mut got, &all);
    let mut want = String::new();
    for b in all {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => want.push(b as char),
            b' ' => want.push('+'),
            _ => want.push_str(&format!("%{b:02X}")),
        }
    }
    assert_eq!(got, want);
    assert_eq!(urldecode(got.as_bytes()), (0..=255u8).collect::<Vec<u8>>());
}

#[test]
fn urldecode_like_php() {
    assert_eq!(urldecode(b"a+b%20c%2bd%2Be"), b"a b c+d+e");
    assert_eq!(urldecode(b"%"), b"%");
    assert_eq!(urldecode(b"%4"), b"%4");
    assert_eq!(urldecode(b"%4g%g4"), b"%4g%g4");
    assert_eq!(urldecode(b"%%41%"), b"%A%");
    assert_eq!(urldecode(b"%00%ff%FF"), b"\0\xff\xff");
}
