//! PHP-compatible `application/x-www-form-urlencoded` codec: [`parse_str`] and [`http_build_query`].
//!
//! Bitrix24 is a PHP application: it reads request parameters through `$_GET`/`$_POST` (PHP's
//! `php_default_treat_data` + `php_register_variable_ex` in `main/php_variables.c`) and it sends event
//! bodies made by `http_build_query` (`ext/standard/http.c`). Clients and bots depend on the exact quirks of
//! both, so this module reproduces them byte for byte. It is written by hand on purpose: no crate
//! (`serde_urlencoded`, `serde_qs`, `form_urlencoded`, …) reproduces PHP's rules, and the ones that come close
//! disagree on the edge cases listed below.
//!
//! # Data model
//!
//! A PHP array is a JSON object whose keys are strings (`"0"`, `"1"`, `"name"`); serde_json is built with
//! `preserve_order`, so a [`Map`] keeps insertion order like a PHP array does. Every decoded leaf is a
//! [`Value::String`]. PHP turns canonical decimal keys (`"5"`, `"-3"`, but not `"05"`, `"-0"` or `"+5"`) into
//! integer keys; here they stay strings, which is lossless because a canonical decimal string and its integer
//! are one and the same key. Only canonical integer keys take part in the next-index computation of `a[]`.
//!
//! # Decoding rules ([`parse_str`], [`parse_str_into`])
//!
//! Each rule was checked against PHP 8.2.36 (`parse_str`, and `$_GET`/`$_POST` through its built-in
//! server) and follows `main/php_variables.c`:
//!
//! 1. The input ends at its first raw NUL byte (PHP hands the buffer around as a C string; `$_POST` behaves
//!    the same).
//! 2. The input is split on `&`, empty pieces are skipped; each piece is split on its first `=`; a piece
//!    without `=` has the value `""`. `%26` and `%3D` are therefore data, never separators.
//! 3. Name and value are decoded like PHP `urldecode`: `+` is a space, `%XX` (either case) is a byte, a `%`
//!    not followed by two hex digits stays literal. Bytes that are not valid UTF-8 are replaced with U+FFFD
//!    (PHP keeps raw bytes; two names that differ only in invalid bytes therefore collide here).
//! 4. The decoded name ends at its first NUL byte (`%00`); values are binary safe and keep theirs.
//! 5. Leading spaces of the name are dropped. In the base name (before the first `[`) `.` and ` ` become
//!    `_`. An empty base name drops the pair (`=1`, `[x]=1`).
//! 6. `[` opens an index that ends at the next `]`; the text in between is kept verbatim (spaces, dots,
//!    even `[`: `a[b[c]]` is `a["b[c"]`), except that a single whitespace character alone (`a[ ]`, `a[%09]`)
//!    still means `[]`. After a `]` only another `[` continues; anything else ends the name and is ignored
//!    (`a[b]x[c]=1` is `a[b]=1`).
//! 7. A `[` that is never closed: on the first level it becomes `_` and the rest of the name is kept, with
//!    ` `, `.` and `[` turned into `_` (`a[b.c=1` is `a_b_c`); on a deeper level it is ignored
//!    (`a[b][c=1` is `a[b]=1`).
//! 8. `[]` appends at PHP 8's next index: the largest integer key inserted so far plus one (negative keys
//!    count since PHP 8.0: `a[-3]=x&a[]=y` gives `-3`, `-2`), or `0` when there is none. When that index
//!    would pass `i64::MAX` the pair is dropped, as in PHP.
//! 9. Later pairs win: a scalar overwrites an array and an array overwrites a scalar at the same path; an
//!    overwritten key keeps its position.
//! 10. More than 64 levels of brackets (`max_input_nesting_level`) make PHP delete the *whole* top-level
//!     variable, including what earlier pairs stored in it; so does this codec.
//! 11. A key (at any level) that starts with `__Host-` or `__Secure-` is refused unless the name as sent
//!     starts with the same prefix (PHP's fix for cookie-prefix spoofing, 8.1.30/8.2.24/8.3.12): `..Host-x=1`
//!     is dropped; `x[__Host-a]=1` leaves `x` as an empty array.
//!
//! When a pair is dropped half-way (rules 8 and 11), the arrays created before that point stay, as in PHP.
//! Not reproduced: `max_input_vars` (PHP stops after 1000 variables by default; Bitrix itself requires the
//! limit raised, and this codec is linear in the input, so there is no limit here).
//!
//! [`parse_str_into`] continues decoding into an existing map, as if the pairs had followed the ones that
//! built it. That is not how PHP builds `$_REQUEST` from `$_GET` and `$_POST`: it merges two separately
//! decoded arrays, which [`merge_request_vars`] reproduces (`a[]=1` in the query and `a[]=2` in the body give
//! `["2"]` there, `["1", "2"]` with [`parse_str_into`]).
//!
//! # Encoding rules ([`http_build_query`])
//!
//! Default arguments of PHP's `http_build_query`: RFC 1738 encoding (space is `+`, every byte but
//! `A-Za-z0-9-_.` is `%XX` in upper-case hex), `&` as separator, nested keys as `a%5Bb%5D%5B0%5D`, JSON
//! arrays with the indices `0..n`, `null` and empty arrays/objects omitted, `true`/`false` as `1`/`0`,
//! integers in decimal, floats like PHP's `"%.*G"` with `precision = 14` (`0.1 + 0.2` is `0.3`, `1.0` is `1`,
//! `1e20` is `1.0E%2B20`; checked against PHP 8.2.36 on random doubles).
//!
//! # Failure
//!
//! Neither direction can fail or panic: malformed input decodes the way PHP would decode it (usually by
//! keeping it literally or by dropping the pair), and every JSON value has an encoding.

use indexmap::IndexMap;
use serde_json::{Map, Number, Value};

/// PHP's default `max_input_nesting_level`.
pub const MAX_INPUT_NESTING_LEVEL: usize = 64;

/// PHP's default `precision` ini setting, used by `http_build_query` for floats.
const PHP_PRECISION: usize = 14;

/// Decode `input` exactly like PHP `parse_str`, merging into `into` (later keys win, `a[]` appends).
pub fn parse_str_into(into: &mut Map<String, Value>, input: &str) {
    let bytes = input.as_bytes();
    // Rule 1: the input is a C string for PHP.
    let bytes = match bytes.iter().position(|&b| b == 0) {
        Some(nul) => &bytes[..nul],
        None => bytes,
    };
    let mut root = PhpArray::from_map(std::mem::take(into));
    for piece in bytes.split(|&b| b == b'&') {
        if piece.is_empty() {
            continue;
        }
        let (name, value) = match piece.iter().position(|&b| b == b'=') {
            Some(eq) => (&piece[..eq], &piece[eq + 1..]),
            None => (piece, &b""[..]),
        };
        register_variable(&mut root, &urldecode(name), &urldecode(value));
    }
    *into = root.into_map();
}

/// Decode `input` exactly like PHP `parse_str` into a fresh ordered map.
pub fn parse_str(input: &str) -> Map<String, Value> {
    let mut m = Map::new();
    parse_str_into(&mut m, input);
    m
}

/// Encode like PHP `http_build_query($data)` (RFC 1738: space → `+`).
pub fn http_build_query(data: &Map<String, Value>) -> String {
    let mut out = String::new();
    for (key, value) in data {
        let mut prefix = String::new();
        urlencode_into(&mut prefix, key.as_bytes());
        encode_value(&mut out, &mut prefix, value);
    }
    out
}

/// Merge `src` into `dest` the way PHP builds `$_REQUEST` from `$_GET` then `$_POST`
/// (`php_autoglobal_merge`): where both sides hold an array under the same key the arrays are merged
/// recursively, otherwise the `src` entry replaces the `dest` entry in place (or is appended).
pub fn merge_request_vars(dest: &mut Map<String, Value>, src: Map<String, Value>) {
    for (key, src_entry) in src {
        match dest.get_mut(&key) {
            Some(dest_entry) if is_php_array(dest_entry) && is_php_array(&src_entry) => {
                let mut merged = php_array_map(std::mem::take(dest_entry));
                merge_request_vars(&mut merged, php_array_map(src_entry));
                *dest_entry = Value::Object(merged);
            }
            _ => {
                dest.insert(key, src_entry);
            }
        }
    }
}

fn is_php_array(v: &Value) -> bool {
    matches!(v, Value::Object(_) | Value::Array(_))
}

/// The entries of a PHP array given as a JSON object or list (list keys are `"0"`, `"1"`, …).
fn php_array_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        Value::Array(list) => list.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Map::new(),
    }
}

/// PHP `urldecode` (`php_url_decode`): `+` → space, `%XX` → byte, anything else literally.
pub fn urldecode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => match (input.get(i + 1).and_then(|&h| hex(h)), input.get(i + 2).and_then(|&l| hex(l))) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// PHP `urlencode` (`php_url_encode`), appended to `out`: space → `+`, bytes outside `A-Za-z0-9-_.` → `%XX`.
pub fn urlencode_into(out: &mut String, input: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in input {
        match b {
            b' ' => out.push('+'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------

/// A PHP array under construction: ordered entries plus PHP's `nNextFreeElement`.
struct PhpArray {
    entries: IndexMap<String, Slot>,
    /// `None` is PHP's `ZEND_LONG_MIN` state: no integer key inserted yet, so `[]` uses 0.
    next_free: Option<i64>,
}

enum Slot {
    /// An array this decoder has opened.
    Array(PhpArray),
    /// A decoded leaf, or a value that was in the map before and has not been opened (yet).
    Json(Value),
}

impl PhpArray {
    fn new() -> Self {
        PhpArray { entries: IndexMap::new(), next_free: None }
    }

    fn from_map(map: Map<String, Value>) -> Self {
        let mut arr = PhpArray { entries: IndexMap::with_capacity(map.len()), next_free: None };
        for (k, v) in map {
            arr.note_key(&k);
            arr.entries.insert(k, Slot::Json(v));
        }
        arr
    }

    fn from_vec(list: Vec<Value>) -> Self {
        let mut arr = PhpArray::new();
        for (i, v) in list.into_iter().enumerate() {
            let k = i.to_string();
            arr.note_key(&k);
            arr.entries.insert(k, Slot::Json(v));
        }
        arr
    }

    fn into_map(self) -> Map<String, Value> {
        let mut map = Map::with_capacity(self.entries.len());
        for (k, slot) in self.entries {
            let v = match slot {
                Slot::Array(a) => Value::Object(a.into_map()),
                Slot::Json(v) => v,
            };
            map.insert(k, v);
        }
        map
    }

    /// `_zend_hash_index_add_or_update_i`: an integer key `h >= nNextFreeElement` moves it to `h + 1`
    /// (saturating at `ZEND_LONG_MAX`).
    fn note_key(&mut self, key: &str) {
        if let Some(h) = php_integer_key(key) {
            if !matches!(self.next_free, Some(n) if h < n) {
                self.next_free = Some(if h < i64::MAX { h + 1 } else { i64::MAX });
            }
        }
    }

    /// `zend_symtable_update`: replace in place (keeping the position) or append.
    fn update(&mut self, key: String, slot: Slot) -> &mut Slot {
        self.note_key(&key);
        let idx = match self.entries.get_index_of(&key) {
            Some(idx) => {
                self.entries[idx] = slot;
                idx
            }
            None => self.entries.insert_full(key, slot).0,
        };
        &mut self.entries[idx]
    }

    /// `zend_hash_next_index_insert`; `None` when the next index is taken (only after `i64::MAX`).
    fn push(&mut self, slot: Slot) -> Option<&mut Slot> {
        let key = self.next_free.unwrap_or(0).to_string();
        if self.entries.contains_key(&key) {
            return None;
        }
        Some(self.update(key, slot))
    }

    /// The array stored under `key`, created or (if a scalar is there) replaced by an empty one.
    fn child_array(&mut self, key: String) -> &mut PhpArray {
        let idx = match self.entries.get_index_of(&key) {
            Some(idx) => idx,
            None => {
                self.note_key(&key);
                self.entries.insert_full(key, Slot::Array(PhpArray::new())).0
            }
        };
        open_array(&mut self.entries[idx])
    }
}

/// Make `slot` an opened array: an existing object/list is converted one level, anything else is replaced by
/// an empty array (PHP: `zval_ptr_dtor` + `array_init`).
fn open_array(slot: &mut Slot) -> &mut PhpArray {
    if let Slot::Json(v) = slot {
        let arr = match std::mem::take(v) {
            Value::Object(m) => PhpArray::from_map(m),
            Value::Array(list) => PhpArray::from_vec(list),
            _ => PhpArray::new(),
        };
        *slot = Slot::Array(arr);
    }
    match slot {
        Slot::Array(a) => a,
        Slot::Json(_) => unreachable!("slot was just converted to an array"),
    }
}

/// Is `key` one PHP would store as an integer key (`ZEND_HANDLE_NUMERIC_STR`)? Canonical decimal only.
fn php_integer_key(key: &str) -> Option<i64> {
    let digits = key.strip_prefix('-').unwrap_or(key);
    let first = *digits.as_bytes().first()?;
    if !first.is_ascii_digit() || digits.len() > 20 {
        return None;
    }
    let h: i64 = key.parse().ok()?;
    // Rejects "05", "-0", "+5" and anything else that is not the integer's canonical spelling.
    (h.to_string() == key).then_some(h)
}

/// A variable name after PHP's name rules (`php_register_variable_ex`, on bytes).
struct Name {
    /// `keys[0]` is the top-level name; every key but the last names an array to descend into, the last one
    /// receives the value; `None` is `[]` (next index).
    keys: Vec<Option<Vec<u8>>>,
    /// Over `max_input_nesting_level`: after the descents, PHP deletes the whole top-level variable instead
    /// of storing the value.
    too_deep: bool,
    /// Whether the name as sent (after leading spaces) starts with `__Host-` / `__Secure-`.
    sent_host: bool,
    sent_secure: bool,
}

impl Name {
    /// `php_is_forbidden_variable_name`: a key may start with `__Host-`/`__Secure-` only if the name as sent
    /// did (PHP 8.1.30, 8.2.24, 8.3.12 and later; PHP checks every named key, not only the top-level one).
    fn forbids(&self, key: &[u8]) -> bool {
        (key.starts_with(b"__Host-") && !self.sent_host) || (key.starts_with(b"__Secure-") && !self.sent_secure)
    }
}

/// The name half of `php_register_variable_ex`; `None` when the base name is empty.
fn parse_name(name: &[u8]) -> Option<Name> {
    // Rule 4: the name is a C string.
    let name = match name.iter().position(|&b| b == 0) {
        Some(nul) => &name[..nul],
        None => name,
    };
    // Rule 5: leading spaces are ignored.
    let start = name.iter().position(|&b| b != b' ').unwrap_or(name.len());
    let sent = &name[start..];
    let mut var = sent.to_vec();
    let mut parsed = Name {
        keys: Vec::new(),
        too_deep: false,
        sent_host: sent.starts_with(b"__Host-"),
        sent_secure: sent.starts_with(b"__Secure-"),
    };

    let mut open = None;
    for (i, b) in var.iter_mut().enumerate() {
        match *b {
            b' ' | b'.' => *b = b'_',
            b'[' => {
                open = Some(i);
                break;
            }
            _ => {}
        }
    }
    let base_len = open.unwrap_or(var.len());
    if base_len == 0 {
        return None;
    }
    let Some(mut ip) = open else {
        parsed.keys.push(Some(var));
        return Some(parsed);
    };

    parsed.keys.push(Some(var[..base_len].to_vec()));
    let mut nest_level = 0;
    loop {
        // `ip` is at a '['.
        nest_level += 1;
        if nest_level > MAX_INPUT_NESTING_LEVEL {
            parsed.too_deep = true;
            return Some(parsed);
        }
        let index_s = ip + 1;
        // One whitespace character (C `isspace`) before the `]` still means `[]`: `a[ ]` appends.
        let mut at = index_s;
        if var.get(at).is_some_and(|&b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')) {
            at += 1;
        }
        if var.get(at) == Some(&b']') {
            parsed.keys.push(None);
            ip = at;
        } else {
            match var[index_s..].iter().position(|&b| b == b']') {
                Some(off) => {
                    parsed.keys.push(Some(var[index_s..index_s + off].to_vec()));
                    ip = index_s + off;
                }
                None => {
                    // Rule 7: not an index. Only the top-level name is affected: on deeper levels the
                    // previous index is already NUL-terminated in PHP, so the rest is simply lost.
                    if parsed.keys.len() == 1 {
                        var[ip] = b'_';
                        for b in &mut var[index_s..] {
                            if matches!(*b, b' ' | b'.' | b'[') {
                                *b = b'_';
                            }
                        }
                        parsed.keys[0] = Some(var);
                    }
                    return Some(parsed);
                }
            }
        }
        // `ip` is at the ']': only another '[' continues the name.
        ip += 1;
        if var.get(ip) != Some(&b'[') {
            return Some(parsed);
        }
    }
}

fn lossy(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// `php_register_variable_ex` with `track_vars_array = root`. Like PHP, an early return keeps the arrays
/// that the descents before it created.
fn register_variable(root: &mut PhpArray, name: &[u8], value: &[u8]) {
    let Some(mut name) = parse_name(name) else {
        return;
    };
    let leaf = name.keys.pop().flatten();
    let base = name.keys.first().cloned().flatten().or_else(|| leaf.clone());
    let mut table = &mut *root;
    for key in &name.keys {
        table = match key {
            Some(k) if name.forbids(k) => return,
            Some(k) => table.child_array(lossy(k.clone())),
            None => match table.push(Slot::Array(PhpArray::new())) {
                Some(slot) => open_array(slot),
                None => return,
            },
        };
    }
    if name.too_deep {
        if let Some(base) = base {
            root.entries.shift_remove(&lossy(base));
        }
        return;
    }
    let value = Slot::Json(Value::String(lossy(value.to_vec())));
    match leaf {
        Some(k) if name.forbids(&k) => {}
        Some(k) => {
            table.update(lossy(k), value);
        }
        None => {
            table.push(value);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------------

/// `php_url_encode_hash_ex` for one entry whose encoded key (with any `outer%5B…` prefix) is `key`.
fn encode_value(out: &mut String, key: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                let len = key.len();
                key.push_str("%5B");
                urlencode_into(key, k.as_bytes());
                key.push_str("%5D");
                encode_value(out, key, v);
                key.truncate(len);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                let len = key.len();
                key.push_str("%5B");
                key.push_str(&i.to_string());
                key.push_str("%5D");
                encode_value(out, key, v);
                key.truncate(len);
            }
        }
        Value::Bool(b) => push_pair(out, key, if *b { "1" } else { "0" }),
        Value::Number(n) => push_pair(out, key, &php_number(n)),
        Value::String(s) => push_pair(out, key, s),
    }
}

/// One `key=value` pair; `key` is already encoded, `value` is urlencoded here.
fn push_pair(out: &mut String, key: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(key);
    out.push('=');
    urlencode_into(out, value.as_bytes());
}

/// A JSON number as PHP would print it after `json_decode`: integers in decimal, everything else (including
/// integers above `i64::MAX`, which PHP decodes as floats) like `"%.*G"` with `precision = 14`.
fn php_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else {
        php_float_to_string(n.as_f64().unwrap_or(0.0))
    }
}

/// PHP's `spprintf("%.*G", 14, v)`: `zend_dtoa(v, mode 2, 14 digits)` + `php_gcvt`.
pub fn php_float_to_string(v: f64) -> String {
    if v.is_nan() {
        return "NAN".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "INF" } else { "-INF" }.to_owned();
    }
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    let a = v.abs();
    if a == 0.0 {
        out.push('0');
        return out;
    }
    let (digits, decpt) = dtoa_mode2(a, PHP_PRECISION);
    let decpt = decpt as i64;
    let ndigit = PHP_PRECISION as i64;
    let digits = digits.as_bytes();
    if if decpt < 0 { decpt < -3 } else { decpt > ndigit } {
        // Exponential format, e.g. 1.0E+20, 1.5E-7.
        let exp = decpt - 1;
        out.push(digits[0] as char);
        out.push('.');
        if digits.len() == 1 {
            out.push('0');
        } else {
            out.extend(digits[1..].iter().map(|&d| d as char));
        }
        out.push('E');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&exp.abs().to_string());
    } else if decpt < 0 {
        // 0.000ddd
        out.push_str("0.");
        for _ in decpt..0 {
            out.push('0');
        }
        out.extend(digits.iter().map(|&d| d as char));
    } else {
        let int_len = decpt as usize;
        for i in 0..int_len {
            out.push(digits.get(i).map_or('0', |&d| d as char));
        }
        if digits.len() > int_len {
            if int_len == 0 {
                out.push('0');
            }
            out.push('.');
            out.extend(digits[int_len..].iter().map(|&d| d as char));
        }
    }
    out
}

/// `zend_dtoa(a, 2, ndigits)` for finite `a > 0`: up to `ndigits` significant digits, correctly rounded
/// (ties to even), trailing zeros removed, and the decimal point position.
///
/// One dtoa quirk PHP inherits: an integral `a < 1e15` whose dropped digit is an exact tie (`…5`) leaves
/// the floating-point fast path for the "small integer" path, which rounds to even *without* removing
/// trailing zeros: 100000000000005.0 prints as `1.0000000000000E+14`, 100000000000015.0 as
/// `1.0000000000002E+14`.
fn dtoa_mode2(a: f64, ndigits: usize) -> (String, i32) {
    if a.fract() == 0.0 && a < 1e15 {
        // Exact: a < 2^53.
        let s = (a as u64).to_string();
        // (ASCII digits have the parity of their value.)
        let kept_last_even = s.as_bytes()[ndigits.min(s.len()) - 1] & 1 == 0;
        if s.len() == ndigits + 1 && s.ends_with('5') && kept_last_even {
            return (s[..ndigits].to_owned(), s.len() as i32);
        }
    }
    // Rust's exact float formatting is correctly rounded with ties to even, like dtoa's bignum path.
    let sci = format!("{:.*e}", ndigits - 1, a);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (digits.to_owned(), exp + 1)
}
