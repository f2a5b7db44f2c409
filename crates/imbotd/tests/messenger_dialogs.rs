//! Private dialogs and dialog state between two users over HTTP: `im.message.add` by user id, both sides of
//! `im.dialog.messages.get`, `unread` flags, `im.dialog.read` / `im.dialog.unread` counters, `im.dialog.get`
//! (shape as the doc's example) and `im.dialog.writing`.

mod common;
mod messenger_util;

use common::{assert_error, TestServer, DIALOG_KEYS};
use messenger_util::*;
use serde_json::{json, Value};

const RESTRICTION_KEYS: &[&str] =
    &["avatar", "rename", "extend", "call", "mute", "leave", "leave_owner", "send", "user_list", "path", "path_title"];

const PERMISSION_KEYS: &[&str] =
    &["manage_users_add", "manage_users_delete", "manage_ui", "manage_settings", "manage_messages", "can_post"];

fn unread_of(h: &Value, id: i64) -> bool {
    let m = messages(h).iter().find(|m| m["id"] == id).unwrap_or_else(|| panic!("{id} in {h}"));
    m["unread"].as_bool().unwrap_or_else(|| panic!("unread is a bool: {m}"))
}

#[tokio::test]
async fn two_users_hold_a_private_conversation() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;

    // Anna writes to Bob by his id; Bob answers by hers.
    let m1 = send(&s, &anna, &bob.dialog(), "Hello Bob").await;
    let m2 = send(&s, &bob, &anna.dialog(), "Hi Anna").await;
    assert!(m2 > m1);

    let from_anna = history(&s, &anna, json!({"DIALOG_ID": bob.dialog()})).await;
    let from_bob = history(&s, &bob, json!({"DIALOG_ID": anna.dialog()})).await;
    let chat_id = from_anna["chat_id"].as_i64().expect("chat_id int");
    assert!(chat_id > 0);
    assert_eq!(from_bob["chat_id"], chat_id, "both sides see the same chat");
    assert_eq!(keys(&from_anna), ["chat_id", "messages", "users", "files"]);
    assert_eq!(message_ids(&from_anna), [m2, m1], "newest first");
    assert_eq!(message_ids(&from_bob), [m2, m1]);
    for m in messages(&from_anna) {
        assert_eq!(m["chat_id"], chat_id);
    }
    let first = &messages(&from_anna)[1];
    assert_eq!(first["text"], "Hello Bob");
    assert_eq!(first["author_id"], anna.id);
    assert_eq!(messages(&from_anna)[0]["author_id"], bob.id);

    // Unread flags are the viewer's: Anna has not read Bob's answer; her own message is not unread to her.
    assert!(unread_of(&from_anna, m2));
    assert!(!unread_of(&from_anna, m1));
    // Bob answered after Anna's message: writing marks what came before as read.
    assert!(!unread_of(&from_bob, m1));
    assert!(!unread_of(&from_bob, m2));

    // Two more from Anna: Bob's counter is 2.
    let m3 = send(&s, &anna, &bob.dialog(), "Are you there?").await;
    let m4 = send(&s, &anna, &bob.dialog(), "Bob?").await;
    let d = ok(&s, &bob, "im.dialog.get", json!({"DIALOG_ID": anna.dialog()})).await;
    assert_eq!(d["counter"], 2, "{d}");
    assert_eq!(d["id"], chat_id);
    assert_eq!(d["last_message_id"], m4);
    assert_eq!(d["dialog_id"], anna.dialog());

    // Read up to m3: one left.
    let r = ok(&s, &bob, "im.dialog.read", json!({"DIALOG_ID": anna.dialog(), "MESSAGE_ID": m3})).await;
    assert_eq!(r, json!({"dialogId": anna.dialog(), "chatId": chat_id, "lastId": m3, "counter": 1}));
    let h = history(&s, &bob, json!({"DIALOG_ID": anna.dialog()})).await;
    assert!(!unread_of(&h, m3));
    assert!(unread_of(&h, m4));

    // Read everything (no MESSAGE_ID).
    let r = ok(&s, &bob, "im.dialog.read", json!({"DIALOG_ID": anna.dialog()})).await;
    assert_eq!(r, json!({"dialogId": anna.dialog(), "chatId": chat_id, "lastId": m4, "counter": 0}));
    let h = history(&s, &bob, json!({"DIALOG_ID": anna.dialog()})).await;
    assert!(messages(&h).iter().all(|m| m["unread"] == false), "{h}");

    // Reading never moves the mark back.
    let r = ok(&s, &bob, "im.dialog.read", json!({"DIALOG_ID": anna.dialog(), "MESSAGE_ID": m1})).await;
    assert_eq!(r["lastId"], m4);
    assert_eq!(r["counter"], 0);

    // Mark unread from m3 on: two unread again.
    let r = ok(&s, &bob, "im.dialog.unread", json!({"DIALOG_ID": anna.dialog(), "MESSAGE_ID": m3})).await;
    assert_eq!(r, json!(true));
    let d = ok(&s, &bob, "im.dialog.get", json!({"DIALOG_ID": anna.dialog()})).await;
    assert_eq!(d["counter"], 2);
    let h = history(&s, &bob, json!({"DIALOG_ID": anna.dialog()})).await;
    assert!(unread_of(&h, m3) && unread_of(&h, m4));
    assert!(!unread_of(&h, m2));

    // Anna's marks are her own: her writing m3/m4 moved her mark past Bob's m2, Bob's unread did not touch it.
    let d = ok(&s, &anna, "im.dialog.get", json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(d["counter"], 0);
    assert_eq!(d["last_id"], m4);

    // The legacy USER_ID / CHAT_ID parameters of im.message.add reach the same dialogs.
    let m5 = ok(&s, &anna, "im.message.add", json!({"USER_ID": bob.id, "MESSAGE": "legacy"})).await;
    let h = history(&s, &bob, json!({"DIALOG_ID": anna.dialog(), "LIMIT": 1})).await;
    assert_eq!(message_ids(&h), [m5.as_i64().expect("int")]);
    let group = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let m6 = ok(&s, &anna, "im.message.add", json!({"CHAT_ID": group, "MESSAGE": "legacy chat id"})).await;
    let h = history(&s, &bob, json!({"DIALOG_ID": format!("chat{group}"), "LIMIT": 1})).await;
    assert_eq!(message_ids(&h), [m6.as_i64().expect("int")]);
    assert_eq!(messages(&h)[0]["text"], "legacy chat id");
    s.stop().await;
}

#[tokio::test]
async fn dialog_read_and_unread_errors() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let m = send(&s, &anna, &bob.dialog(), "hi").await;

    for bad in [json!({}), json!({"DIALOG_ID": ""}), json!({"DIALOG_ID": "chat"}), json!({"DIALOG_ID": "abc"})] {
        assert_error(&call(&s, &bob, "im.dialog.read", bad.clone()).await, 400, "DIALOG_ID_EMPTY");
        let mut with_id = bad.clone();
        with_id["MESSAGE_ID"] = json!(m);
        assert_error(&call(&s, &bob, "im.dialog.unread", with_id).await, 400, "DIALOG_ID_EMPTY");
    }
    for bad in [json!(null), json!(0), json!(-3), json!("x")] {
        let mut body = json!({"DIALOG_ID": anna.dialog()});
        if !bad.is_null() {
            body["MESSAGE_ID"] = bad;
        }
        assert_error(&call(&s, &bob, "im.dialog.unread", body).await, 400, "MESSAGE_ID_ERROR");
    }

    // Marks never go past the newest message: what is written later is unread.
    let r = ok(&s, &bob, "im.dialog.read", json!({"DIALOG_ID": anna.dialog(), "MESSAGE_ID": 999999})).await;
    assert_eq!(r["lastId"], m);
    assert_eq!(
        ok(&s, &bob, "im.dialog.unread", json!({"DIALOG_ID": anna.dialog(), "MESSAGE_ID": 999999})).await,
        json!(true)
    );
    let later = send(&s, &anna, &bob.dialog(), "later").await;
    let d = ok(&s, &bob, "im.dialog.get", json!({"DIALOG_ID": anna.dialog()})).await;
    assert_eq!(d["counter"], 1);
    assert_eq!(d["unread_id"], later);
    assert_eq!(d["last_id"], m);

    // A chat one has no access to: im.dialog.read answers `false` (the page: "Returns false if the user does
    // not have access to the chat"), not an error.
    let carl = person(&s, "Carl Diaz").await;
    let chat = new_chat(&s, &anna, json!({"TITLE": "secret"})).await;
    let r = ok(&s, &carl, "im.dialog.read", json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_eq!(r, json!(false));
    s.stop().await;
}

#[tokio::test]
async fn dialog_get_has_the_documented_shape() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let chat = new_chat(
        &s,
        &anna,
        json!({"TITLE": "Deal Chat", "DESCRIPTION": "About the deal", "USERS": [bob.id], "COLOR": "PINK"}),
    )
    .await;
    let dialog = format!("chat{chat}");
    let m = send(&s, &bob, &dialog, "Hello").await;

    let d = ok(&s, &anna, "im.dialog.get", json!({"DIALOG_ID": dialog})).await;
    assert_eq!(keys(&d), DIALOG_KEYS, "{d}");
    assert_eq!(keys(&d["restrictions"]), RESTRICTION_KEYS);
    assert_eq!(keys(&d["permissions"]), PERMISSION_KEYS);
    assert_eq!(keys(&d["entity_link"]), ["type", "url", "id"]);
    assert_eq!(keys(&d["last_message_views"]), ["message_id", "first_viewers", "count_of_viewers"]);
    assert_eq!(d["id"], chat);
    assert_eq!(d["name"], "Deal Chat");
    assert_eq!(d["description"], "About the deal");
    assert_eq!(d["owner"], anna.id);
    assert_eq!(d["extranet"], false);
    assert_eq!(d["color"], "#f76187", "PINK as hex");
    assert_eq!(d["type"], "chat");
    assert_eq!(d["message_type"], "C");
    assert_eq!(d["role"], "owner");
    assert_eq!(d["user_counter"], 2);
    assert_eq!(d["last_message_id"], m);
    assert_eq!(d["counter"], 1, "Bob's message is unread for Anna (her own \"invited\" message is not)");
    assert_eq!(d["unread_id"], m, "the first unread message");
    assert_eq!(d["dialog_id"], dialog);
    assert_eq!(d["manager_list"], json!([anna.id]), "the owner manages");
    assert_eq!(
        d["permissions"],
        json!({
            "manage_users_add": "member",
            "manage_users_delete": "manager",
            "manage_ui": "member",
            "manage_settings": "owner",
            "manage_messages": "member",
            "can_post": "member"
        })
    );
    assert_eq!(d["restrictions"]["send"], true);
    assert!(d["background_id"].is_null());
    assert_eq!(d["mute_list"], json!([]));
    assert!(chrono::DateTime::parse_from_rfc3339(d["date_create"].as_str().unwrap()).is_ok());
    // readed_list lists the other members (as in the doc example, where the caller is absent).
    let readed = d["readed_list"].as_array().expect("readed_list array");
    assert_eq!(readed.len(), 1, "{d}");
    assert_eq!(keys(&readed[0]), ["user_id", "user_name", "message_id", "date"]);
    assert_eq!(readed[0]["user_id"], bob.id);
    assert_eq!(readed[0]["user_name"], "Bob Stone");
    assert_eq!(readed[0]["message_id"], m, "Bob has read his own message");

    let d = ok(&s, &bob, "im.dialog.get", json!({"DIALOG_ID": dialog})).await;
    assert_eq!(d["role"], "member");
    assert_eq!(d["counter"], 0);
    assert_eq!(d["unread_id"], 0);
    assert_eq!(d["last_id"], m);
    let readed: Vec<i64> =
        d["readed_list"].as_array().unwrap().iter().map(|r| r["user_id"].as_i64().unwrap()).collect();
    assert_eq!(readed, [anna.id]);

    // A private dialog: by user id, with the partner's id as dialog_id.
    let pm = send(&s, &anna, &bob.dialog(), "private").await;
    let d = ok(&s, &anna, "im.dialog.get", json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(keys(&d), DIALOG_KEYS);
    assert_eq!(d["type"], "private");
    assert_eq!(d["message_type"], "P");
    assert_eq!(d["dialog_id"], bob.dialog());
    assert_eq!(d["user_counter"], 2);
    assert_eq!(d["last_message_id"], pm);
    let h = history(&s, &anna, json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(d["id"], h["chat_id"]);
    // The JSON-integer form of a user DIALOG_ID works too.
    let d2 = ok(&s, &anna, "im.dialog.get", json!({"DIALOG_ID": bob.id})).await;
    assert_eq!(d2["id"], d["id"]);

    // A dialog nobody has written in yet: im.dialog.get opens it, and the first message lands in it.
    let carl = person(&s, "Carl Diaz").await;
    let d = ok(&s, &anna, "im.dialog.get", json!({"DIALOG_ID": carl.dialog()})).await;
    let new_id = d["id"].as_i64().unwrap();
    assert!(new_id > 0);
    assert_eq!(d["message_count"], 0);
    send(&s, &carl, &anna.dialog(), "first").await;
    let h = history(&s, &carl, json!({"DIALOG_ID": anna.dialog()})).await;
    assert_eq!(h["chat_id"], new_id);
    s.stop().await;
}

#[tokio::test]
async fn unopened_private_dialog_reads_as_empty() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let h = history(&s, &anna, json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(h, json!({"chat_id": 0, "messages": [], "users": [], "files": []}));
    // A user that does not exist is no dialog one has access to.
    assert_error(&call(&s, &anna, "im.dialog.messages.get", json!({"DIALOG_ID": "99999"})).await, 403, "ACCESS_ERROR");
    assert_error(
        &call(&s, &anna, "im.message.add", json!({"DIALOG_ID": "99999", "MESSAGE": "x"})).await,
        400,
        "USER_NOT_FOUND",
    );
    s.stop().await;
}

#[tokio::test]
async fn dialog_writing_needs_access() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    assert_eq!(ok(&s, &anna, "im.dialog.writing", json!({"DIALOG_ID": bob.dialog()})).await, json!(true));
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let dialog = format!("chat{chat}");
    assert_eq!(ok(&s, &bob, "im.dialog.writing", json!({"DIALOG_ID": dialog})).await, json!(true));
    assert_error(&call(&s, &carl, "im.dialog.writing", json!({"DIALOG_ID": dialog})).await, 403, "ACCESS_ERROR");
    assert_error(&call(&s, &carl, "im.dialog.writing", json!({"DIALOG_ID": "chat99999"})).await, 403, "ACCESS_ERROR");
    assert_error(&call(&s, &carl, "im.dialog.writing", json!({"DIALOG_ID": "chatx"})).await, 400, "DIALOG_ID_EMPTY");
    assert_error(&call(&s, &carl, "im.dialog.writing", json!({})).await, 400, "DIALOG_ID_EMPTY");
    s.stop().await;
}
