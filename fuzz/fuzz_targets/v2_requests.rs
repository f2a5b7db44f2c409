//! Fuzz the v2 request parsers (`imbot_wire::v2::requests`, `params::BotRef`): arbitrary bytes as a JSON body
//! and as a form body, handed to every method's typed request. Asserts no panic, that every refusal is a
//! Bitrix-shaped client error (status 400 with a code and a description), and the documented bounds of what is
//! accepted (limits clamped, ids positive, lists non-empty where required).
#![no_main]

use imbot_wire::form::parse_str;
use imbot_wire::v2::params::{AuthKind, BotRef, Obj};
use imbot_wire::v2::requests::*;
use imbot_wire::ApiError;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fn refused<T>(r: Result<T, ApiError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            assert_eq!(e.status, 400, "{e:?}");
            assert!(!e.code.is_empty() && !e.description.is_empty(), "{e:?}");
            None
        }
    }
}

fn exercise(map: &Map<String, Value>) {
    let o = Obj::root(map);
    for auth in [AuthKind::OAuth, AuthKind::Webhook] {
        if let Some(r) = refused(BotRef::parse(&o, auth)) {
            assert!(r.bot_id > 0);
            if auth == AuthKind::Webhook {
                assert!(r.bot_token.as_deref().is_some_and(|t| !t.trim().is_empty()));
            }
        }
        refused(BotRegister::parse(&o, auth));
    }
    refused(BotUpdate::parse(&o));
    refused(BotGet::parse(&o));
    if let Some(l) = refused(BotList::parse(&o)) {
        assert!(l.offset >= 0);
    }
    refused(ChatAdd::parse(&o));
    refused(DialogRequest::parse(&o));
    refused(ChatUpdate::parse(&o));
    if let Some(r) = refused(ChatUserRequest::parse(&o)) {
        assert!(r.user_id > 0);
    }
    if let Some(r) = refused(ChatUsersRequest::parse(&o)) {
        assert!(!r.user_ids.is_empty() && r.user_ids.iter().all(|u| *u > 0));
    }
    if let Some(r) = refused(ChatUserList::parse(&o)) {
        assert!((1..=200).contains(&r.limit));
    }
    refused(MessageSend::parse(&o, 7));
    refused(MessageUpdate::parse(&o, 7));
    refused(MessageDelete::parse(&o));
    refused(MessageRead::parse(&o));
    if let Some(r) = refused(MessageLookup::parse(&o)) {
        assert!(r.message_id > 0 && (1..=50).contains(&r.range));
    }
    refused(ReactionRequest::parse(&o));
    refused(CommandRegister::parse(&o));
    refused(CommandUpdate::parse(&o));
    refused(CommandRef::parse(&o));
    refused(CommandAnswer::parse(&o, 7));
    if let Some(r) = refused(InputActionNotify::parse(&o)) {
        assert!(r.duration.is_none_or(|d| (1..=600).contains(&d)));
    }
    refused(TextFieldEnabled::parse(&o));
    for q in [refused(EventGet::parse(&o)), refused(EventGet::parse_user(&o))].into_iter().flatten() {
        assert!((1..=1000).contains(&q.limit));
    }
    for api in [FileApi::Bot, FileApi::User] {
        if let Some(f) = refused(FileUpload::parse_limited(&o, api, 4096)) {
            assert!(f.content.len() <= 4096 && !f.name.is_empty());
        }
        refused(FileDownload::parse(&o, api));
    }
    refused(SendContext::parse(&o));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(Value::Object(json)) = serde_json::from_slice::<Value>(data) {
        exercise(&json);
    }
    exercise(&parse_str(&String::from_utf8_lossy(data)));
});
