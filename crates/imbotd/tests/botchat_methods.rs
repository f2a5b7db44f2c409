//! The bot chat methods over HTTP, against their pages (`api-reference__chat-bots__outdated__chats__*`) and
//! SPEC-NOTES §5.10: `imbot.dialog.get`, `imbot.chat.add`, `imbot.chat.get`, `imbot.chat.leave`,
//! `imbot.chat.user.add/delete/list`, `imbot.chat.setOwner/setManager`, `imbot.chat.updateTitle/Color/Avatar`,
//! `imbot.chat.sendTyping` and its alias `imbot.sendTyping`: results, effects seen by people, every error of
//! every page's table with its HTTP status (or why it cannot happen here).

mod bot_util;
mod common;

use base64::Engine as _;
use bot_util::*;
use common::{assert_error, TestServer, DIALOG_KEYS};
use imbotd::messenger::Live;
use serde_json::{json, Value};

/// A 1×1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const RESTRICTION_KEYS: &[&str] =
    &["avatar", "rename", "extend", "call", "mute", "leave", "leave_owner", "send", "user_list"];

/// A server, a bot of a webhook app (`CLIENT_ID=botchat` on the admin's webhook), and three people.
struct Fx {
    s: TestServer,
    _h: Handler,
    api: Api,
    bot: i64,
    anna: Person,
    boris: Person,
    carl: Person,
    /// Anna's webhook with `im,imbot` (for `imbot.dialog.get` / `imbot.chat.get` as a person).
    anna_imbot: String,
}

async fn fx() -> Fx {
    let s = server().await;
    let h = Handler::start().await;
    let anna = person(&s, "Anna Smith").await;
    let boris = person(&s, "Boris Ivanov").await;
    let carl = person(&s, "Carl Berg").await;
    let api = Api::webhook(&s, 1, "botchat").await;
    let bot = api.register(&s, "chatbot", "B", &h.url("/bot")).await;
    let anna_imbot = s.webhook_for(anna.id, "im,imbot").await;
    Fx { s, _h: h, api, bot, anna, boris, carl, anna_imbot }
}

impl Fx {
    async fn call(&self, method: &str, body: Value) -> Resp {
        self.api.call(&self.s, method, body).await
    }

    async fn ok(&self, method: &str, body: Value) -> Value {
        self.api.ok(&self.s, method, body).await
    }

    /// A chat created by the bot with `users`; returns its id.
    async fn bot_chat(&self, users: &[i64]) -> i64 {
        let r = self.ok("imbot.chat.add", json!({"TITLE": "Bot chat", "USERS": users, "MESSAGE": "Welcome!"})).await;
        r.as_i64().unwrap_or_else(|| panic!("imbot.chat.add result is an int: {r}"))
    }

    /// The bot's members list of `chat`.
    async fn members(&self, chat: i64) -> Value {
        self.ok("imbot.chat.user.list", json!({"CHAT_ID": chat})).await
    }

    /// `imbot.dialog.get` as Anna.
    async fn anna_dialog(&self, dialog: impl ToString) -> Value {
        let r = self
            .s
            .post_json(&format!("{}imbot.dialog.get", self.anna_imbot), &json!({"DIALOG_ID": dialog.to_string()}))
            .await;
        assert_eq!(r.0, 200, "{}", r.2);
        r.2["result"].clone()
    }

    /// The id of the private chat between Anna and the bot.
    async fn private_chat(&self) -> i64 {
        let d = self.anna.ok(&self.s, "im.dialog.get", json!({"DIALOG_ID": self.bot.to_string()})).await;
        d["id"].as_i64().unwrap_or_else(|| panic!("private chat id: {d}"))
    }
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default()
}

#[tokio::test]
async fn chat_add_as_in_the_doc_example_creates_a_chat_the_bot_owns() {
    let f = fx().await;
    // The doc's sample body (its AVATAR is a truncated sample, accepted and not stored).
    let r = f
        .call(
            "imbot.chat.add",
            json!({
                "TYPE": "CHAT", "TITLE": "New Chat", "DESCRIPTION": "Important News", "COLOR": "GREEN",
                "MESSAGE": "Welcome!", "USERS": [f.anna.id], "AVATAR": "/9j/4AAQSkZJRgABAQEBLAEsAAD/4QBwRXhp...+gKlSv+1v/2Q==",
                "ENTITY_TYPE": "CHAT", "ENTITY_ID": "13", "BOT_ID": f.bot
            }),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(keys(&r.2), ["result", "time"]);
    let chat = r.2["result"].as_i64().unwrap_or_else(|| panic!("an int chat id: {}", r.2));

    // What a member sees: the doc's object, key for key, with the chat's values.
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!(keys(&d), DIALOG_KEYS, "{d}");
    assert_eq!(&keys(&d["restrictions"])[..RESTRICTION_KEYS.len()], RESTRICTION_KEYS, "{d}");
    assert_eq!(d["id"], chat);
    assert_eq!(d["parent_chat_id"], 0);
    assert_eq!(d["name"], "New Chat");
    assert_eq!(d["description"], "Important News");
    assert_eq!(d["owner"], f.bot);
    assert_eq!(d["extranet"], false);
    assert_eq!(d["color"], "#64a513", "GREEN");
    assert_eq!(d["type"], "chat");
    assert_eq!(d["user_counter"], 2);
    assert_eq!(d["entity_type"], "CHAT");
    assert_eq!(d["entity_id"], "13");
    assert_eq!(d["mute_list"], json!([]));
    assert_eq!(d["message_type"], "C");
    assert_eq!(d["role"], "member");
    assert_eq!(d["text_field_enabled"], true);
    assert_eq!(d["background_id"], Value::Null);
    assert_eq!(
        d["permissions"],
        json!({"manage_users_add": "member", "manage_users_delete": "manager", "manage_ui": "member",
               "manage_settings": "owner", "manage_messages": "member", "can_post": "member"})
    );
    assert_eq!(d["is_new"], false);
    assert_eq!(d["manager_list"], json!([f.bot]));
    assert_eq!(d["readed_list"][0]["user_id"], f.bot);
    assert_eq!(d["readed_list"][0]["user_name"], "Bot chatbot");
    assert_eq!(d["dialog_id"], format!("chat{chat}"));

    // The bot's first message is there, from the bot; the members are Anna and the bot.
    let msgs = f.anna.messages(&f.s, format!("chat{chat}")).await;
    assert!(msgs.iter().any(|m| m["text"] == "Welcome!" && m["author_id"] == f.bot), "{msgs:?}");
    let mut expected = vec![f.anna.id, f.bot];
    expected.sort();
    assert_eq!(f.members(chat).await, json!(expected));
}

#[tokio::test]
async fn chat_add_open_chats_users_as_a_json_string_and_the_first_bot_by_default() {
    let f = fx().await;
    // TYPE=OPEN; no BOT_ID: the app's first bot; USERS as a JSON string.
    let users = format!("[{},{}]", f.anna.id, f.boris.id);
    let chat = f.ok("imbot.chat.add", json!({"TYPE": "OPEN", "TITLE": "Open", "USERS": users})).await;
    let chat = chat.as_i64().expect("int");
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!((d["type"].clone(), d["message_type"].clone()), (json!("open"), json!("O")));
    assert_eq!(d["owner"], f.bot);
    assert_eq!(d["user_counter"], 3);
    // Form encoding works the same way (a PHP bot).
    let hook = match &f.api {
        Api::Webhook { hook, .. } => hook.clone(),
        _ => unreachable!(),
    };
    let r =
        f.s.post_form(
            &format!("{hook}imbot.chat.add"),
            &format!("CLIENT_ID=botchat&TITLE=Form&USERS%5B0%5D={}", f.carl.id),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    let chat = r.2["result"].as_i64().expect("int");
    assert_eq!(f.members(chat).await.as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn chat_add_errors() {
    let f = fx().await;
    // INVALID_FORMAT: an entry that is neither an integer nor a string (PHP-empty entries are dropped first).
    for users in [json!([1.5]), json!([true]), json!([{"ID": f.anna.id}]), json!([[f.anna.id]])] {
        let r = f.call("imbot.chat.add", json!({"TITLE": "T", "USERS": users})).await;
        assert_error(&r, 400, "INVALID_FORMAT");
    }
    let r = f
        .call("imbot.chat.add", json!({"TITLE": "T", "USERS": [f.anna.id.to_string(), "nobody", null, 0, false]}))
        .await;
    assert_eq!(r.0, 200, "strings and empty entries are fine: {}", r.2);
    let chat = r.2["result"].as_i64().expect("int");
    let mut expected = vec![f.anna.id, f.bot];
    expected.sort();
    assert_eq!(f.members(chat).await, json!(expected));
    // BOT_ID_ERROR, APP_ID_ERROR.
    assert_error(&f.call("imbot.chat.add", json!({"BOT_ID": 999999})).await, 400, "BOT_ID_ERROR");
    let other = Api::webhook(&f.s, 1, "other").await;
    let other_bot = other.register(&f.s, "otherbot", "B", "http://127.0.0.1:9/x").await;
    assert_error(&f.call("imbot.chat.add", json!({"BOT_ID": other_bot})).await, 400, "APP_ID_ERROR");
    // WRONG_REQUEST "Chat can't be created" has no trigger here: creating a chat cannot fail for a valid bot.
}

#[tokio::test]
async fn every_bot_chat_method_checks_the_app_and_the_bot() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    let other = Api::webhook(&f.s, 1, "other").await;
    let other_bot = other.register(&f.s, "otherbot", "B", "http://127.0.0.1:9/x").await;
    let no_bots = Api::webhook(&f.s, 1, "nobots").await;
    let hook = match &f.api {
        Api::Webhook { hook, .. } => hook.clone(),
        _ => unreachable!(),
    };
    let calls: Vec<(&str, Value)> = vec![
        ("imbot.chat.add", json!({"TITLE": "T"})),
        ("imbot.chat.leave", json!({"CHAT_ID": chat})),
        ("imbot.chat.user.add", json!({"CHAT_ID": chat, "USERS": [f.boris.id]})),
        ("imbot.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": f.anna.id})),
        ("imbot.chat.user.list", json!({"CHAT_ID": chat})),
        ("imbot.chat.setOwner", json!({"CHAT_ID": chat, "USER_ID": f.anna.id})),
        ("imbot.chat.setManager", json!({"CHAT_ID": chat, "USER_ID": f.anna.id})),
        ("imbot.chat.updateTitle", json!({"CHAT_ID": chat, "TITLE": "T"})),
        ("imbot.chat.updateColor", json!({"CHAT_ID": chat, "COLOR": "RED"})),
        ("imbot.chat.updateAvatar", json!({"CHAT_ID": chat, "AVATAR": PNG})),
        ("imbot.chat.sendTyping", json!({"DIALOG_ID": f.anna.id.to_string()})),
        ("imbot.sendTyping", json!({"DIALOG_ID": f.anna.id.to_string()})),
    ];
    for (method, body) in calls {
        let mut b = body.clone();
        b["BOT_ID"] = json!(999999);
        assert_error(&f.call(method, b).await, 400, "BOT_ID_ERROR");
        let mut b = body.clone();
        b["BOT_ID"] = json!(other_bot);
        assert_error(&f.call(method, b).await, 400, "APP_ID_ERROR");
        // An app without bots has no default bot.
        assert_error(&no_bots.call(&f.s, method, body.clone()).await, 400, "BOT_ID_ERROR");
        // A webhook call without CLIENT_ID has no app.
        assert_error(&f.s.post_json(&format!("{hook}{method}"), &body).await, 403, "ACCESS_DENIED");
    }
    // Nothing changed on the way.
    let mut expected = vec![f.anna.id, f.bot];
    expected.sort();
    assert_eq!(f.members(chat).await, json!(expected));
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!((d["name"].clone(), d["owner"].clone()), (json!("Bot chat"), json!(f.bot)));
}

#[tokio::test]
async fn chat_get_finds_the_chat_of_an_entity_for_any_caller() {
    let f = fx().await;
    let chat = f
        .ok("imbot.chat.add", json!({"TITLE": "Deal", "USERS": [f.anna.id], "ENTITY_TYPE": "CHAT", "ENTITY_ID": "13"}))
        .await;
    let chat = chat.as_i64().expect("int");
    let hook = match &f.api {
        Api::Webhook { hook, .. } => hook.clone(),
        _ => unreachable!(),
    };
    // The doc's webhook sample: no CLIENT_ID, no BOT_ID; the caller (the admin) is not even a member.
    let r = f.s.post_json(&format!("{hook}imbot.chat.get"), &json!({"ENTITY_TYPE": "CHAT", "ENTITY_ID": "13"})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(keys(&r.2), ["result", "time"]);
    assert_eq!(r.2["result"], json!({"ID": chat}));
    // With CLIENT_ID too, and as a person.
    assert_eq!(f.ok("imbot.chat.get", json!({"ENTITY_TYPE": "CHAT", "ENTITY_ID": "13"})).await, json!({"ID": chat}));
    let r =
        f.s.post_json(&format!("{}imbot.chat.get", f.anna_imbot), &json!({"ENTITY_TYPE": "CHAT", "ENTITY_ID": "13"}))
            .await;
    assert_eq!(r.2["result"], json!({"ID": chat}));
    // `null` when a part is missing or empty, or nothing is bound to the pair (never an error).
    for body in [
        json!({"ENTITY_TYPE": "CHAT"}),
        json!({"ENTITY_ID": "13"}),
        json!({"ENTITY_TYPE": "CHAT", "ENTITY_ID": ""}),
        json!({"ENTITY_TYPE": "CHAT", "ENTITY_ID": "14"}),
        json!({"ENTITY_TYPE": "LEAD", "ENTITY_ID": "13"}),
        json!({}),
    ] {
        let r = f.s.post_json(&format!("{hook}imbot.chat.get"), &body).await;
        assert_eq!(r.0, 200, "{body} → {}", r.2);
        assert_eq!(keys(&r.2), ["result", "time"], "{body}");
        assert_eq!(r.2["result"], Value::Null, "{body}");
    }
    // The undocumented DIALOG_ID form: the full chat object, for the caller.
    let r =
        f.s.post_json(&format!("{}imbot.chat.get", f.anna_imbot), &json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(keys(&r.2["result"]), DIALOG_KEYS);
    assert_eq!(r.2["result"]["role"], "member");
    let r = f.s.post_json(&format!("{hook}imbot.chat.get"), &json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    let r = f.s.post_json(&format!("{hook}imbot.chat.get"), &json!({"DIALOG_ID": "nonsense"})).await;
    assert_error(&r, 400, "DIALOG_ID_EMPTY");
    // AUTHORIZE_ERROR (guest session) cannot happen: every call here is authenticated.
}

#[tokio::test]
async fn dialog_get_answers_for_the_calling_user() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    // A private dialog with the bot: no CLIENT_ID needed.
    let d = f.anna_dialog(f.bot).await;
    assert_eq!(keys(&d), DIALOG_KEYS);
    assert_eq!(d["type"], "private");
    assert_eq!(d["message_type"], "P");
    assert_eq!(d["name"], "Bot chatbot");
    assert_eq!(d["dialog_id"], f.bot.to_string());
    // The group chat, as a member.
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!((d["id"].clone(), d["role"].clone()), (json!(chat), json!("member")));
    // The bot's app calling through the admin's webhook: access is the admin's, who is not a member.
    assert_error(&f.call("imbot.dialog.get", json!({"DIALOG_ID": format!("chat{chat}")})).await, 403, "ACCESS_ERROR");
    let boris_imbot = f.s.webhook_for(f.boris.id, "im,imbot").await;
    let r =
        f.s.post_json(&format!("{boris_imbot}imbot.dialog.get"), &json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    let r = f.s.post_json(&format!("{boris_imbot}imbot.dialog.get"), &json!({"DIALOG_ID": "chat999999"})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    for body in [json!({}), json!({"DIALOG_ID": ""}), json!({"DIALOG_ID": "chatX"})] {
        let r = f.s.post_json(&format!("{boris_imbot}imbot.dialog.get"), &body).await;
        assert_error(&r, 400, "DIALOG_ID_EMPTY");
    }
    // The 400 "You don't have access to this chat" flavour needs a dialog without a chat after the access check;
    // here a private dialog's chat is created on access, so it does not occur.
}

#[tokio::test]
async fn chat_user_add_adds_people_with_or_without_history() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    let r = f.call("imbot.chat.user.add", json!({"CHAT_ID": chat, "USERS": [f.boris.id], "HIDE_HISTORY": "N"})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    // Default HIDE_HISTORY (Y): Carl sees nothing from before.
    assert_eq!(f.ok("imbot.chat.user.add", json!({"CHAT_ID": chat, "USERS": [f.carl.id]})).await, true);
    let members = f.members(chat).await;
    for id in [f.anna.id, f.boris.id, f.carl.id, f.bot] {
        assert!(members.as_array().unwrap().contains(&json!(id)), "{id} in {members}");
    }
    assert_eq!(members.as_array().unwrap().len(), 4);
    let seen = |msgs: Vec<Value>| msgs.iter().any(|m| m["text"] == "Welcome!");
    assert!(seen(f.boris.messages(&f.s, format!("chat{chat}")).await), "HIDE_HISTORY=N shows the history");
    assert!(!seen(f.carl.messages(&f.s, format!("chat{chat}")).await), "the default hides it");
}

#[tokio::test]
async fn chat_user_add_errors() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    assert_error(&f.call("imbot.chat.user.add", json!({"USERS": [f.boris.id]})).await, 400, "CHAT_ID_EMPTY");
    // WRONG_REQUEST: no users; nobody new; a chat the bot is not in; no such chat.
    assert_error(&f.call("imbot.chat.user.add", json!({"CHAT_ID": chat})).await, 400, "WRONG_REQUEST");
    assert_error(
        &f.call("imbot.chat.user.add", json!({"CHAT_ID": chat, "USERS": [f.anna.id]})).await,
        400,
        "WRONG_REQUEST",
    );
    let annas = f.anna.chat(&f.s, &[f.boris.id]).await;
    let r = f.call("imbot.chat.user.add", json!({"CHAT_ID": annas, "USERS": [f.carl.id]})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    let r = f.call("imbot.chat.user.add", json!({"CHAT_ID": 999999, "USERS": [f.carl.id]})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    // ACCESS_ERROR "It is forbidden to add users to this chat": a private dialog.
    let private = f.private_chat().await;
    let r = f.call("imbot.chat.user.add", json!({"CHAT_ID": private, "USERS": [f.carl.id]})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    // ACCESS_ERROR "Action unavailable" is the general chat's, which this server does not have.
    // Nothing was added anywhere.
    assert!(!f.members(chat).await.as_array().unwrap().contains(&json!(f.carl.id)));
    let list = f.anna.ok(&f.s, "im.chat.user.list", json!({"CHAT_ID": annas})).await;
    assert!(!list.as_array().unwrap().contains(&json!(f.carl.id)), "{list}");
}

#[tokio::test]
async fn chat_user_delete_removes_a_member() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id, f.boris.id]).await;
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": f.boris.id})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    let mut expected = vec![f.anna.id, f.bot];
    expected.sort();
    assert_eq!(f.members(chat).await, json!(expected));
    // DIALOG_ID=chatN works in place of CHAT_ID.
    assert_eq!(
        f.ok("imbot.chat.user.delete", json!({"DIALOG_ID": format!("chat{chat}"), "USER_ID": f.anna.id})).await,
        true
    );
    assert_eq!(f.members(chat).await, json!([f.bot]));
}

#[tokio::test]
async fn chat_user_delete_errors() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    assert_error(&f.call("imbot.chat.user.delete", json!({"USER_ID": f.anna.id})).await, 400, "CHAT_ID_EMPTY");
    assert_error(&f.call("imbot.chat.user.delete", json!({"CHAT_ID": chat})).await, 400, "USER_ID_EMPTY");
    // WRONG_REQUEST: the user is not a member; no such chat; the bot is not a member; the bot has no right.
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": f.boris.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": 999999, "USER_ID": f.boris.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    let annas = f.anna.chat(&f.s, &[f.boris.id]).await;
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": annas, "USER_ID": f.boris.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    f.anna.ok(&f.s, "im.chat.user.add", json!({"CHAT_ID": annas, "USERS": [f.bot]})).await;
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": annas, "USER_ID": f.boris.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    // ACCESS_ERROR LEAVE_OWNER_FORBIDDEN: the owner — another user, or the bot itself.
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": annas, "USER_ID": f.anna.id})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": chat, "USER_ID": f.bot})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    // ACCESS_ERROR "It is forbidden to delete users of this chat": a private dialog.
    let private = f.private_chat().await;
    let r = f.call("imbot.chat.user.delete", json!({"CHAT_ID": private, "USER_ID": f.anna.id})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    // Nobody was removed.
    let mut expected = vec![f.anna.id, f.bot];
    expected.sort();
    assert_eq!(f.members(chat).await, json!(expected));
    let list = f.anna.ok(&f.s, "im.chat.user.list", json!({"CHAT_ID": annas})).await;
    assert_eq!(list.as_array().map(Vec::len), Some(3), "{list}");
}

#[tokio::test]
async fn chat_leave() {
    let f = fx().await;
    let annas = f.anna.chat(&f.s, &[f.boris.id, f.bot]).await;
    let r = f.call("imbot.chat.leave", json!({"CHAT_ID": annas})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    let list = f.anna.ok(&f.s, "im.chat.user.list", json!({"CHAT_ID": annas})).await;
    assert!(!list.as_array().unwrap().contains(&json!(f.bot)), "{list}");
    // WRONG_REQUEST: not (or no longer) a member; no such chat.
    assert_error(&f.call("imbot.chat.leave", json!({"CHAT_ID": annas})).await, 400, "WRONG_REQUEST");
    assert_error(&f.call("imbot.chat.leave", json!({"CHAT_ID": 999999})).await, 400, "WRONG_REQUEST");
    assert_error(&f.call("imbot.chat.leave", json!({})).await, 400, "CHAT_ID_EMPTY");
    // LEAVE_OWNER_FORBIDDEN until the bot hands the chat over.
    let chat = f.bot_chat(&[f.anna.id]).await;
    assert_error(&f.call("imbot.chat.leave", json!({"CHAT_ID": chat})).await, 403, "ACCESS_ERROR");
    assert_eq!(f.ok("imbot.chat.setOwner", json!({"CHAT_ID": chat, "USER_ID": f.anna.id})).await, true);
    assert_eq!(f.ok("imbot.chat.leave", json!({"DIALOG_ID": format!("chat{chat}")})).await, true);
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!((d["owner"].clone(), d["user_counter"].clone()), (json!(f.anna.id), json!(1)));
    // "It is forbidden to delete users of this chat": a private dialog cannot be left.
    let private = f.private_chat().await;
    assert_error(&f.call("imbot.chat.leave", json!({"CHAT_ID": private})).await, 403, "ACCESS_ERROR");
    // ACCESS_ERROR "Action unavailable" is the general chat's, which this server does not have.
}

#[tokio::test]
async fn chat_user_list() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id, f.boris.id]).await;
    let r = f.call("imbot.chat.user.list", json!({"CHAT_ID": chat})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(keys(&r.2), ["result", "time"]);
    let mut expected = vec![f.anna.id, f.boris.id, f.bot];
    expected.sort();
    assert_eq!(r.2["result"], json!(expected), "a bare array of int ids");
    assert_eq!(f.ok("imbot.chat.user.list", json!({"DIALOG_ID": format!("chat{chat}")})).await, json!(expected));
    // An open chat is readable without membership; a closed one is not.
    let open = f.anna.ok(&f.s, "im.chat.add", json!({"TYPE": "OPEN", "TITLE": "Open", "USERS": [f.carl.id]})).await;
    let mut expected = vec![f.anna.id, f.carl.id];
    expected.sort();
    assert_eq!(f.ok("imbot.chat.user.list", json!({"CHAT_ID": open})).await, json!(expected));
    let closed = f.anna.chat(&f.s, &[f.carl.id]).await;
    assert_error(&f.call("imbot.chat.user.list", json!({"CHAT_ID": closed})).await, 403, "ACCESS_ERROR");
    assert_error(&f.call("imbot.chat.user.list", json!({})).await, 400, "CHAT_ID_EMPTY");
}

#[tokio::test]
async fn set_manager_and_set_owner() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id, f.boris.id]).await;
    // The doc's method names are camelCase; IS_MANAGER defaults to Y.
    let r = f.call("imbot.chat.setManager", json!({"CHAT_ID": chat, "USER_ID": f.anna.id})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!(d["role"], "manager");
    let mut managers = vec![f.anna.id, f.bot];
    managers.sort();
    let mut got: Vec<i64> = d["manager_list"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    got.sort();
    assert_eq!(got, managers);
    assert_eq!(
        f.ok("imbot.chat.setManager", json!({"CHAT_ID": chat, "USER_ID": f.anna.id, "IS_MANAGER": "N"})).await,
        true
    );
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!((d["role"].clone(), d["manager_list"].clone()), (json!("member"), json!([f.bot])));
    // WRONG_REQUEST: the user is not a member.
    let r = f.call("imbot.chat.setManager", json!({"CHAT_ID": chat, "USER_ID": f.carl.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    let r = f.call("imbot.chat.setOwner", json!({"CHAT_ID": chat, "USER_ID": f.carl.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");

    // setOwner hands the chat to Anna; then the bot is no longer the owner and can change neither.
    let r = f.call("imbot.chat.setOwner", json!({"CHAT_ID": chat, "USER_ID": f.anna.id})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!((d["owner"].clone(), d["role"].clone()), (json!(f.anna.id), json!("owner")));
    let r = f.call("imbot.chat.setOwner", json!({"CHAT_ID": chat, "USER_ID": f.boris.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    let r = f.call("imbot.chat.setManager", json!({"CHAT_ID": chat, "USER_ID": f.boris.id})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!(d["owner"], f.anna.id);

    // The other errors of both tables.
    let private = f.private_chat().await;
    for method in ["imbot.chat.setOwner", "imbot.chat.setManager"] {
        assert_error(&f.call(method, json!({"USER_ID": f.anna.id})).await, 400, "CHAT_ID_EMPTY");
        assert_error(&f.call(method, json!({"CHAT_ID": chat})).await, 400, "USER_ID_EMPTY");
        assert_error(&f.call(method, json!({"CHAT_ID": 999999, "USER_ID": f.anna.id})).await, 400, "WRONG_REQUEST");
        assert_error(&f.call(method, json!({"CHAT_ID": private, "USER_ID": f.anna.id})).await, 400, "WRONG_REQUEST");
    }
    // setOwner's ACCESS_ERROR "Action unavailable" is the general chat's, which this server does not have.
}

#[tokio::test]
async fn update_title() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    // Whitespace and line breaks are trimmed.
    let r = f.call("imbot.chat.updateTitle", json!({"CHAT_ID": chat, "TITLE": "  New Chat Name \n"})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    assert_eq!(f.anna_dialog(format!("chat{chat}")).await["name"], "New Chat Name");
    assert_error(&f.call("imbot.chat.updateTitle", json!({"TITLE": "X"})).await, 400, "CHAT_ID_EMPTY");
    for title in [json!(" \n "), json!("")] {
        assert_error(
            &f.call("imbot.chat.updateTitle", json!({"CHAT_ID": chat, "TITLE": title})).await,
            400,
            "TITLE_EMPTY",
        );
    }
    assert_error(&f.call("imbot.chat.updateTitle", json!({"CHAT_ID": chat})).await, 400, "TITLE_EMPTY");
    // ACCESS_ERROR: not a member ("Action unavailable"), no such chat, a private dialog ("cannot be renamed").
    let annas = f.anna.chat(&f.s, &[f.boris.id]).await;
    let r = f.call("imbot.chat.updateTitle", json!({"CHAT_ID": annas, "TITLE": "Mine"})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    assert_error(
        &f.call("imbot.chat.updateTitle", json!({"CHAT_ID": 999999, "TITLE": "X"})).await,
        403,
        "ACCESS_ERROR",
    );
    let private = f.private_chat().await;
    assert_error(
        &f.call("imbot.chat.updateTitle", json!({"CHAT_ID": private, "TITLE": "X"})).await,
        403,
        "ACCESS_ERROR",
    );
    let d = f.anna.ok(&f.s, "im.dialog.get", json!({"DIALOG_ID": format!("chat{annas}")})).await;
    assert_eq!(d["name"], "Team");
}

#[tokio::test]
async fn update_color() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    let r = f.call("imbot.chat.updateColor", json!({"CHAT_ID": chat, "COLOR": "PINK"})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"], true);
    assert_eq!(f.anna_dialog(format!("chat{chat}")).await["color"], "#f76187");
    // WRONG_REQUEST: the colour is already set; no such chat.
    assert_error(
        &f.call("imbot.chat.updateColor", json!({"CHAT_ID": chat, "COLOR": "PINK"})).await,
        400,
        "WRONG_REQUEST",
    );
    assert_error(
        &f.call("imbot.chat.updateColor", json!({"CHAT_ID": 999999, "COLOR": "RED"})).await,
        400,
        "WRONG_REQUEST",
    );
    // WRONG_COLOR: not one of the 16 names.
    for color in [json!("ORANGE"), json!(""), json!("#ff0000")] {
        assert_error(
            &f.call("imbot.chat.updateColor", json!({"CHAT_ID": chat, "COLOR": color})).await,
            400,
            "WRONG_COLOR",
        );
    }
    assert_error(&f.call("imbot.chat.updateColor", json!({"CHAT_ID": chat})).await, 400, "WRONG_COLOR");
    assert_error(&f.call("imbot.chat.updateColor", json!({"COLOR": "RED"})).await, 400, "CHAT_ID_EMPTY");
    // ACCESS_ERROR: a chat the bot is not in; a private dialog.
    let annas = f.anna.chat(&f.s, &[f.boris.id]).await;
    assert_error(
        &f.call("imbot.chat.updateColor", json!({"CHAT_ID": annas, "COLOR": "RED"})).await,
        403,
        "ACCESS_ERROR",
    );
    let private = f.private_chat().await;
    assert_error(
        &f.call("imbot.chat.updateColor", json!({"CHAT_ID": private, "COLOR": "RED"})).await,
        403,
        "ACCESS_ERROR",
    );
    assert_eq!(f.anna_dialog(format!("chat{chat}")).await["color"], "#f76187");
}

/// A PNG header of `w`×`h` (enough for the size check).
fn png_of(w: u32, h: u32) -> String {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// A JPEG whose first frame is `w`×`h` (after an APP0 segment).
fn jpeg_of(w: u16, h: u16) -> String {
    let mut b = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    b.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 0x08]);
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// A GIF header of `w`×`h`.
fn gif_of(w: u16, h: u16) -> String {
    let mut b = b"GIF89a".to_vec();
    b.extend_from_slice(&w.to_le_bytes());
    b.extend_from_slice(&h.to_le_bytes());
    b.extend_from_slice(&[0, 0, 0, 0x3b]);
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[tokio::test]
async fn update_avatar() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    for avatar in
        [PNG.to_owned(), format!("data:image/png;base64,{PNG}"), png_of(5000, 5000), jpeg_of(640, 480), gif_of(16, 16)]
    {
        let r = f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": chat, "AVATAR": avatar})).await;
        assert_eq!(r.0, 200, "{avatar}: {}", r.2);
        assert_eq!(r.2["result"], true);
    }
    // AVATAR_ERROR: not an image ("incorrect type"); larger than 5000×5000 ("incorrect size").
    let text = base64::engine::general_purpose::STANDARD.encode("just some text");
    for avatar in [text, "%%%not base64%%%".to_owned(), String::new()] {
        let r = f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": chat, "AVATAR": avatar})).await;
        assert_error(&r, 400, "AVATAR_ERROR");
        assert_eq!(r.2["error_description"], "Avatar incorrect type");
    }
    for avatar in [png_of(5001, 10), png_of(10, 6000), jpeg_of(6000, 10), gif_of(10, 5001), png_of(0, 10)] {
        let r = f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": chat, "AVATAR": avatar})).await;
        assert_error(&r, 400, "AVATAR_ERROR");
        assert_eq!(r.2["error_description"], "Avatar incorrect size (max 5000x5000)");
    }
    assert_error(&f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": chat})).await, 400, "AVATAR_ERROR");
    assert_error(&f.call("imbot.chat.updateAvatar", json!({"AVATAR": PNG})).await, 400, "CHAT_ID_EMPTY");
    // WRONG_REQUEST "Chat doesn't exist".
    assert_error(
        &f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": 999999, "AVATAR": PNG})).await,
        400,
        "WRONG_REQUEST",
    );
    // ACCESS_ERROR: a chat the bot is not in; a private dialog ("The avatar of this chat cannot be changed").
    let annas = f.anna.chat(&f.s, &[f.boris.id]).await;
    assert_error(
        &f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": annas, "AVATAR": PNG})).await,
        403,
        "ACCESS_ERROR",
    );
    let private = f.private_chat().await;
    assert_error(
        &f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": private, "AVATAR": PNG})).await,
        403,
        "ACCESS_ERROR",
    );
    // ACCESS_DENIED (403) is what a call without an app gets (see every_bot_chat_method_checks_the_app_and_the_bot).
}

/// Set a chat's right column (`manage_ui`, `manage_users_add` …) the way an administrator's tool would: no API
/// changes rights, so straight in the database.
async fn set_right(s: &TestServer, chat: i64, column: &str, value: &str) {
    let pool = s.db_pool().await;
    sqlx::query(&format!("UPDATE chats SET {column} = $1 WHERE id = $2"))
        .bind(value)
        .bind(chat)
        .execute(&pool)
        .await
        .expect("update the chat");
    pool.close().await;
}

#[tokio::test]
async fn chats_whose_rights_forbid_the_change() {
    let f = fx().await;
    // Nobody may change the look: "cannot be renamed" / "avatar … cannot be changed" (403 ACCESS_ERROR).
    let chat = f.bot_chat(&[f.anna.id]).await;
    set_right(&f.s, chat, "manage_ui", "none").await;
    let r = f.call("imbot.chat.updateTitle", json!({"CHAT_ID": chat, "TITLE": "X"})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    assert_eq!(r.2["error_description"], "This chat cannot be renamed");
    let r = f.call("imbot.chat.updateAvatar", json!({"CHAT_ID": chat, "AVATAR": PNG})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    assert_eq!(r.2["error_description"], "The avatar of this chat cannot be changed");
    assert_error(
        &f.call("imbot.chat.updateColor", json!({"CHAT_ID": chat, "COLOR": "RED"})).await,
        403,
        "ACCESS_ERROR",
    );
    // Nobody may add: "It is forbidden to add users to this chat".
    set_right(&f.s, chat, "manage_users_add", "none").await;
    let r = f.call("imbot.chat.user.add", json!({"CHAT_ID": chat, "USERS": [f.boris.id]})).await;
    assert_error(&r, 403, "ACCESS_ERROR");
    assert_eq!(r.2["error_description"], "It is forbidden to add users to this chat");
    // Only the owner may add, and the bot is a plain member: the bot has no access (400 WRONG_REQUEST).
    let annas = f.anna.chat(&f.s, &[f.bot]).await;
    set_right(&f.s, annas, "manage_users_add", "owner").await;
    let r = f.call("imbot.chat.user.add", json!({"CHAT_ID": annas, "USERS": [f.boris.id]})).await;
    assert_error(&r, 400, "WRONG_REQUEST");
    assert_eq!(r.2["error_description"], "You don't have access or user already member in chat");
    let d = f.anna_dialog(format!("chat{chat}")).await;
    assert_eq!((d["name"].clone(), d["user_counter"].clone()), (json!("Bot chat"), json!(2)));
}

/// The next live event already sent that is not a bare `Changed` notice.
fn next_not_changed(
    live: &mut tokio::sync::broadcast::Receiver<Live>,
) -> Result<Live, tokio::sync::broadcast::error::TryRecvError> {
    loop {
        match live.try_recv() {
            Ok(Live::Changed) => continue,
            other => return other,
        }
    }
}

#[tokio::test]
async fn send_typing_and_its_alias() {
    let f = fx().await;
    let chat = f.bot_chat(&[f.anna.id]).await;
    let mut live = f.s.state.live.subscribe();
    let r = f.call("imbot.chat.sendTyping", json!({"DIALOG_ID": f.anna.id.to_string()})).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(keys(&r.2), ["result", "time"]);
    assert_eq!(r.2["result"], true);
    // `Changed` says only that the feed grew; on PostgreSQL the notice of the chat made above can arrive late.
    match next_not_changed(&mut live) {
        Ok(Live::Typing { dialog, user, .. }) => assert_eq!((dialog, user.0), (f.anna.id.to_string(), f.bot)),
        other => panic!("a typing event for the bot: {other:?}"),
    }
    let r = f.call("imbot.sendTyping", json!({"DIALOG_ID": format!("chat{chat}"), "BOT_ID": f.bot})).await;
    assert_eq!(r.2["result"], true, "{}", r.2);
    match next_not_changed(&mut live) {
        Ok(Live::Typing { chat: c, dialog, user }) => {
            assert_eq!((c.0, dialog, user.0), (chat, format!("chat{chat}"), f.bot))
        }
        other => panic!("a typing event in the chat: {other:?}"),
    }
    // A dialog the bot cannot see: still `true` (the page lists no such error), and nobody sees typing.
    let annas = f.anna.chat(&f.s, &[f.boris.id]).await;
    let r = f.call("imbot.chat.sendTyping", json!({"DIALOG_ID": format!("chat{annas}")})).await;
    assert_eq!((r.0, r.2["result"].clone()), (200, json!(true)), "{}", r.2);
    // (`Changed` only says the feed grew — Anna's new chat; typing is what must not appear.)
    loop {
        match live.try_recv() {
            Ok(Live::Changed) => continue,
            Ok(other) => panic!("no typing where the bot is not a member: {other:?}"),
            Err(_) => break,
        }
    }
    // DIALOG_ID_EMPTY: missing or not a dialog id.
    for body in [json!({}), json!({"DIALOG_ID": ""}), json!({"DIALOG_ID": "somebody"})] {
        assert_error(&f.call("imbot.chat.sendTyping", body.clone()).await, 400, "DIALOG_ID_EMPTY");
        assert_error(&f.call("imbot.sendTyping", body).await, 400, "DIALOG_ID_EMPTY");
    }
}

#[tokio::test]
async fn chat_methods_work_for_an_oauth_app() {
    let s = server().await;
    let h = Handler::start().await;
    let anna = person(&s, "Anna Smith").await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "oauthbot", "B", &h.url("/bot")).await;
    let chat = api.ok(&s, "imbot.chat.add", json!({"TITLE": "OAuth chat", "USERS": [anna.id]})).await;
    let chat = chat.as_i64().expect("int");
    assert_eq!(api.ok(&s, "imbot.chat.updateTitle", json!({"CHAT_ID": chat, "TITLE": "Renamed"})).await, true);
    let mut expected = vec![anna.id, bot];
    expected.sort();
    assert_eq!(api.ok(&s, "imbot.chat.user.list", json!({"CHAT_ID": chat})).await, json!(expected));
    let d = anna.ok(&s, "im.dialog.get", json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_eq!((d["name"].clone(), d["owner"].clone()), (json!("Renamed"), json!(bot)));
}
