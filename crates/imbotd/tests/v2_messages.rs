//! The v2 message methods beyond send/update/delete (docs/v2.md §3.3, §3.7): reading a dialog, reading history
//! (supervisor and personal bots only), reactions with their events (ONIMBOTV2REACTIONCHANGE to the bot whose
//! message it is, v1 likes being the reaction `like`), the user's own event queue (`im.v2.Event.*`, and
//! `imbot.v2.Event.get` with `withUserEvents`), and `im.v2.Chat.Bot.sendContext`.

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn v2_bot(s: &TestServer, api: &Api, code: &str, kind: &str) -> i64 {
    let r = api
        .ok(s, "imbot.v2.Bot.register", json!({"fields": {"code": code, "type": kind, "properties": {"name": code}}}))
        .await;
    r["bot"]["id"].as_i64().unwrap()
}

/// `Event.get` answers (of `method` with `body`) until one holds an event of type `ty`; returns its data.
async fn wait_event(s: &TestServer, api: &Api, method: &str, body: Value, ty: &str) -> (Value, Value) {
    let until = Instant::now() + WAIT;
    loop {
        let r = api.ok(s, method, body.clone()).await;
        if let Some(e) = r["events"].as_array().unwrap().iter().find(|e| e["type"] == ty) {
            return (e["data"].clone(), r);
        }
        assert!(Instant::now() < until, "no {ty}: {r}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn types(r: &Value) -> Vec<String> {
    r["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn message_read_marks_up_to_a_message_and_lists_what_it_marked() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "reader", "bot").await;
    let anna = person(&s, "Anna Weber").await;
    let m1 = anna.send(&s, bot, "one").await;
    let m2 = anna.send(&s, bot, "two").await;
    let m3 = anna.send(&s, bot, "three").await;
    let dialog = anna.id.to_string();
    let r = api.ok(&s, "imbot.v2.Chat.Message.read", json!({"botId": bot, "dialogId": dialog, "messageId": m2})).await;
    assert_eq!(keys(&r), ["chatId", "lastId", "counter", "viewedMessages"]);
    assert_eq!(r["lastId"], m2);
    assert_eq!(r["counter"], 1);
    assert_eq!(r["viewedMessages"], json!([m1, m2]));
    // Again: nothing newly marked. Then everything.
    let again =
        api.ok(&s, "imbot.v2.Chat.Message.read", json!({"botId": bot, "dialogId": dialog, "messageId": m2})).await;
    assert_eq!(again["viewedMessages"], json!([]));
    let all = api.ok(&s, "imbot.v2.Chat.Message.read", json!({"botId": bot, "dialogId": dialog})).await;
    assert_eq!((all["lastId"].as_i64(), all["counter"].as_i64()), (Some(m3), Some(0)));
    assert_eq!(all["viewedMessages"], json!([m3]));
    // Anna sees her messages read by the bot.
    let seen = anna.ok(&s, "im.dialog.messages.get", json!({"DIALOG_ID": bot})).await;
    assert!(seen["messages"].is_array());
    // A message of another dialog, a dialog the bot is not in.
    let ben = person(&s, "Ben Kraus").await;
    let elsewhere = ben.send(&s, anna.id, "private").await;
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.read", json!({"botId": bot, "dialogId": dialog, "messageId": elsewhere}))
            .await,
        400,
        "MESSAGE_NOT_FOUND",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.read", json!({"botId": bot, "dialogId": ben.id.to_string()})).await,
        400,
        "ACCESS_DENIED",
    );
}

#[tokio::test]
async fn history_is_for_supervisor_and_personal_bots() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let plain = v2_bot(&s, &api, "plain", "bot").await;
    let watcher = v2_bot(&s, &api, "watcher", "supervisor").await;
    let anna = person(&s, "Anna Weber").await;
    let ben = person(&s, "Ben Kraus").await;
    let chat = anna.chat(&s, &[ben.id, watcher, plain]).await;
    let dialog = format!("chat{chat}");
    let mut ids = Vec::new();
    for i in 0..7 {
        let who = if i % 2 == 0 { &anna } else { &ben };
        ids.push(who.send(&s, &dialog, &format!("m{i}")).await);
    }
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.get", json!({"botId": plain, "messageId": ids[0]})).await,
        400,
        "BOT_TYPE_NOT_ALLOWED",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.getContext", json!({"botId": plain, "messageId": ids[0]})).await,
        400,
        "BOT_TYPE_NOT_ALLOWED",
    );
    let got = api.ok(&s, "imbot.v2.Chat.Message.get", json!({"botId": watcher, "messageId": ids[1]})).await;
    assert_eq!(keys(&got), ["message", "user"]);
    assert_eq!(
        keys(&got["message"]),
        ["id", "chatId", "authorId", "date", "text", "isSystem", "uuid", "forward", "params", "viewedByOthers"]
    );
    assert_eq!((got["message"]["text"].as_str(), got["message"]["authorId"].as_i64()), (Some("m1"), Some(ben.id)));
    assert_eq!(got["user"]["id"], ben.id);
    assert_eq!(got["message"]["viewedByOthers"], true, "Anna wrote after it, so she read it");
    let newest = api.ok(&s, "imbot.v2.Chat.Message.get", json!({"botId": watcher, "messageId": ids[6]})).await;
    assert_eq!(newest["message"]["viewedByOthers"], false, "nobody but Anna read her last one");
    ben.ok(&s, "im.dialog.read", json!({"DIALOG_ID": dialog})).await;
    let newest = api.ok(&s, "imbot.v2.Chat.Message.get", json!({"botId": watcher, "messageId": ids[6]})).await;
    assert_eq!(newest["message"]["viewedByOthers"], true, "Ben read it");

    // A window of 2 on each side around m3.
    let ctx = api
        .ok(&s, "imbot.v2.Chat.Message.getContext", json!({"botId": watcher, "messageId": ids[3], "range": 2}))
        .await;
    assert_eq!(keys(&ctx), ["messages", "users", "hasPrevPage", "hasNextPage"]);
    let got_ids: Vec<i64> = ctx["messages"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert_eq!(got_ids, ids[1..6]);
    assert_eq!((ctx["hasPrevPage"].as_bool(), ctx["hasNextPage"].as_bool()), (Some(true), Some(true)));
    let authors: Vec<i64> = ctx["users"].as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(authors, [ben.id, anna.id]);
    // At the end of the history.
    let last = api
        .ok(&s, "imbot.v2.Chat.Message.getContext", json!({"botId": watcher, "messageId": ids[6], "range": 50}))
        .await;
    assert_eq!(last["hasNextPage"], false);
    assert_eq!(last["messages"].as_array().unwrap().last().unwrap()["id"], ids[6]);
    // range out of bounds is clamped.
    let one = api
        .ok(&s, "imbot.v2.Chat.Message.getContext", json!({"botId": watcher, "messageId": ids[3], "range": 0}))
        .await;
    assert_eq!(one["messages"].as_array().unwrap().len(), 3);

    // Unknown, deleted, and messages of a chat the bot is not in.
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.get", json!({"botId": watcher, "messageId": 9_999_999})).await,
        400,
        "MESSAGE_NOT_FOUND",
    );
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": ids[0]})).await;
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.get", json!({"botId": watcher, "messageId": ids[0]})).await,
        400,
        "MESSAGE_NOT_FOUND",
    );
    let private = anna.send(&s, ben.id, "just us").await;
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.get", json!({"botId": watcher, "messageId": private})).await,
        400,
        "MESSAGE_ACCESS_DENIED",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.getContext", json!({"botId": watcher, "messageId": private})).await,
        400,
        "MESSAGE_ACCESS_DENIED",
    );
}

#[tokio::test]
async fn reactions_and_likes_are_one_state_and_notify_the_bot() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "reactive", "bot").await;
    let anna = person(&s, "Anna Weber").await;
    let mine = anna.send(&s, bot, "hello bot").await;
    let sent = api
        .ok(
            &s,
            "imbot.v2.Chat.Message.send",
            json!({"botId": bot, "dialogId": anna.id.to_string(), "fields": {"message": "Hi Anna"}}),
        )
        .await;
    let reply = sent["id"].as_i64().unwrap();

    // The bot reacts to Anna's message.
    let react = |m: i64, code: &str| json!({"botId": bot, "messageId": m, "reaction": code});
    assert_eq!(api.ok(&s, "imbot.v2.Chat.Message.Reaction.add", react(mine, "fire")).await, json!({"result": true}));
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.Reaction.add", react(mine, "fire")).await,
        400,
        "REACTION_ALREADY_SET",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.Reaction.add", react(mine, "FIRE")).await,
        400,
        "REACTION_NOT_FOUND",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.Reaction.add", react(mine, "applause")).await,
        400,
        "REACTION_NOT_FOUND",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.Reaction.add", json!({"botId": bot, "messageId": mine})).await,
        400,
        "ERROR_ARGUMENT",
    );
    assert_eq!(api.ok(&s, "imbot.v2.Chat.Message.Reaction.delete", react(mine, "fire")).await, json!({"result": true}));
    assert_eq!(
        api.ok(&s, "imbot.v2.Chat.Message.Reaction.delete", react(mine, "fire")).await,
        json!({"result": true}),
        "idempotent"
    );
    // `like` is v1's like.
    api.ok(&s, "imbot.v2.Chat.Message.Reaction.add", react(mine, "like")).await;
    let shown = anna.messages(&s, bot).await;
    let m = shown.iter().find(|m| m["id"] == mine).unwrap();
    assert_eq!(m["params"]["LIKE"], json!([bot]), "{m}");

    // Anna likes the bot's reply through v1: the bot gets ONIMBOTV2REACTIONCHANGE.
    anna.ok(&s, "im.message.like", json!({"MESSAGE_ID": reply, "ACTION": "plus"})).await;
    let (data, _) = wait_event(&s, &api, "imbot.v2.Event.get", json!({"botId": bot}), "ONIMBOTV2REACTIONCHANGE").await;
    assert_eq!(keys(&data), ["bot", "reaction", "action", "message", "chat", "user", "language"]);
    assert_eq!((data["reaction"].as_str(), data["action"].as_str()), (Some("like"), Some("add")));
    assert_eq!(data["message"]["id"], reply);
    assert_eq!(data["user"]["id"], anna.id);
    assert_eq!(data["chat"]["dialogId"], anna.id.to_string());
    anna.ok(&s, "im.message.like", json!({"MESSAGE_ID": reply, "ACTION": "minus"})).await;
    let until = Instant::now() + WAIT;
    loop {
        let r = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot})).await;
        let deletes = r["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "ONIMBOTV2REACTIONCHANGE" && e["data"]["action"] == "delete")
            .count();
        if deletes == 1 {
            break;
        }
        assert!(Instant::now() < until, "{r}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // Its own reactions do not come back to the bot: only Anna's two changes are there.
    let r = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot})).await;
    let reactions = r["events"].as_array().unwrap().iter().filter(|e| e["type"] == "ONIMBOTV2REACTIONCHANGE").count();
    assert_eq!(reactions, 2, "{r}");

    // A message of a dialog the bot is not in.
    let ben = person(&s, "Ben Kraus").await;
    let theirs = ben.send(&s, anna.id, "private").await;
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.Reaction.add", react(theirs, "like")).await,
        400,
        "ACCESS_DENIED",
    );

    // A bot with reactions off takes none on its messages.
    let other = v2_bot(&s, &api, "stoic", "bot").await;
    api.ok(&s, "imbot.v2.Bot.update", json!({"botId": other, "fields": {"isReactionsEnabled": false}})).await;
    let chat = anna.chat(&s, &[bot, other]).await;
    let stoic = api
        .ok(
            &s,
            "imbot.v2.Chat.Message.send",
            json!({"botId": other, "dialogId": format!("chat{chat}"), "fields": {"message": "No reactions please"}}),
        )
        .await;
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Message.Reaction.add", react(stoic["id"].as_i64().unwrap(), "like")).await,
        400,
        "ACCESS_DENIED",
    );
}

#[tokio::test]
async fn a_users_event_queue_records_while_subscribed() {
    let s = server().await;
    let app = Api::oauth(&s, 1).await;
    let anna = person(&s, "Anna Weber").await;
    let ben = person(&s, "Ben Kraus").await;
    // Anna's own app (OAuth as Anna): not subscribed yet → nothing, no error.
    let anna_app = Api::oauth(&s, anna.id).await;
    let empty = anna_app.ok(&s, "im.v2.Event.get", json!({})).await;
    assert_eq!(empty, json!({"events": [], "nextOffset": 0, "hasMore": false}));
    ben.send(&s, anna.id, "before subscribing").await;
    assert_eq!(anna_app.ok(&s, "im.v2.Event.subscribe", json!({})).await, json!(true));
    assert_eq!(anna_app.ok(&s, "im.v2.Event.subscribe", json!({})).await, json!(true), "idempotent");

    let m = ben.send(&s, anna.id, "after subscribing").await;
    let (data, r) = wait_event(&s, &anna_app, "im.v2.Event.get", json!({}), "ONIMV2MESSAGEADD").await;
    assert_eq!(types(&r), ["ONIMV2MESSAGEADD"], "only what came after subscribing");
    assert_eq!(keys(&data), ["message", "chat", "user", "language"]);
    assert_eq!((data["message"]["id"].as_i64(), data["user"]["id"].as_i64()), (Some(m), Some(ben.id)));
    assert_eq!(data["chat"]["dialogId"], ben.id.to_string(), "the dialog as Anna sees it");
    assert!(data["chat"].get("role").is_none(), "the event form of the chat");
    ben.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "edited"})).await;
    anna.ok(&s, "im.message.like", json!({"MESSAGE_ID": m})).await;
    ben.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m})).await;
    let chat = ben.chat(&s, &[]).await;
    ben.ok(&s, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [anna.id]})).await;
    let until = Instant::now() + WAIT;
    let r = loop {
        let r = anna_app.ok(&s, "im.v2.Event.get", json!({})).await;
        if r["events"].as_array().unwrap().len() >= 5 {
            break r;
        }
        assert!(Instant::now() < until, "{r}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(
        types(&r)[..5],
        ["ONIMV2MESSAGEADD", "ONIMV2MESSAGEUPDATE", "ONIMV2REACTIONCHANGE", "ONIMV2MESSAGEDELETE", "ONIMV2JOINCHAT"]
    );
    let events = r["events"].as_array().unwrap();
    assert_eq!(events[1]["data"]["message"]["text"], "edited");
    assert_eq!(events[2]["data"]["reaction"], "like");
    assert_eq!(events[3]["data"]["messageId"], m);
    assert_eq!(events[4]["data"]["dialogId"], format!("chat{chat}"));
    assert_eq!(events[4]["data"]["user"]["id"], anna.id);

    // Acknowledging by offset, from any app of Anna's: one queue.
    let next = r["nextOffset"].as_i64().unwrap();
    let hook_app = Api::webhook(&s, anna.id, "anna-tools").await;
    let Api::Webhook { hook, .. } = &hook_app else { unreachable!() };
    let acked = s.post_json(&format!("{hook}im.v2.Event.get"), &json!({"offset": next})).await;
    assert_eq!(acked.0, 200, "{:?}", acked.2);
    assert_eq!(acked.2["result"]["events"], json!([]));
    assert_eq!(anna_app.ok(&s, "im.v2.Event.get", json!({})).await["events"], json!([]));

    // Unsubscribed: nothing new is recorded.
    assert_eq!(anna_app.ok(&s, "im.v2.Event.unsubscribe", json!({})).await, json!(true));
    ben.send(&s, anna.id, "nobody records this").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(anna_app.ok(&s, "im.v2.Event.get", json!({})).await["events"], json!([]));

    // withUserEvents on a bot's Event.get: needs a subscription of the calling user (user 1 here).
    let bot = v2_bot(&s, &app, "mixed", "bot").await;
    assert_error(
        &app.call(&s, "imbot.v2.Event.get", json!({"botId": bot, "withUserEvents": true})).await,
        400,
        "USER_NOT_SUBSCRIBED",
    );
    app.ok(&s, "im.v2.Event.subscribe", json!({})).await;
    let me = 1;
    let chat = anna.chat(&s, &[me, bot]).await;
    anna.send(&s, format!("chat{chat}"), &format!("[USER={bot}]bot[/USER] and everyone")).await;
    let until = Instant::now() + WAIT;
    let both = loop {
        let r = app.ok(&s, "imbot.v2.Event.get", json!({"botId": bot, "withUserEvents": true})).await;
        let t = types(&r);
        if t.contains(&"ONIMBOTV2MESSAGEADD".to_owned()) && t.contains(&"ONIMV2MESSAGEADD".to_owned()) {
            break r;
        }
        assert!(Instant::now() < until, "{r}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let ids: Vec<i64> = both["events"].as_array().unwrap().iter().map(|e| e["eventId"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "one sequence: {ids:?}");
    let next = both["nextOffset"].as_i64().unwrap();
    let after = app.ok(&s, "imbot.v2.Event.get", json!({"botId": bot, "withUserEvents": true, "offset": next})).await;
    assert_eq!(after["events"], json!([]), "one offset acknowledges both");
    assert_eq!(app.ok(&s, "im.v2.Event.get", json!({})).await["events"], json!([]));
    // The bot's own app without the scope im (user 1 is subscribed, so only the scope is missing).
    let imbot_only = s.oauth_app(1, "imbot", 3600).await;
    let call = |body: Value| {
        let mut body = body;
        body["auth"] = json!(imbot_only.access_token);
        let url = format!("{}/rest/imbot.v2.Event.get", s.http);
        let s = &s;
        async move { s.post_json(&url, &body).await }
    };
    let rest = format!("{}/rest/imbot.v2.Bot.register", s.http);
    let reg = s
        .post_json(
            &rest,
            &json!({"auth": imbot_only.access_token, "fields": {"code": "narrow", "properties": {"name": "N"}}}),
        )
        .await;
    let narrow = reg.2["result"]["bot"]["id"].as_i64().unwrap_or_else(|| panic!("{:?}", reg.2));
    assert_eq!(call(json!({"botId": narrow})).await.0, 200, "its own events need no im");
    assert_error(&call(json!({"botId": narrow, "withUserEvents": true})).await, 400, "SCOPE_ERROR");
}

#[tokio::test]
async fn send_context_reaches_a_v2_bot() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "contextual", "bot").await;
    let anna = person(&s, "Anna Weber").await;
    let r = anna
        .call(
            &s,
            "im.v2.Chat.Bot.sendContext",
            json!({"dialogId": bot.to_string(), "context": "{\"orderId\":42,\"source\":\"crm\"}"}),
        )
        .await;
    assert_eq!((r.0, &r.2["result"]), (200, &json!(true)), "{:?}", r.2);
    let (data, _) = wait_event(&s, &api, "imbot.v2.Event.get", json!({"botId": bot}), "ONIMBOTV2CONTEXTGET").await;
    assert_eq!(keys(&data), ["bot", "dialogId", "context", "chat", "user", "language"]);
    assert_eq!(data["context"], json!({"orderId": 42, "source": "crm"}));
    assert_eq!(data["dialogId"], anna.id.to_string());
    assert_eq!(data["user"]["id"], anna.id);
    // Not a bot; not an object.
    let ben = person(&s, "Ben Kraus").await;
    assert_error(
        &anna.call(&s, "im.v2.Chat.Bot.sendContext", json!({"dialogId": ben.id.to_string(), "context": {}})).await,
        400,
        "ACCESS_DENIED",
    );
    assert_error(
        &anna.call(&s, "im.v2.Chat.Bot.sendContext", json!({"dialogId": bot.to_string(), "context": "[1,2]"})).await,
        400,
        "ERROR_ARGUMENT",
    );
}

#[tokio::test]
async fn a_webhook_bot_gets_reactions_and_context_as_posts() {
    let s = server().await;
    let h = Handler::start().await;
    let hook = s.webhook_for(1, "im,imbot").await;
    let register = json!({"fields": {"code": "pushy", "botToken": "pushy-token", "eventMode": "webhook",
        "webhookUrl": h.url("/v2"), "properties": {"name": "Pushy"}}});
    let r = s.post_json(&format!("{hook}imbot.v2.Bot.register"), &register).await;
    let bot = r.2["result"]["bot"]["id"].as_i64().unwrap_or_else(|| panic!("{:?}", r.2));
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "hi").await;
    let sent = s
        .post_json(
            &format!("{hook}imbot.v2.Chat.Message.send"),
            &json!({"botToken": "pushy-token", "botId": bot, "dialogId": anna.id.to_string(), "fields": {"message": "Hello"}}),
        )
        .await;
    let reply = sent.2["result"]["id"].as_i64().unwrap_or_else(|| panic!("{:?}", sent.2));
    anna.ok(&s, "im.message.like", json!({"MESSAGE_ID": reply})).await;
    let e = h.wait_event("ONIMBOTV2REACTIONCHANGE").await;
    let form = e.form();
    assert_eq!(keys(&Value::Object(form.clone())), ["event", "event_handler_id", "data", "ts", "auth"]);
    let data = &form["data"];
    assert_eq!(keys(data), ["bot", "reaction", "action", "message", "chat", "user", "language"]);
    assert_eq!((data["reaction"].as_str(), data["action"].as_str()), (Some("like"), Some("add")));
    assert_eq!(data["message"]["id"], reply.to_string());
    assert_eq!(data["user"]["id"], anna.id.to_string());
    assert_eq!(data["bot"]["auth"]["user_id"], bot.to_string());

    let r = anna
        .call(&s, "im.v2.Chat.Bot.sendContext", json!({"dialogId": bot.to_string(), "context": {"page": "pricing"}}))
        .await;
    assert_eq!(r.2["result"], json!(true), "{:?}", r.2);
    let e = h.wait_event("ONIMBOTV2CONTEXTGET").await;
    let data = &e.form()["data"];
    assert_eq!(data["context"]["page"], "pricing");
    assert_eq!(data["dialogId"], anna.id.to_string());
}
