//! Group chats over HTTP: `im.chat.add` (every parameter), the "invited" system message, `im.chat.get` by entity,
//! `im.chat.user.add` with and without history, `im.chat.user.delete` rights, `im.chat.user.list`,
//! `im.chat.leave` (ownership passes on), `im.dialog.users.list` paging.

mod common;
mod messenger_util;

use common::{assert_error, TestServer, USER_KEYS};
use messenger_util::*;
use serde_json::{json, Value};

fn ints(v: &Value) -> Vec<i64> {
    v.as_array().unwrap_or_else(|| panic!("an array: {v}")).iter().map(|x| x.as_i64().expect("int")).collect()
}

async fn dialog(s: &TestServer, p: &Person, chat: i64) -> Value {
    ok(s, p, "im.dialog.get", json!({"DIALOG_ID": format!("chat{chat}")})).await
}

fn mention(id: i64, name: &str) -> String {
    format!("[USER={id} REPLACE]{name}[/USER]")
}

#[tokio::test]
async fn chat_add_without_parameters() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let r = call(&s, &anna, "im.chat.add", json!({})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let chat = r.2["result"].as_i64().expect("result is the chat id, an int");
    assert!(chat > 0);
    let d = dialog(&s, &anna, chat).await;
    assert_eq!(d["owner"], anna.id);
    assert_eq!(d["role"], "owner");
    assert_eq!(d["type"], "chat");
    assert_eq!(d["message_type"], "C");
    assert_eq!(d["user_counter"], 1);
    assert!(!d["name"].as_str().unwrap().is_empty(), "an automatic title: {d}");
    assert_eq!(ints(&ok(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": chat})).await), [anna.id]);
    // Nobody was invited: no system message.
    let h = history(&s, &anna, json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_eq!(messages(&h).len(), 0, "{h}");
    s.stop().await;
}

#[tokio::test]
async fn chat_add_with_every_parameter() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    let chat = new_chat(
        &s,
        &anna,
        json!({
            "TITLE": "Project X",
            "DESCRIPTION": "Planning",
            "USERS": [bob.id, carl.id, anna.id, 99999],
            "TYPE": "OPEN",
            "COLOR": "mint",
            "MESSAGE": "Welcome, everyone!",
            "ENTITY_TYPE": "CRM",
            "ENTITY_ID": "DEAL|1663"
        }),
    )
    .await;
    let d = dialog(&s, &bob, chat).await;
    assert_eq!(d["name"], "Project X");
    assert_eq!(d["description"], "Planning");
    assert_eq!(d["type"], "open");
    assert_eq!(d["message_type"], "O");
    assert_eq!(d["color"], "#4ba984", "MINT, case-insensitive");
    assert_eq!(d["entity_type"], "CRM");
    assert_eq!(d["entity_id"], "DEAL|1663");
    assert_eq!(d["owner"], anna.id);
    assert_eq!(d["user_counter"], 3, "the caller is added once, unknown ids are skipped");
    assert_eq!(ints(&ok(&s, &bob, "im.chat.user.list", json!({"CHAT_ID": chat})).await), [anna.id, bob.id, carl.id]);

    // History: the system "invited" message, then the owner's first message.
    let h = history(&s, &carl, json!({"DIALOG_ID": format!("chat{chat}")})).await;
    let ms = messages(&h);
    assert_eq!(ms.len(), 2, "{h}");
    assert_eq!(ms[0]["text"], "Welcome, everyone!");
    assert_eq!(ms[0]["author_id"], anna.id);
    let invite = &ms[1];
    assert_eq!(invite["author_id"], 0, "system messages have author 0");
    assert_eq!(
        invite["text"],
        format!(
            "{} invited {}, {} to the chat",
            mention(anna.id, "Anna Weber"),
            mention(bob.id, "Bob Stone"),
            mention(carl.id, "Carl Diaz")
        )
    );
    assert_eq!(invite["params"], json!({"CODE": ["CHAT_JOIN"], "NOTIFY": "N"}));
    assert!(invite["uuid"].is_null());
    assert_eq!(ms[0]["params"], json!([]), "empty params are a PHP empty array");
    // users: the authors (not the system).
    let users: Vec<i64> = h["users"].as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(users, [anna.id]);

    // im.chat.get by entity: {ID}, or null.
    let r = ok(&s, &bob, "im.chat.get", json!({"ENTITY_TYPE": "CRM", "ENTITY_ID": "DEAL|1663"})).await;
    assert_eq!(r, json!({"ID": chat}));
    assert_eq!(ok(&s, &bob, "im.chat.get", json!({"ENTITY_TYPE": "CRM", "ENTITY_ID": "DEAL|1"})).await, Value::Null);
    assert_eq!(ok(&s, &bob, "im.chat.get", json!({"ENTITY_TYPE": "CRM"})).await, Value::Null);
    assert_eq!(ok(&s, &bob, "im.chat.get", json!({})).await, Value::Null);

    // TYPE other than OPEN is a closed chat; an unknown COLOR is ignored.
    let closed = new_chat(&s, &anna, json!({"TYPE": "CHAT", "COLOR": "NOPE"})).await;
    let d = dialog(&s, &anna, closed).await;
    assert_eq!(d["type"], "chat");
    assert_eq!(d["message_type"], "C");
    assert!(d["color"].as_str().unwrap().starts_with('#'));

    // USERS as a JSON string (Bitrix decodes it), and im.chat.user.add likewise.
    let jchat = new_chat(&s, &anna, json!({"USERS": format!("[{}]", bob.id)})).await;
    assert_eq!(ints(&ok(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": jchat})).await), [anna.id, bob.id]);
    ok(&s, &anna, "im.chat.user.add", json!({"CHAT_ID": jchat, "USERS": format!("[{}]", carl.id)})).await;
    assert_eq!(ints(&ok(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": jchat})).await), [anna.id, bob.id, carl.id]);

    // USERS as a form array.
    let form = format!("TITLE=Form&USERS%5B0%5D={}&USERS%5B1%5D={}", bob.id, carl.id);
    let r = call_form(&s, &anna, "im.chat.add", &form).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let fchat = r.2["result"].as_i64().unwrap();
    assert_eq!(ints(&ok(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": fchat})).await), [anna.id, bob.id, carl.id]);
    s.stop().await;
}

#[tokio::test]
async fn new_members_see_history_only_when_asked() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    let dora = person(&s, "Dora Fox").await;
    let emil = person(&s, "Emil Grey").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let dialog_id = format!("chat{chat}");
    let m1 = send(&s, &anna, &dialog_id, "before 1").await;
    let m2 = send(&s, &bob, &dialog_id, "before 2").await;

    // HIDE_HISTORY=N: Carl sees everything.
    let r = ok(&s, &anna, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [carl.id], "HIDE_HISTORY": "N"})).await;
    assert_eq!(r, json!(true));
    let h = history(&s, &carl, json!({"DIALOG_ID": dialog_id})).await;
    let ids = message_ids(&h);
    assert!(ids.contains(&m1) && ids.contains(&m2), "{h}");
    let join = &messages(&h)[0];
    assert_eq!(
        join["text"],
        format!("{} invited {} to the chat", mention(anna.id, "Anna Weber"), mention(carl.id, "Carl Diaz"))
    );
    assert_eq!(join["params"]["CODE"], json!(["CHAT_JOIN"]));

    // HIDE_HISTORY=Y: Dora sees from her invitation on.
    ok(&s, &bob, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [dora.id], "HIDE_HISTORY": "Y"})).await;
    let h = history(&s, &dora, json!({"DIALOG_ID": dialog_id})).await;
    assert_eq!(messages(&h).len(), 1, "only the invitation: {h}");
    assert_eq!(
        messages(&h)[0]["text"],
        format!("{} invited {} to the chat", mention(bob.id, "Bob Stone"), mention(dora.id, "Dora Fox"))
    );
    let h = history(&s, &dora, json!({"DIALOG_ID": dialog_id, "LAST_ID": messages(&h)[0]["id"]})).await;
    assert_eq!(messages(&h).len(), 0, "nothing older is visible: {h}");
    // …and cannot like or reply to what she cannot see.
    assert_error(&call(&s, &dora, "im.message.like", json!({"MESSAGE_ID": m1})).await, 400, "MESSAGE_ID_ERROR");
    let r = call(&s, &dora, "im.message.add", json!({"DIALOG_ID": dialog_id, "MESSAGE": "re", "REPLY_ID": m1})).await;
    assert_error(&r, 400, "REPLY_ACCESS_ERROR");
    let r = call(&s, &carl, "im.message.add", json!({"DIALOG_ID": dialog_id, "MESSAGE": "re", "REPLY_ID": m1})).await;
    assert_eq!(r.0, 200, "Carl sees the history: {}", r.2);

    // No HIDE_HISTORY: the documented default is Y.
    ok(&s, &anna, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [emil.id]})).await;
    let h = history(&s, &emil, json!({"DIALOG_ID": dialog_id})).await;
    assert!(!message_ids(&h).contains(&m1), "{h}");
    assert_eq!(messages(&h).len(), 1);

    // Everyone is in now.
    assert_eq!(
        ints(&ok(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": chat})).await),
        [anna.id, bob.id, carl.id, dora.id, emil.id]
    );

    // Errors.
    let frank = person(&s, "Frank Hill").await;
    assert_error(
        &call(&s, &frank, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [frank.id]})).await,
        403,
        "ACCESS_ERROR",
    );
    assert_error(&call(&s, &anna, "im.chat.user.add", json!({"USERS": [frank.id]})).await, 400, "CHAT_ID_EMPTY");
    assert_error(
        &call(&s, &anna, "im.chat.user.add", json!({"CHAT_ID": 0, "USERS": [frank.id]})).await,
        400,
        "CHAT_ID_EMPTY",
    );
    s.stop().await;
}

#[tokio::test]
async fn removing_members_needs_rights() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id, carl.id]})).await;
    let dialog_id = format!("chat{chat}");

    // A plain member cannot kick.
    let r = call(&s, &bob, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": carl.id})).await;
    assert_error(&r, 403, "ACCESS_DENIED_KICK");
    let r = call(&s, &bob, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": anna.id})).await;
    assert_error(&r, 403, "ACCESS_DENIED_KICK");
    // The owner can.
    assert_eq!(ok(&s, &anna, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": carl.id})).await, json!(true));
    assert_eq!(ints(&ok(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": chat})).await), [anna.id, bob.id]);
    let h = history(&s, &bob, json!({"DIALOG_ID": dialog_id, "LIMIT": 1})).await;
    let m = &messages(&h)[0];
    assert_eq!(m["author_id"], 0);
    assert_eq!(
        m["text"],
        format!("{} removed {} from the chat", mention(anna.id, "Anna Weber"), mention(carl.id, "Carl Diaz"))
    );
    assert_eq!(m["params"], json!({"CODE": ["CHAT_LEAVE"], "NOTIFY": "N"}));

    // Carl is out: no history, no member list, no posting.
    assert_error(
        &call(&s, &carl, "im.dialog.messages.get", json!({"DIALOG_ID": dialog_id})).await,
        403,
        "ACCESS_ERROR",
    );
    assert_eq!(ok(&s, &carl, "im.chat.user.list", json!({"CHAT_ID": chat})).await, json!([]));
    assert_error(
        &call(&s, &carl, "im.message.add", json!({"DIALOG_ID": dialog_id, "MESSAGE": "x"})).await,
        403,
        "ACCESS_ERROR",
    );

    // Removing a non-member.
    let r = call(&s, &anna, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": carl.id})).await;
    assert_error(&r, 400, "USER_NOT_FOUND");
    // Parameter errors.
    assert_error(&call(&s, &anna, "im.chat.user.delete", json!({"CHAT_ID": chat})).await, 400, "USER_ID_EMPTY");
    assert_error(&call(&s, &anna, "im.chat.user.delete", json!({"USER_ID": bob.id})).await, 400, "CHAT_ID_EMPTY");
    // A member may remove themself.
    assert_eq!(ok(&s, &bob, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": bob.id})).await, json!(true));
    assert_eq!(ints(&ok(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": chat})).await), [anna.id]);
    s.stop().await;
}

#[tokio::test]
async fn chat_user_list_is_a_bare_array() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let outsider = person(&s, "Olga Out").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id]})).await;
    let (status, body) = raw(&s, &anna, "im.chat.user.list", json!({"CHAT_ID": chat})).await;
    assert_eq!(status, 200);
    assert!(body.starts_with(&format!("{{\"result\":[{},{}],", anna.id, bob.id)), "{body}");
    // DIALOG_ID=chatN is accepted too.
    let r = ok(&s, &bob, "im.chat.user.list", json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_eq!(ints(&r), [anna.id, bob.id]);
    // Not a member, or no such chat: an empty array ("no permission to view").
    assert_eq!(ok(&s, &outsider, "im.chat.user.list", json!({"CHAT_ID": chat})).await, json!([]));
    assert_eq!(ok(&s, &outsider, "im.chat.user.list", json!({"CHAT_ID": 99999})).await, json!([]));
    assert_error(&call(&s, &anna, "im.chat.user.list", json!({})).await, 400, "CHAT_ID_EMPTY");
    s.stop().await;
}

#[tokio::test]
async fn an_owner_who_leaves_hands_the_chat_over() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carl = person(&s, "Carl Diaz").await;
    let chat = new_chat(&s, &anna, json!({"USERS": [bob.id, carl.id]})).await;
    let dialog_id = format!("chat{chat}");
    send(&s, &anna, &dialog_id, "bye").await;

    assert_eq!(ok(&s, &anna, "im.chat.leave", json!({"CHAT_ID": chat})).await, json!(true));
    let d = dialog(&s, &bob, chat).await;
    assert_eq!(d["owner"], bob.id, "the longest-standing member takes over");
    assert_eq!(d["role"], "owner");
    assert_eq!(d["manager_list"], json!([bob.id]));
    assert_eq!(d["user_counter"], 2);
    let h = history(&s, &carl, json!({"DIALOG_ID": dialog_id, "LIMIT": 1})).await;
    assert_eq!(messages(&h)[0]["text"], format!("{} left the chat", mention(anna.id, "Anna Weber")));
    assert_eq!(messages(&h)[0]["params"]["CODE"], json!(["CHAT_LEAVE"]));
    // The new owner can kick.
    assert_eq!(ok(&s, &bob, "im.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": carl.id})).await, json!(true));

    // Anna is out.
    assert_error(&call(&s, &anna, "im.dialog.get", json!({"DIALOG_ID": dialog_id})).await, 403, "ACCESS_ERROR");
    assert_error(&call(&s, &anna, "im.chat.leave", json!({"CHAT_ID": chat})).await, 403, "ACCESS_DENIED_KICK");
    assert_error(&call(&s, &anna, "im.chat.leave", json!({})).await, 400, "CHAT_ID_EMPTY");
    s.stop().await;
}

#[tokio::test]
async fn dialog_users_list_pages() {
    let s = TestServer::start().await;
    let anna = person(&s, "Anna Weber").await;
    let mut others = Vec::new();
    for name in ["Bob Stone", "Carl Diaz", "Dora Fox", "Emil Grey", "Fay Hunt"] {
        others.push(person(&s, name).await);
    }
    let chat = new_chat(&s, &anna, json!({"USERS": others.iter().map(|p| p.id).collect::<Vec<_>>()})).await;
    let dialog_id = format!("chat{chat}");
    let mut all: Vec<i64> = others.iter().map(|p| p.id).collect();
    all.push(anna.id);
    all.sort();

    let r = call(&s, &anna, "im.dialog.users.list", json!({"DIALOG_ID": dialog_id})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["total"], 6);
    assert!(r.2.get("next").is_none(), "one page: {}", r.2);
    let users = r.2["result"].as_array().unwrap();
    assert_eq!(users.iter().map(|u| u["id"].as_i64().unwrap()).collect::<Vec<_>>(), all);
    assert_eq!(keys(&users[0]), USER_KEYS);
    let a = users.iter().find(|u| u["id"] == anna.id).unwrap();
    assert_eq!(a["name"], "Anna Weber");
    assert_eq!(a["first_name"], "Anna");
    assert_eq!(a["last_name"], "Weber");
    assert_eq!(a["active"], true);
    assert_eq!(a["bot"], false);
    assert_eq!(a["extranet"], false);
    assert!(a["bot_data"].is_null());

    // LIMIT / OFFSET with `next`.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let r = call(&s, &anna, "im.dialog.users.list", json!({"DIALOG_ID": dialog_id, "LIMIT": 4, "OFFSET": offset}))
            .await;
        assert_eq!(r.0, 200);
        assert_eq!(r.2["total"], 6);
        let page: Vec<i64> = r.2["result"].as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
        assert!(page.len() <= 4);
        seen.extend(page);
        match r.2.get("next") {
            Some(n) => offset = n.as_i64().expect("next is an int"),
            None => break,
        }
    }
    assert_eq!(seen, all, "pages cover everyone once");
    // The standard `start` works as the offset.
    let r = call(&s, &anna, "im.dialog.users.list", json!({"DIALOG_ID": dialog_id, "LIMIT": 4, "start": 4})).await;
    assert_eq!(r.2["result"].as_array().unwrap().len(), 2);

    // LAST_ID: users after that id.
    let r = ok(&s, &anna, "im.dialog.users.list", json!({"DIALOG_ID": dialog_id, "LAST_ID": all[2], "LIMIT": 2})).await;
    assert_eq!(r.as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect::<Vec<_>>(), all[3..5]);

    // A private dialog lists both users.
    let r = ok(&s, &anna, "im.dialog.users.list", json!({"DIALOG_ID": others[0].dialog()})).await;
    let mut pair = vec![anna.id, others[0].id];
    pair.sort();
    assert_eq!(r.as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect::<Vec<_>>(), pair);

    // No access.
    let outsider = person(&s, "Olga Out").await;
    let r = call(&s, &outsider, "im.dialog.users.list", json!({"DIALOG_ID": dialog_id})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    assert_error(&call(&s, &outsider, "im.dialog.users.list", json!({})).await, 400, "DIALOG_ID_EMPTY");
    s.stop().await;
}
