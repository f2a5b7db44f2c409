//! `user.get` — users by filter, sorted, 50 a page (`api-reference__user__user-get.md`).
//!
//! Filter conditions come from `FILTER` and, as the doc's own example does, from top-level field names
//! (`{"UF_DEPARTMENT": 1, "SORT": "ID"}`). Keys take Bitrix's prefixes (`>=`, `>`, `<=`, `<`, `@`, `!@`, `%`,
//! `=%`, `%=`, `!%`, `!=%`, `!%=`, `=`, `!=`, `!`); an array value means "any of". Unknown fields are ignored, as
//! Bitrix ignores what it cannot filter on. Bots are never listed. Paging: `start` offset, page size 50,
//! `next` only when more rows remain, `next` and `total` not at all for `start=-1`.

use super::user_json;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::users::{self, Condition, FilterOp, FilterValue, UserField, UserQuery};
use imbot_wire::params::{scalar_string, value_int, value_list};
use imbot_wire::Params;
use serde_json::Value;

pub const PAGE: i64 = 50;

pub static SPEC: MethodSpec = MethodSpec {
    name: "user.get",
    scopes: &[crate::domain::Scope::User, crate::domain::Scope::UserBrief, crate::domain::Scope::UserBasic],
    doc: "api-reference__user__user-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

/// Split a filter key into its operator prefix and field name.
pub fn split_key(key: &str) -> (FilterOp, &str) {
    const PREFIXES: &[(&str, FilterOp)] = &[
        ("!=%", FilterOp::NotLike),
        ("!%=", FilterOp::NotLike),
        (">=", FilterOp::Ge),
        ("<=", FilterOp::Le),
        ("!@", FilterOp::Ne),
        ("=%", FilterOp::Like),
        ("%=", FilterOp::Like),
        ("!%", FilterOp::NotContains),
        ("!=", FilterOp::Ne),
        (">", FilterOp::Gt),
        ("<", FilterOp::Lt),
        ("@", FilterOp::Eq),
        ("%", FilterOp::Contains),
        ("=", FilterOp::Eq),
        ("!", FilterOp::Ne),
    ];
    for (p, op) in PREFIXES {
        if let Some(rest) = key.strip_prefix(p) {
            return (*op, rest);
        }
    }
    (FilterOp::Eq, key)
}

fn filter_value(field: UserField, v: &Value) -> FilterValue {
    match field {
        UserField::Id | UserField::Department => match value_int(v) {
            Some(i) => FilterValue::Int(i),
            None => FilterValue::Never,
        },
        UserField::Active => {
            let s = scalar_string(v).unwrap_or_default().to_ascii_lowercase();
            FilterValue::Int(i64::from(matches!(s.as_str(), "y" | "1" | "true")))
        }
        UserField::DateRegister | UserField::LastLogin => {
            let s = scalar_string(v).unwrap_or_default();
            match chrono::DateTime::parse_from_rfc3339(&s) {
                Ok(t) => FilterValue::Int(t.timestamp()),
                Err(_) => FilterValue::Never,
            }
        }
        _ => FilterValue::Text(scalar_string(v).unwrap_or_default()),
    }
}

fn condition(key: &str, v: &Value) -> Option<Condition> {
    let (op, name) = split_key(key.trim());
    let field = UserField::parse(name)?;
    let values = value_list(v).into_iter().map(|x| filter_value(field, x)).collect();
    Some(Condition { field, op, values })
}

/// Parse the request into a store query.
pub fn parse(p: &Params, start: Option<i64>) -> UserQuery {
    let mut conditions = Vec::new();
    let mut name_search = None;
    let mut add = |k: &str, v: &Value| {
        if k.eq_ignore_ascii_case("NAME_SEARCH") || k.eq_ignore_ascii_case("FIND") {
            name_search = scalar_string(v).filter(|s| !s.trim().is_empty());
        } else if let Some(c) = condition(k, v) {
            conditions.push(c);
        }
    };
    for (k, v) in p.iter() {
        if !matches!(k.as_str(), "FILTER" | "SORT" | "ORDER" | "ADMIN_MODE" | "SELECT" | "IMAGE_RESIZE") {
            add(k, v);
        }
    }
    if let Some(Value::Object(f)) = p.get("FILTER") {
        for (k, v) in f {
            add(k, v);
        }
    }
    // `sort=NAME&order=DESC` (the doc), or `order={"ID":"ASC"}` (b24jssdk's callList, other list methods' form).
    let (mut sort, mut descending) = (UserField::Id, false);
    if let Some(f) = p.get("SORT").and_then(scalar_string).and_then(|s| UserField::parse(&s)) {
        sort = f;
    }
    match p.get("ORDER") {
        Some(Value::Object(m)) => {
            if let Some((k, v)) = m.iter().next() {
                if let Some(f) = UserField::parse(k) {
                    sort = f;
                }
                descending = scalar_string(v).is_some_and(|o| o.eq_ignore_ascii_case("desc"));
            }
        }
        Some(v) => descending = scalar_string(v).is_some_and(|o| o.eq_ignore_ascii_case("desc")),
        None => {}
    }
    let (offset, count_total) = match start {
        Some(-1) => (0, false),
        Some(s) if s > 0 => (s, true),
        _ => (0, true),
    };
    UserQuery { conditions, name_search, sort, descending, offset, limit: PAGE + 1, count_total }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let q = parse(&p, ctx.start);
    let (mut rows, total) = users::list(&ctx.state.store, &q).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let tz = ctx.state.config.timezone;
    let list: Vec<Value> = rows.iter().map(|u| user_json(u, tz)).collect();
    Ok(Output {
        result: Value::Array(list),
        // `start=-1` pages by filter, not by `next` (`settings__performance__huge-data.md`): neither is sent.
        next: (more && q.count_total).then(|| (q.offset + PAGE) as u64),
        total: total.map(|t| t as u64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prefixes() {
        assert_eq!(split_key(">=ID"), (FilterOp::Ge, "ID"));
        assert_eq!(split_key("!%=NAME"), (FilterOp::NotLike, "NAME"));
        assert_eq!(split_key("!NAME"), (FilterOp::Ne, "NAME"));
        assert_eq!(split_key("%NAME"), (FilterOp::Contains, "NAME"));
        assert_eq!(split_key("NAME"), (FilterOp::Eq, "NAME"));
        assert_eq!(split_key("@ID"), (FilterOp::Eq, "ID"));
    }

    #[test]
    fn parse_filter_top_level_and_paging() {
        let p = Params::from_map(
            json!({"FILTER": {">ID": "5", "@ID": ["6", 7]}, "UF_DEPARTMENT": 1, "SORT": "name", "ORDER": "DESC"})
                .as_object()
                .unwrap()
                .clone(),
        );
        let q = parse(&p, Some(50));
        assert_eq!(q.conditions.len(), 3);
        assert_eq!(q.sort, UserField::Name);
        assert!(q.descending);
        assert_eq!(q.offset, 50);
        assert!(q.count_total);
        assert!(!parse(&p, Some(-1)).count_total);
    }

    #[test]
    fn order_as_an_object() {
        let p = Params::from_map(json!({"ORDER": {"NAME": "desc"}}).as_object().unwrap().clone());
        let q = parse(&p, None);
        assert_eq!(q.sort, UserField::Name);
        assert!(q.descending);
    }
}
