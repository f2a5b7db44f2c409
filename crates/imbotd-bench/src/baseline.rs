//! The bare baseline: the same HTTP stack as imbotd (axum 0.8 on hyper, HTTP/1.1 keep-alive, one tokio
//! runtime) answering every `POST /rest/…` with the same envelope imbotd builds (`result` + the `time` object,
//! PHP-style JSON), but with no authentication, no store and no method. Run as a separate process
//! (`imbotd-bench baseline-server`) so it has its own runtime and cores, like the real server.

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use imbot_wire::envelope::{Envelope, TimeInfo};
use serde_json::Value;

async fn answer() -> Response {
    let now = chrono::Utc::now();
    let time = TimeInfo {
        start: now,
        finish: chrono::Utc::now(),
        processing: 0.0,
        operating_reset_at: now.timestamp() + 600,
        operating: 0.0,
        offset: chrono::FixedOffset::east_opt(0).expect("UTC"),
    };
    let body = imbot_wire::json::to_php_json(&Envelope::new(Value::from(1)).to_value(&time));
    let mut r = Response::new(Body::from(body));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    r
}

/// Serve on 127.0.0.1:0 and print `listening http://ADDR` on stdout.
pub async fn serve() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    println!("listening http://{}", listener.local_addr().expect("addr"));
    let app = axum::Router::new().fallback(answer);
    axum::serve(listener, app).await.expect("serve");
}
