//! The seed loop, end to end over HTTP with a recording handler: a bot and its `/echo` command; a user types
//! `/echo test` in the private dialog with the bot; the handler receives `ONIMCOMMANDADD` exactly as the
//! documented example (compared key by key, in order); the bot answers with the token from the event through
//! `imbot.command.answer` with ATTACH + KEYBOARD + MENU; the user sees the answer and presses the button
//! (`im.message.command`) → `ONIMCOMMANDADD` with context KEYBOARD; a menu item → MENU. The same in a group chat.

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};

fn answer_body(command: i64, message: i64) -> Value {
    json!({
        "COMMAND_ID": command,
        "MESSAGE_ID": message,
        "MESSAGE": "Answer to [B]test[/B]",
        "ATTACH": {"BLOCKS": [{"MESSAGE": "Block text"}]},
        "KEYBOARD": {"BUTTONS": [{"TEXT": "Repeat", "COMMAND": "echo", "COMMAND_PARAMS": "repeat"}]},
        "MENU": [{"TEXT": "Pick me", "COMMAND": "pick", "COMMAND_PARAMS": "picked"}, {"TEXT": "bitrix24", "LINK": "https://bitrix24.com"}]
    })
}

/// Values every bot token block (`data[COMMAND][id]`, its `AUTH`, `data[BOT][id]`) must have.
fn assert_bot_block(b: &Value, bot: i64, api: &Api, ts: i64) {
    assert_eq!(b["user_id"], bot.to_string(), "{b}");
    assert_eq!(b["expires_in"], "3600");
    let expires: i64 = b["expires"].as_str().unwrap().parse().unwrap();
    assert!((expires - ts - 3600).abs() <= 5, "expires {expires} vs ts {ts}");
    assert!(b["scope"].as_str().unwrap().split(',').any(|s| s == "imbot"), "{b}");
    assert!(["F", "D", "T", "P", "L", "S"].contains(&b["status"].as_str().unwrap()));
    assert!(!b["access_token"].as_str().unwrap().is_empty());
    assert!(!b["refresh_token"].as_str().unwrap().is_empty());
    assert!(b["client_endpoint"].as_str().unwrap().ends_with("/rest/"));
    assert!(b["server_endpoint"].as_str().unwrap().ends_with("/rest/"));
    assert_eq!(b["application_token"], api.application_token());
    if let Api::OAuth { client_id, .. } = api {
        assert_eq!(&b["client_id"], client_id);
    }
}

#[tokio::test]
async fn private_dialog_seed_loop() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "BOT_GM", "B", &h.url("/bot")).await;
    let echo = api.command(&s, bot, "/echo", &h.url("/cmd"), json!({})).await;
    let pick = api.command(&s, bot, "pick", &h.url("/cmd"), json!({"HIDDEN": "Y"})).await;
    // The leading `/` is stripped: registering `echo` again is the same command.
    assert_eq!(api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await, echo);

    let anna = person(&s, "Anna Weber").await;
    let before = s.now();
    let m = anna.send(&s, bot, "/echo test").await;
    let chat_id = anna.message(&s, bot, m).await.expect("the message")["chat_id"].as_i64().unwrap();

    let e = h.wait_event("ONIMCOMMANDADD").await;
    assert_eq!(e.method, "POST");
    assert_eq!(e.path(), "/cmd");
    assert_eq!(e.query(), None, "OAuth handlers are called exactly as registered");
    assert_eq!(e.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert!(e.body.starts_with("event=ONIMCOMMANDADD&event_handler_id="), "{}", e.body);
    assert!(
        e.body.contains(&format!("&data%5BCOMMAND%5D%5B{echo}%5D%5Baccess_token%5D=")),
        "brackets percent-encoded: {}",
        e.body
    );
    assert!(e.body.contains("&data%5BPARAMS%5D%5BMESSAGE%5D=%2Fecho+test&"), "{}", e.body);
    let f = Value::Object(e.form());

    // Field by field against the documented example: every key, in the documented order, at every level.
    assert_same_shape(&f, &doc(docs::ONIMCOMMANDADD_PRIVATE), "body");

    // Values.
    assert_eq!(f["event"], "ONIMCOMMANDADD");
    assert!(f["event_handler_id"].as_str().unwrap().parse::<i64>().is_ok_and(|v| v > 0));
    let ts: i64 = f["ts"].as_str().unwrap().parse().unwrap();
    assert!(ts >= before && ts <= s.now() + 1);
    let (key, c) = only_entry(&f["data"]["COMMAND"]);
    assert_eq!(key, echo.to_string());
    assert_bot_block(&c, bot, &api, ts);
    let mut plain = c.as_object().unwrap().clone();
    for k in ["AUTH", "BOT_ID", "BOT_CODE", "COMMAND", "COMMAND_ID", "COMMAND_PARAMS", "COMMAND_CONTEXT", "MESSAGE_ID"]
    {
        plain.remove(k);
    }
    assert_eq!(c["AUTH"], Value::Object(plain), "AUTH repeats the bot's token fields");
    assert_eq!(c["BOT_ID"], bot.to_string());
    assert_eq!(c["BOT_CODE"], "BOT_GM");
    assert_eq!(c["COMMAND"], "echo");
    assert_eq!(c["COMMAND_ID"], echo.to_string());
    assert_eq!(c["COMMAND_PARAMS"], "test");
    assert_eq!(c["COMMAND_CONTEXT"], "TEXTAREA");
    assert_eq!(c["MESSAGE_ID"], m.to_string());
    let p = &f["data"]["PARAMS"];
    for (k, v) in [
        ("MESSAGE", "/echo test".to_owned()),
        ("MESSAGE_TYPE", "P".into()),
        ("FROM_USER_ID", anna.id.to_string()),
        ("DIALOG_ID", anna.id.to_string()),
        ("TO_CHAT_ID", chat_id.to_string()),
        ("AUTHOR_ID", anna.id.to_string()),
        ("SYSTEM", "N".into()),
        ("TO_USER_ID", bot.to_string()),
        ("SKIP_COMMAND", "N".into()),
        ("MESSAGE_ID", m.to_string()),
        ("CHAT_TYPE", "P".into()),
        ("LANGUAGE", "en".into()),
    ] {
        assert_eq!(p[k], v, "PARAMS[{k}] in {p}");
    }
    assert_eq!(
        f["data"]["USER"],
        json!({"ID": anna.id.to_string(), "NAME": "Anna Weber", "FIRST_NAME": "Anna", "LAST_NAME": "Weber", "GENDER": "M"})
    );
    let auth = &f["auth"];
    assert_eq!(auth["user_id"], anna.id.to_string());
    assert_eq!(auth["application_token"], api.application_token());
    assert!(!auth["refresh_token"].as_str().unwrap().is_empty());
    assert_ne!(auth["access_token"], c["access_token"], "the human's token is not the bot's");

    // The same message is also a message to the bot (private dialog) and opened the dialog (join).
    let add = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(add.path(), "/bot");
    assert_eq!(add.data()["PARAMS"]["MESSAGE"], "/echo test");
    let join = h.wait_event("ONIMBOTJOINCHAT").await;
    assert_eq!(join.path(), "/bot");
    // application_token is the same in every event of the app.
    for r in h.requests() {
        assert_eq!(r.auth()["application_token"], api.application_token(), "{}", r.event());
    }

    // The bot answers with the access token it got in the event.
    let bot_api = api.with_token(c["access_token"].as_str().unwrap());
    let r = bot_api.call(&s, "imbot.command.answer", answer_body(echo, m)).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let answer = r.2["result"].as_i64().unwrap_or_else(|| panic!("int result: {}", r.2));

    // Anna sees the answer, by the bot, with the attachment, keyboard and menu.
    let msg = anna.message(&s, bot, answer).await.expect("the answer is in Anna's dialog");
    assert_eq!(msg["author_id"], bot);
    assert_eq!(msg["text"], "Answer to [B]test[/B]");
    assert_eq!(msg["chat_id"], chat_id);
    let params = &msg["params"];
    assert!(params["ATTACH"].is_array() || params["ATTACH"].is_object(), "{params}");
    let kb = params["KEYBOARD"].as_array().unwrap_or_else(|| panic!("KEYBOARD in {params}"));
    assert_eq!(kb[0]["TEXT"], "Repeat");
    assert_eq!(kb[0]["COMMAND"], "echo");
    assert_eq!(kb[0]["BOT_ID"], bot);
    let menu = params["MENU"].as_array().unwrap_or_else(|| panic!("MENU in {params}"));
    assert_eq!(menu[0]["COMMAND"], "pick");

    // She presses the button.
    let r = anna
        .call(
            &s,
            "im.message.command",
            json!({"MESSAGE_ID": answer, "BOT_ID": bot, "COMMAND": "echo", "COMMAND_PARAMS": "repeat"}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    let e = h.wait_event_nth("ONIMCOMMANDADD", 2).await;
    let f = Value::Object(e.form());
    let (key, c) = only_entry(&f["data"]["COMMAND"]);
    assert_eq!(key, echo.to_string());
    assert_eq!(c["COMMAND_CONTEXT"], "KEYBOARD");
    assert_eq!(c["COMMAND_PARAMS"], "repeat");
    assert_eq!(c["MESSAGE_ID"], answer.to_string(), "the message with the button");
    assert_eq!(f["data"]["PARAMS"]["DIALOG_ID"], anna.id.to_string());
    assert_eq!(f["data"]["USER"]["ID"], anna.id.to_string());
    assert_eq!(f["auth"]["user_id"], anna.id.to_string());
    let ts: i64 = f["ts"].as_str().unwrap().parse().unwrap();
    assert_bot_block(&c, bot, &api, ts);

    // … and a menu item.
    anna.ok(
        &s,
        "im.message.command",
        json!({"MESSAGE_ID": answer, "BOT_ID": bot, "COMMAND": "pick", "COMMAND_PARAMS": "picked"}),
    )
    .await;
    let e = h.wait_event_nth("ONIMCOMMANDADD", 3).await;
    let (key, c) = only_entry(&e.data()["COMMAND"]);
    assert_eq!(key, pick.to_string());
    assert_eq!(c["COMMAND_CONTEXT"], "MENU");
    assert_eq!(c["COMMAND_PARAMS"], "picked");
    assert_eq!(c["MESSAGE_ID"], answer.to_string());

    // The answer through the new token works again (window prolonged); the bot answers the button press.
    let r = bot_api
        .call(&s, "imbot.command.answer", json!({"COMMAND": "echo", "MESSAGE_ID": answer, "MESSAGE": "repeat"}))
        .await;
    assert!(r.2["result"].is_i64(), "{}", r.2);
}

#[tokio::test]
async fn im_message_command_errors() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "cmdbot", "B", &h.url("/bot")).await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let m = bot_api_message(&s, &api, bot, anna.id).await;

    let call = |body: Value| anna.call(&s, "im.message.command", body);
    let r = call(json!({"BOT_ID": bot, "COMMAND": "echo"})).await;
    assert_error(&r, 400, "MESSAGE_ID_ERROR");
    assert_eq!(r.2["error_description"], "Message ID can't be empty");
    let r = call(json!({"MESSAGE_ID": m, "COMMAND": "echo"})).await;
    assert_error(&r, 400, "BOT_ID_ERROR");
    assert_eq!(r.2["error_description"], "Bot ID can't be empty");
    let r = call(json!({"MESSAGE_ID": m, "BOT_ID": bot})).await;
    assert_error(&r, 400, "COMMAND_ERROR");
    assert_eq!(r.2["error_description"], "Command can't be empty");
    assert_error(&call(json!({"MESSAGE_ID": m, "BOT_ID": bot, "COMMAND": ""})).await, 400, "COMMAND_ERROR");
    assert_error(
        &call(json!({"MESSAGE_ID": m, "BOT_ID": bot, "COMMAND": "echo", "COMMAND_PARAMS": {"a": 1}})).await,
        400,
        "PARAMS_ERROR",
    );
    // Not a participant of the message's chat.
    assert_error(
        &bob.call(&s, "im.message.command", json!({"MESSAGE_ID": m, "BOT_ID": bot, "COMMAND": "echo"})).await,
        400,
        "MESSAGE_ID_ERROR",
    );
    // Unknown message, unknown bot.
    assert_error(&call(json!({"MESSAGE_ID": 987654, "BOT_ID": bot, "COMMAND": "echo"})).await, 400, "MESSAGE_ID_ERROR");
    assert_error(&call(json!({"MESSAGE_ID": m, "BOT_ID": 987654, "COMMAND": "echo"})).await, 400, "BOT_ID_ERROR");
    // The doc's sample works.
    let r = call(json!({"MESSAGE_ID": m, "BOT_ID": bot, "COMMAND": "echo", "COMMAND_PARAMS": "test"})).await;
    assert_eq!(r.2["result"], true, "{}", r.2);
    let e = h.wait_event("ONIMCOMMANDADD").await;
    assert_eq!(only_entry(&e.data()["COMMAND"]).1["COMMAND_PARAMS"], "test");
}

/// A message of the bot to `user` (private), through imbot.message.add; returns its id.
async fn bot_api_message(s: &TestServer, api: &Api, bot: i64, user: i64) -> i64 {
    api.ok(
        s,
        "imbot.message.add",
        json!({"BOT_ID": bot, "DIALOG_ID": user.to_string(), "MESSAGE": "Hi", "KEYBOARD": [{"TEXT": "Echo", "COMMAND": "echo"}]}),
    )
    .await
    .as_i64()
    .unwrap()
}

#[tokio::test]
async fn group_chat_seed_loop() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "BOT_GM", "B", &h.url("/bot")).await;
    let echo = api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let chat = anna.chat(&s, &[bob.id, bot]).await;
    let dialog = format!("chat{chat}");

    let m = anna.send(&s, &dialog, "/echo test").await;
    let e = h.wait_event("ONIMCOMMANDADD").await;
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMCOMMANDADD_GROUP), "body");
    let (key, c) = only_entry(&f["data"]["COMMAND"]);
    assert_eq!(key, echo.to_string());
    assert_eq!(c["COMMAND_PARAMS"], "test");
    assert_eq!(c["MESSAGE_ID"], m.to_string());
    let p = &f["data"]["PARAMS"];
    for (k, v) in [
        ("MESSAGE", "/echo test".to_owned()),
        ("MESSAGE_TYPE", "C".into()),
        ("FROM_USER_ID", anna.id.to_string()),
        ("DIALOG_ID", dialog.clone()),
        ("TO_CHAT_ID", chat.to_string()),
        ("AUTHOR_ID", anna.id.to_string()),
        ("CHAT_ID", chat.to_string()),
        ("CHAT_TITLE", "Team".into()),
        ("CHAT_AUTHOR_ID", anna.id.to_string()),
        ("CHAT_TYPE", "C".into()),
        ("MESSAGE_ID", m.to_string()),
    ] {
        assert_eq!(p[k], v, "PARAMS[{k}] in {p}");
    }
    assert_eq!(p["BOT_IN_CHAT"], json!({bot.to_string(): bot.to_string()}));
    assert!(p.get("TO_USER_ID").is_none(), "TO_USER_ID only in private dialogs: {p}");

    // The answer goes to the chat, by the bot.
    let bot_api = api.with_token(c["access_token"].as_str().unwrap());
    let answer = bot_api.ok(&s, "imbot.command.answer", answer_body(echo, m)).await.as_i64().unwrap();
    let msg = bob.message(&s, &dialog, answer).await.expect("Bob sees the answer");
    assert_eq!(msg["author_id"], bot);
    assert_eq!(msg["text"], "Answer to [B]test[/B]");
    // Bob presses the button on the bot's message.
    bob.ok(
        &s,
        "im.message.command",
        json!({"MESSAGE_ID": answer, "BOT_ID": bot, "COMMAND": "echo", "COMMAND_PARAMS": "repeat"}),
    )
    .await;
    let e = h.wait_event_nth("ONIMCOMMANDADD", 2).await;
    let f = Value::Object(e.form());
    let (_, c) = only_entry(&f["data"]["COMMAND"]);
    assert_eq!(c["COMMAND_CONTEXT"], "KEYBOARD");
    assert_eq!(c["MESSAGE_ID"], answer.to_string());
    assert_eq!(f["data"]["PARAMS"]["DIALOG_ID"], dialog);
    assert_eq!(f["data"]["USER"]["ID"], bob.id.to_string());
    assert_eq!(f["auth"]["user_id"], bob.id.to_string());
}

/// The shape comparison itself is strict: the private example is not the group one, and a reordered or missing
/// key fails.
#[test]
fn shape_comparison_is_strict() {
    let private = doc(docs::ONIMCOMMANDADD_PRIVATE);
    assert!(std::panic::catch_unwind(|| assert_same_shape(&private, &doc(docs::ONIMCOMMANDADD_GROUP), "b")).is_err());
    let mut missing = private.clone();
    missing["data"]["PARAMS"].as_object_mut().unwrap().shift_remove("RECENT_ADD");
    assert!(std::panic::catch_unwind(|| assert_same_shape(&missing, &private, "b")).is_err());
    let mut reordered = private.clone();
    let user = reordered["data"].as_object_mut().unwrap().shift_remove("USER").unwrap();
    reordered["data"].as_object_mut().unwrap().insert("USER".into(), user.clone());
    assert_same_shape(&reordered, &private, "b");
    let params = reordered["data"].as_object_mut().unwrap().shift_remove("PARAMS").unwrap();
    reordered["data"].as_object_mut().unwrap().insert("PARAMS".into(), params);
    assert!(std::panic::catch_unwind(|| assert_same_shape(&reordered, &private, "b")).is_err());
    let mut number = private.clone();
    number["ts"] = json!(1772109486);
    assert!(std::panic::catch_unwind(|| assert_same_shape(&number, &private, "b")).is_err());
}

/// The pages' own request samples (ids replaced by real ones) give their documented results.
#[tokio::test]
async fn documented_samples() {
    let s = server().await;
    let h = Handler::start().await;
    let hook = s.webhook_for(1, "im,imbot").await;
    let api = Api::Webhook { hook: hook.clone(), client_id: "sample_client".into() };
    let bot = api.ok(&s, "imbot.register", json!({"CODE":"newbot","TYPE":"B","EVENT_HANDLER": h.url("/bot/events"),"OPENLINE":"N","PROPERTIES":{"NAME":"NewBot","WORK_POSITION":"Support bot"}})).await;
    let bot = bot.as_i64().unwrap();
    // imbot.command.register sample.
    let echo = api
        .ok(&s, "imbot.command.register", json!({"BOT_ID":bot,"COMMAND":"echo","EVENT_COMMAND_ADD": h.url("/bot/command.php"),"LANG":[{"LANGUAGE_ID":"de","TITLE":"Echo","PARAMS":"text"},{"LANGUAGE_ID":"en","TITLE":"Echo","PARAMS":"text"}],"COMMON":"Y","HIDDEN":"N","EXTRANET_SUPPORT":"N"}))
        .await;
    let echo = echo.as_i64().unwrap_or_else(|| panic!("int: {echo}"));
    let task = api.command(&s, bot, "task", &h.url("/bot/command.php"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[bot]).await;
    let m = anna.send(&s, format!("chat{chat}"), "/echo test").await;
    h.wait_event("ONIMCOMMANDADD").await;
    // imbot.command.answer sample.
    let r = api
        .call(
            &s,
            "imbot.command.answer",
            json!({"COMMAND_ID":echo,"MESSAGE_ID":m,"MESSAGE":"Accepted. Executing command.","SYSTEM":"N","URL_PREVIEW":"Y","ATTACH":{"BLOCKS":[{"MESSAGE":"Task details"},{"DELIMITER":true},{"LINK":{"NAME":"Open","LINK":"https://example.com"}}]},"KEYBOARD":{"BUTTONS":[{"TEXT":"Repeat","COMMAND":"echo repeat"}]},"MENU":[{"TEXT":"bitrix24","LINK":"https://bitrix24.com"}]}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    let answer = r.2["result"].as_i64().unwrap_or_else(|| panic!("int: {}", r.2));
    let msg = anna.message(&s, format!("chat{chat}"), answer).await.unwrap();
    assert_eq!(msg["text"], "Accepted. Executing command.");
    assert_eq!(msg["params"]["KEYBOARD"][0]["TEXT"], "Repeat", "{}", msg["params"]);
    // imbot.message.add sample.
    let r = api.call(&s, "imbot.message.add", json!({"BOT_ID":bot,"DIALOG_ID":format!("chat{chat}"),"MESSAGE":"Message text","SYSTEM":"N","URL_PREVIEW":"Y"})).await;
    assert!(r.2["result"].is_i64(), "{}", r.2);
    // im.message.command sample.
    let r = anna
        .call(
            &s,
            "im.message.command",
            json!({"MESSAGE_ID":answer,"BOT_ID":bot,"COMMAND":"task","COMMAND_PARAMS":"task #1"}),
        )
        .await;
    assert_eq!(r.2["result"], true, "{}", r.2);
    let e = h.wait_event_nth("ONIMCOMMANDADD", 2).await;
    let (key, c) = only_entry(&e.data()["COMMAND"]);
    assert_eq!(key, task.to_string());
    assert_eq!(c["COMMAND_PARAMS"], "task #1");
    assert!(e.uri.ends_with("/bot/command.php?CLIENT_ID=sample_client"), "{}", e.uri);
}
