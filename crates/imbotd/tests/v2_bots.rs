//! The v2 bot API (`imbot.v2.*`, docs/v2.md) end to end: registration over OAuth and over a webhook with
//! `botToken`, the controller checks, commands, the fetch loop (`Event.get` with offsets) and the webhook loop
//! (a form-encoded ONIMBOTV2* POST with the bot's tokens, answered with those tokens), keyboard buttons,
//! message update/delete, token rotation, unregistering, and a v1 and a v2 bot side by side in one chat.

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// `{"fields": {...}}` for a fetch-mode bot.
fn register_fields(code: &str) -> Value {
    json!({"fields": {"code": code, "properties": {"name": format!("Bot {code}"), "workPosition": "Helper"}}})
}

/// Poll `Event.get` (as `api`, for `bot`) until at least `n` events are returned; returns the answer.
async fn fetch_until(s: &TestServer, api: &Api, bot: i64, offset: Option<i64>, n: usize) -> Value {
    let until = Instant::now() + WAIT;
    loop {
        let mut body = json!({"botId": bot});
        if let Some(o) = offset {
            body["offset"] = json!(o);
        }
        let r = api.ok(s, "imbot.v2.Event.get", body).await;
        if r["events"].as_array().unwrap().len() >= n {
            return r;
        }
        assert!(Instant::now() < until, "fewer than {n} events: {r}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn types(r: &Value) -> Vec<String> {
    r["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn register_is_idempotent_per_app_and_shows_the_documented_objects() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let r = api.ok(&s, "imbot.v2.Bot.register", register_fields("support_bot")).await;
    let bot = &r["bot"];
    assert_eq!(
        keys(bot),
        [
            "id",
            "code",
            "type",
            "isHidden",
            "isSupportOpenline",
            "isReactionsEnabled",
            "backgroundId",
            "language",
            "moduleId",
            "eventMode",
            "countMessage",
            "countCommand",
            "countChat",
            "countUser"
        ]
    );
    assert_eq!(
        (bot["code"].as_str(), bot["type"].as_str(), bot["eventMode"].as_str()),
        (Some("support_bot"), Some("bot"), Some("fetch"))
    );
    assert_eq!(bot["isReactionsEnabled"], true);
    assert_eq!(bot["backgroundId"], Value::Null);
    let user = &r["users"][0];
    assert_eq!(user["id"], bot["id"]);
    assert_eq!(
        (user["bot"].as_bool(), user["type"].as_str(), user["name"].as_str()),
        (Some(true), Some("bot"), Some("Bot support_bot"))
    );
    // The same code from the same app: the same bot, unchanged.
    let again = api
        .ok(&s, "imbot.v2.Bot.register", json!({"fields": {"code": "support_bot", "properties": {"name": "Other"}}}))
        .await;
    assert_eq!(again["bot"]["id"], bot["id"]);
    assert_eq!(again["users"][0]["name"], "Bot support_bot");
    // Another app may not take it.
    let other = Api::oauth(&s, 1).await;
    assert_error(
        &other.call(&s, "imbot.v2.Bot.register", register_fields("support_bot")).await,
        400,
        "BOT_CODE_ALREADY_TAKEN",
    );
    // Registration errors in the page's order.
    assert_error(&api.call(&s, "imbot.v2.Bot.register", json!({})).await, 400, "BOT_CODE_REQUIRED");
    assert_error(
        &api.call(&s, "imbot.v2.Bot.register", json!({"fields": {"code": "x"}})).await,
        400,
        "BOT_PROPERTIES_REQUIRED",
    );
    let bad_type = json!({"fields": {"code": "x", "type": "robot", "properties": {"name": "X"}}});
    assert_error(&api.call(&s, "imbot.v2.Bot.register", bad_type).await, 400, "BOT_INVALID_TYPE");
    let no_url = json!({"fields": {"code": "x", "eventMode": "webhook", "properties": {"name": "X"}}});
    assert_error(&api.call(&s, "imbot.v2.Bot.register", no_url).await, 400, "BOT_WEBHOOK_URL_REQUIRED");
    let metadata = json!({"fields": {"code": "x", "eventMode": "webhook", "webhookUrl": "http://169.254.169.254/x", "properties": {"name": "X"}}});
    assert_error(&api.call(&s, "imbot.v2.Bot.register", metadata).await, 400, "BOT_INVALID_CALLBACK");
    // Bot.get: extended for the owner, brief for others; Bot.list: the app's bots.
    let id = bot["id"].as_i64().unwrap();
    let mine = api.ok(&s, "imbot.v2.Bot.get", json!({"botId": id})).await;
    assert!(mine["bot"].get("eventMode").is_some());
    let theirs = other.ok(&s, "imbot.v2.Bot.get", json!({"code": "support_bot"})).await;
    assert!(theirs["bot"].get("eventMode").is_none(), "{theirs}");
    assert_error(&other.call(&s, "imbot.v2.Bot.get", json!({})).await, 400, "PARAMS_REQUIRED");
    assert_error(&other.call(&s, "imbot.v2.Bot.get", json!({"botId": 999999})).await, 400, "BOT_NOT_FOUND");
    let list = api.ok(&s, "imbot.v2.Bot.list", json!({})).await;
    assert_eq!(list["bots"].as_array().unwrap().len(), 1);
    assert_eq!(list["hasNextPage"], false);
    assert_eq!(other.ok(&s, "imbot.v2.Bot.list", json!({})).await["bots"], json!([]));
    let none = api.ok(&s, "imbot.v2.Bot.list", json!({"filter": {"type": "nonsense"}})).await;
    assert_eq!(none["bots"], json!([]));
    // The revision.
    assert_eq!(
        api.ok(&s, "imbot.v2.Revision.get", json!({})).await,
        json!({"rest": 36, "web": 130, "mobile": 23, "desktop": 6})
    );
}

#[tokio::test]
async fn controller_checks_come_in_the_documented_order() {
    let s = server().await;
    let hook = s.webhook_for(1, "im,imbot").await;
    let call = |m: &str, b: Value| {
        let (s, url) = (&s, format!("{hook}{m}"));
        async move { s.post_json(&url, &b).await }
    };
    // Webhook calls name their app with botToken.
    assert_error(&call("imbot.v2.Bot.register", register_fields("hooked")).await, 400, "BOT_TOKEN_NOT_SPECIFIED");
    let long = json!({"fields": {"code": "hooked", "botToken": "x".repeat(41), "properties": {"name": "H"}}});
    assert_error(&call("imbot.v2.Bot.register", long).await, 400, "BOT_TOKEN_INVALID_LENGTH");
    let mut f = register_fields("hooked");
    f["fields"]["botToken"] = json!("secret-token-1");
    let r = call("imbot.v2.Bot.register", f).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let bot = r.2["result"]["bot"]["id"].as_i64().unwrap();
    assert_error(
        &call("imbot.v2.Bot.update", json!({"botId": bot, "fields": {}})).await,
        400,
        "BOT_TOKEN_NOT_SPECIFIED",
    );
    assert_error(
        &call("imbot.v2.Bot.update", json!({"botToken": "secret-token-1", "fields": {}})).await,
        400,
        "BOT_ID_REQUIRED",
    );
    assert_error(
        &call("imbot.v2.Bot.update", json!({"botToken": "secret-token-1", "botId": 0, "fields": {}})).await,
        400,
        "BOT_ID_REQUIRED",
    );
    assert_error(
        &call("imbot.v2.Bot.update", json!({"botToken": "secret-token-1", "botId": 999999, "fields": {}})).await,
        400,
        "BOT_NOT_FOUND",
    );
    assert_error(
        &call("imbot.v2.Bot.update", json!({"botToken": "wrong", "botId": bot, "fields": {}})).await,
        400,
        "BOT_OWNERSHIP_ERROR",
    );
    let list = call("imbot.v2.Bot.list", json!({"botToken": "secret-token-1"})).await;
    assert_eq!(list.2["result"]["bots"][0]["id"], bot);
    assert_eq!(call("imbot.v2.Bot.list", json!({"botToken": "other"})).await.2["result"]["bots"], json!([]));
    // The token is the webhook bot's app for v1 calls too (CLIENT_ID = botToken).
    let v1 = call("imbot.bot.list", json!({"CLIENT_ID": "secret-token-1"})).await;
    assert!(v1.2["result"].as_object().is_some_and(|m| m.contains_key(&bot.to_string())), "{}", v1.2);
    // Rotation: the new token works, the old one stops at once.
    let rot = call(
        "imbot.v2.Bot.update",
        json!({"botToken": "secret-token-1", "botId": bot, "fields": {"botToken": "secret-token-2"}}),
    )
    .await;
    assert_eq!(rot.0, 200, "{}", rot.2);
    let brief = call("imbot.v2.Bot.get", json!({"botToken": "secret-token-1", "botId": bot})).await;
    assert_eq!(brief.0, 200, "{}", brief.2);
    assert!(brief.2["result"]["bot"].get("eventMode").is_none(), "the old token no longer owns it: {}", brief.2);
    let old = call("imbot.v2.Command.list", json!({"botToken": "secret-token-1", "botId": bot})).await;
    assert_error(&old, 400, "BOT_OWNERSHIP_ERROR");
    let new = call("imbot.v2.Command.list", json!({"botToken": "secret-token-2", "botId": bot})).await;
    assert_eq!(new.2["result"], json!({"commands": []}));
    // A browser session cannot act as a bot; v2 parameter names are case-sensitive.
    let upper = call("imbot.v2.Command.list", json!({"BOTTOKEN": "secret-token-2", "BOTID": bot})).await;
    assert_error(&upper, 400, "BOT_TOKEN_NOT_SPECIFIED");
}

#[tokio::test]
async fn the_fetch_loop_command_answer_and_keyboard() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.ok(&s, "imbot.v2.Bot.register", register_fields("fetchbot")).await["bot"]["id"].as_i64().unwrap();
    let cmd = api
        .ok(
            &s,
            "imbot.v2.Command.register",
            json!({"botId": bot, "fields": {"command": "/help", "title": {"en": "Show help", "de": "Hilfe"}, "params": {"en": "topic"}}}),
        )
        .await;
    assert_eq!(keys(&cmd["command"]), ["id", "botId", "command", "common", "hidden", "extranetSupport"]);
    assert_eq!(cmd["command"]["command"], "/help");
    let command_id = cmd["command"]["id"].as_i64().unwrap();
    let list = api.ok(&s, "imbot.v2.Command.list", json!({"botId": bot})).await;
    assert_eq!(list["commands"][0]["title"], "Show help");
    assert_eq!(list["commands"][0]["params"], "topic");
    assert_eq!(list["commands"][0]["category"], "Bot fetchbot");
    assert_error(
        &api.call(&s, "imbot.v2.Command.register", json!({"botId": bot, "fields": {"command": "quiet"}})).await,
        400,
        "COMMAND_TITLE_REQUIRED",
    );

    // Anna opens a dialog with the bot and runs the command.
    let anna = person(&s, "Anna Weber").await;
    let m = anna.send(&s, bot, "/help billing").await;
    let r = fetch_until(&s, &api, bot, None, 3).await;
    assert_eq!(types(&r), ["ONIMBOTV2JOINCHAT", "ONIMBOTV2COMMANDADD", "ONIMBOTV2MESSAGEADD"]);
    let events = r["events"].as_array().unwrap();
    assert_eq!(keys(&events[0]), ["eventId", "type", "date", "data"]);
    let command = &events[1]["data"];
    assert_eq!(keys(command), ["bot", "command", "message", "chat", "user", "language"]);
    assert_eq!(command["bot"]["id"], bot);
    assert_eq!(command["bot"]["eventMode"], "fetch");
    assert!(command["bot"].get("auth").is_none(), "fetch events carry no tokens");
    assert_eq!(
        command["command"],
        json!({"id": command_id, "command": "/help", "params": "billing", "context": "textarea"})
    );
    assert_eq!(command["message"]["id"], m);
    assert_eq!(command["chat"]["dialogId"], anna.id.to_string(), "the dialog as the bot sees it");
    assert_eq!(command["user"]["id"], anna.id);
    let first = events[0]["eventId"].as_i64().unwrap();
    let last = events[2]["eventId"].as_i64().unwrap();
    assert!(first < last);
    assert_eq!(r["nextOffset"], last + 1);
    assert_eq!(r["hasMore"], false);
    // Unacknowledged events come again; an offset acknowledges those below it.
    assert_eq!(fetch_until(&s, &api, bot, None, 3).await["events"].as_array().unwrap().len(), 3);
    let limited = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot, "limit": 1})).await;
    assert_eq!((limited["events"].as_array().unwrap().len(), limited["hasMore"].as_bool()), (1, Some(true)));
    let empty = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot, "offset": last + 1})).await;
    assert_eq!(empty["events"], json!([]));
    assert_eq!(empty["nextOffset"], last + 1, "an empty answer keeps the cursor");
    let again = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot})).await;
    assert_eq!(again["events"], json!([]));
    assert_eq!(again["nextOffset"], last + 1);

    // The bot answers with a keyboard; Anna presses the button.
    let answer = json!({"botId": bot, "commandId": command_id, "messageId": m, "dialogId": anna.id.to_string(),
        "fields": {"message": "Topics:", "keyboard": [{"TEXT": "Billing", "COMMAND": "help", "COMMAND_PARAMS": "billing"}]}});
    assert_eq!(api.ok(&s, "imbot.v2.Command.answer", answer).await, json!({"result": true}));
    let shown = anna.messages(&s, bot).await;
    let reply = shown.iter().find(|x| x["text"] == "Topics:").unwrap_or_else(|| panic!("{shown:?}"));
    assert_eq!(reply["author_id"], bot);
    assert_eq!(reply["params"]["KEYBOARD"][0]["BOT_ID"], bot);
    anna.ok(
        &s,
        "im.message.command",
        json!({"MESSAGE_ID": reply["id"], "BOT_ID": bot, "COMMAND": "help", "COMMAND_PARAMS": "billing"}),
    )
    .await;
    let r = fetch_until(&s, &api, bot, Some(last + 1), 1).await;
    let pressed = &r["events"][0];
    assert_eq!(pressed["type"], "ONIMBOTV2COMMANDADD");
    assert_eq!(pressed["data"]["command"]["context"], "keyboard");
    assert_eq!(pressed["data"]["message"]["id"], reply["id"], "the message holding the button");

    // Send, update and delete a message of the bot; a dialog it is not in is refused.
    let sent = api
        .ok(
            &s,
            "imbot.v2.Chat.Message.send",
            json!({"botId": bot, "dialogId": anna.id.to_string(), "fields": {"message": "[b]hi[/b]"}}),
        )
        .await;
    assert_eq!(keys(&sent), ["id", "uuidMap"]);
    let id = sent["id"].as_i64().unwrap();
    assert_eq!(
        api.ok(
            &s,
            "imbot.v2.Chat.Message.update",
            json!({"botId": bot, "messageId": id, "fields": {"message": "edited"}})
        )
        .await,
        json!({"result": true})
    );
    assert_eq!(anna.message(&s, bot, id).await.unwrap()["text"], "edited");
    assert_error(
        &api.call(
            &s,
            "imbot.v2.Chat.Message.update",
            json!({"botId": bot, "messageId": m, "fields": {"message": "x"}}),
        )
        .await,
        400,
        "ACCESS_DENIED",
    );
    assert_eq!(
        api.ok(&s, "imbot.v2.Chat.Message.delete", json!({"botId": bot, "messageId": id})).await,
        json!({"result": true})
    );
    assert_error(
        &api.call(
            &s,
            "imbot.v2.Chat.Message.send",
            json!({"botId": bot, "dialogId": anna.id.to_string(), "fields": {}}),
        )
        .await,
        400,
        "EMPTY_MESSAGE",
    );
    let bob = person(&s, "Bob Stone").await;
    let chat = bob.chat(&s, &[]).await;
    assert_error(
        &api.call(
            &s,
            "imbot.v2.Chat.Message.send",
            json!({"botId": bot, "dialogId": format!("chat{chat}"), "fields": {"message": "x"}}),
        )
        .await,
        400,
        "ACCESS_DENIED",
    );
    // Command update / unregister.
    let upd = api
        .ok(
            &s,
            "imbot.v2.Command.update",
            json!({"botId": bot, "commandId": command_id, "fields": {"command": "assist", "common": true}}),
        )
        .await;
    assert_eq!((upd["command"]["command"].as_str(), upd["command"]["common"].as_bool()), (Some("/assist"), Some(true)));
    assert_eq!(
        api.ok(&s, "imbot.v2.Command.unregister", json!({"botId": bot, "commandId": command_id})).await,
        json!({"result": true})
    );
    assert_error(
        &api.call(&s, "imbot.v2.Command.unregister", json!({"botId": bot, "commandId": command_id})).await,
        400,
        "COMMAND_NOT_FOUND",
    );

    // Unregistering: ONIMBOTV2DELETE is the last event, still fetchable by the owner.
    let before = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot})).await["nextOffset"].as_i64().unwrap();
    let mut offset = before;
    // Acknowledge what is there.
    loop {
        let r = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot, "offset": offset})).await;
        if r["events"].as_array().unwrap().is_empty() {
            break;
        }
        offset = r["nextOffset"].as_i64().unwrap();
    }
    assert_eq!(api.ok(&s, "imbot.v2.Bot.unregister", json!({"botId": bot})).await, json!({"result": true}));
    let r = fetch_until(&s, &api, bot, Some(offset), 1).await;
    assert_eq!(types(&r), ["ONIMBOTV2DELETE"]);
    assert_error(
        &Api::oauth(&s, 1).await.call(&s, "imbot.v2.Event.get", json!({"botId": bot})).await,
        400,
        "BOT_NOT_FOUND",
    );
}

#[tokio::test]
async fn the_webhook_loop_with_the_bots_own_tokens() {
    let s = server().await;
    let h = Handler::start().await;
    let hook = s.webhook_for(1, "im,imbot").await;
    let register = json!({"fields": {"code": "pushbot", "botToken": "push-token", "eventMode": "webhook",
        "webhookUrl": h.url("/v2"), "properties": {"name": "Push"}}});
    let r = s.post_json(&format!("{hook}imbot.v2.Bot.register"), &register).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let bot = r.2["result"]["bot"]["id"].as_i64().unwrap();
    assert_eq!(r.2["result"]["bot"]["eventMode"], "webhook");
    let anna = person(&s, "Anna Weber").await;
    let m = anna.send(&s, bot, "Hello bot!").await;
    let e = h.wait_event("ONIMBOTV2MESSAGEADD").await;
    assert_eq!(e.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(e.path(), "/v2", "no CLIENT_ID is appended to a v2 webhook URL: {}", e.uri);
    let form = e.form();
    assert_eq!(keys(&Value::Object(form.clone())), ["event", "event_handler_id", "data", "ts", "auth"]);
    let data = &form["data"];
    assert_eq!(data["bot"]["id"], bot.to_string());
    assert_eq!(data["bot"]["code"], "pushbot");
    let auth = &data["bot"]["auth"];
    assert_eq!(auth["user_id"], bot.to_string(), "the bot's own tokens");
    assert!(auth.get("refresh_token").is_none());
    assert_eq!(data["message"]["id"], m.to_string());
    assert_eq!(data["message"]["text"], "Hello bot!");
    assert_eq!(data["message"]["isSystem"], "0");
    assert_eq!(data["chat"]["dialogId"], anna.id.to_string());
    assert_eq!(data["language"], "en");
    // The top-level auth is {domain, application_token}: the token's synthetic one.
    assert_eq!(keys(&form["auth"]), ["domain", "application_token"]);
    assert_eq!(form["auth"]["application_token"], imbot_wire::v2::events::synthetic_application_token("push-token"));
    assert_eq!(auth["application_token"], form["auth"]["application_token"]);
    // The bot answers with the token it was given.
    let token = auth["access_token"].as_str().unwrap();
    let reply = s
        .post_json(
            &format!("{}/rest/imbot.v2.Chat.Message.send", s.http),
            &json!({"auth": token, "botId": bot, "dialogId": anna.id.to_string(), "fields": {"message": "Hi Anna"}}),
        )
        .await;
    assert_eq!(reply.0, 200, "{}", reply.2);
    assert!(anna.messages(&s, bot).await.iter().any(|x| x["text"] == "Hi Anna" && x["author_id"] == bot));
    // The delivery log shows it like any event; switching to fetch stops the POSTs.
    drained(&s).await;
    let upd = s
        .post_json(
            &format!("{hook}imbot.v2.Bot.update"),
            &json!({"botToken": "push-token", "botId": bot, "fields": {"eventMode": "fetch"}}),
        )
        .await;
    assert_eq!(upd.2["result"]["bot"]["eventMode"], "fetch", "{}", upd.2);
    let before = h.requests().len();
    anna.send(&s, bot, "now fetch me").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.requests().len(), before);
    let got = s.post_json(&format!("{hook}imbot.v2.Event.get"), &json!({"botToken": "push-token", "botId": bot})).await;
    assert!(types(&got.2["result"]).contains(&"ONIMBOTV2MESSAGEADD".to_owned()), "{}", got.2);
}

#[tokio::test]
async fn a_v1_and_a_v2_bot_in_one_chat_each_get_their_own_format() {
    let s = server().await;
    let v1_handler = Handler::start().await;
    let v1 = Api::oauth(&s, 1).await;
    let old = v1.register(&s, "oldbot", "S", &v1_handler.url("/v1")).await;
    let v2 = Api::oauth(&s, 1).await;
    let new_fields = json!({"fields": {"code": "newbot", "type": "supervisor", "properties": {"name": "New"}}});
    let new = v2.ok(&s, "imbot.v2.Bot.register", new_fields).await["bot"]["id"].as_i64().unwrap();
    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[old, new]).await;
    anna.send(&s, format!("chat{chat}"), "for everyone").await;
    let e = v1_handler.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(e.data()["PARAMS"]["MESSAGE"], "for everyone");
    assert!(v1_handler.events("ONIMBOTV2MESSAGEADD").is_empty());
    let r = fetch_until(&s, &v2, new, None, 2).await;
    let t = types(&r);
    assert!(t.contains(&"ONIMBOTV2JOINCHAT".to_owned()) && t.contains(&"ONIMBOTV2MESSAGEADD".to_owned()), "{t:?}");
    let msg = r["events"].as_array().unwrap().iter().find(|e| e["type"] == "ONIMBOTV2MESSAGEADD").unwrap();
    assert_eq!(msg["data"]["chat"]["dialogId"], format!("chat{chat}"));
    assert_eq!(msg["data"]["bot"]["type"], "supervisor");
    // Each API sees the other's bot: v1 lists the v2 bot, v2 shows the v1 bot (owner: extended, webhook mode).
    let listed = v2.ok(&s, "imbot.bot.list", json!({})).await;
    assert!(listed.as_object().unwrap().contains_key(&new.to_string()), "{listed}");
    let shown = v1.ok(&s, "imbot.v2.Bot.get", json!({"botId": old})).await;
    assert_eq!(
        (shown["bot"]["type"].as_str(), shown["bot"]["eventMode"].as_str()),
        (Some("supervisor"), Some("webhook"))
    );
    // v1 methods post as the v2 bot, and v2 methods as the v1 bot, for their owners.
    let by_v1 = v2
        .ok(&s, "imbot.message.add", json!({"BOT_ID": new, "DIALOG_ID": format!("chat{chat}"), "MESSAGE": "v1 call"}))
        .await;
    assert!(by_v1.is_i64());
    let by_v2 = v1
        .ok(
            &s,
            "imbot.v2.Chat.Message.send",
            json!({"botId": old, "dialogId": format!("chat{chat}"), "fields": {"message": "v2 call"}}),
        )
        .await;
    assert!(by_v2["id"].is_i64());
}
