//! Delivery of bot events: webhook bots' handler URLs (`?CLIENT_ID=` appended, `application_token` = CLIENT_ID),
//! retries after a handler error or timeout (bounded), a handler that is down or slow never slows or fails the
//! user's call, events of one dialog arrive in order, and a pending event survives a restart (at-least-once).

mod bot_util;
mod common;

use bot_util::*;
use common::TestServer;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Retry delays start at 5 s; moving the clock this far makes a failed event due again.
const RETRY: Duration = Duration::from_secs(6);

fn message_id_of(r: &Req) -> i64 {
    r.data()["PARAMS"]["MESSAGE_ID"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn webhook_bots_get_client_id_in_the_url() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::webhook(&s, 1, "my client/id").await;
    let bot = api.register(&s, "hookbot", "B", &h.url("/bot?x=1")).await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    anna.send(&s, bot, "/echo hi").await;

    let c = h.wait_event("ONIMCOMMANDADD").await;
    assert_eq!(c.uri, "/cmd?CLIENT_ID=my+client%2Fid");
    let m = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(m.uri, "/bot?x=1&CLIENT_ID=my+client%2Fid");
    for r in [&c, &m] {
        assert_eq!(r.auth()["application_token"], "my client/id");
        let f = Value::Object(r.form());
        assert_eq!(keys(&f), ["event", "event_handler_id", "data", "ts", "auth"]);
    }
    // The data part is the documented one; the top-level `auth` of a webhook-owned bot is the outgoing-webhook
    // form without user tokens (docs/compat.md BT3).
    assert_same_shape(&c.data(), &doc(docs::ONIMCOMMANDADD_PRIVATE)["data"], "webhook command data");
    let auth_keys: Vec<String> = c.auth().as_object().unwrap().keys().cloned().collect();
    assert_eq!(auth_keys, ["domain", "client_endpoint", "server_endpoint", "member_id", "application_token"]);
    let (_, entry) = only_entry(&c.data()["COMMAND"]);
    assert_eq!(entry["application_token"], "my client/id");
    // The bot token of a webhook bot works against /rest/ with auth= like any bot token.
    let r = s
        .post_json(
            &format!("{}/rest/imbot.message.add", s.http),
            &json!({"auth": entry["access_token"], "DIALOG_ID": anna.id.to_string(), "MESSAGE": "via token"}),
        )
        .await;
    assert!(r.2["result"].is_i64(), "{}", r.2);
}

#[tokio::test]
async fn a_failed_delivery_is_retried() {
    let s = server().await;
    let h = Handler::start().await;
    h.set_status(500);
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "retrybot", "B", &h.url("/bot")).await;
    let anna = person(&s, "Anna Weber").await;
    let m = anna.send(&s, bot, "hello").await;

    // ONIMBOTJOINCHAT then ONIMBOTMESSAGEADD, one at a time for this handler + dialog: the join fails first.
    let first = h.wait_requests(1).await;
    assert_eq!(first[0].event(), "ONIMBOTJOINCHAT");
    assert_eq!(first[0].header("x-imbotd-attempt"), Some("1"));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(h.requests().len(), 1, "nothing overtakes the failed event; no retry before its time");

    h.set_status(200);
    s.clock.advance(RETRY);
    let join2 = h.wait_event_nth("ONIMBOTJOINCHAT", 2).await;
    assert_eq!(join2.header("x-imbotd-attempt"), Some("2"));
    assert_eq!(join2.data()["PARAMS"], first[0].data()["PARAMS"], "the same event again");
    let add = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(message_id_of(&add), m);
    drained(&s).await;
    let rows = outbox(&s).await;
    assert!(rows.iter().all(|r| r.status == "delivered"), "{rows:#?}");
    assert_eq!(rows.iter().find(|r| r.event == "ONIMBOTJOINCHAT").unwrap().attempts, 2);
}

#[tokio::test]
async fn retries_are_bounded_and_attempts_time_out() {
    logs();
    let s = TestServer::start_with(|c| {
        c.delivery_timeout = 1;
        c.delivery_max_attempts = 2;
    })
    .await;
    let h = Handler::start().await;
    h.set_delay(Duration::from_millis(2500));
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "timeoutbot", "B", &h.url("/bot")).await;
    let anna = person(&s, "Anna Weber").await;
    let t0 = Instant::now();
    anna.send(&s, bot, "one").await;
    assert!(t0.elapsed() < Duration::from_millis(800), "the call does not wait for the handler");

    // Attempt 1 times out after 1 s; attempt 2 as well; then the event has failed and is not sent again.
    h.wait_requests(1).await;
    let until = Instant::now() + Duration::from_secs(5);
    while outbox(&s).await.iter().find(|r| r.event == "ONIMBOTJOINCHAT").unwrap().attempts < 1 {
        assert!(Instant::now() < until, "the first attempt is recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // After a timeout the first step (5 s ± 20 %) is doubled: at most 12 s.
    s.clock.advance(Duration::from_secs(13));
    h.wait_requests(2).await;
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let row = outbox(&s).await.into_iter().find(|r| r.event == "ONIMBOTJOINCHAT").unwrap();
        if row.status == "failed" {
            assert_eq!(row.attempts, 2);
            break;
        }
        assert!(Instant::now() < until, "failed after max attempts: {row:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.set_delay(Duration::ZERO);
    s.clock.advance(Duration::from_secs(3600));
    // The next event of the dialog goes on; the failed one is not retried.
    let add = h.wait_event("ONIMBOTMESSAGEADD").await;
    assert_eq!(add.data()["PARAMS"]["MESSAGE"], "one");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(h.events("ONIMBOTJOINCHAT").len(), 2);
}

#[tokio::test]
async fn a_handler_that_is_down_or_slow_never_holds_the_user() {
    let s = server().await;
    let api = Api::oauth(&s, 1).await;
    let down = api.register(&s, "downbot", "B", &dead_url().await).await;
    let anna = person(&s, "Anna Weber").await;
    let t0 = Instant::now();
    let m = anna.send(&s, down, "anyone there?").await;
    assert!(m > 0);
    assert!(t0.elapsed() < Duration::from_millis(800), "{:?}", t0.elapsed());
    // The event is queued and its failed attempt logged for a retry.
    let until = Instant::now() + WAIT;
    loop {
        let rows = queued(&s, "ONIMBOTJOINCHAT").await;
        if rows.first().is_some_and(|r| r.attempts >= 1 && r.status == "pending") {
            break;
        }
        assert!(Instant::now() < until, "{rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let slow = Handler::start().await;
    slow.set_delay(Duration::from_secs(3));
    let api2 = Api::oauth(&s, 1).await;
    let sbot = api2.register(&s, "slowbot", "B", &slow.url("/bot")).await;
    anna.send(&s, sbot, "first").await;
    slow.wait_requests(1).await;
    // While the handler sleeps, more calls return at once.
    for text in ["second", "third"] {
        let t0 = Instant::now();
        anna.send(&s, sbot, text).await;
        assert!(t0.elapsed() < Duration::from_millis(800), "{text}: {:?}", t0.elapsed());
    }
}

#[tokio::test]
async fn a_slow_handler_does_not_hold_back_other_apps_events() {
    let s = server().await;
    let anna = person(&s, "Anna Weber").await;
    let slow = Handler::start().await;
    slow.set_delay(Duration::from_secs(4));
    let fast = Handler::start().await;
    let slow_bot = Api::oauth(&s, 1).await.register(&s, "slowpoke", "B", &slow.url("/slow")).await;
    let fast_bot = Api::oauth(&s, 1).await.register(&s, "quick", "B", &fast.url("/fast")).await;
    anna.send(&s, slow_bot, "to the slow one").await;
    slow.wait_requests(1).await;
    // The slow handler is still answering its first request; the other app's event goes out meanwhile.
    let t0 = Instant::now();
    anna.send(&s, fast_bot, "to the fast one").await;
    fast.wait_event("ONIMBOTMESSAGEADD").await;
    assert!(t0.elapsed() < Duration::from_secs(2), "held back for {:?}", t0.elapsed());
}

#[tokio::test]
async fn events_of_a_dialog_arrive_in_order() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "orderbot", "B", &h.url("/bot")).await;
    let anna = person(&s, "Anna Weber").await;
    let mut sent = Vec::new();
    for i in 0..8 {
        sent.push(anna.send(&s, bot, &format!("m{i}")).await);
    }
    h.wait_event_nth("ONIMBOTMESSAGEADD", 8).await;
    let got: Vec<i64> = h.events("ONIMBOTMESSAGEADD").iter().map(message_id_of).collect();
    assert_eq!(got, sent);

    // Also when the first one has to be retried: the later ones wait for it.
    h.set_status(503);
    let mut later = Vec::new();
    for i in 0..3 {
        later.push(anna.send(&s, bot, &format!("n{i}")).await);
    }
    h.wait_event_nth("ONIMBOTMESSAGEADD", 9).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(h.events("ONIMBOTMESSAGEADD").len(), 9);
    h.set_status(200);
    s.clock.advance(RETRY);
    h.wait_event_nth("ONIMBOTMESSAGEADD", 12).await;
    let got: Vec<i64> = h.events("ONIMBOTMESSAGEADD")[8..].iter().map(message_id_of).collect();
    assert_eq!(got, [later[0], later[0], later[1], later[2]]);
}

#[tokio::test]
async fn a_pending_event_survives_a_restart() {
    logs();
    // Delivery off: the event waits in the outbox.
    let s = TestServer::start_with(|c| c.delivery_enabled = false).await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "durable", "B", &h.url("/bot")).await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let m = anna.send(&s, bot, "/echo after restart").await;
    assert_eq!(outbox(&s).await.len(), 3, "join, command, message");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(h.requests().is_empty());

    let s = s.restart_with(|_| {}).await;
    let e = h.wait_event("ONIMCOMMANDADD").await;
    let (_, c) = only_entry(&e.data()["COMMAND"]);
    assert_eq!(c["MESSAGE_ID"], m.to_string());
    h.wait_event("ONIMBOTMESSAGEADD").await;
    h.wait_event("ONIMBOTJOINCHAT").await;
    // The tokens minted after the restart work on the restarted server.
    let bot_api = api.with_token(c["access_token"].as_str().unwrap());
    let bot_api = match bot_api {
        Api::OAuth { token, client_id, application_token, .. } => {
            Api::OAuth { rest: format!("{}/rest/", s.http), token, client_id, application_token }
        }
        other => other,
    };
    let r = bot_api
        .call(&s, "imbot.command.answer", json!({"COMMAND": "echo", "MESSAGE_ID": m, "MESSAGE": "still here"}))
        .await;
    assert!(r.2["result"].is_i64(), "{}", r.2);

    // An event whose attempt failed before the stop is retried after the restart.
    h.set_status(500);
    let m2 = anna_send_on(&s, &anna, bot, "second").await;
    let until = Instant::now() + WAIT;
    while !queued(&s, "ONIMBOTMESSAGEADD").await.iter().any(|r| r.attempts >= 1 && r.status == "pending") {
        assert!(Instant::now() < until, "the failed attempt is recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let s = s.restart_with(|_| {}).await;
    h.set_status(200);
    s.clock.advance(RETRY);
    let until = Instant::now() + WAIT;
    loop {
        let ok = h
            .events("ONIMBOTMESSAGEADD")
            .iter()
            .any(|r| message_id_of(r) == m2 && r.header("x-imbotd-attempt") == Some("2"));
        if ok {
            break;
        }
        assert!(
            Instant::now() < until,
            "redelivered after the restart: {:?}",
            h.requests().iter().map(Req::event).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drained(&s).await;
}

/// `anna` sends on a (restarted) server: her webhook URL carries the old port.
async fn anna_send_on(s: &TestServer, anna: &Person, to: i64, text: &str) -> i64 {
    let rest = anna.hook.split("/rest/").nth(1).unwrap();
    let p = Person { id: anna.id, hook: format!("{}/rest/{rest}", s.http) };
    p.send(s, to, text).await
}

#[tokio::test]
async fn concurrent_calls_and_deliveries_never_fail_the_user() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "busybot", "S", &h.url("/bot")).await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({"COMMON": "Y"})).await;
    let mut people = Vec::new();
    for name in ["Anna Weber", "Bob Stone", "Carl Cole", "Dora Diaz"] {
        people.push(person(&s, name).await);
    }
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let chat = people[0].chat(&s, &[ids[1], ids[2], ids[3], bot]).await;
    let mut tasks = Vec::new();
    for p in &people {
        for i in 0..8 {
            let (s, p) = (&s, p.clone());
            tasks.push(async move {
                let dialog = if i % 2 == 0 { format!("chat{chat}") } else { bot.to_string() };
                let r =
                    p.call(s, "im.message.add", json!({"DIALOG_ID": dialog, "MESSAGE": format!("/echo {i}")})).await;
                assert_eq!(r.0, 200, "{}", r.2);
            });
        }
    }
    futures_util::future::join_all(tasks).await;
    drained(&s).await;
    assert_eq!(h.events("ONIMCOMMANDADD").len(), 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_posters_in_one_chat_reach_the_bot_in_message_order() {
    let s = server().await;
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "fifo", "S", &h.url("/bot")).await;
    let people = [person(&s, "Anna Weber").await, person(&s, "Boris Ivanov").await, person(&s, "Clara Li").await];
    let chat = people[0].chat(&s, &[people[1].id, people[2].id, bot]).await;
    let mut tasks = Vec::new();
    for (i, p) in people.into_iter().enumerate() {
        let s = &s;
        tasks.push(async move {
            let mut ids = Vec::new();
            for n in 0..8 {
                ids.push(p.send(s, format!("chat{chat}"), &format!("p{i} m{n}")).await);
            }
            ids
        });
    }
    let mut all: Vec<i64> = futures_util::future::join_all(tasks).await.into_iter().flatten().collect();
    all.sort();
    h.wait_event_nth("ONIMBOTMESSAGEADD", all.len()).await;
    let ids: Vec<i64> = h.events("ONIMBOTMESSAGEADD").iter().map(message_id_of).collect();
    assert_eq!(ids, all, "one event per message, in message-id order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_handler_with_many_dialogs_takes_only_its_share_of_the_worker() {
    logs();
    let s = TestServer::start_with(|c| c.delivery_per_handler = 4).await;
    let slow = Handler::start().await;
    slow.set_delay(Duration::from_secs(3));
    let fast = Handler::start().await;
    let slow_bot = Api::oauth(&s, 1).await.register(&s, "busy", "B", &slow.url("/slow")).await;
    let fast_bot = Api::oauth(&s, 1).await.register(&s, "nimble", "B", &fast.url("/fast")).await;
    // Twenty dialogs with the slow bot: twenty events that could go out at once.
    for i in 0..20 {
        person(&s, &format!("Sender {i}")).await.send(&s, slow_bot, "hi").await;
    }
    slow.wait_requests(4).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(slow.requests().len(), 4, "at most 4 attempts in flight to one handler");
    let t0 = Instant::now();
    person(&s, "Anna Weber").await.send(&s, fast_bot, "me first?").await;
    fast.wait_event("ONIMBOTMESSAGEADD").await;
    assert!(t0.elapsed() < Duration::from_secs(2), "held back for {:?}", t0.elapsed());
}

/// The delivery issue's acceptance: a bot that was down for an hour receives every command it missed, in order
/// per dialog, by the default retry schedule alone; its developer sees each attempt and can replay any of them.
#[tokio::test]
async fn a_bot_down_for_an_hour_receives_every_missed_command_in_order() {
    let s = server().await; // the default schedule (5 s … 12 h) with its ±20 % jitter
    let h = Handler::start().await;
    let api = Api::oauth(&s, 1).await;
    let bot = api.register(&s, "outage", "B", &h.url("/bot")).await;
    api.command(&s, bot, "echo", &h.url("/cmd"), json!({})).await;
    let anna = person(&s, "Anna Weber").await;
    let bert = person(&s, "Bert Klein").await;
    let chat = anna.chat(&s, &[bert.id, bot]).await;
    drained(&s).await;

    // The bot goes down; for an hour, two people keep sending it commands in two dialogs.
    h.set_status(502);
    let (mut private, mut group) = (Vec::new(), Vec::new());
    for minute in (0..60).step_by(5) {
        private.push(anna.send(&s, bot, &format!("/echo p{minute}")).await);
        group.push(bert.send(&s, format!("chat{chat}"), &format!("/echo g{minute}")).await);
        s.clock.advance(Duration::from_secs(300));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let during = h.events("ONIMCOMMANDADD");
    assert!(during.len() >= 2, "the heads of both dialogs were tried while the bot was down");

    // The bot is back. Nobody pings it: the schedule brings the backlog within its next steps — the commands and
    // the join events retried alongside them (each on its own jittered schedule, so the clock moves until all are
    // through, not only the commands).
    h.set_status(200);
    let total = private.len() + group.len();
    let mut waited = 0;
    while outbox(&s).await.iter().any(|r| r.status != "delivered") {
        assert!(waited < 3 * 3600, "the backlog is delivered within 3 h of the bot's return");
        s.clock.advance(Duration::from_secs(600));
        waited += 600;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    drained(&s).await;

    // Per dialog, the commands arrived in the order they were sent: the head was retried until it got
    // through, and nothing after it overtook it.
    let arrivals = |dialog: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        for r in h.events("ONIMCOMMANDADD") {
            if r.data()["PARAMS"]["DIALOG_ID"] == dialog {
                let id = message_id_of(&r);
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    };
    assert_eq!(arrivals(&anna.id.to_string()), private, "Anna's dialog");
    assert_eq!(arrivals(&format!("chat{chat}")), group, "the group chat");
    let rows = queued(&s, "ONIMCOMMANDADD").await;
    assert_eq!(rows.len(), total);
    assert!(rows.iter().all(|r| r.status == "delivered"), "{rows:#?}");

    // The developer sees the first command's attempts: failures while down, then the success.
    let list = api.ok(&s, "imbotd.delivery.list", json!({"EVENT": "ONIMCOMMANDADD", "LIMIT": 200})).await;
    let first = list.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).min().unwrap();
    let got = api.ok(&s, "imbotd.delivery.get", json!({"ID": first})).await;
    let log = got["log"].as_array().unwrap();
    assert!(log.len() >= 3, "retried several times: {got}");
    assert!(log[..log.len() - 1].iter().all(|a| a["http_status"] == 502), "{got}");
    assert_eq!(log[log.len() - 1]["http_status"], 200, "{got}");
    let attempt_times: Vec<i64> = log.iter().map(|a| a["started_at"].as_i64().unwrap()).collect();
    assert!(attempt_times.windows(2).all(|w| w[0] <= w[1]), "{attempt_times:?}");

    // And replays it: the same delivery id comes again.
    let before = h.requests().len();
    assert_eq!(api.ok(&s, "imbotd.delivery.resend", json!({"ID": first})).await, json!(true));
    let again = h.wait_requests(before + 1).await[before].clone();
    let replayed = message_id_of(&again);
    assert!([private[0], group[0]].contains(&replayed), "the first command of a dialog: {replayed}");
    let ids: Vec<_> = h.requests()[..before]
        .iter()
        .filter(|r| r.event() == "ONIMCOMMANDADD" && message_id_of(r) == replayed)
        .map(|r| r.header("x-imbotd-delivery-id").map(str::to_owned))
        .collect();
    assert!(ids.len() >= 3, "retried before the replay: {ids:?}");
    assert!(ids.iter().all(|id| *id == again.header("x-imbotd-delivery-id").map(str::to_owned)), "{ids:?}");
}
