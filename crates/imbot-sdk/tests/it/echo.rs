//! The echo bot end to end against the server: it registers itself and `/echo` with its own listener as the
//! handler; a person writes `/echo hi`; imbotd delivers ONIMCOMMANDADD (a body made by the server, verified by
//! the application token = CLIENT_ID); the bot answers with `imbot.command.answer`; the answer, with its ATTACH
//! and "Repeat" button, is in the person's history. Pressing "Repeat" goes round again.

use crate::common::{Server, wait_for};
use imbot_sdk::demo::echo::{EchoBot, EchoConfig};
use imbot_sdk::methods::im::{HistoryQuery, ImMessage, NewMessage};
use imbot_sdk::{Client, DialogId};

async fn answers(person: &Client, bot: i64, text: &str) -> Vec<ImMessage> {
    let q = HistoryQuery { limit: Some(50), ..HistoryQuery::latest(DialogId::User(bot)) };
    let page = person.im_dialog_messages_get(&q).await.expect("history");
    page.messages.into_iter().filter(|m| m.author_id == bot && m.text == text).collect()
}

#[tokio::test]
async fn the_echo_bot_answers_through_the_server() {
    let server = Server::start().await;
    let admin = server.client_for(1, Some("echo_e2e")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bot = EchoBot::start(listener, EchoConfig::new(admin.clone())).await.expect("the bot starts");
    assert!(bot.handler_url().starts_with("http://127.0.0.1:"));
    assert!(admin.imbot_bot_list().await.unwrap().iter().any(|b| b.id == bot.bot_id() && b.code == "echo_bot"));

    let person_id = server.add_user("Svetlana Ivanova").await;
    let person = server.client_for(person_id, None).await;
    let asked = person.im_message_add(&NewMessage::new(DialogId::User(bot.bot_id()), "/echo hi")).await.unwrap();

    let answer = wait_for("the echo answer", 10, || async {
        answers(&person, bot.bot_id(), "hi").await.into_iter().find(|m| m.id > asked)
    })
    .await;
    let attach = answer.attach().expect("an ATTACH");
    assert_eq!(attach[0]["BLOCKS"][1]["GRID"][0]["VALUE"], "hi");
    let keyboard = answer.keyboard().expect("a KEYBOARD");
    assert_eq!(keyboard[0]["TEXT"], "Repeat");
    assert_eq!(keyboard[0]["COMMAND"], "echo");
    assert_eq!(keyboard[0]["COMMAND_PARAMS"], "hi");
    assert_eq!(keyboard[0]["BOT_ID"], bot.bot_id());

    // The private message also reached the bot as ONIMBOTMESSAGEADD; it starts with "/", so no hint was sent.
    // Pressing "Repeat" (im.message.command, COMMAND_CONTEXT=KEYBOARD) gives a second answer.
    assert!(person.im_message_command(answer.id, bot.bot_id(), "echo", "hi").await.unwrap());
    wait_for("the repeated answer", 10, || async {
        let all = answers(&person, bot.bot_id(), "hi").await;
        (all.len() >= 2).then_some(())
    })
    .await;

    // A plain message gets the hint (ONIMBOTMESSAGEADD → imbot.message.add).
    person.im_message_add(&NewMessage::new(DialogId::User(bot.bot_id()), "hello?")).await.unwrap();
    wait_for("the hint", 10, || async {
        let q = HistoryQuery::latest(DialogId::User(bot.bot_id()));
        let page = person.im_dialog_messages_get(&q).await.unwrap();
        page.messages.iter().any(|m| m.author_id == bot.bot_id() && m.text.contains("/echo")).then_some(())
    })
    .await;

    assert!(bot.unregister().await.unwrap());
    bot.stop().await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn the_echo_bot_refuses_events_with_a_wrong_token_and_can_be_stopped() {
    let server = Server::start().await;
    let admin = server.client_for(1, Some("echo_tokens")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = EchoConfig { code: "echo_two".into(), ..EchoConfig::new(admin) };
    let bot = EchoBot::start(listener, config).await.unwrap();
    let forged = "event=ONIMCOMMANDADD&data%5BCOMMAND%5D%5B1%5D%5BBOT_ID%5D=1&data%5BCOMMAND%5D%5B1%5D%5BMESSAGE_ID%5D=1\
                  &auth%5Bapplication_token%5D=not-the-client-id";
    let http = reqwest::Client::new();
    let status = http.post(bot.handler_url()).body(forged).send().await.unwrap().status();
    assert_eq!(status, 401);
    let addr = bot.local_addr();
    bot.stop().await.unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "stopped: nothing listens any more");

    // Registration failure (a client without CLIENT_ID) stops the server it had started.
    let no_id = server.client_for(1, None).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let err = EchoBot::start(listener, EchoConfig::new(no_id)).await.unwrap_err();
    assert!(err.is_api("ACCESS_DENIED"), "{err}");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    server.stop().await;
}

/// The app row imbotd keeps for the (webhook, CLIENT_ID) pair that owns a webhook bot.
async fn webhook_bot_app(server: &Server, client_id: &str) -> imbotd::domain::AppId {
    let apps = imbotd::store::apps::list(&server.state.store).await.unwrap();
    apps.into_iter().find(|a| a.webhook_client_id.as_deref() == Some(client_id)).expect("the bot's app").id
}

#[tokio::test]
async fn signed_deliveries_are_verified_across_a_secret_rotation() {
    let server = Server::start().await;
    let admin = server.client_for(1, Some("echo_signed")).await;
    let person_id = server.add_user("Svetlana Ivanova").await;
    let person = server.client_for(person_id, None).await;

    // The first start registers the bot (and so makes its app); then the app gets a signing secret.
    let first =
        EchoBot::start(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(), EchoConfig::new(admin.clone()))
            .await
            .unwrap();
    first.stop().await.unwrap();
    let app = webhook_bot_app(&server, "echo_signed").await;
    let old = imbotd::store::signing::rotate(&server.state.store, app, 3600, server.now()).await.unwrap();

    let start = |secrets: Vec<String>| {
        let admin = admin.clone();
        async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            EchoBot::start(listener, EchoConfig { signing_secrets: secrets, ..EchoConfig::new(admin) }).await.unwrap()
        }
    };
    let ask = |text: &'static str, bot: i64| {
        let person = person.clone();
        async move {
            person.im_message_add(&NewMessage::new(DialogId::User(bot), format!("/echo {text}"))).await.unwrap();
            wait_for(text, 10, || async { (!answers(&person, bot, text).await.is_empty()).then_some(()) }).await;
        }
    };

    // Signed with the old secret, verified with it.
    let bot = start(vec![old.clone()]).await;
    ask("signed", bot.bot_id()).await;
    bot.stop().await.unwrap();

    // Rotation: the server signs with the old and the new secret during the grace period; a bot that knows
    // either accepts, a bot that knows both too.
    let new = imbotd::store::signing::rotate(&server.state.store, app, 3600, server.now()).await.unwrap();
    let bot = start(vec![new.clone()]).await;
    ask("rotated", bot.bot_id()).await;
    bot.stop().await.unwrap();
    let bot = start(vec![old, new]).await;
    ask("both", bot.bot_id()).await;
    bot.stop().await.unwrap();
    server.stop().await;
}
