//! v2 request parsing against the method pages' request examples, in JSON and form encoding, with the
//! documented defaults, limits and error codes.

use imbot_wire::form::parse_str;
use imbot_wire::ids::DialogId;
use imbot_wire::rich::Field;
use imbot_wire::v2::enums::{
    Background, BotType, ChatUserOrderField, Color, EventMode, Gender, Reaction, SortDirection, StatusMessageCode,
};
use imbot_wire::v2::errors;
use imbot_wire::v2::params::{webhook_token, MAX_MESSAGE_LEN};
use imbot_wire::v2::requests::*;
use imbot_wire::v2::{AuthKind, BotRef, Obj};
use imbot_wire::{ApiError, ErrorCode, Params};
use serde_json::{Map, Value};

fn json(s: &str) -> Map<String, Value> {
    serde_json::from_str(s).unwrap()
}

fn form(s: &str) -> Map<String, Value> {
    parse_str(s)
}

fn code(r: Result<impl std::fmt::Debug, ApiError>) -> &'static str {
    match r {
        Err(e) => Box::leak(e.code.to_string().into_boxed_str()),
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

#[test]
fn bot_register_page_examples() {
    let webhook = json(
        r#"{"fields": {"code": "support_bot", "botToken": "my_bot_token",
            "properties": {"name": "Support Bot", "workPosition": "AI Assistant"}, "type": "bot", "eventMode": "fetch"}}"#,
    );
    let r = BotRegister::parse(&Obj::root(&webhook), AuthKind::Webhook).unwrap();
    assert_eq!(r.code, "support_bot");
    assert_eq!(r.bot_token.as_deref(), Some("my_bot_token"));
    assert_eq!(r.properties.name.as_deref(), Some("Support Bot"));
    assert_eq!(r.properties.work_position.as_deref(), Some("AI Assistant"));
    assert_eq!((r.bot_type, r.event_mode), (BotType::Bot, EventMode::Fetch));
    assert_eq!((r.is_hidden, r.is_reactions_enabled, r.is_support_openline), (false, true, false));
    assert_eq!(r.background_id, None);

    // The OAuth example has no botToken; one sent anyway is ignored.
    let oauth = json(r#"{"fields": {"code": "support_bot", "properties": {"name": "Support Bot"}}, "auth": "x"}"#);
    assert_eq!(BotRegister::parse(&Obj::root(&oauth), AuthKind::OAuth).unwrap().bot_token, None);
    assert_eq!(code(BotRegister::parse(&Obj::root(&oauth), AuthKind::Webhook)), "BOT_TOKEN_NOT_SPECIFIED");
}

#[test]
fn bot_register_errors_in_page_order() {
    let p = |s: &str| BotRegister::parse(&Obj::root(&json(s)), AuthKind::Webhook);
    let long = "x".repeat(41);
    assert_eq!(code(p(&format!(r#"{{"fields": {{"botToken": "{long}"}}}}"#))), "BOT_TOKEN_INVALID_LENGTH");
    assert_eq!(code(p(r#"{"fields": {"botToken": "t"}}"#)), "BOT_CODE_REQUIRED");
    assert_eq!(code(p(r#"{"botToken": "t"}"#)), "BOT_CODE_REQUIRED");
    assert_eq!(code(p(r#"{"fields": {"botToken": "t", "code": "c"}}"#)), "BOT_PROPERTIES_REQUIRED");
    assert_eq!(
        code(p(r#"{"fields": {"botToken": "t", "code": "c", "properties": {"name": " "}}}"#)),
        "BOT_PROPERTIES_REQUIRED"
    );
    let base = r#""botToken": "t", "code": "c", "properties": {"name": "N"}"#;
    assert_eq!(code(p(&format!(r#"{{"fields": {{{base}, "type": "robot"}}}}"#))), "BOT_INVALID_TYPE");
    assert_eq!(code(p(&format!(r#"{{"fields": {{{base}, "eventMode": "push"}}}}"#))), "BOT_INVALID_EVENT_MODE");
    assert_eq!(code(p(&format!(r#"{{"fields": {{{base}, "eventMode": "webhook"}}}}"#))), "BOT_WEBHOOK_URL_REQUIRED");
    assert_eq!(
        code(p(&format!(r#"{{"fields": {{{base}, "eventMode": "webhook", "webhookUrl": "ftp://x/"}}}}"#))),
        "BOT_INVALID_CALLBACK"
    );
    assert_eq!(code(p(&format!(r#"{{"fields": {{{base}, "isHidden": "sometimes"}}}}"#))), "ERROR_ARGUMENT");
    let ok = p(&format!(
        r#"{{"fields": {{{base}, "type": "Personal", "eventMode": "webhook", "webhookUrl": "https://bot.example/h",
            "backgroundId": "Azure", "isHidden": "Y", "isReactionsEnabled": "N"}}}}"#
    ))
    .unwrap();
    assert_eq!(ok.bot_type, BotType::Personal);
    assert_eq!(ok.webhook_url.as_deref(), Some("https://bot.example/h"));
    assert_eq!(ok.background_id, None, "case typos normalise to null");
    assert!(ok.is_hidden && !ok.is_reactions_enabled);
    let forty = "y".repeat(40);
    assert!(p(&format!(r#"{{"fields": {{{base}, "botToken": "{forty}"}}}}"#)).is_ok());
}

#[test]
fn bot_register_from_a_php_form_body() {
    // CRest / the PHP SDK send http_build_query: nested brackets, true/false as 1/0.
    let f = form(
        "fields[code]=support_bot&fields[botToken]=tok&fields[properties][name]=Support+Bot\
         &fields[properties][color]=LIGHT_BLUE&fields[properties][gender]=f&fields[isHidden]=1\
         &fields[isSupportOpenline]=0&fields[backgroundId]=sky",
    );
    let r = BotRegister::parse(&Obj::root(&f), AuthKind::Webhook).unwrap();
    assert_eq!(r.properties.color, Some(Color::LightBlue));
    assert_eq!(r.properties.gender, Some(Gender::Female));
    assert!(r.is_hidden && !r.is_support_openline);
    assert_eq!(r.background_id, Some(Background::Sky));
}

#[test]
fn bot_update_example_and_rotation() {
    let v = json(
        r#"{"botId":456,"botToken":"my_bot_token","fields":{"properties":{"name":"Updated Bot"},"isHidden":true}}"#,
    );
    let o = Obj::root(&v);
    assert_eq!(
        BotRef::parse(&o, AuthKind::Webhook).unwrap(),
        BotRef { bot_id: 456, bot_token: Some("my_bot_token".into()) }
    );
    let u = BotUpdate::parse(&o).unwrap();
    assert_eq!(u.properties.unwrap().name.as_deref(), Some("Updated Bot"));
    assert_eq!(u.is_hidden, Some(true));
    assert_eq!((u.is_reactions_enabled, u.event_mode, u.background_id, u.new_bot_token), (None, None, None, None));

    let v = json(r#"{"botId": 1, "fields": {"botToken": "new-token", "backgroundId": null, "eventMode": "webhook"}}"#);
    let u = BotUpdate::parse(&Obj::root(&v)).unwrap();
    assert_eq!(u.new_bot_token.as_deref(), Some("new-token"));
    assert_eq!(u.background_id, Some(None));
    assert_eq!(u.event_mode, Some(EventMode::Webhook));
    let v = json(r#"{"botId": 1, "fields": {"botToken": "   ", "backgroundId": "mint"}}"#);
    let u = BotUpdate::parse(&Obj::root(&v)).unwrap();
    assert_eq!((u.new_bot_token, u.background_id), (None, Some(Some(Background::Mint))));
    let long = "z".repeat(41);
    assert_eq!(
        code(BotUpdate::parse(&Obj::root(&json(&format!(r#"{{"fields": {{"botToken": "{long}"}}}}"#))))),
        "BOT_TOKEN_INVALID_LENGTH"
    );
    assert_eq!(code(BotUpdate::parse(&Obj::root(&json(r#"{"botId": 1}"#)))), "ERROR_ARGUMENT");
    assert_eq!(
        code(BotUpdate::parse(&Obj::root(&json(r#"{"fields": {"webhookUrl": "nope"}}"#)))),
        "BOT_INVALID_CALLBACK"
    );
}

#[test]
fn bot_get_and_list() {
    let v = json(r#"{"botToken":"my_bot_token","code":"support_bot"}"#);
    assert_eq!(BotGet::parse(&Obj::root(&v)).unwrap(), BotGet::ByCode("support_bot".into()));
    assert_eq!(webhook_token(&Obj::root(&v), AuthKind::Webhook).unwrap().as_deref(), Some("my_bot_token"));
    assert_eq!(BotGet::parse(&Obj::root(&json(r#"{"botId": "9", "code": "x"}"#))).unwrap(), BotGet::ById(9));
    assert_eq!(code(BotGet::parse(&Obj::root(&json(r#"{"botId": 0}"#)))), "PARAMS_REQUIRED");

    let v = json(r#"{"botToken":"my_bot_token","filter":{"type":"bot"},"limit":10}"#);
    assert_eq!(
        BotList::parse(&Obj::root(&v)).unwrap(),
        BotList { filter: BotTypeFilter::Only(BotType::Bot), limit: 10, offset: 0 }
    );
    let v = json(r#"{"filter":{"type":"robot"},"offset":-5}"#);
    assert_eq!(
        BotList::parse(&Obj::root(&v)).unwrap(),
        BotList { filter: BotTypeFilter::Nothing, limit: 50, offset: 0 }
    );
}

#[test]
fn chat_methods() {
    let v = json(
        r#"{"botId":456,"botToken":"my_bot_token","fields":{"title":"Support Chat","color":"mint","userIds":[1,2]}}"#,
    );
    let c = ChatAdd::parse(&Obj::root(&v)).unwrap();
    assert_eq!(
        (c.title.as_deref(), c.color, c.user_ids.as_slice(), c.owner_id),
        (Some("Support Chat"), Some(Color::Mint), &[1, 2][..], None)
    );
    assert_eq!(ChatAdd::parse(&Obj::root(&json(r#"{"botId": 1}"#))).unwrap(), ChatAdd::default());

    let v = json(r#"{"botId":456,"dialogId":"chat5","fields":{"title":"New Title","color":"azure"}}"#);
    let u = ChatUpdate::parse(&Obj::root(&v)).unwrap();
    assert_eq!((u.dialog_id, u.title.as_deref(), u.color), (DialogId::Chat(5), Some("New Title"), Some(Color::Azure)));
    assert!(ChatUpdate::parse(&Obj::root(&json(r#"{"dialogId":"chat5","fields":{}}"#))).unwrap().is_empty());
    assert_eq!(code(ChatUpdate::parse(&Obj::root(&json(r#"{"dialogId":"chat5"}"#)))), "ERROR_ARGUMENT");

    let v = json(r#"{"botId":456,"dialogId":"chat5","userId":1}"#);
    assert_eq!(
        ChatUserRequest::parse(&Obj::root(&v)).unwrap(),
        ChatUserRequest { dialog_id: DialogId::Chat(5), user_id: 1 }
    );
    assert_eq!(
        code(ChatUserRequest::parse(&Obj::root(&json(r#"{"dialogId":"chat5","userId":"x"}"#)))),
        "ACCESS_DENIED"
    );
    assert_eq!(code(DialogRequest::parse(&Obj::root(&json(r#"{"dialogId":"chatx"}"#)))), "ACCESS_DENIED");
    assert_eq!(code(DialogRequest::parse(&Obj::root(&json(r#"{}"#)))), "ERROR_ARGUMENT");
    assert_eq!(DialogRequest::parse(&Obj::root(&json(r#"{"dialogId": 27}"#))).unwrap().dialog_id, DialogId::User(27));

    let v = json(r#"{"botId":456,"dialogId":"chat5","userIds":[4,5]}"#);
    assert_eq!(ChatUsersRequest::parse(&Obj::root(&v)).unwrap().user_ids, vec![4, 5]);
    assert_eq!(
        ChatUsersRequest::parse(&Obj::root(&form("dialogId=chat5&userIds[]=4&userIds[]=5"))).unwrap().user_ids,
        vec![4, 5]
    );
    assert_eq!(
        code(ChatUsersRequest::parse(&Obj::root(&json(r#"{"dialogId":"chat5","userIds":[]}"#)))),
        "EMPTY_USER_IDS"
    );
    assert_eq!(code(ChatUsersRequest::parse(&Obj::root(&json(r#"{"dialogId":"chat5"}"#)))), "EMPTY_USER_IDS");

    let v = json(r#"{"botId":456,"dialogId":"chat5","order":{"id":"ASC"},"limit":50}"#);
    let l = ChatUserList::parse(&Obj::root(&v)).unwrap();
    assert_eq!((l.order, l.limit), ((ChatUserOrderField::Id, SortDirection::Asc), 50));
    let v = json(r#"{"dialogId":"chat5","order":{"name":"ASC","lastSendMessageId":"desc"},"limit":500}"#);
    let l = ChatUserList::parse(&Obj::root(&v)).unwrap();
    assert_eq!((l.order, l.limit), ((ChatUserOrderField::LastSendMessageId, SortDirection::Desc), 200));
}

#[test]
fn message_send_examples() {
    let v = json(
        r#"{"botId":456,"botToken":"my_bot_token","dialogId":"chat5","fields":{"message":"Hello from bot!",
            "keyboard":[{"TEXT":"Open","LINK":"https://example.com","BG_COLOR_TOKEN":"primary"}]}}"#,
    );
    let s = MessageSend::parse(&Obj::root(&v), 456).unwrap();
    assert_eq!(s.dialog_id, DialogId::Chat(5));
    assert_eq!(s.content.message.as_deref(), Some("Hello from bot!"));
    assert!(s.content.keyboard.is_some() && s.content.attach.is_none());
    assert!(!s.content.system && s.content.url_preview);
    assert!(s.forward_ids.is_empty());

    // The keyboards page: the full object with BOT_ID, a NEWLINE and an ACTION button.
    let v = json(
        r#"{"botId":456,"dialogId":"chat2725","fields":{"message":"Select action","keyboard":{"BOT_ID":456,
            "BUTTONS":[{"TEXT":"Open website","LINK":"https://www.example.com/"},{"TYPE":"NEWLINE"},
            {"TEXT":"Insert command","ACTION":"PUT","ACTION_VALUE":"/help"}]}}}"#,
    );
    let k = MessageSend::parse(&Obj::root(&v), 456).unwrap().content.keyboard.unwrap();
    assert_eq!(k.buttons.len(), 3);
    assert!(k.buttons().all(|b| b.bot_id == 456));

    // The attachments page: full form and short form.
    let v = json(
        r##"{"botId":456,"dialogId":"chat20921","fields":{"message":"Attachment with primary color","attach":{"ID":1,
            "COLOR_TOKEN":"primary","COLOR":"#29619b","BLOCKS":[{"MESSAGE":"The API will be available in the update [B]im 24.0.0[/B]"}]}}}"##,
    );
    let a = MessageSend::parse(&Obj::root(&v), 456).unwrap().content.attach.unwrap();
    assert_eq!(a.attachments[0].id, Some(1));
    let v = json(r#"{"botId":456,"dialogId":"chat20921","fields":{"attach":[{"MESSAGE":"only an attachment"}]}}"#);
    assert!(MessageSend::parse(&Obj::root(&v), 456).unwrap().content.message.is_none());

    // Errors: empty, bad structures, a bad boolean.
    assert_eq!(
        code(MessageSend::parse(&Obj::root(&json(r#"{"dialogId":"chat5","fields":{"message":"  "}}"#)), 1)),
        "EMPTY_MESSAGE"
    );
    assert_eq!(code(MessageSend::parse(&Obj::root(&json(r#"{"dialogId":"chat5"}"#)), 1)), "EMPTY_MESSAGE");
    let kb_only = json(r#"{"dialogId":"chat5","fields":{"keyboard":[{"TEXT":"x","LINK":"https://x"}]}}"#);
    assert_eq!(code(MessageSend::parse(&Obj::root(&kb_only), 1)), "EMPTY_MESSAGE");
    assert_eq!(
        code(MessageSend::parse(
            &Obj::root(&json(r#"{"dialogId":"chat5","fields":{"message":"m","attach":[{"IMAGE":{}}]}}"#)),
            1
        )),
        "ATTACH_ERROR"
    );
    assert_eq!(
        code(MessageSend::parse(
            &Obj::root(&json(r#"{"dialogId":"chat5","fields":{"message":"m","keyboard":[{"TEXT":"no action"}]}}"#)),
            1
        )),
        "KEYBOARD_ERROR"
    );
    assert_eq!(
        code(MessageSend::parse(
            &Obj::root(&json(r#"{"dialogId":"chat5","fields":{"message":"m","system":"perhaps"}}"#)),
            1
        )),
        "ERROR_ARGUMENT"
    );
}

#[test]
fn message_send_form_encoded_booleans_forwards_and_truncation() {
    let f = form("botId=456&dialogId=27&fields[message]=hi&fields[system]=Y&fields[urlPreview]=false&fields[replyId]=77\
                  &fields[templateId]=796c45aa-70e5-45aa-930c-c7fb32710c62&fields[forwardIds][a-uuid]=12&fields[silentConnector]=1");
    let s = MessageSend::parse(&Obj::root(&f), 456).unwrap();
    assert_eq!(s.dialog_id, DialogId::User(27));
    assert!(s.content.system && !s.content.url_preview && s.silent_connector && !s.skip_connector);
    assert_eq!(s.reply_id, Some(77));
    assert_eq!(s.template_id.as_deref(), Some("796c45aa-70e5-45aa-930c-c7fb32710c62"));
    assert_eq!(s.forward_ids, vec![("a-uuid".to_owned(), 12)]);
    let forward_only = form("dialogId=chat5&fields[forwardIds][u]=3");
    assert!(MessageSend::parse(&Obj::root(&forward_only), 1).is_ok());
    let many: String = (0..101).map(|i| format!("&fields[forwardIds][u{i}]={}", i + 1)).collect();
    assert_eq!(code(MessageSend::parse(&Obj::root(&form(&format!("dialogId=chat5{many}"))), 1)), "ERROR_ARGUMENT");

    let long = "a".repeat(MAX_MESSAGE_LEN + 100);
    let mut m = Map::new();
    m.insert("dialogId".into(), "chat5".into());
    let mut fields = Map::new();
    fields.insert("message".into(), long.into());
    m.insert("fields".into(), Value::Object(fields));
    let text = MessageSend::parse(&Obj::root(&m), 1).unwrap().content.message.unwrap();
    assert_eq!(text.chars().count(), MAX_MESSAGE_LEN + 6);
    assert!(text.ends_with(" (...)"));
}

#[test]
fn message_update_delete_read_get() {
    let v = json(r#"{"botId":456,"botToken":"my_bot_token","messageId":789,"fields":{"message":"Updated text"}}"#);
    let u = MessageUpdate::parse(&Obj::root(&v), 456).unwrap();
    assert_eq!((u.message_id, u.message.as_deref()), (789, Some("Updated text")));
    assert!(u.attach.is_absent() && u.keyboard.is_absent() && u.url_preview.is_none());
    let v = json(r#"{"messageId":789,"fields":{"keyboard":"N","attach":"","urlPreview":"N","message":""}}"#);
    let u = MessageUpdate::parse(&Obj::root(&v), 456).unwrap();
    assert!(matches!(u.keyboard, Field::Clear) && matches!(u.attach, Field::Clear));
    assert_eq!((u.url_preview, u.message.as_deref()), (Some(false), Some("")));
    assert_eq!(code(MessageUpdate::parse(&Obj::root(&json(r#"{"messageId":789}"#)), 1)), "ERROR_ARGUMENT");
    assert_eq!(code(MessageUpdate::parse(&Obj::root(&json(r#"{"messageId":"x","fields":{}}"#)), 1)), "ACCESS_DENIED");

    let d =
        MessageDelete::parse(&Obj::root(&json(r#"{"botId":456,"botToken":"my_bot_token","messageId":789}"#))).unwrap();
    assert_eq!(d, MessageDelete { message_id: 789, complete: false });
    assert!(MessageDelete::parse(&Obj::root(&form("messageId=789&complete=Y"))).unwrap().complete);

    let r = MessageRead::parse(&Obj::root(&json(r#"{"botId":456,"dialogId":"chat5","messageId":789}"#))).unwrap();
    assert_eq!(r, MessageRead { dialog_id: DialogId::Chat(5), message_id: Some(789) });
    assert_eq!(MessageRead::parse(&Obj::root(&json(r#"{"dialogId":"chat5"}"#))).unwrap().message_id, None);
    assert_eq!(
        code(MessageRead::parse(&Obj::root(&json(r#"{"dialogId":"chat5","messageId":-3}"#)))),
        "MESSAGE_NOT_FOUND"
    );

    let g = MessageLookup::parse(&Obj::root(&json(r#"{"botId":456,"messageId":789,"range":20}"#))).unwrap();
    assert_eq!(g, MessageLookup { message_id: 789, range: 20 });
    assert_eq!(MessageLookup::parse(&Obj::root(&json(r#"{"messageId":789}"#))).unwrap().range, 50);
    assert_eq!(MessageLookup::parse(&Obj::root(&json(r#"{"messageId":789,"range":99}"#))).unwrap().range, 50);
}

#[test]
fn reactions() {
    let r = ReactionRequest::parse(&Obj::root(&json(r#"{"botId":456,"messageId":789,"reaction":"like"}"#))).unwrap();
    assert_eq!(r, ReactionRequest { message_id: 789, reaction: Reaction::Like });
    let r = ReactionRequest::parse(&Obj::root(&json(
        r#"{"messageId":789,"reaction":"faceWithStuckOutTongueAndWinkingEye"}"#,
    )));
    assert_eq!(r.unwrap().reaction, Reaction::FaceWithStuckOutTongueAndWinkingEye);
    assert_eq!(
        code(ReactionRequest::parse(&Obj::root(&json(r#"{"messageId":789,"reaction":"Like"}"#)))),
        "REACTION_NOT_FOUND"
    );
    assert_eq!(code(ReactionRequest::parse(&Obj::root(&json(r#"{"messageId":789}"#)))), "ERROR_ARGUMENT");
}

#[test]
fn command_register_new_and_legacy_formats() {
    let v = json(
        r#"{"botId":456,"botToken":"my_bot_token","fields":{"command":"help","title":{"en":"Show help","de":"Hilfe anzeigen"},
            "params":{"en":"query","de":"Anfrage"}}}"#,
    );
    let c = CommandRegister::parse(&Obj::root(&v)).unwrap();
    assert_eq!(c.command, "help");
    assert_eq!(c.title, vec![("en".into(), "Show help".into()), ("de".into(), "Hilfe anzeigen".into())]);
    assert_eq!(c.params.len(), 2);
    assert!(!c.common && !c.hidden && !c.extranet_support && !c.legacy_format);

    // The change log's legacy example: everything at the top level.
    let v = json(r#"{"botId": 456, "botToken": "...", "command": "help", "title": {"en": "Help"}, "hidden": false}"#);
    let c = CommandRegister::parse(&Obj::root(&v)).unwrap();
    assert!(c.legacy_format);
    assert_eq!(c.title, vec![("en".into(), "Help".into())]);

    let p = |s: &str| CommandRegister::parse(&Obj::root(&json(s)));
    assert_eq!(code(p(r#"{"fields":{"title":{"en":"x"}}}"#)), "COMMAND_REQUIRED");
    assert_eq!(code(p(r#"{"fields":{"command":"/"}}"#)), "COMMAND_REQUIRED");
    assert_eq!(code(p(r#"{"fields":{"command":["help"]}}"#)), "COMMAND_NAME_INVALID");
    assert_eq!(code(p(r#"{"fields":{"command":"help"}}"#)), "COMMAND_TITLE_REQUIRED");
    assert_eq!(p(r#"{"fields":{"command":"/secret","hidden":true}}"#).unwrap().command, "secret");
    assert!(p(r#"{"fields":{"command":"x","title":{"en":"X"},"common":"Y","extranetSupport":true}}"#).unwrap().common);
}

#[test]
fn command_update_translations() {
    let v = json(
        r#"{"botId":456,"botToken":"b15f6e80ef345c97e23db31e727281f4","commandId":42,"fields":{"title":{"en":"Updated help","de":"Aktualisierte Hilfe"}}}"#,
    );
    let u = CommandUpdate::parse(&Obj::root(&v)).unwrap();
    assert_eq!(u.command_id, 42);
    assert_eq!(
        u.title.unwrap(),
        vec![("en".into(), Some("Updated help".into())), ("de".into(), Some("Aktualisierte Hilfe".into()))]
    );

    let v = json(r#"{"commandId":42,"fields":{"title":{"de":"Hilfe","en":null},"params":{"de":"x","fr":"y"}}}"#);
    let u = CommandUpdate::parse(&Obj::root(&v)).unwrap();
    assert_eq!(u.title.unwrap(), vec![("de".into(), Some("Hilfe".into())), ("en".into(), None)]);
    assert_eq!(u.params.unwrap(), vec![("de".into(), Some("x".into()))], "params only for languages in title");
    let v = json(r#"{"commandId":42,"fields":{"params":{"de":"x"}}}"#);
    assert_eq!(CommandUpdate::parse(&Obj::root(&v)).unwrap().params, Some(vec![]));

    let p = |s: &str| CommandUpdate::parse(&Obj::root(&json(s)));
    assert_eq!(code(p(r#"{"commandId":42,"fields":{"command":""}}"#)), "COMMAND_NAME_EMPTY");
    assert_eq!(code(p(r#"{"commandId":42,"fields":{"command":{"a":1}}}"#)), "COMMAND_NAME_INVALID");
    assert_eq!(code(p(r#"{"commandId":"zz","fields":{}}"#)), "COMMAND_NOT_FOUND");
    assert_eq!(code(p(r#"{"fields":{}}"#)), "ERROR_ARGUMENT");
    assert_eq!(p(r#"{"commandId":42,"fields":{"command":"/new","hidden":"N"}}"#).unwrap().hidden, Some(false));
    assert_eq!(CommandRef::parse(&Obj::root(&json(r#"{"botId":456,"commandId":42}"#))).unwrap().command_id, 42);
}

#[test]
fn command_answer_example() {
    let v = json(
        r#"{"botId":456,"botToken":"my_bot_token","commandId":42,"messageId":789,"dialogId":"chat5","fields":{"message":"Here is the help text..."}}"#,
    );
    let a = CommandAnswer::parse(&Obj::root(&v), 456).unwrap();
    assert_eq!((a.command_id, a.message_id, a.dialog_id), (42, 789, DialogId::Chat(5)));
    assert_eq!(a.content.message.as_deref(), Some("Here is the help text..."));
    assert_eq!(
        code(CommandAnswer::parse(&Obj::root(&json(r#"{"commandId":42,"messageId":789,"dialogId":"chat5"}"#)), 1)),
        "COMMAND_ANSWER_FAILED"
    );
    assert_eq!(
        code(CommandAnswer::parse(&Obj::root(&json(r#"{"commandId":0,"messageId":789,"dialogId":"chat5"}"#)), 1)),
        "COMMAND_ANSWER_FAILED"
    );
}

#[test]
fn ui_methods() {
    let v = json(r#"{"botId":456,"dialogId":"chat5","statusMessageCode":"IMBOT_AGENT_ACTION_THINKING","duration":30}"#);
    let n = InputActionNotify::parse(&Obj::root(&v)).unwrap();
    assert_eq!((n.status, n.duration), (Some(StatusMessageCode::Thinking), Some(30)));
    let n = InputActionNotify::parse(&Obj::root(&json(
        r#"{"dialogId":"1","statusMessageCode":"DANCING","duration":9999}"#,
    )))
    .unwrap();
    assert_eq!((n.status, n.duration), (None, Some(600)));
    let t = TextFieldEnabled::parse(&Obj::root(&json(r#"{"botId":456,"dialogId":"chat5","enabled":false}"#))).unwrap();
    assert!(!t.enabled);
    assert!(TextFieldEnabled::parse(&Obj::root(&json(r#"{"dialogId":"chat5"}"#))).unwrap().enabled);
}

#[test]
fn event_get() {
    let e = EventGet::parse(&Obj::root(&json(
        r#"{"botId":456,"botToken":"my_bot_token","offset":1000,"limit":50,"withUserEvents":true}"#,
    )))
    .unwrap();
    assert_eq!(e, EventGet { offset: Some(1000), limit: 50, with_user_events: true });
    assert_eq!(
        EventGet::parse(&Obj::root(&json(r#"{"botId":456,"limit":50}"#))).unwrap(),
        EventGet { offset: None, limit: 50, with_user_events: false }
    );
    assert_eq!(
        EventGet::parse(&Obj::root(&json(r#"{"limit":0,"offset":-1}"#))).unwrap(),
        EventGet { offset: None, limit: 1, with_user_events: false }
    );
    assert_eq!(EventGet::parse(&Obj::root(&json(r#"{"limit":5000}"#))).unwrap().limit, 1000);
    assert_eq!(
        EventGet::parse_user(&Obj::root(&json(r#"{"offset":2000,"limit":50,"withUserEvents":true}"#))).unwrap(),
        EventGet { offset: Some(2000), limit: 50, with_user_events: false }
    );
    assert_eq!(code(EventGet::parse(&Obj::root(&json(r#"{"offset":"soon"}"#)))), "ERROR_ARGUMENT");
}

#[test]
fn files() {
    let v = json(
        r#"{"botId":456,"botToken":"my_bot_token","dialogId":"chat5","fields":{"name":"report.pdf","content":"SGVsbG8gV29ybGQh","message":"Here is the report"}}"#,
    );
    let u = FileUpload::parse(&Obj::root(&v), FileApi::Bot).unwrap();
    assert_eq!(
        (u.name.as_str(), u.content.as_slice(), u.message.as_deref()),
        ("report.pdf", &b"Hello World!"[..], Some("Here is the report"))
    );
    assert_eq!(u.extension(), "pdf");
    let p = |s: &str, api| FileUpload::parse(&Obj::root(&json(s)), api);
    assert_eq!(code(p(r#"{"dialogId":"chat5","fields":{"name":"a.txt"}}"#, FileApi::Bot)), "FILE_EMPTY");
    assert_eq!(code(p(r#"{"dialogId":"chat5"}"#, FileApi::User)), "FILE_EMPTY");
    assert_eq!(
        p(r#"{"dialogId":"chat5"}"#, FileApi::User).unwrap_err().description,
        "File name and content are required"
    );
    assert_eq!(
        code(p(r#"{"dialogId":"chat5","fields":{"name":"a","content":"%%%"}}"#, FileApi::Bot)),
        "FILE_INVALID_CONTENT"
    );
    assert_eq!(
        code(p(r#"{"dialogId":"nowhere","fields":{"name":"a","content":"QQ=="}}"#, FileApi::User)),
        "CHAT_NOT_FOUND"
    );
    assert_eq!(
        code(p(r#"{"dialogId":"nowhere","fields":{"name":"a","content":"QQ=="}}"#, FileApi::Bot)),
        "ACCESS_DENIED"
    );

    // The quick start sends dialogId to imbot.v2.File.download too; it is ignored there.
    let d = FileDownload::parse(&Obj::root(&json(r#"{"botId":456,"dialogId":"chat5","fileId":138}"#)), FileApi::Bot)
        .unwrap();
    assert_eq!(d, FileDownload { dialog_id: None, file_id: 138 });
    let d = FileDownload::parse(&Obj::root(&json(r#"{"dialogId":"chat5","fileId":138}"#)), FileApi::User).unwrap();
    assert_eq!(d.dialog_id, Some(DialogId::Chat(5)));
    assert_eq!(code(FileDownload::parse(&Obj::root(&json(r#"{"fileId":"abc"}"#)), FileApi::Bot)), "FILE_NOT_FOUND");
}

#[test]
fn send_context() {
    let v = json(r#"{"dialogId":"1459503","context":{"pairCode":"13bd812901b295c50adbc"}}"#);
    assert_eq!(SendContext::parse(&Obj::root(&v)).unwrap().context["pairCode"], "13bd812901b295c50adbc");
    let f = form("dialogId=1459503&context=%7B%22pairCode%22%3A%2213bd812901b295c50adbc%22%7D");
    assert_eq!(SendContext::parse(&Obj::root(&f)).unwrap().context["pairCode"], "13bd812901b295c50adbc");
    assert_eq!(code(SendContext::parse(&Obj::root(&json(r#"{"dialogId":"1","context":"[1]"}"#)))), "ERROR_ARGUMENT");
}

#[test]
fn parameter_names_are_case_sensitive_and_never_upper_cased() {
    // The same request through Params: a v1 handler would upper-case it; a v2 one must not.
    let p = Params::from_map(json(r#"{"botId": 5, "dialogId": "chat5", "fields": {"message": "hi"}}"#));
    assert!(MessageSend::parse(&Obj::root(&p.0), 5).is_ok());
    let upper = p.clone().upper_keys();
    assert_eq!(code(BotRef::parse(&Obj::root(&upper.0), AuthKind::OAuth)), "BOT_ID_REQUIRED");
    let wrong_case = json(r#"{"botId": 5, "dialogId": "chat5", "Fields": {"Message": "hi"}}"#);
    assert_eq!(code(MessageSend::parse(&Obj::root(&wrong_case), 5)), "EMPTY_MESSAGE");
    assert!(errors::ALL.iter().all(|c| c.status == 400));
    assert_eq!(ErrorCode::ERROR_ARGUMENT.status, 400);
}
