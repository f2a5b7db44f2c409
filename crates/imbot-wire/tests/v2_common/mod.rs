//! Fixtures shared by the v2 tests: the objects of the documentation's examples, built through the public API.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset};
use imbot_wire::events::AuthBlock;
use imbot_wire::v2::enums::{BotType, ChatRole, ChatType, EventMode, UserType};
use imbot_wire::v2::{Bot, Chat, Message, User};
use serde_json::{Map, Value};

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// Serialised with key order: equal strings mean equal keys, order, types and values.
pub fn same(ours: &Value, doc: &str) {
    let doc: Value = serde_json::from_str(doc).unwrap();
    assert_eq!(serde_json::to_string_pretty(ours).unwrap(), serde_json::to_string_pretty(&doc).unwrap());
}

/// `v` without the given top-level keys.
pub fn without(v: &Value, keys: &[&str]) -> Value {
    let mut m = v.as_object().unwrap().clone();
    for k in keys {
        m.shift_remove(*k);
    }
    Value::Object(m)
}

/// The bot of every example (`support_bot`, 456, extended counters 150/3/12/45).
pub fn bot() -> Bot {
    Bot {
        id: 456,
        code: "support_bot".into(),
        bot_type: BotType::Bot,
        is_hidden: false,
        is_support_openline: false,
        is_reactions_enabled: true,
        background_id: None,
        language: "en".into(),
        module_id: "rest".into(),
        event_mode: EventMode::Fetch,
        count_message: 150,
        count_command: 3,
        count_chat: 12,
        count_user: 45,
    }
}

/// John Smith (user 1) of the event examples.
pub fn john() -> User {
    User {
        id: 1,
        active: true,
        name: "John Smith".into(),
        first_name: "John".into(),
        last_name: "Smith".into(),
        work_position: "Developer".into(),
        color: "#df532d".into(),
        avatar: String::new(),
        gender: "M".into(),
        birthday: String::new(),
        extranet: false,
        bot: false,
        connector: false,
        external_auth_id: "default".into(),
        status: "online".into(),
        idle: None,
        last_activity_date: Some(at("2025-01-15T10:29:00+02:00")),
        mobile_last_date: None,
        desktop_last_date: None,
        absent: None,
        departments: vec![1],
        phones: None,
        user_type: UserType::Employee,
        website: String::new(),
        email: "john@example.com".into(),
    }
}

/// Chat 5 as `imbot.v2.Chat.get` shows it.
pub fn support_chat() -> Chat {
    Chat {
        id: 5,
        dialog_id: "chat5".into(),
        name: "Support Chat".into(),
        description: String::new(),
        chat_type: ChatType::Chat,
        message_type: "C".into(),
        owner: 456,
        color: Some("#4ba984".into()),
        avatar: String::new(),
        extranet: false,
        contains_collaber: false,
        entity_type: String::new(),
        entity_id: String::new(),
        entity_data1: String::new(),
        entity_data2: String::new(),
        entity_data3: String::new(),
        entity_link: Map::new(),
        disk_folder_id: Some(42),
        permissions: Map::new(),
        parent_chat_id: None,
        parent_message_id: None,
        is_new: false,
        text_field_enabled: true,
        background_id: None,
        role: ChatRole::Owner,
        mute_list: vec![],
        date_create: Some(at("2025-01-15T10:00:00+01:00")),
        last_message_id: Some(789),
        last_message_views: "{}".into(),
        last_id: Some(789),
        manager_list: vec![],
        marked_id: None,
        message_count: 15,
        public: Value::String(String::new()),
        unread_id: None,
        user_counter: 3,
    }
}

/// Message 789 "Hello bot!" of the ONIMBOTV2MESSAGEADD example.
pub fn hello() -> Message {
    Message {
        id: 789,
        chat_id: 5,
        author_id: 1,
        date: Some(at("2025-01-15T10:30:00+02:00")),
        text: "Hello bot!".into(),
        is_system: false,
        uuid: String::new(),
        forward: None,
        params: Map::new(),
        viewed_by_others: false,
        unread: None,
        viewed: None,
    }
}

/// The bot's tokens of the events page's webhook example, with `access_token` `AT` and `application_token`
/// `APPTOKEN` as SPEC-NOTES' byte example writes them and `user_id` = the bot.
pub fn bot_auth() -> AuthBlock {
    AuthBlock {
        access_token: "AT".into(),
        expires: 1772093963,
        expires_in: 3600,
        scope: "imbot".into(),
        domain: "some-domain.bitrix24.com".into(),
        server_endpoint: "https://oauth.bitrix.info/rest/".into(),
        status: "F".into(),
        client_endpoint: "https://some-domain.bitrix24.com/rest/".into(),
        member_id: "bac1cd5c8940947a75e0d71b1a84e348".into(),
        user_id: 456,
        refresh_token: None,
        client_id: "unused-in-v2".into(),
        application_token: "APPTOKEN".into(),
    }
}
