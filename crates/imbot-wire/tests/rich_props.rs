//! Properties of the ATTACH / KEYBOARD / MENU parsers:
//!
//! * no JSON value (nor its JSON text given as a string) makes a parser panic;
//! * whatever a parser accepts is a fixed point of its stored form: `parse(to_value(parse(v))) == parse(v)`;
//! * for generated valid keyboards, menus and attachments, `parse(to_value(x)) == x`.

use imbot_wire::rich::{
    ActionKind, Attach, Attachment, AvatarType, Block, Button, ButtonAction, ButtonDisplay, ColorToken, Context,
    Delimiter, Field, FileItem, GridDisplay, GridItem, ImageItem, Keyboard, KeyboardItem, LinkBlock, Menu, MenuItem,
    UserBlock,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};

// ----- arbitrary JSON, biased towards the keys and values the parsers look at -----

const KEYS: &[&str] = &[
    "BUTTONS",
    "ITEMS",
    "BLOCKS",
    "BOT_ID",
    "COLORS",
    "VOTE",
    "ID",
    "COLOR",
    "COLOR_TOKEN",
    "TYPE",
    "TEXT",
    "LINK",
    "FUNCTION",
    "APP_ID",
    "APP_PARAMS",
    "ACTION",
    "ACTION_VALUE",
    "COMMAND",
    "COMMAND_PARAMS",
    "BLOCK",
    "DISABLED",
    "CONTEXT",
    "DISPLAY",
    "WIDTH",
    "HEIGHT",
    "BG_COLOR",
    "TEXT_COLOR",
    "BG_COLOR_TOKEN",
    "MESSAGE",
    "USER",
    "GRID",
    "IMAGE",
    "FILE",
    "DELIMITER",
    "NAME",
    "VALUE",
    "SIZE",
    "AVATAR",
    "USER_ID",
    "CHAT_ID",
    "NETWORK_ID",
    "PREVIEW",
    "0",
    "1",
    "2",
    "x",
];

const STRINGS: &[&str] = &[
    "",
    "N",
    "Y",
    "0",
    "NEWLINE",
    "BUTTON",
    "PUT",
    "SEND",
    "ROW",
    "LINE",
    "BLOCK",
    "TABLE",
    "primary",
    "/",
    "/help",
    "https://example.com",
    "http://x",
    "ftp://x",
    "javascript:alert(1)",
    "#fff",
    "#123456",
    "#12",
    "[]",
    "{}",
    "[{\"TEXT\":\"a\",\"LINK\":\"/\"}]",
    "{\"BLOCKS\":[{\"MESSAGE\":\"m\"}]}",
    "  ",
    "-1",
    "1e3",
    "ж",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-3i64..300).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        select(STRINGS).prop_map(Value::from),
        "(?s).{0,12}".prop_map(Value::from),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        let key = prop_oneof![4 => select(KEYS).prop_map(str::to_owned), 1 => "(?s).{0,6}"];
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key, inner.clone()), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
            // JSON text inside a string, as form and some SDKs send it.
            inner.prop_map(|v| Value::String(v.to_string())),
        ]
    })
}

/// A field value near what the parsers expect: documented strings, small numbers, flags, sometimes junk.
fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => select(STRINGS).prop_map(Value::from),
        2 => (-2i64..2000).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => leaf(),
    ]
}

/// An object built from `keys` (each maybe present) with near-valid values; `TEXT`/`NAME` usually present.
fn near_object(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (vec((select(keys), field_value()), 0..6), option::weighted(0.8, "[A-Za-z ]{0,6}")).prop_map(|(kv, text)| {
        let mut m: Map<String, Value> = kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        if let Some(t) = text {
            m.insert("TEXT".to_owned(), Value::from(t.clone()));
            m.insert("NAME".to_owned(), Value::from(t));
        }
        Value::Object(m)
    })
}

const BUTTON_KEYS: &[&str] = &[
    "TYPE",
    "LINK",
    "FUNCTION",
    "APP_ID",
    "APP_PARAMS",
    "ACTION",
    "ACTION_VALUE",
    "COMMAND",
    "COMMAND_PARAMS",
    "BLOCK",
    "DISABLED",
    "CONTEXT",
    "DISPLAY",
    "WIDTH",
    "BG_COLOR",
    "TEXT_COLOR",
    "OFF_BG_COLOR",
    "BG_COLOR_TOKEN",
    "BOT_ID",
    "VOTE",
];
const ITEM_KEYS: &[&str] = &[
    "LINK",
    "DISPLAY",
    "VALUE",
    "WIDTH",
    "HEIGHT",
    "SIZE",
    "COLOR",
    "COLOR_TOKEN",
    "PREVIEW",
    "AVATAR",
    "AVATAR_TYPE",
    "USER_ID",
    "CHAT_ID",
    "BOT_ID",
    "NETWORK_ID",
    "DESC",
];
const BLOCK_KEYS: &[&str] = &["MESSAGE", "LINK", "USER", "GRID", "IMAGE", "FILE", "DELIMITER", "OTHER"];

/// A list either as a JSON array or as a form-decoded object keyed "0", "1", ….
fn listish(items: Vec<Value>, as_form: bool) -> Value {
    if as_form {
        Value::Object(items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect())
    } else {
        Value::Array(items)
    }
}

/// A block item (link, user, grid item, image, file), usually with a `LINK` and a `DISPLAY`.
fn near_item() -> impl Strategy<Value = Value> {
    (
        near_object(ITEM_KEYS),
        option::weighted(0.7, select(&["/a", "https://x/y", "ftp://no"][..])),
        option::weighted(0.7, select(&["ROW", "line", "BAD"][..])),
    )
        .prop_map(|(mut item, link, display)| {
            let m = item.as_object_mut().expect("near_object builds objects");
            if let Some(l) = link {
                m.insert("LINK".to_owned(), Value::from(l));
            }
            if let Some(d) = display {
                m.insert("DISPLAY".to_owned(), Value::from(d));
            }
            item
        })
}

fn near_block() -> impl Strategy<Value = Value> {
    let items = (vec(near_item(), 0..3), any::<bool>(), any::<bool>()).prop_map(|(items, single, form)| {
        if single && !items.is_empty() {
            items[0].clone()
        } else {
            listish(items, form)
        }
    });
    let inner = prop_oneof![3 => items, 1 => field_value()];
    vec((select(BLOCK_KEYS), inner), 1..3)
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

fn near_buttons() -> impl Strategy<Value = Value> {
    (vec(near_object(BUTTON_KEYS), 0..5), any::<bool>()).prop_map(|(b, form)| listish(b, form))
}

fn near_blocks() -> impl Strategy<Value = Value> {
    (vec(near_block(), 0..4), any::<bool>()).prop_map(|(b, form)| listish(b, form))
}

fn wrap(key: &str, list: Value, extra: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    m.insert(key.to_owned(), list);
    for (k, v) in extra {
        m.insert(k.to_owned(), v);
    }
    Value::Object(m)
}

/// Keyboards, menus and attachments that are nearly valid, in every input shape.
fn near_rich() -> impl Strategy<Value = Value> {
    prop_oneof![
        near_buttons(),
        (near_buttons(), field_value(), field_value()).prop_map(|(b, bot, vote)| wrap(
            "BUTTONS",
            b,
            vec![("BOT_ID", bot), ("VOTE", vote)]
        )),
        (near_buttons(), field_value()).prop_map(|(b, bot)| wrap("ITEMS", b, vec![("BOT_ID", bot)])),
        near_blocks(),
        (near_blocks(), field_value(), field_value()).prop_map(|(b, id, c)| wrap(
            "BLOCKS",
            b,
            vec![("ID", id), ("COLOR", c)]
        )),
        vec(near_blocks().prop_map(|b| wrap("BLOCKS", b, vec![])), 1..3).prop_map(Value::Array),
    ]
}

/// Every parser on `v`; whatever is accepted must come back unchanged from its stored form.
fn check_all(v: &Value, bot: Option<i64>) -> Result<(), TestCaseError> {
    if let Ok(Field::Set(k)) = Keyboard::parse(Some(v), bot) {
        prop_assert!(k.buttons().count() > 0);
        prop_assert_eq!(Keyboard::parse(Some(&k.to_value()), None), Ok(Field::Set(k)));
    }
    if let Ok(Field::Set(m)) = Menu::parse(Some(v), bot) {
        prop_assert!(!m.items.is_empty());
        prop_assert_eq!(Menu::parse(Some(&m.to_value()), None), Ok(Field::Set(m)));
    }
    if let Ok(Field::Set(a)) = Attach::parse(Some(v)) {
        prop_assert!(a.attachments.iter().all(|x| !x.blocks.is_empty()));
        prop_assert_eq!(Attach::parse(Some(&a.to_value())), Ok(Field::Set(a)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_and_accepted_values_are_fixed_points(v in arb_json(), bot in option::of(-2i64..5)) {
        check_all(&v, bot)?;
        check_all(&Value::String(v.to_string()), bot)?;
    }

    #[test]
    fn near_valid_input_never_panics_and_accepted_values_are_fixed_points(v in near_rich(), bot in option::of(0i64..3)) {
        check_all(&v, bot)?;
        check_all(&Value::String(v.to_string()), bot)?;
    }

    #[test]
    fn wrapped_lists_never_panic(items in vec(arb_json(), 0..5), bot in option::of(0i64..3)) {
        let list = Value::Array(items);
        for key in ["BUTTONS", "ITEMS", "BLOCKS"] {
            let mut m = Map::new();
            m.insert(key.to_owned(), list.clone());
            m.insert("BOT_ID".to_owned(), Value::from(3));
            check_all(&Value::Object(m), bot)?;
        }
        check_all(&list, bot)?;
    }
}

// ----- generated valid values -----

fn trimmed_text() -> impl Strategy<Value = String> {
    "(?s).{1,12}".prop_map(|s| s.trim().to_owned()).prop_filter("non-empty", |s| !s.is_empty())
}

fn nonblank() -> impl Strategy<Value = String> {
    "(?s).{1,12}".prop_filter("not blank", |s| !s.trim().is_empty())
}

fn any_text() -> impl Strategy<Value = String> {
    "(?s).{0,12}"
}

fn params() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), nonblank()]
}

fn link() -> impl Strategy<Value = String> {
    prop_oneof!["/(?s).{0,10}", "https?://[a-z0-9.-]{1,12}(/[a-z0-9]{0,6})?", "(HTTP|Https)://(?s).{0,8}",]
}

fn color() -> impl Strategy<Value = String> {
    prop_oneof!["#[0-9a-fA-F]{3}", "#[0-9a-fA-F]{6}"]
}

fn pos() -> impl Strategy<Value = i64> {
    prop_oneof![1i64..10_000, 1i64..=i64::MAX]
}

fn command() -> impl Strategy<Value = String> {
    "(?s).{1,12}"
        .prop_map(|s| s.trim_start_matches(|c: char| c == '/' || c.is_whitespace()).trim_end().to_owned())
        .prop_filter("non-empty", |s| !s.is_empty())
}

fn action() -> impl Strategy<Value = ButtonAction> {
    prop_oneof![
        link().prop_map(ButtonAction::Link),
        nonblank().prop_map(ButtonAction::Function),
        (pos(), params()).prop_map(|(app_id, params)| ButtonAction::App { app_id, params }),
        (select(ActionKind::ALL), nonblank()).prop_map(|(kind, value)| ButtonAction::Action { kind, value }),
        (command(), params()).prop_map(|(command, params)| ButtonAction::Command { command, params }),
    ]
}

/// A COMMAND needs a bot > 0; other actions may have none (0).
fn bot_for(action: &ButtonAction, bot: i64) -> i64 {
    if matches!(action, ButtonAction::Command { .. }) && bot == 0 {
        1
    } else {
        bot
    }
}

fn button() -> impl Strategy<Value = Button> {
    (
        (trimmed_text(), action(), 0i64..50, any::<bool>(), any::<bool>(), select(Context::ALL), any::<bool>()),
        (
            select(ButtonDisplay::ALL),
            option::of(pos()),
            option::of(color()),
            option::of(color()),
            option::of(color()),
            option::of(color()),
            select(ColorToken::ALL),
        ),
    )
        .prop_map(
            |(
                (text, action, bot, block, vote, context, disabled),
                (display, width, bg_color, text_color, off_bg_color, off_text_color, bg_color_token),
            )| {
                let is_command = matches!(action, ButtonAction::Command { .. });
                Button {
                    text,
                    bot_id: bot_for(&action, bot),
                    block: block && is_command,
                    action,
                    vote,
                    context,
                    disabled,
                    display,
                    width,
                    bg_color,
                    text_color,
                    off_bg_color,
                    off_text_color,
                    bg_color_token,
                }
            },
        )
}

fn keyboard() -> impl Strategy<Value = Keyboard> {
    let item = prop_oneof![1 => Just(KeyboardItem::NewLine), 3 => button().prop_map(KeyboardItem::Button)];
    (vec(item, 0..6), button(), any::<prop::sample::Index>()).prop_map(|(mut buttons, first, at)| {
        let at = at.index(buttons.len() + 1);
        buttons.insert(at, KeyboardItem::Button(first));
        Keyboard { buttons }
    })
}

fn menu_item() -> impl Strategy<Value = MenuItem> {
    (trimmed_text(), action(), 0i64..50, select(Context::ALL), any::<bool>()).prop_map(
        |(text, action, bot, context, disabled)| MenuItem {
            text,
            bot_id: bot_for(&action, bot),
            action,
            context,
            disabled,
        },
    )
}

fn menu() -> impl Strategy<Value = Menu> {
    vec(menu_item(), 1..6).prop_map(|items| Menu { items })
}

fn link_block() -> impl Strategy<Value = LinkBlock> {
    (
        (option::of(link()), option::of(any_text()), option::of(any_text()), option::of(any_text())),
        (option::of(link()), option::of(pos()), option::of(pos())),
        (option::of(pos()), option::of(pos()), option::of(nonblank())),
    )
        .prop_map(|((link, name, desc, html), (preview, width, height), (user_id, chat_id, network_id))| {
            let mut b = LinkBlock { link, name, desc, html, preview, width, height, user_id, chat_id, network_id };
            if b.link.is_none() && b.user_id.is_none() && b.chat_id.is_none() && b.network_id.is_none() {
                b.chat_id = Some(1);
            }
            b
        })
}

fn user_block() -> impl Strategy<Value = UserBlock> {
    (
        (trimmed_text(), option::of(link()), option::of(select(AvatarType::ALL)), option::of(link())),
        (option::of(pos()), option::of(pos()), option::of(pos()), option::of(nonblank())),
    )
        .prop_map(|((name, avatar, avatar_type, link), (user_id, chat_id, bot_id, network_id))| UserBlock {
            name,
            avatar,
            avatar_type,
            link,
            user_id,
            chat_id,
            bot_id,
            network_id,
        })
}

fn grid_item() -> impl Strategy<Value = GridItem> {
    (
        (
            select(GridDisplay::ALL),
            option::of(any_text()),
            option::of(any_text()),
            option::of(pos()),
            option::of(pos()),
        ),
        (
            option::of(select(ColorToken::ALL)),
            option::of(color()),
            option::of(link()),
            option::of(pos()),
            option::of(pos()),
        ),
    )
        .prop_map(|((display, name, value, width, height), (color_token, color, link, user_id, chat_id))| {
            GridItem { display, name, value, width, height, color_token, color, link, user_id, chat_id }
        })
}

fn image_item() -> impl Strategy<Value = ImageItem> {
    (link(), option::of(any_text()), option::of(link()), option::of(pos()), option::of(pos()))
        .prop_map(|(link, name, preview, width, height)| ImageItem { link, name, preview, width, height })
}

fn file_item() -> impl Strategy<Value = FileItem> {
    (link(), option::of(any_text()), option::of(pos())).prop_map(|(link, name, size)| FileItem { link, name, size })
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        nonblank().prop_map(Block::Message),
        link_block().prop_map(Block::Link),
        user_block().prop_map(Block::User),
        vec(grid_item(), 1..4).prop_map(Block::Grid),
        vec(image_item(), 1..3).prop_map(Block::Image),
        vec(file_item(), 1..3).prop_map(Block::File),
        (pos(), option::of(color())).prop_map(|(size, color)| Block::Delimiter(Delimiter { size, color })),
    ]
}

fn attachment() -> impl Strategy<Value = Attachment> {
    (option::of(any::<i64>()), option::of(select(ColorToken::ALL)), option::of(color()), vec(block(), 1..5))
        .prop_map(|(id, color_token, color, blocks)| Attachment { id, color_token, color, blocks })
}

fn attach() -> impl Strategy<Value = Attach> {
    vec(attachment(), 1..3).prop_map(|attachments| Attach { attachments })
}

proptest! {
    #[test]
    fn keyboards_round_trip(k in keyboard()) {
        let stored = k.to_value();
        prop_assert_eq!(Keyboard::parse(Some(&stored), None), Ok(Field::Set(k.clone())));
        prop_assert_eq!(Keyboard::parse(Some(&Value::String(stored.to_string())), None), Ok(Field::Set(k.clone())));
        prop_assert_eq!(Keyboard::from_stored(&stored), Some(k));
    }

    #[test]
    fn menus_round_trip(m in menu()) {
        let stored = m.to_value();
        prop_assert_eq!(Menu::parse(Some(&stored), None), Ok(Field::Set(m.clone())));
        prop_assert_eq!(Menu::parse(Some(&Value::String(stored.to_string())), None), Ok(Field::Set(m.clone())));
        prop_assert_eq!(Menu::from_stored(&stored), Some(m));
    }

    #[test]
    fn attachments_round_trip(a in attach()) {
        let stored = a.to_value();
        prop_assert_eq!(Attach::parse(Some(&stored)), Ok(Field::Set(a.clone())));
        prop_assert_eq!(Attach::parse(Some(&Value::String(stored.to_string()))), Ok(Field::Set(a.clone())));
        prop_assert_eq!(Attach::from_stored(&stored), Some(a));
    }

    /// A single attachment also reads back from its full-object form (what a bot would send).
    #[test]
    fn a_single_attachment_round_trips_through_its_object_form(a in attachment()) {
        let object = a.to_value();
        prop_assert_eq!(Attach::parse(Some(&object)), Ok(Field::Set(Attach { attachments: vec![a] })));
    }
}
