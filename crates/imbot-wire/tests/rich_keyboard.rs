//! KEYBOARD parsing (SPEC-NOTES §7.2, COMPAT R20/R21): the documented examples, every input form, clearing,
//! dropping of invalid buttons, COMMAND routing, colours, links, the stored form and the size limit.

use imbot_wire::form::parse_str;
use imbot_wire::rich::{
    encoded_len, ActionKind, Button, ButtonAction, ButtonDisplay, ColorToken, Context, Field, Keyboard, KeyboardItem,
    MAX_ENCODED_LEN,
};
use imbot_wire::{ApiError, ErrorCode};
use serde_json::{json, Value};

fn parse(v: Value, bot: Option<i64>) -> Result<Field<Keyboard>, ApiError> {
    Keyboard::parse(Some(&v), bot)
}

fn set(v: Value, bot: Option<i64>) -> Keyboard {
    match parse(v.clone(), bot) {
        Ok(Field::Set(k)) => k,
        other => panic!("{v} did not parse to a keyboard: {other:?}"),
    }
}

fn err(v: Value, bot: Option<i64>) -> ApiError {
    match parse(v.clone(), bot) {
        Err(e) => e,
        other => panic!("{v} should fail: {other:?}"),
    }
}

fn buttons(k: &Keyboard) -> Vec<&Button> {
    k.buttons().collect()
}

fn link(text: &str, url: &str) -> Button {
    Button::new(text, ButtonAction::Link(url.into()))
}

/// The keyboard stored and parsed again is the same keyboard.
fn assert_round_trip(k: &Keyboard) {
    let stored = k.to_value();
    assert_eq!(parse(stored.clone(), None), Ok(Field::Set(k.clone())), "stored {stored}");
    assert_eq!(Keyboard::from_stored(&stored).as_ref(), Some(k));
    let as_string = Value::String(stored.to_string());
    assert_eq!(parse(as_string, None), Ok(Field::Set(k.clone())));
}

// ----- documented examples -----

#[test]
fn im_message_add_example() {
    // chats/messages/keyboards.md
    let k = set(
        json!({"BUTTONS":[{"TEXT":"Open website","LINK":"https://www.example.com/"},{"TYPE":"NEWLINE"},{"TEXT":"Insert command","ACTION":"PUT","ACTION_VALUE":"/help"}]}),
        None,
    );
    assert_eq!(
        k.buttons,
        vec![
            KeyboardItem::Button(link("Open website", "https://www.example.com/")),
            KeyboardItem::NewLine,
            KeyboardItem::Button(Button::new(
                "Insert command",
                ButtonAction::Action { kind: ActionKind::Put, value: "/help".into() }
            )),
        ]
    );
    assert_round_trip(&k);
}

#[test]
fn historical_imbot_example_with_every_action() {
    // HISTORICAL keyboards.md, imbot.message.add with BOT_ID 1291 (injected by the method).
    let input = json!({"BUTTONS":[
        {"TEXT":"Open Website","LINK":"https://www.example.com/","DISPLAY":"LINE","BG_COLOR_TOKEN":"primary"},
        {"TEXT":"Task Command","COMMAND":"task","COMMAND_PARAMS":"task #1","DISPLAY":"LINE","BG_COLOR_TOKEN":"secondary"},
        {"TYPE":"NEWLINE"},
        {"TEXT":"Insert Text","ACTION":"PUT","ACTION_VALUE":"/task task #1","DISPLAY":"BLOCK","BG_COLOR_TOKEN":"alert","TEXT_COLOR":"#FFFFFF"},
        {"TEXT":"Neutral Button","ACTION":"SEND","ACTION_VALUE":"Done","DISPLAY":"BLOCK","BG_COLOR_TOKEN":"base"}
    ]});
    let k = set(input.clone(), Some(1291));
    assert_eq!(k.buttons.len(), 5);
    let b = buttons(&k);
    assert_eq!(b[0].display, ButtonDisplay::Line);
    assert_eq!(b[0].bg_color_token, ColorToken::Primary);
    assert_eq!(b[1].action, ButtonAction::Command { command: "task".into(), params: "task #1".into() });
    assert_eq!(b[1].bot_id, 1291);
    assert_eq!(b[1].bg_color_token, ColorToken::Secondary);
    assert_eq!(b[2].text_color.as_deref(), Some("#FFFFFF"));
    assert_eq!(b[2].bg_color_token, ColorToken::Alert);
    assert_eq!(b[3].action, ButtonAction::Action { kind: ActionKind::Send, value: "Done".into() });
    assert!(b.iter().all(|b| b.bot_id == 1291), "every stored button carries the keyboard's bot");
    assert_round_trip(&k);

    // Through im.message.add (no bot) the COMMAND button is dropped silently; the rest stays.
    let k = set(input, None);
    assert_eq!(k.buttons.len(), 4);
    assert!(k.buttons().all(|b| b.action.command().is_none() && b.bot_id == 0));
}

#[test]
fn full_and_short_format_examples_are_the_same_keyboard() {
    let full = set(json!({"BUTTONS": [{ "TEXT": "Button", "LINK": "https://example.com" }]}), None);
    let short = set(json!([{ "TEXT": "Button", "LINK": "https://example.com" }]), None);
    assert_eq!(full, short);
    assert_eq!(full.buttons, vec![KeyboardItem::Button(link("Button", "https://example.com"))]);
}

#[test]
fn v2_example_with_bot_id_inside_the_keyboard() {
    // imbot.v2 message-keyboards.md: BOT_ID at the level of BUTTONS routes commands on im.* and updates.
    let k = set(
        json!({"BOT_ID":456,"BUTTONS":[{"TEXT":"Open website","LINK":"https://www.example.com/"},{"TYPE":"NEWLINE"},{"TEXT":"Run","COMMAND":"/help"}]}),
        None,
    );
    let b = buttons(&k);
    assert_eq!(b[1].action.command(), Some(("help", "")));
    assert_eq!(b[1].bot_id, 456);
    assert_eq!(b[0].bot_id, 456);
}

#[test]
fn command_answer_example() {
    // imbot.command.answer page: a COMMAND with a space in it is kept as given.
    let k = set(json!({"BUTTONS":[{"TEXT":"Repeat","COMMAND":"echo repeat"}]}), Some(7));
    assert_eq!(buttons(&k)[0].action.command(), Some(("echo repeat", "")));
}

// ----- input forms -----

#[test]
fn every_input_form_gives_the_same_keyboard() {
    let expected = set(
        json!({"BOT_ID": 5, "BUTTONS": [{"TEXT":"Go","LINK":"/x"},{"TYPE":"NEWLINE"},{"TEXT":"Run","COMMAND":"run","COMMAND_PARAMS":"1"}]}),
        None,
    );
    let array =
        json!([{"TEXT":"Go","LINK":"/x"},{"TYPE":"NEWLINE"},{"TEXT":"Run","COMMAND":"run","COMMAND_PARAMS":"1"}]);
    // Bare array, with the bot injected.
    assert_eq!(set(array.clone(), Some(5)), expected);
    // A JSON string, of either shape.
    assert_eq!(set(Value::String(array.to_string()), Some(5)), expected);
    assert_eq!(set(Value::String(json!({"BOT_ID": "5", "BUTTONS": array.clone()}).to_string()), None), expected);
    // Form-encoded: what PHP's parse_str (and our form decoder) make of KEYBOARD[0][TEXT]=…
    let q = "KEYBOARD[0][TEXT]=Go&KEYBOARD[0][LINK]=%2Fx&KEYBOARD[1][TYPE]=NEWLINE\
             &KEYBOARD[2][TEXT]=Run&KEYBOARD[2][COMMAND]=run&KEYBOARD[2][COMMAND_PARAMS]=1";
    let form = parse_str(q);
    assert!(form["KEYBOARD"].is_object(), "form input gives objects keyed 0, 1, …");
    assert_eq!(Keyboard::parse(form.get("KEYBOARD"), Some(5)), Ok(Field::Set(expected.clone())));
    let q = "KEYBOARD[BOT_ID]=5&KEYBOARD[BUTTONS][0][TEXT]=Go&KEYBOARD[BUTTONS][0][LINK]=%2Fx\
             &KEYBOARD[BUTTONS][1][TYPE]=NEWLINE&KEYBOARD[BUTTONS][2][TEXT]=Run\
             &KEYBOARD[BUTTONS][2][COMMAND]=run&KEYBOARD[BUTTONS][2][COMMAND_PARAMS]=1";
    let form = parse_str(q);
    assert_eq!(Keyboard::parse(form.get("KEYBOARD"), None), Ok(Field::Set(expected)));
}

#[test]
fn json_numbers_and_strings_are_alike() {
    let a = set(json!({"BOT_ID": 9, "BUTTONS": [{"TEXT": 42, "COMMAND": "x", "WIDTH": 100}]}), None);
    let b = set(json!({"BOT_ID": "9", "BUTTONS": [{"TEXT": "42", "COMMAND": "x", "WIDTH": "100"}]}), None);
    assert_eq!(a, b);
    assert_eq!(buttons(&a)[0].width, Some(100));
}

#[test]
fn empty_and_n_clear_absent_and_null_do_not() {
    for v in [
        json!(""),
        json!("N"),
        json!(" n "),
        json!("0"),
        json!([]),
        json!({}),
        json!(false),
        json!(0),
        json!("[]"),
        json!("{}"),
    ] {
        assert_eq!(parse(v.clone(), None), Ok(Field::Clear), "{v}");
    }
    assert_eq!(Keyboard::parse(None, None), Ok(Field::Absent));
    assert_eq!(Keyboard::parse(Some(&Value::Null), None), Ok(Field::Absent));
    assert_eq!(Field::<Keyboard>::Clear.into_update(), Some(None));
    assert_eq!(Field::<Keyboard>::Absent.into_update(), None);
}

#[test]
fn malformed_values_are_keyboard_errors() {
    for v in [json!("{not json"), json!("[1"), json!("5"), json!("\"text\""), json!(true), json!(3), json!("Y")] {
        let e = err(v.clone(), None);
        assert!(e.is(ErrorCode::KEYBOARD_ERROR), "{v}: {e}");
        assert_eq!(e.status, 400);
        assert!(e.description.starts_with("Incorrect keyboard params"), "{}", e.description);
    }
    let e = err(json!({"BUTTONS": "nope"}), None);
    assert!(e.description.contains("BUTTONS"), "{}", e.description);
}

// ----- dropping invalid buttons -----

#[test]
fn invalid_buttons_are_dropped_silently() {
    let k = set(
        json!([
            {"LINK": "https://no-text.example"},
            {"TEXT": "   ", "LINK": "/blank-text"},
            {"TEXT": "ftp", "LINK": "ftp://example.com"},
            {"TEXT": "js", "LINK": "javascript:alert(1)"},
            {"TEXT": "bad action", "ACTION": "OPEN", "ACTION_VALUE": "x"},
            {"TEXT": "no value", "ACTION": "COPY", "ACTION_VALUE": "  "},
            {"TEXT": "no action"},
            "a string",
            42,
            {"TEXT": "  Kept  ", "LINK": "/ok", "UNKNOWN_FIELD": {"nested": true}, "BG_COLOR_TOKEN": "nope"}
        ]),
        None,
    );
    let mut kept = link("Kept", "/ok");
    kept.bg_color_token = ColorToken::Base;
    assert_eq!(k.buttons, vec![KeyboardItem::Button(kept)]);
}

#[test]
fn no_valid_button_is_keyboard_error_naming_the_buttons() {
    let e = err(json!([{"TEXT": "a"}, {"LINK": "/x"}, {"TEXT": "c", "LINK": "mailto:x@example.com"}]), None);
    assert!(e.is(ErrorCode::KEYBOARD_ERROR));
    assert_eq!(e.status, 400);
    let d = &e.description;
    assert!(d.contains("button 0: no action"), "{d}");
    assert!(d.contains("button 1: TEXT"), "{d}");
    assert!(d.contains("button 2: LINK \"mailto:x@example.com\""), "{d}");
}

#[test]
fn only_line_breaks_is_keyboard_error() {
    let e = err(json!([{"TYPE": "NEWLINE"}, {"TYPE": "newline"}]), None);
    assert!(e.is(ErrorCode::KEYBOARD_ERROR), "{e}");
    let e = err(json!({"BUTTONS": [{"TEXT": "x", "COMMAND": "go"}]}), None);
    assert!(e.description.contains("needs a bot"), "{}", e.description);
}

#[test]
fn a_newline_ignores_its_other_fields() {
    let k = set(json!([{"TYPE": "NEWLINE", "TEXT": "ignored", "LINK": "/x"}, {"TEXT": "a", "LINK": "/a"}]), None);
    assert_eq!(k.buttons[0], KeyboardItem::NewLine);
    assert_eq!(k.buttons.len(), 2);
}

// ----- actions, commands and bots -----

#[test]
fn command_needs_a_bot() {
    let one = json!([{"TEXT": "Run", "COMMAND": "run"}, {"TEXT": "Site", "LINK": "/"}]);
    let k = set(one.clone(), None);
    assert_eq!(k.buttons.len(), 1, "the COMMAND button is dropped without a bot");
    let k = set(one.clone(), Some(0));
    assert_eq!(k.buttons.len(), 1, "bot 0 is no bot");
    let k = set(one, Some(3));
    assert_eq!(buttons(&k)[0].action.command(), Some(("run", "")));
    assert_eq!(buttons(&k)[0].bot_id, 3);
}

#[test]
fn injected_bot_replaces_the_keyboard_bot_and_button_bot_is_the_fallback() {
    let v = json!({"BOT_ID": 5, "BUTTONS": [{"TEXT": "Run", "COMMAND": "run", "BOT_ID": 8}]});
    assert_eq!(buttons(&set(v.clone(), Some(3)))[0].bot_id, 3);
    assert_eq!(buttons(&set(v, None))[0].bot_id, 5);
    let v = json!([{"TEXT": "Run", "COMMAND": "run", "BOT_ID": 8}]);
    assert_eq!(buttons(&set(v, None))[0].bot_id, 8);
}

#[test]
fn command_is_normalised() {
    let k = set(
        json!([
            {"TEXT": "a", "COMMAND": "/help", "COMMAND_PARAMS": "   "},
            {"TEXT": "b", "COMMAND": "  //echo  ", "COMMAND_PARAMS": " x ", "BLOCK": "Y"},
            {"TEXT": "c", "COMMAND": "/"}
        ]),
        Some(1),
    );
    let b = buttons(&k);
    assert_eq!(b.len(), 2, "a command of only slashes is no command");
    assert_eq!(b[0].action.command(), Some(("help", "")));
    assert!(!b[0].block);
    assert_eq!(b[1].action.command(), Some(("echo", " x ")));
    assert!(b[1].block);
}

#[test]
fn block_is_kept_for_commands_only() {
    let k = set(json!([{"TEXT": "a", "ACTION": "SEND", "ACTION_VALUE": "hi", "BLOCK": "Y"}]), Some(1));
    assert!(!buttons(&k)[0].block);
    assert!(k.to_value()[0].get("BLOCK").is_none());
}

#[test]
fn action_priority_is_link_function_app_action_command() {
    let all = json!({"TEXT": "t", "LINK": "https://a", "FUNCTION": "f", "APP_ID": 4, "APP_PARAMS": "p",
                     "ACTION": "COPY", "ACTION_VALUE": "v", "COMMAND": "c"});
    let pick = |drop: &[&str]| {
        let mut b = all.clone();
        for k in drop {
            b.as_object_mut().unwrap().remove(*k);
        }
        buttons(&set(json!([b]), Some(1)))[0].action.clone()
    };
    assert_eq!(pick(&[]), ButtonAction::Link("https://a".into()));
    assert_eq!(pick(&["LINK"]), ButtonAction::Function("f".into()));
    assert_eq!(pick(&["LINK", "FUNCTION"]), ButtonAction::App { app_id: 4, params: "p".into() });
    assert_eq!(
        pick(&["LINK", "FUNCTION", "APP_ID"]),
        ButtonAction::Action { kind: ActionKind::Copy, value: "v".into() }
    );
    assert_eq!(
        pick(&["LINK", "FUNCTION", "APP_ID", "ACTION"]),
        ButtonAction::Command { command: "c".into(), params: String::new() }
    );
    // An invalid higher-priority action falls through to the next valid one.
    let b =
        json!([{"TEXT": "t", "LINK": "ftp://x", "APP_ID": 0, "ACTION": "BOGUS", "ACTION_VALUE": "v", "COMMAND": "c"}]);
    assert_eq!(buttons(&set(b, Some(1)))[0].action.command(), Some(("c", "")));
}

#[test]
fn every_documented_action_kind_is_accepted_in_any_case() {
    for (name, kind) in [
        ("PUT", ActionKind::Put),
        ("send", ActionKind::Send),
        ("Copy", ActionKind::Copy),
        ("CALL", ActionKind::Call),
        ("DIALOG", ActionKind::Dialog),
    ] {
        let k = set(json!([{"TEXT": "t", "ACTION": name, "ACTION_VALUE": "v"}]), None);
        assert_eq!(buttons(&k)[0].action, ButtonAction::Action { kind, value: "v".into() });
        assert_eq!(k.to_value()[0]["ACTION"], json!(kind.as_str()));
    }
}

#[test]
fn links_must_be_http_https_or_root_relative() {
    for ok in ["/", "/path?q=1", "http://x", "https://example.com/a", "HTTPS://EXAMPLE.COM"] {
        let k = set(json!([{"TEXT": "t", "LINK": ok}]), None);
        assert_eq!(buttons(&k)[0].action, ButtonAction::Link(ok.into()), "{ok}");
    }
    for bad in ["example.com", "ftp://x", "javascript:alert(1)", " https://x", "", "http:/x", "data:text/html,x"] {
        let e = err(json!([{"TEXT": "t", "LINK": bad}]), None);
        assert!(e.is(ErrorCode::KEYBOARD_ERROR), "{bad}");
    }
}

// ----- optional fields -----

#[test]
fn colors_are_validated_and_keyboard_colors_are_defaults() {
    let k = set(
        json!({"COLORS": {"BG_COLOR": "#123", "TEXT_COLOR": "red", "OFF_BG_COLOR": "#abcdef", "OFF_TEXT_COLOR": "#ABCDEF"},
        "BUTTONS": [
            {"TEXT": "a", "LINK": "/"},
            {"TEXT": "b", "LINK": "/", "BG_COLOR": "#FF0000", "TEXT_COLOR": "#0f0"},
            {"TEXT": "c", "LINK": "/", "BG_COLOR": "#GG0000", "TEXT_COLOR": "#1234", "OFF_BG_COLOR": "fff"}
        ]}),
        None,
    );
    let b = buttons(&k);
    assert_eq!(b[0].bg_color.as_deref(), Some("#123"));
    assert_eq!(b[0].text_color, None, "`red` is not #RGB");
    assert_eq!(b[0].off_bg_color.as_deref(), Some("#abcdef"));
    assert_eq!(b[0].off_text_color.as_deref(), Some("#ABCDEF"));
    assert_eq!(b[1].bg_color.as_deref(), Some("#FF0000"), "a button's own colour wins");
    assert_eq!(b[1].text_color.as_deref(), Some("#0f0"));
    assert_eq!(b[2].bg_color.as_deref(), Some("#123"), "an invalid colour falls back to the keyboard's");
    assert_eq!(b[2].text_color, None);
    assert_eq!(b[2].off_bg_color.as_deref(), Some("#abcdef"));
    assert_round_trip(&k);
}

#[test]
fn enumerations_flags_and_width() {
    let k = set(
        json!([
            {"TEXT": "a", "LINK": "/", "CONTEXT": "mobile", "DISPLAY": "line", "DISABLED": "Y", "WIDTH": 120, "BG_COLOR_TOKEN": "ALERT"},
            {"TEXT": "b", "LINK": "/", "CONTEXT": "TV", "DISPLAY": "GRID", "DISABLED": "N", "WIDTH": -5, "BG_COLOR_TOKEN": ""},
            {"TEXT": "c", "LINK": "/", "CONTEXT": "DESKTOP", "DISABLED": true, "WIDTH": "abc"}
        ]),
        None,
    );
    let b = buttons(&k);
    assert_eq!(
        (b[0].context, b[0].display, b[0].disabled, b[0].width),
        (Context::Mobile, ButtonDisplay::Line, true, Some(120))
    );
    assert_eq!(b[0].bg_color_token, ColorToken::Alert);
    assert_eq!(
        (b[1].context, b[1].display, b[1].disabled, b[1].width),
        (Context::All, ButtonDisplay::Block, false, None)
    );
    assert_eq!(b[1].bg_color_token, ColorToken::Base);
    assert_eq!((b[2].context, b[2].disabled, b[2].width), (Context::Desktop, true, None));
    assert_round_trip(&k);
}

#[test]
fn vote_applies_to_every_button() {
    let k = set(
        json!({"VOTE": "Y", "BUTTONS": [{"TEXT": "yes", "SEND": 1, "ACTION": "SEND", "ACTION_VALUE": "yes"}, {"TEXT": "no", "LINK": "/"}]}),
        None,
    );
    assert!(k.buttons().all(|b| b.vote));
    assert_round_trip(&k);
}

// ----- stored form -----

#[test]
fn stored_form_has_bitrix_shape() {
    let k = set(
        json!({"BOT_ID": 12, "BUTTONS": [
            {"TEXT": "Run", "COMMAND": "/run", "COMMAND_PARAMS": "now", "BLOCK": "Y", "WIDTH": 50, "BG_COLOR": "#fff"},
            {"TYPE": "NEWLINE"},
            {"TEXT": "Site", "LINK": "https://example.com", "EXTRA": 1}
        ]}),
        None,
    );
    assert_eq!(
        k.to_value(),
        json!([
            {"TYPE": "BUTTON", "TEXT": "Run", "COMMAND": "run", "COMMAND_PARAMS": "now", "BLOCK": "Y", "BOT_ID": 12,
             "VOTE": "N", "WAIT": "N", "CONTEXT": "ALL", "DISABLED": "N", "DISPLAY": "BLOCK", "WIDTH": 50,
             "BG_COLOR": "#fff", "BG_COLOR_TOKEN": "base"},
            {"TYPE": "NEWLINE"},
            {"TYPE": "BUTTON", "TEXT": "Site", "LINK": "https://example.com", "BOT_ID": 12, "VOTE": "N", "WAIT": "N",
             "CONTEXT": "ALL", "DISABLED": "N", "DISPLAY": "BLOCK", "BG_COLOR_TOKEN": "base"}
        ])
    );
    // Key order is fixed (serde_json's preserve_order): TYPE first, BG_COLOR_TOKEN last.
    let keys: Vec<_> = k.to_value()[0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.first().map(String::as_str), Some("TYPE"));
    assert_eq!(keys.last().map(String::as_str), Some("BG_COLOR_TOKEN"));
    assert_round_trip(&k);
}

#[test]
fn app_buttons_store_app_params() {
    let k = set(json!([{"TEXT": "App", "APP_ID": "17"}]), None);
    assert_eq!(buttons(&k)[0].action, ButtonAction::App { app_id: 17, params: String::new() });
    assert_eq!(k.to_value()[0]["APP_PARAMS"], json!(""));
    assert_round_trip(&k);
}

// ----- size -----

#[test]
fn oversize_at_60000_characters() {
    let keyboard = |n: usize| json!([{"TEXT": "x".repeat(n), "LINK": "/"}]);
    let base = encoded_len(&set(keyboard(1), None).to_value());
    let n = MAX_ENCODED_LEN - base + 1; // stored form exactly 60 000 characters
    assert_eq!(encoded_len(&set(keyboard(n - 1), None).to_value()), MAX_ENCODED_LEN - 1);
    let e = err(keyboard(n), None);
    assert!(e.is(ErrorCode::KEYBOARD_OVERSIZE), "{e}");
    assert_eq!(e.status, 400);
    assert!(e.description.contains("60000"), "{}", e.description);
}

#[test]
fn size_counts_php_escapes_and_characters_not_bytes() {
    // `/` is written `\/` by PHP's encoder: each costs two characters; a Cyrillic letter costs one.
    let slashes = set(json!([{"TEXT": "t", "LINK": "/".repeat(100)}]), None);
    let plain = set(json!([{"TEXT": "t", "LINK": format!("/{}", "a".repeat(99))}]), None);
    assert_eq!(encoded_len(&slashes.to_value()), encoded_len(&plain.to_value()) + 99);
    let cyr = set(json!([{"TEXT": "ж".repeat(10), "LINK": "/"}]), None);
    let lat = set(json!([{"TEXT": "z".repeat(10), "LINK": "/"}]), None);
    assert_eq!(encoded_len(&cyr.to_value()), encoded_len(&lat.to_value()));
}
