//! OAuth: refresh on `401 expired_token` through `/oauth/token/`, the new pair handed to the store, one refresh
//! for concurrent calls, refresh before the call when the expiry is known, and app-only methods (`event.*`).

use crate::common::Server;
use imbot_sdk::methods::other::EventBinding;
use imbot_sdk::{Client, Error, MemoryTokenStore, Tokens};

#[tokio::test]
async fn an_expired_token_is_refreshed_stored_and_the_call_retried() {
    let server = Server::start().await;
    let creds = server.oauth_app(1, "im,imbot,user", 0).await;
    let (app, tokens) = server.oauth_parts(&creds);

    // The token really is expired.
    let bare = Client::oauth(app.clone(), tokens.clone()).build().unwrap();
    let raw = reqwest::get(format!("{}/rest/user.current?auth={}", server.http, creds.access_token)).await.unwrap();
    assert_eq!(raw.status(), 401);
    assert!(raw.text().await.unwrap().contains("expired_token"));

    let store = MemoryTokenStore::default();
    let client = Client::oauth(app.clone(), tokens.clone()).token_store(store.clone()).build().unwrap();
    let me = client.user_current().await.unwrap();
    assert_eq!(me.id, 1);
    assert_eq!(store.saves(), 1, "one refresh");
    let saved = store.get().unwrap();
    assert_ne!(saved.access_token, creds.access_token);
    assert_ne!(saved.refresh_token, creds.refresh_token);
    assert_eq!(saved.client_endpoint, format!("{}/rest/", server.http));
    assert!(saved.expires.unwrap() > server.now() + 3000, "{saved:?}");
    assert_eq!(client.tokens().unwrap(), saved);
    // Later calls use the new pair without refreshing again.
    client.server_time().await.unwrap();
    assert_eq!(store.saves(), 1);

    // The old refresh token died with the refresh: a client still holding it must be authorised again.
    let err = bare.user_current().await.unwrap_err();
    assert!(matches!(err, Error::OAuth { ref code, status: 400, .. } if code == "invalid_grant"), "{err}");

    // The saved pair is what a restarted bot loads.
    let restarted = Client::oauth(app, saved).build().unwrap();
    assert_eq!(restarted.user_current().await.unwrap().id, 1);
    server.stop().await;
}

#[tokio::test]
async fn concurrent_expired_calls_share_one_refresh() {
    let server = Server::start().await;
    let creds = server.oauth_app(1, "im,imbot,user", 0).await;
    let (app, tokens) = server.oauth_parts(&creds);
    let store = MemoryTokenStore::default();
    let client = Client::oauth(app, tokens).token_store(store.clone()).build().unwrap();
    let calls = (0..6).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.server_time().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(store.saves(), 1, "one refresh for all");
    server.stop().await;
}

#[tokio::test]
async fn a_known_expiry_is_refreshed_before_the_call() {
    let server = Server::start().await;
    let creds = server.oauth_app(1, "im,imbot,user", 3600).await;
    let (app, tokens) = server.oauth_parts(&creds);
    let store = MemoryTokenStore::default();
    let stale: Tokens = tokens.expires_at(server.now() - 1);
    let client = Client::oauth(app, stale).token_store(store.clone()).build().unwrap();
    client.server_time().await.unwrap();
    assert_eq!(store.saves(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_wrong_secret_is_an_oauth_error() {
    let server = Server::start().await;
    let creds = server.oauth_app(1, "im", 0).await;
    let (mut app, tokens) = server.oauth_parts(&creds);
    app.client_secret = "wrong".into();
    let err = Client::oauth(app, tokens).build().unwrap().server_time().await.unwrap_err();
    assert!(matches!(err, Error::OAuth { ref code, status: 401, .. } if code == "invalid_client"), "{err}");
    server.stop().await;
}

#[tokio::test]
async fn events_are_bound_listed_and_unbound_by_an_app() {
    let server = Server::start().await;
    let creds = server.oauth_app(1, "im,imbot,user", 3600).await;
    let (app, tokens) = server.oauth_parts(&creds);
    let client = Client::oauth(app, tokens).build().unwrap();
    let binding = EventBinding::new("ONAPPTEST", "http://127.0.0.1:9/app-events");
    assert!(client.event_bind(&binding).await.unwrap());
    let bound = client.event_get().await.unwrap();
    assert!(bound.iter().any(|b| b.event == "ONAPPTEST" && b.handler == binding.handler && !b.offline), "{bound:?}");
    assert_eq!(client.event_unbind(&binding).await.unwrap(), 1);
    assert!(client.event_get().await.unwrap().is_empty());
    // A webhook cannot: a typed error.
    let hook = server.client_for(1, None).await;
    let err = hook.event_get().await.unwrap_err();
    assert!(err.is_api("WRONG_AUTH_TYPE"), "{err}");
    server.stop().await;
}
