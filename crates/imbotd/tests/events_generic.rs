//! Generic events (`api-reference__events__*`): `events`, `event.bind`/`unbind`/`get`, `event.test`
//! (ONAPPTEST), ONUSERADD and ONAPPUPDATE to bound handlers, and the offline queue (`event.offline.get` with
//! `clear`/`process_id`, `.clear`, `.error`, `.list`) with its ONOFFLINEEVENT notification — every error of
//! the pages' tables, against the real server and a recording handler.

mod bot_util;
mod common;

use bot_util::*;
use common::{assert_error, TestServer};
use serde_json::{json, Value};
use std::time::Duration;

/// An OAuth app of `user` with `scopes`.
async fn app(s: &TestServer, user: i64, scopes: &str) -> Api {
    let a = s.oauth_app(user, scopes, 3600 * 24).await;
    Api::OAuth {
        rest: format!("{}/rest/", s.http),
        token: a.access_token,
        client_id: a.client_id,
        application_token: a.application_token,
    }
}

fn description(r: &Resp) -> String {
    r.2["error_description"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn webhooks_have_no_application_context() {
    let s = server().await;
    let hook = s.webhook().await;
    for m in
        ["events", "event.bind", "event.unbind", "event.get", "event.test", "event.offline.get", "event.offline.list"]
    {
        let r =
            s.post_json(&format!("{hook}{m}"), &json!({"event": "ONUSERADD", "handler": "http://127.0.0.1:9/"})).await;
        assert_error(&r, 403, "WRONG_AUTH_TYPE");
        assert_eq!(description(&r), "Current authorization type is denied for this method", "{m}");
    }
}

#[tokio::test]
async fn events_lists_the_bindable_events_by_scope() {
    let s = server().await;
    let with_user = app(&s, 1, "im,imbot,user").await;
    let names = with_user.ok(&s, "events", json!({})).await;
    assert_eq!(names, json!(["ONAPPUPDATE", "ONAPPTEST", "ONOFFLINEEVENT", "ONUSERADD"]));
    let without = app(&s, 1, "im,imbot").await;
    assert_eq!(without.ok(&s, "events", json!({})).await, json!(["ONAPPUPDATE", "ONAPPTEST", "ONOFFLINEEVENT"]));
    assert_eq!(without.ok(&s, "events", json!({"FULL": true})).await.as_array().unwrap().len(), 4);
    assert_eq!(without.ok(&s, "events", json!({"SCOPE": "user"})).await, json!(["ONUSERADD"]));
    assert_eq!(without.ok(&s, "events", json!({"SCOPE": "crm"})).await, json!([]));
    // Bot events are bound by imbot.register, not by event.bind: not listed, not bindable.
    let r =
        without.call(&s, "event.bind", json!({"event": "ONIMBOTMESSAGEADD", "handler": "http://127.0.0.1:9/"})).await;
    assert_error(&r, 400, "ERROR_EVENT_NOT_FOUND");
    // An event of a scope the app lacks is not found either.
    let r = without.call(&s, "event.bind", json!({"event": "ONUSERADD", "handler": "http://127.0.0.1:9/"})).await;
    assert_error(&r, 400, "ERROR_EVENT_NOT_FOUND");
    assert_eq!(description(&r), "Event not found");
}

#[tokio::test]
async fn bind_errors_follow_the_error_table() {
    let s = server().await;
    let a = app(&s, 1, "im,imbot,user").await;
    let h = "http://127.0.0.1:9/events";
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (json!({"handler": h}), 400, "ERROR_ARGUMENT", "Argument 'EVENT' is null or empty"),
        (json!({"event": "ONUSERADD"}), 400, "ERROR_ARGUMENT", "Argument 'HANDLER' is null or empty"),
        (
            json!({"event": "ONUSERADD", "handler": h, "event_type": "sometimes"}),
            400,
            "ERROR_ARGUMENT",
            "Value must be one of {online|offline}",
        ),
        (json!({"event": "ONNOPE", "handler": h}), 400, "ERROR_EVENT_NOT_FOUND", "Event not found"),
        (
            json!({"event": "ONUSERADD", "handler": "ftp://127.0.0.1/x"}),
            400,
            "ERROR_UNSUPPORTED_PROTOCOL",
            "Unsupported handler protocol",
        ),
        (
            json!({"event": "ONOFFLINEEVENT", "event_type": "offline"}),
            400,
            "ERROR_ARGUMENT",
            "Offline event cannot be registered for this event.",
        ),
    ];
    for (body, status, code, text) in cases {
        let r = a.call(&s, "event.bind", body.clone()).await;
        assert_error(&r, status, code);
        assert_eq!(description(&r), text, "{body}");
    }
    // The outbound policy refuses cloud metadata addresses, naming the setting.
    let r = a.call(&s, "event.bind", json!({"event": "ONUSERADD", "handler": "http://169.254.169.254/latest"})).await;
    assert_error(&r, 400, "ERROR_WRONG_HANDLER_URL");
    assert!(description(&r).starts_with("Wrong handler URL: "), "{}", r.2);
    assert!(description(&r).contains("[delivery]"), "names the setting: {}", r.2);
    // Upper-case parameter names work too (Bitrix reads them case-insensitively).
    assert_eq!(a.ok(&s, "event.bind", json!({"EVENT": "onUserAdd", "HANDLER": h})).await, json!(true));
    let r = a.call(&s, "event.bind", json!({"event": "ONUSERADD", "handler": h})).await;
    assert_error(&r, 400, "ERROR_CORE");
    assert_eq!(description(&r), "Unable to set event handler: Handler already binded");
}

#[tokio::test]
async fn get_and_unbind_and_what_non_admins_may_do() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await;
    let admin_app = app(&s, 1, "im,imbot,user").await;
    let h1 = "http://127.0.0.1:9/one";
    let h2 = "http://127.0.0.1:9/two";
    admin_app.ok(&s, "event.bind", json!({"event": "ONUSERADD", "handler": h1})).await;
    admin_app.ok(&s, "event.bind", json!({"event": "ONUSERADD", "handler": h1, "auth_type": ann})).await;
    admin_app.ok(&s, "event.bind", json!({"event": "ONUSERADD", "event_type": "offline"})).await;
    let list = admin_app.ok(&s, "event.get", json!({})).await;
    assert_eq!(
        list,
        json!([
            {"event": "ONUSERADD", "handler": h1, "auth_type": "0", "offline": 0},
            {"event": "ONUSERADD", "handler": h1, "auth_type": ann.to_string(), "offline": 0},
            {"event": "ONUSERADD", "connector_id": "", "offline": 1},
        ])
    );

    // Ann's own token on the same app: her subscriptions are made for her and she sees only hers.
    let t = imbotd::store::apps::by_client_id(&s.state.store, &client_id(&admin_app)).await.unwrap().unwrap();
    let issued =
        imbotd::store::apps::issue_tokens(&s.state.store, &t, imbotd::domain::UserId(ann), 3600, 86400, s.now())
            .await
            .unwrap();
    let ann_app = admin_app.with_token(&issued.access_token);
    let r = ann_app.call(&s, "event.bind", json!({"event": "ONUSERADD", "handler": h2, "auth_type": 1})).await;
    assert_error(&r, 403, "ACCESS_DENIED");
    assert_eq!(description(&r), "Access denied! Event binding with AUTH_TYPE requires administrator access rights");
    let r = ann_app.call(&s, "event.bind", json!({"event": "ONUSERADD", "event_type": "offline"})).await;
    assert_error(&r, 403, "ACCESS_DENIED");
    assert_eq!(description(&r), "Access denied! Offline events binding requires administrator access rights");
    ann_app.ok(&s, "event.bind", json!({"event": "ONUSERADD", "handler": h2})).await;
    assert_eq!(
        ann_app.ok(&s, "event.get", json!({})).await,
        json!([
            {"event": "ONUSERADD", "handler": h1, "auth_type": ann.to_string(), "offline": 0},
            {"event": "ONUSERADD", "handler": h2, "auth_type": ann.to_string(), "offline": 0},
        ])
    );
    let r = ann_app.call(&s, "event.unbind", json!({"event": "ONUSERADD", "event_type": "offline"})).await;
    assert_error(&r, 403, "ACCESS_DENIED");
    assert_eq!(description(&r), "Access denied! Offline events unbinding requires administrator access rights");
    let r = ann_app.call(&s, "event.unbind", json!({"event": "ONUSERADD", "handler": h1, "auth_type": 0})).await;
    assert_error(&r, 403, "ACCESS_DENIED");
    // Without auth_type a non-admin removes only their own.
    assert_eq!(ann_app.ok(&s, "event.unbind", json!({"event": "ONUSERADD", "handler": h1})).await, json!({"count": 1}));
    assert_error(&ann_app.call(&s, "event.unbind", json!({"event": "ONUSERADD"})).await, 400, "ERROR_ARGUMENT");
    assert_error(&ann_app.call(&s, "event.unbind", json!({"handler": h1})).await, 400, "ERROR_ARGUMENT");

    // The admin: auth_type=0 removes the "acting user" subscription only; nothing matching → count 0.
    assert_eq!(
        admin_app.ok(&s, "event.unbind", json!({"event": "ONUSERADD", "handler": h1, "auth_type": 0})).await,
        json!({"count": 1})
    );
    assert_eq!(
        admin_app.ok(&s, "event.unbind", json!({"event": "ONUSERADD", "handler": h1})).await,
        json!({"count": 0})
    );
    assert_eq!(
        admin_app.ok(&s, "event.unbind", json!({"event": "ONUSERADD", "event_type": "offline"})).await,
        json!({"count": 1})
    );
    assert_eq!(admin_app.ok(&s, "event.get", json!({})).await.as_array().unwrap().len(), 1, "Ann's h2 stays");

    // Another app sees none of these.
    let other = app(&s, 1, "im,imbot,user").await;
    assert_eq!(other.ok(&s, "event.get", json!({})).await, json!([]));
}

fn client_id(a: &Api) -> String {
    match a {
        Api::OAuth { client_id, .. } => client_id.clone(),
        Api::Webhook { client_id, .. } => client_id.clone(),
    }
}

#[tokio::test]
async fn event_test_sends_onapptest_to_the_calling_app_only() {
    let s = server().await;
    let h = Handler::start().await;
    let a = app(&s, 1, "im,imbot").await;
    let b = app(&s, 1, "im,imbot").await;
    a.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "handler": h.url("/a")})).await;
    b.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "handler": h.url("/b")})).await;
    assert_eq!(a.ok(&s, "event.test", json!({"any": "data", "n": {"x": "y"}})).await, json!(1));
    let req = h.wait_event("ONAPPTEST").await;
    assert_eq!(req.path(), "/a");
    let f = req.form();
    let keys: Vec<&String> = f.keys().collect();
    assert_eq!(keys, ["event", "event_handler_id", "data", "ts", "auth"]);
    assert_eq!(req.data()["QUERY"]["any"], "data");
    assert_eq!(req.data()["QUERY"]["n"]["x"], "y");
    assert!(req.data()["QUERY"].get("auth").is_none(), "the token is not echoed");
    assert_eq!(req.data()["LANGUAGE_ID"], "en");
    let auth = req.auth();
    assert_eq!(auth["application_token"], a.application_token());
    assert!(auth["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(auth["refresh_token"].as_str().is_some_and(|t| !t.is_empty()), "ONAPPTEST sends a refresh token");
    // event_handler_id is the subscription's id, the same on every event through it.
    let id = f["event_handler_id"].as_str().unwrap().to_owned();
    a.ok(&s, "event.test", json!({"any": "again"})).await;
    let second = h.wait_event_nth("ONAPPTEST", 2).await;
    assert_eq!(second.form()["event_handler_id"].as_str().unwrap(), id);
    assert!(h.after(Duration::from_millis(700), "ONAPPTEST").await.iter().all(|r| r.path() == "/a"));
    // The token in `auth` works: it is the caller's.
    let token = auth["access_token"].as_str().unwrap();
    assert_eq!(a.with_token(token).ok(&s, "event.test", json!({})).await, json!(1));
}

#[tokio::test]
async fn onuseradd_goes_to_online_subscriptions_in_order() {
    let s = server().await;
    let h = Handler::start().await;
    let a = app(&s, 1, "im,imbot,user").await;
    a.ok(&s, "event.bind", json!({"event": "ONUSERADD", "handler": h.url("/users")})).await;
    let ids = [s.add_user("Ann Lee").await, s.add_user("Bob Ray").await, s.add_user("Cy Dee").await];
    h.wait_event_nth("ONUSERADD", 3).await;
    let got: Vec<Value> = h.events("ONUSERADD").iter().map(|r| r.data()["ID"].clone()).collect();
    assert_eq!(got, ids.iter().map(|i| json!(i.to_string())).collect::<Vec<_>>(), "in order");
    let d = h.events("ONUSERADD")[0].data();
    assert_eq!(d["NAME"], "Ann");
    assert_eq!(d["LAST_NAME"], "Lee");
    assert_eq!(d["ACTIVE"], "Y");
    assert!(d["DATE_REGISTER"].as_str().unwrap().contains('T'));
    // No user acted (the admin CLI added them): the auth block has no tokens.
    let auth = h.events("ONUSERADD")[0].auth();
    assert!(auth.get("access_token").is_none(), "{auth}");
    assert_eq!(auth["application_token"], a.application_token());
}

#[tokio::test]
async fn offline_queue_reserve_clear_error_and_list() {
    let s = server().await;
    let a = app(&s, 1, "im,imbot,user").await;
    a.ok(&s, "event.bind", json!({"event": "ONUSERADD", "event_type": "offline"})).await;
    let users = [s.add_user("U One").await, s.add_user("U Two").await, s.add_user("U Three").await];

    let list = a.call(&s, "event.offline.list", json!({})).await;
    assert_eq!(list.0, 200, "{}", list.2);
    assert_eq!(list.2["total"], 3);
    let rows = list.2["result"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for (row, id) in rows.iter().zip(users) {
        assert_eq!(
            keys(row),
            ["ID", "TIMESTAMP_X", "EVENT_NAME", "EVENT_DATA", "EVENT_ADDITIONAL", "MESSAGE_ID", "PROCESS_ID", "ERROR"]
        );
        assert_eq!(row["EVENT_NAME"], "ONUSERADD");
        assert_eq!(row["EVENT_DATA"]["ID"], id.to_string());
        assert_eq!(row["MESSAGE_ID"].as_str().unwrap().len(), 32);
        assert_eq!(row["PROCESS_ID"], "");
        assert_eq!(row["ERROR"], "0");
        assert!(row["ID"].is_string());
    }
    // A filter and an order.
    let first_id: i64 = rows[0]["ID"].as_str().unwrap().parse().unwrap();
    let f = a.ok(&s, "event.offline.list", json!({"filter": {">ID": first_id}, "order": {"ID": "DESC"}})).await;
    assert_eq!(f.as_array().unwrap().len(), 2);
    assert_eq!(f[0]["EVENT_DATA"]["ID"], users[2].to_string());

    // Reserve two: a process_id, hidden from the next call, visible in the list as reserved.
    let got = a.ok(&s, "event.offline.get", json!({"clear": 0, "limit": 2})).await;
    let pid = got["process_id"].as_str().unwrap().to_owned();
    assert_eq!(pid.len(), 32);
    let batch = got["events"].as_array().unwrap();
    assert_eq!(batch.len(), 2);
    assert_eq!(keys(&batch[0]), ["ID", "TIMESTAMP_X", "EVENT_NAME", "EVENT_DATA", "EVENT_ADDITIONAL", "MESSAGE_ID"]);
    let listed = a.ok(&s, "event.offline.list", json!({"filter": {"PROCESS_ID": pid}})).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // The default clear=1 takes the remaining one and deletes it; no process_id is returned.
    let rest = a.ok(&s, "event.offline.get", json!({})).await;
    assert_eq!(rest["process_id"], Value::Null);
    assert_eq!(rest["events"].as_array().unwrap().len(), 1);
    assert_eq!(rest["events"][0]["EVENT_DATA"]["ID"], users[2].to_string());
    let empty = a.ok(&s, "event.offline.get", json!({})).await;
    assert_eq!(empty["events"], json!([]));
    // The reserved batch can be read again by its process_id.
    let again = a.ok(&s, "event.offline.get", json!({"process_id": pid, "clear": 0})).await;
    assert_eq!(again["process_id"], pid.as_str());
    assert_eq!(again["events"], got["events"]);

    // One row failed: back in the queue, marked erroneous, read only with error=1.
    let failed = batch[0]["MESSAGE_ID"].as_str().unwrap().to_owned();
    let ok_one = batch[1]["MESSAGE_ID"].as_str().unwrap().to_owned();
    assert_eq!(a.ok(&s, "event.offline.error", json!({"process_id": pid, "message_id": [failed]})).await, json!(true));
    assert_eq!(a.ok(&s, "event.offline.get", json!({})).await["events"], json!([]));
    let errs = a.ok(&s, "event.offline.list", json!({"filter": {"ERROR": 1}})).await;
    assert_eq!(errs.as_array().unwrap().len(), 1);
    assert_eq!(errs[0]["PROCESS_ID"], "");
    // The other row of the batch is confirmed by message_id.
    assert_eq!(a.ok(&s, "event.offline.clear", json!({"process_id": pid, "message_id": [ok_one]})).await, json!(true));
    let left = a.call(&s, "event.offline.list", json!({})).await;
    assert_eq!(left.2["total"], 1);
    let retry = a.ok(&s, "event.offline.get", json!({"error": 1})).await;
    assert_eq!(retry["events"][0]["MESSAGE_ID"], failed.as_str());
    assert_eq!(a.call(&s, "event.offline.list", json!({})).await.2["total"], 0);

    // Argument errors.
    let bad: Vec<(Value, &str, &str)> = vec![
        (json!({"limit": 0}), "event.offline.get", "Value must be positive integer"),
        (json!({"filter": {"%EVENT_NAME": "x"}}), "event.offline.get", ""),
        (json!({"filter": {"PROCESS_ID": "x"}}), "event.offline.get", ""),
        (json!({}), "event.offline.clear", "Argument 'PROCESS_ID' is null or empty"),
        (
            json!({"process_id": "p", "message_id": "x"}),
            "event.offline.clear",
            "Value must be array of MESSAGE_ID values",
        ),
        (
            json!({"process_id": "p", "message_id": ["short"]}),
            "event.offline.clear",
            "Value must be array of MESSAGE_ID values",
        ),
        (json!({"process_id": "p", "id": [0]}), "event.offline.clear", "Value must be array of integers"),
        (json!({}), "event.offline.error", "Argument 'PROCESS_ID' is null or empty"),
        (json!({"process_id": "p"}), "event.offline.error", "Value must be array of MESSAGE_ID values"),
    ];
    for (body, m, text) in bad {
        let r = a.call(&s, m, body.clone()).await;
        assert_error(&r, 400, "ERROR_ARGUMENT");
        if !text.is_empty() {
            assert_eq!(description(&r), text, "{m} {body}");
        }
    }
}

#[tokio::test]
async fn offline_events_merge_by_object_and_split_by_connector() {
    let s = server().await;
    let a = app(&s, 1, "im,imbot").await;
    a.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "event_type": "offline"})).await;
    a.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "event_type": "offline", "auth_connector": "sync"})).await;
    assert_eq!(
        a.ok(&s, "event.get", json!({})).await,
        json!([
            {"event": "ONAPPTEST", "connector_id": "", "offline": 1},
            {"event": "ONAPPTEST", "connector_id": "sync", "offline": 1},
        ])
    );
    // The same object twice keeps one row per queue; another object adds one.
    for q in ["a", "a", "b"] {
        a.ok(&s, "event.test", json!({"obj": q})).await;
    }
    assert_eq!(a.call(&s, "event.offline.list", json!({})).await.2["total"], 2);
    assert_eq!(a.call(&s, "event.offline.list", json!({"auth_connector": "sync"})).await.2["total"], 2);
    let row = &a.ok(&s, "event.offline.list", json!({})).await[0];
    assert_eq!(row["EVENT_ADDITIONAL"], json!({"user_id": 1}));
    // A reserved row is not merged into: a new change of that object is a new row.
    let got =
        a.ok(&s, "event.offline.get", json!({"clear": 0, "filter": {"EVENT_NAME": "onapptest"}, "limit": 1})).await;
    assert_eq!(got["events"].as_array().unwrap().len(), 1);
    a.ok(&s, "event.test", json!({"obj": "a"})).await;
    assert_eq!(a.call(&s, "event.offline.list", json!({})).await.2["total"], 3);
    // Clearing one connector's batch leaves the other's queue alone.
    let sync = a.ok(&s, "event.offline.get", json!({"auth_connector": "sync"})).await;
    assert_eq!(sync["events"].as_array().unwrap().len(), 2);
    assert_eq!(a.call(&s, "event.offline.list", json!({"auth_connector": "sync"})).await.2["total"], 0);
    assert_eq!(a.call(&s, "event.offline.list", json!({})).await.2["total"], 3);
}

#[tokio::test]
async fn offline_queue_is_for_administrators() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await;
    let a = app(&s, ann, "im,imbot").await;
    for m in ["event.offline.get", "event.offline.list", "event.offline.clear", "event.offline.error"] {
        let r = a.call(&s, m, json!({"process_id": "x", "message_id": []})).await;
        assert_error(&r, 403, "ACCESS_DENIED");
        assert_eq!(description(&r), "Access denied!", "{m}");
    }
}

#[tokio::test]
async fn onofflineevent_notifies_at_most_once_per_min_timeout() {
    let s = server().await;
    let h = Handler::start().await;
    let a = app(&s, 1, "im,imbot,user").await;
    a.ok(&s, "event.bind", json!({"event": "ONUSERADD", "event_type": "offline"})).await;
    a.ok(
        &s,
        "event.bind",
        json!({"event": "ONOFFLINEEVENT", "handler": h.url("/wake"), "options": {"minTimeout": 3600}}),
    )
    .await;
    s.add_user("U One").await;
    s.add_user("U Two").await;
    let req = h.wait_event("ONOFFLINEEVENT").await;
    assert!(req.form().get("data").is_none(), "no data: an empty array is left out by http_build_query");
    // Caused by the admin CLI (no acting user): no tokens to send.
    assert!(req.auth().get("access_token").is_none(), "{}", req.auth());
    assert_eq!(h.after(Duration::from_millis(800), "ONOFFLINEEVENT").await.len(), 1, "once per hour at most");
    // minTimeout 0: once per change.
    a.ok(&s, "event.unbind", json!({"event": "ONOFFLINEEVENT", "handler": h.url("/wake")})).await;
    a.ok(&s, "event.bind", json!({"event": "ONOFFLINEEVENT", "handler": h.url("/now"), "options": {"minTimeout": 0}}))
        .await;
    s.add_user("U Three").await;
    s.add_user("U Four").await;
    h.wait_event_nth("ONOFFLINEEVENT", 3).await;
    assert_eq!(a.call(&s, "event.offline.list", json!({})).await.2["total"], 4);
}

#[tokio::test]
async fn onappupdate_from_the_cli() {
    let s = server().await;
    let h = Handler::start().await;
    let a = app(&s, 1, "im,imbot").await;
    a.ok(&s, "event.bind", json!({"event": "ONAPPUPDATE", "handler": h.url("/update")})).await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_imbotd"))
        .env("RUST_LOG", "warn")
        .envs(s.db_env())
        .arg("--data-dir")
        .arg(s.dir.path())
        .args(["app", "set", "--client-id", &client_id(&a), "--version", "3"])
        .output()
        .await
        .expect("run imbotd");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let req = h.wait_event("ONAPPUPDATE").await;
    assert_eq!(req.data(), json!({"VERSION": "3", "PREVIOUS_VERSION": "1", "LANGUAGE_ID": "en"}));
    assert!(req.auth()["refresh_token"].is_string());
    assert_eq!(a.ok(&s, "app.info", json!({})).await["VERSION"], 3);
}

#[tokio::test]
async fn metrics_show_pending_per_handler_and_the_offline_queue() {
    logs();
    let s = TestServer::start_with(|c| {
        c.delivery_retry_schedule = vec![3600];
        c.delivery_jitter = 0.0;
    })
    .await;
    let dead = dead_url().await;
    let a = app(&s, 1, "im,imbot").await;
    let with_secret = format!("{dead}?CLIENT_ID=secret");
    a.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "handler": with_secret})).await;
    a.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "event_type": "offline"})).await;
    for _ in 0..3 {
        a.ok(&s, "event.test", json!({"n": 1})).await;
    }
    let (status, _, text) = s.get_text(&format!("{}/metrics", s.http)).await;
    assert_eq!(status, 200);
    let label = dead.split('?').next().unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("imbotd_handler_pending_events{") && l.contains(label))
        .unwrap_or_else(|| panic!("no pending gauge for {label} in:\n{text}"));
    assert!(line.ends_with(" 3"), "{line}");
    assert!(!text.contains("secret"), "query strings stay out of labels");
    assert!(text.lines().any(|l| l == "imbotd_offline_events 1"), "{text}");
}
