//! MENU parsing (SPEC-NOTES §7.3): the documented examples, every input form, clearing, dropped items, COMMAND
//! routing, links, the stored form and the size limit.

use imbot_wire::form::parse_str;
use imbot_wire::rich::{encoded_len, ActionKind, ButtonAction, Context, Field, Menu, MenuItem, MAX_ENCODED_LEN};
use imbot_wire::{ApiError, ErrorCode};
use serde_json::{json, Value};

fn parse(v: Value, bot: Option<i64>) -> Result<Field<Menu>, ApiError> {
    Menu::parse(Some(&v), bot)
}

fn set(v: Value, bot: Option<i64>) -> Menu {
    match parse(v.clone(), bot) {
        Ok(Field::Set(m)) => m,
        other => panic!("{v} did not parse to a menu: {other:?}"),
    }
}

fn err(v: Value, bot: Option<i64>) -> ApiError {
    match parse(v.clone(), bot) {
        Err(e) => e,
        other => panic!("{v} should fail: {other:?}"),
    }
}

fn assert_round_trip(m: &Menu) {
    let stored = m.to_value();
    assert_eq!(parse(stored.clone(), None), Ok(Field::Set(m.clone())), "stored {stored}");
    assert_eq!(Menu::from_stored(&stored).as_ref(), Some(m));
}

#[test]
fn documented_example() {
    // chats/messages/menu.md, im.message.add
    let m = set(
        json!({"ITEMS":[{"TEXT":"Open Website","LINK":"https://www.example.com/"},{"TEXT":"Send Text","ACTION":"SEND","ACTION_VALUE":"Done"}]}),
        None,
    );
    assert_eq!(
        m.items,
        vec![
            MenuItem::new("Open Website", ButtonAction::Link("https://www.example.com/".into())),
            MenuItem::new("Send Text", ButtonAction::Action { kind: ActionKind::Send, value: "Done".into() }),
        ]
    );
    assert_round_trip(&m);
}

#[test]
fn full_and_short_examples_and_command_answer_example() {
    let full = set(json!({"ITEMS": [{ "TEXT": "Open Website", "LINK": "https://example.com" }]}), None);
    let short = set(json!([{ "TEXT": "Open Website", "LINK": "https://example.com" }]), None);
    assert_eq!(full, short);
    // imbot.command.answer page
    let m = set(json!([{"TEXT": "bitrix24", "LINK": "https://bitrix24.com"}]), Some(7));
    assert_eq!(m.items[0].action, ButtonAction::Link("https://bitrix24.com".into()));
    assert_eq!(m.items[0].bot_id, 7);
}

#[test]
fn every_input_form_gives_the_same_menu() {
    let expected =
        set(json!({"BOT_ID": 4, "ITEMS": [{"TEXT": "Site", "LINK": "/a"}, {"TEXT": "Do", "COMMAND": "do"}]}), None);
    let array = json!([{"TEXT": "Site", "LINK": "/a"}, {"TEXT": "Do", "COMMAND": "do"}]);
    assert_eq!(set(array.clone(), Some(4)), expected);
    assert_eq!(set(Value::String(array.to_string()), Some(4)), expected);
    assert_eq!(set(Value::String(json!({"ITEMS": array, "BOT_ID": 4}).to_string()), None), expected);
    let form = parse_str("MENU[0][TEXT]=Site&MENU[0][LINK]=%2Fa&MENU[1][TEXT]=Do&MENU[1][COMMAND]=do");
    assert_eq!(Menu::parse(form.get("MENU"), Some(4)), Ok(Field::Set(expected.clone())));
    let form = parse_str("MENU[BOT_ID]=4&MENU[ITEMS][0][TEXT]=Site&MENU[ITEMS][0][LINK]=%2Fa&MENU[ITEMS][1][TEXT]=Do&MENU[ITEMS][1][COMMAND]=do");
    assert_eq!(Menu::parse(form.get("MENU"), None), Ok(Field::Set(expected)));
}

#[test]
fn clearing_and_absence() {
    for v in [json!(""), json!("N"), json!([]), json!({}), json!("0"), json!(false)] {
        assert_eq!(parse(v.clone(), None), Ok(Field::Clear), "{v}");
    }
    assert_eq!(Menu::parse(None, None), Ok(Field::Absent));
    assert_eq!(Menu::parse(Some(&Value::Null), None), Ok(Field::Absent));
}

#[test]
fn invalid_items_are_dropped_and_none_left_is_menu_error() {
    let m = set(
        json!([{"TEXT": "no action"}, {"LINK": "/no-text"}, {"TEXT": "cmd", "COMMAND": "x"}, "str",
               {"TEXT": "ok", "LINK": "/ok", "WHATEVER": [1, 2]}]),
        None,
    );
    assert_eq!(m.items, vec![MenuItem::new("ok", ButtonAction::Link("/ok".into()))]);

    let e = err(json!([{"TEXT": "cmd", "COMMAND": "x"}, {"TYPE": "NEWLINE"}]), None);
    assert!(e.is(ErrorCode::MENU_ERROR), "{e}");
    assert_eq!(e.status, 400);
    assert!(e.description.starts_with("Incorrect menu params"), "{}", e.description);
    assert!(e.description.contains("item 0: COMMAND"), "{}", e.description);
    assert!(e.description.contains("item 1: TEXT"), "{}", e.description);
    for bad in [json!("{oops"), json!(1), json!({"ITEMS": 5})] {
        assert!(err(bad.clone(), None).is(ErrorCode::MENU_ERROR), "{bad}");
    }
}

#[test]
fn commands_need_a_bot_and_are_normalised() {
    let m = set(json!([{"TEXT": "Do", "COMMAND": "/do", "COMMAND_PARAMS": "now"}]), Some(2));
    assert_eq!(m.items[0].action, ButtonAction::Command { command: "do".into(), params: "now".into() });
    assert_eq!(m.items[0].bot_id, 2);
    assert_round_trip(&m);
    let m = set(json!({"BOT_ID": 5, "ITEMS": [{"TEXT": "Do", "COMMAND": "do"}]}), Some(9));
    assert_eq!(m.items[0].bot_id, 9, "the method's bot replaces the menu's");
}

#[test]
fn links_context_and_disabled() {
    let m = set(
        json!([{"TEXT": "a", "LINK": "javascript:x", "ACTION": "CALL", "ACTION_VALUE": "+100", "CONTEXT": "mobile", "DISABLED": "Y"},
               {"TEXT": "b", "LINK": "http://x", "CONTEXT": "nowhere"}]),
        None,
    );
    assert_eq!(m.items[0].action, ButtonAction::Action { kind: ActionKind::Call, value: "+100".into() });
    assert_eq!((m.items[0].context, m.items[0].disabled), (Context::Mobile, true));
    assert_eq!((m.items[1].context, m.items[1].disabled), (Context::All, false));
    assert!(err(json!([{"TEXT": "a", "LINK": "www.example.com"}]), None).is(ErrorCode::MENU_ERROR));
    assert_round_trip(&m);
}

#[test]
fn stored_form() {
    let m = set(
        json!({"BOT_ID": 3, "ITEMS": [{"TEXT": "Do", "COMMAND": "do"}, {"TEXT": "App", "APP_ID": 8, "APP_PARAMS": "x"}]}),
        None,
    );
    assert_eq!(
        m.to_value(),
        json!([
            {"TEXT": "Do", "COMMAND": "do", "COMMAND_PARAMS": "", "BOT_ID": 3, "CONTEXT": "ALL", "DISABLED": "N"},
            {"TEXT": "App", "APP_ID": 8, "APP_PARAMS": "x", "BOT_ID": 3, "CONTEXT": "ALL", "DISABLED": "N"}
        ])
    );
    assert_round_trip(&m);
}

#[test]
fn oversize_at_60000_characters() {
    let menu = |n: usize| json!([{"TEXT": "x".repeat(n), "LINK": "/"}]);
    let base = encoded_len(&set(menu(1), None).to_value());
    let n = MAX_ENCODED_LEN - base + 1;
    assert_eq!(encoded_len(&set(menu(n - 1), None).to_value()), MAX_ENCODED_LEN - 1);
    let e = err(menu(n), None);
    assert!(e.is(ErrorCode::MENU_OVERSIZE), "{e}");
    assert_eq!(e.status, 400);
}
