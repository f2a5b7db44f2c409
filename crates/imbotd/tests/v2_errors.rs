//! The documented v2 error codes a client can provoke (docs/v2.md §2.6), each with its HTTP status (400, §9 A5)
//! and a description: bot registration and update, commands and answers, in the documented order of checks.
//! The codes of chats, messages, reactions and events are asserted where those features are tested
//! (v2_chats.rs, v2_messages.rs, v2_bots.rs).

mod bot_util;
mod common;

use base64::Engine as _;
use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};

/// A PNG header claiming `w`×`h` pixels, Base64.
fn png(w: u32, h: u32) -> String {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    base64::engine::general_purpose::STANDARD.encode(b)
}

async fn check(s: &TestServer, api: &Api, method: &str, body: Value, code: &str) {
    let r = api.call(s, method, body.clone()).await;
    assert_eq!((r.0, r.2["error"].as_str()), (400, Some(code)), "{method} {body} → {}", r.2);
    assert_error(&r, 400, code);
    let description = r.2["error_description"].as_str().unwrap();
    assert!(!description.is_empty(), "{method} {body}: empty description");
}

#[tokio::test]
async fn registration_and_update_errors() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let props = json!({"name": "Errant"});
    let cases = [
        (json!({"fields": {"properties": props}}), "BOT_CODE_REQUIRED"),
        (json!({"fields": {"code": "e1"}}), "BOT_PROPERTIES_REQUIRED"),
        (json!({"fields": {"code": "e1", "type": "robot", "properties": props}}), "BOT_INVALID_TYPE"),
        (json!({"fields": {"code": "e1", "eventMode": "push", "properties": props}}), "BOT_INVALID_EVENT_MODE"),
        (json!({"fields": {"code": "e1", "eventMode": "webhook", "properties": props}}), "BOT_WEBHOOK_URL_REQUIRED"),
        (
            json!({"fields": {"code": "e1", "eventMode": "webhook", "webhookUrl": "ftp://example.com/", "properties": props}}),
            "BOT_INVALID_CALLBACK",
        ),
        (
            json!({"fields": {"code": "e1", "properties": {"name": "Errant", "avatar": "bm90IGFuIGltYWdl"}}}),
            "BOT_AVATAR_INCORRECT_TYPE",
        ),
        (
            json!({"fields": {"code": "e1", "properties": {"name": "Errant", "avatar": png(6000, 10)}}}),
            "BOT_AVATAR_INCORRECT_SIZE",
        ),
    ];
    for (body, code) in cases {
        check(&s, &api, "imbot.v2.Bot.register", body, code).await;
    }
    // A valid avatar passes.
    let ok = api
        .ok(
            &s,
            "imbot.v2.Bot.register",
            json!({"fields": {"code": "e1", "properties": {"name": "Fine", "avatar": png(64, 64)}}}),
        )
        .await;
    let bot = ok["bot"]["id"].as_i64().unwrap();
    // Taken by another app.
    let other = Api::oauth(&s, 1).await;
    check(
        &s,
        &other,
        "imbot.v2.Bot.register",
        json!({"fields": {"code": "e1", "properties": props}}),
        "BOT_CODE_ALREADY_TAKEN",
    )
    .await;
    // Update.
    check(&s, &api, "imbot.v2.Bot.update", json!({"fields": {"eventMode": "fetch"}}), "BOT_ID_REQUIRED").await;
    check(&s, &api, "imbot.v2.Bot.update", json!({"botId": 987_654, "fields": {}}), "BOT_NOT_FOUND").await;
    check(&s, &other, "imbot.v2.Bot.update", json!({"botId": bot, "fields": {}}), "BOT_OWNERSHIP_ERROR").await;
    check(
        &s,
        &api,
        "imbot.v2.Bot.update",
        json!({"botId": bot, "fields": {"eventMode": "webhook"}}),
        "BOT_WEBHOOK_URL_REQUIRED",
    )
    .await;
    check(
        &s,
        &api,
        "imbot.v2.Bot.update",
        json!({"botId": bot, "fields": {"properties": {"avatar": png(1, 9000)}}}),
        "BOT_AVATAR_INCORRECT_SIZE",
    )
    .await;

    // Webhook bots: the token is required, its length bounded, a rotation onto another bot's token refused.
    let hook = s.webhook_for(1, "im,imbot").await;
    let call = |method: &str, body: Value| {
        let url = format!("{hook}{method}");
        let s = &s;
        async move { s.post_json(&url, &body).await }
    };
    assert_error(
        &call("imbot.v2.Bot.register", json!({"fields": {"code": "w1", "properties": props}})).await,
        400,
        "BOT_TOKEN_NOT_SPECIFIED",
    );
    let long = "x".repeat(300);
    assert_error(
        &call("imbot.v2.Bot.register", json!({"fields": {"code": "w1", "botToken": long, "properties": props}})).await,
        400,
        "BOT_TOKEN_INVALID_LENGTH",
    );
    let w1 =
        call("imbot.v2.Bot.register", json!({"fields": {"code": "w1", "botToken": "token-one", "properties": props}}))
            .await;
    let w1 = w1.2["result"]["bot"]["id"].as_i64().unwrap_or_else(|| panic!("{:?}", w1.2));
    call("imbot.v2.Bot.register", json!({"fields": {"code": "w2", "botToken": "token-two", "properties": props}}))
        .await;
    assert_error(
        &call(
            "imbot.v2.Bot.update",
            json!({"botId": w1, "botToken": "token-one", "fields": {"botToken": "token-two"}}),
        )
        .await,
        400,
        "BOT_TOKEN_ROTATION_FAILED",
    );
    assert_error(
        &call("imbot.v2.Bot.update", json!({"botId": w1, "botToken": "token-two", "fields": {}})).await,
        400,
        "BOT_OWNERSHIP_ERROR",
    );
}

#[tokio::test]
async fn the_bot_limit_of_an_app() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    for i in 0..100 {
        api.ok(
            &s,
            "imbot.v2.Bot.register",
            json!({"fields": {"code": format!("many{i}"), "properties": {"name": "n"}}}),
        )
        .await;
    }
    check(
        &s,
        &api,
        "imbot.v2.Bot.register",
        json!({"fields": {"code": "one_too_many", "properties": {"name": "n"}}}),
        "BOT_LIMIT_EXCEEDED",
    )
    .await;
    // The same code again is still the existing bot, not an error.
    api.ok(&s, "imbot.v2.Bot.register", json!({"fields": {"code": "many7", "properties": {"name": "n"}}})).await;
}

#[tokio::test]
async fn command_errors() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api
        .ok(&s, "imbot.v2.Bot.register", json!({"fields": {"code": "cmdbot", "properties": {"name": "C"}}}))
        .await["bot"]["id"]
        .as_i64()
        .unwrap();
    let title = json!({"en": "Help"});
    let reg = |fields: Value| json!({"botId": bot, "fields": fields});
    check(&s, &api, "imbot.v2.Command.register", reg(json!({"title": title})), "COMMAND_REQUIRED").await;
    check(&s, &api, "imbot.v2.Command.register", reg(json!({"command": " / ", "title": title})), "COMMAND_REQUIRED")
        .await;
    check(
        &s,
        &api,
        "imbot.v2.Command.register",
        reg(json!({"command": ["a"], "title": title})),
        "COMMAND_NAME_INVALID",
    )
    .await;
    check(&s, &api, "imbot.v2.Command.register", reg(json!({"command": "help"})), "COMMAND_TITLE_REQUIRED").await;
    let cmd = api.ok(&s, "imbot.v2.Command.register", reg(json!({"command": "help", "title": title}))).await["command"]
        ["id"]
        .as_i64()
        .unwrap();
    // Registering it again is the same command; renaming another onto it is refused.
    let again = api.ok(&s, "imbot.v2.Command.register", reg(json!({"command": "/help", "title": title}))).await;
    assert_eq!(again["command"]["id"], cmd);
    let about = api
        .ok(&s, "imbot.v2.Command.register", reg(json!({"command": "about", "title": {"en": "About"}})))
        .await["command"]["id"]
        .as_i64()
        .unwrap();
    check(
        &s,
        &api,
        "imbot.v2.Command.update",
        json!({"botId": bot, "commandId": about, "fields": {"command": "help"}}),
        "COMMAND_ALREADY_EXISTS",
    )
    .await;
    check(
        &s,
        &api,
        "imbot.v2.Command.update",
        json!({"botId": bot, "commandId": cmd, "fields": {"command": ""}}),
        "COMMAND_NAME_EMPTY",
    )
    .await;
    check(
        &s,
        &api,
        "imbot.v2.Command.update",
        json!({"botId": bot, "commandId": 424_242, "fields": {"title": title}}),
        "COMMAND_NOT_FOUND",
    )
    .await;
    check(&s, &api, "imbot.v2.Command.unregister", json!({"botId": bot, "commandId": 424_242}), "COMMAND_NOT_FOUND")
        .await;

    // Answers: unknown command or message, no command to answer, empty content.
    let anna = person(&s, "Anna Weber").await;
    let m = anna.send(&s, bot, "/help").await;
    let dialog = anna.id.to_string();
    let answer = |command: i64, message: i64, fields: Value| json!({"botId": bot, "commandId": command, "messageId": message, "dialogId": dialog, "fields": fields});
    check(&s, &api, "imbot.v2.Command.answer", answer(424_242, m, json!({"message": "x"})), "COMMAND_ANSWER_FAILED")
        .await;
    check(
        &s,
        &api,
        "imbot.v2.Command.answer",
        answer(cmd, 9_999_999, json!({"message": "x"})),
        "COMMAND_ANSWER_FAILED",
    )
    .await;
    check(&s, &api, "imbot.v2.Command.answer", answer(cmd, m, json!({})), "COMMAND_ANSWER_FAILED").await;
    assert_eq!(
        api.ok(&s, "imbot.v2.Command.answer", answer(cmd, m, json!({"message": "Help text"}))).await,
        json!({"result": true})
    );

    // Messages: empty content, and a dialog the bot is not in.
    check(
        &s,
        &api,
        "imbot.v2.Chat.Message.send",
        json!({"botId": bot, "dialogId": dialog, "fields": {}}),
        "EMPTY_MESSAGE",
    )
    .await;
    let ben = person(&s, "Ben Kraus").await;
    let chat = ben.chat(&s, &[]).await;
    check(
        &s,
        &api,
        "imbot.v2.Chat.Message.send",
        json!({"botId": bot, "dialogId": format!("chat{chat}"), "fields": {"message": "hi"}}),
        "ACCESS_DENIED",
    )
    .await;
    let theirs = ben.send(&s, format!("chat{chat}"), "mine").await;
    check(
        &s,
        &api,
        "imbot.v2.Chat.Message.update",
        json!({"botId": bot, "messageId": theirs, "fields": {"message": "x"}}),
        "ACCESS_DENIED",
    )
    .await;
    check(&s, &api, "imbot.v2.Chat.Message.delete", json!({"botId": bot, "messageId": theirs}), "ACCESS_DENIED").await;
}
