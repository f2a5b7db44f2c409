//! The typed methods added after the bot loop's: `basic` (methods, method.get, scope, app.info, profile), more
//! `im.*` (chat.get/leave/user.delete, dialog.unread/users.list/writing, revision.get), the `imbot.chat.*`
//! settings, generic events and the offline queue (OAuth), and imbotd's `imbotd.delivery.*`, against the real
//! server.

use crate::common::{Server, wait_for};
use imbot_sdk::methods::NewChat;
use imbot_sdk::methods::bots::RegisterBot;
use imbot_sdk::methods::delivery::DeliveryQuery;
use imbot_sdk::methods::im::{DialogUsersQuery, NewMessage};
use imbot_sdk::methods::other::{EventBinding, OfflineClear, OfflineGet, OfflineList};
use imbot_sdk::{Client, DialogId};
use serde_json::{Map, json};

/// A 1×1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

#[tokio::test]
async fn basic_methods() {
    let server = Server::start().await;
    let admin = server.client_for(1, None).await;

    let mine = admin.methods(None, false).await.unwrap();
    assert!(mine.iter().any(|m| m == "im.message.add") && mine.iter().any(|m| m == "imbot.register"), "{mine:?}");
    let im = admin.methods(Some("im"), false).await.unwrap();
    assert!(im.iter().any(|m| m == "im.revision.get") && !im.iter().any(|m| m == "imbot.register"), "{im:?}");
    let basic = admin.methods(Some(""), false).await.unwrap();
    assert!(basic.iter().any(|m| m == "method.get"), "{basic:?}");
    let all = admin.methods(None, true).await.unwrap();
    assert!(all.len() >= mine.len());

    let info = admin.method_get("imbot.register").await.unwrap();
    assert!(info.is_existing && info.is_available, "{info:?}");
    assert!(!admin.method_get("no.such.method").await.unwrap().is_existing);
    let im_only = Client::webhook(server.webhook_for(1, "im").await).build().unwrap();
    let info = im_only.method_get("imbot.register").await.unwrap();
    assert!(info.is_existing && !info.is_available, "{info:?}");

    let scopes = admin.scope(false).await.unwrap();
    for s in ["im", "imbot", "user"] {
        assert!(scopes.iter().any(|x| x == s), "{s} in {scopes:?}");
    }
    assert_eq!(im_only.scope(false).await.unwrap(), vec!["im".to_owned()]);
    assert!(admin.scope(true).await.unwrap().len() >= scopes.len());

    let me = admin.profile().await.unwrap().expect("an active user");
    assert_eq!((me.id, me.admin), (1, true));
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let sv = server.client_for(svetlana, None).await.profile().await.unwrap().unwrap();
    assert_eq!((sv.id, sv.admin, sv.name.as_str(), sv.last_name.as_str()), (svetlana, false, "Svetlana", "Ivanova"));

    // app.info needs an application: a webhook is denied.
    let err = admin.app_info().await.unwrap_err();
    assert!(err.is_api("ACCESS_DENIED") && err.status() == Some(403), "{err}");
    server.stop().await;
}

#[tokio::test]
async fn im_chat_and_dialog_methods() {
    let server = Server::start().await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let klaus = server.add_user("Klaus Weber").await;
    let anna = server.add_user("Anna Schmidt").await;
    let person = server.client_for(svetlana, None).await;
    let klaus_client = server.client_for(klaus, None).await;

    assert_eq!(person.im_revision_get().await.unwrap().rest, 32);

    let chat = NewChat {
        users: vec![klaus, anna],
        entity_type: Some("SDK_IM".into()),
        entity_id: Some("e-1".into()),
        ..NewChat::titled("Im chat")
    };
    let chat_id = person.im_chat_add(&chat).await.unwrap();
    assert_eq!(person.im_chat_get("SDK_IM", "e-1").await.unwrap(), Some(chat_id));
    assert_eq!(person.im_chat_get("SDK_IM", "nope").await.unwrap(), None);
    let dialog = DialogId::Chat(chat_id);

    // Members, whole and paged.
    let page = person.im_dialog_users_list(&DialogUsersQuery::of(dialog), 0).await.unwrap();
    assert_eq!(page.total, Some(3));
    let mut ids: Vec<i64> = page.items.iter().map(|u| u.id).collect();
    ids.sort();
    assert_eq!(ids, vec![svetlana, klaus, anna]);
    assert!(page.items.iter().any(|u| u.id == klaus && u.name == "Klaus Weber"));
    let q = DialogUsersQuery { limit: Some(2), ..DialogUsersQuery::of(dialog) };
    let first = person.im_dialog_users_list(&q, 0).await.unwrap();
    assert_eq!((first.items.len(), first.next, first.total), (2, Some(2), Some(3)));
    let second = person.im_dialog_users_list(&q, first.next.unwrap()).await.unwrap();
    assert_eq!((second.items.len(), second.next), (1, None));

    assert!(person.im_dialog_writing(dialog).await.unwrap());

    // Klaus writes; Svetlana reads everything, then marks it unread from the first message on.
    let m1 = klaus_client.im_message_add(&NewMessage::new(dialog, "one")).await.unwrap();
    klaus_client.im_message_add(&NewMessage::new(dialog, "two")).await.unwrap();
    assert_eq!(person.im_dialog_read(dialog, None).await.unwrap().unwrap().counter, 0);
    assert!(person.im_dialog_unread(dialog, m1).await.unwrap());

    // The owner removes Anna; Klaus leaves.
    assert!(person.im_chat_user_delete(chat_id, anna).await.unwrap());
    assert!(!person.im_chat_user_list(chat_id).await.unwrap().contains(&anna));
    assert!(klaus_client.im_chat_leave(chat_id).await.unwrap());
    assert_eq!(person.im_chat_user_list(chat_id).await.unwrap(), vec![svetlana]);
    // Klaus is no member any more: he cannot remove anyone.
    assert!(klaus_client.im_chat_user_delete(chat_id, svetlana).await.is_err());
    server.stop().await;
}

#[tokio::test]
async fn imbot_chat_settings() {
    let server = Server::start().await;
    let admin = server.client_for(1, Some("sdk_chat_settings")).await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let bot =
        admin.imbot_register(&RegisterBot::new("sdk_settings_bot", "Settings", "http://127.0.0.1:9/")).await.unwrap();
    let chat_id = admin
        .imbot_chat_add(Some(bot), &NewChat { users: vec![1, svetlana], ..NewChat::titled("Before") })
        .await
        .unwrap();
    let dialog = DialogId::Chat(chat_id);

    assert!(admin.imbot_chat_update_title(Some(bot), chat_id, "After").await.unwrap());
    assert!(admin.imbot_chat_update_color(Some(bot), chat_id, "MINT").await.unwrap());
    assert!(admin.imbot_chat_set_manager(Some(bot), chat_id, svetlana, true).await.unwrap());
    let d = admin.imbot_dialog_get(dialog).await.unwrap();
    assert_eq!(d.name, "After");
    assert!(d.manager_list.contains(&svetlana), "{:?}", d.manager_list);
    assert!(!d.color.is_empty());
    assert!(admin.imbot_chat_set_manager(Some(bot), chat_id, svetlana, false).await.unwrap());
    assert!(!admin.imbot_dialog_get(dialog).await.unwrap().manager_list.contains(&svetlana));
    assert!(admin.imbot_chat_update_avatar(Some(bot), chat_id, PNG).await.unwrap());
    assert!(admin.imbot_chat_set_owner(Some(bot), chat_id, svetlana).await.unwrap());
    assert_eq!(admin.imbot_dialog_get(dialog).await.unwrap().owner, svetlana);

    // Typed errors of the settings.
    let err = admin.imbot_chat_update_color(Some(bot), chat_id, "NOT_A_COLOR").await.unwrap_err();
    assert!(err.is_api("WRONG_COLOR"), "{err}");
    let err = admin.imbot_chat_update_avatar(Some(bot), chat_id, "bm90IGFuIGltYWdl").await.unwrap_err();
    assert!(err.is_api("AVATAR_ERROR"), "{err}");
    let err = admin.imbot_chat_update_title(Some(bot), chat_id, " ").await.unwrap_err();
    assert!(err.is_api("TITLE_EMPTY"), "{err}");
    server.stop().await;
}

#[tokio::test]
async fn generic_events_and_the_offline_queue() {
    let server = Server::start().await;
    let creds = server.oauth_app(1, "im,imbot,user", 3600).await;
    let (app, tokens) = server.oauth_parts(&creds);
    let client = Client::oauth(app, tokens).build().unwrap();

    let info = client.app_info().await.unwrap();
    assert_eq!(info.code, creds.client_id);
    assert!(info.id > 0);

    let names = client.events(None, false).await.unwrap();
    assert!(names.iter().any(|e| e == "ONUSERADD") && names.iter().any(|e| e == "ONAPPTEST"), "{names:?}");
    assert_eq!(client.events(Some("user"), false).await.unwrap(), vec!["ONUSERADD".to_owned()]);
    assert!(client.events(None, true).await.unwrap().len() >= names.len());
    assert!(client.event_test(json!({"any": "data"})).await.unwrap());

    // The offline queue: three ONUSERADD events.
    let offline = EventBinding { event_type: Some("offline".into()), ..EventBinding::new("ONUSERADD", "") };
    assert!(client.event_bind(&offline).await.unwrap());
    let users = [server.add_user("U One").await, server.add_user("U Two").await, server.add_user("U Three").await];
    let page = client.event_offline_list(&OfflineList::default(), 0).await.unwrap();
    assert_eq!((page.items.len(), page.total, page.next), (3, Some(3), None));
    for (row, id) in page.items.iter().zip(users) {
        assert_eq!(row.event_name, "ONUSERADD");
        assert_eq!(row.event_data["ID"], id.to_string());
        assert_eq!((row.message_id.len(), row.process_id.as_str(), row.error), (32, "", false));
    }
    let mut filter = Map::new();
    filter.insert(">ID".into(), page.items[0].id.into());
    let later =
        client.event_offline_list(&OfflineList { filter: Some(filter), ..Default::default() }, 0).await.unwrap();
    assert_eq!(later.items.len(), 2);

    // Reserve two, take the third, then settle the reserved ones.
    let got = client
        .event_offline_get(&OfflineGet { clear: Some(false), limit: Some(2), ..Default::default() })
        .await
        .unwrap();
    let pid = got.process_id.clone().expect("a process id");
    assert_eq!((pid.len(), got.events.len()), (32, 2));
    let rest = client.event_offline_get(&OfflineGet::default()).await.unwrap();
    assert_eq!((rest.process_id.as_deref(), rest.events.len()), (None, 1));
    assert_eq!(rest.events[0].event_data["ID"], users[2].to_string());
    let again = client
        .event_offline_get(&OfflineGet { process_id: Some(pid.clone()), clear: Some(false), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(again.events, got.events);

    let failed = got.events[0].message_id.clone();
    let ok_one = got.events[1].message_id.clone();
    assert!(client.event_offline_error(&pid, std::slice::from_ref(&failed), None).await.unwrap());
    let mut errors = Map::new();
    errors.insert("ERROR".into(), 1.into());
    let errs = client.event_offline_list(&OfflineList { filter: Some(errors), ..Default::default() }, 0).await.unwrap();
    assert_eq!(errs.items.len(), 1);
    assert!(errs.items[0].error);
    let clear = OfflineClear { message_id: Some(vec![ok_one]), ..OfflineClear::batch(&pid) };
    assert!(client.event_offline_clear(&clear).await.unwrap());
    assert_eq!(client.event_offline_list(&OfflineList::default(), 0).await.unwrap().total, Some(1));
    let retry = client.event_offline_get(&OfflineGet { error: Some(true), ..Default::default() }).await.unwrap();
    assert_eq!(retry.events[0].message_id, failed);
    assert_eq!(client.event_offline_list(&OfflineList::default(), 0).await.unwrap().total, Some(0));

    // A webhook has no application context.
    let hook = server.client_for(1, None).await;
    assert!(hook.events(None, false).await.unwrap_err().is_api("WRONG_AUTH_TYPE"));
    assert!(hook.event_offline_get(&OfflineGet::default()).await.unwrap_err().is_api("WRONG_AUTH_TYPE"));
    server.stop().await;
}

#[tokio::test]
async fn the_delivery_log() {
    let server = Server::start().await;
    // A handler that accepts every event.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let handler = format!("http://{}/events", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(|| async { "ok" });
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });

    let admin = server.client_for(1, Some("sdk_delivery")).await;
    let svetlana = server.add_user("Svetlana Ivanova").await;
    let person = server.client_for(svetlana, None).await;
    let bot = admin.imbot_register(&RegisterBot::new("sdk_delivery_bot", "Delivery", &handler)).await.unwrap();
    person.im_message_add(&NewMessage::new(DialogId::User(bot), "hello bot")).await.unwrap();

    let q = DeliveryQuery { event: Some("ONIMBOTMESSAGEADD".into()), ..Default::default() };
    let delivered = wait_for("a delivered event", 10, || {
        let admin = admin.clone();
        let q = q.clone();
        async move {
            let list = admin.imbotd_delivery_list(&q).await.unwrap();
            list.into_iter().find(|d| d.status == "delivered")
        }
    })
    .await;
    assert_eq!((delivered.handler_url.as_str(), delivered.attempts), (handler.as_str(), 1));
    assert!(delivered.delivered_at.is_some() && delivered.log.is_empty());
    let failed = DeliveryQuery { status: Some("failed".into()), ..Default::default() };
    assert!(admin.imbotd_delivery_list(&failed).await.unwrap().is_empty());

    let one = admin.imbotd_delivery_get(delivered.id).await.unwrap();
    assert_eq!((one.id, one.event.as_str()), (delivered.id, "ONIMBOTMESSAGEADD"));
    assert_eq!(one.log.len(), 1);
    assert_eq!((one.log[0].attempt, one.log[0].http_status), (1, Some(200)));
    // The attempt's URL is the handler's, with the webhook bot's CLIENT_ID as a query parameter.
    assert!(one.log[0].url.starts_with(&handler), "{}", one.log[0].url);

    // Replay it: a second attempt.
    assert!(admin.imbotd_delivery_resend(delivered.id).await.unwrap());
    wait_for("the replay", 10, || {
        let admin = admin.clone();
        async move {
            let d = admin.imbotd_delivery_get(delivered.id).await.unwrap();
            (d.status == "delivered" && d.log.len() == 2).then_some(())
        }
    })
    .await;

    let status = admin.imbotd_delivery_status(Some(&handler)).await.unwrap();
    assert_eq!(status.len(), 1, "{status:?}");
    assert_eq!((status[0].url.as_str(), status[0].failed), (handler.as_str(), 0));
    assert!(status[0].delivered >= 1 && status[0].disabled_at.is_none(), "{status:?}");
    assert!(admin.imbotd_delivery_status(None).await.unwrap().iter().any(|h| h.url == handler));
    assert_eq!(admin.imbotd_delivery_ping(&handler).await.unwrap(), 0, "nothing waits");

    // Typed errors: an unknown event, a URL of nobody's, a person without CLIENT_ID.
    assert!(admin.imbotd_delivery_get(999_999).await.unwrap_err().is_api("ERROR_ARGUMENT"));
    assert!(admin.imbotd_delivery_ping("http://127.0.0.1:9/other").await.unwrap_err().is_api("ERROR_ARGUMENT"));
    assert!(person.imbotd_delivery_list(&DeliveryQuery::default()).await.unwrap_err().is_api("ACCESS_DENIED"));
    serving.abort();
    server.stop().await;
}
