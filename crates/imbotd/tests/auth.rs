//! Authentication and authorization: webhooks from the path, OAuth tokens from query/form/JSON, scopes, token
//! expiry, the local `/oauth/token/` endpoint (COMPAT R17, R18; SPEC-NOTES §2), `require_https`, and secrets
//! stored only as digests.

mod common;
use common::{assert_error, webhook_parts, TestServer};
use serde_json::{json, Value};
use std::time::Duration;

const DAY: u64 = 24 * 3600;

#[tokio::test]
async fn webhook_with_wrong_credentials_is_401_no_auth_found() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let (user, code) = webhook_parts(&hook);
    let u2 = s.add_user("Second User").await;
    let hook2 = s.webhook_for(u2, "user").await;
    let (_, code2) = webhook_parts(&hook2);
    let base = &s.http;
    for url in [
        format!("{base}/rest/{user}/{code}x/profile"),
        format!("{base}/rest/{user}/{}/profile", code.to_uppercase()),
        format!("{base}/rest/{user}/wrong/profile"),
        format!("{base}/rest/abc/{code}/profile"),
        format!("{base}/rest/-1/{code}/profile"),
        format!("{base}/rest/0/{code}/profile"),
        format!("{base}/rest/ 1/{code}/profile"),
        // The code of user 2 under user 1's id, and user 1's code under user 2's id.
        format!("{base}/rest/{user}/{code2}/profile"),
        format!("{base}/rest/{u2}/{code}/profile"),
        format!("{base}/rest/999/{code}/profile"),
    ] {
        let resp = s.get(&url).await;
        assert_error(&resp, 401, "NO_AUTH_FOUND");
    }
    // Checked before the method: an unknown method with bad credentials is still 401.
    assert_error(&s.get(&format!("{base}/rest/{user}/wrong/no.such.method")).await, 401, "NO_AUTH_FOUND");
    // And the right ones work.
    assert_eq!(s.get(&format!("{hook2}profile")).await.2["result"]["ID"], u2.to_string());
    assert_eq!(s.get(&format!("{hook}profile")).await.2["result"]["ID"], "1");
    s.stop().await;
}

#[tokio::test]
async fn webhook_scopes_gate_methods_but_not_basic_ones() {
    let s = TestServer::start().await;
    let im_only = s.webhook_for(1, "im").await;
    let resp = s.get(&format!("{im_only}user.get")).await;
    assert_error(&resp, 403, "insufficient_scope");
    assert_error(&s.post_json(&format!("{im_only}user.current"), &json!({})).await, 403, "insufficient_scope");
    for method in ["server.time", "profile", "scope", "methods", "method.get?name=user.get", "batch?cmd[a]=server.time"]
    {
        let resp = s.get(&format!("{im_only}{method}")).await;
        assert_eq!(resp.0, 200, "{method}: {}", resp.2);
        assert!(resp.2.get("result").is_some(), "{method}");
    }
    assert_eq!(s.get(&format!("{im_only}scope")).await.2["result"], json!(["im"]));
    // user_brief grants user.get.
    let brief = s.webhook_for(1, "user_brief").await;
    let resp = s.get(&format!("{brief}user.get")).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    // OAuth tokens carry the app's scopes.
    let app = s.oauth_app(1, "imbot", 3600).await;
    let resp = s.get(&format!("{}/rest/user.get?auth={}", s.http, app.access_token)).await;
    assert_error(&resp, 403, "insufficient_scope");
    let resp = s.get(&format!("{}/rest/profile?auth={}", s.http, app.access_token)).await;
    assert_eq!(resp.0, 200);
    s.stop().await;
}

#[tokio::test]
async fn oauth_token_from_query_form_and_json() {
    let s = TestServer::start().await;
    let app = s.oauth_app(1, "user", 3600).await;
    let t = &app.access_token;
    let url = format!("{}/rest/user.current", s.http);
    let answers = [
        s.get(&format!("{url}?auth={t}")).await,
        s.post_json(&format!("{url}?auth={t}"), &json!({})).await,
        s.post_form(&url, &format!("auth={t}")).await,
        s.post_json(&url, &json!({"auth": t})).await,
        s.post_form(&format!("{}/rest/user.current.json", s.http), &format!("FILTER[ID]=1&auth={t}")).await,
        // Optionally also `access_token`.
        s.get(&format!("{url}?access_token={t}")).await,
    ];
    for (i, resp) in answers.iter().enumerate() {
        assert_eq!(resp.0, 200, "case {i}: {}", resp.2);
        assert_eq!(resp.2["result"]["ID"], "1", "case {i}");
    }
    // `auth` is not passed on to the method as a parameter (user.get would read it as a filter key otherwise).
    let resp = s.post_json(&format!("{}/rest/user.get", s.http), &json!({"auth": t})).await;
    assert_eq!(resp.2["total"], 1);
    s.stop().await;
}

#[tokio::test]
async fn missing_garbage_and_expired_tokens() {
    let s = TestServer::start().await;
    let url = format!("{}/rest/profile", s.http);
    assert_error(&s.get(&url).await, 401, "NO_AUTH_FOUND");
    assert_error(&s.get(&format!("{url}?auth=")).await, 401, "NO_AUTH_FOUND");
    assert_error(&s.post_json(&url, &json!({})).await, 401, "NO_AUTH_FOUND");
    assert_error(&s.post_json(&url, &json!({"auth": "0123456789abcdef"})).await, 401, "invalid_token");
    assert_error(&s.get(&format!("{url}?auth=garbage")).await, 401, "invalid_token");

    // ttl 0: expired at once.
    let dead = s.oauth_app(1, "user", 0).await;
    let resp = s.get(&format!("{url}?auth={}", dead.access_token)).await;
    assert_error(&resp, 401, "expired_token");
    assert_eq!(resp.2["error"], "expired_token", "lower-case, as Bitrix sends it");

    // 3600 s: fine before, expired after.
    let app = s.oauth_app(1, "user", 3600).await;
    s.clock.advance(Duration::from_secs(3500));
    assert_eq!(s.post_json(&url, &json!({"auth": app.access_token})).await.0, 200);
    s.clock.advance(Duration::from_secs(101));
    assert_error(&s.post_json(&url, &json!({"auth": app.access_token})).await, 401, "expired_token");
    // Expired is reported before the method lookup and the scope check.
    assert_error(&s.get(&format!("{}/rest/no.such?auth={}", s.http, app.access_token)).await, 401, "expired_token");
    s.stop().await;
}

const TOKEN_KEYS: [&str; 11] = [
    "access_token",
    "refresh_token",
    "expires",
    "expires_in",
    "scope",
    "domain",
    "client_endpoint",
    "server_endpoint",
    "status",
    "member_id",
    "user_id",
];

fn check_token_answer(s: &TestServer, v: &Value, user: i64) {
    let o = v.as_object().unwrap_or_else(|| panic!("object: {v}"));
    for k in TOKEN_KEYS {
        assert!(o.contains_key(k), "{k} in {v}");
    }
    assert!(v.get("error").is_none(), "{v}");
    assert!(v["access_token"].as_str().unwrap().len() >= 32);
    assert!(v["refresh_token"].as_str().unwrap().len() >= 32);
    assert_eq!(v["expires_in"], 3600);
    let expires = v["expires"].as_i64().expect("expires is an int");
    assert!((expires - (s.now() + 3600)).abs() <= 5, "{v}");
    assert_eq!(v["scope"], "im,user");
    let port = s.https.rsplit(':').next().unwrap();
    assert_eq!(v["domain"], format!("127.0.0.1:{port}"));
    assert_eq!(v["client_endpoint"], format!("{}/rest/", s.https));
    assert_eq!(v["server_endpoint"], format!("{}/rest/", s.https));
    assert!(["F", "D", "T", "P", "L", "S"].contains(&v["status"].as_str().unwrap()), "{v}");
    let member = v["member_id"].as_str().unwrap();
    assert_eq!(member.len(), 32);
    assert!(member.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(v["user_id"], user);
}

#[tokio::test]
async fn oauth_token_endpoint_refreshes_by_get_and_post() {
    let s = TestServer::start().await;
    let u2 = s.add_user("Token User").await;
    let app = s.oauth_app(u2, "im,user", 3600).await;
    let creds = format!("client_id={}&client_secret={}", app.client_id, app.client_secret);
    let mut refresh = app.refresh_token.clone();
    let mut seen_access = vec![app.access_token.clone()];
    for (i, how) in ["get", "post_form", "post_query", "get_no_slash", "post_json"].iter().enumerate() {
        let q = format!("grant_type=refresh_token&{creds}&refresh_token={refresh}");
        let resp = match *how {
            "get" => s.get(&format!("{}/oauth/token/?{q}", s.http)).await,
            "post_form" => s.post_form(&format!("{}/oauth/token/", s.http), &q).await,
            "post_query" => s.post_form(&format!("{}/oauth/token/?{q}", s.http), "").await,
            "get_no_slash" => s.get(&format!("{}/oauth/token?{q}", s.https)).await,
            _ => {
                let body = json!({"grant_type": "refresh_token", "client_id": app.client_id, "client_secret": app.client_secret, "refresh_token": refresh});
                s.post_json(&format!("{}/oauth/token/", s.http), &body).await
            }
        };
        assert_eq!(resp.0, 200, "{how}: {}", resp.2);
        assert_eq!(resp.1["content-type"], "application/json; charset=utf-8");
        check_token_answer(&s, &resp.2, u2);
        let new_access = resp.2["access_token"].as_str().unwrap().to_owned();
        let new_refresh = resp.2["refresh_token"].as_str().unwrap().to_owned();
        assert!(!seen_access.contains(&new_access), "case {i}: a new access token");
        assert_ne!(new_refresh, refresh, "case {i}: a new refresh token");
        // The new access token works, as the user it belongs to.
        let who = s.get(&format!("{}/rest/profile?auth={new_access}", s.http)).await;
        assert_eq!(who.2["result"]["ID"], u2.to_string(), "{how}");
        // The old refresh token is used up.
        let again = s.get(&format!("{}/oauth/token/?{q}", s.http)).await;
        assert_error(&again, 400, "invalid_grant");
        seen_access.push(new_access);
        refresh = new_refresh;
    }
    s.stop().await;
}

#[tokio::test]
async fn oauth_token_endpoint_errors() {
    let s = TestServer::start().await;
    let app = s.oauth_app(1, "im,user", 3600).await;
    let other = s.oauth_app(1, "im", 3600).await;
    let url = format!("{}/oauth/token/", s.http);
    let ok_query = |secret: &str, refresh: &str| {
        format!(
            "{url}?grant_type=refresh_token&client_id={}&client_secret={secret}&refresh_token={refresh}",
            app.client_id
        )
    };
    assert_error(&s.get(&ok_query("wrong-secret", &app.refresh_token)).await, 401, "invalid_client");
    assert_error(&s.get(&ok_query(&other.client_secret, &app.refresh_token)).await, 401, "invalid_client");
    let unknown_client = format!(
        "{url}?grant_type=refresh_token&client_id=local.nope.1&client_secret={}&refresh_token={}",
        app.client_secret, app.refresh_token
    );
    assert_error(&s.get(&unknown_client).await, 401, "invalid_client");
    // Missing parameters, an unsupported grant type.
    assert_error(&s.get(&url).await, 400, "invalid_request");
    assert_error(&s.post_form(&url, "").await, 400, "invalid_request");
    assert_error(
        &s.get(&format!("{url}?grant_type=refresh_token&client_id={}", app.client_id)).await,
        400,
        "invalid_request",
    );
    let no_refresh =
        format!("{url}?grant_type=refresh_token&client_id={}&client_secret={}", app.client_id, app.client_secret);
    assert_error(&s.get(&no_refresh).await, 400, "invalid_request");
    let code_grant = format!(
        "{url}?grant_type=authorization_code&client_id={}&client_secret={}&code=abc",
        app.client_id, app.client_secret
    );
    assert_error(&s.get(&code_grant).await, 400, "invalid_request");
    // A refresh token of another app, or garbage: invalid_grant.
    let foreign = format!(
        "{url}?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
        other.client_id, other.client_secret, app.refresh_token
    );
    assert_error(&s.get(&foreign).await, 400, "invalid_grant");
    assert_error(&s.get(&ok_query(&app.client_secret, "deadbeef")).await, 400, "invalid_grant");
    // Still unused by all that: it works once, then it is spent.
    assert_eq!(s.get(&ok_query(&app.client_secret, &app.refresh_token)).await.0, 200);
    assert_error(&s.get(&ok_query(&app.client_secret, &app.refresh_token)).await, 400, "invalid_grant");
    s.stop().await;
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_succeed_once() {
    let s = TestServer::start().await;
    let app = s.oauth_app(1, "user", 3600).await;
    let url = format!(
        "{}/oauth/token/?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
        s.http, app.client_id, app.client_secret, app.refresh_token
    );
    let answers = futures_util::future::join_all((0..6).map(|_| s.get(&url))).await;
    let ok = answers.iter().filter(|r| r.0 == 200).count();
    assert_eq!(ok, 1, "{:?}", answers.iter().map(|r| (r.0, r.2.clone())).collect::<Vec<_>>());
    for r in answers.iter().filter(|r| r.0 != 200) {
        assert_error(r, 400, "invalid_grant");
    }
    s.stop().await;
}

#[tokio::test]
async fn refresh_token_expires_after_180_days() {
    let s = TestServer::start().await;
    let app = s.oauth_app(1, "user", 3600).await;
    let fresh = s.oauth_app(1, "user", 3600).await;
    let q = |a: &common::OAuthApp| {
        format!(
            "{}/oauth/token/?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
            s.http, a.client_id, a.client_secret, a.refresh_token
        )
    };
    s.clock.advance(Duration::from_secs(179 * DAY));
    // Day 179: still valid (the access token long expired).
    assert_error(&s.get(&format!("{}/rest/profile?auth={}", s.http, fresh.access_token)).await, 401, "expired_token");
    let resp = s.get(&q(&fresh)).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    s.clock.advance(Duration::from_secs(2 * DAY));
    assert_error(&s.get(&q(&app)).await, 400, "invalid_grant");
    s.stop().await;
}

#[tokio::test]
async fn require_https_refuses_plain_http() {
    let s = TestServer::start_with(|c| c.require_https = true).await;
    let hook = s.webhook().await;
    let app = s.oauth_app(1, "user", 3600).await;
    for resp in [
        s.get(&format!("{hook}profile")).await,
        s.post_json(&format!("{hook}server.time"), &json!({})).await,
        s.get(&format!("{}/rest/profile?auth={}", s.http, app.access_token)).await,
        // Before authentication: bad credentials over HTTP get the same answer.
        s.get(&format!("{}/rest/1/wrong/profile", s.http)).await,
    ] {
        assert_error(&resp, 400, "INVALID_REQUEST");
        assert_eq!(resp.2["error_description"], "Https required");
    }
    let https_hook = hook.replace(&s.http, &s.https);
    let resp = s.get(&format!("{https_hook}profile")).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    assert_eq!(resp.2["result"]["ID"], "1");
    let resp = s.post_json(&format!("{}/rest/user.current", s.https), &json!({"auth": app.access_token})).await;
    assert_eq!(resp.0, 200, "{}", resp.2);
    s.stop().await;
}

#[tokio::test]
async fn secrets_are_stored_only_as_digests() {
    let mut s = TestServer::start().await;
    let hook = s.webhook().await;
    let (_, code) = webhook_parts(&hook);
    let app = s.oauth_app(1, "im,user", 3600).await;
    // Tokens minted by the server itself, through the HTTP endpoint.
    let resp = s
        .get(&format!(
            "{}/oauth/token/?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
            s.http, app.client_id, app.client_secret, app.refresh_token
        ))
        .await;
    assert_eq!(resp.0, 200);
    let (access2, refresh2) =
        (resp.2["access_token"].as_str().unwrap().to_owned(), resp.2["refresh_token"].as_str().unwrap().to_owned());
    // Use everything once, so any cache or log table would have seen it.
    assert_eq!(s.get(&format!("{hook}profile")).await.0, 200);
    assert_eq!(s.get(&format!("{}/rest/profile?auth={access2}", s.http)).await.0, 200);
    let secrets = [
        ("webhook code", code.clone()),
        ("access token", app.access_token.clone()),
        ("refresh token", app.refresh_token.clone()),
        ("client secret", app.client_secret.clone()),
        ("refreshed access token", access2),
        ("refreshed refresh token", refresh2),
    ];
    if s.db.is_some() {
        // PostgreSQL: every row of every table, as text.
        let pool = s.db_pool().await;
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'")
                .fetch_all(&pool)
                .await
                .unwrap();
        let mut dump = String::new();
        for t in &tables {
            let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT row_to_json(x)::text FROM \"{t}\" x"))
                .fetch_all(&pool)
                .await
                .unwrap();
            dump.extend(rows);
        }
        assert!(tables.len() > 10 && dump.len() > 1000, "the tables were read");
        for (what, secret) in &secrets {
            assert!(!dump.contains(secret.as_str()), "{what} in clear in the database");
        }
        assert!(dump.contains(&app.application_token), "the scan does see clear text that is stored");
        s.stop().await;
        return;
    }
    let dir = s.dir.path().to_owned();
    // Read the files with the server running (WAL not yet checkpointed) and after a clean stop.
    let mut scanned = 0;
    for phase in ["running", "stopped"] {
        if phase == "stopped" {
            s.app.take().expect("running").shutdown().await.expect("clean shutdown");
        }
        for name in ["imbotd.db", "imbotd.db-wal", "imbotd.db-shm"] {
            let Ok(bytes) = std::fs::read(dir.join(name)) else {
                continue;
            };
            scanned += bytes.len();
            for (what, secret) in &secrets {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{what} in clear in {name} ({phase})"
                );
            }
        }
    }
    assert!(scanned > 4096, "the database files were read");
    // The application token is meant to be sent in clear (events carry it): stored, and found.
    let db = std::fs::read(dir.join("imbotd.db")).unwrap();
    let wal = std::fs::read(dir.join("imbotd.db-wal")).unwrap_or_default();
    let found = |b: &[u8]| b.windows(app.application_token.len()).any(|w| w == app.application_token.as_bytes());
    assert!(found(&db) || found(&wal), "the scan does see clear text that is stored");
    s.stop().await;
}

#[tokio::test]
async fn dead_tokens_are_purged_live_ones_kept() {
    let s = TestServer::start().await;
    let live = s.oauth_app(1, "user", 3600).await;
    let dead = s.oauth_app(1, "user", 0).await;
    // Rotate `dead`'s refresh token: the old pair is now unusable (access expired, refresh used).
    let url = format!(
        "{}/oauth/token/?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
        s.http, dead.client_id, dead.client_secret, dead.refresh_token
    );
    assert_eq!(s.get(&url).await.0, 200);
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM oauth_tokens").fetch_one(&pool(&s).await).await.unwrap();
    let n = imbotd::store::apps::purge_dead_tokens(&s.state.store, s.now()).await.unwrap();
    assert_eq!(n, 1, "only the rotated, expired pair");
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM oauth_tokens").fetch_one(&pool(&s).await).await.unwrap();
    assert_eq!(after, before - 1);
    let ok = s.get(&format!("{}/rest/profile?auth={}", s.http, live.access_token)).await;
    assert_eq!(ok.0, 200, "{}", ok.2);
}

/// A second connection pool on the test server's database, for counting rows.
async fn pool(s: &TestServer) -> sqlx::AnyPool {
    s.db_pool().await
}
