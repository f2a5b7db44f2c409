//! Scope `user`: `user.current`, `user.get`, and the user object as Bitrix prints it.

pub mod current;
pub mod get;

use crate::store::users::User;
use chrono::{FixedOffset, TimeZone, Utc};
use imbot_wire::envelope::php_date_c;
use serde_json::{json, Value};

fn date(ts: Option<i64>, tz: FixedOffset) -> Value {
    match ts.and_then(|t| Utc.timestamp_opt(t, 0).single()) {
        Some(t) => Value::String(php_date_c(t, tz)),
        None => Value::String(String::new()),
    }
}

/// The user object of `user.get` / `user.current` (ids as strings, `ACTIVE` a bool, `UF_DEPARTMENT` ints).
pub fn user_json(u: &User, tz: FixedOffset) -> Value {
    json!({
        "ID": u.id.0.to_string(),
        "ACTIVE": u.active,
        "NAME": u.name,
        "LAST_NAME": u.last_name,
        "SECOND_NAME": u.second_name,
        "EMAIL": u.email,
        "LAST_LOGIN": date(u.last_login, tz),
        "DATE_REGISTER": date(Some(u.date_register), tz),
        "TIME_ZONE": u.time_zone,
        "IS_ONLINE": "N",
        "PERSONAL_GENDER": u.gender,
        "PERSONAL_WWW": "",
        "PERSONAL_BIRTHDAY": "",
        "PERSONAL_MOBILE": "",
        "PERSONAL_CITY": "",
        "WORK_PHONE": "",
        "WORK_POSITION": u.work_position,
        "UF_EMPLOYMENT_DATE": "",
        "UF_DEPARTMENT": [1],
        "USER_TYPE": if u.is_extranet { "extranet" } else { "employee" },
    })
}
