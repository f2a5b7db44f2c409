//! Bots over HTTP: `imbot.register` (webhook + CLIENT_ID and OAuth; idempotent CODE; every documented error;
//! the per-app cap; dropping of UPDATE/DELETE handlers by TYPE), `imbot.bot.list`, `imbot.update`,
//! `imbot.unregister` (→ `ONIMBOTDELETE`) and the ownership rules (`APP_ID_ERROR`, `BOT_ID_ERROR`,
//! `ACCESS_DENIED`).

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};
use std::time::Duration;

fn register_body(code: &str, url: &str) -> Value {
    json!({"CODE": code, "TYPE": "B", "EVENT_HANDLER": url, "OPENLINE": "N", "PROPERTIES": {"NAME": "NewBot", "WORK_POSITION": "Support bot"}})
}

#[tokio::test]
async fn register_through_a_webhook_and_through_oauth() {
    let s = server().await;
    let h = Handler::start().await;
    let url = h.url("/bot/events");

    // The doc's webhook sample: JSON body with CLIENT_ID; result is the BOT_ID as an int.
    let hook = s.webhook_for(1, "im,imbot").await;
    let mut body = register_body("newbot", &url);
    body["CLIENT_ID"] = json!("my_client_id");
    let r = s.post_json(&format!("{hook}imbot.register"), &body).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let id = r.2["result"].as_i64().unwrap_or_else(|| panic!("int result: {}", r.2));
    assert!(id > 1);
    assert!(r.2["time"].is_object());

    // CODE is idempotent: the same id, nothing changed (another name is not applied).
    body["PROPERTIES"]["NAME"] = json!("Renamed");
    let again = s.post_json(&format!("{hook}imbot.register"), &body).await;
    assert_eq!(again.2["result"], id);
    let api = Api::Webhook { hook: hook.clone(), client_id: "my_client_id".into() };
    let list = api.ok(&s, "imbot.bot.list", json!({})).await;
    assert_eq!(list[id.to_string()]["NAME"], "NewBot", "{list}");
    // … not even the handlers.
    body["EVENT_HANDLER"] = json!(h.url("/elsewhere"));
    assert_eq!(s.post_json(&format!("{hook}imbot.register"), &body).await.2["result"], id);
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, id, "hi").await;
    assert_eq!(h.wait_event("ONIMBOTMESSAGEADD").await.path(), "/bot/events");

    // Form encoding (a PHP bot) works the same way.
    let form = format!(
        "CODE=formbot&EVENT_MESSAGE_ADD={u}&EVENT_WELCOME_MESSAGE={u}&EVENT_BOT_DELETE={u}&PROPERTIES%5BLAST_NAME%5D=Formbot&CLIENT_ID=my_client_id",
        u = urlenc(&url)
    );
    let r = s.post_form(&format!("{hook}imbot.register"), &form).await;
    assert!(r.2["result"].as_i64().is_some_and(|v| v > id), "{}", r.2);

    // The doc's OAuth sample: `auth` in the JSON body.
    let app = s.oauth_app(1, "im,imbot", 3600).await;
    let mut body = register_body("oauthbot", &url);
    body["auth"] = json!(app.access_token);
    let r = s.post_json(&format!("{}/rest/imbot.register", s.http), &body).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert!(r.2["result"].as_i64().is_some_and(|v| v > id), "{}", r.2);
    // … and with `auth` in the query string.
    let r = s
        .post_json(
            &format!("{}/rest/imbot.register?auth={}", s.http, app.access_token),
            &register_body("oauthbot2", &url),
        )
        .await;
    assert!(r.2["result"].is_i64(), "{}", r.2);
}

fn urlenc(s: &str) -> String {
    let mut out = String::new();
    imbot_wire::form::urlencode_into(&mut out, s.as_bytes());
    out
}

#[tokio::test]
async fn register_errors() {
    let s = server().await;
    let url = "https://example.com/bot/events";
    let hook = s.webhook_for(1, "im,imbot").await;
    let reg = |body: Value| {
        let hook = hook.clone();
        let s = &s;
        async move { s.post_json(&format!("{hook}imbot.register"), &body).await }
    };

    // A webhook call without CLIENT_ID.
    let r = reg(register_body("nocid", url)).await;
    assert_error(&r, 403, "ACCESS_DENIED");
    assert_eq!(r.2["error_description"], "Access denied! Client ID not specified");
    let mut b = register_body("nocid", url);
    b["CLIENT_ID"] = json!("   ");
    assert_error(&reg(b).await, 403, "ACCESS_DENIED");

    let full = |code: &str| {
        json!({
            "CODE": code, "CLIENT_ID": "cid",
            "EVENT_MESSAGE_ADD": url, "EVENT_WELCOME_MESSAGE": url, "EVENT_BOT_DELETE": url,
            "PROPERTIES": {"NAME": "X"}
        })
    };
    let without = |key: &str| {
        let mut b = full("errbot");
        b.as_object_mut().unwrap().remove(key);
        b
    };
    let with = |key: &str, v: Value| {
        let mut b = full("errbot");
        b[key] = v;
        b
    };

    // Each required handler missing, and each handler invalid.
    for (key, code, missing) in [
        ("EVENT_MESSAGE_ADD", "EVENT_MESSAGE_ADD_ERROR", "Handler for \"Message add\" event isn't specified"),
        (
            "EVENT_WELCOME_MESSAGE",
            "EVENT_WELCOME_MESSAGE_ERROR",
            "Handler for \"Welcome message\" event isn't specified",
        ),
        ("EVENT_BOT_DELETE", "EVENT_BOT_DELETE_ERROR", "Handler for \"Bot delete\" event isn't specified"),
    ] {
        let r = reg(without(key)).await;
        assert_error(&r, 400, code);
        assert_eq!(r.2["error_description"], missing);
        assert_error(&reg(with(key, json!(""))).await, 400, code);
    }
    for (key, code) in [
        ("EVENT_MESSAGE_ADD", "EVENT_MESSAGE_ADD_ERROR"),
        ("EVENT_MESSAGE_UPDATE", "EVENT_MESSAGE_UPDATE_ERROR"),
        ("EVENT_MESSAGE_DELETE", "EVENT_MESSAGE_DELETE_ERROR"),
        ("EVENT_WELCOME_MESSAGE", "EVENT_WELCOME_MESSAGE_ERROR"),
        ("EVENT_BOT_DELETE", "EVENT_BOT_DELETE_ERROR"),
    ] {
        for bad in ["not a url", "ftp://example.com/x", "/relative/path", "http://"] {
            let r = reg(with(key, json!(bad))).await;
            assert_error(&r, 400, code);
            assert!(r.2["error_description"].as_str().unwrap().starts_with("Wrong handler URL"), "{}", r.2);
        }
    }
    // Bitrix checks in order: ADD, UPDATE, DELETE, WELCOME, BOT_DELETE; a missing ADD wins over a bad WELCOME.
    let mut b = without("EVENT_MESSAGE_ADD");
    b["EVENT_WELCOME_MESSAGE"] = json!("bad");
    assert_error(&reg(b).await, 400, "EVENT_MESSAGE_ADD_ERROR");
    let mut b = without("EVENT_MESSAGE_ADD");
    b["EVENT_MESSAGE_UPDATE"] = json!("bad");
    assert_error(&reg(b).await, 400, "EVENT_MESSAGE_ADD_ERROR");

    // CODE missing or blank.
    let r = reg(without("CODE")).await;
    assert_error(&r, 400, "CODE_ERROR");
    assert_eq!(r.2["error_description"], "Bot code isn't specified");
    assert_error(&reg(with("CODE", json!("  "))).await, 400, "CODE_ERROR");

    // PROPERTIES without NAME and LAST_NAME (or absent).
    let r = reg(without("PROPERTIES")).await;
    assert_error(&r, 400, "NAME_ERROR");
    assert_eq!(r.2["error_description"], "Bot name isn't specified");
    assert_error(&reg(with("PROPERTIES", json!({"COLOR": "RED"}))).await, 400, "NAME_ERROR");
    // Key presence is enough (SPEC-NOTES §5.1): LAST_NAME alone registers.
    let r = reg(with("PROPERTIES", json!({"LAST_NAME": "Only"}))).await;
    assert!(r.2["result"].is_i64(), "{}", r.2);

    // Nothing was created by the failed calls: only the last one is listed.
    let api = Api::Webhook { hook: hook.clone(), client_id: "cid".into() };
    let list = api.ok(&s, "imbot.bot.list", json!({})).await;
    assert_eq!(list.as_object().map(|m| m.len()), Some(1), "{list}");
}

#[tokio::test]
async fn the_sixth_bot_of_an_app_is_refused() {
    let s = server().await;
    let url = "https://example.com/h";
    let api = Api::webhook(&s, 1, "capped").await;
    for i in 0..5 {
        api.register(&s, &format!("cap{i}"), "B", url).await;
    }
    let r = api.call(&s, "imbot.register", register_body("cap5", url)).await;
    assert_error(&r, 400, "MAX_COUNT_ERROR");
    assert_eq!(r.2["error_description"], "Has reached the maximum number of bots for application (max: 5)");
    // The cap is checked before the name.
    let r = api.call(&s, "imbot.register", json!({"CODE": "noname", "EVENT_HANDLER": url})).await;
    assert_error(&r, 400, "MAX_COUNT_ERROR");
    // An existing CODE is still answered (idempotency comes before the cap).
    let again = api.ok(&s, "imbot.register", register_body("cap0", url)).await;
    assert!(again.is_i64());
    // The cap is per app: another CLIENT_ID on the same webhook is another app.
    let other = Api::Webhook {
        hook: match &api {
            Api::Webhook { hook, .. } => hook.clone(),
            _ => unreachable!(),
        },
        client_id: "other".into(),
    };
    other.register(&s, "cap-other", "B", url).await;
    // Configurable.
    let s2 = TestServer::start_with(|c| c.bots_per_app = 1).await;
    let api2 = Api::webhook(&s2, 1, "one").await;
    api2.register(&s2, "only", "B", url).await;
    let r = api2.call(&s2, "imbot.register", register_body("second", url)).await;
    assert_error(&r, 400, "MAX_COUNT_ERROR");
    assert_eq!(r.2["error_description"], "Has reached the maximum number of bots for application (max: 1)");
}

#[tokio::test]
async fn update_and_delete_handlers_are_dropped_for_type_b_and_kept_for_type_s() {
    let s = server().await;
    let h = Handler::start().await;
    let anna = person(&s, "Anna Weber").await;

    // App 1: a TYPE B bot with all five handlers.
    let b_app = Api::webhook(&s, 1, "type-b").await;
    let b_bot = b_app.register(&s, "plainbot", "B", &h.url("/b")).await;
    // App 2: a TYPE S bot with all five handlers.
    let s_app = Api::webhook(&s, 1, "type-s").await;
    let s_bot = s_app.register(&s, "supervisor", "S", &h.url("/s")).await;

    // Anna writes to each bot privately, then edits and deletes the messages.
    let m1 = anna.send(&s, b_bot, "hello B").await;
    let m2 = anna.send(&s, s_bot, "hello S").await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m1, "MESSAGE": "edited B"})).await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m2, "MESSAGE": "edited S"})).await;

    let upd = h.wait_event("ONIMBOTMESSAGEUPDATE").await;
    assert_eq!(upd.path(), "/s");
    let d = upd.data();
    assert_eq!(d["PARAMS"]["MESSAGE"], "edited S");
    assert_eq!(d["PARAMS"]["MESSAGE_ID"], m2.to_string());
    assert_eq!(d["PARAMS"]["DIALOG_ID"], anna.id.to_string());
    assert_eq!(keys(&d["BOT"]), [s_bot.to_string()]);

    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m1})).await;
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m2})).await;
    let del = h.wait_event("ONIMBOTMESSAGEDELETE").await;
    assert_eq!(del.path(), "/s");
    assert_eq!(del.data()["PARAMS"]["MESSAGE_ID"], m2.to_string());

    // Nothing for the TYPE B bot: its UPDATE/DELETE handlers were dropped at registration.
    drained(&s).await;
    for e in ["ONIMBOTMESSAGEUPDATE", "ONIMBOTMESSAGEDELETE"] {
        let rows = queued(&s, e).await;
        assert_eq!(rows.len(), 1, "{e}: {rows:?}");
        assert!(h.events(e).iter().all(|r| r.path() == "/s"));
    }

    // imbot.update binds them whatever the type; then the B bot gets edits too.
    b_app.ok(&s, "imbot.update", json!({"BOT_ID": b_bot, "FIELDS": {"EVENT_MESSAGE_UPDATE": h.url("/b-upd")}})).await;
    let m3 = anna.send(&s, b_bot, "again").await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m3, "MESSAGE": "again, edited"})).await;
    let upd = h.wait_event_nth("ONIMBOTMESSAGEUPDATE", 2).await;
    assert_eq!(upd.path(), "/b-upd");
    assert_eq!(keys(&upd.data()["BOT"]), [b_bot.to_string()]);
}

#[tokio::test]
async fn bot_list_is_keyed_by_id() {
    let s = server().await;
    let api = Api::webhook(&s, 1, "lister").await;
    // Empty → [].
    let r = api.call(&s, "imbot.bot.list", json!({})).await;
    assert_eq!(r.0, 200);
    assert_eq!(r.2["result"], json!([]));
    let a = api.register(&s, "alpha", "B", "https://example.com/h").await;
    let other = Api::oauth(&s, 1).await;
    let b = other
        .ok(
            &s,
            "imbot.register",
            json!({"CODE": "beta", "TYPE": "O", "EVENT_HANDLER": "https://example.com/h", "PROPERTIES": {"NAME": "Beta", "LAST_NAME": "Bot"}}),
        )
        .await
        .as_i64()
        .unwrap();
    // Every bot of the portal, whoever asks; ID is an int; OPENLINE forced to Y for TYPE O.
    for caller in [&api, &other] {
        let list = caller.ok(&s, "imbot.bot.list", json!({})).await;
        assert_eq!(keys(&list), [a.to_string(), b.to_string()]);
        assert_eq!(list[a.to_string()], json!({"ID": a, "NAME": "Bot alpha", "CODE": "alpha", "OPENLINE": "N"}));
        assert_eq!(list[b.to_string()], json!({"ID": b, "NAME": "Beta Bot", "CODE": "beta", "OPENLINE": "Y"}));
        assert_eq!(keys(&list[a.to_string()]), ["ID", "NAME", "CODE", "OPENLINE"]);
    }
}

#[tokio::test]
async fn update_a_bot() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "upd", "B", "https://example.com/h").await;

    // The doc's sample.
    let r = api
        .call(
            &s,
            "imbot.update",
            json!({"BOT_ID": bot, "FIELDS": {"CODE": "newbot_v2", "EVENT_HANDLER": "https://example.com/bot/events", "PROPERTIES": {"NAME": "UpdatedBot", "WORK_POSITION": "Updated description"}}}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    let list = api.ok(&s, "imbot.bot.list", json!({})).await;
    assert_eq!(list[bot.to_string()]["CODE"], "newbot_v2");
    assert_eq!(list[bot.to_string()]["NAME"], "UpdatedBot", "{list}");
    // The new CODE is what register is idempotent on now.
    let again = api
        .ok(
            &s,
            "imbot.register",
            json!({"CODE": "newbot_v2", "EVENT_HANDLER": "https://example.com/h", "PROPERTIES": {"NAME": "x"}}),
        )
        .await;
    assert_eq!(again, bot);

    // Nothing to update.
    for body in
        [json!({"BOT_ID": bot}), json!({"BOT_ID": bot, "FIELDS": {}}), json!({"BOT_ID": bot, "FIELDS": {"UNKNOWN": 1}})]
    {
        let r = api.call(&s, "imbot.update", body).await;
        assert_error(&r, 400, "WRONG_REQUEST");
        assert_eq!(r.2["error_description"], "Update fields can't be empty");
    }
    // Both names present and empty.
    let r = api
        .call(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"PROPERTIES": {"NAME": "", "LAST_NAME": ""}}}))
        .await;
    assert_error(&r, 400, "NAME_ERROR");
    // A bad handler URL.
    let r = api.call(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"EVENT_WELCOME_MESSAGE": "nope"}})).await;
    assert_error(&r, 400, "EVENT_WELCOME_MESSAGE_ERROR");
    // A CODE another bot has: the documented "Bot can't be updated".
    api.register(&s, "taken", "B", "https://example.com/h").await;
    let r = api.call(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"CODE": "taken"}})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    assert!(r.2["error_description"].as_str().unwrap().starts_with("Bot can't be updated"), "{}", r.2);
    // Unknown bot, no bot id.
    assert_error(
        &api.call(&s, "imbot.update", json!({"BOT_ID": 99999, "FIELDS": {"CODE": "z"}})).await,
        400,
        "BOT_ID_ERROR",
    );
    assert_error(&api.call(&s, "imbot.update", json!({"FIELDS": {"CODE": "z"}})).await, 400, "BOT_ID_ERROR");
    // Another app's bot.
    let other = Api::oauth(&s, 1).await;
    let r = other.call(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"CODE": "stolen"}})).await;
    assert_error(&r, 400, "APP_ID_ERROR");
    assert_eq!(r.2["error_description"], "Bot was installed by another rest application");
    // A webhook without CLIENT_ID.
    let hook = s.webhook_for(1, "im,imbot").await;
    let r = s.post_json(&format!("{hook}imbot.update"), &json!({"BOT_ID": bot, "FIELDS": {"CODE": "q"}})).await;
    assert_error(&r, 403, "ACCESS_DENIED");
}

#[tokio::test]
async fn unregister_sends_onimbotdelete() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "doomed", "B", &h.url("/events")).await;
    let keep = api.register(&s, "keeper", "B", &h.url("/events")).await;

    // Ownership first.
    let other = Api::oauth(&s, 1).await;
    assert_error(&other.call(&s, "imbot.unregister", json!({"BOT_ID": bot})).await, 400, "APP_ID_ERROR");
    assert_error(&api.call(&s, "imbot.unregister", json!({"BOT_ID": 424242})).await, 400, "BOT_ID_ERROR");
    assert_error(&api.call(&s, "imbot.unregister", json!({})).await, 400, "BOT_ID_ERROR");
    assert_error(&api.call(&s, "imbot.unregister", json!({"BOT_ID": 0})).await, 400, "BOT_ID_ERROR");

    let r = api.call(&s, "imbot.unregister", json!({"BOT_ID": bot})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);

    let e = h.wait_event("ONIMBOTDELETE").await;
    assert_eq!(e.method, "POST");
    assert_eq!(e.path(), "/events");
    assert_eq!(e.header("content-type"), Some("application/x-www-form-urlencoded"));
    let f = e.form();
    assert_eq!(keys(&Value::Object(f.clone())), ["event", "event_handler_id", "data", "ts", "auth"]);
    // Only BOT_ID and BOT_CODE in data.
    assert_eq!(f["data"], json!({"BOT_ID": bot.to_string(), "BOT_CODE": "doomed"}));
    // auth: the calling user's, without refresh_token (doc example), with the app's token.
    assert_eq!(
        keys(&f["auth"]),
        [
            "access_token",
            "expires",
            "expires_in",
            "scope",
            "domain",
            "server_endpoint",
            "status",
            "client_endpoint",
            "member_id",
            "user_id",
            "application_token"
        ]
    );
    assert_eq!(f["auth"]["user_id"], "1");
    assert_eq!(f["auth"]["application_token"], api.application_token());

    // Gone from the list; the other bot stays; a second unregister is BOT_ID_ERROR.
    let list = api.ok(&s, "imbot.bot.list", json!({})).await;
    assert_eq!(keys(&list), [keep.to_string()]);
    assert_error(&api.call(&s, "imbot.unregister", json!({"BOT_ID": bot})).await, 400, "BOT_ID_ERROR");
    // The CODE is free again.
    let reborn = api.register(&s, "doomed", "B", &h.url("/events")).await;
    assert_ne!(reborn, bot);
    assert!(h.after(Duration::from_millis(300), "ONIMBOTDELETE").await.len() == 1);
}

#[tokio::test]
async fn webhook_ownership_is_the_pair_of_webhook_and_client_id() {
    let s = server().await;
    let hook = s.webhook_for(1, "im,imbot").await;
    let a = Api::Webhook { hook: hook.clone(), client_id: "A".into() };
    let b = Api::Webhook { hook: hook.clone(), client_id: "B".into() };
    let bot = a.register(&s, "owned", "B", "https://example.com/h").await;
    assert_error(
        &b.call(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"CODE": "x"}})).await,
        400,
        "APP_ID_ERROR",
    );
    assert_error(
        &b.call(&s, "imbot.message.add", json!({"BOT_ID": bot, "DIALOG_ID": "1", "MESSAGE": "hi"})).await,
        400,
        "APP_ID_ERROR",
    );
    // Without BOT_ID, B has no bot at all.
    assert_error(
        &b.call(&s, "imbot.message.add", json!({"DIALOG_ID": "1", "MESSAGE": "hi"})).await,
        400,
        "BOT_ID_ERROR",
    );
    // Another user's webhook with the same CLIENT_ID is another app, too.
    let u = s.add_user("Carl Other").await;
    let c = Api::webhook(&s, u, "A").await;
    assert_error(
        &c.call(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"CODE": "x"}})).await,
        400,
        "APP_ID_ERROR",
    );
    // An OAuth app cannot touch it either.
    let o = Api::oauth(&s, 1).await;
    assert_error(&o.call(&s, "imbot.unregister", json!({"BOT_ID": bot})).await, 400, "APP_ID_ERROR");
    // Every imbot method of a webhook needs CLIENT_ID.
    for m in
        ["imbot.bot.list", "imbot.message.add", "imbot.command.register", "imbot.command.answer", "imbot.unregister"]
    {
        let r = s.post_json(&format!("{hook}{m}"), &json!({"BOT_ID": bot})).await;
        if m == "imbot.bot.list" {
            // imbot.bot.list needs no app (any authorized user lists all bots).
            continue;
        }
        assert_error(&r, 403, "ACCESS_DENIED");
    }
}
