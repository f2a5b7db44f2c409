//! The web chat end to end, in real headless Chromium driven through chromedriver (`web_util`): two people
//! chatting live (unread counter, typing indicator), a bot answering a slash command with an attachment and a
//! keyboard whose command button reaches the bot again, hostile content staying inert, the render.js self-test
//! page, and the Bots page with its delivery log and resend. Each test starts its own server.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian `chromium`, `chromium-driver`): without them
//! the tests fail. The chat screenshot goes to `target/web-e2e/chat.png`; with `IMBOTD_UPDATE_SCREENSHOT=1` it
//! also replaces `docs/images/web-chat.png`.

mod bot_util;
mod common;
mod web_util;

use bot_util::*;
use common::TestServer;
use fantoccini::key::Key;
use serde_json::{json, Value};
use std::path::Path;
use web_util::*;

const PASSWORD: &str = "s3cret-pass";

async fn passwd(s: &TestServer, user: i64) {
    let hash = imbotd::domain::secret::hash_password(PASSWORD).unwrap();
    assert!(imbotd::store::web::set_password(&s.state.store, imbotd::domain::UserId(user), Some(&hash)).await.unwrap());
}

/// A user with a password (and an e-mail to sign in with).
async fn user(s: &TestServer, first: &str, last: &str) -> i64 {
    let id = s
        .add_user_with(imbotd::store::users::NewUser {
            name: first.into(),
            last_name: last.into(),
            email: format!("{}@example.org", first.to_lowercase()),
            language_id: "en".into(),
            ..Default::default()
        })
        .await;
    passwd(s, id).await;
    id
}

fn enter() -> String {
    char::from(Key::Enter).to_string()
}

/// The id of the first message in the open dialog by `author` whose text contains `text`, waiting for it.
async fn message(p: &Page, author: i64, text: &str) -> i64 {
    let script = "const [author, text] = arguments;
        for (const m of document.querySelectorAll('[data-test=message-list] [data-test=message]'))
          if (m.dataset.authorId === String(author) && m.querySelector('[data-test=message-text]')?.textContent.includes(text))
            return m.dataset.messageId;
        return null;";
    let v = p.until(&format!("a message of {author} with {text:?}"), script, vec![json!(author), json!(text)]).await;
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("a message id: {v}"))
}

/// Open the private dialog with `user` the way a person does: New chat → "Message" next to them.
async fn open_private(p: &Page, user: i64) {
    p.click("[data-test=new-chat]").await;
    p.click(&format!(
        "#people-list li:has([data-test=new-chat-people][data-user-id=\"{user}\"]) [data-test=open-private]"
    ))
    .await;
    dialog_ready(p, &user.to_string()).await;
}

/// Wait until dialog `id` is the open one and its composer takes text.
async fn dialog_ready(p: &Page, id: &str) {
    p.until(
        &format!("dialog {id} to be open with an enabled composer"),
        "return location.hash === '#/dialog/' + arguments[0] && !document.querySelector('[data-test=composer]').disabled
           && !document.querySelector('[data-test=send]').disabled;",
        vec![json!(id)],
    )
    .await;
}

async fn open_from_list(p: &Page, id: &str) {
    p.click(&format!("[data-test=dialog-item][data-dialog-id=\"{id}\"]")).await;
    dialog_ready(p, id).await;
}

/// Wait until the unread counter of dialog `id` in the list shows `want` (`None`: hidden).
async fn wait_counter(p: &Page, id: &str, want: Option<&str>) {
    p.until(
        &format!("the unread counter of dialog {id} to be {want:?}"),
        "const [id, want] = arguments;
         const c = document.querySelector(`[data-test=dialog-item][data-dialog-id=\"${id}\"] [data-test=dialog-counter]`);
         return !!c && (want === null ? !c.checkVisibility() : c.checkVisibility() && c.textContent.trim() === want);",
        vec![json!(id), json!(want)],
    )
    .await;
}

async fn typing_text(p: &Page) -> String {
    p.js("return document.querySelector('[data-test=typing]').textContent.trim();", vec![])
        .await
        .as_str()
        .unwrap()
        .to_owned()
}

async fn assert_inert(p: &Page, when: &str) {
    let problems = p.executable_content().await;
    assert!(problems.is_empty(), "[{}] {when}: executable content in the page:\n{}", p.who, problems.join("\n"));
}

/// The single `data[COMMAND]` entry of an ONIMCOMMANDADD: (command id, entry).
fn command_entry(r: &Req) -> (i64, Value) {
    let (id, entry) = only_entry(&r.data()["COMMAND"]);
    (id.parse().unwrap(), entry)
}

#[tokio::test]
async fn two_people_chat_live() {
    let s = server().await;
    let ann = user(&s, "Ann", "Lee").await;
    let bob = user(&s, "Bob", "Ray").await;
    let base = s.http.clone();
    with_browsers(2, |b| async move {
        let (a, bb) = (Page::new(&b[0], &base, "Ann"), Page::new(&b[1], &base, "Bob"));
        a.sign_in(&ann.to_string(), PASSWORD).await;
        bb.sign_in("bob@example.org", PASSWORD).await;
        let (ann_d, bob_d) = (ann.to_string(), bob.to_string());

        // Ann starts the dialog with Bob and writes.
        open_private(&a, bob).await;
        assert_eq!(a.js("return document.getElementById('dialog-title').textContent;", vec![]).await, "Bob Ray");
        a.type_into("[data-test=composer]", "Hello Bob").await;
        a.click("[data-test=send]").await;
        message(&a, ann, "Hello Bob").await;
        assert_eq!(
            a.js("return document.querySelector('[data-test=composer]').value;", vec![]).await,
            "",
            "the composer empties after sending"
        );

        // Bob, without reloading, gets the dialog with an unread counter.
        bb.js("window.__sameDocument = true;", vec![]).await;
        wait_counter(&bb, &ann_d, Some("1")).await;
        open_from_list(&bb, &ann_d).await;
        message(&bb, ann, "Hello Bob").await;
        wait_counter(&bb, &ann_d, None).await;

        // Ann types: Bob sees it; she sends: Bob gets the message live and the indicator goes.
        a.type_into("[data-test=composer]", "How are you?").await;
        bb.until(
            "Ann's typing indicator",
            "return document.querySelector('[data-test=typing]').textContent.includes('Ann Lee');",
            vec![],
        )
        .await;
        a.type_into("[data-test=composer]", &enter()).await;
        message(&bb, ann, "How are you?").await;
        bb.until(
            "the typing indicator to clear",
            "return document.querySelector('[data-test=typing]').textContent.trim() === '';",
            vec![],
        )
        .await;

        // Bob answers; Ann sees him typing and then his message, live.
        a.js("window.__sameDocument = true;", vec![]).await;
        bb.type_into("[data-test=composer]", "Fine, thanks").await;
        a.until(
            "Bob's typing indicator",
            "return document.querySelector('[data-test=typing]').textContent.includes('Bob Ray');",
            vec![],
        )
        .await;
        assert!(typing_text(&a).await.contains("typing"), "{}", typing_text(&a).await);
        bb.type_into("[data-test=composer]", &enter()).await;
        message(&a, bob, "Fine, thanks").await;
        message(&bb, bob, "Fine, thanks").await;
        for p in [&a, &bb] {
            assert_eq!(p.js("return window.__sameDocument === true;", vec![]).await, true, "[{}] no reload", p.who);
            assert_eq!(p.error_banner().await, None, "[{}] no error", p.who);
        }
        // Ann has the dialog open: Bob's answer does not leave it unread.
        wait_counter(&a, &bob_d, None).await;
    })
    .await;
}

/// The rich answer of the echo bot: an attachment (MESSAGE, DELIMITER, GRID, LINK with a hostile NAME and an
/// HTML field) and a keyboard with a command button and a link button.
fn rich_answer(text: &str) -> Value {
    json!({
        "MESSAGE": format!("You said: [b]{text}[/b]"),
        "ATTACH": {
            "ID": 1, "COLOR_TOKEN": "primary",
            "BLOCKS": [
                {"MESSAGE": "Echo of your command, with [i]details[/i]:"},
                {"DELIMITER": {"SIZE": 200, "COLOR": "#c8c8c8"}},
                {"GRID": [
                    {"NAME": "Command", "VALUE": "/echo", "DISPLAY": "LINE", "WIDTH": 120},
                    {"NAME": "Parameters", "VALUE": text, "DISPLAY": "LINE", "WIDTH": 120},
                    {"NAME": "Status", "VALUE": "[b]delivered[/b]", "DISPLAY": "LINE", "WIDTH": 120},
                ]},
                {"LINK": {
                    "NAME": "<img src=x onerror=\"window.__pwned='link'\"> imbotd docs",
                    "DESC": "A link block: its NAME is shown as text",
                    "LINK": "https://example.org/docs",
                    "HTML": "<img src=x onerror=\"window.__pwned='html'\"><script>window.__pwned='html2'</script>",
                }},
            ],
        },
        "KEYBOARD": [
            {"TEXT": "Again", "COMMAND": "echo", "COMMAND_PARAMS": "again", "BG_COLOR_TOKEN": "primary"},
            {"TEXT": "Docs", "LINK": "https://example.org/docs"},
        ],
    })
}

#[tokio::test]
async fn a_bot_answers_a_command_with_attachment_and_keyboard() {
    let s = server().await;
    let ann = user(&s, "Ann", "Lee").await;
    let h = Handler::start().await;
    let api = Api::webhook(&s, 1, "echoapp").await;
    let bot = api.register(&s, "echo", "B", &h.url("/bot")).await;
    api.command(
        &s,
        bot,
        "echo",
        &h.url("/cmd"),
        json!({"LANG": [{"LANGUAGE_ID": "en", "TITLE": "Repeat what you say", "PARAMS": "text"}]}),
    )
    .await;
    let base = s.http.clone();
    let (s, h, api) = (&s, &h, &api);
    with_browsers(1, |b| async move {
        let a = Page::new(&b[0], &base, "Ann");
        a.sign_in(&ann.to_string(), PASSWORD).await;
        a.trap_dialogs().await;
        open_private(&a, bot).await;

        // The picker offers the bot's command after "/".
        a.type_into("[data-test=composer]", "/").await;
        a.shown("[data-test=command-picker]").await;
        let label = a.text("[data-test=command-picker] [data-test=command-option][data-command=echo]").await;
        assert!(label.contains("/echo") && label.contains("Repeat what you say"), "{label:?}");
        a.type_into("[data-test=composer]", "echo hi").await;
        a.gone("[data-test=command-picker]").await;
        a.type_into("[data-test=composer]", &enter()).await;
        let typed = message(&a, ann, "/echo hi").await;

        // The bot gets the command and answers with an attachment and a keyboard.
        let first = h.wait_event("ONIMCOMMANDADD").await;
        let (cmd, entry) = command_entry(&first);
        assert_eq!(entry["COMMAND"], "echo");
        assert_eq!(entry["COMMAND_PARAMS"], "hi");
        assert_eq!(entry["COMMAND_CONTEXT"], "TEXTAREA");
        assert_eq!(entry["MESSAGE_ID"], typed.to_string());
        let mut body = rich_answer("hi");
        body["COMMAND_ID"] = json!(cmd);
        body["MESSAGE_ID"] = json!(typed);
        let answer = api.ok(s, "imbot.command.answer", body).await.as_i64().expect("the answer's id");
        assert_eq!(message(&a, bot, "You said: hi").await, answer);

        let sel = format!("[data-test=message][data-message-id=\"{answer}\"]");
        let text = a.text(&format!("{sel} [data-test=attach]")).await;
        for part in ["Echo of your command", "Parameters", "delivered", "imbotd docs", "A link block"] {
            assert!(text.contains(part), "the attachment shows {part:?}: {text:?}");
        }
        let name = a
            .js(
                "return [...document.querySelectorAll(arguments[0] + ' [data-test=attach] a')].map((x) => x.textContent + ' → ' + x.getAttribute('href'));",
                vec![json!(sel)],
            )
            .await;
        assert!(
            name.to_string().contains("<img src=x onerror=") && name.to_string().contains("https://example.org/docs"),
            "the hostile link NAME shows as text on a link to its LINK: {name}"
        );
        let again = format!("{sel} [data-test=keyboard] [data-test=kb-button][data-command=echo]");
        assert_eq!(a.text(&again).await.trim(), "Again");
        let docs = format!("{sel} [data-test=keyboard] a[data-test=kb-button]");
        assert_eq!(a.attr(&docs, "href").await.as_deref(), Some("https://example.org/docs"));
        assert_eq!(a.text(&docs).await.trim(), "Docs");
        assert_inert(&a, "after the bot's rich answer").await;

        // The command button reaches the bot with the KEYBOARD context and the id of the bot's message.
        a.click(&again).await;
        let second = h.wait_event_nth("ONIMCOMMANDADD", 2).await;
        let (cmd2, entry) = command_entry(&second);
        assert_eq!(cmd2, cmd);
        assert_eq!(entry["COMMAND_CONTEXT"], "KEYBOARD");
        assert_eq!(entry["MESSAGE_ID"], answer.to_string());
        assert_eq!(entry["COMMAND_PARAMS"], "again");
        let reply = api
            .ok(s, "imbot.message.add", json!({"BOT_ID": bot, "DIALOG_ID": ann, "MESSAGE": "Echo again: [b]again[/b]"}))
            .await
            .as_i64()
            .unwrap();
        assert_eq!(message(&a, bot, "Echo again: again").await, reply);
        assert_eq!(a.error_banner().await, None);
        assert_inert(&a, "after the second answer").await;

        // The open dialog does not stay unread.
        wait_counter(&a, &bot.to_string(), None).await;

        // The screenshot shows the rich answer with its attachment and keyboard.
        let visible = a
            .js(
                "const r = (q) => document.querySelector(q).getBoundingClientRect();
                 const inside = (b) => b.top >= 0 && b.bottom <= innerHeight && b.height > 0;
                 return inside(r(arguments[0] + ' [data-test=attach]')) && inside(r(arguments[0] + ' [data-test=keyboard]'));",
                vec![json!(sel)],
            )
            .await;
        assert_eq!(visible, true, "the attachment and keyboard are in the viewport");
        let png = a.screenshot().await;
        std::fs::write(out_dir().join("chat.png"), &png).unwrap();
        if std::env::var("IMBOTD_UPDATE_SCREENSHOT").as_deref() == Ok("1") {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/images");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(docs.join("web-chat.png"), &png).unwrap();
        }
    })
    .await;
}

const PWN_IMG: &str = "<img src=x onerror=\"window.__pwned='img'\">";

/// Texts a person can send: HTML, script, and BB-code trying to smuggle URLs and attributes.
fn hostile_texts(round: &str) -> Vec<String> {
    [
        format!("{round} {PWN_IMG} img"),
        format!("{round} <script>window.__pwned='script'</script> script"),
        format!("{round} [url=javascript:window.__pwned='url']click me[/url] and [URL=JavaScript:alert(1)]upper[/URL]"),
        format!("{round} [b onmouseover=\"window.__pwned='b'\"]hover[/b] [i style=\"background:url(javascript:alert(1))\"]i[/i]"),
        format!("{round} [url=https://example.org/\" onclick=\"window.__pwned='attr']quoted[/url] [url]javascript:alert(1)[/url]"),
        format!("{round} [url=data:text/html,<script>alert(1)</script>]data[/url] <a href=\"javascript:alert(1)\">a</a>"),
        format!("{round} [color=red\" onmouseover=\"alert(1)]c[/color] [size=12\" onclick=\"alert(1)]s[/size] [user=1 onclick=alert(1)]u[/user]"),
        format!("{round} [img]javascript:alert(1)[/img] [icon=javascript:alert(1) size=20] [send=x\" onclick=\"alert(1)]send[/send]"),
        format!("{round} <svg onload=\"window.__pwned='svg'\"></svg> <iframe src=\"javascript:alert(1)\"></iframe> &lt;b&gt;"),
    ]
    .into_iter()
    .collect()
}

/// A bot message with hostile attachment blocks, keyboard and menu (links that pass the server's check but
/// carry quotes and markup, a keyboard LINK `javascript:` the server drops, LINK.HTML, hostile names).
fn hostile_rich(round: &str) -> Value {
    json!({
        "MESSAGE": format!("{round} rich {PWN_IMG}"),
        "ATTACH": [{"ID": 7, "COLOR": "#ff0000\" onmouseover=\"alert(1)", "BLOCKS": [
            {"MESSAGE": "[url=javascript:alert(1)]attach url[/url] <script>window.__pwned='attach'</script>"},
            {"LINK": {"NAME": PWN_IMG, "LINK": "https://example.org/\" onmouseover=\"window.__pwned='href'",
                      "HTML": "<img src=x onerror=\"window.__pwned='html'\">", "DESC": "<b onclick=alert(1)>desc</b>",
                      "PREVIEW": "javascript:alert(1)"}},
            {"LINK": {"NAME": "relative", "LINK": "/\"><img src=x onerror=alert(1)>"}},
            {"USER": {"NAME": "<script>window.__pwned='user'</script>", "AVATAR": "javascript:alert(1)", "LINK": "javascript:alert(1)"}},
            {"GRID": [{"NAME": PWN_IMG, "VALUE": "[url=javascript:alert(1)]grid[/url]", "DISPLAY": "LINE", "LINK": "javascript:alert(1)",
                       "COLOR": "red;background:url(javascript:alert(1))"}]},
            {"IMAGE": [{"NAME": PWN_IMG, "LINK": "https://example.org/i.png\" onerror=\"window.__pwned='image'", "PREVIEW": "javascript:alert(1)"}]},
            {"FILE": [{"NAME": "<img src=x onerror=alert(1)>.txt", "LINK": "https://example.org/f.txt", "SIZE": 10}]},
            {"DELIMITER": {"SIZE": "200px\" onclick=\"alert(1)", "COLOR": "javascript:alert(1)"}},
        ]}],
        "KEYBOARD": [
            {"TEXT": "js link", "LINK": "javascript:window.__pwned='kb'"},
            {"TEXT": PWN_IMG, "COMMAND": "echo", "COMMAND_PARAMS": "<script>alert(1)</script>", "BG_COLOR": "#fff\" onclick=\"alert(1)"},
            {"TEXT": "quoted link", "LINK": "https://example.org/\" onclick=\"window.__pwned='kb2'"},
            {"TEXT": "put", "ACTION": "PUT", "ACTION_VALUE": "<img src=x onerror=alert(1)>"},
            {"TEXT": "fn", "FUNCTION": "alert(1)"},
        ],
        "MENU": [
            {"TEXT": "menu js", "LINK": "javascript:window.__pwned='menu'"},
            {"TEXT": PWN_IMG, "ACTION": "SEND", "ACTION_VALUE": "x"},
            {"TEXT": "menu link", "LINK": "https://example.org/\"><script>alert(1)</script>"},
        ],
    })
}

/// Fire the mouse and focus events hostile attributes would hang on, on everything in the message list.
async fn poke(p: &Page) {
    p.js(
        "for (const el of document.querySelectorAll('[data-test=message-list] *, [data-test=dialog-list] *'))
           for (const t of ['mouseover', 'mouseenter', 'focus'])
             el.dispatchEvent(new Event(t, {bubbles: true}));",
        vec![],
    )
    .await;
}

#[tokio::test]
async fn hostile_content_stays_inert() {
    let s = server().await;
    let ann = user(&s, "Ann", "Lee").await;
    let bob = person(&s, "Bob Ray").await;
    let eve = s
        .add_user_with(imbotd::store::users::NewUser {
            name: PWN_IMG.into(),
            last_name: "<script>window.__pwned='name'</script>Eve".into(),
            language_id: "en".into(),
            ..Default::default()
        })
        .await;
    let eve_hook = s.webhook_for(eve, "im").await;
    let h = Handler::start().await;
    let api = Api::webhook(&s, 1, "hostile").await;
    let bot = api
        .ok(
            &s,
            "imbot.register",
            json!({"CODE": "evil", "TYPE": "B", "EVENT_HANDLER": h.url("/bot"),
                   "PROPERTIES": {"NAME": format!("{PWN_IMG} Evil"), "LAST_NAME": "<script>alert(1)</script>",
                                  "WORK_POSITION": "<b onmouseover=alert(1)>x</b>"}}),
        )
        .await
        .as_i64()
        .unwrap();
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;

    // History: what is there before Ann signs in.
    for t in hostile_texts("old") {
        bob.send(&s, ann, &t).await;
    }
    let bot_old = api.ok(&s, "imbot.message.add", {
        let mut m = hostile_rich("old");
        m["BOT_ID"] = json!(bot);
        m["DIALOG_ID"] = json!(ann);
        m
    });
    let bot_old = bot_old.await.as_i64().unwrap();
    let chat = bob
        .ok(
            &s,
            "im.chat.add",
            json!({"TITLE": format!("{PWN_IMG}<script>window.__pwned='title'</script>"), "USERS": [ann, eve],
                   "DESCRIPTION": PWN_IMG}),
        )
        .await
        .as_i64()
        .unwrap();
    bob.send(&s, format!("chat{chat}"), &format!("in chat {PWN_IMG}")).await;

    let base = s.http.clone();
    let (s, bob, api) = (&s, &bob, &api);
    with_browsers(1, |b| async move {
        let a = Page::new(&b[0], &base, "Ann");
        a.sign_in(&ann.to_string(), PASSWORD).await;
        a.trap_dialogs().await;
        a.shown(&format!("[data-test=dialog-item][data-dialog-id=\"chat{chat}\"]")).await;
        a.shown(&format!("[data-test=dialog-item][data-dialog-id=\"{bot}\"]")).await;
        poke(&a).await;
        assert_inert(&a, "the dialog list").await;

        // Bob's dialog: history, then the same again live.
        open_from_list(&a, &bob.id.to_string()).await;
        let img = message(&a, bob.id, "old <img src=x onerror=").await;
        message(&a, bob.id, "old <script>window.__pwned='script'</script> script").await;
        message(&a, bob.id, "old <svg onload=").await;
        poke(&a).await;
        assert_inert(&a, "Bob's hostile history").await;
        for t in hostile_texts("live") {
            bob.send(s, ann, &t).await;
        }
        message(&a, bob.id, "live <img src=x onerror=").await;
        message(&a, bob.id, "live <svg onload=").await;
        poke(&a).await;
        assert_inert(&a, "Bob's hostile messages arriving live").await;
        let shown = a
            .js(
                "return document.querySelector(`[data-message-id=\"${arguments[0]}\"] [data-test=message-text]`).textContent;",
                vec![json!(img)],
            )
            .await;
        assert!(shown.as_str().unwrap().contains(PWN_IMG), "HTML shows as text: {shown}");

        // The bot's dialog: attachment, keyboard and menu; then another rich message live.
        open_from_list(&a, &bot.to_string()).await;
        a.shown(&format!("[data-test=message][data-message-id=\"{bot_old}\"] [data-test=attach]")).await;
        a.shown(&format!("[data-test=message][data-message-id=\"{bot_old}\"] [data-test=keyboard]")).await;
        a.click(&format!("[data-test=message][data-message-id=\"{bot_old}\"] [data-test=menu-button]")).await;
        a.shown(&format!("[data-test=message][data-message-id=\"{bot_old}\"] [data-test=menu-item]")).await;
        poke(&a).await;
        assert_inert(&a, "the bot's hostile attachment, keyboard and menu").await;
        let mut m = hostile_rich("live");
        m["BOT_ID"] = json!(bot);
        m["DIALOG_ID"] = json!(ann);
        let bot_live = api.ok(s, "imbot.message.add", m).await.as_i64().unwrap();
        assert_eq!(message(&a, bot, "live rich").await, bot_live);
        a.shown(&format!("[data-test=message][data-message-id=\"{bot_live}\"] [data-test=attach]")).await;
        poke(&a).await;
        assert_inert(&a, "the bot's hostile message arriving live").await;

        // The chat with a hostile title, where someone with a hostile name types.
        open_from_list(&a, &format!("chat{chat}")).await;
        message(&a, bob.id, "in chat").await;
        s.post_json(&format!("{eve_hook}im.dialog.writing"), &json!({"DIALOG_ID": format!("chat{chat}")})).await;
        a.until("Eve's typing indicator", "return document.querySelector('[data-test=typing]').textContent.includes('Eve');", vec![])
            .await;
        assert!(typing_text(&a).await.contains("<img src=x"), "the name shows as text: {}", typing_text(&a).await);
        poke(&a).await;
        assert_inert(&a, "a chat with a hostile title and a hostile typist").await;
        let title = a.js("return document.getElementById('dialog-title').textContent;", vec![]).await;
        assert!(title.as_str().unwrap().contains("<script>"), "the title shows as text: {title}");

        // After a reload (everything from history), still inert.
        a.c.refresh().await.unwrap();
        a.shown("[data-test=dialog-list]").await;
        a.trap_dialogs().await;
        dialog_ready(&a, &format!("chat{chat}")).await;
        open_from_list(&a, &bot.to_string()).await;
        message(&a, bot, "live rich").await;
        poke(&a).await;
        assert_inert(&a, "after a reload").await;
    })
    .await;
}

#[tokio::test]
async fn a_v2_bot_switches_the_input_field_off_and_on() {
    let s = server().await;
    let ann = user(&s, "Ann", "Lee").await;
    let api = Api::oauth(&s, 1).await;
    let bot = api
        .ok(&s, "imbot.v2.Bot.register", json!({"fields": {"code": "buttons", "properties": {"name": "Buttons"}}}))
        .await["bot"]["id"]
        .as_i64()
        .unwrap();
    let base = s.http.clone();
    let (s, api) = (&s, &api);
    with_browsers(1, |b| async move {
        let a = Page::new(&b[0], &base, "Ann");
        a.sign_in(&ann.to_string(), PASSWORD).await;
        open_private(&a, bot).await;
        a.type_into("[data-test=composer]", "hello").await;
        a.type_into("[data-test=composer]", &enter()).await;
        message(&a, ann, "hello").await;
        let field = |on: bool| json!({"botId": bot, "dialogId": ann.to_string(), "enabled": on});
        api.ok(s, "imbot.v2.Chat.TextField.enabled", field(false)).await;
        a.until(
            "the composer to be switched off by the bot",
            "const c = document.querySelector('[data-test=composer]');
             return c.disabled && document.querySelector('[data-test=send]').disabled
               && c.placeholder.includes('buttons');",
            vec![],
        )
        .await;
        api.ok(s, "imbot.v2.Chat.TextField.enabled", field(true)).await;
        dialog_ready(&a, &bot.to_string()).await;
    })
    .await;
}

#[tokio::test]
async fn render_selftest_page_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let (base, task) = static_server(dir).await;
    with_browsers(1, |b| async move {
        let p = Page::new(&b[0], &base, "selftest");
        p.c.goto(&format!("{base}/render-selftest.html")).await.unwrap();
        let result = p
            .until(
                "render-selftest to finish",
                "const r = document.body && document.body.dataset.result; return r && r !== 'running' ? r : null;",
                vec![],
            )
            .await;
        if result != "pass" {
            let failures = p
                .js("return (document.getElementById('summary')?.textContent || '') + '\\n' + (document.getElementById('failures')?.textContent || '');", vec![])
                .await;
            panic!("render-selftest.html: {result}\n{}", failures.as_str().unwrap_or_default());
        }
    })
    .await;
    task.abort();
}

#[tokio::test]
async fn bots_page_shows_deliveries_and_resends() {
    let s = server().await;
    let ann = user(&s, "Ann", "Lee").await;
    let h = Handler::start().await;
    let api = Api::webhook(&s, ann, "annapp").await;
    let bot = api.register(&s, "annbot", "B", &h.url("/bot")).await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let base = s.http.clone();
    let (s, h) = (&s, &h);
    with_browsers(1, |b| async move {
        let a = Page::new(&b[0], &base, "Ann");
        a.sign_in(&ann.to_string(), PASSWORD).await;
        open_private(&a, bot).await;
        // This time the command is chosen in the picker.
        a.type_into("[data-test=composer]", "/ec").await;
        a.click("[data-test=command-option][data-command=echo]").await;
        assert_eq!(a.js("return document.querySelector('[data-test=composer]').value;", vec![]).await, "/echo ");
        a.type_into("[data-test=composer]", "hi").await;
        a.click("[data-test=send]").await;
        let sent = message(&a, ann, "/echo hi").await;
        let first = h.wait_event("ONIMCOMMANDADD").await;
        assert_eq!(command_entry(&first).1["MESSAGE_ID"], sent.to_string());
        drained(s).await;

        a.click("[data-test=nav-bots]").await;
        let card = format!("[data-test=bot-card][data-bot-id=\"{bot}\"]");
        let text = a.text(&card).await;
        assert!(text.contains("Bot annbot") && text.contains("/echo"), "the card names the bot and its command: {text:?}");
        let row = a
            .until(
                "a delivered ONIMCOMMANDADD row",
                "for (const r of document.querySelectorAll(arguments[0] + ' [data-test=delivery-row]'))
                   if (r.textContent.includes('ONIMCOMMANDADD') && r.textContent.includes('delivered')) return r.dataset.deliveryId;
                 return null;",
                vec![json!(card)],
            )
            .await;
        let row = row.as_str().unwrap().to_owned();
        a.click(&format!("{card} [data-test=delivery-row][data-delivery-id=\"{row}\"] [data-test=resend]")).await;
        let again = h.wait_event_nth("ONIMCOMMANDADD", 2).await;
        let (e1, e2) = (command_entry(&first), command_entry(&again));
        assert_eq!(e1.0, e2.0, "the same command");
        for k in ["MESSAGE_ID", "COMMAND", "COMMAND_PARAMS", "COMMAND_CONTEXT", "BOT_ID"] {
            assert_eq!(e1.1[k], e2.1[k], "the same event again: {k}");
        }
        assert_eq!(again.data()["PARAMS"], first.data()["PARAMS"], "the same message");
        assert_eq!(a.error_banner().await, None);
    })
    .await;
}
