//! ATTACH parsing (SPEC-NOTES §7.4): the documented examples, every input form, clearing, every block type with
//! its required fields, link and colour validation, collections, the stored form and the size limit.

use imbot_wire::form::parse_str;
use imbot_wire::rich::{
    encoded_len, Attach, Attachment, AvatarType, Block, ColorToken, Delimiter, Field, FileItem, GridDisplay, GridItem,
    ImageItem, LinkBlock, UserBlock, MAX_ENCODED_LEN,
};
use imbot_wire::{ApiError, ErrorCode};
use serde_json::{json, Value};

fn parse(v: Value) -> Result<Field<Attach>, ApiError> {
    Attach::parse(Some(&v))
}

fn set(v: Value) -> Attach {
    match parse(v.clone()) {
        Ok(Field::Set(a)) => a,
        other => panic!("{v} did not parse to an attach: {other:?}"),
    }
}

/// The blocks of a single-attachment attach.
fn blocks(v: Value) -> Vec<Block> {
    let a = set(v);
    assert_eq!(a.attachments.len(), 1);
    a.attachments.into_iter().next().unwrap().blocks
}

fn err(v: Value) -> ApiError {
    match parse(v.clone()) {
        Err(e) => e,
        other => panic!("{v} should fail: {other:?}"),
    }
}

/// An ATTACH_ERROR whose description contains every one of `parts`.
fn assert_attach_error(v: Value, parts: &[&str]) {
    let e = err(v.clone());
    assert!(e.is(ErrorCode::ATTACH_ERROR), "{v}: {e}");
    assert_eq!(e.status, 400);
    assert!(e.description.starts_with("Incorrect attach params"), "{}", e.description);
    for p in parts {
        assert!(e.description.contains(p), "{v}: {:?} does not mention {p:?}", e.description);
    }
}

fn assert_round_trip(a: &Attach) {
    let stored = a.to_value();
    assert_eq!(parse(stored.clone()), Ok(Field::Set(a.clone())), "stored {stored}");
    assert_eq!(Attach::from_stored(&stored).as_ref(), Some(a));
    assert_eq!(parse(Value::String(stored.to_string())), Ok(Field::Set(a.clone())));
}

// ----- documented examples -----

#[test]
fn im_message_add_example() {
    // chats/messages/attachments.md
    let a = set(
        json!({"ID":1,"COLOR_TOKEN":"primary","BLOCKS":[{"MESSAGE":"[B]New Request[/B]"},{"LINK":{"NAME":"Open","LINK":"https://example.com"}}]}),
    );
    assert_eq!(
        a.attachments,
        vec![Attachment {
            id: Some(1),
            color_token: Some(ColorToken::Primary),
            color: None,
            blocks: vec![
                Block::Message("[B]New Request[/B]".into()),
                Block::Link(LinkBlock {
                    link: Some("https://example.com".into()),
                    name: Some("Open".into()),
                    ..Default::default()
                }),
            ],
        }]
    );
    assert_round_trip(&a);
}

#[test]
fn v2_full_and_short_form_examples() {
    // imbot.v2 attachments/index.md
    let full = set(
        json!({"ID":1,"COLOR_TOKEN":"primary","COLOR":"#29619b","BLOCKS":[{"MESSAGE":"The API will be available in the update [B]im 24.0.0[/B]"}]}),
    );
    assert_eq!(full.attachments[0].color.as_deref(), Some("#29619b"));
    let short = set(json!([{"MESSAGE":"The API will be available in the update [B]im 24.0.0[/B]"}]));
    assert_eq!(short.attachments[0].blocks, full.attachments[0].blocks);
    assert_eq!(short.attachments[0].id, None);
    assert_round_trip(&full);
    assert_round_trip(&short);
}

#[test]
fn block_collection_index_example() {
    let b = blocks(json!([
        {"MESSAGE": "Request #142"},
        {"DELIMITER": {"SIZE": 200, "COLOR": "#c6c6c6"}},
        {"GRID": [{"DISPLAY": "ROW", "NAME": "Status", "VALUE": "In progress"}]},
        {"LINK": {"NAME": "Open the request", "LINK": "/crm/deal/details/142/"}}
    ]));
    assert_eq!(
        b,
        vec![
            Block::Message("Request #142".into()),
            Block::Delimiter(Delimiter { size: 200, color: Some("#c6c6c6".into()) }),
            Block::Grid(vec![GridItem::new(GridDisplay::Row, "Status", "In progress")]),
            Block::Link(LinkBlock {
                link: Some("/crm/deal/details/142/".into()),
                name: Some("Open the request".into()),
                ..Default::default()
            }),
        ]
    );
}

#[test]
fn constructor_bug_tracker_example() {
    let a = set(
        json!([{"USER":{"NAME":"Mantis Notifications","AVATAR":"https://files.shelenkov.com/bitrix/images/mantis2.jpg","LINK":"https://shelenkov.com/"}},{"LINK":{"NAME":"Open Mantis from external network","LINK":"https://shelenkov.com/"}},{"DELIMITER":{"SIZE":200,"COLOR":"#c6c6c6"}},{"GRID":[{"NAME":"Project","VALUE":"BUGS","DISPLAY":"LINE","WIDTH":100},{"NAME":"Category","VALUE":"im","DISPLAY":"LINE","WIDTH":100},{"NAME":"Summary","VALUE":"It is necessary to implement the ability to add structured entities to messages and notifications in the messenger.","DISPLAY":"BLOCK"}]},{"DELIMITER":{"SIZE":200,"COLOR":"#c6c6c6"}},{"GRID":[{"NAME":"New Request","VALUE":"","DISPLAY":"ROW","WIDTH":100},{"NAME":"Assigned To","VALUE":"Eugene Shelenkov","DISPLAY":"ROW","WIDTH":100},{"NAME":"Deadline","VALUE":"11/04/2015 05:50:43 PM","DISPLAY":"ROW","WIDTH":100}]}]),
    );
    let b = &a.attachments[0].blocks;
    assert_eq!(
        b.iter().map(Block::kind).collect::<Vec<_>>(),
        ["USER", "LINK", "DELIMITER", "GRID", "DELIMITER", "GRID"]
    );
    match &b[0] {
        Block::User(u) => {
            assert_eq!(u.name, "Mantis Notifications");
            assert_eq!(u.avatar.as_deref(), Some("https://files.shelenkov.com/bitrix/images/mantis2.jpg"));
            assert_eq!(u.link.as_deref(), Some("https://shelenkov.com/"));
        }
        other => panic!("{other:?}"),
    }
    match &b[5] {
        Block::Grid(items) => {
            assert_eq!(items.len(), 3);
            assert_eq!(items[0].value.as_deref(), Some(""));
            assert_eq!(items[0].width, Some(100));
        }
        other => panic!("{other:?}"),
    }
    assert_round_trip(&a);
}

#[test]
fn constructor_notification_example_with_a_single_image_object() {
    let a = set(
        json!({"ID":1,"COLOR":"#29619b","BLOCKS":[{"MESSAGE":"Colleagues, the update im 16.0.0 has been checked and is ready for deployment. A tag needs to be set. We no longer include it in the update."},{"IMAGE":{"LINK":"https://files.shelenkov.com/bitrix/images/win.jpg"}}]}),
    );
    assert_eq!(
        a.attachments[0].blocks[1],
        Block::Image(vec![ImageItem {
            link: "https://files.shelenkov.com/bitrix/images/win.jpg".into(),
            ..Default::default()
        }])
    );
    assert_round_trip(&a);
}

#[test]
fn block_page_examples() {
    // One example per block page of imbot.v2/messages/attachments/block-collections.
    let b = blocks(json!([
        {"USER": {"NAME": "John Smith", "AVATAR": "https://files.shelenkov.com/bitrix/images/avatar.png", "LINK": "https://shelenkov.com"}},
        {"LINK": {"PREVIEW": "https://example.com/bitrix/templates/bitrix-new/images/logo.png", "WIDTH": 1000, "HEIGHT": 638,
                  "NAME": "Ticket #12345: New API for the \"Web Messenger\" Module", "DESC": "Must be implemented by the release!",
                  "LINK": "https://api.bitrix24.com/"}},
        {"MESSAGE": "The API will be available in the update [B]im 24.0.0[/B]"},
        {"DELIMITER": {"SIZE": 200, "COLOR": "#c6c6c6"}},
        {"GRID": [{"NAME": "Priority", "VALUE": "High", "COLOR_TOKEN": "alert", "COLOR": "#ff0000", "DISPLAY": "LINE", "WIDTH": 250},
                  {"NAME": "Category", "VALUE": "Requests", "DISPLAY": "LINE"}]},
        {"GRID": [{"NAME": "Project", "VALUE": "BUGS", "DISPLAY": "TABLE"}, {"NAME": "Deadline", "VALUE": "24.06.2026 17:50:43", "DISPLAY": "TABLE"}]},
        {"IMAGE": [{"NAME": "This is Mantis", "LINK": "https://files.shelenkov.com/bitrix/images/mantis.jpg",
                    "PREVIEW": "https://files.shelenkov.com/bitrix/images/mantis.jpg", "WIDTH": 1000, "HEIGHT": 638}]},
        {"FILE": [{"NAME": "mantis.jpg", "LINK": "https://files.shelenkov.com/bitrix/images/mantis.jpg", "SIZE": 1500000}]}
    ]));
    assert_eq!(b.len(), 8);
    match &b[1] {
        Block::Link(l) => {
            assert_eq!(l.desc.as_deref(), Some("Must be implemented by the release!"));
            assert_eq!((l.width, l.height), (Some(1000), Some(638)));
            assert!(l.preview.is_some());
        }
        other => panic!("{other:?}"),
    }
    match &b[4] {
        Block::Grid(items) => {
            assert_eq!(items[0].color_token, Some(ColorToken::Alert));
            assert_eq!(items[0].color.as_deref(), Some("#ff0000"));
            assert_eq!(items[0].display, GridDisplay::Line);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        b[7],
        Block::File(vec![FileItem {
            link: "https://files.shelenkov.com/bitrix/images/mantis.jpg".into(),
            name: Some("mantis.jpg".into()),
            size: Some(1_500_000),
        }])
    );
}

#[test]
fn command_answer_example_with_delimiter_true() {
    // imbot.command.answer page sends {"DELIMITER": true}: a delimiter with the defaults.
    let b = blocks(
        json!({"BLOCKS":[{"MESSAGE":"Task details"},{"DELIMITER":true},{"LINK":{"NAME":"Open","LINK":"https://example.com"}}]}),
    );
    assert_eq!(b[1], Block::Delimiter(Delimiter { size: 200, color: None }));
    for v in [json!(""), json!({}), json!([]), json!({"SIZE": 0, "COLOR": "grey"}), json!({"SIZE": "x"})] {
        assert_eq!(blocks(json!([{"DELIMITER": v}])), vec![Block::Delimiter(Delimiter::default())]);
    }
}

// ----- input forms -----

#[test]
fn every_input_form_gives_the_same_attach() {
    let blocks_json = json!([{"MESSAGE": "hi"}, {"LINK": {"LINK": "/a", "NAME": "A"}}]);
    let short = set(blocks_json.clone());
    assert_eq!(set(json!({"BLOCKS": blocks_json.clone()})), short);
    assert_eq!(set(Value::String(blocks_json.to_string())), short);
    assert_eq!(set(Value::String(json!({"BLOCKS": blocks_json}).to_string())), short);
    let form = parse_str("ATTACH[0][MESSAGE]=hi&ATTACH[1][LINK][LINK]=%2Fa&ATTACH[1][LINK][NAME]=A");
    assert!(form["ATTACH"].is_object());
    assert_eq!(Attach::parse(form.get("ATTACH")), Ok(Field::Set(short.clone())));
    let form = parse_str("ATTACH[ID]=3&ATTACH[COLOR]=%23fff&ATTACH[BLOCKS][0][MESSAGE]=hi&ATTACH[BLOCKS][1][LINK][LINK]=%2Fa&ATTACH[BLOCKS][1][LINK][NAME]=A");
    let full = match Attach::parse(form.get("ATTACH")) {
        Ok(Field::Set(a)) => a,
        other => panic!("{other:?}"),
    };
    assert_eq!(full.attachments[0].id, Some(3));
    assert_eq!(full.attachments[0].color.as_deref(), Some("#fff"));
    assert_eq!(full.attachments[0].blocks, short.attachments[0].blocks);
}

#[test]
fn collections_of_attach_objects() {
    let a = set(json!([
        {"ID": 1, "BLOCKS": [{"MESSAGE": "one"}]},
        {"ID": 2, "COLOR_TOKEN": "alert", "BLOCKS": [{"MESSAGE": "two"}]}
    ]));
    assert_eq!(a.attachments.len(), 2);
    assert_eq!(a.attachments[1].color_token, Some(ColorToken::Alert));
    assert_eq!(a.blocks().count(), 2);
    assert_round_trip(&a);
    assert_attach_error(json!([{"BLOCKS": [{"MESSAGE": "x"}]}, {"MESSAGE": "y"}]), &["not both"]);
    assert_attach_error(json!([{"BLOCKS": [{"MESSAGE": "x"}]}, {"BLOCKS": []}]), &["attach 1", "no blocks"]);
}

#[test]
fn clearing_and_absence() {
    for v in [json!(""), json!("N"), json!("n"), json!([]), json!({}), json!("0"), json!(false), json!(" [] ")] {
        assert_eq!(parse(v.clone()), Ok(Field::Clear), "{v}");
    }
    assert_eq!(Attach::parse(None), Ok(Field::Absent));
    assert_eq!(Attach::parse(Some(&Value::Null)), Ok(Field::Absent));
}

#[test]
fn malformed_values() {
    assert_attach_error(json!("{\"BLOCKS\": "), &["not valid JSON"]);
    assert_attach_error(json!("\"x\""), &["object or an array"]);
    assert_attach_error(json!(true), &[]);
    assert_attach_error(json!({"BLOCKS": "x"}), &["BLOCKS must be an array"]);
    assert_attach_error(json!({"BLOCKS": []}), &["no blocks"]);
    assert_attach_error(json!(["just text"]), &["block 0", "must be an object"]);
    assert_attach_error(json!([{"MESSAGE": "ok"}, {"UNKNOWN": 1}]), &["block 1", "no known block type"]);
    // An object that is neither full nor a list is read like PHP's foreach: its values must be blocks.
    assert_attach_error(json!({"MESSAGE": "hi"}), &["block \"MESSAGE\""]);
}

// ----- blocks and required fields -----

#[test]
fn message_block_needs_text() {
    assert_eq!(blocks(json!([{"MESSAGE": 42}])), vec![Block::Message("42".into())]);
    assert_attach_error(json!([{"MESSAGE": ""}]), &["block 0 (MESSAGE)", "non-empty"]);
    assert_attach_error(json!([{"MESSAGE": "   "}]), &["block 0 (MESSAGE)"]);
    assert_attach_error(json!([{"MESSAGE": ["a"]}]), &["block 0 (MESSAGE)"]);
}

#[test]
fn link_block_needs_a_link_or_an_internal_target() {
    assert_attach_error(
        json!([{"MESSAGE": "x"}, {"LINK": {"NAME": "no link"}}]),
        &["block 1 (LINK)", "item 0", "LINK is required"],
    );
    assert_attach_error(json!([{"LINK": {"LINK": "ftp://x"}}]), &["block 0 (LINK)", "\"ftp://x\""]);
    assert_attach_error(json!([{"LINK": {"LINK": "www.example.com", "USER_ID": 5}}]), &["www.example.com"]);
    assert_attach_error(json!([{"LINK": "https://example.com"}]), &["block 0 (LINK)", "object"]);
    assert_attach_error(json!([{"LINK": []}]), &["block 0 (LINK)", "empty"]);
    let b = blocks(json!([{"LINK": {"NAME": "Profile", "USER_ID": "15", "PREVIEW": "not a link", "WIDTH": 0}}]));
    assert_eq!(
        b,
        vec![Block::Link(LinkBlock { name: Some("Profile".into()), user_id: Some(15), ..Default::default() })]
    );
    // A list of links is one block per link.
    let b = blocks(json!([{"LINK": [{"LINK": "/a"}, {"LINK": "/b", "CHAT_ID": 4}]}]));
    assert_eq!(b.len(), 2);
    assert_attach_error(json!([{"LINK": [{"LINK": "/a"}, {"NAME": "b"}]}]), &["block 0 (LINK)", "item 1"]);
}

#[test]
fn user_block_needs_a_name() {
    assert_attach_error(json!([{"USER": {"AVATAR": "/a.png"}}]), &["block 0 (USER)", "NAME is required"]);
    assert_attach_error(json!([{"USER": {"NAME": "  "}}]), &["NAME is required"]);
    let b = blocks(json!([{"USER": {"NAME": " Bot ", "AVATAR": "javascript:x", "AVATAR_TYPE": "bot", "BOT_ID": 3,
                                    "LINK": "ftp://nope", "NETWORK_ID": "", "USER_ID": -1}}]));
    assert_eq!(
        b,
        vec![Block::User(UserBlock {
            name: "Bot".into(),
            avatar_type: Some(AvatarType::Bot),
            bot_id: Some(3),
            ..Default::default()
        })]
    );
}

#[test]
fn grid_items_need_display() {
    assert_attach_error(
        json!([{"GRID": [{"NAME": "a", "VALUE": "b"}]}]),
        &["block 0 (GRID)", "item 0", "DISPLAY is required"],
    );
    assert_attach_error(json!([{"GRID": [{"DISPLAY": "ROW"}, {"DISPLAY": "COLUMN"}]}]), &["item 1", "\"COLUMN\""]);
    assert_attach_error(json!([{"GRID": []}]), &["block 0 (GRID)", "must not be empty"]);
    assert_attach_error(json!([{"GRID": "x"}]), &["block 0 (GRID)"]);
    assert_attach_error(json!([{"GRID": ["x"]}]), &["item 0", "object"]);
    for (d, want) in [
        ("block", GridDisplay::Block),
        ("LINE", GridDisplay::Line),
        ("Row", GridDisplay::Row),
        ("TABLE", GridDisplay::Table),
    ] {
        let b =
            blocks(json!([{"GRID": {"DISPLAY": d, "VALUE": 5, "LINK": "not-a-link", "COLOR": "#12", "USER_ID": 2}}]));
        let Block::Grid(items) = &b[0] else { panic!("{b:?}") };
        assert_eq!(items[0].display, want);
        assert_eq!(items[0].value.as_deref(), Some("5"));
        assert_eq!((items[0].link.as_ref(), items[0].color.as_ref(), items[0].user_id), (None, None, Some(2)));
    }
}

#[test]
fn image_and_file_items_need_a_valid_link() {
    assert_attach_error(json!([{"IMAGE": [{"NAME": "x"}]}]), &["block 0 (IMAGE)", "item 0", "LINK is required"]);
    assert_attach_error(json!([{"IMAGE": {"LINK": "data:image/png;base64,xx"}}]), &["block 0 (IMAGE)", "data:image"]);
    assert_attach_error(json!([{"IMAGE": []}]), &["block 0 (IMAGE)", "empty"]);
    assert_attach_error(
        json!([{"FILE": [{"LINK": "/ok"}, {"NAME": "f", "SIZE": 3}]}]),
        &["block 0 (FILE)", "item 1", "LINK is required"],
    );
    assert_attach_error(json!([{"FILE": {"LINK": "file:///etc/passwd"}}]), &["block 0 (FILE)"]);
    let b = blocks(
        json!([{"IMAGE": [{"LINK": "/a.png", "PREVIEW": "nope"}, {"LINK": "http://b/c.png", "WIDTH": "10", "HEIGHT": 0}]},
                          {"FILE": {"LINK": "/f.pdf", "SIZE": "-1", "NAME": "f.pdf"}}]),
    );
    assert_eq!(
        b,
        vec![
            Block::Image(vec![
                ImageItem { link: "/a.png".into(), ..Default::default() },
                ImageItem { link: "http://b/c.png".into(), width: Some(10), ..Default::default() },
            ]),
            Block::File(vec![FileItem { link: "/f.pdf".into(), name: Some("f.pdf".into()), size: None }]),
        ]
    );
}

#[test]
fn several_known_keys_in_one_block_become_several_blocks_in_order() {
    let b = blocks(json!([{"DELIMITER": {}, "MESSAGE": "after", "IGNORED": 1}]));
    assert_eq!(b, vec![Block::Delimiter(Delimiter::default()), Block::Message("after".into())]);
}

#[test]
fn attachment_color_and_token_are_validated() {
    let a = set(json!({"ID": "7", "COLOR": "blue", "COLOR_TOKEN": "loud", "BLOCKS": [{"MESSAGE": "x"}]}));
    assert_eq!(
        (a.attachments[0].id, a.attachments[0].color.as_ref(), a.attachments[0].color_token),
        (Some(7), None, None)
    );
    let a = set(json!({"COLOR": "#ABC", "COLOR_TOKEN": "Secondary", "BLOCKS": [{"MESSAGE": "x"}]}));
    assert_eq!(a.attachments[0].color.as_deref(), Some("#ABC"));
    assert_eq!(a.attachments[0].color_token, Some(ColorToken::Secondary));
}

// ----- stored form -----

#[test]
fn stored_form_has_bitrix_shape() {
    let a = set(json!({"ID": 5, "COLOR_TOKEN": "base", "BLOCKS": [
        {"USER": {"NAME": "Ann", "USER_ID": 3}},
        {"LINK": {"LINK": "/x"}},
        {"IMAGE": {"LINK": "/i.png"}},
        {"DELIMITER": true},
        {"MESSAGE": "m"}
    ]}));
    assert_eq!(
        a.to_value(),
        json!([{"ID": 5, "COLOR_TOKEN": "base", "BLOCKS": [
            {"USER": [{"NAME": "Ann", "USER_ID": 3}]},
            {"LINK": [{"LINK": "/x"}]},
            {"IMAGE": [{"LINK": "/i.png"}]},
            {"DELIMITER": {"SIZE": 200}},
            {"MESSAGE": "m"}
        ]}])
    );
    assert_round_trip(&a);
}

// ----- size -----

#[test]
fn oversize_at_60000_characters() {
    let attach = |n: usize| json!([{"MESSAGE": "x".repeat(n)}]);
    let base = encoded_len(&set(attach(1)).to_value());
    let n = MAX_ENCODED_LEN - base + 1;
    assert_eq!(encoded_len(&set(attach(n - 1)).to_value()), MAX_ENCODED_LEN - 1);
    let e = err(attach(n));
    assert!(e.is(ErrorCode::ATTACH_OVERSIZE), "{e}");
    assert_eq!(e.status, 400);
    assert!(e.description.starts_with("You have exceeded the maximum allowable size of attach"), "{}", e.description);
}
