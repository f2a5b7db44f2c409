//! Hostile input: markup and script stored and returned verbatim (and escaped on the wire as Bitrix escapes it),
//! 100 KB messages, unicode edge cases, malformed and oversize ATTACH/KEYBOARD/MENU, and the form / JSON-string
//! spellings of rich parameters.

mod common;
mod messenger_util;

use common::{assert_error, TestServer};
use messenger_util::*;
use serde_json::{json, Value};

const SCRIPT: &str = r#"[b]Hi[/b] <script>alert("x")</script> <img src=x onerror='y()'> & "quotes" [url=javascript:alert(1)]click[/url] </textarea>"#;

fn pct(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn markup_is_stored_and_returned_verbatim() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let m = send(&s, &anna, &bob.dialog(), SCRIPT).await;
    let got = message(&s, &bob, &anna.dialog(), m).await;
    assert_eq!(got["text"], SCRIPT);

    // On the wire, as PHP's Json::encode writes it: no raw `<`, `>`, `&`, `'`, `"` inside strings.
    let (status, body) = raw(&s, &bob, "im.dialog.messages.get", json!({"DIALOG_ID": anna.dialog()})).await;
    assert_eq!(status, 200);
    assert!(body.contains(r"\u003Cscript\u003Ealert(\u0022x\u0022)\u003C\/script\u003E"), "{body}");
    assert!(body.contains(r"onerror=\u0027y()\u0027\u003E \u0026 \u0022quotes\u0022"), "{body}");
    assert!(!body.contains("<script>"), "{body}");

    // The same text through a form body and through an edit.
    let form = format!("DIALOG_ID={}&MESSAGE={}", anna.id, pct(SCRIPT));
    let r = call_form(&s, &bob, "im.message.add", &form).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let m2 = r.2["result"].as_i64().unwrap();
    assert_eq!(message(&s, &anna, &bob.dialog(), m2).await["text"], SCRIPT);
    let edited = format!("{SCRIPT} (edited)");
    ok(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": edited})).await;
    assert_eq!(message(&s, &bob, &anna.dialog(), m).await["text"], edited);

    // Markup in chat titles and in attachments is kept as given too.
    let chat = new_chat(&s, &anna, json!({"TITLE": "<b>\"Team\"</b> & co", "USERS": [bob.id]})).await;
    let d = ok(&s, &bob, "im.dialog.get", json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_eq!(d["name"], "<b>\"Team\"</b> & co");
    let a =
        ok(&s, &anna, "im.message.add", json!({"DIALOG_ID": format!("chat{chat}"), "ATTACH": [{"MESSAGE": SCRIPT}]}))
            .await;
    let got = message(&s, &bob, &format!("chat{chat}"), a.as_i64().unwrap()).await;
    assert_eq!(got["params"]["ATTACH"][0]["BLOCKS"][0]["MESSAGE"], SCRIPT);
    s.stop().await;
}

#[tokio::test]
async fn a_100_kb_message_round_trips() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 100 * 1024 {
        text.push_str(&format!("line {i}: съешь же ещё этих мягких французских булок 🥐\n"));
        i += 1;
    }
    let text = text.trim_end().to_owned();
    let m = send(&s, &anna, &bob.dialog(), &text).await;
    let got = message(&s, &bob, &anna.dialog(), m).await;
    assert_eq!(got["text"].as_str().unwrap().len(), text.len());
    assert_eq!(got["text"], text.as_str());
    // Form-encoded too.
    let form = format!("DIALOG_ID={}&MESSAGE={}", bob.id, pct(&text));
    let r = call_form(&s, &anna, "im.message.add", &form).await;
    assert_eq!(r.0, 200);
    assert_eq!(message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await["text"], text.as_str());
    s.stop().await;
}

#[tokio::test]
async fn unicode_edge_cases_round_trip() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let samples = [
        "emoji 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 and flags 🇩🇪",
        "RTL: مرحبا بالعالم — שלום עולם",
        "bidi override \u{202E}txet desrever\u{202C} end",
        "combining: e\u{0301} a\u{0308}\u{0304} Z\u{0351}\u{0352}\u{0353}",
        "astral: 𝕳𝖊𝖑𝖑𝖔 𐍈 𠜎",
        "controls: a\u{0001}b\u{0007}c\u{001B}[31md\u{007F}e\u{0085}f",
        "zero width: a\u{200B}b\u{200D}c\u{FEFF}d",
        "noncharacters and replacement: \u{FFFD} \u{FFFF} \u{10FFFF}",
        "line separators: a\u{2028}b\u{2029}c",
        "CJK 漢字かなカナ한국어",
        "backslashes \\ \\\\ \\u0041 and slashes / //",
    ];
    for text in samples {
        let m = send(&s, &anna, &bob.dialog(), text).await;
        let got = message(&s, &bob, &anna.dialog(), m).await;
        assert_eq!(got["text"], text, "{text:?}");
        // And in a form body.
        let form = format!("DIALOG_ID={}&MESSAGE={}", bob.id, pct(text));
        let r = call_form(&s, &anna, "im.message.add", &form).await;
        assert_eq!(r.0, 200, "{text:?}: {}", r.2);
        let got = message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await;
        assert_eq!(got["text"], text, "form {text:?}");
    }
    // A NUL (which PostgreSQL cannot store in text) becomes U+FFFD on either backend, never a 500.
    let r = call(&s, &anna, "im.message.add", json!({"DIALOG_ID": bob.dialog(), "MESSAGE": "a\u{0000}b"})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let got = message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await;
    assert_eq!(got["text"], "a\u{FFFD}b");
    let r = call_form(&s, &anna, "im.message.add", &format!("DIALOG_ID={}&MESSAGE=c%00d", bob.id)).await;
    let got = message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await;
    assert_eq!(got["text"], "c\u{FFFD}d");
    s.stop().await;
}

#[tokio::test]
async fn malformed_rich_params_are_refused() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let d = bob.dialog();
    let add = |extra: Value| {
        let mut b = json!({"DIALOG_ID": d, "MESSAGE": "x"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };

    for attach in [
        json!("not json {"),
        json!("42"),
        json!(42),
        json!(true),
        json!([{"IMAGE": {"NAME": "no link"}}]),
        json!([{"NOPE": 1}]),
        json!({"BLOCKS": [{"LINK": {"LINK": "javascript:alert(1)"}}]}),
        json!({"BLOCKS": "text"}),
    ] {
        let r = call(&s, &anna, "im.message.add", add(json!({"ATTACH": attach.clone()}))).await;
        assert_error(&r, 400, "ATTACH_ERROR");
    }
    for keyboard in [
        json!("{bad"),
        json!(7),
        json!([{"TEXT": "no action"}]),
        json!([{"TEXT": "", "LINK": "https://example.com"}]),
        json!([{"TEXT": "cmd", "COMMAND": "go"}]),
        json!({"BUTTONS": [{"TEXT": "bad link", "LINK": "ftp://x"}]}),
        json!([{"TYPE": "NEWLINE"}]),
    ] {
        let r = call(&s, &anna, "im.message.add", add(json!({"KEYBOARD": keyboard.clone()}))).await;
        assert_error(&r, 400, "KEYBOARD_ERROR");
    }
    for menu in [json!("nope"), json!(3), json!([{"TEXT": "no action"}]), json!({"ITEMS": [{"LINK": "https://x"}]})] {
        let r = call(&s, &anna, "im.message.add", add(json!({"MENU": menu.clone()}))).await;
        assert_error(&r, 400, "MENU_ERROR");
    }
    // Nothing was posted by any of those.
    let h = history(&s, &anna, json!({"DIALOG_ID": d})).await;
    assert_eq!(h["chat_id"], 0, "{h}");

    // On update: the same codes, and `menu_ERROR` as the update page spells it.
    let m = send(&s, &anna, &d, "fine").await;
    let r = call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "ATTACH": "not json {"})).await;
    assert_error(&r, 400, "ATTACH_ERROR");
    let r = call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "KEYBOARD": [{"TEXT": "no action"}]})).await;
    assert_error(&r, 400, "KEYBOARD_ERROR");
    let r = call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "MENU": [{"TEXT": "no action"}]})).await;
    assert_error(&r, 400, "menu_ERROR");
    // A refused update changes nothing, not even the text sent with it.
    let r =
        call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "changed", "KEYBOARD": "{bad"})).await;
    assert_error(&r, 400, "KEYBOARD_ERROR");
    let got = message(&s, &bob, &anna.dialog(), m).await;
    assert_eq!(got["text"], "fine");
    assert_eq!(got["params"], json!([]));
    s.stop().await;
}

#[tokio::test]
async fn oversize_rich_params_are_refused() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let d = bob.dialog();
    let big = "x".repeat(60_000);
    let fits = "x".repeat(59_000);

    let r = call(&s, &anna, "im.message.add", json!({"DIALOG_ID": d, "ATTACH": [{"MESSAGE": big}]})).await;
    assert_error(&r, 400, "ATTACH_OVERSIZE");
    let r = call(
        &s,
        &anna,
        "im.message.add",
        json!({"DIALOG_ID": d, "MESSAGE": "k", "KEYBOARD": [{"TEXT": big, "LINK": "https://x"}]}),
    )
    .await;
    assert_error(&r, 400, "KEYBOARD_OVERSIZE");
    let r = call(
        &s,
        &anna,
        "im.message.add",
        json!({"DIALOG_ID": d, "MESSAGE": "m", "MENU": [{"TEXT": big, "LINK": "https://x"}]}),
    )
    .await;
    assert_error(&r, 400, "MENU_OVERSIZE");
    // Many small buttons add up too.
    let buttons: Vec<Value> =
        (0..2000).map(|i| json!({"TEXT": format!("button number {i}"), "LINK": "https://example.com/"})).collect();
    let r = call(&s, &anna, "im.message.add", json!({"DIALOG_ID": d, "MESSAGE": "k", "KEYBOARD": buttons})).await;
    assert_error(&r, 400, "KEYBOARD_OVERSIZE");

    // Just under the limit is fine.
    let m = ok(&s, &anna, "im.message.add", json!({"DIALOG_ID": d, "ATTACH": [{"MESSAGE": fits}]})).await;
    let m = m.as_i64().unwrap();
    // Update checks the size too.
    let r = call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "ATTACH": [{"MESSAGE": big}]})).await;
    assert_error(&r, 400, "ATTACH_OVERSIZE");
    let r = call(
        &s,
        &anna,
        "im.message.update",
        json!({"MESSAGE_ID": m, "KEYBOARD": [{"TEXT": big, "LINK": "https://x"}]}),
    )
    .await;
    assert_error(&r, 400, "KEYBOARD_OVERSIZE");
    let r =
        call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "MENU": [{"TEXT": big, "LINK": "https://x"}]}))
            .await;
    assert_error(&r, 400, "MENU_OVERSIZE");
    let got = message(&s, &bob, &anna.dialog(), m).await;
    assert_eq!(got["params"]["ATTACH"][0]["BLOCKS"][0]["MESSAGE"].as_str().unwrap().len(), 59_000);
    s.stop().await;
}

#[tokio::test]
async fn rich_params_in_every_spelling() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let reference = {
        let m = ok(&s, &anna, "im.message.add", json!({"DIALOG_ID": bob.dialog(), "MESSAGE": "k", "KEYBOARD": {"BUTTONS": [{"TEXT": "Open", "LINK": "https://example.com/"}, {"TEXT": "Help", "ACTION": "SEND", "ACTION_VALUE": "help"}]}})).await;
        message(&s, &bob, &anna.dialog(), m.as_i64().unwrap()).await["params"]["KEYBOARD"].clone()
    };
    assert_eq!(reference.as_array().unwrap().len(), 2);

    // Form: KEYBOARD[0][TEXT]=… (a bare list of buttons).
    let form = format!(
        "DIALOG_ID={}&MESSAGE=k&KEYBOARD%5B0%5D%5BTEXT%5D=Open&KEYBOARD%5B0%5D%5BLINK%5D={}&KEYBOARD%5B1%5D%5BTEXT%5D=Help&KEYBOARD%5B1%5D%5BACTION%5D=SEND&KEYBOARD%5B1%5D%5BACTION_VALUE%5D=help",
        bob.id,
        pct("https://example.com/")
    );
    let r = call_form(&s, &anna, "im.message.add", &form).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let got = message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await;
    assert_eq!(got["params"]["KEYBOARD"], reference);

    // Form: KEYBOARD[BUTTONS][0][TEXT]=… (the full object).
    let form = format!(
        "DIALOG_ID={}&MESSAGE=k&KEYBOARD%5BBUTTONS%5D%5B0%5D%5BTEXT%5D=Open&KEYBOARD%5BBUTTONS%5D%5B0%5D%5BLINK%5D={}&KEYBOARD%5BBUTTONS%5D%5B1%5D%5BTEXT%5D=Help&KEYBOARD%5BBUTTONS%5D%5B1%5D%5BACTION%5D=SEND&KEYBOARD%5BBUTTONS%5D%5B1%5D%5BACTION_VALUE%5D=help",
        bob.id,
        pct("https://example.com/")
    );
    let r = call_form(&s, &anna, "im.message.add", &form).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let got = message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await;
    assert_eq!(got["params"]["KEYBOARD"], reference);

    // JSON string, in a JSON body and in a form body.
    let as_string = json!({"BUTTONS": [{"TEXT": "Open", "LINK": "https://example.com/"}, {"TEXT": "Help", "ACTION": "SEND", "ACTION_VALUE": "help"}]}).to_string();
    let m = ok(&s, &anna, "im.message.add", json!({"DIALOG_ID": bob.dialog(), "MESSAGE": "k", "KEYBOARD": as_string}))
        .await;
    assert_eq!(message(&s, &bob, &anna.dialog(), m.as_i64().unwrap()).await["params"]["KEYBOARD"], reference);
    let form = format!("DIALOG_ID={}&MESSAGE=k&KEYBOARD={}", bob.id, pct(&as_string));
    let r = call_form(&s, &anna, "im.message.add", &form).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(
        message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await["params"]["KEYBOARD"],
        reference
    );

    // MENU and ATTACH as JSON strings and form arrays.
    let menu = json!([{"TEXT": "Site", "LINK": "https://example.com"}]).to_string();
    let attach = json!([{"MESSAGE": "[b]card[/b]"}]).to_string();
    let m = ok(
        &s,
        &anna,
        "im.message.add",
        json!({"DIALOG_ID": bob.dialog(), "MESSAGE": "m", "MENU": menu, "ATTACH": attach}),
    )
    .await;
    let got = message(&s, &bob, &anna.dialog(), m.as_i64().unwrap()).await;
    assert_eq!(got["params"]["MENU"][0]["TEXT"], "Site");
    assert_eq!(got["params"]["ATTACH"][0]["BLOCKS"][0]["MESSAGE"], "[b]card[/b]");
    let form = format!("DIALOG_ID={}&ATTACH%5B0%5D%5BMESSAGE%5D={}&MENU%5BITEMS%5D%5B0%5D%5BTEXT%5D=Site&MENU%5BITEMS%5D%5B0%5D%5BLINK%5D={}", bob.id, pct("[b]card[/b]"), pct("https://example.com"));
    let r = call_form(&s, &anna, "im.message.add", &form).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let got2 = message(&s, &bob, &anna.dialog(), r.2["result"].as_i64().unwrap()).await;
    assert_eq!(got2["params"]["ATTACH"][0]["BLOCKS"], got["params"]["ATTACH"][0]["BLOCKS"]);
    assert_eq!(got2["params"]["MENU"], got["params"]["MENU"]);
    s.stop().await;
}
