//! Messenger objects as the v2 API shows them (`imbot_wire::v2::entities`, docs/v2.md §4): the same users,
//! bots, chats and messages the v1 methods print with `render.rs`, in camelCase with real booleans.

use super::render::{color_for, color_hex, full_name, shown_author, user_color};
use crate::domain::UserId;
use crate::store::bots::{Bot, BotCounts, BotType};
use crate::store::chats::{Chat, ChatType, Member, Role};
use crate::store::messages::Message;
use crate::store::users::User;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use imbot_wire::v2::entities as e;
use imbot_wire::v2::enums;
use serde_json::{Map, Value};

/// A unix time in the portal's zone.
pub fn at(ts: i64, tz: FixedOffset) -> Option<DateTime<FixedOffset>> {
    Utc.timestamp_opt(ts, 0).single().map(|t| t.with_timezone(&tz))
}

pub fn user(u: &User, tz: FixedOffset) -> e::User {
    e::User {
        id: u.id.0,
        active: u.active,
        name: full_name(u),
        first_name: u.name.clone(),
        last_name: u.last_name.clone(),
        work_position: u.work_position.clone(),
        color: user_color(u).to_owned(),
        avatar: String::new(),
        gender: u.gender.clone(),
        birthday: String::new(),
        extranet: u.is_extranet,
        bot: u.is_bot,
        connector: false,
        external_auth_id: if u.is_bot { "bot" } else { "default" }.into(),
        status: "online".into(),
        idle: None,
        last_activity_date: u.last_login.and_then(|t| at(t, tz)),
        mobile_last_date: None,
        desktop_last_date: None,
        absent: None,
        departments: vec![1],
        phones: None,
        user_type: if u.is_bot {
            enums::UserType::Bot
        } else if u.is_extranet {
            enums::UserType::Extranet
        } else {
            enums::UserType::Employee
        },
        website: String::new(),
        email: u.email.clone(),
    }
}

/// The v2 type of a bot: as registered through v2, or mapped from a v1 bot's letter (docs/v2.md §7).
pub fn bot_type(b: &Bot) -> enums::BotType {
    if let Some(t) = enums::BotType::parse(&b.v2.v2_type) {
        return t;
    }
    match b.kind {
        BotType::Supervisor => enums::BotType::Supervisor,
        BotType::OpenLine => enums::BotType::Openline,
        BotType::Bot | BotType::Human => enums::BotType::Bot,
    }
}

/// The v1 type letter a v2 type behaves as (v1 dispatch rules, docs/v2.md §7).
pub fn letter_of(t: enums::BotType) -> BotType {
    match t {
        enums::BotType::Supervisor | enums::BotType::Personal => BotType::Supervisor,
        enums::BotType::Openline => BotType::OpenLine,
        enums::BotType::Bot | enums::BotType::Network => BotType::Bot,
    }
}

pub fn bot(b: &Bot, counts: BotCounts, language: &str) -> e::Bot {
    e::Bot {
        id: b.id.0,
        code: b.code.clone(),
        bot_type: bot_type(b),
        is_hidden: b.v2.is_hidden,
        is_support_openline: b.openline,
        is_reactions_enabled: b.v2.reactions_enabled,
        background_id: b.v2.background_id.as_deref().and_then(enums::Background::parse),
        language: language.to_owned(),
        module_id: "rest".into(),
        // v1 bots get their app's v1 handlers: "webhook" (docs/v2.md §7).
        event_mode: enums::EventMode::parse(&b.v2.event_mode).unwrap_or(enums::EventMode::Webhook),
        count_message: counts.messages,
        count_command: counts.commands,
        count_chat: counts.chats,
        count_user: counts.users,
    }
}

/// The `dialogId` of `chat` as `viewer` sees it: `chat5`, or the other member's id for a private dialog.
pub fn dialog_id(chat: &Chat, partner: Option<UserId>) -> String {
    match (chat.kind, partner) {
        (ChatType::Private, Some(p)) => p.0.to_string(),
        _ => format!("chat{}", chat.id.0),
    }
}

/// What a chat shows one member (`member` = the viewer's membership, if any).
pub struct ChatView<'a> {
    pub chat: &'a Chat,
    pub dialog_id: String,
    pub member: Option<&'a Member>,
    pub user_counter: i64,
    pub managers: &'a [UserId],
}

pub fn chat(v: &ChatView<'_>, tz: FixedOffset) -> e::Chat {
    let c = v.chat;
    let private = c.kind == ChatType::Private;
    let color = if c.color.is_empty() {
        color_for(c.id.0).to_owned()
    } else {
        color_hex(&c.color).unwrap_or(color_for(c.id.0)).to_owned()
    };
    let role = match v.member.map(|m| m.role) {
        Some(Role::Owner) => enums::ChatRole::Owner,
        Some(Role::Manager) => enums::ChatRole::Manager,
        Some(Role::Member) => enums::ChatRole::Member,
        None => enums::ChatRole::None,
    };
    let can = |r: crate::store::chats::Rights| v.member.is_some_and(|m| r.allows(m.role));
    let mut permissions = Map::new();
    for (k, r) in [
        ("manageUsersAdd", c.manage_users_add),
        ("manageUsersDelete", c.manage_users_delete),
        ("manageUi", c.manage_ui),
        ("manageSettings", c.manage_settings),
        ("manageMessages", c.manage_messages),
        ("canPost", c.can_post),
    ] {
        permissions.insert(k.into(), Value::String(r.as_str().into()));
    }
    e::Chat {
        id: c.id.0,
        dialog_id: v.dialog_id.clone(),
        name: c.title.clone(),
        description: c.description.clone(),
        chat_type: if private {
            enums::ChatType::Private
        } else if c.kind == ChatType::Open {
            enums::ChatType::Open
        } else {
            enums::ChatType::Chat
        },
        message_type: c.kind.letter().into(),
        owner: c.owner_id.0,
        color: Some(color),
        avatar: String::new(),
        extranet: false,
        contains_collaber: false,
        entity_type: c.entity_type.clone(),
        entity_id: c.entity_id.clone(),
        entity_data1: String::new(),
        entity_data2: String::new(),
        entity_data3: String::new(),
        entity_link: Map::new(),
        disk_folder_id: None,
        permissions,
        parent_chat_id: None,
        parent_message_id: None,
        is_new: false,
        text_field_enabled: c.text_field_enabled && (private || can(c.can_post) || v.member.is_none()),
        background_id: None,
        role,
        mute_list: Vec::new(),
        date_create: at(c.created_at, tz),
        last_message_id: (c.last_message_id.0 > 0).then_some(c.last_message_id.0),
        last_message_views: String::new(),
        last_id: v.member.map(|m| m.last_read_id.0),
        manager_list: v.managers.iter().map(|u| u.0).collect(),
        marked_id: None,
        message_count: c.message_count,
        public: Value::String(String::new()),
        unread_id: None,
        user_counter: v.user_counter,
    }
}

/// A message; `viewed_by_others` whether anyone but its author has read it.
pub fn message(m: &Message, likes: &[UserId], viewed_by_others: bool, tz: FixedOffset) -> e::Message {
    let mut params = m.params.clone();
    if !likes.is_empty() {
        params.insert("LIKE".into(), Value::Array(likes.iter().map(|u| Value::from(u.0)).collect()));
    }
    e::Message {
        id: m.id.0,
        chat_id: m.chat_id.0,
        author_id: shown_author(m).0,
        date: at(m.created_at, tz),
        text: m.text.clone(),
        is_system: m.is_system,
        uuid: m.uuid.clone().unwrap_or_default(),
        forward: None,
        params,
        viewed_by_others,
        unread: None,
        viewed: None,
    }
}
