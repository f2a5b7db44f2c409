//! Messenger objects as the `im.*` methods print them (snake_case, as `im.dialog.messages.get`,
//! `im.dialog.get` and `im.dialog.users.list` document).

use crate::domain::{MessageId, UserId};
use crate::store::chats::{Chat, ChatType, Member};
use crate::store::messages::Message;
use crate::store::users::User;
use chrono::{FixedOffset, TimeZone, Utc};
use imbot_wire::envelope::php_date_c;
use imbot_wire::json::php_array;
use serde_json::{json, Map, Value};

/// Bitrix's 16 avatar colours (name, hex), in the order of the v2 chat-add page.
pub const COLORS: &[(&str, &str)] = &[
    ("RED", "#df532d"),
    ("GREEN", "#64a513"),
    ("MINT", "#4ba984"),
    ("LIGHT_BLUE", "#4ba5c3"),
    ("DARK_BLUE", "#3e99ce"),
    ("PURPLE", "#8474c8"),
    ("AQUA", "#1eb4aa"),
    ("PINK", "#f76187"),
    ("LIME", "#58cc47"),
    ("BROWN", "#ab7761"),
    ("AZURE", "#29619b"),
    ("KHAKI", "#728f7a"),
    ("SAND", "#ba9c7b"),
    ("MARENGO", "#556574"),
    ("GRAY", "#909090"),
    ("GRAPHITE", "#5e5f5e"),
];

/// The hex of a colour name (`RED` → `#df532d`).
pub fn color_hex(name: &str) -> Option<&'static str> {
    COLORS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, h)| *h)
}

/// The colour of a user: the one chosen (bots), else the one derived from the id.
pub fn user_color(u: &User) -> &'static str {
    color_hex(&u.color).unwrap_or(color_for(u.id.0))
}

/// The v1 colour name (`LIGHT_BLUE`) of a v2 colour.
pub fn v1_color_name(c: imbot_wire::v2::enums::Color) -> &'static str {
    COLORS.iter().find(|(_, hex)| hex.eq_ignore_ascii_case(c.hex())).map(|(name, _)| *name).unwrap_or("")
}

/// A stable colour for an id (users and chats without a chosen colour).
pub fn color_for(id: i64) -> &'static str {
    COLORS[(id.unsigned_abs() % COLORS.len() as u64) as usize].1
}

pub fn full_name(u: &User) -> String {
    format!("{} {}", u.name, u.last_name).trim().to_owned()
}

pub fn date(ts: i64, tz: FixedOffset) -> String {
    Utc.timestamp_opt(ts, 0).single().map(|t| php_date_c(t, tz)).unwrap_or_default()
}

/// The user object of `im.*` answers.
pub fn user(u: &User, tz: FixedOffset) -> Value {
    json!({
        "id": u.id.0,
        "active": u.active,
        "name": full_name(u),
        "first_name": u.name,
        "last_name": u.last_name,
        "work_position": u.work_position,
        "color": user_color(u),
        "avatar": "",
        "avatar_hr": "",
        "gender": if u.gender.is_empty() { "M" } else { u.gender.as_str() },
        "birthday": "",
        "extranet": u.is_extranet,
        "network": false,
        "bot": u.is_bot,
        "connector": false,
        "external_auth_id": if u.is_bot { "bot" } else { "default" },
        "status": "online",
        "idle": false,
        "last_activity_date": u.last_login.map(|t| Value::String(date(t, tz))).unwrap_or(Value::Bool(false)),
        "mobile_last_date": false,
        "desktop_last_date": false,
        "absent": false,
        "departments": [1],
        "phones": false,
        "bot_data": null,
        "type": if u.is_bot { "bot" } else if u.is_extranet { "extranet" } else { "user" },
        "website": "",
        "email": u.email,
    })
}

/// The author a message shows: 0 for every system message ("`0` for system messages", the
/// `im.dialog.messages.get` page; Bitrix stores 0 for a chat's system messages and shows 0 for a private
/// dialog's). The store keeps who posted a `SYSTEM=Y` message.
pub fn shown_author(m: &Message) -> UserId {
    if m.is_system {
        UserId(0)
    } else {
        m.author_id
    }
}

/// The message object of `im.dialog.messages.get`. `likes` are the users who liked it; `unread` is from the
/// viewer's side.
pub fn message(m: &Message, likes: &[UserId], unread: bool, tz: FixedOffset) -> Value {
    let mut params = m.params.clone();
    if !likes.is_empty() {
        params.insert("LIKE".into(), Value::Array(likes.iter().map(|u| Value::from(u.0)).collect()));
    }
    // Built at its final size (`json!` grows the map key by key, rehashing as it goes): a history page renders
    // fifty of these.
    let mut o = Map::with_capacity(10);
    o.insert("id".into(), m.id.0.into());
    o.insert("chat_id".into(), m.chat_id.0.into());
    o.insert("author_id".into(), shown_author(m).0.into());
    o.insert("date".into(), date(m.created_at, tz).into());
    o.insert("text".into(), m.text.clone().into());
    o.insert("unread".into(), unread.into());
    o.insert("uuid".into(), m.uuid.clone().into());
    o.insert("replaces".into(), Value::Array(Vec::new()));
    o.insert("params".into(), php_array(params));
    o.insert("disappearing_date".into(), Value::Null);
    Value::Object(o)
}

/// The `restrictions` and `permissions` parts and the rest of the chat object of `im.dialog.get` /
/// `imbot.dialog.get`, seen by `member` (if any).
#[allow(clippy::too_many_arguments)]
pub fn chat(
    c: &Chat,
    dialog_id: &str,
    member: Option<&Member>,
    user_counter: i64,
    unread: i64,
    unread_id: MessageId,
    readers: &[(User, MessageId)],
    managers: &[UserId],
    tz: FixedOffset,
) -> Value {
    let private = c.kind == ChatType::Private;
    let role = member.map(|m| m.role.as_str()).unwrap_or("none");
    let color = if c.color.is_empty() {
        color_for(c.id.0).to_owned()
    } else {
        color_hex(&c.color).unwrap_or(color_for(c.id.0)).to_owned()
    };
    let can = |r: crate::store::chats::Rights| member.is_some_and(|m| r.allows(m.role));
    let readed: Vec<Value> = readers
        .iter()
        .map(|(u, id)| json!({"user_id": u.id.0, "user_name": full_name(u), "message_id": id.0, "date": Value::Null}))
        .collect();
    let mut o = Map::new();
    o.insert("id".into(), json!(c.id.0));
    o.insert("parent_chat_id".into(), json!(0));
    o.insert("parent_message_id".into(), json!(0));
    o.insert("name".into(), json!(c.title));
    o.insert("description".into(), json!(c.description));
    o.insert("owner".into(), json!(c.owner_id.0));
    o.insert("extranet".into(), json!(false));
    o.insert("avatar".into(), json!(""));
    o.insert("color".into(), json!(color));
    o.insert(
        "type".into(),
        json!(if private {
            "private"
        } else if c.kind == ChatType::Open {
            "open"
        } else {
            "chat"
        }),
    );
    o.insert("counter".into(), json!(unread));
    o.insert("user_counter".into(), json!(user_counter));
    o.insert("message_count".into(), json!(c.message_count));
    o.insert("unread_id".into(), json!(unread_id.0));
    o.insert(
        "restrictions".into(),
        json!({
            "avatar": !private && can(c.manage_ui),
            "rename": !private && can(c.manage_ui),
            "extend": !private && can(c.manage_users_add),
            "call": true,
            "mute": true,
            "leave": !private,
            "leave_owner": !private,
            "send": can(c.can_post),
            "user_list": true,
            "path": "",
            "path_title": "",
        }),
    );
    o.insert("last_message_id".into(), json!(c.last_message_id.0));
    o.insert("last_id".into(), json!(member.map(|m| m.last_read_id.0).unwrap_or(0)));
    o.insert("marked_id".into(), json!(0));
    o.insert("disk_folder_id".into(), json!(0));
    o.insert("entity_type".into(), json!(c.entity_type));
    o.insert("entity_id".into(), json!(c.entity_id));
    o.insert("entity_data_1".into(), json!(""));
    o.insert("entity_data_2".into(), json!(""));
    o.insert("entity_data_3".into(), json!(""));
    o.insert("mute_list".into(), json!([]));
    o.insert("date_create".into(), json!(date(c.created_at, tz)));
    o.insert("message_type".into(), json!(c.kind.letter()));
    o.insert("public".into(), json!(""));
    o.insert("role".into(), json!(role));
    o.insert("entity_link".into(), json!({"type": "", "url": "", "id": ""}));
    o.insert("text_field_enabled".into(), json!(true));
    o.insert("background_id".into(), Value::Null);
    o.insert(
        "permissions".into(),
        json!({
            "manage_users_add": c.manage_users_add.as_str(),
            "manage_users_delete": c.manage_users_delete.as_str(),
            "manage_ui": c.manage_ui.as_str(),
            "manage_settings": c.manage_settings.as_str(),
            "manage_messages": c.manage_messages.as_str(),
            "can_post": c.can_post.as_str(),
        }),
    );
    o.insert("is_new".into(), json!(false));
    o.insert("readed_list".into(), Value::Array(readed));
    o.insert("manager_list".into(), Value::Array(managers.iter().map(|u| json!(u.0)).collect()));
    o.insert(
        "last_message_views".into(),
        json!({"message_id": c.last_message_id.0, "first_viewers": [], "count_of_viewers": 0}),
    );
    o.insert("dialog_id".into(), json!(dialog_id));
    Value::Object(o)
}
