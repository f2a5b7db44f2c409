//! Commands over HTTP: `imbot.command.register` (leading `/`, idempotency, every documented error in the
//! documented order), `imbot.command.update` (each field, COMMON not updatable), `imbot.command.unregister`, and
//! the errors of `imbot.command.answer` (by COMMAND_ID or by COMMAND with BOT_ID / CLIENT_ID).

mod bot_util;
mod common;

use bot_util::*;
use common::assert_error;
use serde_json::{json, Value};
use std::time::Duration;

const SETTLE: Duration = Duration::from_millis(700);

fn lang() -> Value {
    json!([{"LANGUAGE_ID": "en", "TITLE": "Echo", "PARAMS": "text"}, {"LANGUAGE_ID": "DE", "TITLE": "Echo", "PARAMS": "Text"}])
}

#[tokio::test]
async fn register_a_command() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::webhook(&s, 1, "cmdapp").await;
    let bot = api.register(&s, "cmdbot", "B", &h.url("/bot")).await;

    // The doc's shape: BOT_ID, COMMAND, COMMON, HIDDEN, EXTRANET_SUPPORT, LANG, EVENT_COMMAND_ADD; an int result.
    let r = api
        .call(
            &s,
            "imbot.command.register",
            json!({"BOT_ID": bot, "COMMAND": "/echo", "COMMON": "N", "HIDDEN": "N", "EXTRANET_SUPPORT": "N", "LANG": lang(), "EVENT_COMMAND_ADD": h.url("/cmd")}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    let echo = r.2["result"].as_i64().unwrap_or_else(|| panic!("int: {}", r.2));

    // Idempotent per bot + command, whatever the slash; nothing changes (the handler stays the first one).
    for c in ["echo", "/echo", " /echo "] {
        let again = api
            .ok(
                &s,
                "imbot.command.register",
                json!({"BOT_ID": bot, "COMMAND": c, "LANG": lang(), "EVENT_COMMAND_ADD": h.url("/other")}),
            )
            .await;
        assert_eq!(again, echo);
    }
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "/echo hi").await;
    assert_eq!(h.wait_event("ONIMCOMMANDADD").await.path(), "/cmd");

    // The same command of another bot is another command.
    let bot2 = api.register(&s, "cmdbot2", "B", &h.url("/bot")).await;
    let echo2 = api.command(&s, bot2, "echo", &h.url("/cmd"), json!({})).await;
    assert_ne!(echo2, echo);

    // A form-encoded LANG (PHP bots) and a JSON-string LANG.
    let hook = match &api {
        Api::Webhook { hook, .. } => hook.clone(),
        _ => unreachable!(),
    };
    let form = format!(
        "BOT_ID={bot}&COMMAND=formcmd&EVENT_COMMAND_ADD={}&LANG%5B0%5D%5BLANGUAGE_ID%5D=en&LANG%5B0%5D%5BTITLE%5D=Form&CLIENT_ID=cmdapp",
        enc(&h.url("/cmd"))
    );
    let r = s.post_form(&format!("{hook}imbot.command.register"), &form).await;
    assert!(r.2["result"].is_i64(), "{}", r.2);
    let r = api
        .call(&s, "imbot.command.register", json!({"BOT_ID": bot, "COMMAND": "jsoncmd", "EVENT_COMMAND_ADD": h.url("/cmd"), "LANG": lang().to_string()}))
        .await;
    assert!(r.2["result"].is_i64(), "{}", r.2);
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    imbot_wire::form::urlencode_into(&mut out, s.as_bytes());
    out
}

#[tokio::test]
async fn register_errors_in_the_documented_order() {
    let s = server().await;
    let api = Api::webhook(&s, 1, "errs").await;
    let bot = api.register(&s, "errbot", "B", "https://example.com/h").await;
    let url = "https://example.com/cmd";
    let call = |body: Value| api.call(&s, "imbot.command.register", body);

    // Nothing at all: the handler is checked first.
    let r = call(json!({})).await;
    assert_error(&r, 400, "EVENT_COMMAND_ADD_ERROR");
    assert_eq!(r.2["error_description"], "Handler for \"Command add\" event isn't specified");
    let r = call(json!({"BOT_ID": bot, "COMMAND": "x", "LANG": lang(), "EVENT_COMMAND_ADD": "not-a-url"})).await;
    assert_error(&r, 400, "EVENT_COMMAND_ADD_ERROR");
    assert!(r.2["error_description"].as_str().unwrap().starts_with("Wrong handler URL"), "{}", r.2);
    // Then COMMAND.
    let r = call(json!({"EVENT_COMMAND_ADD": url})).await;
    assert_error(&r, 400, "COMMAND_ERROR");
    assert_eq!(r.2["error_description"], "Command isn't specified");
    assert_error(
        &call(json!({"BOT_ID": bot, "COMMAND": "/", "LANG": lang(), "EVENT_COMMAND_ADD": url})).await,
        400,
        "COMMAND_ERROR",
    );
    assert_error(
        &call(json!({"BOT_ID": bot, "COMMAND": "", "LANG": lang(), "EVENT_COMMAND_ADD": url})).await,
        400,
        "COMMAND_ERROR",
    );
    // Then the bot: required (no default bot), known, this app's.
    let r = call(json!({"COMMAND": "x", "EVENT_COMMAND_ADD": url})).await;
    assert_error(&r, 400, "BOT_ID_ERROR");
    assert_eq!(r.2["error_description"], "Bot not found");
    assert_error(
        &call(json!({"BOT_ID": 999999, "COMMAND": "x", "LANG": lang(), "EVENT_COMMAND_ADD": url})).await,
        400,
        "BOT_ID_ERROR",
    );
    let other = Api::oauth(&s, 1).await;
    let r = other
        .call(
            &s,
            "imbot.command.register",
            json!({"BOT_ID": bot, "COMMAND": "x", "LANG": lang(), "EVENT_COMMAND_ADD": url}),
        )
        .await;
    assert_error(&r, 400, "APP_ID_ERROR");
    // Then LANG: absent, empty, or without a usable entry.
    for l in [Value::Null, json!([]), json!([{"TITLE": "no language"}]), json!([{"LANGUAGE_ID": "en"}]), json!("")] {
        let mut body = json!({"BOT_ID": bot, "COMMAND": "x", "EVENT_COMMAND_ADD": url});
        if !l.is_null() {
            body["LANG"] = l.clone();
        }
        let r = call(body).await;
        assert_error(&r, 400, "LANG_ERROR");
        assert_eq!(r.2["error_description"], "Lang set can't be empty", "LANG {l}");
    }
    // A webhook call without CLIENT_ID.
    let hook = match &api {
        Api::Webhook { hook, .. } => hook.clone(),
        _ => unreachable!(),
    };
    let r = s
        .post_json(
            &format!("{hook}imbot.command.register"),
            &json!({"BOT_ID": bot, "COMMAND": "x", "LANG": lang(), "EVENT_COMMAND_ADD": url}),
        )
        .await;
    assert_error(&r, 403, "ACCESS_DENIED");
}

#[tokio::test]
async fn update_a_command() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "updbot", "B", &h.url("/bot")).await;
    let cmd = api.command(&s, bot, "old", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let guest = extranet_person(&s, "Gus Guest").await;
    let chat = anna.chat(&s, &[]).await;

    // The doc's sample body.
    let r = api
        .call(
            &s,
            "imbot.command.update",
            json!({"COMMAND_ID": cmd, "FIELDS": {"EVENT_COMMAND_ADD": h.url("/cmd2"), "HIDDEN": "Y", "EXTRANET_SUPPORT": "Y", "LANG": [{"LANGUAGE_ID": "en", "TITLE": "New", "PARAMS": "p"}]}}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    // Renaming; COMMON is not updatable over REST.
    api.ok(&s, "imbot.command.update", json!({"COMMAND_ID": cmd, "FIELDS": {"COMMAND": "/new", "COMMON": "Y"}})).await;

    anna.send(&s, bot, "/old x").await;
    anna.send(&s, format!("chat{chat}"), "/new x").await;
    assert_eq!(queued(&s, "ONIMCOMMANDADD").await.len(), 0, "the old name is gone and COMMON stayed N");
    // The new name, the new handler, and extranet users are now allowed.
    guest.send(&s, bot, "/new from a guest").await;
    let e = h.wait_event("ONIMCOMMANDADD").await;
    assert_eq!(e.path(), "/cmd2");
    let (key, c) = only_entry(&e.data()["COMMAND"]);
    assert_eq!(key, cmd.to_string());
    assert_eq!(c["COMMAND"], "new");
    assert_eq!(c["COMMAND_PARAMS"], "from a guest");

    // Errors.
    for body in [
        json!({"COMMAND_ID": cmd}),
        json!({"COMMAND_ID": cmd, "FIELDS": {}}),
        json!({"COMMAND_ID": cmd, "FIELDS": {"COMMON": "Y"}}),
    ] {
        let r = api.call(&s, "imbot.command.update", body).await;
        assert_error(&r, 400, "WRONG_REQUEST");
        assert_eq!(r.2["error_description"], "Update fields can't be empty");
    }
    let r = api.call(&s, "imbot.command.update", json!({"COMMAND_ID": 777777, "FIELDS": {"HIDDEN": "N"}})).await;
    assert_error(&r, 400, "COMMAND_ID_ERROR");
    assert_eq!(r.2["error_description"], "Command not found");
    assert_error(
        &api.call(&s, "imbot.command.update", json!({"FIELDS": {"HIDDEN": "N"}})).await,
        400,
        "COMMAND_ID_ERROR",
    );
    let r =
        api.call(&s, "imbot.command.update", json!({"COMMAND_ID": cmd, "FIELDS": {"EVENT_COMMAND_ADD": "nope"}})).await;
    assert_error(&r, 400, "EVENT_COMMAND_ADD_ERROR");
    let other = Api::oauth(&s, 1).await;
    let r = other.call(&s, "imbot.command.update", json!({"COMMAND_ID": cmd, "FIELDS": {"HIDDEN": "N"}})).await;
    assert_error(&r, 400, "APP_ID_ERROR");
    assert_eq!(r.2["error_description"], "Command was installed by another rest application");
}

#[tokio::test]
async fn unregister_a_command() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "unbot", "B", &h.url("/bot")).await;
    let cmd = api.command(&s, bot, "bye", &h.url("/cmd"), json!({})).await;

    let other = Api::oauth(&s, 1).await;
    let r = other.call(&s, "imbot.command.unregister", json!({"COMMAND_ID": cmd})).await;
    assert_error(&r, 400, "APP_ID_ERROR");
    assert_eq!(r.2["error_description"], "Command was installed by another rest application");
    assert_error(
        &api.call(&s, "imbot.command.unregister", json!({"COMMAND_ID": 555555})).await,
        400,
        "COMMAND_ID_ERROR",
    );
    assert_error(&api.call(&s, "imbot.command.unregister", json!({})).await, 400, "COMMAND_ID_ERROR");

    let r = api.call(&s, "imbot.command.unregister", json!({"COMMAND_ID": cmd})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    assert_error(&api.call(&s, "imbot.command.unregister", json!({"COMMAND_ID": cmd})).await, 400, "COMMAND_ID_ERROR");
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "/bye").await;
    assert!(queued(&s, "ONIMCOMMANDADD").await.is_empty());
    assert!(h.after(SETTLE, "ONIMCOMMANDADD").await.is_empty());
    // Registering it again makes a new command.
    let again = api.command(&s, bot, "bye", &h.url("/cmd"), json!({})).await;
    assert_ne!(again, cmd);
}

#[tokio::test]
async fn answer_errors_and_lookup_by_name() {
    let s = server().await;
    let h = Handler::start().await;
    let hook = s.webhook_for(1, "im,imbot").await;
    let api = Api::Webhook { hook: hook.clone(), client_id: "answers".into() };
    let bot = api.register(&s, "ansbot", "B", &h.url("/bot")).await;
    let bot2 = api.register(&s, "ansbot2", "B", &h.url("/bot")).await;
    let echo = api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    api.command(&s, bot2, "echo", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let m = anna.send(&s, bot2, "/echo two").await;
    let m1 = anna.send(&s, bot, "/echo one").await;
    let call = |body: Value| api.call(&s, "imbot.command.answer", body);

    let r = call(json!({"COMMAND_ID": 4242, "MESSAGE_ID": m, "MESSAGE": "x"})).await;
    assert_error(&r, 400, "COMMAND_ID_ERROR");
    assert_eq!(r.2["error_description"], "Command not found");
    assert_error(&call(json!({"COMMAND": "nope", "MESSAGE_ID": m, "MESSAGE": "x"})).await, 400, "COMMAND_ID_ERROR");
    assert_error(&call(json!({"MESSAGE_ID": m, "MESSAGE": "x"})).await, 400, "COMMAND_ID_ERROR");
    let other = Api::Webhook { hook: hook.clone(), client_id: "someone-else".into() };
    let r = other.call(&s, "imbot.command.answer", json!({"COMMAND_ID": echo, "MESSAGE_ID": m1, "MESSAGE": "x"})).await;
    assert_error(&r, 400, "APP_ID_ERROR");
    assert_eq!(r.2["error_description"], "Command was installed by another rest application");
    // By name, another app never finds it.
    assert_error(
        &other.call(&s, "imbot.command.answer", json!({"COMMAND": "echo", "MESSAGE_ID": m1, "MESSAGE": "x"})).await,
        400,
        "COMMAND_ID_ERROR",
    );
    let r = call(json!({"COMMAND_ID": echo, "MESSAGE": "x"})).await;
    assert_error(&r, 400, "MESSAGE_ID_EMPTY");
    assert_eq!(r.2["error_description"], "Message ID can't be empty");
    for text in [Value::Null, json!(""), json!("   ")] {
        let mut body =
            json!({"COMMAND_ID": echo, "MESSAGE_ID": m1, "ATTACH": {"BLOCKS": [{"MESSAGE": "only attach"}]}});
        if !text.is_null() {
            body["MESSAGE"] = text;
        }
        let r = call(body).await;
        assert_error(&r, 400, "MESSAGE_EMPTY");
        assert_eq!(r.2["error_description"], "Message can't be empty");
    }
    for (key, code) in [("ATTACH", "ATTACH_ERROR"), ("KEYBOARD", "KEYBOARD_ERROR"), ("MENU", "MENU_ERROR")] {
        let mut body = json!({"COMMAND_ID": echo, "MESSAGE_ID": m1, "MESSAGE": "x"});
        body[key] = json!({"BLOCKS": 5, "BUTTONS": 5, "ITEMS": 5});
        assert_error(&call(body).await, 400, code);
    }
    let mut body = json!({"COMMAND_ID": echo, "MESSAGE_ID": m1, "MESSAGE": "x"});
    body["KEYBOARD"] = json!({"BUTTONS": (0..400).map(|i| json!({"TEXT": format!("{i} {}", "x".repeat(200)), "LINK": "https://example.com"})).collect::<Vec<_>>()});
    assert_error(&call(body).await, 400, "KEYBOARD_OVERSIZE");

    // By COMMAND: with BOT_ID the right bot's command answers in its own dialog.
    let r = call(json!({"COMMAND": "echo", "BOT_ID": bot2, "MESSAGE_ID": m, "MESSAGE": "from bot 2"})).await;
    let id = r.2["result"].as_i64().unwrap_or_else(|| panic!("{}", r.2));
    assert_eq!(anna.message(&s, bot2, id).await.expect("in the dialog with bot 2")["author_id"], bot2);
    // By COMMAND alone: the app's first bot having that command.
    let r = call(json!({"COMMAND": "/echo", "MESSAGE_ID": m1, "MESSAGE": "from bot 1"})).await;
    let id = r.2["result"].as_i64().unwrap_or_else(|| panic!("{}", r.2));
    assert_eq!(anna.message(&s, bot, id).await.expect("in the dialog with bot 1")["author_id"], bot);
    // The documented success shape: an int result and `time`.
    let r =
        call(json!({"COMMAND_ID": echo, "MESSAGE_ID": m1, "MESSAGE": "ok", "SYSTEM": "N", "URL_PREVIEW": "N"})).await;
    assert_eq!(r.0, 200);
    assert!(r.2["result"].is_i64() && r.2["time"].is_object(), "{}", r.2);
    // Without CLIENT_ID on a webhook.
    let r = s
        .post_json(
            &format!("{hook}imbot.command.answer"),
            &json!({"COMMAND_ID": echo, "MESSAGE_ID": m1, "MESSAGE": "x"}),
        )
        .await;
    assert_error(&r, 403, "ACCESS_DENIED");
}
