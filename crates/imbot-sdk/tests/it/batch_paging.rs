//! `batch` with `$result` references, per-command errors, `halt`, and `CLIENT_ID` for `imbot.*` commands;
//! paging over more than 50 users as a stream.

use crate::common::Server;
use futures_util::{StreamExt, TryStreamExt};
use imbot_sdk::methods::im::History;
use imbot_sdk::methods::users::{User, UserQuery};
use imbot_sdk::{DialogId, Error};
use serde_json::{Value, json};

#[tokio::test]
async fn a_batch_with_result_references() {
    let server = Server::start().await;
    let client = server.client_for(1, Some("sdk_batch")).await;
    let chat = client.call_as::<i64>("im.chat.add", json!({"TITLE": "Batch"})).await.unwrap();
    let dialog = DialogId::Chat(chat).to_string();

    let r = client
        .batch()
        .add("chat", "im.dialog.get", json!({"DIALOG_ID": dialog}))
        .add("a", "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "draft & co"}))
        .add("b", "im.message.update", json!({"MESSAGE_ID": "$result[a]", "MESSAGE": "final for $result[chat][name]"}))
        .add("empty", "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": ""}))
        .add(
            "kb",
            "im.message.add",
            json!({"DIALOG_ID": dialog, "MESSAGE": "with keyboard",
                   "KEYBOARD": imbot_sdk::rich::Keyboard::new()
                       .button(imbot_sdk::rich::Button::link("Site", "https://example.com/?a=1&b=2"))
                       .build().unwrap()}),
        )
        .add(
            "bot",
            "imbot.register",
            serde_json::to_value(imbot_sdk::methods::bots::RegisterBot::new(
                "batch_bot",
                "Batch",
                "http://127.0.0.1:9/",
            ))
            .unwrap(),
        )
        .add("history", "im.dialog.messages.get", json!({"DIALOG_ID": dialog}))
        .send()
        .await
        .unwrap();
    let a: i64 = r.get("a").unwrap();
    assert!(r.get::<bool>("b").unwrap());
    let e = r.get::<i64>("empty").unwrap_err();
    assert!(e.is_api("MESSAGE_EMPTY"), "{e}");
    assert_eq!(r.error("empty").unwrap().code, "MESSAGE_EMPTY");
    assert!(!r.is_ok());
    // imbot.* in a batch through a webhook needs CLIENT_ID: the client added it.
    let bot: i64 = r.get("bot").unwrap();
    assert!(client.imbot_bot_list().await.unwrap().iter().any(|b| b.id == bot && b.code == "batch_bot"));
    let history: History = r.get("history").unwrap();
    let updated = history.messages.iter().find(|m| m.id == a).expect("message a");
    assert_eq!(updated.text, "final for Batch");
    let kb = history.messages.iter().find(|m| m.text == "with keyboard").unwrap();
    assert_eq!(kb.keyboard().unwrap()[0]["LINK"], "https://example.com/?a=1&b=2");
    assert!(r.times.contains_key("a"));

    // halt: the first failure stops the batch.
    let r = client
        .batch()
        .halt(true)
        .add("bad", "im.message.add", json!({"DIALOG_ID": dialog}))
        .add("never", "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": "x"}))
        .send()
        .await
        .unwrap();
    assert!(r.error("bad").is_some());
    assert!(r.value("never").is_none() && r.error("never").is_none());
    assert!(matches!(r.get::<i64>("never"), Err(Error::Invalid(_))));

    // Refused before sending.
    let mut big = client.batch();
    for i in 0..51 {
        big = big.add(&format!("c{i}"), "server.time", json!({}));
    }
    assert!(matches!(big.send().await, Err(Error::Invalid(_))));
    assert!(matches!(client.batch().add("a b", "server.time", json!({})).send().await, Err(Error::Invalid(_))));
    server.stop().await;
}

#[tokio::test]
async fn paging_over_more_than_fifty_users() {
    let server = Server::start().await;
    for i in 0..64 {
        server.add_user(&format!("Person{i:02} Test")).await;
    }
    let client = server.client_for(1, None).await;
    let first = client.user_get(&UserQuery::default(), 0).await.unwrap();
    assert_eq!(first.items.len(), 50);
    assert_eq!(first.next, Some(50));
    let total = first.total.unwrap();
    assert_eq!(total, 65, "the admin and 64 people");

    let everyone: Vec<User> = client.user_get_all(UserQuery::default()).try_collect().await.unwrap();
    assert_eq!(everyone.len() as u64, total);
    let mut ids: Vec<i64> = everyone.iter().map(|u| u.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, total, "no duplicates across pages");

    // Filtered and ordered, through the generic stream.
    let people: Vec<Value> = client
        .list("user.get", json!({"FILTER": {"%LAST_NAME": "Test"}, "SORT": "ID", "ORDER": "DESC"}))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(people.len(), 64);
    assert!(
        people[0]["ID"].as_str().unwrap().parse::<i64>().unwrap() > people[63]["ID"].as_str().unwrap().parse().unwrap()
    );

    // A stream is lazy: taking 3 reads one page.
    let three: Vec<_> = client.user_get_all(UserQuery::default()).take(3).collect().await;
    assert_eq!(three.len(), 3);

    // Errors end the stream after being yielded.
    let bad = imbot_sdk::Client::webhook(format!("{}/rest/1/wrongcode/", server.http)).build().unwrap();
    let results: Vec<_> = bad.user_get_all(UserQuery::default()).collect().await;
    assert_eq!(results.len(), 1);
    assert!(results[0].as_ref().unwrap_err().is_api("NO_AUTH_FOUND"));
    server.stop().await;
}
