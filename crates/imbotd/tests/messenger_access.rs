//! Who may read and post: members of closed chats, open chats, extranet users, `CAN_POST`, malformed and
//! workgroup `DIALOG_ID`s, and the `im` scope.

mod common;
mod messenger_util;

use common::{assert_error, TestServer};
use messenger_util::*;
use serde_json::{json, Value};

/// Every dialog method with the extra parameters it needs besides `DIALOG_ID`.
fn dialog_methods() -> Vec<(&'static str, Value)> {
    vec![
        ("im.dialog.get", json!({})),
        ("im.dialog.messages.get", json!({})),
        ("im.dialog.read", json!({})),
        ("im.dialog.unread", json!({"MESSAGE_ID": 1})),
        ("im.dialog.writing", json!({})),
        ("im.dialog.users.list", json!({})),
    ]
}

#[tokio::test]
async fn malformed_dialog_ids_are_dialog_id_empty() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    for (method, extra) in dialog_methods() {
        for bad in [
            json!("chat"),
            json!("abc"),
            json!("0"),
            json!(""),
            json!("chat0"),
            json!("-1"),
            json!("chatx"),
            json!(["1"]),
            Value::Null,
        ] {
            let mut body = extra.clone();
            if !bad.is_null() {
                body["DIALOG_ID"] = bad.clone();
            }
            let r = call(&s, &anna, method, body).await;
            assert_error(&r, 400, "DIALOG_ID_EMPTY");
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn workgroup_dialogs_do_not_exist_here() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    for (method, extra) in dialog_methods() {
        if method == "im.dialog.read" {
            // No access → `false` (the page).
            assert_eq!(ok(&s, &anna, method, json!({"DIALOG_ID": "sg5"})).await, json!(false));
            continue;
        }
        let mut body = extra.clone();
        body["DIALOG_ID"] = json!("sg5");
        assert_error(&call(&s, &anna, method, body).await, 403, "ACCESS_ERROR");
    }
    assert_error(
        &call(&s, &anna, "im.message.add", json!({"DIALOG_ID": "sg5", "MESSAGE": "x"})).await,
        403,
        "ACCESS_ERROR",
    );
    s.stop().await;
}

#[tokio::test]
async fn closed_chats_are_for_members() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let eve = person(&s, "Eve Snoop").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let dialog = format!("chat{chat}");
    let m = send(&s, &bob, &dialog, "members only").await;

    for (method, extra) in dialog_methods() {
        if method == "im.dialog.read" || method == "im.dialog.unread" {
            continue;
        }
        let mut body = extra.clone();
        body["DIALOG_ID"] = json!(dialog);
        assert_error(&call(&s, &eve, method, body).await, 403, "ACCESS_ERROR");
    }
    assert_error(
        &call(&s, &eve, "im.dialog.unread", json!({"DIALOG_ID": dialog, "MESSAGE_ID": m})).await,
        403,
        "ACCESS_ERROR",
    );
    assert_error(
        &call(&s, &eve, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "let me in"})).await,
        403,
        "ACCESS_ERROR",
    );
    assert_error(
        &call(&s, &eve, "im.message.add", json!({"CHAT_ID": chat, "MESSAGE": "let me in"})).await,
        403,
        "ACCESS_ERROR",
    );
    assert_error(
        &call(&s, &eve, "im.message.add", json!({"DIALOG_ID": "chat99999", "MESSAGE": "x"})).await,
        403,
        "ACCESS_ERROR",
    );
    // Nor can she touch its messages.
    assert_error(
        &call(&s, &eve, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "x"})).await,
        403,
        "CANT_EDIT_MESSAGE",
    );
    assert_error(&call(&s, &eve, "im.message.delete", json!({"MESSAGE_ID": m})).await, 403, "CANT_EDIT_MESSAGE");
    assert_error(&call(&s, &eve, "im.message.like", json!({"MESSAGE_ID": m})).await, 400, "MESSAGE_ID_ERROR");
    // Replying from her own dialog to a message she cannot see: no access to it.
    let r = call(&s, &eve, "im.message.add", json!({"DIALOG_ID": anna.dialog(), "MESSAGE": "re", "REPLY_ID": m})).await;
    assert_error(&r, 400, "REPLY_ACCESS_ERROR");
    // Nothing she tried is in the chat.
    let h = history(&s, &anna, json!({"DIALOG_ID": dialog})).await;
    assert_eq!(messages(&h)[0]["id"], m);
    assert!(messages(&h).iter().all(|x| x["text"] != "let me in"));
    s.stop().await;
}

#[tokio::test]
async fn open_chats_are_readable_by_the_intranet() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let olaf = person(&s, "Olaf Open").await;
    let xena = extranet_person(&s, "Xena Extern").await;
    let chat = new_chat(&s, &anna, json!({"TYPE": "OPEN", "TITLE": "Town square"})).await;
    let dialog = format!("chat{chat}");
    let m = send(&s, &anna, &dialog, "news").await;

    let h = history(&s, &olaf, json!({"DIALOG_ID": dialog})).await;
    assert_eq!(message_ids(&h), [m]);
    assert_eq!(messages(&h)[0]["unread"], false, "a non-member has no read mark");
    let d = ok(&s, &olaf, "im.dialog.get", json!({"DIALOG_ID": dialog})).await;
    assert_eq!(d["type"], "open");
    assert_eq!(d["restrictions"]["send"], false);
    // Reading is not posting.
    assert_error(
        &call(&s, &olaf, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "hi"})).await,
        403,
        "ACCESS_ERROR",
    );
    // Extranet users see no open chat they are not in.
    assert_error(&call(&s, &xena, "im.dialog.messages.get", json!({"DIALOG_ID": dialog})).await, 403, "ACCESS_ERROR");
    s.stop().await;
}

#[tokio::test]
async fn extranet_users_reach_only_people_they_share_a_chat_with() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let carl = person(&s, "Carl Diaz").await;
    let xena = extranet_person(&s, "Xena Extern").await;

    let r = call(&s, &xena, "im.message.add", json!({"DIALOG_ID": anna.dialog(), "MESSAGE": "hello?"})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    assert_error(
        &call(&s, &xena, "im.dialog.messages.get", json!({"DIALOG_ID": anna.dialog()})).await,
        403,
        "ACCESS_ERROR",
    );
    assert_error(&call(&s, &xena, "im.dialog.get", json!({"DIALOG_ID": anna.dialog()})).await, 403, "ACCESS_ERROR");
    // Nor can the intranet open a dialog with her out of the blue.
    assert_error(
        &call(&s, &anna, "im.message.add", json!({"DIALOG_ID": xena.dialog(), "MESSAGE": "hi"})).await,
        403,
        "ACCESS_ERROR",
    );

    // Once Anna invites her into a chat, they may talk privately.
    let chat = new_chat(&s, &anna, json!({"TITLE": "Project", "USERS": [xena.id]})).await;
    let m = send(&s, &xena, &anna.dialog(), "hello!").await;
    let h = history(&s, &anna, json!({"DIALOG_ID": xena.dialog()})).await;
    assert_eq!(message_ids(&h), [m]);
    assert_eq!(h["users"][0]["extranet"], true);
    assert_eq!(h["users"][0]["type"], "extranet");
    send(&s, &xena, &format!("chat{chat}"), "in the project").await;
    // Still nobody else.
    let r = call(&s, &xena, "im.message.add", json!({"DIALOG_ID": carl.dialog(), "MESSAGE": "hello?"})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    s.stop().await;
}

#[tokio::test]
async fn can_post_is_enforced() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let dialog = format!("chat{chat}");
    send(&s, &bob, &dialog, "while I may").await;

    let pool = db(&s).await;
    sqlx::query("UPDATE chats SET can_post = 'owner' WHERE id = $1").bind(chat).execute(&pool).await.unwrap();
    pool.close().await;

    let r = call(&s, &bob, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "may I?"})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    let m = send(&s, &anna, &dialog, "announcement").await;
    let d = ok(&s, &bob, "im.dialog.get", json!({"DIALOG_ID": dialog})).await;
    assert_eq!(d["permissions"]["can_post"], "owner");
    assert_eq!(d["restrictions"]["send"], false);
    assert_eq!(d["last_message_id"], m);
    let d = ok(&s, &anna, "im.dialog.get", json!({"DIALOG_ID": dialog})).await;
    assert_eq!(d["restrictions"]["send"], true);
    // Reading, liking and leaving are unaffected.
    history(&s, &bob, json!({"DIALOG_ID": dialog})).await;
    assert_eq!(ok(&s, &bob, "im.message.like", json!({"MESSAGE_ID": m})).await, json!(true));
    s.stop().await;
}

#[tokio::test]
async fn inactive_users_cannot_be_written_to() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let gone = person(&s, "Gone Away").await;
    let pool = db(&s).await;
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1").bind(gone.id).execute(&pool).await.unwrap();
    pool.close().await;
    let r = call(&s, &anna, "im.message.add", json!({"DIALOG_ID": gone.dialog(), "MESSAGE": "hi"})).await;
    assert_error(&r, 400, "USER_NOT_FOUND");
    s.stop().await;
}

#[tokio::test]
async fn the_im_scope_is_required() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let no_im = Person { id: anna.id, hook: s.webhook_for(anna.id, "user").await };
    for (method, body) in [
        ("im.message.add", json!({"DIALOG_ID": bob.dialog(), "MESSAGE": "hi"})),
        ("im.dialog.messages.get", json!({"DIALOG_ID": bob.dialog()})),
        ("im.chat.add", json!({})),
        ("im.revision.get", json!({})),
    ] {
        assert_error(&call(&s, &no_im, method, body).await, 403, "insufficient_scope");
    }
    // Nothing was written.
    let h = history(&s, &anna, json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(h["chat_id"], 0);
    // im.revision.get with the scope.
    let r = ok(&s, &anna, "im.revision.get", json!({})).await;
    assert_eq!(keys(&r), ["rest", "web", "mobile", "desktop", "im_revision_mobile"]);
    assert_eq!(r["mobile"], r["im_revision_mobile"]);
    s.stop().await;
}
