//! Users of the portal (humans; bots join as users in the bots work).

use super::Sql;
use super::{Store, StoreError};
use crate::domain::UserId;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub last_name: String,
    pub second_name: String,
    pub email: String,
    pub gender: String,
    pub work_position: String,
    pub language_id: String,
    pub time_zone: String,
    pub is_admin: bool,
    pub is_extranet: bool,
    pub is_bot: bool,
    pub active: bool,
    pub date_register: i64,
    pub last_login: Option<i64>,
    /// A v1 colour name (`RED`; bots may set one), `""` for the colour derived from the id.
    pub color: String,
}

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub name: String,
    pub last_name: String,
    pub email: String,
    pub language_id: String,
    pub is_extranet: bool,
    pub is_admin: bool,
}

/// A user column that can be filtered and sorted on (user.get `FILTER`, `sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserField {
    Id,
    Active,
    Name,
    LastName,
    SecondName,
    Email,
    Gender,
    WorkPosition,
    TimeZone,
    DateRegister,
    LastLogin,
    /// `employee` | `extranet` | `email` (derived from the extranet flag).
    UserType,
    /// Every user is in department 1 (the company root): a single-department portal.
    Department,
    /// `Y`/`N`; nobody is "online" over REST.
    IsOnline,
}

impl UserField {
    pub fn parse(name: &str) -> Option<UserField> {
        Some(match name.to_ascii_uppercase().as_str() {
            "ID" => UserField::Id,
            "ACTIVE" => UserField::Active,
            "NAME" => UserField::Name,
            "LAST_NAME" => UserField::LastName,
            "SECOND_NAME" => UserField::SecondName,
            "EMAIL" => UserField::Email,
            "PERSONAL_GENDER" => UserField::Gender,
            "WORK_POSITION" => UserField::WorkPosition,
            "TIME_ZONE" => UserField::TimeZone,
            "DATE_REGISTER" => UserField::DateRegister,
            "LAST_LOGIN" => UserField::LastLogin,
            "USER_TYPE" => UserField::UserType,
            "UF_DEPARTMENT" => UserField::Department,
            "IS_ONLINE" => UserField::IsOnline,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            UserField::Id | UserField::Department => "id",
            UserField::Active => "active",
            UserField::Name => "name",
            UserField::LastName => "last_name",
            UserField::SecondName => "second_name",
            UserField::Email => "email",
            UserField::Gender => "gender",
            UserField::WorkPosition => "work_position",
            UserField::TimeZone => "time_zone",
            UserField::DateRegister => "date_register",
            UserField::LastLogin => "last_login",
            UserField::UserType => "is_extranet",
            UserField::IsOnline => "0",
        }
    }

    /// What a missing value compares as: the column's own type's zero (PostgreSQL will not mix types).
    fn null_as(self) -> &'static str {
        match self {
            UserField::Id
            | UserField::Department
            | UserField::Active
            | UserField::DateRegister
            | UserField::LastLogin
            | UserField::UserType
            | UserField::IsOnline => "0",
            _ => "''",
        }
    }
}

/// A comparison from a Bitrix filter key prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// `%`: substring anywhere.
    Contains,
    /// `!%`
    NotContains,
    /// `=%` / `%=`: SQL LIKE with the caller's own `%`.
    Like,
    /// `!=%` / `!%=`
    NotLike,
}

/// One condition; several `values` mean "any of" (`@` / arrays) or "none of" for negated ops.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: UserField,
    pub op: FilterOp,
    pub values: Vec<FilterValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    Int(i64),
    Text(String),
    /// A filter value that can never match its field (e.g. `ID = "abc"`).
    Never,
}

#[derive(Debug, Clone)]
pub struct UserQuery {
    pub conditions: Vec<Condition>,
    /// `NAME_SEARCH`: every word must prefix-match name, last name or email.
    pub name_search: Option<String>,
    pub sort: UserField,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
    pub count_total: bool,
}

const COLUMNS: &str = "id, name, last_name, second_name, email, gender, work_position, language_id, time_zone,
    is_admin, is_extranet, is_bot, active, date_register, last_login, color";

fn row_to_user(r: &sqlx::any::AnyRow) -> User {
    User {
        id: UserId(r.get("id")),
        name: r.get("name"),
        last_name: r.get("last_name"),
        second_name: r.get("second_name"),
        email: r.get("email"),
        gender: r.get("gender"),
        work_position: r.get("work_position"),
        language_id: r.get("language_id"),
        time_zone: r.get("time_zone"),
        is_admin: r.get::<i64, _>("is_admin") != 0,
        is_extranet: r.get::<i64, _>("is_extranet") != 0,
        is_bot: r.get::<i64, _>("is_bot") != 0,
        active: r.get::<i64, _>("active") != 0,
        date_register: r.get("date_register"),
        last_login: r.get("last_login"),
        color: r.get("color"),
    }
}

/// Add a user. Use [`crate::directory::add_user`], which also emits ONUSERADD.
pub async fn create_tx(tx: &mut super::Tx, u: &NewUser, now: i64) -> Result<UserId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users(name, last_name, email, language_id, is_extranet, is_admin, date_register)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&u.name)
    .bind(&u.last_name)
    .bind(&u.email)
    .bind(if u.language_id.is_empty() { "en" } else { &u.language_id })
    .bind(u.is_extranet as i64)
    .bind(u.is_admin as i64)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(UserId(id))
}

pub async fn get(store: &Store, id: UserId) -> Result<Option<User>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.as_ref().map(row_to_user))
}

fn push_where(qb: &mut Sql<'_>, q: &UserQuery) {
    qb.push(" WHERE is_bot = 0");
    for c in &q.conditions {
        qb.push(" AND ");
        push_condition(qb, c);
    }
    if let Some(s) = &q.name_search {
        for word in s.split_whitespace() {
            let pat = format!("{}%", escape_like(word));
            let pat = pat.to_lowercase();
            qb.push(" AND (LOWER(name) LIKE ");
            qb.push_bind(pat.clone());
            qb.push(" ESCAPE '\\' OR LOWER(last_name) LIKE ");
            qb.push_bind(pat.clone());
            qb.push(" ESCAPE '\\' OR LOWER(email) LIKE ");
            qb.push_bind(pat);
            qb.push(" ESCAPE '\\')");
        }
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn push_value(qb: &mut Sql<'_>, field: UserField, v: &FilterValue) {
    match (field, v) {
        (UserField::UserType, FilterValue::Text(t)) => {
            qb.push_bind(match t.to_ascii_lowercase().as_str() {
                "employee" => 0i64,
                "extranet" => 1,
                _ => -1,
            });
        }
        (UserField::Department, FilterValue::Int(d)) => {
            // Department 1 holds everyone: match all rows when asked for department 1, none otherwise.
            qb.push(if *d == 1 { "id" } else { "-1" });
        }
        (UserField::IsOnline, FilterValue::Text(t)) => {
            qb.push(if t.eq_ignore_ascii_case("y") { "1" } else { "0" });
        }
        (_, FilterValue::Int(i)) => {
            qb.push_bind(*i);
        }
        (_, FilterValue::Text(t)) => {
            qb.push_bind(t.clone());
        }
        (_, FilterValue::Never) => {
            qb.push("NULL");
        }
    }
}

fn push_condition(qb: &mut Sql<'_>, c: &Condition) {
    let col = c.field.column();
    if c.values.is_empty() {
        qb.push(if matches!(c.op, FilterOp::Ne | FilterOp::NotContains | FilterOp::NotLike) { "1" } else { "0" });
        return;
    }
    let (joiner, negate) = match c.op {
        FilterOp::Ne | FilterOp::NotContains | FilterOp::NotLike => (" AND ", true),
        _ => (" OR ", false),
    };
    qb.push("(");
    for (i, v) in c.values.iter().enumerate() {
        if i > 0 {
            qb.push(joiner);
        }
        match c.op {
            FilterOp::Contains | FilterOp::NotContains | FilterOp::Like | FilterOp::NotLike => {
                let text = match v {
                    FilterValue::Int(i) => i.to_string(),
                    FilterValue::Text(t) => t.clone(),
                    FilterValue::Never => String::new(),
                };
                let pat = if matches!(c.op, FilterOp::Contains | FilterOp::NotContains) {
                    format!("%{}%", escape_like(&text))
                } else {
                    text
                };
                // Case-insensitive, as Bitrix's MySQL collation compares (SQLite's LIKE is already so for ASCII;
                // PostgreSQL's is not).
                qb.push(format!("LOWER(COALESCE(CAST({col} AS TEXT), ''))"));
                qb.push(if negate { " NOT LIKE LOWER(" } else { " LIKE LOWER(" });
                qb.push_bind(pat);
                qb.push(") ESCAPE '\\'");
            }
            op => {
                qb.push(format!("COALESCE({col}, {})", c.field.null_as()));
                qb.push(match op {
                    FilterOp::Eq => " = ",
                    FilterOp::Ne => " <> ",
                    FilterOp::Gt => " > ",
                    FilterOp::Ge => " >= ",
                    FilterOp::Lt => " < ",
                    _ => " <= ",
                });
                push_value(qb, c.field, v);
            }
        }
    }
    qb.push(")");
}

/// One page of users matching `q`, and the total count when asked for.
pub async fn list(store: &Store, q: &UserQuery) -> Result<(Vec<User>, Option<i64>), StoreError> {
    let mut qb: Sql<'_> = Sql::new(format!("SELECT {COLUMNS} FROM users"));
    push_where(&mut qb, q);
    let sort_col = match q.sort {
        UserField::IsOnline | UserField::Department => "id",
        f => f.column(),
    };
    qb.push(format!(" ORDER BY {sort_col} {}, id {}", dir(q.descending), dir(q.descending)));
    qb.push(" LIMIT ");
    qb.push_bind(q.limit);
    qb.push(" OFFSET ");
    qb.push_bind(q.offset);
    let rows = qb.build().fetch_all(store.pool()).await?;
    let users = rows.iter().map(row_to_user).collect();
    let total = if q.count_total {
        let mut cq: Sql<'_> = Sql::new("SELECT COUNT(*) FROM users");
        push_where(&mut cq, q);
        Some(cq.build_scalar::<i64>().fetch_one(store.pool()).await?)
    } else {
        None
    };
    Ok((users, total))
}

fn dir(desc: bool) -> &'static str {
    if desc {
        "DESC"
    } else {
        "ASC"
    }
}

/// Every active user and bot but `except`, by id (the web chat's people list).
pub async fn all_active(store: &Store, except: UserId) -> Result<Vec<User>, StoreError> {
    let rows =
        sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE active = 1 AND id <> $1 ORDER BY id LIMIT 5000"))
            .bind(except.0)
            .fetch_all(store.pool())
            .await?;
    Ok(rows.iter().map(row_to_user).collect())
}
