//! `user.current` and `user.get` (scope `user`; `api-reference__user__*`).
//!
//! `user.get` pages by 50 with `start`/`next`; [`Client::user_get_all`] walks every page as a
//! `Stream`, [`Client::user_get`] reads one.

use crate::client::{Client, Envelope};
use crate::error::{Error, Result};
use crate::serde_util::de;
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A user of `user.get` / `user.current` (upper-case keys; ids are strings on the wire).
///
/// ```
/// use imbot_sdk::methods::users::User;
/// let u: User = serde_json::from_value(serde_json::json!({
///     "ID": "27", "ACTIVE": true, "NAME": "Svetlana", "LAST_NAME": "Ivanova", "UF_DEPARTMENT": [1]
/// })).unwrap();
/// assert_eq!((u.id, u.active, u.full_name()), (27, true, "Svetlana Ivanova".to_owned()));
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// `ID`.
    #[serde(rename = "ID", deserialize_with = "de::int")]
    pub id: i64,
    /// `ACTIVE`.
    #[serde(rename = "ACTIVE", default, deserialize_with = "de::flag")]
    pub active: bool,
    /// `NAME`.
    #[serde(rename = "NAME", default, deserialize_with = "de::string")]
    pub name: String,
    /// `LAST_NAME`.
    #[serde(rename = "LAST_NAME", default, deserialize_with = "de::string")]
    pub last_name: String,
    /// `SECOND_NAME`.
    #[serde(rename = "SECOND_NAME", default, deserialize_with = "de::string")]
    pub second_name: String,
    /// `EMAIL`.
    #[serde(rename = "EMAIL", default, deserialize_with = "de::string")]
    pub email: String,
    /// `WORK_POSITION`.
    #[serde(rename = "WORK_POSITION", default, deserialize_with = "de::string")]
    pub work_position: String,
    /// `PERSONAL_GENDER`: `M`, `F` or `""`.
    #[serde(rename = "PERSONAL_GENDER", default, deserialize_with = "de::string")]
    pub gender: String,
    /// `UF_DEPARTMENT`: department ids.
    #[serde(rename = "UF_DEPARTMENT", default, deserialize_with = "de::int_list")]
    pub departments: Vec<i64>,
    /// `USER_TYPE`: `employee`, `extranet`, …
    #[serde(rename = "USER_TYPE", default, deserialize_with = "de::string")]
    pub user_type: String,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl User {
    /// `NAME LAST_NAME`, trimmed.
    ///
    /// ```
    /// # use imbot_sdk::methods::users::User;
    /// let u: User = serde_json::from_value(serde_json::json!({"ID": 1, "NAME": "Admin"})).unwrap();
    /// assert_eq!(u.full_name(), "Admin");
    /// ```
    pub fn full_name(&self) -> String {
        format!("{} {}", self.name, self.last_name).trim().to_owned()
    }
}

/// `user.get` filter and order. Filter keys take Bitrix's prefixes (`>=ID`, `%NAME`, `!ACTIVE`, …).
///
/// ```
/// use imbot_sdk::methods::users::UserQuery;
/// let q = UserQuery::default().filter("ACTIVE", true).sort("ID", "ASC");
/// assert_eq!(
///     serde_json::to_value(&q).unwrap(),
///     serde_json::json!({"FILTER": {"ACTIVE": true}, "SORT": "ID", "ORDER": "ASC"})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct UserQuery {
    /// `FILTER`.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub filter: Map<String, Value>,
    /// `SORT`: a field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// `ORDER`: `ASC` or `DESC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// `ADMIN_MODE`: list every user (administrators).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_mode: Option<bool>,
}

impl UserQuery {
    /// Adds a filter condition.
    ///
    /// ```
    /// let q = imbot_sdk::methods::users::UserQuery::default().filter(">ID", 10);
    /// assert_eq!(q.filter[">ID"], 10);
    /// ```
    pub fn filter(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.filter.insert(key.to_owned(), value.into());
        self
    }

    /// Orders by `field`, `ASC` or `DESC`.
    ///
    /// ```
    /// let q = imbot_sdk::methods::users::UserQuery::default().sort("NAME", "DESC");
    /// assert_eq!(q.order.as_deref(), Some("DESC"));
    /// ```
    pub fn sort(mut self, field: &str, order: &str) -> Self {
        self.sort = Some(field.to_owned());
        self.order = Some(order.to_owned());
        self
    }
}

/// One page of a list method: the items and where the next page starts.
///
/// ```
/// use imbot_sdk::methods::users::Page;
/// let p: Page<i64> = Page { items: vec![1, 2], next: Some(50), total: Some(51) };
/// assert!(p.next.is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// `next`: pass it as `start` for the next page; `None` on the last one.
    pub next: Option<u64>,
    /// `total`: the size of the whole list.
    pub total: Option<u64>,
}

impl<T: serde::de::DeserializeOwned> Page<T> {
    /// Reads a list envelope (`result` a list, or a PHP array of items) into a page.
    ///
    /// ```
    /// use imbot_sdk::{Envelope, methods::users::Page};
    /// let e = Envelope { result: serde_json::json!([1, 2]), next: None, total: Some(2), time: None };
    /// let p: Page<i64> = Page::from_envelope("x.list", e).unwrap();
    /// assert_eq!(p.items, vec![1, 2]);
    /// ```
    pub fn from_envelope(method: &str, e: Envelope) -> Result<Self> {
        let list = match e.result {
            Value::Array(list) => list,
            Value::Object(m) => m.into_iter().map(|(_, v)| v).collect(),
            Value::Null => Vec::new(),
            other => {
                return Err(Error::Protocol {
                    method: method.to_owned(),
                    status: 200,
                    detail: format!("expected a list as `result`, got {other}"),
                });
            }
        };
        let items = list
            .into_iter()
            .map(serde_json::from_value)
            .collect::<std::result::Result<_, _>>()
            .map_err(|source| Error::Decode { method: method.to_owned(), source })?;
        Ok(Page { items, next: e.next, total: e.total })
    }
}

impl Client {
    /// `user.current`: the calling user.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let me = client.user_current().await?;
    /// println!("I am {} (#{})", me.full_name(), me.id);
    /// # Ok(()) }
    /// ```
    pub async fn user_current(&self) -> Result<User> {
        self.invoke("user.current", &serde_json::json!({})).await
    }

    /// `user.get`: the page of users starting at `start` (0, 50, 100, …).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::users::UserQuery;
    /// let page = client.user_get(&UserQuery::default(), 0).await?;
    /// println!("{} of {:?}", page.items.len(), page.total);
    /// # Ok(()) }
    /// ```
    pub async fn user_get(&self, query: &UserQuery, start: u64) -> Result<Page<User>> {
        let mut params = serde_json::to_value(query).expect("UserQuery serialises");
        params["start"] = start.into();
        Page::from_envelope("user.get", self.call_envelope("user.get", params).await?)
    }

    /// `user.get`, every page: a stream of users that fetches the next page as it is consumed.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use futures_util::TryStreamExt;
    /// use imbot_sdk::methods::users::UserQuery;
    /// let everyone: Vec<_> = client.user_get_all(UserQuery::default().filter("ACTIVE", true)).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn user_get_all(&self, query: UserQuery) -> impl Stream<Item = Result<User>> + Send + 'static {
        self.list("user.get", serde_json::to_value(query).expect("UserQuery serialises"))
    }
}
