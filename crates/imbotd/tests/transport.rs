//! HTTP transport against the real server: URL forms (COMPAT R1), verbs and bodies (R2–R4), h2c headers (R6),
//! no redirects (R7), content type (R8), the success and error envelopes (R9, R10), request-size errors.

mod common;
use common::{assert_error, raw_http, webhook_parts, TestServer};
use serde_json::{json, Value};

const JSON_CT: &str = "application/json; charset=utf-8";

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap_or_else(|| panic!("an object: {v}")).keys().cloned().collect()
}

fn assert_ok(resp: &(u16, reqwest::header::HeaderMap, Value)) {
    assert_eq!(resp.0, 200, "status of {}", resp.2);
    assert_eq!(resp.1["content-type"], JSON_CT);
    assert!(resp.2.get("result").is_some(), "result in {}", resp.2);
    assert!(resp.2["time"].is_object(), "time in {}", resp.2);
}

fn is_server_time(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 25 && &s[10..11] == "T" && s.ends_with("+00:00"))
}

#[tokio::test]
async fn webhook_url_forms_and_case_insensitive_method_names() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    for suffix in
        ["server.time", "server.time.json", "server.time/", "server.time.json/", "Server.Time", "SERVER.TIME.JSON"]
    {
        for resp in [s.get(&format!("{hook}{suffix}")).await, s.post_json(&format!("{hook}{suffix}"), &json!({})).await]
        {
            assert_ok(&resp);
            assert!(is_server_time(&resp.2["result"]), "{suffix}: {}", resp.2);
        }
    }
    // `//` anywhere in the path is collapsed (sent raw: clients build such paths by joining with a trailing `/`).
    let (user, code) = webhook_parts(&hook);
    for path in [
        format!("/rest//{user}/{code}//profile"),
        format!("//rest/{user}//{code}/profile/"),
        format!("/rest/{user}/{code}//Profile.json"),
    ] {
        let r =
            raw_http(&s.http, format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert_eq!(r.json()["result"]["ID"], "1", "{path}");
        assert_eq!(r.header("content-type"), Some(JSON_CT));
    }
    s.stop().await;
}

#[tokio::test]
async fn oauth_url_forms() {
    let s = TestServer::start().await;
    let app = s.oauth_app(1, "user", 3600).await;
    let t = &app.access_token;
    for path in ["/rest/profile", "/rest/profile.json", "/rest/profile/", "/rest/PROFILE.json/", "//rest//profile"] {
        let r = raw_http(
            &s.http,
            format!("GET {path}?auth={t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert_eq!(r.json()["result"]["ID"], "1", "{path}");
    }
    let resp = s.post_json(&format!("{}/rest/user.current.json", s.http), &json!({"auth": t})).await;
    assert_ok(&resp);
    assert_eq!(resp.2["result"]["ID"], "1");
    s.stop().await;
}

#[tokio::test]
async fn get_without_params_and_get_with_everything_in_the_query() {
    let s = TestServer::start().await;
    for i in 0..3 {
        s.add_user(&format!("Query User{i}")).await;
    }
    let hook = s.webhook().await;
    // A PHP client: GET, no query string at all.
    let resp = s.get(&format!("{hook}profile")).await;
    assert_ok(&resp);
    assert_eq!(resp.2["result"]["ADMIN"], true);
    // A GET-only client: auth and nested params in the query string, brackets literal and percent-encoded.
    let app = s.oauth_app(1, "user", 3600).await;
    let url = format!(
        "{}/rest/user.get?auth={}&FILTER[%3EID]=1&FILTER%5BNAME%5D=Query&sort=ID&order=DESC",
        s.http, app.access_token
    );
    let resp = s.get(&url).await;
    assert_ok(&resp);
    let ids: Vec<&str> = resp.2["result"].as_array().unwrap().iter().map(|u| u["ID"].as_str().unwrap()).collect();
    assert_eq!(ids, ["4", "3", "2"]);
    assert_eq!(resp.2["total"], 3);
    s.stop().await;
}

#[tokio::test]
async fn post_json_object_and_empty_json_array() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let resp = s.post_json(&format!("{hook}method.get"), &json!({"name": "user.get"})).await;
    assert_ok(&resp);
    assert_eq!(resp.2["result"], json!({"isExisting": true, "isAvailable": true}));
    // The official PHP SDK sends `[]` for "no parameters".
    for (method, check) in [("profile", json!("1")), ("server.time", Value::Null)] {
        let resp = s.post_raw(&format!("{hook}{method}"), Some("application/json"), "[]").await;
        assert_ok(&resp);
        if !check.is_null() {
            assert_eq!(resp.2["result"]["ID"], check);
        }
    }
    let resp = s.post_raw(&format!("{hook}method.get"), Some("application/json"), "[]").await;
    assert_eq!(resp.2["result"], json!({"isExisting": false, "isAvailable": false}));
    // `{}` likewise.
    let resp = s.post_raw(&format!("{hook}profile"), Some("application/json; charset=utf-8"), "{}").await;
    assert_ok(&resp);
    s.stop().await;
}

#[tokio::test]
async fn form_body_with_php_nested_keys() {
    let s = TestServer::start().await;
    for name in ["Alice Form", "Bob Form", "Carol Other"] {
        s.add_user(name).await;
    }
    let hook = s.webhook().await;
    // batch echoes its commands' keys: `cmd%5Ba%5D` and `cmd[b]` both nest under `cmd`.
    let resp =
        s.post_form(&format!("{hook}batch"), "cmd%5Ba%5D=server.time&cmd[b]=method.get%3Fname%3Dprofile&halt=0").await;
    assert_ok(&resp);
    let r = &resp.2["result"]["result"];
    assert_eq!(keys(r), ["a", "b"]);
    assert!(is_server_time(&r["a"]), "{r}");
    assert_eq!(r["b"]["isExisting"], true);
    // user.get FILTER[...] from a form body, `+` as space in a value.
    let resp = s
        .post_form(&format!("{hook}user.get"), "FILTER%5B%25NAME%5D=o&FILTER[%3EID]=1&FILTER[LAST_NAME]=Form&SORT=ID")
        .await;
    assert_ok(&resp);
    let names: Vec<&str> = resp.2["result"].as_array().unwrap().iter().map(|u| u["NAME"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bob"]);
    let resp = s.post_form(&format!("{hook}user.get"), "FILTER[NAME_SEARCH]=carol+other").await;
    let names: Vec<&str> = resp.2["result"].as_array().unwrap().iter().map(|u| u["NAME"].as_str().unwrap()).collect();
    assert_eq!(names, ["Carol"]);
    s.stop().await;
}

fn multipart(boundary: &str, fields: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    body
}

#[tokio::test]
async fn multipart_form_data() {
    let s = TestServer::start().await;
    s.add_user("Multi Part").await;
    let hook = s.webhook().await;
    let b = "----imbotdBoundary7MA4YWxkTrZu0gW";
    let ct = format!("multipart/form-data; boundary={b}");
    let resp = s.post_raw(&format!("{hook}method.get"), Some(&ct), multipart(b, &[("name", "user.current")])).await;
    assert_ok(&resp);
    assert_eq!(resp.2["result"]["isExisting"], true);
    let body = multipart(b, &[("FILTER[NAME]", "Multi"), ("FILTER[ACTIVE]", "Y")]);
    let resp = s.post_raw(&format!("{hook}user.get"), Some(&ct), body).await;
    assert_ok(&resp);
    let ids: Vec<&str> = resp.2["result"].as_array().unwrap().iter().map(|u| u["ID"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2"]);
    s.stop().await;
}

#[tokio::test]
async fn empty_bodies() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    for ct in [None, Some("application/json"), Some("application/x-www-form-urlencoded"), Some("text/plain")] {
        let resp = s.post_raw(&format!("{hook}profile"), ct, "").await;
        assert_ok(&resp);
        assert_eq!(resp.2["result"]["ID"], "1", "content type {ct:?}");
    }
    s.stop().await;
}

#[tokio::test]
async fn query_and_body_are_merged_body_wins() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    // Same key in both: the body's value is used.
    let resp = s.post_json(&format!("{hook}method.get?name=no.such.method"), &json!({"name": "profile"})).await;
    assert_eq!(resp.2["result"]["isExisting"], true, "{}", resp.2);
    let resp = s.post_form(&format!("{hook}method.get?name=profile"), "name=no.such.method").await;
    assert_eq!(resp.2["result"]["isExisting"], false, "{}", resp.2);
    // Keys only in the query still count (b24jssdk puts bx24_* in the query of a JSON POST).
    let resp = s.post_json(&format!("{hook}method.get?name=profile&bx24_request_id=abc"), &json!({"bx24_x": 1})).await;
    assert_eq!(resp.2["result"]["isExisting"], true, "{}", resp.2);
    let resp = s.post_form(&format!("{hook}batch?cmd[q]=profile"), "cmd[b]=server.time").await;
    assert_eq!(keys(&resp.2["result"]["result"]), ["q", "b"]);
    s.stop().await;
}

#[tokio::test]
async fn long_query_strings_are_accepted() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    // A GET-only client puts KEYBOARD/ATTACH in the query: ≥ 32 KB (COMPAT R2). Here a 65 000-byte query
    // string. (The whole request target is capped at 65 534 bytes by the `http` crate's `Uri`; hyper answers
    // 414 beyond that.)
    let query = format!("bx24_padding={}", "x".repeat(65_000 - "bx24_padding=".len()));
    assert_eq!(query.len(), 65_000);
    let url = format!("{hook}profile?{query}");
    let resp = s.get(&url).await;
    assert_ok(&resp);
    assert_eq!(resp.2["result"]["ID"], "1");
    s.stop().await;
}

#[tokio::test]
async fn unknown_params_are_ignored() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let q = "bx24_request_id=7&start=50&__order=x&order[ID]=ASC&CLIENT_ID=abc&auth_type=0&bx24_label[a]=1";
    for method in ["profile", "server.time", "scope", "user.current"] {
        let resp = s.get(&format!("{hook}{method}?{q}")).await;
        assert_ok(&resp);
        assert!(resp.2.get("next").is_none() && resp.2.get("total").is_none(), "{method}: {}", resp.2);
    }
    let resp =
        s.post_json(&format!("{hook}profile"), &json!({"bx24_request_id": "1", "unknown": {"deep": [1, 2]}})).await;
    assert_ok(&resp);
    s.stop().await;
}

#[tokio::test]
async fn h2c_upgrade_headers_are_ignored() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let (user, code) = webhook_parts(&hook);
    // What the official PHP SDK (curl) sends over plain HTTP.
    let get = format!(
        "GET /rest/{user}/{code}/server.time HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\
         Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
    );
    let r = raw_http(&s.http, get.as_bytes()).await;
    assert!(r.status_line.starts_with("HTTP/1.1 200"), "{}", r.status_line);
    assert_eq!(r.header("content-type"), Some(JSON_CT));
    assert!(r.header("upgrade").is_none(), "no upgrade offered: {:?}", r.headers);
    assert!(is_server_time(&r.json()["result"]));
    let body = r#"{"name":"profile"}"#;
    let post = format!(
        "POST /rest/{user}/{code}/method.get HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n{body}",
        body.len()
    );
    let r = raw_http(&s.http, post.as_bytes()).await;
    assert!(r.status_line.starts_with("HTTP/1.1 200"), "{}", r.status_line);
    assert_eq!(r.json()["result"]["isExisting"], true);
    s.stop().await;
}

#[tokio::test]
async fn content_type_is_json_utf8_on_every_answer() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let cases = [
        (s.get(&format!("{hook}server.time")).await, 200),
        (s.get(&format!("{hook}no.such.method")).await, 404),
        (s.get(&format!("{}/rest/1/wrongcode/profile", s.http)).await, 401),
        (s.get(&format!("{}/rest/profile", s.http)).await, 401),
        (s.get(&format!("{}/nothing/here", s.http)).await, 404),
        (s.get(&format!("{}/nothing", s.http)).await, 404),
        (s.get(&format!("{}/healthz", s.http)).await, 200),
        (s.post_raw(&format!("{hook}profile"), Some("application/json"), "{").await, 400),
        (s.get(&format!("{}/oauth/token/", s.http)).await, 400),
        // `/healthz` answers any verb (docs/compat.md T14).
        (s.post_form(&format!("{}/healthz", s.http), "").await, 200),
        (s.post_form(&format!("{}/metrics", s.http), "").await, 405),
    ];
    for (i, (resp, status)) in cases.iter().enumerate() {
        assert_eq!(resp.0, *status, "case {i}: {}", resp.2);
        assert_eq!(resp.1["content-type"], JSON_CT, "case {i}");
    }
    s.stop().await;
}

#[tokio::test]
async fn success_envelope_key_order_and_time_object() {
    let s = TestServer::start().await;
    for i in 0..55 {
        s.add_user(&format!("Env User{i}")).await;
    }
    let hook = s.webhook().await;
    let (status, headers, text) = s.get_text(&format!("{hook}user.get")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], JSON_CT);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(keys(&v), ["result", "next", "total", "time"], "{text}");
    assert_eq!(v["next"], 50);
    assert_eq!(v["total"], 56);
    assert!(v["next"].is_u64() && v["total"].is_u64());
    // The last page: no `next`, still `total`.
    let v: Value = serde_json::from_str(&s.get_text(&format!("{hook}user.get?start=50")).await.2).unwrap();
    assert_eq!(keys(&v), ["result", "total", "time"]);
    // A non-list method: only `result` and `time`.
    let (_, _, text) = s.get_text(&format!("{hook}profile")).await;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(keys(&v), ["result", "time"]);
    let t = &v["time"];
    assert_eq!(
        keys(t),
        ["start", "finish", "duration", "processing", "date_start", "date_finish", "operating_reset_at", "operating"]
    );
    assert!(t["start"].is_f64() && t["finish"].is_f64(), "{t}");
    let (start, finish) = (t["start"].as_f64().unwrap(), t["finish"].as_f64().unwrap());
    let now = s.now() as f64;
    assert!((start - now).abs() < 5.0 && finish >= start, "{t}");
    assert!(t["duration"].as_f64().unwrap() >= 0.0);
    assert!(t["processing"].as_f64().unwrap() >= 0.0);
    for k in ["date_start", "date_finish"] {
        let d = t[k].as_str().unwrap();
        let parsed = chrono::DateTime::parse_from_rfc3339(d).unwrap_or_else(|e| panic!("{k} {d}: {e}"));
        assert!((parsed.timestamp() - s.now()).abs() < 5);
        assert_eq!(d.len(), 25, "{d}");
        assert!(d.ends_with("+00:00"), "{d}");
    }
    assert!(t["operating_reset_at"].is_i64(), "{t}");
    assert!(t["operating_reset_at"].as_i64().unwrap() > s.now());
    assert!(t["operating"].is_f64(), "operating is a float: {t}");
    s.stop().await;
}

#[tokio::test]
async fn error_envelope_has_exactly_error_and_description() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let errors = [
        s.get(&format!("{hook}no.such.method")).await,
        s.get(&format!("{}/rest/1/nope/profile", s.http)).await,
        s.post_raw(&format!("{hook}profile"), Some("application/json"), "{\"a\":").await,
    ];
    for e in &errors {
        assert_eq!(keys(&e.2), ["error", "error_description"], "{}", e.2);
        assert!(e.2["error_description"].is_string());
    }
    assert_error(&errors[0], 404, "ERROR_METHOD_NOT_FOUND");
    assert_eq!(errors[0].2["error_description"], "Method not found!");
    assert_error(&errors[1], 401, "NO_AUTH_FOUND");
    assert_error(&errors[2], 400, "INVALID_REQUEST");
    s.stop().await;
}

#[tokio::test]
async fn unknown_method_is_404_in_every_form() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let app = s.oauth_app(1, "im", 3600).await;
    for resp in [
        s.get(&format!("{hook}imbot.no.such")).await,
        s.post_json(&format!("{hook}Nope.Nope.json"), &json!({})).await,
        s.post_json(&format!("{}/rest/nope.nope", s.http), &json!({"auth": app.access_token})).await,
        s.get(&format!("{}/rest/nope.nope.json?auth={}", s.http, app.access_token)).await,
    ] {
        assert_error(&resp, 404, "ERROR_METHOD_NOT_FOUND");
    }
    s.stop().await;
}

#[tokio::test]
async fn malformed_bodies_are_400_invalid_request() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let url = format!("{hook}profile");
    let bad = [
        s.post_raw(&url, Some("application/json"), "{not json").await,
        s.post_raw(&url, Some("application/json"), "\"a string\"").await,
        s.post_raw(&url, Some("application/json"), "[1, 2").await,
        s.post_raw(
            &url,
            Some("multipart/form-data; boundary=xyz"),
            "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
        )
        .await,
        s.post_raw(&url, Some("multipart/form-data"), "--xyz--\r\n").await,
        s.post_raw(&url, Some("application/x-www-form-urlencoded"), vec![b'a', b'=', 0xff, 0xfe]).await,
        // No content type: guessed as JSON because it starts with `{`.
        s.post_raw(&url, None, "{oops").await,
    ];
    for (i, resp) in bad.iter().enumerate() {
        assert_error(resp, 400, "INVALID_REQUEST");
        assert_ne!(resp.2["error_description"], "", "case {i}");
    }
    // The OAuth endpoint reads bodies the same way.
    let resp = s.post_raw(&format!("{}/oauth/token/", s.http), Some("application/json"), "{").await;
    assert_error(&resp, 400, "INVALID_REQUEST");
    s.stop().await;
}

#[tokio::test]
async fn body_over_the_limit_is_400_invalid_request() {
    let s = TestServer::start_with(|c| c.max_body_bytes = 2048).await;
    let hook = s.webhook().await;
    let big = json!({"name": "profile", "pad": "y".repeat(4096)});
    let resp = s.post_json(&format!("{hook}method.get"), &big).await;
    assert_error(&resp, 400, "INVALID_REQUEST");
    assert!(resp.2["error_description"].as_str().unwrap().contains("2048"), "{}", resp.2);
    let resp = s.post_form(&format!("{hook}method.get"), &format!("name=profile&pad={}", "z".repeat(3000))).await;
    assert_error(&resp, 400, "INVALID_REQUEST");
    // Chunked (no Content-Length) is limited too.
    let (user, code) = webhook_parts(&hook);
    let mut req = format!(
        "POST /rest/{user}/{code}/method.get HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for _ in 0..8 {
        req.push_str(&format!("200\r\n{}\r\n", "a".repeat(512)));
    }
    req.push_str("0\r\n\r\n");
    let r = raw_http(&s.http, req.as_bytes()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["error"], "INVALID_REQUEST");
    // Just under the limit is fine.
    let resp = s.post_json(&format!("{hook}method.get"), &json!({"name": "profile", "pad": "y".repeat(1500)})).await;
    assert_ok(&resp);
    assert_eq!(resp.2["result"]["isExisting"], true);
    s.stop().await;
}

#[tokio::test]
async fn nothing_redirects() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let (user, code) = webhook_parts(&hook);
    // (`/` is the web chat's page: HTML, tested in web_api.rs; every other path answers JSON.)
    let paths = [
        "/rest".to_owned(),
        "/rest/".to_owned(),
        "/REST/profile".to_owned(),
        format!("/rest/{user}/{code}"),
        format!("/rest/{user}/{code}/"),
        format!("/rest/{user}/{code}/profile"),
        format!("/rest/{user}/{code}/profile/"),
        "/oauth/token".to_owned(),
        "/oauth/token/".to_owned(),
        "/oauth/authorize/".to_owned(),
        "/healthz/".to_owned(),
        "/index.php".to_owned(),
    ];
    for p in &paths {
        for post in [false, true] {
            let url = format!("{}{p}", s.http);
            let r = if post { s.client.post(&url).send().await } else { s.client.get(&url).send().await }.unwrap();
            let status = r.status().as_u16();
            assert!(!(300..400).contains(&status), "{p} answered {status}");
            assert!(r.headers().get("location").is_none(), "{p}");
            assert_eq!(r.headers()["content-type"], JSON_CT, "{p}");
            let text = r.text().await.unwrap();
            serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{p}: not JSON ({e}): {text}"));
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn json_is_escaped_like_php() {
    let s = TestServer::start().await;
    s.add_user("O'Brien <b>&Co</b>").await;
    let hook = s.webhook().await;
    // A server-produced URL: client_endpoint in the OAuth answer.
    let app = s.oauth_app(1, "user", 3600).await;
    let form = format!(
        "grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
        app.client_id, app.client_secret, app.refresh_token
    );
    let r = s
        .client
        .post(format!("{}/oauth/token/", s.http))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains(r#""client_endpoint":"https:\/\/127.0.0.1:"#), "{text}");
    assert!(!text.contains("://"), "{text}");
    // User-supplied text: `< > & '` as \u003C \u003E \u0026 \u0027, `/` as \/.
    let (_, _, text) = s.get_text(&format!("{hook}user.get?FILTER[ID]=2")).await;
    assert!(text.contains(r#""NAME":"O\u0027Brien","LAST_NAME":"\u003Cb\u003E\u0026Co\u003C\/b\u003E""#), "{text}");
    // Error text too.
    let (status, _, text) = s.get_text(&format!("{}/not/rest", s.http)).await;
    assert_eq!(status, 404);
    assert!(text.contains(r"\/not\/rest"), "{text}");
    s.stop().await;
}

#[tokio::test]
async fn non_rest_paths_answer_json_404() {
    let s = TestServer::start().await;
    // `/` itself is the web chat (web_api.rs).
    for p in ["/favicon.ico", "/api/profile", "/rest-api/profile", "/restx", "/web/nothing"] {
        let r = raw_http(&s.http, format!("GET {p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await;
        assert_eq!(r.status, 404, "{p}");
        assert_eq!(r.header("content-type"), Some(JSON_CT));
        let v = r.json();
        assert_eq!(keys(&v), ["error", "error_description"], "{p}");
    }
    s.stop().await;
}
