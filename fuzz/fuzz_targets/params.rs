//! Fuzz how request parameters are read: arbitrary bytes as a JSON body and as a form body (`parse_str`),
//! merged like PHP's `$_REQUEST`, then every accessor a method uses (`Params::string/int/truthy/yn`, upper-
//! casing, `value_list`, `DialogId::from_value`). Asserts no panic and a few invariants.
#![no_main]

use imbot_wire::form::{merge_request_vars, parse_str};
use imbot_wire::params::{php_truthy, scalar_string, value_int, value_list};
use imbot_wire::{DialogId, Params};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fn exercise(map: Map<String, Value>) {
    let params = Params::from_map(map).upper_keys();
    let keys: Vec<String> = params.iter().map(|(k, _)| k.clone()).collect();
    for k in &keys {
        assert_eq!(k, &k.to_ascii_uppercase());
        let _ = params.string(k);
        let _ = params.int(k);
        let _ = params.truthy(k);
        let _ = params.yn(k);
        if let Some(v) = params.get(k) {
            let _ = php_truthy(v);
            if let Some(s) = scalar_string(v) {
                if let Ok(i) = s.trim().parse::<i64>() {
                    assert_eq!(value_int(v), Some(i));
                }
            }
            for item in value_list(v) {
                let _ = DialogId::from_value(item);
            }
            let _ = DialogId::from_value(v);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut merged = parse_str(&text);
    if let Ok(Value::Object(json)) = serde_json::from_slice::<Value>(data) {
        exercise(json.clone());
        merge_request_vars(&mut merged, json);
    }
    exercise(merged);
});
