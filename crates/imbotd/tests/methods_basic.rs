//! The basic methods and the user scope against the real server: `server.time`, `methods`, `method.get`,
//! `scope`, `app.info`, `profile`, `user.current`, `user.get` (SPEC-NOTES §2.4, §1.6; COMPAT R12, R16).

mod common;
use chrono::FixedOffset;
use common::{assert_error, TestServer};
use imbotd::store::users::NewUser;
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap_or_else(|| panic!("an object: {v}")).keys().cloned().collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|x| x.as_str().expect("strings").to_owned())
        .collect()
}

fn ids(resp: &(u16, reqwest::header::HeaderMap, Value)) -> Vec<i64> {
    assert_eq!(resp.0, 200, "{}", resp.2);
    resp.2["result"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", resp.2))
        .iter()
        .map(|u| u["ID"].as_str().expect("IDs are strings").parse().unwrap())
        .collect()
}

/// `YYYY-MM-DDThh:mm:ss±hh:mm`
fn assert_php_date_c(s: &str, offset: &str) {
    let b = s.as_bytes();
    assert_eq!(b.len(), 25, "{s}");
    for (i, c) in b.iter().enumerate() {
        match i {
            4 | 7 => assert_eq!(*c, b'-', "{s}"),
            10 => assert_eq!(*c, b'T', "{s}"),
            13 | 16 | 22 => assert_eq!(*c, b':', "{s}"),
            19 => assert!(*c == b'+' || *c == b'-', "{s}"),
            _ => assert!(c.is_ascii_digit(), "{s}"),
        }
    }
    assert!(s.ends_with(offset), "{s} ends with {offset}");
}

#[tokio::test]
async fn server_time_format_and_timezone() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let resp = s.get(&format!("{hook}server.time")).await;
    assert_eq!(resp.0, 200);
    let t = resp.2["result"].as_str().unwrap();
    assert_php_date_c(t, "+00:00");
    let parsed = chrono::DateTime::parse_from_rfc3339(t).unwrap();
    assert!((parsed.timestamp() - s.now()).abs() <= 2);
    s.stop().await;

    let s = TestServer::start_with(|c| c.timezone = FixedOffset::east_opt(2 * 3600).unwrap()).await;
    let hook = s.webhook().await;
    let resp = s.get(&format!("{hook}server.time")).await;
    let t = resp.2["result"].as_str().unwrap();
    assert_php_date_c(t, "+02:00");
    let parsed = chrono::DateTime::parse_from_rfc3339(t).unwrap();
    assert!((parsed.timestamp() - s.now()).abs() <= 2, "the same instant, another offset");
    assert_php_date_c(resp.2["time"]["date_start"].as_str().unwrap(), "+02:00");
    assert_php_date_c(resp.2["time"]["date_finish"].as_str().unwrap(), "+02:00");
    s.stop().await;

    let s = TestServer::start_with(|c| c.timezone = FixedOffset::west_opt(5 * 3600 + 1800).unwrap()).await;
    let resp = s.get(&format!("{}server.time", s.webhook().await)).await;
    assert_php_date_c(resp.2["result"].as_str().unwrap(), "-05:30");
    s.stop().await;
}

/// The basic methods the foundation has; later work adds more (the lists below are checked as supersets).
const BASIC: [&str; 7] = ["batch", "server.time", "methods", "method.get", "scope", "app.info", "profile"];
const USER: [&str; 2] = ["user.current", "user.get"];

#[tokio::test]
async fn methods_lists() {
    use std::collections::BTreeSet;
    let s = TestServer::start().await;
    let all = s.webhook().await;
    let im = s.webhook_for(1, "im").await;
    let list = |v: &Value| -> BTreeSet<String> {
        let names = strings(v);
        let set: BTreeSet<String> = names.iter().cloned().collect();
        assert_eq!(set.len(), names.len(), "no duplicates: {v}");
        assert!(names.iter().all(|n| n == &n.to_lowercase()), "lower-case names: {v}");
        set
    };
    let names = |n: &[&str]| -> BTreeSet<String> { n.iter().map(|s| s.to_string()).collect() };
    let get = |url: String| {
        let c = s.client.get(url).send();
        async move { common::TestServer::parse(c.await.unwrap()).await.2["result"].clone() }
    };
    // scope= (empty): the basic methods only; scope=user: that scope's.
    let basic = list(&get(format!("{all}methods?scope=")).await);
    assert!(basic.is_superset(&names(&BASIC)), "{basic:?}");
    assert!(
        basic.iter().all(|m| !m.starts_with("user.") && !m.starts_with("im.") && !m.starts_with("imbot.")),
        "{basic:?}"
    );
    let resp = s.post_json(&format!("{all}methods"), &json!({"scope": ""})).await;
    assert_eq!(list(&resp.2["result"]), basic);
    let user = list(&get(format!("{all}methods?scope=user")).await);
    assert!(user.is_superset(&names(&USER)) && user.iter().all(|m| m.starts_with("user.")), "{user:?}");
    assert_eq!(list(&get(format!("{im}methods?scope=user")).await), user, "scope= lists whatever the caller holds");
    // An unknown scope lists nothing (an empty PHP array).
    assert_eq!(get(format!("{all}methods?scope=crm")).await, json!([]));
    // No params: the caller's methods.
    let mine_all = list(&get(format!("{all}methods")).await);
    let mine_im = list(&get(format!("{im}methods")).await);
    assert!(mine_im.is_superset(&basic), "{mine_im:?}");
    assert!(mine_im.is_disjoint(&user), "an im-only webhook has no user.* methods: {mine_im:?}");
    assert!(mine_all.is_superset(&mine_im) && mine_all.is_superset(&user), "{mine_all:?}");
    // full=true: everything, whatever the caller holds.
    let full = list(&get(format!("{all}methods?full=true")).await);
    assert!(full.is_superset(&mine_all));
    for q in ["full=true", "full=1", "FULL=Y"] {
        assert_eq!(list(&get(format!("{im}methods?{q}")).await), full, "{q}");
    }
    assert_eq!(list(&get(format!("{im}methods?full=0")).await), mine_im);
    // Every listed method exists, and is available exactly when the caller's own list has it.
    for m in &full {
        let v = get(format!("{im}method.get?name={m}")).await;
        assert_eq!(v["isExisting"], true, "{m}");
        assert_eq!(v["isAvailable"], mine_im.contains(m), "{m}");
    }
    s.stop().await;
}

#[tokio::test]
async fn method_get_existing_and_available() {
    let s = TestServer::start().await;
    let all = s.webhook().await;
    let im = s.webhook_for(1, "im").await;
    let check = |v: &Value, e: bool, a: bool| {
        assert_eq!(v["result"], json!({"isExisting": e, "isAvailable": a}), "{v}");
        assert_eq!(keys(&v["result"]), ["isExisting", "isAvailable"]);
    };
    check(&s.get(&format!("{all}method.get?name=user.get")).await.2, true, true);
    check(&s.get(&format!("{all}method.get?name=User.Get")).await.2, true, true);
    check(&s.get(&format!("{im}method.get?name=user.get")).await.2, true, false);
    check(&s.get(&format!("{im}method.get?name=server.time")).await.2, true, true);
    check(&s.get(&format!("{im}method.get?name=batch")).await.2, true, true);
    check(&s.get(&format!("{all}method.get?name=no.such.method")).await.2, false, false);
    check(&s.get(&format!("{all}method.get")).await.2, false, false);
    check(&s.get(&format!("{all}method.get?name=")).await.2, false, false);
    check(&s.post_json(&format!("{all}method.get"), &json!({"name": "profile"})).await.2, true, true);
    // A token of an app with the user scope.
    let app = s.oauth_app(1, "user", 3600).await;
    let resp = s.get(&format!("{}/rest/method.get?name=user.current&auth={}", s.http, app.access_token)).await;
    check(&resp.2, true, true);
    s.stop().await;
}

#[tokio::test]
async fn scope_lists() {
    let s = TestServer::start().await;
    let hook = s.webhook_for(1, "user,im").await;
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(strings(&s.get(&format!("{hook}scope")).await.2["result"])), ["im", "user"]);
    let full = sorted(strings(&s.get(&format!("{hook}scope?full=true")).await.2["result"]));
    for sc in ["im", "imbot", "user", "user_basic", "user_brief"] {
        assert!(full.iter().any(|f| f == sc), "{sc} in {full:?}");
    }
    assert!(!full.iter().any(|f| f == "basic"), "basic is implied, not listed: {full:?}");
    let app = s.oauth_app(1, "imbot", 3600).await;
    let resp = s.post_json(&format!("{}/rest/scope", s.http), &json!({"auth": app.access_token})).await;
    assert_eq!(resp.2["result"], json!(["imbot"]));
    s.stop().await;
}

#[tokio::test]
async fn app_info_needs_an_application() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let resp = s.get(&format!("{hook}app.info")).await;
    assert_error(&resp, 403, "ACCESS_DENIED");
    assert_eq!(resp.2["error_description"], "Access denied! Application context required");
    let app = s.oauth_app(1, "im", 3600).await;
    let resp = s.post_json(&format!("{}/rest/app.info", s.http), &json!({"auth": app.access_token})).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    let r = &resp.2["result"];
    assert_eq!(
        keys(r),
        [
            "ID",
            "CODE",
            "VERSION",
            "STATUS",
            "INSTALLED",
            "PAYMENT_EXPIRED",
            "DAYS",
            "LANGUAGE_ID",
            "LICENSE",
            "LICENSE_TYPE",
            "LICENSE_FAMILY"
        ]
    );
    assert!(r["ID"].is_i64(), "{r}");
    assert_eq!(r["CODE"], app.client_id);
    assert!(r["VERSION"].is_i64(), "{r}");
    assert!(["F", "D", "T", "P", "L"].contains(&r["STATUS"].as_str().unwrap()));
    assert_eq!(r["INSTALLED"], true);
    assert!(["Y", "N"].contains(&r["PAYMENT_EXPIRED"].as_str().unwrap()));
    assert!(r["DAYS"].is_null() || r["DAYS"].is_i64());
    for k in ["LANGUAGE_ID", "LICENSE", "LICENSE_TYPE", "LICENSE_FAMILY"] {
        assert!(r[k].as_str().is_some_and(|v| !v.is_empty()), "{k}: {r}");
    }
    s.stop().await;
}

#[tokio::test]
async fn profile_and_user_current() {
    let s = TestServer::start().await;
    let u = s
        .add_user_with(NewUser {
            name: "Jane".into(),
            last_name: "Roe".into(),
            email: "jane@example.com".into(),
            language_id: "de".into(),
            ..Default::default()
        })
        .await;
    let admin = s.webhook().await;
    let jane = s.webhook_for(u, "user").await;
    let resp = s.get(&format!("{admin}profile")).await;
    assert_eq!(
        resp.2["result"],
        json!({"ID": "1", "ADMIN": true, "NAME": "Admin", "LAST_NAME": "", "PERSONAL_GENDER": "", "TIME_ZONE": ""})
    );
    let resp = s.get(&format!("{jane}profile")).await;
    let r = &resp.2["result"];
    assert_eq!(keys(r)[..6], ["ID", "ADMIN", "NAME", "LAST_NAME", "PERSONAL_GENDER", "TIME_ZONE"]);
    assert_eq!(r["ID"], u.to_string());
    assert_eq!(r["ADMIN"], false);
    assert_eq!(r["NAME"], "Jane");
    assert_eq!(r["LAST_NAME"], "Roe");

    let resp = s.get(&format!("{jane}user.current")).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    assert!(resp.2.get("total").is_none() && resp.2.get("next").is_none());
    let r = &resp.2["result"];
    assert_eq!(r["ID"], u.to_string());
    assert_eq!(r["NAME"], "Jane");
    assert_eq!(r["EMAIL"], "jane@example.com");
    assert_eq!(r["ACTIVE"], true);
    assert_eq!(r["USER_TYPE"], "employee");
    assert_eq!(r["UF_DEPARTMENT"], json!([1]));
    chrono::DateTime::parse_from_rfc3339(r["DATE_REGISTER"].as_str().unwrap()).expect("an ISO date");
    // user.current and user.get agree on the object.
    let got = s.get(&format!("{admin}user.get?ID={u}")).await;
    assert_eq!(got.2["result"][0], *r);
    s.stop().await;
}

async fn server_with_120_users() -> TestServer {
    let s = TestServer::start().await;
    for i in 1..=120 {
        // IDs 2..=121; even i → Smith, odd i → Jones.
        let last = if i % 2 == 0 { "Smith" } else { "Jones" };
        s.add_user(&format!("User{i:03} {last}")).await;
    }
    s
}

#[tokio::test]
async fn user_get_pages_by_50() {
    let s = server_with_120_users().await;
    let hook = s.webhook().await;
    let page = |start: &str| format!("{hook}user.get?start={start}");
    let p0 = s.get(&page("0")).await;
    assert_eq!(ids(&p0), (1..=50).collect::<Vec<_>>());
    assert_eq!((p0.2["next"].clone(), p0.2["total"].clone()), (json!(50), json!(121)));
    let p1 = s.get(&page("50")).await;
    assert_eq!(ids(&p1), (51..=100).collect::<Vec<_>>());
    assert_eq!((p1.2["next"].clone(), p1.2["total"].clone()), (json!(100), json!(121)));
    let p2 = s.post_json(&format!("{hook}user.get"), &json!({"start": 100})).await;
    assert_eq!(ids(&p2), (101..=121).collect::<Vec<_>>());
    assert!(p2.2.get("next").is_none(), "no next on the last page: {}", p2.2);
    assert_eq!(p2.2["total"], 121);
    // No start = start 0.
    let none = s.get(&format!("{hook}user.get")).await;
    assert_eq!(ids(&none), ids(&p0));
    assert_eq!(none.2["next"], 50);
    // Past the end: empty list, still the total.
    let past = s.get(&page("500")).await;
    assert_eq!(past.2["result"], json!([]));
    assert_eq!(past.2["total"], 121);
    // Clients fire pages concurrently.
    let (u100, u0, u50) = (page("100"), page("0"), page("50"));
    let (a, b, c) = tokio::join!(s.get(&u100), s.get(&u0), s.get(&u50));
    assert_eq!(ids(&a), ids(&p2));
    assert_eq!(ids(&b), ids(&p0));
    assert_eq!(ids(&c), ids(&p1));
    // start=-1: the first 50, no count.
    let fast = s.get(&page("-1")).await;
    assert_eq!(ids(&fast), (1..=50).collect::<Vec<_>>());
    assert_eq!(keys(&fast.2), ["result", "time"], "no total, and no next: start=-1 pages by filter");
    // The fast-mode loop of b24jssdk / the PHP SDK: start=-1 with a moving >ID filter, ORDER by ID.
    let mut last = 0;
    let mut seen = 0;
    loop {
        let body = json!({"start": -1, "order": {"ID": "ASC"}, "filter": {">ID": last}});
        let got = ids(&s.post_json(&format!("{hook}user.get"), &body).await);
        seen += got.len();
        match got.last() {
            Some(l) if got.len() == 50 => last = *l,
            _ => break,
        }
    }
    assert_eq!(seen, 121);
    s.stop().await;
}

#[tokio::test]
async fn user_get_filters_sorting_and_param_case() {
    let s = server_with_120_users().await;
    let ext = s
        .add_user_with(NewUser {
            name: "Outside".into(),
            last_name: "Guest".into(),
            is_extranet: true,
            ..Default::default()
        })
        .await;
    assert_eq!(ext, 122);
    let hook = s.webhook().await;
    let url = format!("{hook}user.get");
    let total = |resp: &(u16, reqwest::header::HeaderMap, Value)| resp.2["total"].as_i64().unwrap();

    // >ID
    let resp = s.post_json(&url, &json!({"FILTER": {">ID": 100}})).await;
    assert_eq!(ids(&resp), (101..=122).collect::<Vec<_>>());
    assert_eq!(total(&resp), 22);
    let resp = s.get(&format!("{url}?FILTER[%3E%3DID]=120&FILTER[%3CID]=122")).await;
    assert_eq!(ids(&resp), [120, 121]);
    // @ID: an array, from JSON (ints and strings) and from a form.
    let resp = s.post_json(&url, &json!({"FILTER": {"@ID": [5, "7", 2]}})).await;
    assert_eq!(ids(&resp), [2, 5, 7]);
    let resp = s.post_form(&url, "FILTER[@ID][]=3&FILTER[@ID][]=4").await;
    assert_eq!(ids(&resp), [3, 4]);
    let resp = s.post_json(&url, &json!({"FILTER": {"ID": ["8", "9"]}})).await;
    assert_eq!(ids(&resp), [8, 9]);
    // %NAME: substring.
    let resp = s.post_json(&url, &json!({"FILTER": {"%NAME": "ser00"}})).await;
    assert_eq!(ids(&resp), (2..=10).collect::<Vec<_>>());
    // NAME_SEARCH: words prefix-match name / last name.
    let resp = s.post_json(&url, &json!({"FILTER": {"NAME_SEARCH": "User01"}})).await;
    assert_eq!(ids(&resp), (11..=20).collect::<Vec<_>>());
    let resp = s.post_json(&url, &json!({"FILTER": {"NAME_SEARCH": "user01 smi"}})).await;
    assert_eq!(ids(&resp), [11, 13, 15, 17, 19]);
    // ACTIVE.
    assert_eq!(total(&s.post_json(&url, &json!({"FILTER": {"ACTIVE": true}})).await), 122);
    assert_eq!(total(&s.get(&format!("{url}?FILTER[ACTIVE]=Y")).await), 122);
    assert_eq!(total(&s.get(&format!("{url}?FILTER[ACTIVE]=N")).await), 0);
    // USER_TYPE.
    let resp = s.post_json(&url, &json!({"FILTER": {"USER_TYPE": "extranet"}})).await;
    assert_eq!(ids(&resp), [122]);
    assert_eq!(resp.2["result"][0]["USER_TYPE"], "extranet");
    assert_eq!(total(&s.post_json(&url, &json!({"FILTER": {"USER_TYPE": "employee"}})).await), 121);
    // Top-level filter keys, as the doc's own example does.
    let resp = s.post_json(&url, &json!({"LAST_NAME": "Guest"})).await;
    assert_eq!(ids(&resp), [122]);
    let resp = s.get(&format!("{url}?ID=42")).await;
    assert_eq!(ids(&resp), [42]);
    // sort / order, upper and lower case names.
    let resp = s.post_json(&url, &json!({"sort": "ID", "order": "DESC"})).await;
    assert_eq!(ids(&resp)[..3], [122, 121, 120]);
    let resp = s.post_json(&url, &json!({"SORT": "ID", "ORDER": "desc", "FILTER": {"<ID": 4}})).await;
    assert_eq!(ids(&resp), [3, 2, 1]);
    let resp = s.post_json(&url, &json!({"sort": "LAST_NAME", "order": "ASC", "filter": {"%NAME": "User00"}})).await;
    let got = ids(&resp);
    assert_eq!(got, [2, 4, 6, 8, 10, 3, 5, 7, 9], "Jones (odd i → even ID) first, then Smith, by ID");
    let resp = s.get(&format!("{url}?filter[>ID]=119&sort=id&order=desc")).await;
    assert_eq!(ids(&resp), [122, 121, 120]);
    let resp = s.post_json(&url, &json!({"Filter": {"@ID": [1, 2]}, "Order": "DESC"})).await;
    assert_eq!(ids(&resp), [2, 1]);
    // Value types of the user object.
    let u = &resp.2["result"][0];
    assert!(u["ID"].is_string() && u["ACTIVE"].is_boolean(), "{u}");
    assert_eq!(u["UF_DEPARTMENT"], json!([1]));
    // A filter value that cannot match: empty, not an error.
    let resp = s.post_json(&url, &json!({"FILTER": {"ID": "abc"}})).await;
    assert_eq!(resp.2["result"], json!([]));
    assert_eq!(resp.2["total"], 0);
    s.stop().await;
}
