//! v2 events: a webhook-mode bot's form-encoded POSTs as the server makes them (captured by a fake handler,
//! parsed, verified by the synthetic application token, answered with the bot's own tokens, replayed through the
//! axum router), and the documented examples of docs/v2.md §5 (the §5.5 sketch and SPEC-NOTES bytes, the complete
//! body, the §5.3 fetch `data`, the §3.6 `Event.get` answer).

use crate::common::Server;
use imbot_sdk::events::{CommandContext, EventError, V2Event, parse_event, parse_v2_event};
use imbot_sdk::imbot_wire::form::http_build_query;
use imbot_sdk::imbot_wire::v2::events::synthetic_application_token;
use imbot_sdk::methods::im::{HistoryQuery, NewMessage};
use imbot_sdk::methods::v2::{
    BotType, EventMode, EventPage, Reaction, ReactionAction, RegisterBotV2, SendMessage, UpdateBotV2,
};
use imbot_sdk::receiver::{Received, Receiver, ReceiverConfig, router};
use imbot_sdk::{Client, DialogId, Event};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::mpsc;

const PUSH: &str = "sdk-push-token";

type Delivery = (http::HeaderMap, axum::body::Bytes);

/// A fake event handler: every POST (any path) is answered `200` and handed over with its headers.
async fn capture() -> (String, mpsc::UnboundedReceiver<Delivery>) {
    let (tx, rx) = mpsc::unbounded_channel::<Delivery>();
    let handle = move |headers: http::HeaderMap, body: axum::body::Bytes| {
        let tx = tx.clone();
        async move {
            let _ = tx.send((headers, body));
            "ok"
        }
    };
    let app = axum::Router::new().route("/{*path}", axum::routing::post(handle));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

/// The next captured POST of event `name` (others are skipped).
async fn next_event(rx: &mut mpsc::UnboundedReceiver<Delivery>, name: &str) -> Delivery {
    loop {
        let got = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await;
        let (headers, body) = got.unwrap_or_else(|_| panic!("no {name} POST")).expect("the handler runs");
        if parse_event(&body).map(|e| e.name() == name).unwrap_or(false) {
            return (headers, body);
        }
    }
}

#[tokio::test]
async fn a_webhook_bot_receives_form_posts_made_by_the_server() {
    let server = Server::start().await;
    let (url, mut rx) = capture().await;
    let admin = Client::webhook(server.webhook_for(1, "im,imbot,user").await).bot_token(PUSH).build().unwrap();
    let reg =
        admin.imbot_v2_bot_register(&RegisterBotV2::webhook("sdk_push", "Push", format!("{url}/v2"))).await.unwrap();
    assert_eq!(reg.bot.event_mode(), Some(EventMode::Webhook));
    let bot = reg.bot.id;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let person = server.client_for(svetlana, None).await;
    let m = person.im_message_add(&NewMessage::new(DialogId::User(bot), "Hello bot!")).await.unwrap();

    let (headers, body) = next_event(&mut rx, "ONIMBOTV2MESSAGEADD").await;
    assert_eq!(headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    assert!(std::str::from_utf8(&body).unwrap().contains("data%5Bbot%5D%5Bid%5D="), "form-encoded");
    let Event::V2(V2Event::MessageAdd(e)) = parse_event(&body).unwrap() else { panic!("a v2 message") };
    assert_eq!(parse_v2_event(&body).unwrap(), V2Event::MessageAdd(e.clone()));
    // Envelope: the subscription, the time, and the top-level auth {domain, application_token}.
    assert!(e.meta.handler_id.is_some_and(|h| h > 0) && e.meta.ts.is_some_and(|t| (t - server.now()).abs() < 60));
    let top = e.meta.auth.as_ref().unwrap();
    assert_eq!(top.application_token, Some(synthetic_application_token(PUSH)));
    assert!(top.domain.is_some() && top.access_token.is_none());
    assert_eq!(e.meta.event_id, None, "a POST, not a fetched event");
    // The bot with its own tokens.
    let b = e.bot.as_ref().unwrap();
    assert_eq!((b.id, b.code.as_str(), b.details.is_none()), (bot, "sdk_push", true));
    let tokens = b.auth.as_ref().unwrap();
    assert_eq!(tokens.user_id, Some(bot), "the bot's own tokens");
    assert!(tokens.access_token.is_some() && tokens.client_endpoint.is_some());
    // The content, every string read back into its type.
    assert_eq!((e.message.id, e.message.text.as_str(), e.message.author_id), (m, "Hello bot!", svetlana));
    assert!(!e.message.is_system && e.message.date.is_some());
    assert_eq!(e.chat.dialog(), Some(DialogId::User(svetlana)));
    assert_eq!(e.chat.message_type, "P");
    let user = e.user.as_ref().unwrap();
    assert_eq!((user.id, user.name.as_str(), user.active, user.bot), (svetlana, "Svetlana Ivanova", true, false));
    assert!(user.idle.is_none() && user.last_activity_date.is_none(), "online fields are false in events");
    assert_eq!(e.language, "en");

    // The receiver verifies the synthetic application token of the botToken.
    let receiver = Receiver::new(ReceiverConfig::new().bot_token(PUSH));
    match receiver.receive(&headers, &body).unwrap() {
        Received::Event(ev) => assert_eq!(ev.name(), "ONIMBOTV2MESSAGEADD"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(receiver.receive(&headers, &body), Ok(Received::Duplicate { .. })), "same webhook-id");
    let wrong = Receiver::new(ReceiverConfig::new().bot_token("another-token"));
    assert_eq!(wrong.receive(&headers, &body), Err(EventError::ApplicationToken));
    let v1_style = Receiver::new(ReceiverConfig::new().application_token(PUSH));
    assert_eq!(v1_style.receive(&headers, &body), Err(EventError::ApplicationToken), "not the token in clear");
    assert_eq!(Event::V2(V2Event::MessageAdd(e.clone())).bots()[0].bot_id, bot);

    // The bot answers with the tokens it was given (no botToken: they are OAuth tokens of the bot).
    let as_bot = b.client().unwrap();
    let reply = SendMessage::new(V2Event::MessageAdd(e.clone()).reply_to().unwrap(), "Hi Svetlana");
    as_bot.imbot_v2_chat_message_send(bot, &reply).await.unwrap();
    let history = person.im_dialog_messages_get(&HistoryQuery::latest(DialogId::User(bot))).await.unwrap();
    assert!(history.messages.iter().any(|x| x.text == "Hi Svetlana" && x.author_id == bot));

    // The same body through the axum router: 200, handed over as Event::V2.
    let (tx, mut got) = mpsc::unbounded_channel::<Event>();
    let app =
        router(Receiver::new(ReceiverConfig::new().bot_token(PUSH)), admin.clone(), move |ev: Event, _c: Client| {
            let tx = tx.clone();
            async move { tx.send(ev).map_err(imbot_sdk::Error::other) }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let router_url = format!("http://{}/v2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::new();
    let status = http.post(&router_url).body(body.clone()).send().await.unwrap().status();
    assert_eq!(status, 200);
    let ev = tokio::time::timeout(Duration::from_secs(5), got.recv()).await.unwrap().unwrap();
    assert!(matches!(ev, Event::V2(V2Event::MessageAdd(ref x)) if x.message.id == m), "{ev:?}");
    let forged = String::from_utf8_lossy(&body).replace(&synthetic_application_token(PUSH), "0000");
    assert_eq!(http.post(&router_url).body(forged).send().await.unwrap().status(), 401);

    // Switching to fetch mode stops the POSTs; the events are then in Event.get.
    let fetch = UpdateBotV2 { event_mode: Some(EventMode::Fetch), ..Default::default() };
    assert_eq!(admin.imbot_v2_bot_update(bot, &fetch).await.unwrap().bot.event_mode(), Some(EventMode::Fetch));
    person.im_message_add(&NewMessage::new(DialogId::User(bot), "now fetch me")).await.unwrap();
    let page = crate::common::wait_for("the fetched message", 10, || async {
        let p = admin.imbot_v2_event_get(bot, None, None, false).await.unwrap();
        (!p.events.is_empty()).then_some(p)
    })
    .await;
    let V2Event::MessageAdd(f) = page.events[0].event().unwrap() else { panic!("{:?}", page.events[0]) };
    assert_eq!(f.message.text, "now fetch me");
    // Deleting the bot: its last POST would carry no tokens; here it is fetched.
    assert!(admin.imbot_v2_bot_unregister(bot).await.unwrap());
    server.stop().await;
}

/// docs/v2.md §5.5, the page's sketch of a webhook POST, as JSON.
const SKETCH_5_5: &str = r##"{"event": "ONIMBOTV2MESSAGEADD",
 "data": {"bot": {"id": 456, "code": "support_bot",
                  "auth": {"access_token": "...", "refresh_token": "...", "application_token": "..."}},
          "message": {}, "chat": {}, "user": {}},
 "ts": 1772093963,
 "auth": {"domain": "your-account.bitrix24.com", "application_token": "..."}}"##;

/// docs/v2.md §5.5 (SPEC-NOTES §3.4's v2 example), verbatim: `…` stands for pairs left out.
const SPEC_NOTES_V2: &str = "event=ONIMBOTV2MESSAGEADD&event_handler_id=1201&data%5Bbot%5D%5Bid%5D=456&data%5Bbot%5D%5Bcode%5D=support_bot&data%5Bbot%5D%5Bauth%5D%5Baccess_token%5D=AT&…&data%5Bbot%5D%5Bauth%5D%5Buser_id%5D=456&data%5Bbot%5D%5Bauth%5D%5Bapplication_token%5D=APPTOKEN&data%5Bmessage%5D%5Bid%5D=789&data%5Bmessage%5D%5BchatId%5D=5&data%5Bmessage%5D%5BauthorId%5D=1&data%5Bmessage%5D%5Bdate%5D=2025-01-15T10%3A30%3A00%2B02%3A00&data%5Bmessage%5D%5Btext%5D=Hello+bot%21&data%5Bmessage%5D%5BisSystem%5D=0&data%5Bmessage%5D%5Buuid%5D=&data%5Bmessage%5D%5BviewedByOthers%5D=0&data%5Bchat%5D%5Bid%5D=5&data%5Bchat%5D%5BdialogId%5D=chat5&…&data%5Buser%5D%5Bactive%5D=1&…&data%5Blanguage%5D=en&ts=1772093963&auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bapplication_token%5D=APPTOKEN";

/// The complete body §5.5 describes (imbot-wire's `webhook_body_complete_message_add`), one pair a line.
const COMPLETE: &[&str] = &[
    "event=ONIMBOTV2MESSAGEADD",
    "event_handler_id=1201",
    "data[bot][id]=456",
    "data[bot][code]=support_bot",
    "data[bot][auth][access_token]=AT",
    "data[bot][auth][expires]=1772093963",
    "data[bot][auth][expires_in]=3600",
    "data[bot][auth][scope]=imbot",
    "data[bot][auth][domain]=some-domain.bitrix24.com",
    "data[bot][auth][server_endpoint]=https%3A%2F%2Foauth.bitrix.info%2Frest%2F",
    "data[bot][auth][status]=F",
    "data[bot][auth][client_endpoint]=https%3A%2F%2Fsome-domain.bitrix24.com%2Frest%2F",
    "data[bot][auth][member_id]=bac1cd5c8940947a75e0d71b1a84e348",
    "data[bot][auth][user_id]=456",
    "data[bot][auth][application_token]=APPTOKEN",
    "data[message][id]=789",
    "data[message][chatId]=5",
    "data[message][authorId]=1",
    "data[message][date]=2025-01-15T10%3A30%3A00%2B02%3A00",
    "data[message][text]=Hello+bot%21",
    "data[message][isSystem]=0",
    "data[message][uuid]=",
    "data[message][viewedByOthers]=0",
    "data[chat][id]=5",
    "data[chat][dialogId]=chat5",
    "data[chat][name]=Support+Chat",
    "data[chat][type]=chat",
    "data[chat][messageType]=C",
    "data[chat][owner]=1",
    "data[chat][color]=%23ab7761",
    "data[chat][avatar]=",
    "data[chat][description]=",
    "data[chat][extranet]=0",
    "data[chat][containsCollaber]=0",
    "data[chat][entityType]=",
    "data[chat][entityId]=",
    "data[chat][entityData1]=",
    "data[chat][entityData2]=",
    "data[chat][entityData3]=",
    "data[chat][diskFolderId]=42",
    "data[chat][parentChatId]=0",
    "data[chat][parentMessageId]=0",
    "data[chat][isNew]=0",
    "data[chat][textFieldEnabled]=Y",
    "data[user][id]=1",
    "data[user][active]=1",
    "data[user][name]=John+Smith",
    "data[user][firstName]=John",
    "data[user][lastName]=Smith",
    "data[user][workPosition]=Developer",
    "data[user][color]=%23df532d",
    "data[user][avatar]=",
    "data[user][gender]=M",
    "data[user][birthday]=",
    "data[user][extranet]=0",
    "data[user][bot]=0",
    "data[user][connector]=0",
    "data[user][externalAuthId]=default",
    "data[user][status]=online",
    "data[user][idle]=0",
    "data[user][lastActivityDate]=0",
    "data[user][mobileLastDate]=0",
    "data[user][desktopLastDate]=0",
    "data[user][absent]=0",
    "data[user][departments][0]=1",
    "data[user][phones]=0",
    "data[user][website]=",
    "data[user][email]=john%40example.com",
    "data[user][type]=employee",
    "data[language]=en",
    "ts=1772093963",
    "auth[domain]=some-domain.bitrix24.com",
    "auth[application_token]=APPTOKEN",
];

#[test]
fn the_documented_webhook_bodies() {
    // The sketch has empty placeholders for message/chat/user: a message event without a message id is refused…
    let sketch: Value = serde_json::from_str(SKETCH_5_5).unwrap();
    let form = http_build_query(sketch.as_object().unwrap());
    assert!(matches!(parse_v2_event(form.as_bytes()), Err(EventError::Malformed(ref m)) if m.contains("message")));
    assert!(matches!(parse_v2_event(SKETCH_5_5.as_bytes()), Err(EventError::Malformed(_))), "JSON bodies too");
    // … and with a message id its envelope and bot entry read as documented.
    let mut filled = sketch.clone();
    filled["data"]["message"] = json!({"id": 789, "text": "Hello bot!"});
    let V2Event::MessageAdd(e) = parse_v2_event(http_build_query(filled.as_object().unwrap()).as_bytes()).unwrap()
    else {
        panic!("message add")
    };
    let bot = e.bot.as_ref().unwrap();
    assert_eq!((bot.id, bot.code.as_str()), (456, "support_bot"));
    assert_eq!(bot.auth.as_ref().unwrap().refresh_token.as_deref(), Some("..."));
    assert_eq!(e.meta.ts, Some(1772093963));
    assert_eq!(e.meta.auth.as_ref().unwrap().domain.as_deref(), Some("your-account.bitrix24.com"));
    assert!(e.user.is_none() && e.chat.id == 0, "empty objects are left out of a form body");

    // The SPEC-NOTES bytes, the elided pairs dropped.
    let elided = SPEC_NOTES_V2.replace("&…", "");
    let V2Event::MessageAdd(e) = parse_v2_event(elided.as_bytes()).unwrap() else { panic!("message add") };
    assert_eq!((e.meta.handler_id, e.meta.ts), (Some(1201), Some(1772093963)));
    assert_eq!(e.meta.auth.as_ref().unwrap().application_token.as_deref(), Some("APPTOKEN"));
    let auth = e.bot.as_ref().unwrap().auth.as_ref().unwrap();
    assert_eq!((auth.access_token.as_deref(), auth.user_id), (Some("AT"), Some(456)));
    assert_eq!((e.message.id, e.message.chat_id, e.message.author_id), (789, 5, 1));
    assert_eq!((e.message.text.as_str(), e.message.date.as_deref()), ("Hello bot!", Some("2025-01-15T10:30:00+02:00")));
    assert!(!e.message.is_system && !e.message.viewed_by_others && e.message.uuid.is_empty());
    assert_eq!((e.chat.id, e.chat.dialog()), (5, Some(DialogId::Chat(5))));
    assert!(e.user.as_ref().unwrap().active);
    assert_eq!(e.language, "en");

    // The complete body: every field back in its type.
    let body: String = COMPLETE
        .iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            format!("{}={v}", k.replace('[', "%5B").replace(']', "%5D"))
        })
        .collect::<Vec<_>>()
        .join("&");
    let V2Event::MessageAdd(e) = parse_v2_event(body.as_bytes()).unwrap() else { panic!("message add") };
    let auth = e.bot.as_ref().unwrap().auth.as_ref().unwrap();
    assert_eq!((auth.expires, auth.expires_in, auth.status.as_deref()), (Some(1772093963), Some(3600), Some("F")));
    assert_eq!(auth.client_endpoint.as_deref(), Some("https://some-domain.bitrix24.com/rest/"));
    assert_eq!(e.bot.as_ref().unwrap().client().unwrap().endpoint(), "https://some-domain.bitrix24.com/rest/");
    let c = &e.chat;
    assert_eq!((c.name.as_str(), c.kind.as_str(), c.message_type.as_str(), c.owner), ("Support Chat", "chat", "C", 1));
    assert_eq!(
        (c.color.as_deref(), c.disk_folder_id, c.parent_chat_id, c.parent_message_id),
        (Some("#ab7761"), Some(42), None, None)
    );
    assert!(c.text_field_enabled && !c.is_new && !c.extranet && c.role.is_none());
    let u = e.user.as_ref().unwrap();
    assert_eq!(
        (u.id, u.name.as_str(), u.first_name.as_str(), u.work_position.as_str()),
        (1, "John Smith", "John", "Developer")
    );
    assert_eq!((u.color.as_str(), u.gender.as_str(), u.external_auth_id.as_str()), ("#df532d", "M", "default"));
    assert_eq!((u.departments.clone(), u.email.as_str(), u.kind.as_str()), (vec![1], "john@example.com", "employee"));
    assert!(u.active && !u.bot && u.idle.is_none() && u.absent.is_none() && u.phones.is_none());
    assert!(u.extra.is_empty(), "every documented field is typed: {:?}", u.extra);
    assert!(c.extra.is_empty(), "{:?}", c.extra);
    assert_eq!(V2Event::MessageAdd(e).reply_to(), Some(DialogId::Chat(5)));
}

/// docs/v2.md §5.3: the fetch `data` of ONIMBOTV2MESSAGEADD.
const FETCH_5_3: &str = r##"{"bot": {"id": 456, "code": "support_bot", "type": "bot", "isHidden": false, "isSupportOpenline": false,
         "isReactionsEnabled": true, "backgroundId": null, "language": "en", "moduleId": "rest",
         "eventMode": "fetch", "countMessage": 150, "countCommand": 3, "countChat": 12, "countUser": 45},
 "message": {"id": 789, "chatId": 5, "authorId": 1, "date": "2025-01-15T10:30:00+02:00", "text": "Hello bot!",
             "isSystem": false, "uuid": "", "forward": null, "params": {}, "viewedByOthers": false},
 "chat": {"id": 5, "dialogId": "chat5", "type": "chat", "name": "Support Chat", "entityType": "", "owner": 1,
          "avatar": "", "color": "#ab7761"},
 "user": {"id": 1, "active": true, "name": "John Smith", "…": "…", "lastActivityDate": "2025-01-15T10:29:00+02:00",
          "absent": false, "departments": [1], "phones": false, "type": "employee"},
 "language": "en"}"##;

/// docs/v2.md §4.1: the event form of a user.
const USER_4_1: &str = r##"{"id": 1, "active": true, "name": "John Smith", "firstName": "John", "lastName": "Smith",
 "workPosition": "Developer", "color": "#df532d", "avatar": "", "gender": "M", "birthday": "", "extranet": false,
 "bot": false, "connector": false, "externalAuthId": "default", "status": "online", "idle": false,
 "lastActivityDate": false, "mobileLastDate": false, "desktopLastDate": false, "absent": false,
 "departments": [1], "phones": false, "website": "", "email": "john@example.com", "type": "employee"}"##;

#[test]
fn the_documented_fetch_data() {
    let data: Value = serde_json::from_str(FETCH_5_3).unwrap();
    let e =
        V2Event::from_fetch("ONIMBOTV2MESSAGEADD", data.clone(), Some(1001), Some("2025-01-15T10:30:00+02:00".into()))
            .unwrap();
    let V2Event::MessageAdd(m) = &e else { panic!("message add") };
    let bot = m.bot.as_ref().unwrap();
    let details = bot.details.as_ref().expect("the full bot");
    assert_eq!((bot.id, details.bot_type(), details.event_mode()), (456, Some(BotType::Bot), Some(EventMode::Fetch)));
    assert_eq!(
        (details.count_message, details.count_user, details.module_id.as_deref()),
        (Some(150), Some(45), Some("rest"))
    );
    assert!(bot.auth.is_none(), "fetched events carry no tokens");
    assert_eq!((m.message.text.as_str(), m.chat.name.as_str(), m.chat.owner), ("Hello bot!", "Support Chat", 1));
    let u = m.user.as_ref().unwrap();
    assert_eq!((u.last_activity_date.as_deref(), u.departments.clone()), (Some("2025-01-15T10:29:00+02:00"), vec![1]));
    assert_eq!(u.extra["…"], "…", "unknown keys are kept");
    assert_eq!((e.meta().event_id, e.meta().date.as_deref()), (Some(1001), Some("2025-01-15T10:30:00+02:00")));
    assert!(e.application_token().is_none() && !e.is_user_event());

    // The other §5.3 examples, with the bot of the first and the user of §4.1.
    let user: Value = serde_json::from_str(USER_4_1).unwrap();
    let with = |mut extra: Value| {
        extra["bot"] = data["bot"].clone();
        if extra.get("user").is_some() {
            extra["user"] = user.clone();
        }
        extra
    };
    let ctx = with(json!({"dialogId": "1", "context": {"entityId": 164, "entityType": "task", "source": "link"},
        "chat": {"id": 5, "dialogId": "1", "type": "private", "name": "", "entityType": "", "owner": 456, "avatar": "",
                 "color": "#ab7761"}, "user": {}, "language": "en"}));
    let V2Event::ContextGet(c) = V2Event::from_fetch("ONIMBOTV2CONTEXTGET", ctx, None, None).unwrap() else { panic!() };
    assert_eq!((c.dialog_id, c.context["entityId"].as_i64(), c.chat.owner), (Some(DialogId::User(1)), Some(164), 456));
    assert_eq!(c.chat.chat_type(), Some(imbot_sdk::methods::v2::ChatType::Private));
    assert_eq!(c.user.as_ref().unwrap().email, "john@example.com");
    let cmd = with(json!({"command": {"id": 78, "command": "/help", "params": "topic", "context": "textarea"},
        "message": {"id": 790, "chatId": 5, "authorId": 1, "text": "/help topic"}, "chat": {"id": 5, "dialogId": "1"},
        "user": {}, "language": "en"}));
    let V2Event::CommandAdd(c) = V2Event::from_fetch("ONIMBOTV2COMMANDADD", cmd, None, None).unwrap() else { panic!() };
    assert_eq!((c.command.id, c.command.name(), c.command.params.as_str()), (78, "help", "topic"));
    assert_eq!(c.command.context, CommandContext::Textarea);
    let a = c.answer("Help on topic");
    assert_eq!((a.command_id, a.message_id, a.dialog_id), (78, 790, DialogId::User(1)));
    let reaction = with(json!({"reaction": "like", "action": "add",
        "message": {"id": 789, "authorId": 456, "text": "Hello! How can I help?", "viewedByOthers": true},
        "chat": {"id": 5, "dialogId": "chat5"}, "user": {}, "language": "en"}));
    let V2Event::ReactionChange(r) = V2Event::from_fetch("ONIMBOTV2REACTIONCHANGE", reaction, None, None).unwrap()
    else {
        panic!()
    };
    assert_eq!((r.reaction(), r.action(), r.message.author_id), (Some(Reaction::Like), Some(ReactionAction::Add), 456));
    assert!(r.message.viewed_by_others);
    let join = with(json!({"dialogId": "chat5", "chat": {"id": 5, "dialogId": "chat5", "name": "Project Chat"},
        "user": {}, "language": "en"}));
    let V2Event::JoinChat(j) = V2Event::from_fetch("ONIMBOTV2JOINCHAT", join, None, None).unwrap() else { panic!() };
    assert_eq!((j.dialog_id, j.chat.name.as_str()), (Some(DialogId::Chat(5)), "Project Chat"));
    let V2Event::Delete(d) = V2Event::from_fetch("ONIMBOTV2DELETE", with(json!({})), None, None).unwrap() else {
        panic!()
    };
    assert_eq!(d.bot.id, 456);
    let del = with(json!({"messageId": 789, "chat": {"id": 5}, "user": {}, "language": "en"}));
    let V2Event::MessageDelete(x) = V2Event::from_fetch("ONIMBOTV2MESSAGEDELETE", del, None, None).unwrap() else {
        panic!()
    };
    assert_eq!((x.message_id, x.user.as_ref().unwrap().id), (789, 1));
    // User events have no bot; bot events need one.
    let user_msg = json!({"message": {"id": 9}, "chat": {"id": 5}, "user": user, "language": "en"});
    assert!(V2Event::from_fetch("ONIMV2MESSAGEADD", user_msg.clone(), None, None).unwrap().is_user_event());
    assert!(matches!(V2Event::from_fetch("ONIMBOTV2MESSAGEADD", user_msg, None, None), Err(EventError::Malformed(_))));
    assert!(V2Event::from_fetch("ONIMBOTMESSAGEADD", json!({}), None, None).is_err(), "a v1 name");

    // §3.6: the Event.get answer.
    let page: EventPage = serde_json::from_value(json!({"events": [{"eventId": 1001, "type": "ONIMBOTV2MESSAGEADD",
        "date": "2025-01-15T10:30:00+02:00", "data": {}}], "nextOffset": 1002, "hasMore": false}))
    .unwrap();
    assert_eq!(
        (page.events[0].event_id, page.events[0].kind.as_str(), page.next_offset),
        (1001, "ONIMBOTV2MESSAGEADD", 1002)
    );
    assert!(page.events[0].event().is_err(), "its data is an empty placeholder");
}
