//! The web chat's server side over plain HTTP: the page and its security headers, sign-in by password and by
//! one-time link, the session cookie and CSRF rules for REST calls, the read models (dialogs, people,
//! commands, bots, deliveries) and the live SSE stream. The browser itself is driven in `web_e2e.rs`.

mod bot_util;
mod common;

use bot_util::*;
use common::TestServer;
use serde_json::{json, Value};
use std::time::Duration;

/// A browser-like client: keeps the session cookie, sends the CSRF token.
struct Browser {
    base: String,
    client: reqwest::Client,
    csrf: String,
    cookie: String,
}

impl Browser {
    async fn login(s: &TestServer, login: &str, password: &str) -> Result<Browser, (u16, Value)> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let r = client
            .post(format!("{}/web/login", s.http))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let cookie = r.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        if status != 200 {
            return Err((status, body));
        }
        let token = cookie.split(';').next().unwrap().to_owned();
        Ok(Browser { base: s.http.clone(), client, csrf: body["csrf"].as_str().unwrap().to_owned(), cookie: token })
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(format!("{}{path}", self.base)).header("cookie", &self.cookie).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn rest(&self, method: &str, params: Value) -> (u16, Value) {
        self.rest_with(method, params, Some(&self.csrf.clone())).await
    }

    async fn rest_with(&self, method: &str, params: Value, csrf: Option<&str>) -> (u16, Value) {
        let mut req =
            self.client.post(format!("{}/rest/{method}", self.base)).header("cookie", &self.cookie).json(&params);
        if let Some(c) = csrf {
            req = req.header("X-Bitrix-Csrf-Token", c);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, csrf: bool) -> (u16, Value) {
        let mut req = self.client.post(format!("{}{path}", self.base)).header("cookie", &self.cookie);
        if csrf {
            req = req.header("X-Bitrix-Csrf-Token", &self.csrf);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

async fn passwd(s: &TestServer, user: i64, password: &str) {
    let hash = imbotd::domain::secret::hash_password(password).unwrap();
    assert!(imbotd::store::web::set_password(&s.state.store, imbotd::domain::UserId(user), Some(&hash)).await.unwrap());
}

#[tokio::test]
async fn the_page_and_assets_carry_strict_headers() {
    let s = server().await;
    let r = s.client.get(format!("{}/", s.http)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("/assets/app.js"), "the page loads the app");
    for (file, ct) in [("app.js", "text/javascript"), ("render.js", "text/javascript"), ("app.css", "text/css")] {
        let r = s.client.get(format!("{}/assets/{file}", s.http)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{file}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with(ct), "{file}");
    }
    assert_eq!(s.client.get(format!("{}/assets/../Cargo.toml", s.http)).send().await.unwrap().status(), 404);
    assert_eq!(s.client.get(format!("{}/assets/nope.js", s.http)).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn password_sign_in_session_and_logout() {
    let s = server().await;
    let ann = s
        .add_user_with(imbotd::store::users::NewUser {
            name: "Ann".into(),
            last_name: "Lee".into(),
            email: "Ann@Example.org".into(),
            language_id: "en".into(),
            ..Default::default()
        })
        .await;
    // No password yet: nobody can sign in as Ann, and the answer does not say whether she exists.
    let (st, body) = Browser::login(&s, &ann.to_string(), "whatever1").await.err().unwrap();
    assert_eq!((st, body["error"].as_str()), (401, Some("WRONG_LOGIN")));
    passwd(&s, ann, "s3cret-pass").await;
    assert_eq!(Browser::login(&s, "ann@example.org", "wrong-pass").await.err().unwrap().0, 401);
    assert_eq!(Browser::login(&s, "nobody@example.org", "s3cret-pass").await.err().unwrap().0, 401);
    let b = Browser::login(&s, "ann@example.org", "s3cret-pass").await.unwrap();
    let (st, me) = b.get("/web/session").await;
    assert_eq!(st, 200);
    assert_eq!(me["user"]["id"], ann);
    assert_eq!(me["user"]["name"], "Ann Lee");
    assert_eq!(me["csrf"], b.csrf.as_str());
    // The cookie's attributes.
    let r = reqwest::Client::new()
        .post(format!("{}/web/login", s.http))
        .json(&json!({"login": ann.to_string(), "password": "s3cret-pass"}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    // Garbage bodies are answered, not crashed on.
    let r = reqwest::Client::new().post(format!("{}/web/login", s.http)).body("login=x").send().await.unwrap();
    assert_eq!(r.status(), 400);

    // Logout needs the CSRF token; then the session is gone.
    assert_eq!(b.post("/web/logout", false).await.0, 403);
    assert_eq!(b.get("/web/session").await.0, 200);
    assert_eq!(b.post("/web/logout", true).await.0, 200);
    assert_eq!(b.get("/web/session").await.0, 401);
    assert_eq!(b.get("/web/api/dialogs").await.0, 401);
}

#[tokio::test]
async fn login_links_work_once() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await;
    let token = imbotd::store::web::new_login_link(&s.state.store, imbotd::domain::UserId(ann), 900, s.now())
        .await
        .unwrap()
        .unwrap();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client.get(format!("{}/login/{token}", s.http)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let me: Value = client
        .get(format!("{}/web/session", s.http))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["id"], ann);
    let again = client.get(format!("{}/login/{token}", s.http)).send().await.unwrap();
    assert_eq!(again.status(), 400, "a link works once");
    assert!(again.headers().get("set-cookie").is_none());
    // Bots and unknown users get no link.
    assert!(imbotd::store::web::new_login_link(&s.state.store, imbotd::domain::UserId(999), 900, s.now())
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn rest_over_the_session_needs_the_csrf_token_and_refuses_imbot() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await;
    let bob = s.add_user("Bob Ray").await;
    passwd(&s, ann, "s3cret-pass").await;
    let b = Browser::login(&s, &ann.to_string(), "s3cret-pass").await.unwrap();
    let (st, r) = b.rest("im.message.add", json!({"DIALOG_ID": bob, "MESSAGE": "hi Bob"})).await;
    assert_eq!(st, 200, "{r}");
    assert!(r["result"].as_i64().unwrap() > 0);
    let (st, r) = b.rest_with("im.message.add", json!({"DIALOG_ID": bob, "MESSAGE": "forged"}), None).await;
    assert_eq!((st, r["error"].as_str()), (401, Some("NO_AUTH_FOUND")), "{r}");
    let (st, _) = b.rest_with("im.message.add", json!({"DIALOG_ID": bob, "MESSAGE": "forged"}), Some("0123")).await;
    assert_eq!(st, 401);
    let (st, r) = b.rest("imbot.register", json!({"CODE": "x", "EVENT_HANDLER": "http://127.0.0.1:9/"})).await;
    assert_eq!((st, r["error"].as_str()), (403, Some("WRONG_AUTH_TYPE")), "{r}");
    assert_eq!(r["error_description"], "Access for this method not allowed by session authorization.");
    // The messenger's rules hold as for any caller: Ann cannot edit Bob's message.
    let bob_hook = s.webhook_for(bob, "im").await;
    let (_, _, sent) =
        s.post_json(&format!("{bob_hook}im.message.add"), &json!({"DIALOG_ID": ann, "MESSAGE": "yo"})).await;
    let (st, r) = b.rest("im.message.update", json!({"MESSAGE_ID": sent["result"], "MESSAGE": "mine now"})).await;
    assert_eq!(st, 403, "{r}");
    // A dead session is 401 even with the right token.
    b.post("/web/logout", true).await;
    assert_eq!(b.rest("im.message.add", json!({"DIALOG_ID": bob, "MESSAGE": "late"})).await.0, 401);
}

#[tokio::test]
async fn dialogs_people_and_commands() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await;
    let bob = s.add_user("Bob Ray").await;
    passwd(&s, ann, "s3cret-pass").await;
    let b = Browser::login(&s, &ann.to_string(), "s3cret-pass").await.unwrap();
    let bob_hook = s.webhook_for(bob, "im").await;
    for t in ["one", "two"] {
        s.post_json(&format!("{bob_hook}im.message.add"), &json!({"DIALOG_ID": ann, "MESSAGE": t})).await;
    }
    let (_, chat) = b.rest("im.chat.add", json!({"TITLE": "Team", "USERS": [bob]})).await;
    let chat_id = chat["result"].as_i64().unwrap();
    let (st, list) = b.get("/web/api/dialogs").await;
    assert_eq!(st, 200);
    let list = list.as_array().unwrap().clone();
    let private = list.iter().find(|d| d["dialog_id"] == json!(bob.to_string())).expect("the dialog with Bob");
    assert_eq!(private["type"], "private");
    assert_eq!(private["title"], "Bob Ray");
    assert_eq!(private["counter"], 2);
    assert_eq!(private["last_message"]["text"], "two");
    let team = list.iter().find(|d| d["dialog_id"] == format!("chat{chat_id}")).expect("the chat");
    assert_eq!((team["type"].as_str(), team["title"].as_str()), (Some("chat"), Some("Team")));
    // Reading clears the counter.
    b.rest("im.dialog.read", json!({"DIALOG_ID": bob})).await;
    let (_, list) = b.get("/web/api/dialogs").await;
    assert_eq!(
        list.as_array().unwrap().iter().find(|d| d["dialog_id"] == json!(bob.to_string())).unwrap()["counter"],
        0
    );

    // People: everyone else, bots included.
    let h = Handler::start().await;
    let api = Api::webhook(&s, 1, "echoapp").await;
    let bot = api.register(&s, "echo", "B", &h.url("/bot")).await;
    let (_, people) = b.get("/web/api/people").await;
    let ids: Vec<i64> = people.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&bob) && ids.contains(&bot) && ids.contains(&1) && !ids.contains(&ann), "{people}");
    assert_eq!(people.as_array().unwrap().iter().find(|p| p["id"] == bot).unwrap()["bot"], true);

    // Commands: a private command shows only in the bot's dialog; HIDDEN never; COMMON everywhere.
    let lang = json!([{"LANGUAGE_ID": "en", "TITLE": "Echo", "PARAMS": "text"}, {"LANGUAGE_ID": "de", "TITLE": "Echo DE", "PARAMS": "Text"}]);
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({"LANG": lang})).await;
    api.command(&s, bot, "secret", &h.url("/cmd"), json!({"HIDDEN": "Y", "LANG": lang})).await;
    api.command(
        &s,
        bot,
        "help",
        &h.url("/cmd"),
        json!({"COMMON": "Y", "LANG": [{"LANGUAGE_ID": "de", "TITLE": "Hilfe", "PARAMS": ""}]}),
    )
    .await;
    let names = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|c| c["command"].as_str().unwrap().to_owned()).collect()
    };
    let (st, in_bot) = b.get(&format!("/web/api/commands?dialog_id={bot}")).await;
    assert_eq!(st, 200, "{in_bot}");
    assert_eq!(names(&in_bot), ["echo", "help"]);
    let echo = &in_bot[0];
    assert_eq!(
        (echo["title"].as_str(), echo["params"].as_str(), echo["bot_id"].as_i64()),
        (Some("Echo"), Some("text"), Some(bot))
    );
    assert_eq!(in_bot[1]["title"], "Hilfe", "falls back to the only translation");
    let (_, in_bob) = b.get(&format!("/web/api/commands?dialog_id={bob}")).await;
    assert_eq!(names(&in_bob), ["help"]);
    let (st, _) = b.get("/web/api/commands?dialog_id=chat999999").await;
    assert_eq!(st, 403, "a chat Ann cannot read");
    assert_eq!(b.get("/web/api/commands?dialog_id=garbage").await.0, 400);
}

#[tokio::test]
async fn bots_page_and_delivery_log_for_the_owner() {
    logs();
    let s = TestServer::start_with(|c| {
        c.delivery_retry_schedule = vec![3600];
        c.delivery_jitter = 0.0;
    })
    .await;
    let ann = s.add_user("Ann Lee").await;
    let bob = s.add_user("Bob Ray").await;
    passwd(&s, ann, "s3cret-pass").await;
    passwd(&s, bob, "s3cret-pass").await;
    let h = Handler::start().await;
    h.set_status(500);
    let api = Api::webhook(&s, ann, "annapp").await;
    let bot = api.register(&s, "annbot", "B", &h.url("/bot")).await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let ann_b = Browser::login(&s, &ann.to_string(), "s3cret-pass").await.unwrap();
    ann_b.rest("im.message.add", json!({"DIALOG_ID": bot, "MESSAGE": "/echo hi"})).await;
    h.wait_event("ONIMCOMMANDADD").await;

    // The handler has answered; the attempt is recorded just after that (poll: on a loaded machine it may take
    // a moment).
    let until = std::time::Instant::now() + WAIT;
    let (card, handler) = loop {
        let (st, bots) = ann_b.get("/web/api/bots").await;
        assert_eq!(st, 200);
        let card = bots.as_array().unwrap().iter().find(|b| b["id"] == bot).expect("Ann's bot").clone();
        let handler =
            card["handlers"].as_array().unwrap().iter().find(|x| x["url"] == h.url("/cmd")).expect("status").clone();
        if handler["last_error"].is_string() || std::time::Instant::now() > until {
            break (card, handler);
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    };
    assert_eq!(card["commands"][0]["command"], "echo");
    assert_eq!(handler["pending"], 1);
    assert!(handler["last_error"].as_str().unwrap().contains("500"), "{handler}");
    assert!(handler["failing_since"].is_string(), "{handler}");

    let (_, rows) = ann_b.get(&format!("/web/api/deliveries?bot_id={bot}")).await;
    let row = rows.as_array().unwrap().iter().find(|r| r["event"] == "ONIMCOMMANDADD").expect("logged").clone();
    assert_eq!(row["status"], "pending");
    let id = row["id"].as_i64().unwrap();
    let (_, detail) = ann_b.get(&format!("/web/api/deliveries/{id}")).await;
    assert_eq!(detail["attempts_log"][0]["status"], 500);
    assert!(detail["data"]["COMMAND"].is_object(), "{detail}");

    // Bob does not own the bot: nothing to see, nothing to resend.
    let bob_b = Browser::login(&s, &bob.to_string(), "s3cret-pass").await.unwrap();
    assert!(bob_b.get("/web/api/bots").await.1.as_array().unwrap().is_empty());
    assert_eq!(bob_b.get(&format!("/web/api/deliveries?bot_id={bot}")).await.0, 404);
    assert_eq!(bob_b.get(&format!("/web/api/deliveries/{id}")).await.0, 404);
    assert_eq!(bob_b.post(&format!("/web/api/deliveries/{id}/resend"), true).await.0, 404);

    // Resend (with CSRF) after the handler recovers: delivered at once.
    h.set_status(200);
    assert_eq!(ann_b.post(&format!("/web/api/deliveries/{id}/resend"), false).await.0, 403);
    assert_eq!(ann_b.post(&format!("/web/api/deliveries/{id}/resend"), true).await.0, 200);
    h.wait_event_nth("ONIMCOMMANDADD", 2).await;
    for _ in 0..100 {
        if ann_b.get(&format!("/web/api/deliveries/{id}")).await.1["status"] == "delivered" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("not delivered after resend");
}

/// Read SSE events from a streaming response until `want` events named `name` arrived (or time runs out).
async fn sse_until(resp: &mut reqwest::Response, buf: &mut String, name: &str, want: usize) -> Vec<(String, Value)> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut ev = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    ev = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if !ev.is_empty() {
                got.push((ev, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
        }
        if got.iter().filter(|(e, _)| e == name).count() >= want {
            return got;
        }
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await;
        match chunk {
            Ok(Ok(Some(c))) => buf.push_str(&String::from_utf8_lossy(&c)),
            _ => panic!("expected {want} × {name}, got {got:?}"),
        }
    }
}

#[tokio::test]
async fn live_stream_shows_messages_likes_counters_and_typing_of_my_chats_only() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await;
    let bob = s.add_user("Bob Ray").await;
    let cy = s.add_user("Cy Dee").await;
    passwd(&s, ann, "s3cret-pass").await;
    let b = Browser::login(&s, &ann.to_string(), "s3cret-pass").await.unwrap();
    let mut resp = b.client.get(format!("{}/web/live", s.http)).header("cookie", &b.cookie).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut buf = String::new();

    let bob_hook = s.webhook_for(bob, "im").await;
    let cy_hook = s.webhook_for(cy, "im").await;
    // Not Ann's: Bob to Cy.
    s.post_json(&format!("{bob_hook}im.message.add"), &json!({"DIALOG_ID": cy, "MESSAGE": "private to Cy"})).await;
    let (_, _, sent) =
        s.post_json(&format!("{bob_hook}im.message.add"), &json!({"DIALOG_ID": ann, "MESSAGE": "[b]hi[/b] Ann"})).await;
    let id = sent["result"].as_i64().unwrap();
    let got = sse_until(&mut resp, &mut buf, "message", 1).await;
    let msgs: Vec<&Value> = got.iter().filter(|(e, _)| e == "message").map(|(_, d)| d).collect();
    assert_eq!(msgs.len(), 1, "only Ann's dialogs: {got:?}");
    assert_eq!(msgs[0]["dialog_id"], bob.to_string(), "the dialog as Ann sees it");
    assert_eq!(msgs[0]["message"]["id"], id);
    assert_eq!(msgs[0]["message"]["text"], "[b]hi[/b] Ann");
    assert_eq!(msgs[0]["user"]["name"], "Bob Ray");
    let got =
        if got.iter().any(|(e, _)| e == "counter") { got } else { sse_until(&mut resp, &mut buf, "counter", 1).await };
    let counter = got.iter().find(|(e, _)| e == "counter").unwrap();
    assert_eq!(counter.1["counter"], 1);

    // Edit, like, typing, delete.
    s.post_json(&format!("{bob_hook}im.message.update"), &json!({"MESSAGE_ID": id, "MESSAGE": "edited"})).await;
    let got = sse_until(&mut resp, &mut buf, "message_update", 1).await;
    assert_eq!(got.iter().find(|(e, _)| e == "message_update").unwrap().1["message"]["text"], "edited");
    b.rest("im.message.like", json!({"MESSAGE_ID": id})).await;
    let got = sse_until(&mut resp, &mut buf, "like", 1).await;
    assert_eq!(got.iter().find(|(e, _)| e == "like").unwrap().1["likes"], json!([ann]));
    s.post_json(&format!("{bob_hook}im.dialog.writing"), &json!({"DIALOG_ID": ann})).await;
    let got = sse_until(&mut resp, &mut buf, "typing", 1).await;
    let t = &got.iter().find(|(e, _)| e == "typing").unwrap().1;
    assert_eq!((t["dialog_id"].as_str(), t["user_name"].as_str()), (Some(bob.to_string().as_str()), Some("Bob Ray")));
    s.post_json(&format!("{bob_hook}im.message.delete"), &json!({"MESSAGE_ID": id})).await;
    let got = sse_until(&mut resp, &mut buf, "message_delete", 1).await;
    assert_eq!(got.iter().find(|(e, _)| e == "message_delete").unwrap().1["message_id"], id);

    // Added to a chat: a `dialog` event, then that chat's messages.
    let (_, _, chat) = s.post_json(&format!("{cy_hook}im.chat.add"), &json!({"TITLE": "Ops", "USERS": [ann]})).await;
    let chat_id = chat["result"].as_i64().unwrap();
    s.post_json(&format!("{cy_hook}im.message.add"), &json!({"DIALOG_ID": format!("chat{chat_id}"), "MESSAGE": "ops"}))
        .await;
    // The join notice (a system message, author 0) and Cy's message.
    let got = sse_until(&mut resp, &mut buf, "message", 2).await;
    assert!(got.iter().any(|(e, d)| e == "dialog" && d["dialog_id"] == format!("chat{chat_id}")), "{got:?}");
    let texts: Vec<&Value> = got.iter().filter(|(e, _)| e == "message").map(|(_, d)| &d["message"]["text"]).collect();
    assert_eq!(texts.len(), 2, "{got:?}");
    assert_eq!(texts[1], &json!("ops"));
}

#[tokio::test]
async fn live_stream_resumes_after_last_event_id() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await;
    let bob = s.add_user("Bob Ray").await;
    passwd(&s, ann, "s3cret-pass").await;
    let b = Browser::login(&s, &ann.to_string(), "s3cret-pass").await.unwrap();
    let bob_hook = s.webhook_for(bob, "im").await;
    s.post_json(&format!("{bob_hook}im.message.add"), &json!({"DIALOG_ID": ann, "MESSAGE": "before"})).await;
    let seq = imbotd::store::feed::head(&s.state.store).await.unwrap();
    // While the page was away:
    s.post_json(&format!("{bob_hook}im.message.add"), &json!({"DIALOG_ID": ann, "MESSAGE": "missed"})).await;
    let mut resp = b
        .client
        .get(format!("{}/web/live", s.http))
        .header("cookie", &b.cookie)
        .header("last-event-id", seq.to_string())
        .send()
        .await
        .unwrap();
    let mut buf = String::new();
    let got = sse_until(&mut resp, &mut buf, "message", 1).await;
    let texts: Vec<&Value> = got.iter().filter(|(e, _)| e == "message").map(|(_, d)| &d["message"]["text"]).collect();
    assert_eq!(texts, [&json!("missed")]);
    let anon = reqwest::Client::new().get(format!("{}/web/live", s.http)).send().await.unwrap();
    assert_eq!(anon.status(), 401);
}

async fn cli(s: &TestServer, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use tokio::io::AsyncWriteExt;
    let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_imbotd"));
    for (k, _) in std::env::vars() {
        if k.starts_with("IMBOTD_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn").envs(s.db_env()).arg("--data-dir").arg(s.dir.path()).args(args);
    c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = c.spawn().expect("run imbotd");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    tokio::time::timeout(Duration::from_secs(30), child.wait_with_output()).await.expect("exits").expect("output")
}

#[tokio::test]
async fn cli_sets_passwords_and_prints_login_links() {
    let s = server().await;
    let ann = s.add_user("Ann Lee").await.to_string();
    let out = cli(&s, &["user", "passwd", &ann, "--password", "short"], None).await;
    assert!(!out.status.success(), "too short");
    let out = cli(&s, &["user", "passwd", &ann], Some("from-stdin-pw\n")).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let b = Browser::login(&s, &ann, "from-stdin-pw").await.expect("signs in");
    // A new password signs the user out everywhere.
    let out = cli(&s, &["user", "passwd", &ann, "--password", "another-pw"], None).await;
    assert!(out.status.success());
    assert_eq!(b.get("/web/session").await.0, 401);
    assert!(Browser::login(&s, &ann, "from-stdin-pw").await.is_err());
    assert!(Browser::login(&s, &ann, "another-pw").await.is_ok());
    assert!(!cli(&s, &["user", "passwd", "999", "--password", "whatever-pw"], None).await.status.success());

    let out = cli(&s, &["user", "login-link", &ann], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(url.contains("/login/"), "{url}");
    let path = &url[url.find("/login/").unwrap()..];
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_eq!(client.get(format!("{}{path}", s.http)).send().await.unwrap().status(), 303);
    assert!(!cli(&s, &["user", "login-link", "999"], None).await.status.success());
}
