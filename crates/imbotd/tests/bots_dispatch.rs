//! Which events a message causes (SPEC-NOTES §5.11–5.12): commands in group chats (COMMON, membership,
//! EXTRANET_SUPPORT, several lines, never from bots or system messages), `ONIMBOTMESSAGEADD` by bot type (private,
//! mention with stripping, supervisor, never bot-to-bot), `ONIMBOTJOINCHAT` (added to a chat, first private
//! message) and the 10-minute answer window of `imbot.command.answer`.
//!
//! "No event" is checked in the outbox (events commit with the message, so the answer is final when the call
//! returns) and at the handler after the worker had time to deliver.

mod bot_util;
mod common;

use bot_util::*;
use common::TestServer;
use serde_json::{json, Value};
use std::time::Duration;

const SETTLE: Duration = Duration::from_millis(700);

/// A bot app (OAuth) with one TYPE `kind` bot whose handlers all point at `h`.
async fn setup(s: &TestServer, h: &Handler, code: &str, kind: &str) -> (Api, i64) {
    let api = Api::oauth(s, 1).await;
    let bot = api.register(s, code, kind, &h.url(&format!("/{code}"))).await;
    (api, bot)
}

async fn no_event(s: &TestServer, h: &Handler, name: &str, before: usize) {
    assert_eq!(queued(s, name).await.len(), before, "no new {name} in the outbox");
    assert_eq!(h.after(SETTLE, name).await.len(), before, "no new {name} at the handler");
}

#[tokio::test]
async fn commands_in_group_chats_follow_common_and_membership() {
    let s = server().await;
    let h = Handler::start().await;
    let (api, bot) = setup(&s, &h, "groupbot", "B").await;
    let local = api.command(&s, bot, "local", &h.url("/cmd"), json!({})).await;
    let common_cmd = api.command(&s, bot, "everywhere", &h.url("/cmd"), json!({"COMMON": "Y"})).await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    // A chat without the bot.
    let chat = anna.chat(&s, &[bob.id]).await;
    let dialog = format!("chat{chat}");

    // COMMON=N: nothing.
    anna.send(&s, &dialog, "/local x").await;
    no_event(&s, &h, "ONIMCOMMANDADD", 0).await;
    // Nor in a private dialog between two people.
    anna.send(&s, bob.id, "/local x").await;
    no_event(&s, &h, "ONIMCOMMANDADD", 0).await;

    // COMMON=Y: an event, without BOT_IN_CHAT (no bot in the chat).
    let m = anna.send(&s, &dialog, "/everywhere now").await;
    let e = h.wait_event("ONIMCOMMANDADD").await;
    let (key, c) = only_entry(&e.data()["COMMAND"]);
    assert_eq!(key, common_cmd.to_string());
    assert_eq!(c["COMMAND_PARAMS"], "now");
    let p = e.data()["PARAMS"].clone();
    assert_eq!(p["DIALOG_ID"], dialog);
    assert!(p.get("BOT_IN_CHAT").is_none(), "{p}");

    // The answer of a bot that is not in the chat is a system message naming the bot.
    let bot_api = api.with_token(c["access_token"].as_str().unwrap());
    let answer = bot_api
        .ok(&s, "imbot.command.answer", json!({"COMMAND_ID": common_cmd, "MESSAGE_ID": m, "MESSAGE": "Here I am"}))
        .await
        .as_i64()
        .unwrap();
    let msg = bob.message(&s, &dialog, answer).await.expect("the answer is in the chat");
    let text = msg["text"].as_str().unwrap();
    assert!(text.starts_with(&format!("Bot [USER={bot}]Bot groupbot[/USER] answered:[BR]")), "{text}");
    assert!(text.ends_with("Here I am"), "{text}");
    assert_eq!(msg["author_id"], 0, "a system message");
    // The bot is still not a member.
    let r = api.call(&s, "imbot.message.add", json!({"BOT_ID": bot, "DIALOG_ID": dialog, "MESSAGE": "sneak"})).await;
    assert_eq!(r.2["error"], "WRONG_REQUEST", "{}", r.2);

    // Once the bot is in the chat, COMMON=N commands work there too.
    anna.ok(&s, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [bot]})).await;
    anna.send(&s, &dialog, "/local y").await;
    let e = h.wait_event_nth("ONIMCOMMANDADD", 2).await;
    let (key, c) = only_entry(&e.data()["COMMAND"]);
    assert_eq!(key, local.to_string());
    assert_eq!(c["COMMAND_PARAMS"], "y");
    assert_eq!(e.data()["PARAMS"]["BOT_IN_CHAT"], json!({bot.to_string(): bot.to_string()}));
}

#[tokio::test]
async fn extranet_users_need_extranet_support() {
    let s = server().await;
    let h = Handler::start().await;
    let (api, bot) = setup(&s, &h, "xbot", "B").await;
    api.command(&s, bot, "intranet", &h.url("/cmd"), json!({})).await;
    let open = api.command(&s, bot, "open", &h.url("/cmd"), json!({"EXTRANET_SUPPORT": "Y"})).await;
    let guest = extranet_person(&s, "Gus Guest").await;

    guest.send(&s, bot, "/intranet please").await;
    no_event(&s, &h, "ONIMCOMMANDADD", 0).await;
    // The message itself still reaches the bot.
    assert_eq!(h.wait_event("ONIMBOTMESSAGEADD").await.data()["USER"]["IS_EXTRANET"], "Y");

    guest.send(&s, bot, "/open please").await;
    let e = h.wait_event("ONIMCOMMANDADD").await;
    assert_eq!(only_entry(&e.data()["COMMAND"]).0, open.to_string());

    // An intranet user may use both.
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "/intranet yes").await;
    h.wait_event_nth("ONIMCOMMANDADD", 2).await;
}

#[tokio::test]
async fn every_command_line_of_a_message_counts() {
    let s = server().await;
    let h = Handler::start().await;
    let (api, bot) = setup(&s, &h, "multibot", "B").await;
    let echo = api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let pick = api.command(&s, bot, "pick", &h.url("/cmd"), json!({})).await;
    // Another app's bot with a command of the same name.
    let h2 = Handler::start().await;
    let (api2, bot2) = setup(&s, &h2, "otherbot", "B").await;
    let echo2 = api2.command(&s, bot2, "echo", &h2.url("/cmd"), json!({})).await;

    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[bot, bot2]).await;
    let m = anna.send(&s, format!("chat{chat}"), "hello\n/echo one two\nnot/pick\n/pick  three\n/unknown").await;

    // One event per app; this app's lists both of its commands, in order.
    let e = h.wait_event("ONIMCOMMANDADD").await;
    let cmds = e.data()["COMMAND"].clone();
    assert_eq!(keys(&cmds), [echo.to_string(), pick.to_string()]);
    assert_eq!(cmds[echo.to_string()]["COMMAND_PARAMS"], "one two");
    assert_eq!(cmds[pick.to_string()]["COMMAND_PARAMS"], " three");
    assert_eq!(cmds[pick.to_string()]["MESSAGE_ID"], m.to_string());
    let e2 = h2.wait_event("ONIMCOMMANDADD").await;
    assert_eq!(keys(&e2.data()["COMMAND"]), [echo2.to_string()]);
    assert_eq!(e2.data()["COMMAND"][echo2.to_string()]["BOT_ID"], bot2.to_string());
    assert_eq!(queued(&s, "ONIMCOMMANDADD").await.len(), 2);
}

#[tokio::test]
async fn bot_and_system_messages_trigger_nothing() {
    let s = server().await;
    let h = Handler::start().await;
    let (api, bot) = setup(&s, &h, "talker", "B").await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({"COMMON": "Y"})).await;
    // A supervisor bot of another app sees every human message of its chats.
    let (api_s, sup) = setup(&s, &h, "watcher", "S").await;
    api_s.command(&s, sup, "echo", &h.url("/cmd-s"), json!({"COMMON": "Y"})).await;
    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[bot, sup]).await;
    let dialog = format!("chat{chat}");
    drained(&s).await;
    let joins = h.events("ONIMBOTJOINCHAT").len();
    assert_eq!(joins, 2);

    // The bot's own messages: commands and mentions ignored, by everyone.
    api.ok(
        &s,
        "imbot.message.add",
        json!({"BOT_ID": bot, "DIALOG_ID": dialog, "MESSAGE": format!("/echo x\n[USER={sup}]S[/USER] hi")}),
    )
    .await;
    api.ok(
        &s,
        "imbot.message.add",
        json!({"BOT_ID": bot, "DIALOG_ID": anna.id.to_string(), "MESSAGE": "/echo private"}),
    )
    .await;
    api.ok(&s, "imbot.message.add", json!({"BOT_ID": bot, "DIALOG_ID": sup.to_string(), "MESSAGE": "/echo to a bot"}))
        .await;
    for e in ["ONIMCOMMANDADD", "ONIMBOTMESSAGEADD"] {
        no_event(&s, &h, e, 0).await;
    }

    // A person's system message: no commands (it still is a message in the chat).
    anna.ok(&s, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "/echo sys", "SYSTEM": "Y"})).await;
    no_event(&s, &h, "ONIMCOMMANDADD", 0).await;

    // A plain human command reaches both apps.
    anna.send(&s, &dialog, "/echo real").await;
    h.wait_event_nth("ONIMCOMMANDADD", 2).await;
}

#[tokio::test]
async fn message_add_events_by_bot_type() {
    let s = server().await;
    let h = Handler::start().await;
    let (_api_b, bot) = setup(&s, &h, "plain", "B").await;
    let (_api_s, sup) = setup(&s, &h, "super", "S").await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;

    // Private message to a TYPE B bot: the documented private example, key by key.
    let m = anna.send(&s, bot, "Hello").await;
    let e = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(e.path(), "/plain");
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMBOTMESSAGEADD_PRIVATE), "body");
    let (key, b) = only_entry(&f["data"]["BOT"]);
    assert_eq!(key, bot.to_string());
    assert_eq!(b["BOT_ID"], bot.to_string());
    assert_eq!(b["BOT_CODE"], "plain");
    assert_eq!(b["user_id"], bot.to_string());
    let p = &f["data"]["PARAMS"];
    assert_eq!(p["MESSAGE"], "Hello");
    assert_eq!(p["DIALOG_ID"], anna.id.to_string());
    assert_eq!(p["TO_USER_ID"], bot.to_string());
    assert_eq!(p["MESSAGE_ID"], m.to_string());
    assert_eq!(p["CHAT_USER_COUNT"], "2");
    assert_eq!(f["data"]["USER"]["IS_BOT"], "N");
    assert_eq!(f["data"]["USER"]["NAME"], "Anna Weber");
    assert!(f["auth"]["refresh_token"].is_string());

    // A group chat with both bots.
    let chat = anna.chat(&s, &[bob.id, bot, sup]).await;
    let dialog = format!("chat{chat}");
    drained(&s).await;
    let base = h.events("ONIMBOTMESSAGEADD").len();

    // No mention: only the supervisor.
    anna.send(&s, &dialog, "just talking").await;
    let e = h.wait_event_nth("ONIMBOTMESSAGEADD", base + 1).await;
    assert_eq!(e.path(), "/super");
    assert_eq!(keys(&e.data()["BOT"]), [sup.to_string()]);
    let p = e.data()["PARAMS"].clone();
    assert_eq!(p["MESSAGE"], "just talking");
    assert_eq!(p["TO_USER_ID"], "0");
    assert_eq!(p["MESSAGE_ORIGINAL"], "just talking");
    drained(&s).await;
    assert_eq!(h.events("ONIMBOTMESSAGEADD").len(), base + 1, "nothing for the TYPE B bot");

    // A mention of the TYPE B bot: its event has the mention stripped, MESSAGE_ORIGINAL and TO_USER_ID.
    let text = format!("[USER={bot}]Bot plain[/USER], how to set up the left menu");
    let m = anna.send(&s, &dialog, &text).await;
    h.wait_event_nth("ONIMBOTMESSAGEADD", base + 3).await;
    let plain: Vec<Req> = h.events("ONIMBOTMESSAGEADD").into_iter().filter(|r| r.path() == "/plain").collect();
    let e = plain.last().unwrap();
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMBOTMESSAGEADD_GROUP), "body");
    let p = &f["data"]["PARAMS"];
    assert_eq!(p["MESSAGE"], "how to set up the left menu");
    assert_eq!(p["MESSAGE_ORIGINAL"], text);
    assert_eq!(p["TO_USER_ID"], bot.to_string());
    assert_eq!(p["MENTIONED_LIST"], json!({bot.to_string(): bot.to_string()}));
    assert_eq!(p["DIALOG_ID"], dialog);
    assert_eq!(p["MESSAGE_ID"], m.to_string());
    assert_eq!(p["CHAT_ID"], chat.to_string());
    assert_eq!(p["CHAT_TYPE"], "C");
    assert_eq!(p["CHAT_USER_COUNT"], "4", "members of the chat");
    // The supervisor saw it as well (its own event: another app).
    let sup_events: Vec<Req> = h.events("ONIMBOTMESSAGEADD").into_iter().filter(|r| r.path() == "/super").collect();
    assert_eq!(sup_events.last().unwrap().data()["PARAMS"]["TO_USER_ID"], bot.to_string());

    // Mentioning a bot that is not in the chat does nothing.
    let (_api_o, outsider) = setup(&s, &h, "outsider", "B").await;
    let before = queued(&s, "ONIMBOTMESSAGEADD").await.len();
    anna.send(&s, &dialog, &format!("[USER={outsider}]X[/USER] hello")).await;
    // Only the supervisor's event was added.
    let after = queued(&s, "ONIMBOTMESSAGEADD").await;
    assert_eq!(after.len(), before + 1);
    assert_eq!(keys(&after.last().unwrap().data["BOT"]), [sup.to_string()]);
}

#[tokio::test]
async fn one_event_per_app_lists_all_its_bots() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let a = api.register(&s, "first", "B", &h.url("/app")).await;
    let b = api.register(&s, "second", "S", &h.url("/app")).await;
    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[a, b]).await;
    drained(&s).await;
    anna.send(&s, format!("chat{chat}"), &format!("[USER={a}]First[/USER] hi")).await;
    let e = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(keys(&e.data()["BOT"]), [a.to_string(), b.to_string()]);
    for id in [a, b] {
        let entry = &e.data()["BOT"][id.to_string()];
        assert_eq!(entry["user_id"], id.to_string(), "each bot its own tokens");
        assert_eq!(entry["AUTH"]["user_id"], id.to_string());
    }
    drained(&s).await;
    assert_eq!(queued(&s, "ONIMBOTMESSAGEADD").await.len(), 1);
}

#[tokio::test]
async fn join_events() {
    let s = server().await;
    let h = Handler::start().await;
    let (api, bot) = setup(&s, &h, "joiner", "B").await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;

    // Added at creation (im.chat.add USERS).
    let chat = anna.chat(&s, &[bob.id, bot]).await;
    let e = h.wait_event("ONIMBOTJOINCHAT").await;
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMBOTJOINCHAT_GROUP), "body");
    let p = &f["data"]["PARAMS"];
    for (k, v) in [
        ("CHAT_TYPE", "C".to_owned()),
        ("MESSAGE_TYPE", "C".into()),
        ("BOT_ID", bot.to_string()),
        ("USER_ID", anna.id.to_string()),
        ("CHAT_ID", chat.to_string()),
        ("CHAT_AUTHOR_ID", anna.id.to_string()),
        ("ACCESS_HISTORY", "1".into()),
        ("DIALOG_ID", format!("chat{chat}")),
        ("LANGUAGE", "en".into()),
    ] {
        assert_eq!(p[k], v, "PARAMS[{k}] in {p}");
    }
    assert_eq!(f["data"]["USER"]["ID"], anna.id.to_string());
    assert!(f["auth"].get("refresh_token").is_none(), "no refresh_token in ONIMBOTJOINCHAT: {}", f["auth"]);
    assert_eq!(f["auth"]["user_id"], anna.id.to_string());
    assert!(f["data"]["BOT"][bot.to_string()]["refresh_token"].is_string(), "the bot's block has one");

    // Added later (im.chat.user.add), by Bob, without history.
    let chat2 = bob.chat(&s, &[anna.id]).await;
    bob.ok(&s, "im.chat.user.add", json!({"CHAT_ID": chat2, "USERS": [bot], "HIDE_HISTORY": "Y"})).await;
    let e = h.wait_event_nth("ONIMBOTJOINCHAT", 2).await;
    let p = e.data()["PARAMS"].clone();
    assert_eq!(p["CHAT_ID"], chat2.to_string());
    assert_eq!(p["USER_ID"], bob.id.to_string());
    assert_eq!(p["ACCESS_HISTORY"], "0");

    // A user's first message to the bot opens the private dialog: one join, then none.
    let carl = person(&s, "Carl Cole").await;
    carl.send(&s, bot, "hi").await;
    let e = h.wait_event_nth("ONIMBOTJOINCHAT", 3).await;
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMBOTJOINCHAT_PRIVATE), "body");
    let p = &f["data"]["PARAMS"];
    assert_eq!(p["CHAT_TYPE"], "P");
    assert_eq!(p["USER_ID"], carl.id.to_string());
    assert_eq!(p["TO_USER_ID"], carl.id.to_string());
    assert_eq!(p["FROM_USER_ID"], bot.to_string());
    assert_eq!(p["DIALOG_ID"], carl.id.to_string());
    assert!(f["auth"].get("refresh_token").is_none());
    carl.send(&s, bot, "again").await;
    no_event(&s, &h, "ONIMBOTJOINCHAT", 3).await;
    // A bot writing first to a person is not a join.
    api.ok(&s, "imbot.message.add", json!({"DIALOG_ID": bob.id.to_string(), "MESSAGE": "Hello Bob"})).await;
    no_event(&s, &h, "ONIMBOTJOINCHAT", 3).await;
}

#[tokio::test]
async fn answer_window_is_ten_minutes() {
    let s = server().await;
    let h = Handler::start().await;
    let (api, bot) = setup(&s, &h, "slowpoke", "B").await;
    let echo = api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[bot]).await;
    let dialog = format!("chat{chat}");

    let m = anna.send(&s, &dialog, "/echo late").await;
    h.wait_event("ONIMCOMMANDADD").await;
    let count = || async { anna.messages(&s, &dialog).await.len() };
    let n = count().await;
    // Within the window: posted.
    s.clock.advance(Duration::from_secs(9 * 60));
    let r =
        api.ok(&s, "imbot.command.answer", json!({"COMMAND_ID": echo, "MESSAGE_ID": m, "MESSAGE": "in time"})).await;
    assert!(r.is_i64(), "{r}");
    assert_eq!(count().await, n + 1);
    // After 11 minutes: `true` and nothing posted.
    s.clock.advance(Duration::from_secs(2 * 60 + 1));
    let r =
        api.ok(&s, "imbot.command.answer", json!({"COMMAND_ID": echo, "MESSAGE_ID": m, "MESSAGE": "too late"})).await;
    assert_eq!(r, json!(true));
    assert_eq!(count().await, n + 1);
    // A new command opens it again.
    let m2 = anna.send(&s, &dialog, "/echo again").await;
    let r = api.ok(&s, "imbot.command.answer", json!({"COMMAND": "echo", "MESSAGE_ID": m2, "MESSAGE": "back"})).await;
    assert!(r.is_i64(), "{r}");

    // In the bot's own private dialog the window does not apply.
    let pm = anna.send(&s, bot, "/echo private").await;
    s.clock.advance(Duration::from_secs(30 * 60));
    let r = api
        .ok(&s, "imbot.command.answer", json!({"COMMAND_ID": echo, "MESSAGE_ID": pm, "MESSAGE": "still here"}))
        .await;
    let id = r.as_i64().unwrap_or_else(|| panic!("posted: {r}"));
    assert_eq!(anna.message(&s, bot, id).await.unwrap()["author_id"], bot);
}

#[tokio::test]
async fn update_and_delete_events_match_the_examples() {
    let s = server().await;
    let h = Handler::start().await;
    let (_api, sup) = setup(&s, &h, "editwatch", "S").await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;

    // Private.
    let m = anna.send(&s, sup, "How to add an observer?").await;
    anna.ok(&s, "im.message.update", json!({"MESSAGE_ID": m, "MESSAGE": "How to add an observer to the task?"})).await;
    let e = h.wait_event("ONIMBOTMESSAGEUPDATE").await;
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMBOTMESSAGEUPDATE_PRIVATE), "update");
    let p = &f["data"]["PARAMS"];
    assert_eq!(p["ID"], m.to_string());
    assert_eq!(p["MESSAGE"], "How to add an observer to the task?");
    assert_eq!(p["FROM_USER_ID"], anna.id.to_string());
    assert_eq!(p["TO_USER_ID"], sup.to_string());
    assert_eq!(p["DIALOG_ID"], anna.id.to_string());
    assert!(f["auth"]["refresh_token"].is_string());
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": m})).await;
    let e = h.wait_event("ONIMBOTMESSAGEDELETE").await;
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMBOTMESSAGEDELETE_PRIVATE), "delete");
    let text = f["data"]["PARAMS"]["MESSAGE"].as_str().unwrap().to_owned();
    assert!(text.starts_with("Message from ") && text.ends_with(" has been deleted"), "{text}");

    // Group.
    let chat = anna.chat(&s, &[bob.id, sup]).await;
    let g = anna.send(&s, format!("chat{chat}"), "create a list").await;
    anna.ok(
        &s,
        "im.message.update",
        json!({"MESSAGE_ID": g, "MESSAGE": format!("[USER={sup}]Watch[/USER], create a task list")}),
    )
    .await;
    let e = h.wait_event_nth("ONIMBOTMESSAGEUPDATE", 2).await;
    let f = Value::Object(e.form());
    assert_same_shape(&f, &doc(docs::ONIMBOTMESSAGEUPDATE_GROUP), "group update");
    let p = &f["data"]["PARAMS"];
    assert_eq!(p["MESSAGE"], "create a task list");
    assert_eq!(p["TO_USER_ID"], sup.to_string());
    assert_eq!(p["CHAT_USER_COUNT"], "3");
    anna.ok(&s, "im.message.delete", json!({"MESSAGE_ID": g})).await;
    let e = h.wait_event_nth("ONIMBOTMESSAGEDELETE", 2).await;
    assert_same_shape(&Value::Object(e.form()), &doc(docs::ONIMBOTMESSAGEDELETE_GROUP), "group delete");
}

#[tokio::test]
async fn a_dispatched_message_starts_the_bots_typing_but_not_a_supervisors() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let plain = api.register(&s, "typist", "B", &h.url("/b")).await;
    let watcher = api.register(&s, "watcher", "S", &h.url("/s")).await;
    let anna = person(&s, "Anna Weber").await;
    let mut live = s.state.live.subscribe();
    anna.send(&s, plain, "hello").await;
    match next_typing(&mut live) {
        Some(imbotd::messenger::Live::Typing { user, .. }) => assert_eq!(user.0, plain),
        other => panic!("typing of the bot after ONIMBOTMESSAGEADD: {other:?}"),
    }
    // A supervisor in a group chat gets the event but shows no typing.
    let chat = anna.chat(&s, &[watcher]).await;
    while live.try_recv().is_ok() {}
    anna.send(&s, format!("chat{chat}"), "everyone").await;
    assert!(queued(&s, "ONIMBOTMESSAGEADD").await.len() >= 2, "the supervisor got the message");
    assert!(next_typing(&mut live).is_none(), "no typing for a supervisor bot");
}

/// The next live event other than `Changed` (which only says the change feed grew), if any is waiting.
fn next_typing(
    live: &mut tokio::sync::broadcast::Receiver<imbotd::messenger::Live>,
) -> Option<imbotd::messenger::Live> {
    loop {
        match live.try_recv() {
            Ok(imbotd::messenger::Live::Changed) => continue,
            Ok(other) => return Some(other),
            Err(_) => return None,
        }
    }
}
