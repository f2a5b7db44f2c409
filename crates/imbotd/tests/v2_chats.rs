//! The v2 chat methods (`imbot.v2.Chat.*`, docs/v2.md §3.2, §3.5) end to end: a bot creates a chat, reads and
//! changes it, manages participants, managers and the owner, leaves; the typing indicator and the input
//! field; every documented refusal with its code and HTTP status.

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};

async fn v2_bot(s: &TestServer, api: &Api, code: &str) -> i64 {
    let r = api.ok(s, "imbot.v2.Bot.register", json!({"fields": {"code": code, "properties": {"name": code}}})).await;
    r["bot"]["id"].as_i64().unwrap()
}

fn ids(users: &Value) -> Vec<i64> {
    users.as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn a_bot_creates_a_chat_and_reads_it_back() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "maker").await;
    let anna = person(&s, "Anna Weber").await;
    let ben = person(&s, "Ben Kraus").await;
    let r = api
        .ok(
            &s,
            "imbot.v2.Chat.add",
            json!({"botId": bot, "fields": {"title": "Support Chat", "description": "Tickets", "color": "mint",
                "userIds": [anna.id, ben.id, 999_999], "message": "Welcome!"}}),
        )
        .await;
    let chat = &r["chat"];
    assert_eq!(
        keys(chat),
        [
            "id",
            "dialogId",
            "name",
            "description",
            "type",
            "messageType",
            "owner",
            "color",
            "avatar",
            "extranet",
            "containsCollaber",
            "entityType",
            "entityId",
            "entityData1",
            "entityData2",
            "entityData3",
            "entityLink",
            "diskFolderId",
            "role",
            "permissions",
            "muteList",
            "parentChatId",
            "parentMessageId",
            "isNew",
            "textFieldEnabled",
            "backgroundId",
            "dateCreate",
            "lastMessageId",
            "lastMessageViews",
            "lastId",
            "managerList",
            "markedId",
            "messageCount",
            "public",
            "unreadId",
            "userCounter"
        ]
    );
    let id = chat["id"].as_i64().unwrap();
    assert_eq!(chat["dialogId"], format!("chat{id}"));
    assert_eq!((chat["name"].as_str(), chat["description"].as_str()), (Some("Support Chat"), Some("Tickets")));
    assert_eq!((chat["type"].as_str(), chat["messageType"].as_str()), (Some("chat"), Some("C")));
    assert_eq!(chat["owner"], bot);
    assert_eq!(chat["color"], "#4ba984", "mint");
    assert_eq!(chat["role"], "owner");
    assert_eq!(chat["isNew"], true);
    assert_eq!(chat["textFieldEnabled"], "Y");
    assert_eq!(chat["userCounter"], 3, "the unknown user is skipped");
    assert_eq!(ids(&r["users"]), [bot, anna.id, ben.id]);
    assert_eq!(r["users"][0]["bot"], true);
    // The first message is there, for the participants.
    let texts: Vec<String> =
        anna.messages(&s, format!("chat{id}")).await.iter().map(|m| m["text"].as_str().unwrap().to_owned()).collect();
    assert!(texts.iter().any(|t| t == "Welcome!"), "{texts:?}");

    let got = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": format!("chat{id}")})).await;
    assert_eq!(keys(&got), ["chat"]);
    assert_eq!(got["chat"]["id"], id);
    assert_eq!(got["chat"]["isNew"], false);
    assert_eq!(got["chat"]["name"], "Support Chat");

    // A private dialog with the bot: by the user's id, once it exists.
    let carl = person(&s, "Carl Neumann").await;
    assert_error(
        &api.call(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": carl.id.to_string()})).await,
        400,
        "ACCESS_DENIED",
    );
    carl.send(&s, bot, "hello").await;
    let private = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": carl.id.to_string()})).await;
    assert_eq!(
        (private["chat"]["type"].as_str(), private["chat"]["dialogId"].as_str()),
        (Some("private"), Some(carl.id.to_string().as_str()))
    );

    // A chat the bot is not in, a malformed dialog, a missing one.
    let other = anna.chat(&s, &[ben.id]).await;
    for dialog in [json!(format!("chat{other}")), json!("chatX"), json!("nobody")] {
        assert_error(
            &api.call(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": dialog})).await,
            400,
            "ACCESS_DENIED",
        );
    }
    assert_error(&api.call(&s, "imbot.v2.Chat.get", json!({"botId": bot})).await, 400, "ERROR_ARGUMENT");
    // Another app's bot.
    let stranger = Api::oauth(&s, 1).await;
    assert_error(
        &stranger.call(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": format!("chat{id}")})).await,
        400,
        "BOT_OWNERSHIP_ERROR",
    );
}

#[tokio::test]
async fn an_owner_other_than_the_bot_and_chat_update() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "delegate").await;
    let anna = person(&s, "Anna Weber").await;
    let r =
        api.ok(&s, "imbot.v2.Chat.add", json!({"botId": bot, "fields": {"title": "Ops", "ownerId": anna.id}})).await;
    assert_eq!(r["chat"]["owner"], anna.id);
    assert_eq!(r["chat"]["role"], "manager", "the bot stays, as a manager");
    assert_eq!(r["chat"]["managerList"], json!([bot]));
    let dialog = r["chat"]["dialogId"].as_str().unwrap().to_owned();

    // Chat.update: all at once; an empty fields changes nothing.
    let upd = json!({"botId": bot, "dialogId": dialog, "fields": {"title": "Ops 24/7", "description": "On call", "color": "RED"}});
    assert_eq!(api.ok(&s, "imbot.v2.Chat.update", upd).await, json!({"result": true}));
    let chat = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": dialog})).await["chat"].clone();
    assert_eq!(
        (chat["name"].as_str(), chat["description"].as_str(), chat["color"].as_str()),
        (Some("Ops 24/7"), Some("On call"), Some("#df532d"))
    );
    assert_eq!(
        api.ok(&s, "imbot.v2.Chat.update", json!({"botId": bot, "dialogId": dialog, "fields": {}})).await,
        json!({"result": true})
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.update", json!({"botId": bot, "dialogId": dialog})).await,
        400,
        "ERROR_ARGUMENT",
    );
    assert_error(
        &api.call(
            &s,
            "imbot.v2.Chat.update",
            json!({"botId": bot, "dialogId": dialog, "fields": {"avatar": "bm90IGFuIGltYWdl"}}),
        )
        .await,
        400,
        "ERROR_ARGUMENT",
    );
    // The look of a chat changes only with the right: after Anna restricts it to the owner, the manager bot is
    // refused.
    let pool = s.db_pool().await;
    sqlx::query(&format!("UPDATE chats SET manage_ui = 'owner' WHERE id = {}", dialog.trim_start_matches("chat")))
        .execute(&pool)
        .await
        .unwrap();
    assert_error(
        &api.call(&s, "imbot.v2.Chat.update", json!({"botId": bot, "dialogId": dialog, "fields": {"title": "Mine"}}))
            .await,
        400,
        "ACCESS_DENIED",
    );
    // Private dialogs cannot be updated.
    anna.send(&s, bot, "hi").await;
    assert_error(
        &api.call(
            &s,
            "imbot.v2.Chat.update",
            json!({"botId": bot, "dialogId": anna.id.to_string(), "fields": {"title": "x"}}),
        )
        .await,
        400,
        "ACCESS_DENIED",
    );
}

#[tokio::test]
async fn participants_managers_owner_and_leaving() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "admin").await;
    let anna = person(&s, "Anna Weber").await;
    let ben = person(&s, "Ben Kraus").await;
    let carl = person(&s, "Carl Neumann").await;
    let r =
        api.ok(&s, "imbot.v2.Chat.add", json!({"botId": bot, "fields": {"title": "Team", "userIds": [anna.id]}})).await;
    let dialog = r["chat"]["dialogId"].as_str().unwrap().to_owned();
    let call = |method: &'static str, extra: Value| {
        let mut body = json!({"botId": bot, "dialogId": dialog});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let api = api.clone();
        let s = &s;
        async move { api.call(s, method, body).await }
    };

    // User.add: unknown ids skipped, EMPTY_USER_IDS without ids.
    assert_eq!(
        call("imbot.v2.Chat.User.add", json!({"userIds": [ben.id, carl.id, 424_242]})).await.2["result"],
        json!({"result": true})
    );
    assert_error(&call("imbot.v2.Chat.User.add", json!({"userIds": []})).await, 400, "EMPTY_USER_IDS");
    assert_error(&call("imbot.v2.Chat.User.add", json!({})).await, 400, "EMPTY_USER_IDS");

    // User.list: a bare array, ordered and limited.
    let list = api.ok(&s, "imbot.v2.Chat.User.list", json!({"botId": bot, "dialogId": dialog})).await;
    assert_eq!(ids(&list), [bot, anna.id, ben.id, carl.id]);
    assert_eq!(keys(&list[0]).len(), 25, "the full user: {:?}", keys(&list[0]));
    let desc = api
        .ok(
            &s,
            "imbot.v2.Chat.User.list",
            json!({"botId": bot, "dialogId": dialog, "order": {"userId": "DESC"}, "limit": 2}),
        )
        .await;
    assert_eq!(ids(&desc), [carl.id, ben.id]);
    ben.send(&s, &dialog, "I was last").await;
    anna.send(&s, &dialog, "No, I was").await;
    let by_last = api
        .ok(
            &s,
            "imbot.v2.Chat.User.list",
            json!({"botId": bot, "dialogId": dialog, "order": {"lastSendMessageId": "DESC"}, "limit": 2}),
        )
        .await;
    assert_eq!(ids(&by_last), [anna.id, ben.id]);

    // Managers: owner only; non-participants skipped.
    assert_eq!(call("imbot.v2.Chat.Manager.add", json!({"userIds": [anna.id, 777_777]})).await.0, 200);
    let chat = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": dialog})).await["chat"].clone();
    assert_eq!(chat["managerList"], json!([anna.id]));
    assert_error(&call("imbot.v2.Chat.Manager.delete", json!({"userIds": []})).await, 400, "EMPTY_USER_IDS");
    assert_eq!(call("imbot.v2.Chat.Manager.delete", json!({"userIds": [anna.id]})).await.0, 200);
    let chat = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": dialog})).await["chat"].clone();
    assert_eq!(chat["managerList"], json!([]));

    // User.delete: idempotent for a non-participant.
    assert_eq!(
        call("imbot.v2.Chat.User.delete", json!({"userId": carl.id})).await.2["result"],
        json!({"result": true})
    );
    assert_eq!(
        call("imbot.v2.Chat.User.delete", json!({"userId": carl.id})).await.2["result"],
        json!({"result": true})
    );
    let list = api.ok(&s, "imbot.v2.Chat.User.list", json!({"botId": bot, "dialogId": dialog})).await;
    assert_eq!(ids(&list), [bot, anna.id, ben.id]);

    // setOwner: to a participant only; then the bot is a manager and may no longer name managers.
    assert_error(&call("imbot.v2.Chat.setOwner", json!({"userId": carl.id})).await, 400, "ACCESS_DENIED");
    assert_error(&call("imbot.v2.Chat.setOwner", json!({})).await, 400, "ERROR_ARGUMENT");
    assert_eq!(call("imbot.v2.Chat.setOwner", json!({"userId": ben.id})).await.2["result"], json!({"result": true}));
    let chat = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": dialog})).await["chat"].clone();
    assert_eq!((chat["owner"].as_i64(), chat["role"].as_str()), (Some(ben.id), Some("manager")));
    assert_error(&call("imbot.v2.Chat.setOwner", json!({"userId": anna.id})).await, 400, "ACCESS_DENIED");
    assert_error(&call("imbot.v2.Chat.Manager.add", json!({"userIds": [anna.id]})).await, 400, "ACCESS_DENIED");
    // A manager still administers participants, but not the owner.
    assert_error(&call("imbot.v2.Chat.User.delete", json!({"userId": ben.id})).await, 400, "ACCESS_DENIED");

    // Leave: the bot is gone; then nothing works there any more.
    assert_eq!(call("imbot.v2.Chat.leave", json!({})).await.2["result"], json!({"result": true}));
    let seen = ben.ok(&s, "im.chat.user.list", json!({"CHAT_ID": dialog.trim_start_matches("chat")})).await;
    assert!(!seen.as_array().unwrap().contains(&json!(bot)), "{seen}");
    for (m, extra) in [
        ("imbot.v2.Chat.leave", json!({})),
        ("imbot.v2.Chat.get", json!({})),
        ("imbot.v2.Chat.User.list", json!({})),
        ("imbot.v2.Chat.User.add", json!({"userIds": [carl.id]})),
    ] {
        assert_error(&call(m, extra).await, 400, "ACCESS_DENIED");
    }
}

#[tokio::test]
async fn a_participant_bot_without_rights_is_refused() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "guest").await;
    let anna = person(&s, "Anna Weber").await;
    let ben = person(&s, "Ben Kraus").await;
    // Anna's chat, the bot a plain participant.
    let chat = anna.chat(&s, &[bot]).await;
    let dialog = format!("chat{chat}");
    let body = |extra: Value| {
        let mut b = json!({"botId": bot, "dialogId": dialog});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    assert_error(
        &api.call(&s, "imbot.v2.Chat.User.add", body(json!({"userIds": [ben.id]}))).await,
        400,
        "ACCESS_DENIED",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.User.delete", body(json!({"userId": anna.id}))).await,
        400,
        "ACCESS_DENIED",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.Manager.add", body(json!({"userIds": [anna.id]}))).await,
        400,
        "ACCESS_DENIED",
    );
    assert_error(&api.call(&s, "imbot.v2.Chat.setOwner", body(json!({"userId": anna.id}))).await, 400, "ACCESS_DENIED");
    // Reading, typing and the text field need membership only.
    assert_eq!(api.ok(&s, "imbot.v2.Chat.get", body(json!({}))).await["chat"]["role"], "member");
    assert_eq!(
        api.ok(
            &s,
            "imbot.v2.Chat.InputAction.notify",
            body(json!({"statusMessageCode": "IMBOT_AGENT_ACTION_SEARCHING", "duration": 5000}))
        )
        .await,
        json!({"result": true})
    );
    // A webhook bot must present its botToken.
    let hook = Api::webhook(&s, 1, "unused").await;
    let Api::Webhook { hook: url, .. } = &hook else { unreachable!() };
    let r = s.post_json(&format!("{url}imbot.v2.Chat.get"), &body(json!({}))).await;
    assert_error(&r, 400, "BOT_TOKEN_NOT_SPECIFIED");
}

#[tokio::test]
async fn the_text_field_switch_shows_in_the_chat_and_works_in_private_dialogs() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "buttons").await;
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "start").await;
    let dialog = anna.id.to_string();
    let field = |on: Value| json!({"botId": bot, "dialogId": dialog, "enabled": on});
    assert_eq!(api.ok(&s, "imbot.v2.Chat.TextField.enabled", field(json!(false))).await, json!({"result": true}));
    let chat = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": dialog})).await["chat"].clone();
    assert_eq!(chat["textFieldEnabled"], "N");
    // "N" as a form client sends it, then back on by default.
    assert_eq!(api.ok(&s, "imbot.v2.Chat.TextField.enabled", field(json!("Y"))).await, json!({"result": true}));
    assert_eq!(
        api.ok(&s, "imbot.v2.Chat.TextField.enabled", json!({"botId": bot, "dialogId": dialog})).await,
        json!({"result": true})
    );
    let chat = api.ok(&s, "imbot.v2.Chat.get", json!({"botId": bot, "dialogId": dialog})).await["chat"].clone();
    assert_eq!(chat["textFieldEnabled"], "Y");
    assert_error(&api.call(&s, "imbot.v2.Chat.TextField.enabled", field(json!("maybe"))).await, 400, "ERROR_ARGUMENT");
    let ben = person(&s, "Ben Kraus").await;
    assert_error(
        &api.call(
            &s,
            "imbot.v2.Chat.TextField.enabled",
            json!({"botId": bot, "dialogId": ben.id.to_string(), "enabled": false}),
        )
        .await,
        400,
        "ACCESS_DENIED",
    );
    assert_error(
        &api.call(&s, "imbot.v2.Chat.InputAction.notify", json!({"botId": bot, "dialogId": ben.id.to_string()})).await,
        400,
        "ACCESS_DENIED",
    );
}

#[tokio::test]
async fn a_bots_colour_is_its_users_colour_in_both_apis() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let r = api
        .ok(
            &s,
            "imbot.v2.Bot.register",
            json!({"fields": {"code": "painted", "properties": {"name": "P", "color": "aqua"}}}),
        )
        .await;
    let bot = r["bot"]["id"].as_i64().unwrap();
    assert_eq!(r["users"][0]["color"], "#1eb4aa");
    let r = api
        .ok(&s, "imbot.v2.Bot.update", json!({"botId": bot, "fields": {"properties": {"color": "lightBlue"}}}))
        .await;
    assert_eq!(r["users"][0]["color"], "#4ba5c3");
    // Other properties leave the colour alone.
    let r = api
        .ok(&s, "imbot.v2.Bot.update", json!({"botId": bot, "fields": {"properties": {"workPosition": "Painter"}}}))
        .await;
    assert_eq!(r["users"][0]["color"], "#4ba5c3");
    // A v1 bot's PROPERTIES.COLOR, as v1 user objects show it.
    let v1 = Api::webhook(&s, 1, "v1painter").await;
    let body = json!({"CODE": "v1painted", "EVENT_HANDLER": "http://127.0.0.1:9/h",
        "PROPERTIES": {"NAME": "Old", "COLOR": "AZURE"}});
    let old = v1.ok(&s, "imbot.register", body).await.as_i64().unwrap();
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, old, "hi").await;
    let users = anna.ok(&s, "im.dialog.users.list", json!({"DIALOG_ID": old})).await;
    let shown = users.as_array().unwrap().iter().find(|u| u["id"] == old).unwrap_or_else(|| panic!("{users}")).clone();
    assert_eq!(shown["color"], "#29619b");
}
