//! The portal's people: adding a user is one transaction that stores the user and emits `ONUSERADD` to the
//! apps subscribed to it (online or offline), so a subscriber never misses a user that exists.

use crate::domain::UserId;
use crate::events::generic::{self, ONUSERADD};
use crate::messenger::render;
use crate::store::users::{self, NewUser};
use crate::store::{Store, StoreError};
use serde_json::{json, Map, Value};

/// Add a user and emit `ONUSERADD`; `tz` is the portal's time zone (for `DATE_REGISTER`).
pub async fn add_user(store: &Store, u: &NewUser, tz: chrono::FixedOffset, now: i64) -> Result<UserId, StoreError> {
    let mut tx = store.begin().await?;
    let id = users::create_tx(&mut tx, u, now).await?;
    let spec = generic::spec(ONUSERADD).expect("in the catalogue");
    generic::emit(&mut tx, spec, None, user_add_data(id, u, tz, now), UserId(0), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// `data` of ONUSERADD (`api-reference__common__events__on-user-add.md`): every value a string, as Bitrix
/// sends them; the single department of the portal is 1.
fn user_add_data(id: UserId, u: &NewUser, tz: chrono::FixedOffset, now: i64) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.into(), v);
    };
    put("ID", json!(id.0.to_string()));
    put("ACTIVE", json!("Y"));
    put("EMAIL", json!(u.email));
    put("NAME", json!(u.name));
    put("LAST_NAME", json!(u.last_name));
    put("PERSONAL_GENDER", json!(""));
    put("UF_DEPARTMENT", if u.is_extranet { json!([]) } else { json!(["1"]) });
    put("DATE_REGISTER", json!(render::date(now, tz)));
    put("WORK_POSITION", json!(""));
    m
}
