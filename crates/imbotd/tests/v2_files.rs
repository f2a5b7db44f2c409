//! The v2 file methods end to end (docs/v2.md §3.6, §3.7, docs/compat.md "Files"): `imbot.v2.File.upload` /
//! `.download` as an OAuth bot and as a webhook + botToken bot, `im.v2.File.upload` / `.download` as a user
//! (webhook and OAuth), the one-time `GET /rest/download.json?token=…` links, the message that carries the
//! file (`params.FILE_ID`, `im.dialog.messages.get`'s `files`, a bot's ONIMBOTV2MESSAGEADD), every refusal
//! with its code and status, the upload body limit (`max_upload_bytes`, `[files] max_size`), and a file that
//! survives a restart.

mod bot_util;
mod common;

use base64::Engine as _;
use bot_util::*;
use common::{assert_error, raw_http, TestServer};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The keys of the detailed File form (im.v2.File.upload, im.dialog.messages.get `files`), in order.
const DETAILED_FILE_KEYS: [&str; 20] = [
    "id",
    "chatId",
    "date",
    "type",
    "name",
    "extension",
    "size",
    "image",
    "status",
    "progress",
    "authorId",
    "authorName",
    "urlPreview",
    "urlShow",
    "urlDownload",
    "viewerAttrs",
    "mediaUrl",
    "isTranscribable",
    "isVideoNote",
    "isVoiceNote",
];

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Every byte value, a few times over: what a text-only path would mangle.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

/// A 72×61 PNG header (enough for the type and the dimensions).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x48\0\0\0\x3d\x08\x06\0\0\0\0\0\0\0";

/// A fetch-mode v2 bot of `api`; returns its id.
async fn v2_bot(s: &TestServer, api: &Api, code: &str) -> i64 {
    let fields = json!({"fields": {"code": code, "properties": {"name": format!("Bot {code}")}}});
    let r = api.ok(s, "imbot.v2.Bot.register", fields).await;
    r["bot"]["id"].as_i64().unwrap()
}

/// An OAuth app's v2 bot `code` in a group chat with Anna: (server, app, bot, Anna, chat).
async fn bot_in_chat(code: &str) -> (TestServer, Api, i64, Person, i64) {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, code).await;
    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[bot]).await;
    (s, api, bot, anna, chat)
}

/// `imbot.v2.File.upload` by `bot` into group chat `chat` with `fields`; returns the result.
async fn upload_to_chat(s: &TestServer, api: &Api, bot: i64, chat: i64, fields: Value) -> Value {
    api.ok(s, "imbot.v2.File.upload", json!({"botId": bot, "dialogId": format!("chat{chat}"), "fields": fields})).await
}

/// A fresh download link for `file`, asked by `bot`.
async fn download_link(s: &TestServer, api: &Api, bot: i64, file: i64) -> String {
    let link = api.ok(s, "imbot.v2.File.download", json!({"botId": bot, "fileId": file})).await;
    link["downloadUrl"].as_str().expect("downloadUrl").to_owned()
}

/// GET a download link: (status, headers, body bytes).
async fn fetch(s: &TestServer, url: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = s.client.get(url).send().await.expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.expect("body").to_vec())
}

/// A download link answered with an error: parsed like a REST error.
async fn fetch_error(s: &TestServer, url: &str) -> Resp {
    s.get(url).await
}

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Contents under the files directory (what a refused upload must not leave behind).
fn stored_files(s: &TestServer) -> usize {
    let root = s.dir.path().join("files");
    let Ok(shards) = std::fs::read_dir(root) else { return 0 };
    shards.flatten().filter_map(|d| std::fs::read_dir(d.path()).ok()).map(|e| e.count()).sum()
}

#[tokio::test]
async fn an_oauth_bot_uploads_into_a_chat_and_the_link_works_once() {
    let (s, api, bot, anna, chat) = bot_in_chat("filebot").await;
    let content = binary(3000);
    let fields = json!({"name": "Report.PDF", "content": b64(&content), "message": "Here is the report"});
    let up = upload_to_chat(&s, &api, bot, chat, fields).await;
    // The documented answer: the brief File form.
    assert_eq!(keys(&up), ["file", "messageId", "chatId", "dialogId"]);
    assert_eq!(keys(&up["file"]), ["id", "chatId", "name", "extension", "size"]);
    let file = up["file"]["id"].as_i64().unwrap();
    assert_eq!(up["file"], json!({"id": file, "chatId": chat, "name": "Report.PDF", "extension": "pdf", "size": 3000}));
    assert_eq!((up["chatId"].as_i64(), up["dialogId"].as_str()), (Some(chat), Some(format!("chat{chat}").as_str())));
    let message = up["messageId"].as_i64().unwrap();

    // The message is the bot's, in history with the file.
    let history = anna.ok(&s, "im.dialog.messages.get", json!({"DIALOG_ID": format!("chat{chat}")})).await;
    let m = history["messages"].as_array().unwrap().iter().find(|m| m["id"] == message).expect("the message").clone();
    assert_eq!((m["author_id"].as_i64(), m["text"].as_str()), (Some(bot), Some("Here is the report")));
    assert_eq!(m["params"]["FILE_ID"], json!([file]));
    let files = history["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{history}");
    assert_eq!(keys(&files[0]), DETAILED_FILE_KEYS);
    assert_eq!((files[0]["id"].as_i64(), files[0]["type"].as_str()), (Some(file), Some("file")));
    assert_eq!((files[0]["authorId"].as_i64(), files[0]["authorName"].as_str()), (Some(bot), Some("Bot filebot")));
    assert_eq!(files[0]["urlDownload"], "", "reading history hands out no links");

    // A one-time link, on imbotd's own REST base; dialogId is accepted and ignored.
    let link =
        api.ok(&s, "imbot.v2.File.download", json!({"botId": bot, "fileId": file, "dialogId": "chat999999"})).await;
    assert_eq!(keys(&link), ["downloadUrl"]);
    let url = link["downloadUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/rest/download.json?token=imbot%7C", s.https)), "{url}");
    let (status, headers, body) = fetch(&s, &url).await;
    assert_eq!(status, 200);
    assert_eq!(body, content);
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert_eq!(header(&headers, "content-length"), "3000");
    assert_eq!(
        header(&headers, "content-disposition"),
        "attachment; filename=\"Report.PDF\"; filename*=UTF-8''Report.PDF"
    );
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    // Spent: the same link again is refused; a new link works.
    let again = fetch_error(&s, &url).await;
    assert_error(&again, 404, "FILE_NOT_FOUND");
    let url2 = download_link(&s, &api, bot, file).await;
    assert_ne!(url2, url);
    assert_eq!(fetch(&s, &url2).await.2, content);
    // An unused link expires after [files] download_ttl (an hour).
    let url3 = download_link(&s, &api, bot, file).await;
    s.clock.advance(Duration::from_secs(3601));
    assert_error(&fetch_error(&s, &url3).await, 404, "FILE_NOT_FOUND");
}

#[tokio::test]
async fn a_webhook_bot_with_bot_token_uploads_into_a_private_dialog() {
    let s = server().await;
    let hook = s.webhook_for(1, "im,imbot").await;
    let call = |m: &str, b: Value| {
        let (s, url) = (&s, format!("{hook}{m}"));
        async move { s.post_json(&url, &b).await }
    };
    let reg = call(
        "imbot.v2.Bot.register",
        json!({"fields": {"code": "hookfiles", "botToken": "tok-1", "properties": {"name": "Hook"}}}),
    )
    .await;
    assert_eq!(reg.0, 200, "{}", reg.2);
    let bot = reg.2["result"]["bot"]["id"].as_i64().unwrap();
    let bob = person(&s, "Bob Stone").await;
    let text = "name,total\nacme,42\n";
    let body = json!({"botId": bot, "botToken": "tok-1", "dialogId": bob.id.to_string(),
                      "fields": {"name": "totals.csv", "content": b64(text.as_bytes())}});
    // The controller checks come first.
    let mut no_token = body.clone();
    no_token.as_object_mut().unwrap().remove("botToken");
    assert_error(&call("imbot.v2.File.upload", no_token).await, 400, "BOT_TOKEN_NOT_SPECIFIED");
    let mut wrong = body.clone();
    wrong["botToken"] = json!("tok-2");
    assert_error(&call("imbot.v2.File.upload", wrong).await, 400, "BOT_OWNERSHIP_ERROR");
    let mut no_bot = body.clone();
    no_bot.as_object_mut().unwrap().remove("botId");
    assert_error(&call("imbot.v2.File.upload", no_bot).await, 400, "BOT_ID_REQUIRED");
    let mut unknown = body.clone();
    unknown["botId"] = json!(999999);
    assert_error(&call("imbot.v2.File.upload", unknown).await, 400, "BOT_NOT_FOUND");

    let r = call("imbot.v2.File.upload", body).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let up = &r.2["result"];
    assert_eq!(up["dialogId"], bob.id.to_string(), "the dialog as the bot sees it");
    let file = up["file"]["id"].as_i64().unwrap();
    // A file without text: the message has no text, only the file.
    let m = bob.message(&s, bot, up["messageId"].as_i64().unwrap()).await.expect("Bob sees it");
    assert_eq!((m["text"].as_str(), m["params"]["FILE_ID"].clone()), (Some(""), json!([file])));

    assert_error(
        &call("imbot.v2.File.download", json!({"botId": bot, "fileId": file})).await,
        400,
        "BOT_TOKEN_NOT_SPECIFIED",
    );
    let link = call("imbot.v2.File.download", json!({"botId": bot, "botToken": "tok-1", "fileId": file})).await;
    assert_eq!(link.0, 200, "{}", link.2);
    let (status, headers, got) = fetch(&s, link.2["result"]["downloadUrl"].as_str().unwrap()).await;
    assert_eq!((status, got.as_slice()), (200, text.as_bytes()));
    assert_eq!(header(&headers, "content-type"), "text/csv; charset=utf-8");

    // A multipart form whose fields[content] is a file part (the part's filename names the file).
    let raw = binary(1000);
    let mut form = Vec::new();
    for (k, v) in [("botId", bot.to_string()), ("botToken", "tok-1".into()), ("dialogId", bob.id.to_string())] {
        form.extend_from_slice(
            format!("--XB\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    form.extend_from_slice(
        b"--XB\r\nContent-Disposition: form-data; name=\"fields[content]\"; filename=\"raw.bin\"\r\n\
          Content-Type: application/octet-stream\r\n\r\n",
    );
    form.extend_from_slice(&raw);
    form.extend_from_slice(b"\r\n--XB--\r\n");
    let r = s.post_raw(&format!("{hook}imbot.v2.File.upload"), Some("multipart/form-data; boundary=XB"), form).await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(
        (r.2["result"]["file"]["name"].as_str(), r.2["result"]["file"]["size"].as_i64()),
        (Some("raw.bin"), Some(1000))
    );
    let file = r.2["result"]["file"]["id"].clone();
    let link = call("imbot.v2.File.download", json!({"botId": bot, "botToken": "tok-1", "fileId": file})).await;
    assert_eq!(fetch(&s, link.2["result"]["downloadUrl"].as_str().unwrap()).await.2, raw);
}

#[tokio::test]
async fn bot_upload_and_download_refusals() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "strictbot").await;
    let other_bot = v2_bot(&s, &api, "otherbot").await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let with_bot = anna.chat(&s, &[bot]).await;
    let without_bot = anna.chat(&s, &[bob.id]).await;
    let upload = |dialog: Value, fields: Value| json!({"botId": bot, "dialogId": dialog, "fields": fields});
    let good = json!({"name": "a.txt", "content": b64(b"hello")});
    let before = stored_files(&s);

    // Not a participant, no such chat, a malformed dialogId: ACCESS_DENIED (§9 C25), nothing written.
    for dialog in [json!(format!("chat{without_bot}")), json!("chat999999"), json!("nonsense"), json!("999999")] {
        let r = api.call(&s, "imbot.v2.File.upload", upload(dialog.clone(), good.clone())).await;
        assert_error(&r, 400, "ACCESS_DENIED");
    }
    assert_eq!(stored_files(&s), before, "a refused upload leaves no content behind");
    // Another app's bot.
    let stranger = Api::oauth(&s, 1).await;
    assert_error(
        &stranger.call(&s, "imbot.v2.File.upload", upload(json!(format!("chat{with_bot}")), good.clone())).await,
        400,
        "BOT_OWNERSHIP_ERROR",
    );
    // FILE_EMPTY: no fields, no name, no content, blank content.
    let chat = json!(format!("chat{with_bot}"));
    let r = api.call(&s, "imbot.v2.File.upload", json!({"botId": bot, "dialogId": chat})).await;
    assert_error(&r, 400, "FILE_EMPTY");
    assert_eq!(r.2["error_description"], "File name or content is empty");
    for fields in [json!({"content": b64(b"x")}), json!({"name": "a.txt"}), json!({"name": "a.txt", "content": "  "})] {
        assert_error(&api.call(&s, "imbot.v2.File.upload", upload(chat.clone(), fields)).await, 400, "FILE_EMPTY");
    }
    // FILE_INVALID_CONTENT: a data: prefix, not Base64 at all.
    for content in ["data:text/plain;base64,aGVsbG8=", "!!!not base64!!!"] {
        let r = api
            .call(&s, "imbot.v2.File.upload", upload(chat.clone(), json!({"name": "a.txt", "content": content})))
            .await;
        assert_error(&r, 400, "FILE_INVALID_CONTENT");
    }
    // No dialogId at all.
    assert_error(
        &api.call(&s, "imbot.v2.File.upload", json!({"botId": bot, "fields": good.clone()})).await,
        400,
        "ERROR_ARGUMENT",
    );
    assert_eq!(stored_files(&s), before);

    // Downloads: no such file, an id that is no id, no fileId, a bot not in the file's chat.
    let file =
        api.ok(&s, "imbot.v2.File.upload", upload(chat.clone(), good.clone())).await["file"]["id"].as_i64().unwrap();
    assert_eq!(stored_files(&s), before + 1);
    for id in [json!(999999), json!(0), json!("abc")] {
        let r = api.call(&s, "imbot.v2.File.download", json!({"botId": bot, "fileId": id})).await;
        assert_error(&r, 400, "FILE_NOT_FOUND");
    }
    assert_error(&api.call(&s, "imbot.v2.File.download", json!({"botId": bot})).await, 400, "ERROR_ARGUMENT");
    let r = api.call(&s, "imbot.v2.File.download", json!({"botId": other_bot, "fileId": file})).await;
    assert_error(&r, 400, "FILE_ACCESS_ERROR");
    // A file whose message was deleted is gone.
    let up = api.ok(&s, "imbot.v2.File.upload", upload(chat.clone(), good.clone())).await;
    let link = api.ok(&s, "imbot.v2.File.download", json!({"botId": bot, "fileId": up["file"]["id"]})).await;
    api.ok(&s, "imbot.v2.Chat.Message.delete", json!({"botId": bot, "messageId": up["messageId"]})).await;
    let r = api.call(&s, "imbot.v2.File.download", json!({"botId": bot, "fileId": up["file"]["id"]})).await;
    assert_error(&r, 400, "FILE_NOT_FOUND");
    assert_error(&fetch_error(&s, link["downloadUrl"].as_str().unwrap()).await, 404, "FILE_NOT_FOUND");

    // The download route: no token, an unknown one, the right token under the other prefix, not a GET.
    let base = format!("{}/rest/download.json", s.http);
    assert_error(&fetch_error(&s, &base).await, 404, "FILE_NOT_FOUND");
    assert_error(&fetch_error(&s, &format!("{base}?token=imbot%7Cdeadbeef")).await, 404, "FILE_NOT_FOUND");
    assert_error(&fetch_error(&s, &format!("{base}?token=deadbeef")).await, 404, "FILE_NOT_FOUND");
    let url = download_link(&s, &api, bot, file).await;
    let swapped = url.replace("token=imbot%7C", "token=im%7C");
    assert_error(&fetch_error(&s, &swapped).await, 404, "FILE_NOT_FOUND");
    let posted = s.post_json(&url, &json!({})).await;
    assert_error(&posted, 405, "METHOD_NOT_ALLOWED");
    assert_eq!(fetch(&s, &url).await.2, b"hello", "neither spent the link");
}

#[tokio::test]
async fn a_user_uploads_with_im_v2_and_bots_see_the_file() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "watcher").await;
    let anna = person(&s, "Anna Weber").await;
    let bob = person(&s, "Bob Stone").await;
    let carol = person(&s, "Carol Diaz").await;
    let chat = anna.chat(&s, &[bob.id]).await;
    let carols = carol.chat(&s, &[bob.id]).await;

    // An image: type by content, dimensions from the header, the detailed form with working links.
    let r = anna
        .ok(
            &s,
            "im.v2.File.upload",
            json!({"dialogId": format!("chat{chat}"),
                   "fields": {"name": "chart.png", "content": b64(PNG), "message": "the chart"}}),
        )
        .await;
    assert_eq!(keys(&r), ["file", "messageId", "chatId", "dialogId"]);
    let f = &r["file"];
    assert_eq!(keys(f), DETAILED_FILE_KEYS);
    assert_eq!((f["type"].as_str(), f["image"].clone()), (Some("image"), json!({"height": 61, "width": 72})));
    assert_eq!((f["status"].as_str(), f["progress"].as_i64()), (Some("done"), Some(100)));
    assert_eq!((f["authorId"].as_i64(), f["authorName"].as_str()), (Some(anna.id), Some("Anna Weber")));
    assert_eq!(f["size"], PNG.len());
    assert!(f["date"].as_str().is_some_and(|d| d.contains('T')), "{f}");
    assert_eq!(
        keys(&f["viewerAttrs"]),
        ["viewer", "viewerType", "src", "objectId", "viewerGroupBy", "imChatId", "title", "unifiedLink", "actions"]
    );
    assert_eq!(f["viewerAttrs"]["objectId"], f["id"].as_i64().unwrap().to_string());
    assert_eq!(f["viewerAttrs"]["imChatId"], chat);
    assert_eq!(f["mediaUrl"], json!({"preview": {"250": ""}}));
    let url = f["urlDownload"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/rest/download.json?token=im%7C", s.https)), "{url}");
    assert_eq!(f["urlShow"], url);
    let (status, headers, body) = fetch(&s, url).await;
    assert_eq!((status, body.as_slice()), (200, PNG));
    assert_eq!(header(&headers, "content-type"), "image/png");
    assert_error(&fetch_error(&s, url).await, 404, "FILE_NOT_FOUND");
    let file = f["id"].as_i64().unwrap();

    // Bob (a member) gets a link; Carol gets ACCESS_DENIED for the chat and FILE_NOT_FOUND through her own.
    let link = bob.ok(&s, "im.v2.File.download", json!({"dialogId": format!("chat{chat}"), "fileId": file})).await;
    let bob_url = link["downloadUrl"].as_str().unwrap();
    assert!(bob_url.contains("token=im%7C"), "{bob_url}");
    assert_eq!(fetch(&s, bob_url).await.2, PNG);
    let r = carol.call(&s, "im.v2.File.download", json!({"dialogId": format!("chat{chat}"), "fileId": file})).await;
    assert_error(&r, 400, "ACCESS_DENIED");
    let r = carol.call(&s, "im.v2.File.download", json!({"dialogId": format!("chat{carols}"), "fileId": file})).await;
    assert_error(&r, 400, "FILE_NOT_FOUND");
    let r = bob.call(&s, "im.v2.File.download", json!({"dialogId": format!("chat{chat}"), "fileId": 999999})).await;
    assert_error(&r, 400, "FILE_NOT_FOUND");
    let r = bob.call(&s, "im.v2.File.download", json!({"dialogId": "nonsense", "fileId": file})).await;
    assert_error(&r, 400, "ACCESS_DENIED");

    // Upload refusals: CHAT_NOT_FOUND for a dialog that names no chat, ACCESS_DENIED without access.
    let fields = json!({"name": "a.txt", "content": b64(b"hi")});
    for dialog in [json!("chat999999"), json!("nonsense"), json!("999999"), json!(0)] {
        let r = anna.call(&s, "im.v2.File.upload", json!({"dialogId": dialog, "fields": fields})).await;
        assert_error(&r, 400, "CHAT_NOT_FOUND");
    }
    let r = carol.call(&s, "im.v2.File.upload", json!({"dialogId": format!("chat{chat}"), "fields": fields})).await;
    assert_error(&r, 400, "ACCESS_DENIED");
    let r =
        anna.call(&s, "im.v2.File.upload", json!({"dialogId": format!("chat{chat}"), "fields": {"name": "a"}})).await;
    assert_error(&r, 400, "FILE_EMPTY");
    assert_eq!(r.2["error_description"], "File name and content are required");
    let bad = json!({"dialogId": format!("chat{chat}"), "fields": {"name": "a.txt", "content": "data:;base64,aGk="}});
    assert_error(&anna.call(&s, "im.v2.File.upload", bad).await, 400, "FILE_INVALID_CONTENT");
    // A webhook without scope im.
    let no_im = s.webhook_for(anna.id, "user").await;
    let r = s
        .post_json(&format!("{no_im}im.v2.File.upload"), &json!({"dialogId": format!("chat{chat}"), "fields": fields}))
        .await;
    assert_error(&r, 403, "insufficient_scope");

    // As an OAuth user, into a private dialog with a v2 bot: the bot's ONIMBOTV2MESSAGEADD carries the file.
    let app = s.oauth_app(anna.id, "im", 3600).await;
    let r = s
        .post_json(
            &format!("{}/rest/im.v2.File.upload", s.http),
            &json!({"auth": app.access_token, "dialogId": bot.to_string(),
                    "fields": {"name": "notes.md", "content": b64(b"# notes"), "message": "for you"}}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    let up = &r.2["result"];
    assert_eq!(up["dialogId"], bot.to_string());
    let until = Instant::now() + WAIT;
    let event = loop {
        let got = api.ok(&s, "imbot.v2.Event.get", json!({"botId": bot})).await;
        let found = got["events"].as_array().unwrap().iter().find(|e| e["type"] == "ONIMBOTV2MESSAGEADD").cloned();
        if let Some(e) = found {
            break e;
        }
        assert!(Instant::now() < until, "no ONIMBOTV2MESSAGEADD: {got}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let message = &event["data"]["message"];
    assert_eq!((message["id"].clone(), message["text"].as_str()), (up["messageId"].clone(), Some("for you")));
    assert_eq!(message["params"]["FILE_ID"], json!([up["file"]["id"]]));
    // The bot fetches the user's file (it is in the dialog).
    let link = api.ok(&s, "imbot.v2.File.download", json!({"botId": bot, "fileId": up["file"]["id"]})).await;
    assert_eq!(fetch(&s, link["downloadUrl"].as_str().unwrap()).await.2, b"# notes");
}

/// An upload body above `max_upload_bytes`, with and without `Content-Length`.
#[tokio::test]
async fn the_upload_limits() {
    logs();
    let s = TestServer::start_with(|c| {
        c.max_body_bytes = 2048;
        c.max_upload_bytes = 64 * 1024;
        c.file_max_size = 30_000;
    })
    .await;
    let anna = person(&s, "Anna Weber").await;
    let chat = anna.chat(&s, &[]).await;
    let dialog = format!("chat{chat}");
    // Bodies above max_body_bytes are fine for an upload…
    let ok = binary(30_000);
    let r = anna
        .call(&s, "im.v2.File.upload", json!({"dialogId": dialog, "fields": {"name": "a.bin", "content": b64(&ok)}}))
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
    assert_eq!(r.2["result"]["file"]["size"], 30_000);
    assert_eq!(r.2["result"]["file"]["type"], "file");
    // …and only for an upload.
    let long = json!({"DIALOG_ID": dialog, "MESSAGE": "x".repeat(4000)});
    assert_error(&anna.call(&s, "im.message.add", long).await, 400, "INVALID_REQUEST");
    // One byte over [files] max_size.
    let over = binary(30_001);
    let r = anna
        .call(&s, "im.v2.File.upload", json!({"dialogId": dialog, "fields": {"name": "a.bin", "content": b64(&over)}}))
        .await;
    assert_error(&r, 400, "FILE_TOO_LARGE");
    assert_eq!(r.2["error_description"], "File too large");
    // A body over max_upload_bytes, declared by Content-Length: refused before it is read.
    let big = json!({"dialogId": dialog, "fields": {"name": "a.bin", "content": b64(&binary(60_000))}});
    let r = anna.call(&s, "im.v2.File.upload", big.clone()).await;
    assert_error(&r, 400, "FILE_TOO_LARGE");
    // The same body chunked (no Content-Length): read up to the limit, then refused.
    let (user, code) = common::webhook_parts(&anna.hook);
    let body = big.to_string();
    let mut req = format!(
        "POST /rest/{user}/{code}/im.v2.File.upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .into_bytes();
    for chunk in body.as_bytes().chunks(8192) {
        req.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        req.extend_from_slice(chunk);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let raw = raw_http(&s.http, &req).await;
    assert_eq!(raw.status, 400, "{}", raw.body);
    assert_eq!(raw.json()["error"], "FILE_TOO_LARGE");
    // The bot method has the same limits.
    let api = Api::oauth(&s, 1).await;
    let bot = v2_bot(&s, &api, "limits").await;
    anna.ok(&s, "im.chat.user.add", json!({"CHAT_ID": chat, "USERS": [bot]})).await;
    let r = api
        .call(
            &s,
            "imbot.v2.File.upload",
            json!({"botId": bot, "dialogId": dialog, "fields": {"name": "a.bin", "content": b64(&over)}}),
        )
        .await;
    assert_error(&r, 400, "FILE_TOO_LARGE");
    let r = api
        .call(
            &s,
            "imbot.v2.File.upload",
            json!({"botId": bot, "dialogId": dialog, "fields": {"name": "a.bin", "content": b64(&ok)}}),
        )
        .await;
    assert_eq!(r.0, 200, "{}", r.2);
}

#[tokio::test]
async fn a_file_survives_a_restart() {
    let (s, api, bot, anna, chat) = bot_in_chat("durable").await;
    let content = binary(100_000);
    let up = upload_to_chat(&s, &api, bot, chat, json!({"name": "data.bin", "content": b64(&content)})).await;
    let file = up["file"]["id"].as_i64().unwrap();
    let pending = download_link(&s, &api, bot, file).await;
    let old_http = s.http.clone();
    let s = s.restart_with(|_| {}).await;
    // Ports change with a restart; the credentials stay.
    let api = match api {
        Api::OAuth { token, client_id, application_token, .. } => {
            Api::OAuth { rest: format!("{}/rest/", s.http), token, client_id, application_token }
        }
        other => other,
    };
    let anna = Person { id: anna.id, hook: anna.hook.replace(&old_http, &s.http) };
    // The link handed out before the restart still works (on the old port's URL: ask the new server).
    let path = pending.split_once("/rest/").map(|(_, p)| format!("{}/rest/{p}", s.https)).unwrap();
    let (status, _, body) = fetch(&s, &path).await;
    assert_eq!((status, body.len()), (200, content.len()));
    assert_eq!(body, content);
    // And new links, and history.
    let url = download_link(&s, &api, bot, file).await;
    assert!(url.starts_with(&s.https), "{url}");
    assert_eq!(fetch(&s, &url).await.2, content);
    let history = anna.ok(&s, "im.dialog.messages.get", json!({"DIALOG_ID": format!("chat{chat}")})).await;
    assert_eq!(history["files"][0]["id"], file);
    assert_eq!(history["files"][0]["size"], 100_000);
}

#[tokio::test]
async fn contents_no_file_names_are_swept_and_named_ones_stay() {
    let (s, api, bot, _anna, chat) = bot_in_chat("sweeper").await;
    let content = binary(5_000);
    let up = upload_to_chat(&s, &api, bot, chat, json!({"name": "kept.bin", "content": b64(&content)})).await;
    let file = up["file"]["id"].as_i64().unwrap();
    // What a crash between the content's write and its row's commit leaves behind.
    let root = s.state.config.file_dir.clone();
    let orphan = imbotd::store::blobs::write(&root, b"left behind".to_vec()).await.unwrap();
    let orphan_path = imbotd::store::blobs::path_of(&root, &orphan.key).unwrap();
    assert!(orphan_path.exists());
    // Young contents are left alone (another instance may be about to commit its row).
    let store = &s.state.store;
    assert_eq!(imbotd::store::files::sweep_orphans(store, &root, Duration::from_secs(3600)).await.unwrap(), 0);
    assert!(orphan_path.exists());
    assert_eq!(imbotd::store::files::sweep_orphans(store, &root, Duration::ZERO).await.unwrap(), 1);
    assert!(!orphan_path.exists());
    assert_eq!(stored_files(&s), 1, "the named content stays");
    assert_eq!(fetch(&s, &download_link(&s, &api, bot, file).await).await.2, content);
}
