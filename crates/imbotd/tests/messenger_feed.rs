//! The change feed: one ordered record per change, in the change's transaction; refused requests and typing
//! write nothing.

mod common;
mod messenger_util;

use common::{assert_error, TestServer};
use imbotd::store::feed::{self, Change, ChangeKind};
use messenger_util::*;
use serde_json::json;

async fn feed_after(s: &TestServer, seq: i64) -> Vec<Change> {
    feed::read(&s.state.store, seq, 1000).await.expect("feed")
}

/// (kind, chat, message, user) of each record.
fn summary(changes: &[Change]) -> Vec<(ChangeKind, i64, i64, i64)> {
    changes.iter().map(|c| (c.kind, c.chat_id.0, c.message_id.0, c.user_id.0)).collect()
}

async fn head(s: &TestServer) -> i64 {
    feed::head(&s.state.store).await.expect("head")
}

#[tokio::test]
async fn every_change_is_one_record_in_order() {
    use ChangeKind::*;
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    let start = head(&s).await;

    let chat = new_chat(&s, &anna, json!({"TITLE": "Feed", "USERS": [bob.id]})).await;
    let dialog = format!("chat{chat}");
    let invite = history(&s, &anna, json!({"DIALOG_ID": dialog})).await;
    let invite = message_ids(&invite)[0];
    let m1 = send(&s, &bob, &dialog, "hello").await;
    ok(&s, &bob, "im.message.update", json!({"MESSAGE_ID": m1, "MESSAGE": "hello!"})).await;
    ok(&s, &anna, "im.message.like", json!({"MESSAGE_ID": m1})).await;
    ok(&s, &anna, "im.dialog.read", json!({"DIALOG_ID": dialog})).await;
    ok(&s, &anna, "im.dialog.unread", json!({"DIALOG_ID": dialog, "MESSAGE_ID": m1})).await;
    ok(&s, &anna, "im.dialog.writing", json!({"DIALOG_ID": dialog})).await;
    ok(&s, &anna, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [carl.id]})).await;
    let join = message_ids(&history(&s, &anna, json!({"DIALOG_ID": dialog, "LIMIT": 1})).await)[0];
    ok(&s, &anna, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": carl.id})).await;
    let kick = message_ids(&history(&s, &anna, json!({"DIALOG_ID": dialog, "LIMIT": 1})).await)[0];
    ok(&s, &bob, "im.message.delete", json!({"MESSAGE_ID": m1})).await;
    let p1 = send(&s, &anna, &bob.dialog(), "private").await;
    let private = history(&s, &bob, json!({"DIALOG_ID": anna.dialog()})).await["chat_id"].as_i64().unwrap();

    let changes = feed_after(&s, start).await;
    assert_eq!(
        summary(&changes),
        vec![
            (ChatAdd, chat, 0, anna.id),
            (MemberAdd, chat, 0, anna.id),
            (MemberAdd, chat, 0, bob.id),
            (MessageAdd, chat, invite, 0),
            (MessageAdd, chat, m1, bob.id),
            (MessageUpdate, chat, m1, bob.id),
            (MessageLike, chat, m1, anna.id),
            (Read, chat, m1, anna.id),
            (Unread, chat, m1 - 1, anna.id),
            (MemberAdd, chat, 0, carl.id),
            (MessageAdd, chat, join, 0),
            (MemberRemove, chat, 0, carl.id),
            (MessageAdd, chat, kick, 0),
            (MessageDelete, chat, m1, bob.id),
            (ChatAdd, private, 0, anna.id),
            (MessageAdd, private, p1, anna.id),
        ]
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq), "seq grows");
    assert!(changes.iter().all(|c| (c.created_at - s.now()).abs() < 60));
    assert_eq!(changes[0].payload, json!({"type": "C"}));
    assert_eq!(changes[6].payload, json!({"like": true}));
    // Readers can resume from any seq.
    let tail = feed_after(&s, changes[12].seq).await;
    assert_eq!(tail.len(), 3);
    assert_eq!(tail[0].kind, MessageDelete);
    assert_eq!(head(&s).await, changes.last().unwrap().seq);
    s.stop().await;
}

#[tokio::test]
async fn refused_requests_write_nothing() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let eve = person(&s, "Eve Snoop").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let dialog = format!("chat{chat}");
    let m = send(&s, &anna, &dialog, "hi").await;
    ok(&s, &bob, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "plus"})).await;
    let before = head(&s).await;

    let refusals = [
        (&eve, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "let me in"}), 403, "ACCESS_ERROR"),
        (&anna, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": ""}), 400, "MESSAGE_EMPTY"),
        (
            &anna,
            "im.message.add",
            json!({"DIALOG_ID": dialog, "MESSAGE": "x", "KEYBOARD": "{bad"}),
            400,
            "KEYBOARD_ERROR",
        ),
        (
            &anna,
            "im.message.add",
            json!({"DIALOG_ID": dialog, "MESSAGE": "x", "REPLY_ID": 999999}),
            400,
            "REPLY_ACCESS_ERROR",
        ),
        // A first message to a new dialog that fails late must not leave the new private chat behind.
        (
            &anna,
            "im.message.add",
            json!({"DIALOG_ID": eve.dialog(), "MESSAGE": "x", "REPLY_ID": 999999}),
            400,
            "REPLY_ACCESS_ERROR",
        ),
        (&bob, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "mine now"}), 403, "CANT_EDIT_MESSAGE"),
        (&anna, "im.message.update", json!({"MESSAGE_ID": m, "MENU": "nope"}), 400, "menu_ERROR"),
        (&bob, "im.message.delete", json!({"MESSAGE_ID": m}), 403, "CANT_EDIT_MESSAGE"),
        (&bob, "im.message.like", json!({"MESSAGE_ID": m, "ACTION": "plus"}), 400, "WITHOUT_CHANGES"),
        (&eve, "im.message.like", json!({"MESSAGE_ID": m}), 400, "MESSAGE_ID_ERROR"),
        (&eve, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [eve.id]}), 403, "ACCESS_ERROR"),
        (&bob, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": anna.id}), 403, "ACCESS_DENIED_KICK"),
        (&anna, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": eve.id}), 400, "USER_NOT_FOUND"),
        (&eve, "im.chat.leave", json!({"CHAT_ID": chat}), 403, "ACCESS_DENIED_KICK"),
        (&eve, "im.dialog.unread", json!({"DIALOG_ID": dialog, "MESSAGE_ID": m}), 403, "ACCESS_ERROR"),
        (&eve, "im.dialog.writing", json!({"DIALOG_ID": dialog}), 403, "ACCESS_ERROR"),
    ];
    for (who, method, body, status, code) in refusals {
        assert_error(&call(&s, who, method, body).await, status, code);
    }
    // Refusals that answer 200: reading a dialog one may not see, an empty dialog, typing.
    assert_eq!(ok(&s, &eve, "im.dialog.read", json!({"DIALOG_ID": dialog})).await, json!(false));
    ok(&s, &anna, "im.dialog.writing", json!({"DIALOG_ID": bob.dialog()})).await;
    assert_eq!(ok(&s, &anna, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [bob.id]})).await, json!(true));

    assert_eq!(feed_after(&s, before).await, vec![], "no record for a refused request");
    let h = history(&s, &anna, json!({"DIALOG_ID": eve.dialog()})).await;
    assert_eq!(h["chat_id"], 0, "no private chat was left behind");
    s.stop().await;
}
