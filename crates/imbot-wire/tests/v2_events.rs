//! v2 events: the webhook body byte for byte (SPEC-NOTES §3.4's v2 example and complete hand-written bodies),
//! the fetch `data` against the events pages' examples, and the `Event.get` answer.

mod v2_common;

use imbot_wire::form::parse_str;
use imbot_wire::v2::entities::CommandCall;
use imbot_wire::v2::enums::{CommandContext, Reaction, ReactionAction};
use imbot_wire::v2::events::{event_get, next_offset, webhook_body};
use imbot_wire::v2::{BotEvent, EventData, QueuedEvent, UserEvent, WebhookAuth, WebhookBot};
use serde_json::{json, Map, Value};
use v2_common::*;

/// SPEC-NOTES.md line 346, verbatim: the v2 webhook example with `…` where fields are left out.
const SPEC_NOTES_V2_EXAMPLE: &str = "event=ONIMBOTV2MESSAGEADD&event_handler_id=1201&data%5Bbot%5D%5Bid%5D=456&data%5Bbot%5D%5Bcode%5D=support_bot&data%5Bbot%5D%5Bauth%5D%5Baccess_token%5D=AT&…&data%5Bbot%5D%5Bauth%5D%5Buser_id%5D=456&data%5Bbot%5D%5Bauth%5D%5Bapplication_token%5D=APPTOKEN&data%5Bmessage%5D%5Bid%5D=789&data%5Bmessage%5D%5BchatId%5D=5&data%5Bmessage%5D%5BauthorId%5D=1&data%5Bmessage%5D%5Bdate%5D=2025-01-15T10%3A30%3A00%2B02%3A00&data%5Bmessage%5D%5Btext%5D=Hello+bot%21&data%5Bmessage%5D%5BisSystem%5D=0&data%5Bmessage%5D%5Buuid%5D=&data%5Bmessage%5D%5BviewedByOthers%5D=0&data%5Bchat%5D%5Bid%5D=5&data%5Bchat%5D%5BdialogId%5D=chat5&…&data%5Buser%5D%5Bactive%5D=1&…&data%5Blanguage%5D=en&ts=1772093963&auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bapplication_token%5D=APPTOKEN";

/// `actual` is `pattern` with each `…` standing for a run of one or more `&`-separated pairs.
fn matches_with_elisions(actual: &str, pattern: &str) -> Result<(), String> {
    let pieces: Vec<&str> = pattern.split("&…&").collect();
    let mut rest = actual;
    for (i, piece) in pieces.iter().enumerate() {
        if i == 0 {
            rest = rest.strip_prefix(piece).ok_or_else(|| format!("body does not start with {piece:?}"))?;
        } else if i == pieces.len() - 1 {
            if !rest.ends_with(&format!("&{piece}")) {
                return Err(format!("body does not end with {piece:?}; rest: {rest}"));
            }
            let skipped = &rest[..rest.len() - piece.len() - 1];
            if !skipped.starts_with('&') || skipped.len() < 2 {
                return Err(format!("nothing elided before {piece:?}"));
            }
        } else {
            let needle = format!("&{piece}&");
            let at = rest.find(&needle).ok_or_else(|| format!("{piece:?} not found in order; rest: {rest}"))?;
            if at == 0 {
                return Err(format!("nothing elided before {piece:?}"));
            }
            rest = &rest[at + needle.len() - 1..];
        }
    }
    Ok(())
}

fn event_chat() -> imbot_wire::v2::Chat {
    let mut c = support_chat();
    c.owner = 1;
    c.color = Some("#ab7761".into());
    c
}

fn message_add_body() -> String {
    let data = EventData::message(&hello(), &event_chat(), &john(), "en");
    let auth = bot_auth();
    let webhook = data.for_webhook(&WebhookBot { id: 456, code: "support_bot", auth: Some(&auth) });
    let top = WebhookAuth { domain: "some-domain.bitrix24.com".into(), application_token: "APPTOKEN".into() };
    webhook_body(BotEvent::MessageAdd, 1201, webhook, 1772093963, &top)
}

/// Joins readable `key=value` lines into a body, percent-encoding only the brackets of the keys.
fn body(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            format!("{}={v}", k.replace('[', "%5B").replace(']', "%5D"))
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn webhook_body_reproduces_the_spec_notes_example() {
    assert!(SPEC_NOTES_V2_EXAMPLE.contains("&…&"));
    let ours = message_add_body();
    if let Err(e) = matches_with_elisions(&ours, SPEC_NOTES_V2_EXAMPLE) {
        panic!("{e}\nours: {ours}");
    }
}

#[test]
fn the_elision_matcher_is_strict() {
    let p = "a=1&…&c=3&…&e=5";
    assert!(matches_with_elisions("a=1&b=2&c=3&d=4&e=5", p).is_ok());
    assert!(matches_with_elisions("a=1&c=3&d=4&e=5", p).is_err());
    assert!(matches_with_elisions("a=1&b=2&c=3&d=4&e=6", p).is_err());
    assert!(matches_with_elisions("x=1&b=2&c=3&d=4&e=5", p).is_err());
    assert!(matches_with_elisions("a=1&b=2&d=4&c=3&e=5", p).is_err());
}

#[test]
fn webhook_body_complete_message_add() {
    let expected = body(&[
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
    ]);
    assert_eq!(message_add_body(), expected);
}

#[test]
fn webhook_body_bot_delete_has_no_tokens() {
    let data = EventData::delete().for_webhook(&WebhookBot { id: 456, code: "support_bot", auth: None });
    let top = WebhookAuth { domain: "some-domain.bitrix24.com".into(), application_token: "APPTOKEN".into() };
    assert_eq!(
        webhook_body(BotEvent::Delete, 1208, data, 1772093963, &top),
        concat!(
            "event=ONIMBOTV2DELETE&event_handler_id=1208&data%5Bbot%5D%5Bid%5D=456",
            "&data%5Bbot%5D%5Bcode%5D=support_bot&ts=1772093963&auth%5Bdomain%5D=some-domain.bitrix24.com",
            "&auth%5Bapplication_token%5D=APPTOKEN"
        )
    );
}

#[test]
fn webhook_body_refresh_token_sits_before_the_application_token() {
    let mut auth = bot_auth();
    auth.refresh_token = Some("RT".into());
    let data = EventData::delete().for_webhook(&WebhookBot { id: 1, code: "c", auth: Some(&auth) });
    let keys: Vec<_> = data["bot"]["auth"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(&keys[keys.len() - 3..], ["user_id", "refresh_token", "application_token"]);
}

#[test]
fn webhook_body_decodes_to_the_documented_structure() {
    let back = parse_str(&message_add_body());
    let keys: Vec<_> = back.keys().cloned().collect();
    assert_eq!(keys, ["event", "event_handler_id", "data", "ts", "auth"]);
    let data_keys: Vec<_> = back["data"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(data_keys, ["bot", "message", "chat", "user", "language"]);
    // Every scalar is a string on the wire: ints as decimals, booleans as 1/0; null and {} are gone.
    assert_eq!(back["data"]["message"]["id"], "789");
    assert_eq!(back["data"]["user"]["active"], "1");
    assert_eq!(back["data"]["message"]["isSystem"], "0");
    assert!(back["data"]["message"].get("forward").is_none());
    assert!(back["data"]["message"].get("params").is_none());
    assert!(back["data"]["chat"].get("backgroundId").is_none());
    let auth_keys: Vec<_> = back["auth"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(auth_keys, ["domain", "application_token"]);
}

fn fetch_bot_keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn fetch_message_add_matches_the_events_page() {
    let v = EventData::message(&hello(), &event_chat(), &john(), "en").for_fetch(Some(&bot()));
    assert_eq!(fetch_bot_keys(&v), ["bot", "message", "chat", "user", "language"]);
    same(
        &v["bot"],
        r##"{"id": 456, "code": "support_bot", "type": "bot", "isHidden": false, "isSupportOpenline": false,
            "isReactionsEnabled": true, "backgroundId": null, "language": "en", "moduleId": "rest",
            "eventMode": "fetch", "countMessage": 150, "countCommand": 3, "countChat": 12, "countUser": 45}"##,
    );
    same(
        &v["message"],
        r##"{"id": 789, "chatId": 5, "authorId": 1, "date": "2025-01-15T10:30:00+02:00", "text": "Hello bot!",
            "isSystem": false, "uuid": "", "forward": null, "params": {}, "viewedByOthers": false}"##,
    );
    // The page shows an abbreviated chat; each field it shows is ours with the same value.
    let doc_chat = json!({"id": 5, "dialogId": "chat5", "type": "chat", "name": "Support Chat", "entityType": "",
        "owner": 1, "avatar": "", "color": "#ab7761"});
    for (k, want) in doc_chat.as_object().unwrap() {
        assert_eq!(&v["chat"][k], want, "chat.{k}");
    }
    assert!(v["chat"].get("role").is_none() && v["chat"].get("muteList").is_none());
    // The page's user shows lastActivityDate as a date; entities.md and the im.v2 events say the online
    // fields of event users are always false — which is what we send (docs/v2.md, ambiguity A14).
    assert_eq!(v["user"]["lastActivityDate"], false);
    assert_eq!(v["user"]["departments"], json!([1]));
    assert_eq!(v["language"], "en");
}

#[test]
fn im_v2_message_add_is_the_example_exactly() {
    let mut chat = event_chat();
    chat.name = "Project Chat".into();
    let mut m = hello();
    m.id = 5012;
    m.text = "Hello everyone!".into();
    let v = EventData::message(&m, &chat, &john(), "en").for_fetch(None);
    same(
        &v,
        r##"{
    "message": {
        "id": 5012, "chatId": 5, "authorId": 1, "date": "2025-01-15T10:30:00+02:00", "text": "Hello everyone!",
        "isSystem": false, "uuid": "", "forward": null, "params": {}, "viewedByOthers": false
    },
    "chat": {
        "id": 5, "dialogId": "chat5", "name": "Project Chat", "type": "chat", "messageType": "C", "owner": 1,
        "color": "#ab7761", "avatar": "", "description": "", "extranet": false, "containsCollaber": false,
        "entityType": "", "entityId": "", "entityData1": "", "entityData2": "", "entityData3": "",
        "entityLink": {}, "diskFolderId": 42, "permissions": {}, "parentChatId": 0, "parentMessageId": 0,
        "isNew": false, "textFieldEnabled": "Y", "backgroundId": null
    },
    "user": {
        "id": 1, "active": true, "name": "John Smith", "firstName": "John", "lastName": "Smith",
        "workPosition": "Developer", "color": "#df532d", "avatar": "", "gender": "M", "birthday": "",
        "extranet": false, "bot": false, "connector": false, "externalAuthId": "default", "status": "online",
        "idle": false, "lastActivityDate": false, "mobileLastDate": false, "desktopLastDate": false,
        "absent": false, "departments": [1], "phones": false, "website": "", "email": "john@example.com",
        "type": "employee"
    },
    "language": "en"
}"##,
    );
}

#[test]
fn event_data_key_orders() {
    let chat = event_chat();
    let user = john();
    let keys = |d: EventData, bot: bool| fetch_bot_keys(&d.for_fetch(bot.then(bot_fixture).as_ref()));
    fn bot_fixture() -> imbot_wire::v2::Bot {
        bot()
    }
    assert_eq!(
        keys(EventData::message_delete(789, &chat, &user, "en"), true),
        ["bot", "messageId", "chat", "user", "language"]
    );
    assert_eq!(
        keys(EventData::join_chat("chat5", &chat, &user, "en"), true),
        ["bot", "dialogId", "chat", "user", "language"]
    );
    assert_eq!(keys(EventData::delete(), true), ["bot"]);
    let ctx: Map<String, Value> =
        serde_json::from_value(json!({"entityId": 164, "entityType": "task", "source": "link"})).unwrap();
    let d = EventData::context_get("1", &ctx, &chat, &user, "en");
    assert_eq!(d.as_map()["context"], json!({"entityId": 164, "entityType": "task", "source": "link"}));
    assert_eq!(keys(d, true), ["bot", "dialogId", "context", "chat", "user", "language"]);
    let call =
        CommandCall { id: 78, command: "/help".into(), params: "topic".into(), context: CommandContext::Textarea };
    let d = EventData::command_add(&call, &hello(), &chat, &user, "en");
    same(&d.as_map()["command"], r#"{"id": 78, "command": "/help", "params": "topic", "context": "textarea"}"#);
    assert_eq!(keys(d, true), ["bot", "command", "message", "chat", "user", "language"]);
    let d = EventData::reaction_change(Reaction::Like, ReactionAction::Add, &hello(), &chat, &user, "en");
    assert_eq!(d.as_map()["reaction"], "like");
    assert_eq!(d.as_map()["action"], "add");
    assert_eq!(keys(d, true), ["bot", "reaction", "action", "message", "chat", "user", "language"]);
    assert_eq!(
        keys(EventData::join_chat("chat5", &chat, &user, "en"), false),
        ["dialogId", "chat", "user", "language"]
    );
}

#[test]
fn event_get_answer_is_the_page_example() {
    let e = QueuedEvent {
        event_id: 1001,
        event_type: BotEvent::MessageAdd.name().into(),
        date: at("2025-01-15T10:30:00+02:00"),
        data: EventData::from_map(Map::new()).for_fetch(None),
    };
    let next = next_offset(None, Some(1001), 0);
    same(
        &event_get(&[e], next, false),
        r#"{"events": [{"eventId": 1001, "type": "ONIMBOTV2MESSAGEADD", "date": "2025-01-15T10:30:00+02:00",
            "data": {}}], "nextOffset": 1002, "hasMore": false}"#,
    );
    // The change log's empty answer: nextOffset kept.
    same(
        &event_get(&[], next_offset(Some(1002), None, 1002), false),
        r#"{"events": [], "nextOffset": 1002, "hasMore": false}"#,
    );
    let u = QueuedEvent {
        event_id: 2001,
        event_type: UserEvent::MessageAdd.name().into(),
        date: at("2025-01-15T10:30:00+02:00"),
        data: json!({}),
    };
    assert_eq!(event_get(&[u], 2002, false)["events"][0]["type"], "ONIMV2MESSAGEADD");
}
