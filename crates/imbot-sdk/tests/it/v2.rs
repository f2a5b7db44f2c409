//! The v2 bot API (`imbot.v2.*`, `im.v2.*`) through the typed SDK against the real server: a fetch-mode bot
//! registered through a webhook with `botToken`, its commands and messages, the fetch loop (`EventPoller`, raw
//! `Event.get` offsets, at-least-once), chats with members, managers and owner, history for a supervisor bot,
//! reactions, the input indicator and text field, the user's own queue (`im.v2.Event.*`, `withUserEvents`),
//! `im.v2.Chat.Bot.sendContext`, files (when the server has them), `Revision.get`, and typed errors.

use crate::common::Server;
use imbot_sdk::events::{CommandContext, V2Event};
use imbot_sdk::methods::NewChat;
use imbot_sdk::methods::im::{HistoryQuery, NewMessage};
use imbot_sdk::methods::v2::{
    BotKey, BotListQuery, BotPropertiesV2, BotType, ChatFieldsV2, ChatUserOrderField, Color, EventMode, EventPoller,
    NewChatV2, NewFile, QueuedEvent, Reaction, RegisterBotV2, RegisterCommandV2, SendMessage, SortDirection,
    StatusMessageCode, UpdateBotV2, UpdateCommandV2, UpdateMessage, UserListQuery,
};
use imbot_sdk::rich::{Attach, Button, Keyboard};
use imbot_sdk::{Client, DialogId, Error};
use serde_json::json;
use std::time::Duration;

const TOKEN: &str = "sdk-v2-token";

/// A webhook client of `user` (scopes im, imbot, user) that sends `token` as `botToken`.
async fn v2_client(server: &Server, user: i64, token: &str) -> Client {
    Client::webhook(server.webhook_for(user, "im,imbot,user").await).bot_token(token).build().expect("client")
}

/// A poller with test pacing (the defaults follow the docs: seconds).
fn poller(client: &Client, bot: i64) -> EventPoller {
    EventPoller::bot(client.clone(), bot)
        .idle_backoff(Duration::from_millis(25), Duration::from_millis(200))
        .busy_pause(Duration::ZERO)
}

/// Batches from `poller` until every type in `want` was seen (each later batch acknowledges the one before).
async fn until_types(poller: &mut EventPoller, want: &[&str]) -> Vec<QueuedEvent> {
    let mut got: Vec<QueuedEvent> = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !want.iter().all(|w| got.iter().any(|e| e.kind == *w)) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let seen: Vec<&str> = got.iter().map(|e| e.kind.as_str()).collect();
        let batch = tokio::time::timeout(left, poller.next_batch())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {want:?}; got {seen:?}"))
            .expect("Event.get");
        got.extend(batch);
    }
    got
}

fn find<'a>(events: &'a [QueuedEvent], kind: &str) -> &'a QueuedEvent {
    events.iter().find(|e| e.kind == kind).unwrap_or_else(|| panic!("no {kind}"))
}

fn api_error(err: &Error) -> (&str, Option<u16>) {
    (err.api_code().unwrap_or("not an API error"), err.status())
}

#[tokio::test]
async fn bots_commands_messages_and_the_fetch_loop() {
    let server = Server::start().await;
    let admin = v2_client(&server, 1, TOKEN).await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let person = server.client_for(svetlana, None).await;

    // --- errors and the revision: a webhook call without botToken is refused with the documented code ---
    let no_token = server.client_for(1, None).await;
    let err = no_token.imbot_v2_bot_register(&RegisterBotV2::fetch("sdk_v2", "Sdk")).await.unwrap_err();
    assert!(matches!(err, Error::Api { ref code, status: 400, .. } if code == "BOT_TOKEN_NOT_SPECIFIED"), "{err}");
    let rev = no_token.imbot_v2_revision_get().await.unwrap();
    assert_eq!((rev.rest, rev.web, rev.mobile, rev.desktop), (36, 130, 23, 6));

    // --- bots ---
    let reg = RegisterBotV2 {
        properties: BotPropertiesV2 {
            work_position: Some("Helper".into()),
            color: Some(Color::Mint),
            ..BotPropertiesV2::named("Sdk")
        },
        ..RegisterBotV2::fetch("sdk_v2", "Sdk")
    };
    let answer = admin.imbot_v2_bot_register(&reg).await.unwrap();
    let bot = answer.bot.id;
    assert!(bot > 0);
    assert_eq!(
        (answer.bot.code.as_str(), answer.bot.bot_type(), answer.bot.event_mode()),
        ("sdk_v2", Some(BotType::Bot), Some(EventMode::Fetch))
    );
    assert!(answer.bot.is_reactions_enabled && !answer.bot.is_hidden);
    let me = answer.user().expect("the bot's user");
    assert_eq!((me.name.as_str(), me.work_position.as_str()), ("Sdk", "Helper"));
    // (docs/v2.md §4.1 says a bot's user colour is its `properties.color`; imbotd derives it from the id.)
    assert!(me.color.starts_with('#') && me.color.len() == 7, "{}", me.color);
    assert!(me.bot && me.user_type() == Some(imbot_sdk::methods::v2::UserType::Bot));
    let again = admin.imbot_v2_bot_register(&RegisterBotV2::fetch("sdk_v2", "Other name")).await.unwrap();
    assert_eq!((again.bot.id, again.user().unwrap().name.as_str()), (bot, "Sdk"), "idempotent, unchanged");

    let by_id = admin.imbot_v2_bot_get(bot).await.unwrap();
    assert_eq!(by_id.bot.code, "sdk_v2");
    assert!(by_id.bot.count_message.is_some(), "the owner sees the extended form");
    let by_code = admin.imbot_v2_bot_get(BotKey::from("sdk_v2")).await.unwrap();
    assert_eq!(by_code.bot.id, bot);
    let brief = v2_client(&server, 1, "someone-else").await.imbot_v2_bot_get(bot).await.unwrap();
    assert!(brief.bot.count_message.is_none() && brief.bot.event_mode().is_none(), "others see the brief form");
    let page = admin.imbot_v2_bot_list(&BotListQuery::default()).await.unwrap();
    assert_eq!(page.bots.iter().map(|b| b.id).collect::<Vec<_>>(), vec![bot]);
    assert!(!page.has_next_page && page.users.iter().any(|u| u.id == bot));
    let none = BotListQuery { bot_type: Some(BotType::Supervisor), ..Default::default() };
    assert!(admin.imbot_v2_bot_list(&none).await.unwrap().bots.is_empty());
    let rename = UpdateBotV2 { properties: Some(BotPropertiesV2::named("Sdk Two")), ..Default::default() };
    let updated = admin.imbot_v2_bot_update(bot, &rename).await.unwrap();
    assert_eq!(updated.user().unwrap().name, "Sdk Two");

    // --- commands ---
    let cmd = RegisterCommandV2::new("/help").title("en", "Show help").params("en", "topic");
    let command = admin.imbot_v2_command_register(bot, &cmd).await.unwrap();
    assert_eq!((command.bot_id, command.command.as_str(), command.name()), (bot, "/help", "help"));
    assert_eq!(admin.imbot_v2_command_register(bot, &cmd).await.unwrap().id, command.id, "idempotent");
    let list = admin.imbot_v2_command_list(bot).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].title.as_str(), list[0].params.as_str(), list[0].category.as_str()),
        ("Show help", "topic", "Sdk Two")
    );
    let hidden = admin
        .imbot_v2_command_update(bot, command.id, &UpdateCommandV2 { hidden: Some(true), ..Default::default() })
        .await
        .unwrap();
    assert!(hidden.hidden && !hidden.common);
    let err = admin.imbot_v2_command_register(bot, &RegisterCommandV2::new("quiet")).await.unwrap_err();
    assert_eq!(api_error(&err), ("COMMAND_TITLE_REQUIRED", Some(400)));

    // --- the fetch loop: Svetlana runs the command in the bot's private dialog ---
    let carrier = person.im_message_add(&NewMessage::new(DialogId::User(bot), "/help billing")).await.unwrap();
    let mut events = poller(&admin, bot).limit(10);
    let got = until_types(&mut events, &["ONIMBOTV2JOINCHAT", "ONIMBOTV2COMMANDADD", "ONIMBOTV2MESSAGEADD"]).await;
    let ids: Vec<i64> = got.iter().map(|e| e.event_id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let V2Event::JoinChat(join) = find(&got, "ONIMBOTV2JOINCHAT").event().unwrap() else { panic!("join") };
    assert_eq!((join.dialog_id, join.user.as_ref().map(|u| u.id)), (Some(DialogId::User(svetlana)), Some(svetlana)));
    let queued = find(&got, "ONIMBOTV2COMMANDADD");
    let V2Event::CommandAdd(c) = queued.event().unwrap() else { panic!("command") };
    assert_eq!(c.meta.event_id, Some(queued.event_id));
    assert!(c.meta.date.as_deref().is_some_and(|d| d.contains('T')), "{:?}", c.meta.date);
    assert_eq!((c.command.id, c.command.name(), c.command.params.as_str()), (command.id, "help", "billing"));
    assert_eq!(c.command.context, CommandContext::Textarea);
    assert_eq!((c.message.id, c.message.text.as_str(), c.message.author_id), (carrier, "/help billing", svetlana));
    assert_eq!(c.chat.dialog(), Some(DialogId::User(svetlana)), "the dialog as the bot sees it");
    assert_eq!(c.user.as_ref().map(|u| u.name.as_str()), Some("Svetlana Ivanova"));
    assert_eq!(c.language, "en");
    let details = c.bot.details.as_ref().expect("fetched events carry the full bot");
    assert_eq!((c.bot.id, details.event_mode(), c.bot.auth.is_none()), (bot, Some(EventMode::Fetch), true));
    let V2Event::MessageAdd(m) = find(&got, "ONIMBOTV2MESSAGEADD").event().unwrap() else { panic!("message") };
    assert_eq!((m.message.id, m.bot.as_ref().map(|b| b.id)), (carrier, Some(bot)));
    assert_eq!(V2Event::MessageAdd(m.clone()).reply_to(), Some(DialogId::User(svetlana)));

    // At least once: until the next poll sends the cursor, the last batch is not acknowledged.
    let cursor = events.cursor().expect("a cursor after an answer");
    assert_eq!(cursor, ids.last().unwrap() + 1);
    let raw = admin.imbot_v2_event_get(bot, None, None, false).await.unwrap();
    assert!(!raw.events.is_empty() && raw.events.iter().all(|e| e.event_id < cursor), "{raw:?}");
    assert_eq!(raw.events.last().map(|e| e.event_id), ids.last().copied(), "handed out, not yet acknowledged");
    let one = admin.imbot_v2_event_get(bot, None, Some(1), false).await.unwrap();
    assert_eq!((one.events.len(), one.next_offset), (1, raw.events[0].event_id + 1));
    assert_eq!(one.has_more, raw.events.len() > 1);
    events.acknowledge().await.unwrap();
    let empty = admin.imbot_v2_event_get(bot, None, None, false).await.unwrap();
    assert!(empty.events.is_empty() && !empty.has_more);
    assert_eq!(Some(empty.next_offset), events.cursor(), "the cursor is kept on an empty answer");

    // The bot answers with a keyboard; Svetlana presses the button.
    let keyboard = Keyboard::for_bot(bot).button(Button::command("Billing", "help", "billing")).build().unwrap();
    let reply = imbot_sdk::methods::v2::CommandAnswerV2 { keyboard: Some(keyboard), ..c.answer("Topics:") };
    assert!(admin.imbot_v2_command_answer(bot, &reply).await.unwrap());
    let history = person.im_dialog_messages_get(&HistoryQuery::latest(DialogId::User(bot))).await.unwrap();
    let topics = history.messages.iter().find(|x| x.text == "Topics:").expect("the answer");
    assert_eq!(topics.author_id, bot);
    assert_eq!(topics.keyboard().unwrap()[0]["COMMAND"], "help");
    assert!(person.im_message_command(topics.id, bot, "help", "billing").await.unwrap());
    let pressed = until_types(&mut events, &["ONIMBOTV2COMMANDADD"]).await;
    let V2Event::CommandAdd(p) = find(&pressed, "ONIMBOTV2COMMANDADD").event().unwrap() else { panic!() };
    assert_eq!((p.command.context, p.message.id), (CommandContext::Keyboard, topics.id));

    // --- messages of the bot ---
    let attach = Attach::new().message("[B]card[/B]").build().unwrap();
    let msg = SendMessage { attach: Some(attach), ..SendMessage::new(DialogId::User(svetlana), "From the bot") };
    let sent = admin.imbot_v2_chat_message_send(bot, &msg).await.unwrap();
    assert!(sent.id > topics.id && sent.uuid_map.is_empty());
    assert!(admin.imbot_v2_chat_message_update(bot, &UpdateMessage::text(sent.id, "Edited")).await.unwrap());
    let history = person.im_dialog_messages_get(&HistoryQuery::latest(DialogId::User(bot))).await.unwrap();
    let shown = history.messages.iter().find(|x| x.id == sent.id).unwrap();
    assert_eq!(shown.text, "Edited");
    assert!(shown.attach().is_some());
    let err = admin.imbot_v2_chat_message_update(bot, &UpdateMessage::text(carrier, "not mine")).await.unwrap_err();
    assert_eq!(api_error(&err), ("ACCESS_DENIED", Some(400)));
    let err = admin
        .imbot_v2_chat_message_send(
            bot,
            &SendMessage { message: None, ..SendMessage::new(DialogId::User(svetlana), "") },
        )
        .await
        .unwrap_err();
    assert!(err.is_api("EMPTY_MESSAGE"), "{err}");
    assert!(admin.imbot_v2_chat_message_delete(bot, sent.id, false).await.unwrap());

    // Reactions on Svetlana's message; read marks; the indicator; the input field.
    assert!(admin.imbot_v2_chat_message_reaction_add(bot, carrier, Reaction::Fire).await.unwrap());
    let err = admin.imbot_v2_chat_message_reaction_add(bot, carrier, Reaction::Fire).await.unwrap_err();
    assert!(err.is_api("REACTION_ALREADY_SET"), "{err}");
    assert!(admin.imbot_v2_chat_message_reaction_delete(bot, carrier, Reaction::Fire).await.unwrap());
    // The bot's own posts read the dialog up to them; then Svetlana writes twice.
    let read = admin.imbot_v2_chat_message_read(bot, DialogId::User(svetlana), Some(carrier)).await.unwrap();
    assert!(read.last_id >= carrier && read.viewed_messages.is_empty(), "the mark never moves back: {read:?}");
    let n1 = person.im_message_add(&NewMessage::new(DialogId::User(bot), "one")).await.unwrap();
    let n2 = person.im_message_add(&NewMessage::new(DialogId::User(bot), "two")).await.unwrap();
    let read = admin.imbot_v2_chat_message_read(bot, DialogId::User(svetlana), Some(n1)).await.unwrap();
    assert_eq!((read.last_id, read.counter, read.viewed_messages.clone()), (n1, 1, vec![n1]));
    let all = admin.imbot_v2_chat_message_read(bot, DialogId::User(svetlana), None).await.unwrap();
    assert_eq!((all.last_id, all.counter, all.viewed_messages), (n2, 0, vec![n2]));
    let dialog = DialogId::User(svetlana);
    assert!(
        admin.imbot_v2_chat_input_action_notify(bot, dialog, Some(StatusMessageCode::Thinking), Some(5)).await.unwrap()
    );
    assert!(admin.imbot_v2_chat_input_action_notify(bot, dialog, None, None).await.unwrap());
    assert!(admin.imbot_v2_chat_text_field_enabled(bot, dialog, false).await.unwrap());
    let private = admin.imbot_v2_chat_get(bot, dialog).await.unwrap();
    assert!(!private.text_field_enabled);
    assert_eq!((private.dialog(), private.message_type.as_str()), (Some(dialog), "P"));
    assert!(admin.imbot_v2_chat_text_field_enabled(bot, dialog, true).await.unwrap());
    assert!(admin.imbot_v2_chat_get(bot, dialog).await.unwrap().text_field_enabled);

    // --- commands go, then the bot: ONIMBOTV2DELETE is its last event ---
    assert!(admin.imbot_v2_command_unregister(bot, command.id).await.unwrap());
    let err = admin.imbot_v2_command_unregister(bot, command.id).await.unwrap_err();
    assert!(err.is_api("COMMAND_NOT_FOUND"), "{err}");
    assert!(admin.imbot_v2_bot_unregister(bot).await.unwrap());
    let last = until_types(&mut events, &["ONIMBOTV2DELETE"]).await;
    let V2Event::Delete(d) = find(&last, "ONIMBOTV2DELETE").event().unwrap() else { panic!("delete") };
    assert_eq!(d.bot.id, bot);
    let err = admin.imbot_v2_bot_get(bot).await.unwrap_err();
    assert!(err.is_api("BOT_NOT_FOUND"), "{err}");
    server.stop().await;
}

#[tokio::test]
async fn chats_members_owner_and_history() {
    let server = Server::start().await;
    let admin = v2_client(&server, 1, TOKEN).await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let klaus = server.add_user("Klaus Weber").await;
    let ben = server.add_user("Ben Kraus").await;
    let person = server.client_for(svetlana, None).await;
    let supervisor =
        RegisterBotV2 { bot_type: Some(BotType::Supervisor), ..RegisterBotV2::fetch("sdk_watch", "Watch") };
    let watch = admin.imbot_v2_bot_register(&supervisor).await.unwrap().bot.id;
    let plain = admin.imbot_v2_bot_register(&RegisterBotV2::fetch("sdk_plain", "Plain")).await.unwrap().bot.id;

    // --- Chat.add / get / update ---
    let new = NewChatV2 {
        user_ids: vec![svetlana, klaus],
        color: Some(Color::Mint),
        description: Some("made by the SDK".into()),
        message: Some("Welcome".into()),
        ..NewChatV2::titled("SDK v2 chat")
    };
    let created = admin.imbot_v2_chat_add(watch, &new).await.unwrap();
    let chat = created.chat.dialog().expect("chatN");
    let DialogId::Chat(chat_id) = chat else { panic!("{chat:?}") };
    assert_eq!(
        (created.chat.owner, created.chat.role.as_deref(), created.chat.name.as_str()),
        (watch, Some("owner"), "SDK v2 chat")
    );
    assert_eq!(created.chat.color.as_deref(), Some("#4ba984"));
    assert!(created.chat.is_new);
    for id in [svetlana, klaus] {
        assert!(created.users.iter().any(|u| u.id == id), "{id} in {:?}", created.users);
    }
    let got = admin.imbot_v2_chat_get(watch, chat).await.unwrap();
    assert_eq!((got.id, got.description.as_str(), got.kind.as_str()), (chat_id, "made by the SDK", "chat"));
    let fields = ChatFieldsV2 { title: Some("Renamed".into()), ..Default::default() };
    assert!(admin.imbot_v2_chat_update(watch, chat, &fields).await.unwrap());
    assert_eq!(admin.imbot_v2_chat_get(watch, chat).await.unwrap().name, "Renamed");

    // --- members ---
    let members = admin.imbot_v2_chat_user_list(watch, chat, &UserListQuery::default()).await.unwrap();
    for id in [watch, svetlana, klaus] {
        assert!(members.iter().any(|u| u.id == id), "{id} in {members:?}");
    }
    let two = UserListQuery { order: Some((ChatUserOrderField::Id, SortDirection::Desc)), limit: Some(2) };
    let top = admin.imbot_v2_chat_user_list(watch, chat, &two).await.unwrap();
    assert_eq!(top.len(), 2);
    assert!(top[0].id > top[1].id, "{top:?}");
    assert!(admin.imbot_v2_chat_user_add(watch, chat, &[ben, plain]).await.unwrap());
    let members = admin.imbot_v2_chat_user_list(watch, chat, &UserListQuery::default()).await.unwrap();
    assert!(members.iter().any(|u| u.id == ben) && members.iter().any(|u| u.id == plain && u.bot));
    assert!(admin.imbot_v2_chat_user_delete(watch, chat, ben).await.unwrap());
    let members = admin.imbot_v2_chat_user_list(watch, chat, &UserListQuery::default()).await.unwrap();
    assert!(!members.iter().any(|u| u.id == ben));
    let err = admin.imbot_v2_chat_user_add(watch, chat, &[]).await.unwrap_err();
    assert!(err.is_api("EMPTY_USER_IDS"), "{err}");

    // --- managers ---
    assert!(admin.imbot_v2_chat_manager_add(watch, chat, &[svetlana]).await.unwrap());
    assert!(admin.imbot_v2_chat_get(watch, chat).await.unwrap().manager_list.contains(&svetlana));
    assert!(admin.imbot_v2_chat_manager_delete(watch, chat, &[svetlana]).await.unwrap());
    assert!(!admin.imbot_v2_chat_get(watch, chat).await.unwrap().manager_list.contains(&svetlana));

    // --- history: supervisor bots only ---
    let mut ids = Vec::new();
    for text in ["one", "two", "three"] {
        ids.push(person.im_message_add(&NewMessage::new(chat, text)).await.unwrap());
    }
    let found = admin.imbot_v2_chat_message_get(watch, ids[1]).await.unwrap();
    assert_eq!((found.message.text.as_str(), found.message.chat_id, found.user.id), ("two", chat_id, svetlana));
    assert_eq!(found.message.author_id, svetlana);
    let ctx = admin.imbot_v2_chat_message_get_context(watch, ids[1], Some(1)).await.unwrap();
    assert_eq!(ctx.messages.iter().map(|m| m.id).collect::<Vec<_>>(), ids);
    assert_eq!(ctx.author(&ctx.messages[0]).map(|u| u.name.as_str()), Some("Svetlana Ivanova"));
    assert!(ctx.has_prev_page, "the welcome message is before");
    let err = admin.imbot_v2_chat_message_get(plain, ids[0]).await.unwrap_err();
    assert_eq!(api_error(&err), ("BOT_TYPE_NOT_ALLOWED", Some(400)));
    let err = admin.imbot_v2_chat_message_get_context(plain, ids[0], None).await.unwrap_err();
    assert!(err.is_api("BOT_TYPE_NOT_ALLOWED"), "{err}");

    // A bot message in the chat, a reaction by the other bot on it.
    let hello = admin.imbot_v2_chat_message_send(watch, &SendMessage::new(chat, "Hello from the bot")).await.unwrap();
    assert!(admin.imbot_v2_chat_message_reaction_add(plain, hello.id, Reaction::Like).await.unwrap());
    let err =
        admin.imbot_v2_chat_message_reaction_add(plain, hello.id, Reaction::parse("like").unwrap()).await.unwrap_err();
    assert!(err.is_api("REACTION_ALREADY_SET"), "{err}");

    // --- owner, leaving ---
    assert!(admin.imbot_v2_chat_set_owner(watch, chat, svetlana).await.unwrap());
    let now = admin.imbot_v2_chat_get(watch, chat).await.unwrap();
    assert_eq!(now.owner, svetlana);
    assert_ne!(now.role.as_deref(), Some("owner"));
    assert!(admin.imbot_v2_chat_leave(plain, chat).await.unwrap());
    let err = admin.imbot_v2_chat_get(plain, chat).await.unwrap_err();
    assert_eq!(api_error(&err), ("ACCESS_DENIED", Some(400)));
    server.stop().await;
}

#[tokio::test]
async fn user_events_context_and_user_events_with_the_bot() {
    let server = Server::start().await;
    let admin = v2_client(&server, 1, TOKEN).await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let klaus = server.add_user("Klaus Weber").await;
    let person = server.client_for(svetlana, None).await;
    let other = server.client_for(klaus, None).await;
    let bot = admin.imbot_v2_bot_register(&RegisterBotV2::fetch("sdk_ctx", "Ctx")).await.unwrap().bot.id;

    // --- Svetlana's own queue ---
    let nothing = person.im_v2_event_get(None, None).await.unwrap();
    assert!(nothing.events.is_empty(), "not subscribed: nothing, no error");
    assert!(person.im_v2_event_subscribe().await.unwrap());
    assert!(person.im_v2_event_subscribe().await.unwrap(), "idempotent");
    let m = other.im_message_add(&NewMessage::new(DialogId::User(svetlana), "Hi Svetlana")).await.unwrap();
    let mut mine = EventPoller::user(person.clone())
        .idle_backoff(Duration::from_millis(25), Duration::from_millis(200))
        .busy_pause(Duration::ZERO);
    let got = until_types(&mut mine, &["ONIMV2MESSAGEADD"]).await;
    let e = find(&got, "ONIMV2MESSAGEADD").event().unwrap();
    assert!(e.is_user_event() && e.bot().is_none());
    let V2Event::MessageAdd(added) = &e else { panic!("{e:?}") };
    assert_eq!((added.message.id, added.message.text.as_str()), (m, "Hi Svetlana"));
    assert_eq!(added.user.as_ref().map(|u| u.id), Some(klaus));
    assert_eq!(added.chat.dialog(), Some(DialogId::User(klaus)), "the dialog as Svetlana sees it");
    assert!(added.chat.role.is_none(), "the event form of the chat");
    mine.acknowledge().await.unwrap();
    assert!(person.im_v2_event_get(None, None).await.unwrap().events.is_empty(), "acknowledged");
    assert!(person.im_v2_event_unsubscribe().await.unwrap());
    other.im_message_add(&NewMessage::new(DialogId::User(svetlana), "nobody records this")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(person.im_v2_event_get(mine.cursor(), None).await.unwrap().events.is_empty());

    // --- im.v2.Chat.Bot.sendContext → ONIMBOTV2CONTEXTGET ---
    let context = json!({"orderId": 42, "source": "crm"});
    assert!(person.im_v2_chat_bot_send_context(DialogId::User(bot), &context).await.unwrap());
    let mut events = poller(&admin, bot);
    let got = until_types(&mut events, &["ONIMBOTV2CONTEXTGET"]).await;
    let V2Event::ContextGet(c) = find(&got, "ONIMBOTV2CONTEXTGET").event().unwrap() else { panic!("context") };
    assert_eq!((c.context["orderId"].as_i64(), c.context["source"].as_str()), (Some(42), Some("crm")));
    assert_eq!(
        (c.dialog_id, c.user.as_ref().map(|u| u.id), c.bot.id),
        (Some(DialogId::User(svetlana)), Some(svetlana), bot)
    );

    // --- withUserEvents: the calling user's events in the bot's queue, one offset for both ---
    let err = admin.imbot_v2_event_get(bot, None, None, true).await.unwrap_err();
    assert!(err.is_api("USER_NOT_SUBSCRIBED"), "{err}");
    assert!(admin.im_v2_event_subscribe().await.unwrap());
    let chat = person.im_chat_add(&NewChat { users: vec![1, bot], ..NewChat::titled("Mixed") }).await.unwrap();
    person
        .im_message_add(&NewMessage::new(DialogId::Chat(chat), format!("[USER={bot}]Ctx[/USER] and everyone")))
        .await
        .unwrap();
    let mut both = poller(&admin, bot).with_user_events(true);
    let got = until_types(&mut both, &["ONIMBOTV2MESSAGEADD", "ONIMV2MESSAGEADD"]).await;
    let ids: Vec<i64> = got.iter().map(|e| e.event_id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "one sequence: {ids:?}");
    for q in &got {
        let e = q.event().unwrap_or_else(|err| panic!("{}: {err}", q.kind));
        assert_eq!(e.is_user_event(), q.kind.starts_with("ONIMV2"), "{}", q.kind);
    }
    both.acknowledge().await.unwrap();
    assert!(admin.im_v2_event_get(None, None).await.unwrap().events.is_empty(), "one offset acknowledged both");
    assert!(admin.im_v2_event_unsubscribe().await.unwrap());

    // The Stream form of the poller yields events one by one.
    use futures_util::StreamExt;
    person.im_message_add(&NewMessage::new(DialogId::User(bot), "streamed")).await.unwrap();
    let mut stream = std::pin::pin!(poller(&admin, bot).resume_at(both.cursor().unwrap()).into_stream());
    let first = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.expect("a streamed event");
    let first = first.expect("the stream goes on").unwrap();
    assert_eq!(first.kind, "ONIMBOTV2MESSAGEADD");
    assert_eq!(first.event().unwrap().message().map(|m| m.text.as_str()), Some("streamed"));
    server.stop().await;
}

#[tokio::test]
async fn files_when_the_server_has_them() {
    let server = Server::start().await;
    let admin = v2_client(&server, 1, TOKEN).await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let person = server.client_for(svetlana, None).await;
    let bot = admin.imbot_v2_bot_register(&RegisterBotV2::fetch("sdk_files", "Files")).await.unwrap().bot.id;
    let chat =
        DialogId::Chat(person.im_chat_add(&NewChat { users: vec![bot], ..NewChat::titled("Files") }).await.unwrap());
    let missing = |e: &Error| e.is_api("ERROR_METHOD_NOT_FOUND");

    let file = NewFile { message: Some("The report".into()), ..NewFile::new("report.csv", b"a,b\n1,2\n".to_vec()) };
    match admin.imbot_v2_file_upload(bot, chat, &file).await {
        Err(e) if missing(&e) => eprintln!("skipped: this imbotd has no imbot.v2.File.upload yet ({e})"),
        Err(e) => panic!("imbot.v2.File.upload: {e}"),
        Ok(up) => {
            assert_eq!((up.file.name.as_str(), up.file.extension.as_str(), up.file.size), ("report.csv", "csv", 8));
            assert_eq!((up.dialog(), up.chat_id, up.file.chat_id), (Some(chat), up.file.chat_id, up.chat_id));
            assert!(up.message_id > 0 && up.file.id > 0);
            match admin.imbot_v2_file_download(bot, up.file.id).await {
                Err(e) if missing(&e) => eprintln!("skipped: no imbot.v2.File.download yet ({e})"),
                Err(e) => panic!("imbot.v2.File.download: {e}"),
                Ok(url) => assert!(url.contains("download.json?token="), "{url}"),
            }
            let err = admin.imbot_v2_file_download(bot, 9_999_999).await.unwrap_err();
            assert!(err.is_api("FILE_NOT_FOUND") || missing(&err), "{err}");
        }
    }
    match person.im_v2_file_upload(chat, &NewFile::new("notes.txt", b"hello".to_vec())).await {
        Err(e) if missing(&e) => eprintln!("skipped: this imbotd has no im.v2.File.upload yet ({e})"),
        Err(e) => panic!("im.v2.File.upload: {e}"),
        Ok(up) => {
            assert_eq!((up.file.name.as_str(), up.file.size, up.dialog()), ("notes.txt", 5, Some(chat)));
            assert_eq!(up.file.author_id, Some(svetlana));
            match person.im_v2_file_download(chat, up.file.id).await {
                Err(e) if missing(&e) => eprintln!("skipped: no im.v2.File.download yet ({e})"),
                Err(e) => panic!("im.v2.File.download: {e}"),
                Ok(url) => assert!(url.contains("download.json?token="), "{url}"),
            }
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn several_bots_under_their_own_tokens_and_rotation() {
    let server = Server::start().await;
    let hook = server.webhook_for(1, "im,imbot").await;
    let first = Client::webhook(&hook).bot_token("token-one").build().unwrap();
    let second = first.with_bot_token("token-two");
    let a = first.imbot_v2_bot_register(&RegisterBotV2::fetch("sdk_a", "A")).await.unwrap().bot.id;
    let b = second.imbot_v2_bot_register(&RegisterBotV2::fetch("sdk_b", "B")).await.unwrap().bot.id;
    let ids = |c: Client| async move {
        c.imbot_v2_bot_list(&BotListQuery::default()).await.unwrap().bots.iter().map(|b| b.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(first.clone()).await, vec![a]);
    assert_eq!(ids(second.clone()).await, vec![b]);
    let err = second.imbot_v2_command_list(a).await.unwrap_err();
    assert_eq!(api_error(&err), ("BOT_OWNERSHIP_ERROR", Some(400)));

    // A token inside the request's fields wins over the client's.
    let own = RegisterBotV2 { bot_token: Some("token-three".into()), ..RegisterBotV2::fetch("sdk_c", "C") };
    let c = first.imbot_v2_bot_register(&own).await.unwrap().bot.id;
    assert_eq!(ids(first.with_bot_token("token-three")).await, vec![c]);

    // Rotation: authorised with the old token, the new one in fields; the old one stops at once.
    let rotate = UpdateBotV2 { bot_token: Some("token-one-b".into()), ..Default::default() };
    first.imbot_v2_bot_update(a, &rotate).await.unwrap();
    let err = first.imbot_v2_command_list(a).await.unwrap_err();
    assert!(err.is_api("BOT_OWNERSHIP_ERROR"), "{err}");
    assert!(first.with_bot_token("token-one-b").imbot_v2_command_list(a).await.unwrap().is_empty());

    // Batches carry the token too.
    let rotated = first.with_bot_token("token-one-b");
    let answer = rotated
        .batch()
        .add("list", "imbot.v2.Command.list", json!({"botId": a}))
        .add("rev", "imbot.v2.Revision.get", json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.get::<serde_json::Value>("list").unwrap(), json!({"commands": []}));
    assert_eq!(answer.get::<serde_json::Value>("rev").unwrap()["rest"], 36);
    server.stop().await;
}
