//! Every typed method against the real server: bots, commands, bot messages and chats through a webhook with
//! `CLIENT_ID`; messages, dialogs and chats as a person; users; typed errors.

use crate::common::Server;
use imbot_sdk::methods::bots::{
    BotMessage, BotMessageUpdate, BotProperties, CommandAnswer, CommandFields, RegisterBot, RegisterCommand,
    UpdateBotFields,
};
use imbot_sdk::methods::im::{HistoryQuery, MessageUpdate, NewMessage};
use imbot_sdk::methods::{LikeAction, NewChat};
use imbot_sdk::rich::attach::GridItem;
use imbot_sdk::rich::{Attach, Button, Keyboard, Menu, MenuItem};
use imbot_sdk::{DialogId, Error};
use serde_json::json;

/// A handler URL nobody listens on: these tests do not need the events (delivery retries quietly).
const NOWHERE: &str = "http://127.0.0.1:9/events";

#[tokio::test]
async fn typed_methods_round_trip() {
    let server = Server::start().await;
    let admin = server.client_for(1, Some("sdk_methods")).await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let klaus = server.add_user("Klaus Weber").await;
    let person = server.client_for(svetlana, None).await;

    // --- basic and user ---
    let now = admin.server_time().await.unwrap();
    assert!((now.timestamp() - server.now()).abs() < 5, "{now}");
    let me = admin.user_current().await.unwrap();
    assert_eq!(me.id, 1);
    assert!(me.active);
    let sv = person.user_current().await.unwrap();
    assert_eq!((sv.id, sv.full_name().as_str()), (svetlana, "Svetlana Ivanova"));

    // --- bots ---
    let reg = RegisterBot::new("sdk_bot", "Sdk", NOWHERE);
    let bot = admin.imbot_register(&reg).await.unwrap();
    assert!(bot > 0);
    assert_eq!(admin.imbot_register(&reg).await.unwrap(), bot, "same CODE, same bot");
    let list = admin.imbot_bot_list().await.unwrap();
    assert!(list.iter().any(|b| b.id == bot && b.code == "sdk_bot"), "{list:?}");
    let rename = UpdateBotFields { properties: Some(BotProperties::named("Sdk Two")), ..Default::default() };
    assert!(admin.imbot_update(bot, &rename).await.unwrap());
    let list = admin.imbot_bot_list().await.unwrap();
    assert_eq!(list.iter().find(|b| b.id == bot).unwrap().name, "Sdk Two");

    // --- commands ---
    let cmd = RegisterCommand::new(bot, "sdkcmd", NOWHERE).title("en", "Test command", "text");
    let command = admin.imbot_command_register(&cmd).await.unwrap();
    assert_eq!(admin.imbot_command_register(&cmd).await.unwrap(), command, "idempotent");
    assert!(
        admin.imbot_command_update(command, &CommandFields { hidden: Some(true), ..Default::default() }).await.unwrap()
    );

    // A person invokes it in the bot's private dialog; the bot answers (the answer window is open).
    let carrier = person.im_message_add(&NewMessage::new(DialogId::User(bot), "/sdkcmd hello")).await.unwrap();
    let answer = CommandAnswer {
        attach: Some(Attach::new().message("[B]answered[/B]").build().unwrap()),
        ..CommandAnswer::new(command, carrier, "Answer to hello")
    };
    let answered = admin.imbot_command_answer(&answer).await.unwrap().expect("a message id");

    // --- bot messages ---
    let attach = Attach::new().message("Card").grid([GridItem::row("k", "v")]).build().unwrap();
    let keyboard = Keyboard::for_bot(bot).button(Button::command("Press", "sdkcmd", "pressed")).build().unwrap();
    let menu = Menu::for_bot(bot).item(MenuItem::copy("Copy", "42")).build().unwrap();
    let msg = BotMessage {
        attach: Some(attach),
        keyboard: Some(keyboard),
        menu: Some(menu),
        ..BotMessage::new(DialogId::User(svetlana), "From the bot")
    };
    let m1 = admin.imbot_message_add(&msg).await.unwrap();
    // The person sees it, with its ATTACH, KEYBOARD and MENU.
    let history = person.im_dialog_messages_get(&HistoryQuery::latest(DialogId::User(bot))).await.unwrap();
    let seen = history.messages.iter().find(|m| m.id == m1).expect("the bot's message");
    assert_eq!((seen.author_id, seen.text.as_str()), (bot, "From the bot"));
    assert_eq!(seen.keyboard().unwrap()[0]["COMMAND"], "sdkcmd");
    assert!(seen.attach().is_some() && seen.menu().is_some());
    assert!(history.messages.iter().any(|m| m.id == answered && m.text == "Answer to hello"));
    assert!(history.users.iter().any(|u| u.id == bot && u.bot));

    // The person presses the button: im.message.command.
    assert!(person.im_message_command(m1, bot, "sdkcmd", "pressed").await.unwrap());

    let update = BotMessageUpdate {
        message: Some("Edited by the bot".into()),
        keyboard: Some(json!("N")),
        ..BotMessageUpdate::new(m1)
    };
    assert!(admin.imbot_message_update(&update).await.unwrap());
    assert!(admin.imbot_message_like(Some(bot), m1, LikeAction::Plus).await.unwrap());
    let history = person.im_dialog_messages_get(&HistoryQuery::latest(DialogId::User(bot))).await.unwrap();
    let seen = history.messages.iter().find(|m| m.id == m1).unwrap();
    assert_eq!(seen.text, "Edited by the bot");
    assert!(seen.keyboard().is_none(), "{:?}", seen.params);
    assert_eq!(seen.likes(), vec![bot]);
    assert!(admin.imbot_message_delete(Some(bot), m1, false).await.unwrap());
    let history = person.im_dialog_messages_get(&HistoryQuery::latest(DialogId::User(bot))).await.unwrap();
    assert!(history.messages.iter().find(|m| m.id == m1).unwrap().is_deleted());

    assert!(admin.imbot_chat_send_typing(Some(bot), DialogId::User(svetlana)).await.unwrap());

    // --- bot chats ---
    let chat = NewChat {
        users: vec![1, svetlana],
        entity_type: Some("SDK_TEST".into()),
        entity_id: Some("team-1".into()),
        message: Some("Welcome".into()),
        ..NewChat::titled("Bot's chat")
    };
    let chat_id = admin.imbot_chat_add(Some(bot), &chat).await.unwrap();
    assert_eq!(admin.imbot_chat_get("SDK_TEST", "team-1").await.unwrap(), Some(chat_id));
    assert_eq!(admin.imbot_chat_get("SDK_TEST", "nope").await.unwrap(), None);
    let members = admin.imbot_chat_user_list(Some(bot), chat_id).await.unwrap();
    assert!(members.contains(&bot) && members.contains(&svetlana) && members.contains(&1), "{members:?}");
    assert!(admin.imbot_chat_user_add(Some(bot), chat_id, &[klaus], Some(false)).await.unwrap());
    assert!(admin.imbot_chat_user_list(Some(bot), chat_id).await.unwrap().contains(&klaus));
    assert!(admin.imbot_chat_user_delete(Some(bot), chat_id, klaus).await.unwrap());
    assert!(!admin.imbot_chat_user_list(Some(bot), chat_id).await.unwrap().contains(&klaus));
    let dialog = admin.imbot_dialog_get(DialogId::Chat(chat_id)).await.unwrap();
    assert_eq!((dialog.id, dialog.name.as_str(), dialog.owner), (chat_id, "Bot's chat", bot));
    assert_eq!(dialog.dialog(), Some(DialogId::Chat(chat_id)));
    assert_eq!(dialog.entity_type, "SDK_TEST");
    // The owner cannot leave: a typed Bitrix error.
    let err = admin.imbot_chat_leave(Some(bot), chat_id).await.unwrap_err();
    assert!(matches!(err, Error::Api { ref code, status: 403, .. } if code == "ACCESS_ERROR"), "{err}");

    // --- im.* as a person ---
    let team = person.im_chat_add(&NewChat { users: vec![klaus, bot], ..NewChat::titled("Team") }).await.unwrap();
    assert!(person.im_chat_user_add(team, &[1], None).await.unwrap());
    let members = person.im_chat_user_list(team).await.unwrap();
    for id in [svetlana, klaus, bot, 1] {
        assert!(members.contains(&id), "{id} in {members:?}");
    }
    let m2 = person.im_message_add(&NewMessage::new(DialogId::Chat(team), "draft")).await.unwrap();
    assert!(
        person
            .im_message_update(&MessageUpdate { message: Some("final".into()), ..MessageUpdate::new(m2) })
            .await
            .unwrap()
    );
    assert!(person.im_message_like(m2, LikeAction::Auto).await.unwrap());
    let m3 = person.im_message_add(&NewMessage::new(DialogId::Chat(team), "oops")).await.unwrap();
    assert!(person.im_message_delete(m3).await.unwrap());
    let page = person
        .im_dialog_messages_get(&HistoryQuery { limit: Some(50), ..HistoryQuery::latest(DialogId::Chat(team)) })
        .await
        .unwrap();
    assert_eq!(page.chat_id, team);
    let final_msg = page.messages.iter().find(|m| m.id == m2).unwrap();
    assert_eq!((final_msg.text.as_str(), final_msg.likes()), ("final", vec![svetlana]));
    assert!(page.messages.iter().find(|m| m.id == m3).unwrap().is_deleted());
    let d = person.im_dialog_get(DialogId::Chat(team)).await.unwrap();
    assert_eq!((d.name.as_str(), d.kind.as_str(), d.owner), ("Team", "chat", svetlana));
    // Klaus reads the chat.
    let klaus_client = server.client_for(klaus, None).await;
    let mark = klaus_client.im_dialog_read(DialogId::Chat(team), None).await.unwrap().expect("a read mark");
    assert_eq!((mark.chat_id, mark.counter), (team, 0));
    // Without access: `false` → None.
    let outsider = server.add_user("Out Sider").await;
    let outsider = server.client_for(outsider, None).await;
    assert_eq!(outsider.im_dialog_read(DialogId::Chat(team), None).await.unwrap(), None);
    assert_eq!(outsider.im_chat_user_list(team).await.unwrap(), Vec::<i64>::new());

    // The bot leaves the person's chat.
    assert!(admin.imbot_chat_leave(Some(bot), team).await.unwrap());
    assert!(!person.im_chat_user_list(team).await.unwrap().contains(&bot));

    // --- typed errors ---
    let err = person.im_message_add(&NewMessage::new(DialogId::Chat(team), "  ")).await.unwrap_err();
    assert!(err.is_api("MESSAGE_EMPTY") && err.status() == Some(400), "{err}");
    let no_client_id = server.client_for(1, None).await;
    let err = no_client_id.imbot_register(&RegisterBot::new("no_id", "No", NOWHERE)).await.unwrap_err();
    assert!(matches!(err, Error::Api { ref code, status: 403, .. } if code == "ACCESS_DENIED"), "{err}");
    let err = admin.call("no.such.method", json!({})).await.unwrap_err();
    assert!(err.is_api("ERROR_METHOD_NOT_FOUND") && err.status() == Some(404), "{err}");
    assert!(matches!(admin.call("server.time", json!([1])).await, Err(Error::Invalid(_))));

    // --- clean up ---
    assert!(admin.imbot_command_unregister(command).await.unwrap());
    assert!(admin.imbot_unregister(bot).await.unwrap());
    assert!(!admin.imbot_bot_list().await.unwrap().iter().any(|b| b.id == bot));
    server.stop().await;
}

#[tokio::test]
async fn raw_calls_and_envelopes() {
    let server = Server::start().await;
    let admin = server.client_for(1, None).await;
    let e = admin.call_envelope("user.get", json!({"FILTER": {"ID": 1}})).await.unwrap();
    assert_eq!(e.total, Some(1));
    assert_eq!(e.next, None);
    assert_eq!(e.result[0]["ID"], "1");
    assert!(e.time.unwrap()["operating_reset_at"].is_i64());
    let scopes: Vec<String> = admin.call_as("scope", json!(null)).await.unwrap();
    assert!(scopes.contains(&"imbot".to_owned()), "{scopes:?}");
    // Parameter names are sent as given; im/imbot methods read them case-insensitively.
    let chat: i64 = admin.call_as("im.chat.add", json!({"title": "lower"})).await.unwrap();
    assert_eq!(admin.im_dialog_get(DialogId::Chat(chat)).await.unwrap().name, "lower");
    server.stop().await;
}
