//! v2 objects and method results against the documentation's JSON examples (entities.md and the method pages),
//! compared with key order.

mod v2_common;

use imbot_wire::v2::entities::{FileDetail, Forward};
use imbot_wire::v2::enums::{CommandContext, FileType, UserType};
use imbot_wire::v2::{results, BotForm, Command, CommandCall, CommandForm, File, FileForm, Form, Revision, User};
use serde_json::{json, Map, Value};
use v2_common::*;

#[test]
fn user_method_form_is_the_entities_example_plus_the_two_login_dates() {
    let mut u = john();
    u.last_activity_date = Some(at("2025-01-15T10:29:00+01:00"));
    u.departments = vec![1, 5];
    let ours = u.to_value(Form::Method);
    assert_eq!(ours["mobileLastDate"], false);
    assert_eq!(ours["desktopLastDate"], false);
    same(
        &without(&ours, &["mobileLastDate", "desktopLastDate"]),
        r##"{
            "id": 1, "active": true, "name": "John Smith", "firstName": "John", "lastName": "Smith",
            "workPosition": "Developer", "color": "#df532d", "avatar": "", "gender": "M", "birthday": "",
            "extranet": false, "bot": false, "connector": false, "externalAuthId": "default", "status": "online",
            "idle": false, "lastActivityDate": "2025-01-15T10:29:00+01:00", "absent": false, "departments": [1, 5],
            "phones": false, "type": "employee", "website": "", "email": "john@example.com"
        }"##,
    );
}

#[test]
fn user_event_form_is_the_im_v2_event_example() {
    same(
        &john().to_value(Form::Event),
        r##"{
            "id": 1, "active": true, "name": "John Smith", "firstName": "John", "lastName": "Smith",
            "workPosition": "Developer", "color": "#df532d", "avatar": "", "gender": "M", "birthday": "",
            "extranet": false, "bot": false, "connector": false, "externalAuthId": "default",
            "status": "online", "idle": false, "lastActivityDate": false, "mobileLastDate": false,
            "desktopLastDate": false, "absent": false, "departments": [1], "phones": false, "website": "",
            "email": "john@example.com", "type": "employee"
        }"##,
    );
}

#[test]
fn bot_extended_and_brief() {
    let doc = r##"{
        "id": 456, "code": "support_bot", "type": "bot", "isHidden": false, "isSupportOpenline": false,
        "isReactionsEnabled": true, "backgroundId": null, "language": "en", "moduleId": "rest",
        "eventMode": "fetch", "countMessage": 150, "countCommand": 3, "countChat": 12, "countUser": 45
    }"##;
    same(&bot().to_value(BotForm::Extended), doc);
    same(
        &bot().to_value(BotForm::Brief),
        r##"{"id": 456, "code": "support_bot", "type": "bot", "isHidden": false, "isSupportOpenline": false,
            "isReactionsEnabled": true, "backgroundId": null, "language": "en"}"##,
    );
    let mut b = bot();
    b.background_id = Some(imbot_wire::v2::enums::Background::Frost);
    assert_eq!(b.to_value(BotForm::Brief)["backgroundId"], "frost");
}

#[test]
fn chat_get_result_is_the_page_example() {
    same(
        &results::chat_get(&support_chat()),
        r##"{"chat": {
            "id": 5, "dialogId": "chat5", "name": "Support Chat", "description": "", "type": "chat",
            "messageType": "C", "owner": 456, "color": "#4ba984", "avatar": "", "extranet": false,
            "containsCollaber": false, "entityType": "", "entityId": "", "entityData1": "", "entityData2": "",
            "entityData3": "", "entityLink": {}, "diskFolderId": 42, "role": "owner", "permissions": {},
            "muteList": [], "parentChatId": null, "parentMessageId": null, "isNew": false,
            "textFieldEnabled": "Y", "backgroundId": null, "dateCreate": "2025-01-15T10:00:00+01:00",
            "lastMessageId": 789, "lastMessageViews": "{}", "lastId": 789, "managerList": [], "markedId": null,
            "messageCount": 15, "public": "", "unreadId": null, "userCounter": 3
        }}"##,
    );
}

#[test]
fn chat_event_form_is_the_im_v2_event_example() {
    let mut c = support_chat();
    c.name = "Project Chat".into();
    c.owner = 1;
    c.color = Some("#ab7761".into());
    same(
        &c.to_value(Form::Event),
        r##"{
            "id": 5, "dialogId": "chat5", "name": "Project Chat", "type": "chat", "messageType": "C",
            "owner": 1, "color": "#ab7761", "avatar": "", "description": "", "extranet": false,
            "containsCollaber": false, "entityType": "", "entityId": "", "entityData1": "", "entityData2": "",
            "entityData3": "", "entityLink": {}, "diskFolderId": 42, "permissions": {}, "parentChatId": 0,
            "parentMessageId": 0, "isNew": false, "textFieldEnabled": "Y", "backgroundId": null
        }"##,
    );
    let mut c = support_chat();
    c.text_field_enabled = false;
    assert_eq!(c.to_value(Form::Event)["textFieldEnabled"], "N");
}

#[test]
fn chat_add_result_wraps_chat_and_users() {
    let mut c = support_chat();
    c.is_new = true;
    let v = results::chat_add(&c, &[john()]);
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["chat", "users"]);
    assert_eq!(v["chat"]["isNew"], true);
    assert_eq!(v["users"][0]["type"], "employee");
}

#[test]
fn message_get_result_is_the_page_example() {
    let mut m = hello();
    m.date = Some(at("2026-03-19T14:30:00+02:00"));
    m.text = "Hello! How are you?".into();
    m.viewed_by_others = true;
    let v = results::message_get(&m, &john());
    same(
        &v["message"],
        r##"{"id": 789, "chatId": 5, "authorId": 1, "date": "2026-03-19T14:30:00+02:00",
            "text": "Hello! How are you?", "isSystem": false, "uuid": "", "forward": null, "params": {},
            "viewedByOthers": true}"##,
    );
    // The page shows the author briefly (id, active, name, bot, type); the full object carries those values.
    for (k, want) in [("id", json!(1)), ("active", json!(true)), ("name", json!("John Smith")), ("bot", json!(false))] {
        assert_eq!(v["user"][k], want, "{k}");
    }
    assert_eq!(v["user"]["type"], "employee");
}

#[test]
fn message_method_only_fields_and_forward() {
    let mut m = hello();
    m.unread = Some(true);
    m.viewed = Some(false);
    m.forward = Some(Forward { id: 10, user_id: 3, chat_id: 7, date: Some(at("2025-01-14T09:00:00+02:00")) });
    let v = m.to_value(Form::Method);
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.last().map(String::as_str), Some("viewed"));
    assert_eq!(v["unread"], true);
    same(&v["forward"], r#"{"id": 10, "userId": 3, "chatId": 7, "date": "2025-01-14T09:00:00+02:00"}"#);
    assert!(m.to_value(Form::Event).get("unread").is_none());
}

#[test]
fn message_context_result() {
    let v = results::message_context(&[hello()], &[john()], false, true);
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["messages", "users", "hasPrevPage", "hasNextPage"]);
}

fn report() -> File {
    File {
        id: 138,
        chat_id: 5,
        date: Some(at("2025-01-15T10:30:00+01:00")),
        file_type: FileType::File,
        name: "report.pdf".into(),
        extension: "pdf".into(),
        size: 35341,
        image: None,
        author_id: 1,
        author_name: "John Smith".into(),
        is_transcribable: false,
        is_video_note: false,
        is_voice_note: false,
        detail: None,
    }
}

#[test]
fn file_entity_and_brief_forms() {
    same(
        &report().to_value(FileForm::Entity),
        r##"{"id": 138, "chatId": 5, "date": "2025-01-15T10:30:00+01:00", "type": "file", "name": "report.pdf",
            "extension": "pdf", "size": 35341, "image": false, "authorId": 1, "authorName": "John Smith",
            "isTranscribable": false, "isVideoNote": false, "isVoiceNote": false}"##,
    );
    same(
        &results::file_upload(&report(), FileForm::Brief, 123, 5, "chat5"),
        r##"{"file": {"id": 138, "chatId": 5, "name": "report.pdf", "extension": "pdf", "size": 35341},
            "messageId": 123, "chatId": 5, "dialogId": "chat5"}"##,
    );
    let mut img = report();
    img.image = Some((800, 600));
    same(&img.to_value(FileForm::Entity)["image"], r#"{"height": 600, "width": 800}"#);
}

#[test]
fn im_v2_file_upload_result_is_the_page_example() {
    let url = "https://some-domain.bitrix24.com/bitrix/services/main/ajax.php?action=disk.api.file.download&SITE_ID=s1&humanRE=1&fileId=9817&exact=N&fileName=report.pdf";
    let viewer: Map<String, Value> = serde_json::from_value(json!({
        "viewer": "", "viewerType": "code", "src": url, "objectId": "9817", "viewerGroupBy": "4415",
        "imChatId": 4415, "title": "report.pdf", "unifiedLink": "https://some-domain.bitrix24.com/file/5tqNA6utERA5MIWnKpFX",
        "actions": "[{\"type\":\"download\"}]"
    }))
    .unwrap();
    let file = File {
        id: 9817,
        chat_id: 4415,
        date: Some(at("2026-08-11T15:28:50+02:00")),
        author_name: "Klaus Weber".into(),
        detail: Some(FileDetail {
            status: "done".into(),
            progress: 100,
            url_preview: String::new(),
            url_show: url.into(),
            url_download: url.into(),
            viewer_attrs: viewer,
            media_url: serde_json::from_value(json!({"preview": {"250": ""}})).unwrap(),
        }),
        ..report()
    };
    let doc = format!(
        r##"{{"file": {{"id": 9817, "chatId": 4415, "date": "2026-08-11T15:28:50+02:00", "type": "file",
            "name": "report.pdf", "extension": "pdf", "size": 35341, "image": false, "status": "done", "progress": 100,
            "authorId": 1, "authorName": "Klaus Weber", "urlPreview": "", "urlShow": "{url}", "urlDownload": "{url}",
            "viewerAttrs": {{"viewer": "", "viewerType": "code", "src": "{url}", "objectId": "9817",
                "viewerGroupBy": "4415", "imChatId": 4415, "title": "report.pdf",
                "unifiedLink": "https://some-domain.bitrix24.com/file/5tqNA6utERA5MIWnKpFX",
                "actions": "[{{\"type\":\"download\"}}]"}},
            "mediaUrl": {{"preview": {{"250": ""}}}},
            "isTranscribable": false, "isVideoNote": false, "isVoiceNote": false}},
            "messageId": 38655, "chatId": 4415, "dialogId": "chat4415"}}"##
    );
    same(&results::file_upload(&file, FileForm::Detailed, 38655, 4415, "chat4415"), &doc);
}

fn help_command() -> Command {
    Command {
        id: 42,
        bot_id: 456,
        command: "help".into(),
        common: false,
        hidden: false,
        extranet_support: false,
        title: "Show Help".into(),
        params: "request text".into(),
        category: "My Bot".into(),
        context: String::new(),
    }
}

#[test]
fn command_forms() {
    same(
        &results::command(&help_command()),
        r#"{"command": {"id": 42, "botId": 456, "command": "/help", "common": false, "hidden": false,
            "extranetSupport": false}}"#,
    );
    same(
        &results::command_list(&[help_command()]),
        r#"{"commands": [{"id": 42, "botId": 456, "command": "/help", "title": "Show Help",
            "params": "request text", "common": false, "hidden": false, "extranetSupport": false,
            "category": "My Bot", "context": ""}]}"#,
    );
    let call =
        CommandCall { id: 78, command: "help".into(), params: "topic".into(), context: CommandContext::Textarea };
    same(&call.to_value(), r#"{"id": 78, "command": "/help", "params": "topic", "context": "textarea"}"#);
    assert_eq!(help_command().to_value(CommandForm::Short)["command"], "/help");
}

#[test]
fn small_results() {
    same(&results::ok(), r#"{"result": true}"#);
    same(&results::bare_true(), "true");
    same(&results::message_send(789, &[]), r#"{"id": 789, "uuidMap": {}}"#);
    same(&results::message_send(5, &[("a-uuid".into(), 790)]), r#"{"id": 5, "uuidMap": {"a-uuid": 790}}"#);
    same(
        &results::message_read(5, 789, 0, &[785, 786, 789]),
        r#"{"chatId": 5, "lastId": 789, "counter": 0, "viewedMessages": [785, 786, 789]}"#,
    );
    same(
        &results::revision(&Revision { rest: 33, web: 130, mobile: 23, desktop: 6 }),
        r#"{"rest": 33, "web": 130, "mobile": 23, "desktop": 6}"#,
    );
    assert_eq!(Revision::IMBOTD.rest, 36);
    assert_eq!(
        results::download_url("https://portal.example/rest/", "imbot", "aW+x/y="),
        "https://portal.example/rest/download.json?token=imbot%7CaW%2Bx%2Fy%3D"
    );
    same(
        &results::file_download("https://x/rest/download.json?token=im%7Cabc"),
        r#"{"downloadUrl": "https://x/rest/download.json?token=im%7Cabc"}"#,
    );
}

#[test]
fn bot_register_result_matches_the_page() {
    let mut b = bot();
    b.count_message = 0;
    b.count_command = 0;
    b.count_chat = 0;
    b.count_user = 0;
    let bot_user = User {
        id: 456,
        name: "Support Bot".into(),
        first_name: "Support".into(),
        last_name: "Bot".into(),
        work_position: "AI Assistant".into(),
        bot: true,
        external_auth_id: "bot".into(),
        last_activity_date: Some(at("2025-01-15T10:30:00+01:00")),
        user_type: UserType::Bot,
        email: String::new(),
        ..john()
    };
    let v = results::bot(&b, BotForm::Extended, &[bot_user]);
    same(
        &v["bot"],
        r##"{"id": 456, "code": "support_bot", "type": "bot", "isHidden": false, "isSupportOpenline": false,
            "isReactionsEnabled": true, "backgroundId": null, "language": "en", "moduleId": "rest",
            "eventMode": "fetch", "countMessage": 0, "countCommand": 0, "countChat": 0, "countUser": 0}"##,
    );
    // The page's user lacks the two login dates, website and email; everything it shows is ours, in order.
    same(
        &without(&v["users"][0], &["mobileLastDate", "desktopLastDate", "website", "email"]),
        r##"{"id": 456, "active": true, "name": "Support Bot", "firstName": "Support", "lastName": "Bot",
            "workPosition": "AI Assistant", "color": "#df532d", "avatar": "", "gender": "M", "birthday": "",
            "extranet": false, "bot": true, "connector": false, "externalAuthId": "bot", "status": "online",
            "idle": false, "lastActivityDate": "2025-01-15T10:30:00+01:00", "absent": false, "departments": [1],
            "phones": false, "type": "bot"}"##,
    );
    let list = results::bot_list(&[bot()], &[], false);
    let keys: Vec<_> = list.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["bots", "users", "hasNextPage"]);
    assert_eq!(list["bots"][0]["countMessage"], 150);
}

#[test]
fn chat_user_list_is_a_bare_array() {
    let v = results::chat_user_list(&[john()]);
    assert!(v.is_array());
    assert_eq!(v[0]["id"], 1);
}

#[test]
fn entities_json_is_php_encodable() {
    // The server encodes with json::to_php_json; `/` and `&` get escaped but the values survive.
    let v = results::chat_get(&support_chat());
    let bytes = imbot_wire::json::to_php_json(&v);
    let back: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back, v);
}
