//! Messages over HTTP: `im.message.add` (every parameter and error), `im.message.update` (author only, the edit
//! window, empty text deletes, clearing rich params, `IS_EDITED`), `im.message.delete` (author, chat owner,
//! the "deleted" placeholder) and `im.message.like`.

mod common;
mod messenger_util;

use common::{assert_error, TestServer};
use messenger_util::*;
use serde_json::{json, Value};
use std::time::Duration;

const DAY: u64 = 24 * 3600;

fn keyboard() -> Value {
    json!({"BUTTONS": [
        {"TEXT": "Open", "LINK": "https://example.com/"},
        {"TYPE": "NEWLINE"},
        {"TEXT": "Help", "ACTION": "PUT", "ACTION_VALUE": "/help"}
    ]})
}

fn menu() -> Value {
    json!({"ITEMS": [{"TEXT": "Site", "LINK": "https://example.com"}, {"TEXT": "Done", "ACTION": "SEND", "ACTION_VALUE": "Done"}]})
}

fn attach() -> Value {
    json!({"ID": 1, "COLOR_TOKEN": "primary", "BLOCKS": [{"MESSAGE": "[B]New request[/B]"}, {"LINK": {"NAME": "Open", "LINK": "https://example.com"}}]})
}

#[tokio::test]
async fn message_add_parameters() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let dialog = format!("chat{chat}");

    // The result is the new message's id, an int; the text is trimmed.
    let (status, body) = raw(&s, &anna, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "  Hello  "})).await;
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    let m1 = v["result"].as_i64().unwrap_or_else(|| panic!("int result: {body}"));
    assert!(body.starts_with(&format!("{{\"result\":{m1},")), "{body}");
    let m = message(&s, &bob, &dialog, m1).await;
    assert_eq!(m["text"], "Hello");
    assert_eq!(m["author_id"], anna.id);
    assert!(m["uuid"].is_null());
    assert_eq!(m["replaces"], json!([]));
    assert!(m["disappearing_date"].is_null());
    assert_eq!(m["params"], json!([]));
    assert_eq!(
        keys(&m),
        ["id", "chat_id", "author_id", "date", "text", "unread", "uuid", "replaces", "params", "disappearing_date"]
    );

    // TEMPLATE_ID becomes the uuid, cut to 255 characters.
    let id = ok(
        &s,
        &anna,
        "im.message.add",
        json!({"DIALOG_ID": dialog, "MESSAGE": "t", "TEMPLATE_ID": "0c42a08f-4235-49fc-994f-c9bccd499ac1"}),
    )
    .await;
    let m = message(&s, &bob, &dialog, id.as_i64().unwrap()).await;
    assert_eq!(m["uuid"], "0c42a08f-4235-49fc-994f-c9bccd499ac1");
    let long = "u".repeat(300);
    let id = ok(&s, &anna, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "t", "TEMPLATE_ID": long})).await;
    let m = message(&s, &bob, &dialog, id.as_i64().unwrap()).await;
    assert_eq!(m["uuid"], "u".repeat(255));

    // REPLY_ID: same chat is fine; another chat or an unknown message is refused.
    let r = ok(&s, &bob, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "re", "REPLY_ID": m1})).await;
    assert!(r.as_i64().is_some());
    let other = send(&s, &anna, &bob.dialog(), "private").await;
    let r = call(&s, &bob, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "re", "REPLY_ID": other})).await;
    assert_error(&r, 400, "REPLY_FROM_OTHER_CHAT_ERROR");
    let r = call(&s, &bob, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "re", "REPLY_ID": 999999})).await;
    assert_error(&r, 400, "REPLY_ACCESS_ERROR");

    // SYSTEM=Y: a system message, shown with author 0 (and nobody's unread from the poster's side).
    let sys =
        ok(&s, &anna, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "Build #7 passed", "SYSTEM": "Y"}))
            .await;
    let m = message(&s, &bob, &dialog, sys.as_i64().unwrap()).await;
    assert_eq!(m["author_id"], 0);
    assert_eq!(m["text"], "Build #7 passed", "no app prefix for a webhook");
    let m = message(&s, &anna, &dialog, sys.as_i64().unwrap()).await;
    assert_eq!(m["unread"], false);

    // ATTACH alone, KEYBOARD, MENU, URL_PREVIEW.
    let id = ok(&s, &anna, "im.message.add", json!({"DIALOG_ID": dialog, "ATTACH": attach()})).await;
    let m = message(&s, &bob, &dialog, id.as_i64().unwrap()).await;
    assert_eq!(m["text"], "");
    let a = &m["params"]["ATTACH"];
    assert!(a.is_array(), "{m}");
    assert_eq!(a[0]["BLOCKS"][0]["MESSAGE"], "[B]New request[/B]");
    assert_eq!(a[0]["COLOR_TOKEN"], "primary");
    let id = ok(
        &s,
        &anna,
        "im.message.add",
        json!({"DIALOG_ID": dialog, "MESSAGE": "pick", "KEYBOARD": keyboard(), "MENU": menu(), "URL_PREVIEW": "N"}),
    )
    .await;
    let m = message(&s, &bob, &dialog, id.as_i64().unwrap()).await;
    let k = m["params"]["KEYBOARD"].as_array().unwrap_or_else(|| panic!("stored keyboard is a list: {m}"));
    assert_eq!(k.len(), 3);
    assert_eq!(k[0]["TEXT"], "Open");
    assert_eq!(k[0]["LINK"], "https://example.com/");
    assert_eq!(k[1]["TYPE"], "NEWLINE");
    assert_eq!(k[2]["ACTION"], "PUT");
    let mn = m["params"]["MENU"].as_array().unwrap_or_else(|| panic!("stored menu is a list: {m}"));
    assert_eq!(mn.len(), 2);
    assert_eq!(mn[1]["ACTION_VALUE"], "Done");

    // Empty messages.
    for body in [
        json!({"DIALOG_ID": dialog}),
        json!({"DIALOG_ID": dialog, "MESSAGE": ""}),
        json!({"DIALOG_ID": dialog, "MESSAGE": "   \n\t "}),
        json!({"DIALOG_ID": dialog, "MESSAGE": "", "ATTACH": ""}),
        json!({"DIALOG_ID": dialog, "MESSAGE": "", "ATTACH": "N"}),
    ] {
        assert_error(&call(&s, &anna, "im.message.add", body).await, 400, "MESSAGE_EMPTY");
    }
    // MESSAGE must be text.
    let r = call(&s, &anna, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": ["a"]})).await;
    assert_error(&r, 400, "MESSAGE_EMPTY");
    // No dialog at all.
    assert_error(&call(&s, &anna, "im.message.add", json!({"MESSAGE": "x"})).await, 400, "USER_ID_EMPTY");
    assert_error(
        &call(&s, &anna, "im.message.add", json!({"DIALOG_ID": "abc", "MESSAGE": "x"})).await,
        400,
        "USER_ID_EMPTY",
    );
    assert_error(&call(&s, &anna, "im.message.add", json!({"CHAT_ID": 0, "MESSAGE": "x"})).await, 400, "CHAT_ID_EMPTY");
    s.stop().await;
}

#[tokio::test]
async fn only_the_author_edits_within_three_days() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let dialog = format!("chat{chat}");
    let m = send(&s, &bob, &dialog, "tpyo").await;

    // Not the author: not even the chat owner may edit.
    let r = call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "hacked"})).await;
    assert_error(&r, 403, "CANT_EDIT_MESSAGE");
    // The author may.
    assert_eq!(ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "typo"})).await, json!(true));
    let got = message(&s, &anna, &dialog, m).await;
    assert_eq!(got["text"], "typo");
    assert_eq!(got["params"]["IS_EDITED"], "Y");
    // `ID` is an alias of MESSAGE_ID.
    assert_eq!(ok(&s, &bob, "im.message.update", json!({"ID": m, "MESSAGE": "typo!"})).await, json!(true));
    assert_eq!(message(&s, &anna, &dialog, m).await["text"], "typo!");

    // IS_EDITED applies to ATTACH changes.
    let quiet = send(&s, &bob, &dialog, "card").await;
    ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": quiet, "ATTACH": attach(), "IS_EDITED": "N"})).await;
    let got = message(&s, &anna, &dialog, quiet).await;
    assert!(got["params"]["ATTACH"].is_array());
    assert!(got["params"].get("IS_EDITED").is_none(), "{got}");
    ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": quiet, "ATTACH": attach()})).await;
    assert_eq!(message(&s, &anna, &dialog, quiet).await["params"]["IS_EDITED"], "Y");

    // KEYBOARD / MENU / ATTACH: "N" or empty clears; absent leaves.
    let rich = ok(
        &s,
        &bob,
        "im.message.add",
        json!({"DIALOG_ID": dialog, "MESSAGE": "rich", "KEYBOARD": keyboard(), "MENU": menu(), "ATTACH": attach()}),
    )
    .await;
    let rich = rich.as_i64().unwrap();
    ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": rich, "KEYBOARD": "N"})).await;
    let got = message(&s, &anna, &dialog, rich).await;
    assert!(got["params"].get("KEYBOARD").is_none(), "{got}");
    assert!(got["params"]["MENU"].is_array() && got["params"]["ATTACH"].is_array(), "{got}");
    assert_eq!(got["text"], "rich", "absent MESSAGE leaves the text");
    ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": rich, "MENU": "", "ATTACH": "N"})).await;
    let got = message(&s, &anna, &dialog, rich).await;
    assert!(got["params"].get("MENU").is_none() && got["params"].get("ATTACH").is_none(), "{got}");
    ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": rich, "KEYBOARD": keyboard()})).await;
    assert_eq!(message(&s, &anna, &dialog, rich).await["params"]["KEYBOARD"][0]["TEXT"], "Open");

    // Errors.
    assert_error(&call(&s, &bob, "im.message.update", json!({"MESSAGE": "x"})).await, 400, "MESSAGE_ID_ERROR");
    assert_error(
        &call(&s, &bob, "im.message.update", json!({"MESSAGE_ID": "abc", "MESSAGE": "x"})).await,
        400,
        "MESSAGE_ID_ERROR",
    );
    assert_error(
        &call(&s, &bob, "im.message.update", json!({"MESSAGE_ID": 999999, "MESSAGE": "x"})).await,
        403,
        "CANT_EDIT_MESSAGE",
    );

    // Three days later the window is closed.
    s.clock.advance(Duration::from_secs(3 * DAY - 60));
    assert_eq!(
        ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "still in time"})).await,
        json!(true)
    );
    s.clock.advance(Duration::from_secs(120));
    let r = call(&s, &bob, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "too late"})).await;
    assert_error(&r, 403, "CANT_EDIT_MESSAGE");
    let r = call(&s, &bob, "im.message.update", json!({"MESSAGE_ID": m, "KEYBOARD": "N"})).await;
    assert_error(&r, 403, "CANT_EDIT_MESSAGE");
    assert_eq!(message(&s, &anna, &dialog, m).await["text"], "still in time");
    s.stop().await;
}

#[tokio::test]
async fn empty_text_on_update_deletes() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let m = send(&s, &anna, &bob.dialog(), "oops").await;
    assert_eq!(ok(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": ""})).await, json!(true));
    let got = message(&s, &bob, &anna.dialog(), m).await;
    assert_eq!(got["text"], "This message was deleted.");
    assert_eq!(got["params"], json!({"IS_DELETED": "Y"}));
    // A deleted message cannot be edited again.
    let r = call(&s, &anna, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "back"})).await;
    assert_error(&r, 403, "CANT_EDIT_MESSAGE");
    s.stop().await;
}

#[tokio::test]
async fn delete_by_author_or_chat_owner() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id, carl.id]})).await;
    let dialog = format!("chat{chat}");
    let b1 = send(&s, &bob, &dialog, "mine").await;
    let b2 = send(&s, &bob, &dialog, "spam").await;
    let b3 = send(&s, &bob, &dialog, "old spam").await;
    ok(&s, &carl, "im.message.like", json!({"MESSAGE_ID": b1})).await;

    // Another plain member may not delete.
    assert_error(&call(&s, &carl, "im.message.delete", json!({"MESSAGE_ID": b1})).await, 403, "CANT_EDIT_MESSAGE");
    // The author may: the message stays as a placeholder, its likes go.
    assert_eq!(ok(&s, &bob, "im.message.delete", json!({"MESSAGE_ID": b1})).await, json!(true));
    let got = message(&s, &carl, &dialog, b1).await;
    assert_eq!(got["text"], "This message was deleted.");
    assert_eq!(got["params"], json!({"IS_DELETED": "Y"}));
    assert_eq!(got["author_id"], bob.id);
    // Deleting again: nothing to delete.
    assert_error(&call(&s, &bob, "im.message.delete", json!({"MESSAGE_ID": b1})).await, 403, "CANT_EDIT_MESSAGE");
    // The chat owner may delete others' messages (ID alias).
    assert_eq!(ok(&s, &anna, "im.message.delete", json!({"ID": b2})).await, json!(true));
    assert_eq!(message(&s, &carl, &dialog, b2).await["params"]["IS_DELETED"], "Y");

    // After the window: the author no longer may, the owner still may.
    s.clock.advance(Duration::from_secs(3 * DAY + 60));
    assert_error(&call(&s, &bob, "im.message.delete", json!({"MESSAGE_ID": b3})).await, 403, "CANT_EDIT_MESSAGE");
    assert_eq!(ok(&s, &anna, "im.message.delete", json!({"MESSAGE_ID": b3})).await, json!(true));

    // In a private dialog the partner is nobody's admin.
    let p = send(&s, &anna, &bob.dialog(), "private").await;
    assert_error(&call(&s, &bob, "im.message.delete", json!({"MESSAGE_ID": p})).await, 403, "CANT_EDIT_MESSAGE");
    assert_eq!(ok(&s, &anna, "im.message.delete", json!({"MESSAGE_ID": p})).await, json!(true));

    assert_error(&call(&s, &anna, "im.message.delete", json!({})).await, 400, "MESSAGE_ID_ERROR");
    assert_error(&call(&s, &anna, "im.message.delete", json!({"MESSAGE_ID": 0})).await, 400, "MESSAGE_ID_ERROR");
    assert_error(&call(&s, &anna, "im.message.delete", json!({"MESSAGE_ID": 999999})).await, 403, "CANT_EDIT_MESSAGE");
    s.stop().await;
}

#[tokio::test]
async fn likes_toggle_and_list() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id, carl.id]})).await;
    let dialog = format!("chat{chat}");
    let m = send(&s, &anna, &dialog, "We are very happy to have you!").await;

    // auto toggles (the default).
    assert_eq!(ok(&s, &bob, "im.message.like", json!({"MESSAGE_ID": m})).await, json!(true));
    assert_eq!(message(&s, &anna, &dialog, m).await["params"], json!({"LIKE": [bob.id]}));
    assert_eq!(ok(&s, &carl, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "auto"})).await, json!(true));
    assert_eq!(message(&s, &anna, &dialog, m).await["params"]["LIKE"], json!([bob.id, carl.id]));
    assert_eq!(ok(&s, &bob, "im.message.like", json!({"MESSAGE_ID": m})).await, json!(true));
    assert_eq!(message(&s, &anna, &dialog, m).await["params"]["LIKE"], json!([carl.id]));

    // plus twice, minus twice.
    assert_eq!(ok(&s, &anna, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "plus"})).await, json!(true));
    assert_error(
        &call(&s, &anna, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "plus"})).await,
        400,
        "WITHOUT_CHANGES",
    );
    assert_eq!(message(&s, &bob, &dialog, m).await["params"]["LIKE"], json!([carl.id, anna.id]));
    assert_eq!(ok(&s, &anna, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "MINUS"})).await, json!(true));
    assert_error(
        &call(&s, &anna, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "minus"})).await,
        400,
        "WITHOUT_CHANGES",
    );
    // An unknown action is auto.
    assert_eq!(ok(&s, &carl, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "love"})).await, json!(true));
    assert_eq!(message(&s, &bob, &dialog, m).await["params"], json!([]), "no likes left: PHP empty array");

    // Errors.
    let outsider = person(&s, "Olga Out").await;
    assert_error(&call(&s, &outsider, "im.message.like", json!({"MESSAGE_ID": m})).await, 400, "MESSAGE_ID_ERROR");
    assert_error(&call(&s, &bob, "im.message.like", json!({})).await, 400, "MESSAGE_ID_ERROR");
    assert_error(&call(&s, &bob, "im.message.like", json!({"MESSAGE_ID": 999999})).await, 400, "MESSAGE_ID_ERROR");
    s.stop().await;
}
