//! Messages as the bot: `imbot.message.add` (BOT_ID default, DIALOG_ID or FROM_USER_ID + TO_USER_ID, MESSAGE
//! required even with ATTACH, SYSTEM prefix, where the bot may post), `imbot.message.update`,
//! `imbot.message.delete`, `imbot.message.like`, with their documented errors.

mod bot_util;
mod common;

use bot_util::*;
use common::assert_error;
use serde_json::json;

#[tokio::test]
async fn message_add() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::webhook(&s, 1, "msgapp").await;
    let first = api.register(&s, "first", "B", &h.url("/b")).await;
    let second = api.register(&s, "second", "B", &h.url("/b")).await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;

    // The doc's sample: result is the message id (int).
    let r = api
        .call(
            &s,
            "imbot.message.add",
            json!({"BOT_ID": second, "DIALOG_ID": anna.id.to_string(), "MESSAGE": "  Hello from the bot \n", "URL_PREVIEW": "N", "KEYBOARD": "", "ATTACH": ""}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    let id = r.2["result"].as_i64().unwrap_or_else(|| panic!("int: {}", r.2));
    let m = anna.message(&s, second, id).await.expect("Anna sees it");
    assert_eq!(m["author_id"], second);
    assert_eq!(m["text"], "Hello from the bot", "trimmed");

    // BOT_ID omitted: the app's first bot.
    let id = api
        .ok(&s, "imbot.message.add", json!({"DIALOG_ID": anna.id.to_string(), "MESSAGE": "default bot"}))
        .await
        .as_i64()
        .unwrap();
    assert_eq!(anna.message(&s, first, id).await.expect("from the first bot")["author_id"], first);

    // DIALOG_ID required (absent, empty, malformed).
    for body in [
        json!({"MESSAGE": "x"}),
        json!({"DIALOG_ID": "", "MESSAGE": "x"}),
        json!({"DIALOG_ID": "chat", "MESSAGE": "x"}),
    ] {
        let r = api.call(&s, "imbot.message.add", body).await;
        assert_error(&r, 400, "DIALOG_ID_EMPTY");
        assert_eq!(r.2["error_description"], "Dialog ID can't be empty");
    }
    // MESSAGE required, even with an ATTACH.
    for body in [
        json!({"DIALOG_ID": anna.id.to_string()}),
        json!({"DIALOG_ID": anna.id.to_string(), "MESSAGE": " \n "}),
        json!({"DIALOG_ID": anna.id.to_string(), "ATTACH": {"BLOCKS": [{"MESSAGE": "attachment"}]}}),
    ] {
        let r = api.call(&s, "imbot.message.add", body).await;
        assert_error(&r, 400, "MESSAGE_EMPTY");
        assert_eq!(r.2["error_description"], "Message can't be empty");
    }
    // A chat the bot is not in, and a chat that doesn't exist.
    let chat = anna.chat(&s, &[bob.id]).await;
    for dialog in [format!("chat{chat}"), "chat999999".into()] {
        let r = api.call(&s, "imbot.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "let me in"})).await;
        assert_error(&r, 400, "WRONG_REQUEST");
        assert!(r.2["error_description"].as_str().unwrap().starts_with("Message isn't added"), "{}", r.2);
    }
    // In the chat: posted; SYSTEM=Y in a group chat gets the bot's name as prefix.
    anna.ok(&s, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [first]})).await;
    let id = api
        .ok(&s, "imbot.message.add", json!({"DIALOG_ID": format!("chat{chat}"), "MESSAGE": "notice", "SYSTEM": "Y"}))
        .await
        .as_i64()
        .unwrap();
    let m = bob.message(&s, format!("chat{chat}"), id).await.expect("Bob sees it");
    assert_eq!(m["text"], "Bot first:[br]notice");
    assert_eq!(m["author_id"], 0);

    // FROM_USER_ID + TO_USER_ID: a private system message from Anna to Bob on behalf of the bot; DIALOG_ID ignored.
    let id = api
        .ok(&s, "imbot.message.add", json!({"FROM_USER_ID": anna.id, "TO_USER_ID": bob.id, "DIALOG_ID": "chat999999", "MESSAGE": "relayed", "SYSTEM": "N"}))
        .await
        .as_i64()
        .unwrap();
    let m = bob.message(&s, anna.id, id).await.expect("in the Anna–Bob dialog");
    assert_eq!(m["author_id"], 0, "system");
    let text = m["text"].as_str().unwrap();
    assert!(text.contains(&format!("[USER={first}]")) && text.ends_with("[BR]relayed"), "{text}");
    // Only one of them: the DIALOG_ID rule applies.
    assert_error(
        &api.call(&s, "imbot.message.add", json!({"FROM_USER_ID": anna.id, "MESSAGE": "x"})).await,
        400,
        "DIALOG_ID_EMPTY",
    );

    // Ownership.
    let other = Api::webhook(&s, 1, "other-app").await;
    assert_error(
        &other.call(&s, "imbot.message.add", json!({"BOT_ID": first, "DIALOG_ID": "1", "MESSAGE": "x"})).await,
        400,
        "APP_ID_ERROR",
    );
    assert_error(
        &other.call(&s, "imbot.message.add", json!({"DIALOG_ID": "1", "MESSAGE": "x"})).await,
        400,
        "BOT_ID_ERROR",
    );
    assert_error(
        &api.call(&s, "imbot.message.add", json!({"BOT_ID": 31337, "DIALOG_ID": "1", "MESSAGE": "x"})).await,
        400,
        "BOT_ID_ERROR",
    );
    // Rich parts are validated.
    assert_error(
        &api.call(&s, "imbot.message.add", json!({"DIALOG_ID": "1", "MESSAGE": "x", "KEYBOARD": {"BUTTONS": 3}})).await,
        400,
        "KEYBOARD_ERROR",
    );
}

#[tokio::test]
async fn update_delete_like() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "editor", "B", &h.url("/b")).await;
    let anna = person(&s, "Anna Weber").await;
    let human = anna.send(&s, bot, "a human message").await;
    let add = |text: &str| {
        let body = json!({"DIALOG_ID": anna.id.to_string(), "MESSAGE": text, "KEYBOARD": [{"TEXT": "Go", "LINK": "https://example.com"}], "MENU": [{"TEXT": "Site", "LINK": "https://example.com"}]});
        let (api, s) = (&api, &s);
        async move { api.ok(s, "imbot.message.add", body).await.as_i64().unwrap() }
    };
    let mine = add("original").await;

    // Update.
    let r =
        api.call(&s, "imbot.message.update", json!({"MESSAGE_ID": mine, "MESSAGE": "changed", "KEYBOARD": "N"})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    let m = anna.message(&s, bot, mine).await.unwrap();
    assert_eq!(m["text"], "changed");
    assert!(m["params"].get("KEYBOARD").is_none(), "{}", m["params"]);
    assert!(m["params"].get("MENU").is_some(), "untouched: {}", m["params"]);
    // A human's message.
    let r = api.call(&s, "imbot.message.update", json!({"MESSAGE_ID": human, "MESSAGE": "hijack"})).await;
    assert_error(&r, 403, "CANT_EDIT_MESSAGE");
    assert_eq!(r.2["error_description"], "Time has expired for modification or you don't have access");
    // MESSAGE_ID required.
    for body in [json!({"MESSAGE": "x"}), json!({"MESSAGE_ID": 0, "MESSAGE": "x"})] {
        let r = api.call(&s, "imbot.message.update", body).await;
        assert_error(&r, 400, "MESSAGE_ID_ERROR");
        assert_eq!(r.2["error_description"], "Message ID can't be empty");
    }
    // An empty MESSAGE deletes.
    let gone = add("to be emptied").await;
    api.ok(&s, "imbot.message.update", json!({"MESSAGE_ID": gone, "MESSAGE": ""})).await;
    let m = anna.message(&s, bot, gone).await.unwrap();
    assert_eq!(m["params"]["IS_DELETED"], "Y", "{m}");
    // Another app's bot.
    let other = Api::oauth(&s, 1).await;
    other.register(&s, "other", "B", &h.url("/o")).await;
    assert_error(
        &other.call(&s, "imbot.message.update", json!({"BOT_ID": bot, "MESSAGE_ID": mine, "MESSAGE": "x"})).await,
        400,
        "APP_ID_ERROR",
    );
    // Other app's own bot cannot edit our bot's message.
    assert_error(
        &other.call(&s, "imbot.message.update", json!({"MESSAGE_ID": mine, "MESSAGE": "x"})).await,
        403,
        "CANT_EDIT_MESSAGE",
    );

    // Like.
    let like = |action: Option<&str>| {
        let mut body = json!({"MESSAGE_ID": human});
        if let Some(a) = action {
            body["ACTION"] = json!(a);
        }
        let (api, s) = (&api, &s);
        async move { api.call(s, "imbot.message.like", body).await }
    };
    assert_eq!(like(Some("plus")).await.2["result"], true);
    let r = like(Some("PLUS")).await;
    assert_error(&r, 400, "WITHOUT_CHANGES");
    assert_eq!(r.2["error_description"], "Action completed without changes");
    assert_eq!(like(None).await.2["result"], true, "auto toggles off");
    assert_error(&like(Some("minus")).await, 400, "WITHOUT_CHANGES");
    assert_eq!(like(Some("auto")).await.2["result"], true);
    assert_error(&api.call(&s, "imbot.message.like", json!({})).await, 400, "MESSAGE_ID_ERROR");

    // Delete.
    let r = api.call(&s, "imbot.message.delete", json!({"MESSAGE_ID": human})).await;
    assert_error(&r, 403, "CANT_EDIT_MESSAGE");
    assert_error(&api.call(&s, "imbot.message.delete", json!({})).await, 400, "MESSAGE_ID_ERROR");
    let r = api.call(&s, "imbot.message.delete", json!({"MESSAGE_ID": mine, "COMPLETE": "Y"})).await;
    assert_eq!(r.2["result"], true, "{}", r.2);
    let m = anna.message(&s, bot, mine).await;
    assert!(m.as_ref().is_none_or(|m| m["params"]["IS_DELETED"] == "Y"), "{m:?}");
    // Bot edits never reach bots.
    drained(&s).await;
    assert!(queued(&s, "ONIMBOTMESSAGEUPDATE").await.is_empty());
    assert!(queued(&s, "ONIMBOTMESSAGEDELETE").await.is_empty());
}
