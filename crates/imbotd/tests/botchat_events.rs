//! `ONIMBOTMESSAGEUPDATE` / `ONIMBOTMESSAGEDELETE` as a bot's handler receives them, against
//! `api-reference__chat-bots__outdated__messages__events__on-imbot-message-{update,delete}.md`: which edits
//! reach which bots (private dialog; a mention in a group chat; every message in a chat with a TYPE=S bot;
//! never a bot's own message), only when the app bound the handler (`imbot.register` drops it for TYPE B/H
//! unless OPENLINE=Y, `imbot.update` binds it for any type), and the wire body key by key against the doc
//! examples (`data[PARAMS]` field sets and order, `data[BOT]`, `data[USER]`, the top-level `auth`).

mod bot_util;
mod common;

use bot_util::*;
use chrono::FixedOffset;
use common::TestServer;
use serde_json::{json, Value};

/// The doc's personal-chat `ONIMBOTMESSAGEUPDATE` `data` (values as in the example).
fn doc_private_update() -> Value {
    json!({
        "BOT": {"571": bot_entry_doc()},
        "PARAMS": {
            "ID": "84531", "CHAT_ID": "1453", "AUTHOR_ID": "27", "MESSAGE": "How to add an observer to the task?",
            "MESSAGE_TYPE": "P", "CHAT_AUTHOR_ID": "571", "CHAT_ENTITY_ID": "", "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "", "CHAT_ENTITY_DATA_3": "", "FROM_USER_ID": "27", "TO_USER_ID": "571",
            "CHAT_USER_COUNT": "2", "PLATFORM_CONTEXT": "web", "DIALOG_ID": "27", "MESSAGE_ID": "84531",
            "CHAT_TYPE": "P", "LANGUAGE": "en"
        },
        "USER": doc_user()
    })
}

/// The doc's group-chat `ONIMBOTMESSAGEUPDATE` `data[PARAMS]`.
fn doc_group_update_params() -> Value {
    json!({
        "ID": "84537", "CHAT_ID": "1157", "AUTHOR_ID": "27", "MESSAGE": "create a task list", "MESSAGE_TYPE": "C",
        "CHAT_AUTHOR_ID": "27", "CHAT_ENTITY_TYPE": "THREAD", "CHAT_ENTITY_ID": "", "CHAT_ENTITY_DATA_1": "",
        "CHAT_ENTITY_DATA_2": "", "CHAT_ENTITY_DATA_3": "", "CHAT_USER_COUNT": "2", "MENTIONED_LIST": {"571": "571"},
        "PLATFORM_CONTEXT": "web", "MESSAGE_ORIGINAL": "[USER=571]NewBot[/USER], create a task list",
        "TO_USER_ID": "571", "DIALOG_ID": "chat1157", "MESSAGE_ID": "84537", "CHAT_TYPE": "C", "LANGUAGE": "en"
    })
}

/// The doc's personal-chat `ONIMBOTMESSAGEDELETE` `data`.
fn doc_private_delete() -> Value {
    json!({
        "BOT": {"571": bot_entry_doc()},
        "PARAMS": {
            "ID": "84525", "CHAT_ID": "1453", "AUTHOR_ID": "27", "MESSAGE": "Message from 02/26/2026 09:27:30 has been deleted",
            "MESSAGE_TYPE": "P", "CHAT_AUTHOR_ID": "571", "CHAT_ENTITY_ID": "", "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "", "CHAT_ENTITY_DATA_3": "", "FROM_USER_ID": "27", "TO_USER_ID": "571",
            "DIALOG_ID": "27", "MESSAGE_ID": "84525", "CHAT_TYPE": "P", "LANGUAGE": "de"
        },
        "USER": doc_user()
    })
}

/// The doc's group-chat `ONIMBOTMESSAGEDELETE` `data[PARAMS]`.
fn doc_group_delete_params() -> Value {
    json!({
        "ID": "84537", "CHAT_ID": "1157", "AUTHOR_ID": "27", "MESSAGE": "Message from 02/26/2026 11:14:02 has been deleted",
        "MESSAGE_TYPE": "C", "CHAT_AUTHOR_ID": "27", "CHAT_ENTITY_TYPE": "THREAD", "CHAT_ENTITY_ID": "",
        "CHAT_ENTITY_DATA_1": "", "CHAT_ENTITY_DATA_2": "", "CHAT_ENTITY_DATA_3": "", "DIALOG_ID": "chat1157",
        "MESSAGE_ID": "84537", "CHAT_TYPE": "C", "LANGUAGE": "de"
    })
}

fn doc_auth() -> Value {
    json!({
        "access_token": "880aa06900071b00084400001b0007dff360d21523410a45b4f7c12", "expires": "1772096136",
        "expires_in": "3600", "scope": "imbot", "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/", "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/", "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27", "refresh_token": "7889c769000071b000084400001b00007c0063d012b7284",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    })
}

fn bot_entry_doc() -> Value {
    let tokens = json!({
        "access_token": "880aa0690000071b000008440000023bf0f107a4af72f200b757ece", "expires": "1772096136",
        "expires_in": "3600", "scope": "imbot", "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/", "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/", "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "refresh_token": "7889c7690000071b000008440000023bf0f107ad212748fb2268", "user_id": "571",
        "client_id": "a7eff906dd1d950269258a599214f69e", "application_token": "831c76b092f9f135d9b6b36c3a720757"
    });
    let mut e = tokens.clone();
    e["AUTH"] = tokens;
    e["BOT_ID"] = json!("571");
    e["BOT_CODE"] = json!("BOT");
    e
}

fn doc_user() -> Value {
    json!({
        "ID": "27", "NAME": "Svetlana Ivanova", "FIRST_NAME": "Svetlana", "LAST_NAME": "Ivanova", "WORK_POSITION": "",
        "GENDER": "F", "IS_BOT": "N", "IS_CONNECTOR": "N", "IS_NETWORK": "N", "IS_EXTRANET": "N"
    })
}

/// A server whose portal time zone is +03:00 (so the deleted-message stub shows local time).
async fn server_plus3() -> TestServer {
    logs();
    TestServer::start_with(|c| c.timezone = FixedOffset::east_opt(3 * 3600).expect("offset")).await
}

/// The deleted-message stub for a message with `date` (ISO 8601 with the portal offset, as the API shows it).
fn deleted_stub(date: &Value) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(date.as_str().expect("a date")).expect("an ISO date");
    format!("Message from {} has been deleted", t.format("%m/%d/%Y %H:%M:%S"))
}

/// Assert `params` has the doc's keys in order and exactly `expected`'s values for the keys `expected` names.
fn assert_params(params: &Value, doc: &Value, expected: &Value) {
    assert_same_shape(params, doc, "data[PARAMS]");
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&params[k], v, "PARAMS[{k}] in {params}");
    }
}

/// Anna's ONIMBOTMESSAGE* check of the top-level auth: hers, with a refresh token, the app's token.
fn assert_human_auth(req: &Req, user: i64, application_token: &str) {
    let auth = req.auth();
    assert_same_shape(&auth, &doc_auth(), "auth");
    assert_eq!(auth["user_id"], user.to_string());
    assert_eq!(auth["application_token"], application_token);
    assert_eq!(auth["expires_in"], "3600");
    assert!(!auth["refresh_token"].as_str().unwrap_or("").is_empty());
}

/// A webhook-owned bot's events carry the outgoing-webhook `auth`: no user tokens (docs/compat.md BT3).
fn assert_webhook_auth(req: &Req, client_id: &str) {
    let auth = req.auth();
    let keys: Vec<&str> = auth.as_object().expect("auth").keys().map(String::as_str).collect();
    assert_eq!(keys, ["domain", "client_endpoint", "server_endpoint", "member_id", "application_token"]);
    assert_eq!(auth["application_token"], client_id);
}

fn top_keys(req: &Req) -> Vec<String> {
    req.form().keys().cloned().collect()
}

#[tokio::test]
async fn private_dialog_edit_and_delete_reach_the_bot_as_documented() {
    let s = server_plus3().await;
    let h = Handler::start().await;
    let anna = person(&s, "Svetlana Ivanova").await;
    let api = Api::webhook(&s, 1, "evbot").await;
    let bot = api.register(&s, "BOT", "B", &h.url("/bot/events")).await;
    // TYPE B: UPDATE/DELETE are bound only through imbot.update.
    let r = api
        .ok(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"EVENT_MESSAGE_UPDATE": h.url("/bot/upd"), "EVENT_MESSAGE_DELETE": h.url("/bot/del")}}))
        .await;
    assert_eq!(r, true);

    let m = anna.send(&s, bot, "How to add an observer?").await;
    let private = anna.ok(&s, "im.dialog.get", json!({"DIALOG_ID": bot.to_string()})).await["id"].clone();
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "How to add an observer to the task?"})).await;
    let upd = h.wait_event("ONIMBOTMESSAGEUPDATE").await;
    assert_eq!(upd.method, "POST");
    assert_eq!(upd.uri, "/bot/upd?CLIENT_ID=evbot");
    assert_eq!(upd.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(top_keys(&upd), ["event", "event_handler_id", "data", "ts", "auth"]);
    assert!(upd.form()["event_handler_id"].as_str().is_some_and(|v| v.parse::<i64>().is_ok()));
    assert!(upd.form()["ts"].as_str().is_some_and(|v| v.parse::<i64>().is_ok()));
    let d = upd.data();
    assert_same_shape(&d, &doc_private_update(), "data");
    assert_params(
        &d["PARAMS"],
        &doc_private_update()["PARAMS"],
        &json!({
            "ID": m.to_string(), "CHAT_ID": private.to_string(), "AUTHOR_ID": anna.id.to_string(),
            "MESSAGE": "How to add an observer to the task?", "MESSAGE_TYPE": "P", "CHAT_ENTITY_ID": "",
            "CHAT_ENTITY_DATA_1": "", "CHAT_ENTITY_DATA_2": "", "CHAT_ENTITY_DATA_3": "",
            "FROM_USER_ID": anna.id.to_string(), "TO_USER_ID": bot.to_string(), "CHAT_USER_COUNT": "2",
            "PLATFORM_CONTEXT": "web", "DIALOG_ID": anna.id.to_string(), "MESSAGE_ID": m.to_string(),
            "CHAT_TYPE": "P", "LANGUAGE": "en"
        }),
    );
    let entry = &d["BOT"][bot.to_string()];
    assert_eq!((entry["BOT_ID"].clone(), entry["BOT_CODE"].clone()), (json!(bot.to_string()), json!("BOT")));
    assert_eq!(entry["user_id"], bot.to_string());
    assert_eq!(entry["AUTH"]["access_token"], entry["access_token"]);
    assert_eq!(
        d["USER"],
        json!({
            "ID": anna.id.to_string(), "NAME": "Svetlana Ivanova", "FIRST_NAME": "Svetlana", "LAST_NAME": "Ivanova",
            "WORK_POSITION": "", "GENDER": "M", "IS_BOT": "N", "IS_CONNECTOR": "N", "IS_NETWORK": "N", "IS_EXTRANET": "N"
        })
    );
    assert_webhook_auth(&upd, "evbot");

    // Delete: the stub text carries the message's date in the portal's time zone.
    let date = anna.message(&s, bot, m).await.expect("the message")["date"].clone();
    assert!(date.as_str().unwrap().ends_with("+03:00"), "{date}");
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m})).await;
    let del = h.wait_event("ONIMBOTMESSAGEDELETE").await;
    assert_eq!(del.uri, "/bot/del?CLIENT_ID=evbot");
    assert_eq!(top_keys(&del), ["event", "event_handler_id", "data", "ts", "auth"]);
    let d = del.data();
    assert_same_shape(&d, &doc_private_delete(), "data");
    assert_params(
        &d["PARAMS"],
        &doc_private_delete()["PARAMS"],
        &json!({
            "ID": m.to_string(), "CHAT_ID": private.to_string(), "AUTHOR_ID": anna.id.to_string(),
            "MESSAGE": deleted_stub(&date), "MESSAGE_TYPE": "P", "FROM_USER_ID": anna.id.to_string(),
            "TO_USER_ID": bot.to_string(), "DIALOG_ID": anna.id.to_string(), "MESSAGE_ID": m.to_string(),
            "CHAT_TYPE": "P", "LANGUAGE": "en"
        }),
    );
    assert_eq!(d["USER"]["ID"], anna.id.to_string());
    assert_webhook_auth(&del, "evbot");
    // One of each, to the bound URLs only.
    drained(&s).await;
    assert_eq!(h.events("ONIMBOTMESSAGEUPDATE").len(), 1);
    assert_eq!(h.events("ONIMBOTMESSAGEDELETE").len(), 1);
}

#[tokio::test]
async fn group_chat_edits_reach_a_mentioned_member_bot() {
    let s = server_plus3().await;
    let h = Handler::start().await;
    let anna = person(&s, "Svetlana Ivanova").await;
    let boris = person(&s, "Boris Ivanov").await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "BOT", "B", &h.url("/bot")).await;
    api.ok(&s, "imbot.update", json!({"BOT_ID": bot, "FIELDS": {"EVENT_HANDLER": h.url("/bot")}})).await;
    let chat = anna.chat(&s, &[boris.id, bot]).await;
    let dialog = format!("chat{chat}");

    let original = format!("[USER={bot}]NewBot[/USER], create a task list");
    let m = anna.send(&s, &dialog, &original).await;
    let edited = format!("[USER={bot}]NewBot[/USER], create a task list now");
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": edited})).await;
    let upd = h.wait_event("ONIMBOTMESSAGEUPDATE").await;
    assert_eq!(upd.uri, "/bot", "OAuth apps' URLs get no CLIENT_ID");
    let d = upd.data();
    // The doc's group example has `BOT` and `PARAMS` only: no `USER` (no FROM_USER_ID in group PARAMS).
    assert_same_shape(&d, &json!({"BOT": doc_private_update()["BOT"], "PARAMS": doc_group_update_params()}), "data");
    assert_params(
        &d["PARAMS"],
        &doc_group_update_params(),
        &json!({
            "ID": m.to_string(), "CHAT_ID": chat.to_string(), "AUTHOR_ID": anna.id.to_string(),
            "MESSAGE": "create a task list now", "MESSAGE_TYPE": "C", "CHAT_AUTHOR_ID": anna.id.to_string(),
            "CHAT_ENTITY_TYPE": "", "CHAT_ENTITY_ID": "", "CHAT_USER_COUNT": "3",
            "MENTIONED_LIST": {bot.to_string(): bot.to_string()},
            "PLATFORM_CONTEXT": "web", "MESSAGE_ORIGINAL": edited, "TO_USER_ID": bot.to_string(),
            "DIALOG_ID": dialog, "MESSAGE_ID": m.to_string(), "CHAT_TYPE": "C", "LANGUAGE": "en"
        }),
    );
    let app_token = api.application_token();
    assert_human_auth(&upd, anna.id, &app_token);

    let date = anna.message(&s, &dialog, m).await.expect("the message")["date"].clone();
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m})).await;
    let del = h.wait_event("ONIMBOTMESSAGEDELETE").await;
    let d = del.data();
    assert_same_shape(&d, &json!({"BOT": doc_private_delete()["BOT"], "PARAMS": doc_group_delete_params()}), "data");
    assert_params(
        &d["PARAMS"],
        &doc_group_delete_params(),
        &json!({
            "ID": m.to_string(), "CHAT_ID": chat.to_string(), "AUTHOR_ID": anna.id.to_string(),
            "MESSAGE": deleted_stub(&date), "MESSAGE_TYPE": "C", "CHAT_AUTHOR_ID": anna.id.to_string(),
            "CHAT_ENTITY_TYPE": "", "CHAT_ENTITY_ID": "", "DIALOG_ID": dialog, "MESSAGE_ID": m.to_string(),
            "CHAT_TYPE": "C", "LANGUAGE": "en"
        }),
    );
    assert_human_auth(&del, anna.id, &app_token);

    // Edits of messages that do not mention the bot: nothing (the events are committed with the edit).
    let plain = anna.send(&s, &dialog, "no mention here").await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": plain, "MESSAGE": "still no mention"})).await;
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": plain})).await;
    assert_eq!(queued(&s, "ONIMBOTMESSAGEUPDATE").await.len(), 1);
    assert_eq!(queued(&s, "ONIMBOTMESSAGEDELETE").await.len(), 1);
    // A mention of the bot in a chat it is not in: nothing either.
    let other = anna.chat(&s, &[boris.id]).await;
    let m2 = anna.send(&s, format!("chat{other}"), &format!("[USER={bot}]NewBot[/USER] hi")).await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m2, "MESSAGE": format!("[USER={bot}]NewBot[/USER] hello")}))
        .await;
    assert_eq!(queued(&s, "ONIMBOTMESSAGEUPDATE").await.len(), 1);
}

#[tokio::test]
async fn a_supervisor_bot_gets_every_edit_in_its_chats() {
    let s = server().await;
    let h = Handler::start().await;
    let anna = person(&s, "Anna Weber").await;
    let boris = person(&s, "Boris Ivanov").await;
    // TYPE S keeps the handlers given at registration.
    let api = Api::webhook(&s, 1, "super").await;
    let bot = api.register(&s, "watcher", "S", &h.url("/s")).await;
    let chat = anna.chat(&s, &[boris.id, bot]).await;
    let dialog = format!("chat{chat}");
    let m = boris.send(&s, &dialog, "plain text").await;
    boris.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "plain text, edited"})).await;
    let upd = h.wait_event("ONIMBOTMESSAGEUPDATE").await;
    let p = &upd.data()["PARAMS"];
    assert_eq!(p["MESSAGE"], "plain text, edited");
    assert_eq!(p["MESSAGE_ORIGINAL"], "plain text, edited");
    assert_eq!(p["TO_USER_ID"], "0", "no mention: addressed to everybody");
    assert_eq!(p["AUTHOR_ID"], boris.id.to_string());
    assert_eq!(p["CHAT_AUTHOR_ID"], anna.id.to_string());
    assert!(p.get("MENTIONED_LIST").is_none(), "an empty list is dropped from the form: {p}");
    assert_eq!(p["CHAT_USER_COUNT"], "3", "the chat's members");
    assert!(upd.data().get("USER").is_none(), "no USER in group-chat changes: {}", upd.data());
    assert_eq!(keys(&upd.data()["BOT"]), [bot.to_string()]);
    boris.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m})).await;
    let del = h.wait_event("ONIMBOTMESSAGEDELETE").await;
    assert_eq!(del.data()["PARAMS"]["MESSAGE_ID"], m.to_string());
    assert_eq!(del.data()["PARAMS"]["DIALOG_ID"], dialog);
}

#[tokio::test]
async fn handlers_are_bound_by_type_and_openline_at_register_and_by_update_for_any_type() {
    let s = server().await;
    let h = Handler::start().await;
    let anna = person(&s, "Anna Weber").await;
    // One app per bot: handlers belong to the app.
    let h_app = Api::webhook(&s, 1, "type-h").await;
    let h_bot = h_app.register(&s, "humanlike", "H", &h.url("/h")).await;
    let ol_app = Api::webhook(&s, 1, "openline").await;
    let body = json!({"CODE": "olbot", "TYPE": "B", "OPENLINE": "Y", "EVENT_HANDLER": h.url("/ol"), "PROPERTIES": {"NAME": "OL"}});
    let ol_bot = ol_app.ok(&s, "imbot.register", body).await.as_i64().expect("int");
    let o_app = Api::webhook(&s, 1, "type-o").await;
    let o_bot = o_app.register(&s, "linesbot", "O", &h.url("/o")).await;

    let mh = anna.send(&s, h_bot, "to H").await;
    let mol = anna.send(&s, ol_bot, "to OL").await;
    let mo = anna.send(&s, o_bot, "to O").await;
    for m in [mh, mol, mo] {
        anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "edited"})).await;
    }
    // TYPE H without OPENLINE: dropped; OPENLINE=Y and TYPE O: kept.
    let urls = |rows: Vec<OutboxRow>| {
        let mut u: Vec<String> = rows.into_iter().map(|r| r.handler_url).collect();
        u.sort();
        u
    };
    assert_eq!(urls(queued(&s, "ONIMBOTMESSAGEUPDATE").await), [h.url("/o"), h.url("/ol")]);
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": mh})).await;
    assert!(queued(&s, "ONIMBOTMESSAGEDELETE").await.is_empty());

    // imbot.update binds only what it is given: UPDATE now reaches the H bot, DELETE still does not.
    h_app.ok(&s, "imbot.update", json!({"BOT_ID": h_bot, "FIELDS": {"EVENT_MESSAGE_UPDATE": h.url("/h-upd")}})).await;
    let m = anna.send(&s, h_bot, "again").await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "again, edited"})).await;
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m})).await;
    assert_eq!(urls(queued(&s, "ONIMBOTMESSAGEUPDATE").await), [h.url("/h-upd"), h.url("/o"), h.url("/ol")]);
    assert!(queued(&s, "ONIMBOTMESSAGEDELETE").await.is_empty());
    let upd = h.wait_event("ONIMBOTMESSAGEUPDATE").await;
    assert!(upd.uri.contains("CLIENT_ID="), "{}", upd.uri);
    drained(&s).await;
    let got: Vec<String> = h.events("ONIMBOTMESSAGEUPDATE").iter().map(|r| r.path().to_owned()).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.contains(&"/h-upd".to_owned()));
}

#[tokio::test]
async fn no_events_for_bot_messages_other_dialogs_or_without_a_handler() {
    let s = server().await;
    let h = Handler::start().await;
    let anna = person(&s, "Anna Weber").await;
    let boris = person(&s, "Boris Ivanov").await;
    let api = Api::webhook(&s, 1, "quiet").await;
    let bot = api.register(&s, "watcher", "S", &h.url("/s")).await;

    // The bot's own message, edited and deleted by the bot: bots never get events about bots' messages.
    let mine =
        api.ok(&s, "imbot.message.add", json!({"DIALOG_ID": anna.id.to_string(), "MESSAGE": "Hi, I am a bot"})).await;
    api.ok(&s, "imbot.message.update", json!({"MESSAGE_ID": mine, "MESSAGE": "Hi, I am still a bot"})).await;
    api.ok(&s, "imbot.message.delete", json!({"MESSAGE_ID": mine})).await;
    // A private dialog between two people.
    let m = anna.send(&s, boris.id, "between us").await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "between us, edited"})).await;
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m})).await;
    assert!(queued(&s, "ONIMBOTMESSAGEUPDATE").await.is_empty());
    assert!(queued(&s, "ONIMBOTMESSAGEDELETE").await.is_empty());

    // Editing a message to empty text deletes it: ONIMBOTMESSAGEDELETE, not UPDATE.
    let m = anna.send(&s, bot, "soon gone").await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": ""})).await;
    assert!(queued(&s, "ONIMBOTMESSAGEUPDATE").await.is_empty());
    let del = h.wait_event("ONIMBOTMESSAGEDELETE").await;
    assert_eq!(del.data()["PARAMS"]["MESSAGE_ID"], m.to_string());
    assert!(del.data()["PARAMS"]["MESSAGE"].as_str().unwrap().ends_with(" has been deleted"));
}
