//! Handlers that break the connection: one that closes it without answering, one that closes it in the middle
//! of its status line, and one that answers 200 but cuts its body short. A raw TCP fake (axum cannot drop a
//! connection on purpose) switches behaviour per connection; the event is retried with the same delivery id
//! until an attempt gets a status, and every attempt is in the log with its error.

mod bot_util;
mod common;

use bot_util::*;
use common::TestServer;
use serde_json::json;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the fake does with one connection.
#[derive(Debug, Clone, Copy)]
enum Act {
    /// Read the request, then close without a byte of answer.
    Close,
    /// Send half a status line, then close.
    CloseMidStatus,
    /// Send `200` with `Content-Length: 100` and 10 bytes, then close.
    CloseMidBody,
    /// Answer `200 ok` properly.
    Answer,
}

/// A handler acting out `script` (one act per connection; the last repeats), recording each request's
/// `webhook-id` header.
async fn scripted(script: Vec<Act>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut n = 0;
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let act = script[n.min(script.len() - 1)];
            n += 1;
            let head = read_request(&mut sock).await;
            let id = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("webhook-id:").map(|v| v.trim().to_owned()))
                .unwrap_or_default();
            log.lock().unwrap().push(id);
            let _ = match act {
                Act::Close => Ok(()),
                Act::CloseMidStatus => sock.write_all(b"HTTP/1.1 2").await,
                Act::CloseMidBody => sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789").await,
                Act::Answer => {
                    sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await
                }
            };
            let _ = sock.shutdown().await;
        }
    });
    (url, seen)
}

/// Read a request's head and its `Content-Length` body; returns the head.
async fn read_request(sock: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let len: usize = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                match sock.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            return head;
        }
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&buf).into_owned(),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn fast_retry_server() -> TestServer {
    logs();
    TestServer::start_with(|c| {
        c.delivery_retry_schedule = vec![1];
        c.delivery_jitter = 0.0;
    })
    .await
}

async fn wait_status(s: &TestServer, id: i64, want: &str) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let st = imbotd::store::outbox::status(&s.state.store, id).await.expect("status");
        if st.as_deref() == Some(want) {
            return;
        }
        assert!(std::time::Instant::now() < until, "event {id} is {st:?}, expected {want}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn closed_connections_are_retried_with_the_same_delivery_id() {
    let s = fast_retry_server().await;
    let (url, seen) = scripted(vec![Act::Close, Act::CloseMidStatus, Act::Answer]).await;
    let a = Api::oauth(&s, 1).await;
    a.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "handler": url})).await;
    a.ok(&s, "event.test", json!({"n": 1})).await;
    let row = queued(&s, "ONAPPTEST").await.into_iter().next().expect("queued");
    wait_status(&s, row.id, "delivered").await;
    let attempts = imbotd::store::outbox::attempts(&s.state.store, row.id).await.expect("attempts");
    assert_eq!(attempts.len(), 3, "{attempts:#?}");
    for a in &attempts[..2] {
        assert_eq!(a.http_status, None);
        assert!(a.error.as_deref().is_some_and(|e| e.starts_with("cannot reach the handler")), "{a:?}");
        assert!(a.next_attempt_at.is_some(), "a retry was scheduled: {a:?}");
    }
    assert_eq!(attempts[2].http_status, Some(200));
    assert_eq!(attempts[2].response, "ok");
    let ids = seen.lock().unwrap().clone();
    assert_eq!(ids.len(), 3);
    assert!(!ids[0].is_empty() && ids.iter().all(|i| *i == ids[0]), "one delivery id on every attempt: {ids:?}");
}

#[tokio::test]
async fn a_200_with_a_cut_body_counts_as_delivered() {
    let s = fast_retry_server().await;
    let (url, seen) = scripted(vec![Act::CloseMidBody, Act::Answer]).await;
    let a = Api::oauth(&s, 1).await;
    a.ok(&s, "event.bind", json!({"event": "ONAPPTEST", "handler": url})).await;
    a.ok(&s, "event.test", json!({})).await;
    let row = queued(&s, "ONAPPTEST").await.into_iter().next().expect("queued");
    wait_status(&s, row.id, "delivered").await;
    let attempts = imbotd::store::outbox::attempts(&s.state.store, row.id).await.expect("attempts");
    assert_eq!(attempts.len(), 1, "the status line said 200: {attempts:#?}");
    assert_eq!(attempts[0].http_status, Some(200));
    assert_eq!(attempts[0].response, "0123456789", "what arrived before the cut is logged");
    assert_eq!(seen.lock().unwrap().len(), 1);
}
