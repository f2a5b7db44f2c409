//! Fuzz the ATTACH / KEYBOARD / MENU parsers (`imbot_wire::rich`) with arbitrary bytes, fed three ways:
//! as a JSON string value (what a form field holds), as parsed JSON when the bytes are JSON, and as a form body
//! whose `ATTACH` / `KEYBOARD` / `MENU` fields are decoded by `parse_str`.
//!
//! Asserts that no parser panics and that whatever a parser accepts is a fixed point of its stored form:
//! `parse(to_value(x)) == x`.
//!
//! Run with `cargo +nightly fuzz run rich` from the repository root (or `cd fuzz && cargo check` on stable to
//! only build it).
#![no_main]

use imbot_wire::form::parse_str;
use imbot_wire::rich::{Attach, Field, Keyboard, Menu};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn check(keyboard: Option<&Value>, menu: Option<&Value>, attach: Option<&Value>, bot: Option<i64>) {
    if let Ok(Field::Set(k)) = Keyboard::parse(keyboard, bot) {
        assert_eq!(
            Keyboard::parse(Some(&k.to_value()), None),
            Ok(Field::Set(k))
        );
    }
    if let Ok(Field::Set(m)) = Menu::parse(menu, bot) {
        assert_eq!(Menu::parse(Some(&m.to_value()), None), Ok(Field::Set(m)));
    }
    if let Ok(Field::Set(a)) = Attach::parse(attach) {
        assert_eq!(Attach::parse(Some(&a.to_value())), Ok(Field::Set(a)));
    }
}

fuzz_target!(|data: &[u8]| {
    let bot = data.first().map(|b| i64::from(b % 4) - 1); // -1 ..= 2: none, invalid and valid bots
    let text = String::from_utf8_lossy(data);

    let as_string = Value::String(text.to_string());
    check(Some(&as_string), Some(&as_string), Some(&as_string), bot);

    if let Ok(json) = serde_json::from_slice::<Value>(data) {
        check(Some(&json), Some(&json), Some(&json), bot);
    }

    let form = parse_str(&text);
    check(
        form.get("KEYBOARD"),
        form.get("MENU"),
        form.get("ATTACH"),
        bot,
    );
});
