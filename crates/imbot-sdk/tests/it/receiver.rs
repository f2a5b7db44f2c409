//! The event receiver: byte-exact bodies (SPEC-NOTES §3.4), every doc example re-encoded the way a portal sends
//! it, signatures with rotated secrets, stale timestamps, duplicates, and the axum router over HTTP.

use crate::docs;
use imbot_sdk::events::{CommandContext, EventError, parse_event};
use imbot_sdk::receiver::{DeliveryHeaders, Received, Receiver, ReceiverConfig, router};
use imbot_sdk::{Client, DialogId, Event};
use imbot_wire::form::http_build_query;
use imbot_wire::signature;
use serde_json::{Map, Value};
use std::time::Duration;

/// SPEC-NOTES §3.4: the v1 `ONIMBOTMESSAGEADD` doc example as Bitrix24 POSTs it (one line; here one `&` pair per line).
const SPEC_3_4_BODY: &str = concat!(
    "event=ONIMBOTMESSAGEADD",
    "&event_handler_id=403",
    "&data%5BBOT%5D%5B567%5D%5Baccess_token%5D=a98b9d690000071b0000084400000237f0f107589d1e",
    "&data%5BBOT%5D%5B567%5D%5Bexpires%5D=1771932585",
    "&data%5BBOT%5D%5B567%5D%5Bexpires_in%5D=3600",
    "&data%5BBOT%5D%5B567%5D%5Bscope%5D=imbot",
    "&data%5BBOT%5D%5B567%5D%5Bdomain%5D=some-domain.bitrix24.com",
    "&data%5BBOT%5D%5B567%5D%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F",
    "&data%5BBOT%5D%5B567%5D%5Bstatus%5D=F",
    "&data%5BBOT%5D%5B567%5D%5Bclient_endpoint%5D=https%3A%2F%2Fsome-domain.bitrix24.com%2Frest%2F",
    "&data%5BBOT%5D%5B567%5D%5Bmember_id%5D=bac1cd5c8940947a75e0d71b1a84e348",
    "&data%5BBOT%5D%5B567%5D%5Brefresh_token%5D=990ac5690000071b0000084400000237",
    "&data%5BBOT%5D%5B567%5D%5Buser_id%5D=567",
    "&data%5BBOT%5D%5B567%5D%5Bclient_id%5D=a7eff906dd1d950269258a599214f69e",
    "&data%5BBOT%5D%5B567%5D%5Bapplication_token%5D=831c76b092f9f135d9b6b36c3a720757",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Baccess_token%5D=a98b9d690000071b0000084400000237f0f107589d1e",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bexpires%5D=1771932585",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bexpires_in%5D=3600",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bscope%5D=imbot",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bdomain%5D=some-domain.bitrix24.com",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bstatus%5D=F",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bclient_endpoint%5D=https%3A%2F%2Fsome-domain.bitrix24.com%2Frest%2F",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bmember_id%5D=bac1cd5c8940947a75e0d71b1a84e348",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Brefresh_token%5D=990ac5690000071b0000084400000237",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Buser_id%5D=567",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bclient_id%5D=a7eff906dd1d950269258a599214f69e",
    "&data%5BBOT%5D%5B567%5D%5BAUTH%5D%5Bapplication_token%5D=831c76b092f9f135d9b6b36c3a720757",
    "&data%5BBOT%5D%5B567%5D%5BBOT_ID%5D=567",
    "&data%5BBOT%5D%5B567%5D%5BBOT_CODE%5D=BOT1",
    "&data%5BPARAMS%5D%5BMESSAGE%5D=Hello",
    "&data%5BPARAMS%5D%5BTEMPLATE_ID%5D=796c45aa-70e5-45aa-930c-c7fb32710c62",
    "&data%5BPARAMS%5D%5BMESSAGE_TYPE%5D=P",
    "&data%5BPARAMS%5D%5BFROM_USER_ID%5D=27",
    "&data%5BPARAMS%5D%5BDIALOG_ID%5D=27",
    "&data%5BPARAMS%5D%5BTO_CHAT_ID%5D=1407",
    "&data%5BPARAMS%5D%5BAUTHOR_ID%5D=27",
    "&data%5BPARAMS%5D%5BSYSTEM%5D=N",
    "&data%5BPARAMS%5D%5BTO_USER_ID%5D=567",
    "&data%5BPARAMS%5D%5BPUSH%5D=Y",
    "&data%5BPARAMS%5D%5BPUSH_IMPORTANT%5D=N",
    "&data%5BPARAMS%5D%5BRECENT_SKIP_AUTHOR%5D=N",
    "&data%5BPARAMS%5D%5BCONVERT%5D=N",
    "&data%5BPARAMS%5D%5BSKIP_COMMAND%5D=N",
    "&data%5BPARAMS%5D%5BSKIP_COUNTER_INCREMENTS%5D=N",
    "&data%5BPARAMS%5D%5BSILENT_CONNECTOR%5D=N",
    "&data%5BPARAMS%5D%5BSKIP_CONNECTOR%5D=N",
    "&data%5BPARAMS%5D%5BIMPORTANT_CONNECTOR%5D=N",
    "&data%5BPARAMS%5D%5BNO_SESSION_OL%5D=N",
    "&data%5BPARAMS%5D%5BFAKE_RELATION%5D=0",
    "&data%5BPARAMS%5D%5BSKIP_URL_INDEX%5D=N",
    "&data%5BPARAMS%5D%5BCOMMAND_CONTEXT%5D=TEXTAREA",
    "&data%5BPARAMS%5D%5BCHAT_USER_COUNT%5D=2",
    "&data%5BPARAMS%5D%5BPLATFORM_CONTEXT%5D=web",
    "&data%5BPARAMS%5D%5BMESSAGE_ID%5D=84331",
    "&data%5BPARAMS%5D%5BCHAT_TYPE%5D=P",
    "&data%5BPARAMS%5D%5BLANGUAGE%5D=en",
    "&data%5BUSER%5D%5BID%5D=27",
    "&data%5BUSER%5D%5BNAME%5D=Svetlana+Ivanova",
    "&data%5BUSER%5D%5BFIRST_NAME%5D=Svetlana",
    "&data%5BUSER%5D%5BLAST_NAME%5D=Ivanova",
    "&data%5BUSER%5D%5BWORK_POSITION%5D=",
    "&data%5BUSER%5D%5BGENDER%5D=F",
    "&data%5BUSER%5D%5BIS_BOT%5D=N",
    "&data%5BUSER%5D%5BIS_CONNECTOR%5D=N",
    "&data%5BUSER%5D%5BIS_NETWORK%5D=N",
    "&data%5BUSER%5D%5BIS_EXTRANET%5D=N",
    "&ts=1771928985",
    "&auth%5Baccess_token%5D=a98b9d690000071b000008440000001b0000071d8a2",
    "&auth%5Bexpires%5D=1771932585",
    "&auth%5Bexpires_in%5D=3600",
    "&auth%5Bscope%5D=imbot",
    "&auth%5Bdomain%5D=some-domain.bitrix24.com",
    "&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F",
    "&auth%5Bstatus%5D=F",
    "&auth%5Bclient_endpoint%5D=https%3A%2F%2Fsome-domain.bitrix24.com%2Frest%2F",
    "&auth%5Bmember_id%5D=bac1cd5c8940947a75e0d71b1a84e348",
    "&auth%5Buser_id%5D=27",
    "&auth%5Brefresh_token%5D=990ac569071b000008440000001b000007f80ccc35b5e3",
    "&auth%5Bapplication_token%5D=831c76b092f9f135d9b6b36c3a720757",
);

/// A doc example's JSON as a portal POSTs it: PHP `http_build_query`, keys in the example's order.
fn form(example: &str) -> (String, Value) {
    let v: Value = serde_json::from_str(example).expect("doc example is JSON");
    (http_build_query(v.as_object().unwrap()), v)
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn i(v: &Value) -> i64 {
    match v {
        Value::Number(n) => n.as_i64().unwrap(),
        other => s(other).parse().unwrap(),
    }
}

#[test]
fn the_byte_exact_body_of_spec_notes_3_4() {
    let Event::MessageAdd(m) = parse_event(SPEC_3_4_BODY.as_bytes()).unwrap() else { panic!("ONIMBOTMESSAGEADD") };
    assert_eq!(
        (m.meta.name.as_str(), m.meta.handler_id, m.meta.ts),
        ("ONIMBOTMESSAGEADD", Some(403), Some(1771928985))
    );
    assert_eq!(m.bots.len(), 1);
    let bot = &m.bots[0];
    assert_eq!((bot.bot_id, bot.bot_code.as_str()), (567, "BOT1"));
    let bot_auth = bot.auth.as_ref().unwrap();
    assert_eq!(bot_auth.access_token.as_deref(), Some("a98b9d690000071b0000084400000237f0f107589d1e"));
    assert_eq!(bot_auth.user_id, Some(567));
    assert_eq!(bot_auth.client_id.as_deref(), Some("a7eff906dd1d950269258a599214f69e"));
    assert_eq!(bot_auth.client_endpoint.as_deref(), Some("https://some-domain.bitrix24.com/rest/"));
    assert_eq!(bot_auth.expires, Some(1771932585));
    // The bot's block works as a client: as the bot, at the portal.
    assert_eq!(bot_auth.client().unwrap().endpoint(), "https://some-domain.bitrix24.com/rest/");
    let p = &m.params;
    assert_eq!((p.message.as_str(), p.message_id, p.dialog_id), ("Hello", Some(84331), Some(DialogId::User(27))));
    assert_eq!((p.chat_id, p.from_user_id, p.to_user_id, p.author_id), (Some(1407), Some(27), Some(567), Some(27)));
    assert!(p.is_private() && !p.system);
    assert_eq!(p.template_id.as_deref(), Some("796c45aa-70e5-45aa-930c-c7fb32710c62"));
    assert_eq!(p.language.as_deref(), Some("en"));
    assert_eq!(p.raw["PLATFORM_CONTEXT"], "web");
    assert_eq!(p.reply_to(), Some(DialogId::User(27)));
    let user = m.user.as_ref().unwrap();
    assert_eq!(
        (user.id, user.name.as_str(), user.first_name.as_str(), user.gender.as_str()),
        (27, "Svetlana Ivanova", "Svetlana", "F")
    );
    assert!(!user.is_bot && !user.is_extranet);
    assert_eq!(user.raw["WORK_POSITION"], "");
    let auth = m.meta.auth.as_ref().unwrap();
    assert_eq!(auth.user_id, Some(27), "the top-level auth is the human's");
    assert_eq!(auth.refresh_token.as_deref(), Some("990ac569071b000008440000001b000007f80ccc35b5e3"));
    assert_eq!(auth.application_token.as_deref(), Some("831c76b092f9f135d9b6b36c3a720757"));
    assert_eq!(auth.domain.as_deref(), Some("some-domain.bitrix24.com"));
    // And the receiver accepts it with the app's token.
    let r = Receiver::new(ReceiverConfig::new().application_token("831c76b092f9f135d9b6b36c3a720757"));
    assert!(matches!(r.receive(&http::HeaderMap::new(), SPEC_3_4_BODY.as_bytes()), Ok(Received::Event(_))));
}

#[test]
fn every_doc_example_of_a_command() {
    for example in [docs::ONIMCOMMANDADD_PRIVATE, docs::ONIMCOMMANDADD_GROUP] {
        let (body, v) = form(example);
        let Event::CommandAdd(c) = parse_event(body.as_bytes()).unwrap() else { panic!("a command: {body}") };
        let entries = v["data"]["COMMAND"].as_object().unwrap();
        assert_eq!(c.commands.len(), entries.len());
        for (cmd, (key, e)) in c.commands.iter().zip(entries) {
            assert_eq!(cmd.command_id, key.parse::<i64>().unwrap());
            assert_eq!((cmd.bot_id, cmd.message_id), (i(&e["BOT_ID"]), i(&e["MESSAGE_ID"])));
            assert_eq!((cmd.command.as_str(), cmd.params.as_str()), (s(&e["COMMAND"]), s(&e["COMMAND_PARAMS"])));
            assert_eq!(cmd.bot_code, s(&e["BOT_CODE"]));
            assert_eq!(cmd.context, CommandContext::parse(s(&e["COMMAND_CONTEXT"])));
            assert_eq!(cmd.auth.as_ref().unwrap().access_token.as_deref(), Some(s(&e["AUTH"]["access_token"])));
        }
        let p = &v["data"]["PARAMS"];
        assert_eq!(c.params.message, s(&p["MESSAGE"]));
        assert_eq!(c.params.dialog_id, DialogId::parse(s(&p["DIALOG_ID"])));
        assert_eq!(c.params.message_id, Some(i(&p["MESSAGE_ID"])));
        assert_eq!(c.user.as_ref().unwrap().id, i(&v["data"]["USER"]["ID"]));
        assert_eq!(
            c.meta.auth.as_ref().unwrap().application_token.as_deref(),
            Some(s(&v["auth"]["application_token"]))
        );
        assert_eq!(Event::CommandAdd(c.clone()).bots()[0].bot_id, c.commands[0].bot_id);
    }
}

#[test]
fn every_doc_example_of_a_message_event() {
    for (example, name) in [
        (docs::ONIMBOTMESSAGEADD_PRIVATE, "ONIMBOTMESSAGEADD"),
        (docs::ONIMBOTMESSAGEADD_GROUP, "ONIMBOTMESSAGEADD"),
        (docs::ONIMBOTMESSAGEUPDATE_PRIVATE, "ONIMBOTMESSAGEUPDATE"),
        (docs::ONIMBOTMESSAGEUPDATE_GROUP, "ONIMBOTMESSAGEUPDATE"),
        (docs::ONIMBOTMESSAGEDELETE_PRIVATE, "ONIMBOTMESSAGEDELETE"),
        (docs::ONIMBOTMESSAGEDELETE_GROUP, "ONIMBOTMESSAGEDELETE"),
    ] {
        let (body, v) = form(example);
        let e = parse_event(body.as_bytes()).unwrap();
        assert_eq!(e.name(), name);
        let m = match (&e, name) {
            (Event::MessageAdd(m), "ONIMBOTMESSAGEADD")
            | (Event::MessageUpdate(m), "ONIMBOTMESSAGEUPDATE")
            | (Event::MessageDelete(m), "ONIMBOTMESSAGEDELETE") => m,
            other => panic!("wrong variant {other:?}"),
        };
        let bots = v["data"]["BOT"].as_object().unwrap();
        assert_eq!(
            m.bots.iter().map(|b| b.bot_id).collect::<Vec<_>>(),
            bots.values().map(|b| i(&b["BOT_ID"])).collect::<Vec<_>>()
        );
        let p = &v["data"]["PARAMS"];
        assert_eq!(m.params.message, s(&p["MESSAGE"]));
        assert_eq!(m.params.dialog_id, DialogId::parse(s(&p["DIALOG_ID"])));
        let id = p.get("MESSAGE_ID").or_else(|| p.get("ID")).map(i);
        assert_eq!(m.params.message_id, id);
        assert_eq!(m.params.is_private(), s(&p["MESSAGE_TYPE"]) == "P");
        assert!(m.params.reply_to().is_some());
        assert_eq!(m.params.raw.len(), p.as_object().unwrap().len(), "every PARAMS field kept");
        assert_eq!(m.user.as_ref().map(|u| u.id), v["data"].get("USER").map(|u| i(&u["ID"])));
    }
}

#[test]
fn join_delete_and_install_examples() {
    for example in [docs::ONIMBOTJOINCHAT_PRIVATE, docs::ONIMBOTJOINCHAT_GROUP] {
        let (body, v) = form(example);
        let Event::JoinChat(j) = parse_event(body.as_bytes()).unwrap() else { panic!("join") };
        let p = &v["data"]["PARAMS"];
        assert_eq!(j.dialog_id, DialogId::parse(s(&p["DIALOG_ID"])));
        assert_eq!(j.user_id, Some(i(&p["USER_ID"])));
        assert_eq!(j.chat_type.as_deref(), Some(s(&p["CHAT_TYPE"])));
        assert_eq!(j.bots[0].bot_id, 571);
        assert_eq!(j.language.as_deref(), Some("de"));
        // No refresh token in join events' top-level auth.
        assert!(j.meta.auth.as_ref().unwrap().refresh_token.is_none());
    }
    let (body, _) = form(docs::ONIMBOTDELETE);
    let Event::BotDelete(d) = parse_event(body.as_bytes()).unwrap() else { panic!("delete") };
    assert_eq!((d.bot_id, d.bot_code.as_str(), d.meta.handler_id), (567, "BOT", Some(439)));

    let (body, _) = form(docs::ONAPPINSTALL);
    let Event::AppInstall(a) = parse_event(body.as_bytes()).unwrap() else { panic!("install") };
    assert_eq!((a.version.as_str(), a.active, a.installed, a.language_id.as_str()), ("1.0.0", true, true, "de"));
    let auth = a.meta.auth.unwrap();
    assert_eq!(auth.expires_in, Some(3600));
    assert_eq!(auth.application_token.as_deref(), Some("51856fefc120afa4b628cc82d3935cce"));

    // JSON bodies parse the same.
    let Event::BotDelete(d) = parse_event(docs::ONIMBOTDELETE.as_bytes()).unwrap() else { panic!("delete") };
    assert_eq!(d.bot_id, 567);
}

#[test]
fn malformed_bodies_are_refused() {
    for body in [
        &b""[..],
        b"x=1",
        b"event=ONIMCOMMANDADD",
        b"event=ONIMCOMMANDADD&data%5BCOMMAND%5D%5B1%5D%5BBOT_ID%5D=5",
        b"event=ONIMBOTMESSAGEADD&data%5BPARAMS%5D%5BMESSAGE%5D=x",
        b"event=ONIMBOTDELETE",
        b"[1]",
    ] {
        assert!(matches!(parse_event(body), Err(EventError::Malformed(_))), "{}", String::from_utf8_lossy(body));
    }
}

fn signed(keys: &[Vec<u8>], id: &str, ts: i64, body: &[u8]) -> DeliveryHeaders {
    DeliveryHeaders {
        id: Some(id.into()),
        timestamp: Some(ts.to_string()),
        signature: Some(signature::header(keys, id, ts, body)),
    }
}

#[test]
fn signatures_with_rotated_secrets() {
    let old = "whsec_b2xkIHNpZ25pbmcga2V5IDAwMQ==";
    let new = "whsec_bmV3IHNpZ25pbmcga2V5IDAwMg==";
    let other = "whsec_c29tZWJvZHkgZWxzZQ==";
    let key = |s: &str| signature::decode_secret(s).unwrap();
    let body = SPEC_3_4_BODY.as_bytes();
    let now = 1_771_928_990;
    let receiver = Receiver::new(ReceiverConfig::new().signing_secret(old).unwrap().signing_secret(new).unwrap());

    // During the rotation the sender signs with both, then with the new one only; a laggard with the old one.
    for (id, keys) in [("e1", vec![key(old), key(new)]), ("e2", vec![key(new)]), ("e3", vec![key(old)])] {
        let got = receiver.receive_at(&signed(&keys, id, now, body), body, now).unwrap();
        assert!(matches!(got, Received::Event(_)), "{id}");
    }
    // A secret the receiver does not know, a changed body, a changed id, a stale or future timestamp: refused.
    let refused =
        |h: &DeliveryHeaders, b: &[u8], at: i64| matches!(receiver.receive_at(h, b, at), Err(EventError::Signature(_)));
    assert!(refused(&signed(&[key(other)], "e4", now, body), body, now));
    assert!(refused(&signed(&[key(new)], "e5", now, body), b"event=ONIMBOTDELETE&data%5BBOT_ID%5D=1", now));
    let mut h = signed(&[key(new)], "e6", now, body);
    h.id = Some("e7".into());
    assert!(refused(&h, body, now));
    assert!(refused(&signed(&[key(new)], "e8", now - 301, body), body, now));
    assert!(refused(&signed(&[key(new)], "e9", now + 301, body), body, now));
    assert!(!refused(&signed(&[key(new)], "e10", now - 299, body), body, now));
    // Missing headers.
    assert!(refused(&DeliveryHeaders::default(), body, now));
    assert!(refused(&DeliveryHeaders { signature: None, ..signed(&[key(new)], "e11", now, body) }, body, now));

    // After the rotation the old secret is dropped.
    let rotated = Receiver::new(ReceiverConfig::new().signing_secret(new).unwrap());
    assert!(matches!(
        rotated.receive_at(&signed(&[key(old)], "e12", now, body), body, now),
        Err(EventError::Signature(_))
    ));

    // A redelivery (same webhook-id, new attempt time and signature) is a duplicate.
    let again = receiver.receive_at(&signed(&[key(new)], "e1", now + 30, body), body, now + 30).unwrap();
    assert_eq!(again, Received::Duplicate { id: "e1".into() });

    // A tighter tolerance.
    let strict = Receiver::new(ReceiverConfig::new().signing_secret(new).unwrap().tolerance(Duration::from_secs(10)));
    assert!(matches!(
        strict.receive_at(&signed(&[key(new)], "e13", now - 11, body), body, now),
        Err(EventError::Signature(_))
    ));
}

#[test]
fn application_tokens_and_duplicates() {
    let receiver = Receiver::new(
        ReceiverConfig::new()
            .application_token("old-token")
            .application_token("831c76b092f9f135d9b6b36c3a720757")
            .dedup_capacity(2),
    );
    let body = SPEC_3_4_BODY.as_bytes();
    let h = |id: &str| DeliveryHeaders { id: Some(id.into()), ..Default::default() };
    assert!(matches!(receiver.receive_at(&h("a"), body, 0), Ok(Received::Event(_))));
    assert!(matches!(receiver.receive_at(&h("a"), body, 0), Ok(Received::Duplicate { .. })));
    assert!(matches!(receiver.receive_at(&h("b"), body, 0), Ok(Received::Event(_))));
    assert!(matches!(receiver.receive_at(&h("c"), body, 0), Ok(Received::Event(_))));
    // "a" fell out of the bounded memory.
    assert!(matches!(receiver.receive_at(&h("a"), body, 0), Ok(Received::Event(_))));
    // Without a webhook-id (Bitrix24 cloud) nothing is dropped.
    assert!(matches!(receiver.receive_at(&DeliveryHeaders::default(), body, 0), Ok(Received::Event(_))));
    assert!(matches!(receiver.receive_at(&DeliveryHeaders::default(), body, 0), Ok(Received::Event(_))));

    let forged = SPEC_3_4_BODY.replace("831c76b092f9f135d9b6b36c3a720757", "0000");
    assert_eq!(receiver.receive_at(&h("f"), forged.as_bytes(), 0), Err(EventError::ApplicationToken));
    let (no_auth, _) = form(r#"{"event": "ONIMBOTDELETE", "data": {"BOT_ID": "5"}}"#);
    assert_eq!(receiver.receive_at(&h("g"), no_auth.as_bytes(), 0), Err(EventError::ApplicationToken));
    // A refused delivery does not poison the duplicate memory.
    assert!(matches!(receiver.receive_at(&h("f"), body, 0), Ok(Received::Event(_))));
}

#[tokio::test]
async fn the_router_answers_at_once_and_hands_events_over() {
    let secret = "whsec_cm91dGVyIHNlY3JldA==";
    let key = signature::decode_secret(secret).unwrap();
    let receiver = Receiver::new(
        ReceiverConfig::new().application_token("831c76b092f9f135d9b6b36c3a720757").signing_secret(secret).unwrap(),
    );
    let client = Client::webhook("http://127.0.0.1:9/rest/1/x/").build().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Event>();
    let app = router(receiver, client, move |event: Event, _client: Client| {
        let tx = tx.clone();
        async move {
            tx.send(event).map_err(imbot_sdk::Error::other)?;
            Ok(())
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/bot/events?CLIENT_ID=x", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::new();
    let post = |body: &'static str, h: Option<DeliveryHeaders>| {
        let mut req = http.post(&url).header("content-type", "application/x-www-form-urlencoded").body(body);
        if let Some(h) = h {
            req = req
                .header("webhook-id", h.id.unwrap())
                .header("webhook-timestamp", h.timestamp.unwrap())
                .header("webhook-signature", h.signature.unwrap());
        }
        req.send()
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let good = signed(std::slice::from_ref(&key), "d1", now, SPEC_3_4_BODY.as_bytes());
    assert_eq!(post(SPEC_3_4_BODY, Some(good.clone())).await.unwrap().status(), 200);
    let got = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap().unwrap();
    assert_eq!(got.name(), "ONIMBOTMESSAGEADD");
    // The same delivery again: 200, the handler is not called twice.
    assert_eq!(post(SPEC_3_4_BODY, Some(good)).await.unwrap().status(), 200);
    // Unsigned, or signed with another key: 401.
    assert_eq!(post(SPEC_3_4_BODY, None).await.unwrap().status(), 401);
    let wrong = signed(&[b"another key".to_vec()], "d2", now, SPEC_3_4_BODY.as_bytes());
    assert_eq!(post(SPEC_3_4_BODY, Some(wrong)).await.unwrap().status(), 401);
    // Signed but not an event: 400.
    let junk = signed(&[key], "d3", now, b"hello");
    assert_eq!(post("hello", Some(junk)).await.unwrap().status(), 400);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(rx.try_recv().is_err(), "exactly one event reached the handler");
    server.abort();
}

#[test]
fn unknown_events_keep_their_data() {
    let (body, _) = form(
        r#"{"event": "ONUSERADD", "event_handler_id": "7", "data": {"ID": "42", "NAME": "New"}, "ts": "1", "auth": {"application_token": "t"}}"#,
    );
    let Event::Other(o) = parse_event(body.as_bytes()).unwrap() else { panic!("other") };
    assert_eq!(o.name, "ONUSERADD");
    assert_eq!(o.data, serde_json::json!({"ID": "42", "NAME": "New"}));
    let m: Map<String, Value> = o.data.as_object().unwrap().clone();
    assert_eq!(m.len(), 2);
    assert_eq!(o.meta.handler_id, Some(7));
}
