//! `GET /rest/download.json?token={imbot|im}|{token}` — the one-time links of `imbot.v2.File.download`,
//! `im.v2.File.download` and `im.v2.File.upload`'s answer (docs/compat.md "Files").
//!
//! The token is spent first (one statement checks and marks it, so a link serves exactly one GET), then the file
//! is streamed from `[files] dir` in 64 KiB chunks with `Content-Type` by extension, `Content-Length`,
//! `Content-Disposition: attachment` (an ASCII `filename` and the exact `filename*=UTF-8''…`),
//! `X-Content-Type-Options: nosniff` and `Cache-Control: no-store`. The link is the credential: no other
//! authentication is asked for (as Bitrix's download links), but `require_https` applies as to REST calls.
//!
//! Failure modes, each in Bitrix's shape: a missing, malformed, unknown, used or expired token, or a file that
//! is gone (its message deleted, its content missing) → `404 FILE_NOT_FOUND`; a method other than GET →
//! `405 METHOD_NOT_ALLOWED` (a HEAD would spend the token without delivering the file); plain HTTP under
//! `require_https` → `400 INVALID_REQUEST`. A read error in mid-stream ends the response early (logged).

use super::{error_response, json_response, Ctx, Scheme};
use crate::error::Error;
use crate::messenger::files::{content_type, LinkKind};
use crate::store::{blobs, files};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use imbot_wire::params::scalar_string;
use imbot_wire::{ApiError, ErrorCode};
use std::borrow::Cow;
use tokio::io::AsyncReadExt;

/// Whether a normalised path is the download route (`/rest/download.json`, also without `.json` or with a
/// trailing `/`, in any case).
pub fn is_download_path(lower: &str) -> bool {
    matches!(lower, "/rest/download.json" | "/rest/download.json/" | "/rest/download" | "/rest/download/")
}

fn not_found() -> ApiError {
    ApiError {
        code: Cow::Borrowed("FILE_NOT_FOUND"),
        status: 404,
        description: Cow::Borrowed("File not found, or the download link was already used or has expired"),
    }
}

pub async fn handle(ctx: Ctx, req: Request) -> Response {
    if req.method() != Method::GET {
        let text =
            format!("{} is not allowed on {}; download links are fetched with GET", req.method(), req.uri().path());
        return json_response(405, &serde_json::json!({"error": "METHOD_NOT_ALLOWED", "error_description": text}));
    }
    if ctx.state.config.require_https && ctx.scheme == Scheme::Http {
        return error_response(&ApiError::new(ErrorCode::INVALID_REQUEST));
    }
    let token = req.uri().query().and_then(|q| {
        let map = imbot_wire::form::parse_str(q);
        map.get("token").and_then(scalar_string)
    });
    match serve(&ctx, token).await {
        Ok(resp) => resp,
        Err(e) => error_response(&e),
    }
}

async fn serve(ctx: &Ctx, token: Option<String>) -> Result<Response, ApiError> {
    let state = &ctx.state;
    let internal = |e: Error| e.to_api();
    let token = token.ok_or_else(not_found)?;
    let (kind, secret) = token.split_once('|').ok_or_else(not_found)?;
    let kind = LinkKind::parse(kind).ok_or_else(not_found)?;
    let now = state.clock.unix();
    let id = files::consume(&state.store, kind.as_str(), secret, now)
        .await
        .map_err(|e| internal(e.into()))?
        .ok_or_else(not_found)?;
    let f = files::get(&state.store, id).await.map_err(|e| internal(e.into()))?.ok_or_else(not_found)?;
    let path = blobs::path_of(&state.config.file_dir, &f.storage_key).ok_or_else(not_found)?;
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::error!(file = f.id, path = %path.display(), "the content of a file is missing");
            return Err(not_found());
        }
        Err(e) => return Err(internal(Error::Internal(format!("cannot open {}: {e}", path.display())))),
    };
    let len = file
        .metadata()
        .await
        .map_err(|e| internal(Error::Internal(format!("cannot stat {}: {e}", path.display()))))?
        .len();
    tracing::info!(file = f.id, bytes = len, link = kind.as_str(), "file download");
    let mut resp = Response::new(Body::from_stream(chunks(file, f.id)));
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&f.extension)));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&f.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// The file as a stream of 64 KiB chunks; a read error is logged and ends the stream (the client sees a body
/// shorter than `Content-Length`).
fn chunks(
    file: tokio::fs::File,
    id: i64,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::unfold(Some((file, vec![0u8; 64 * 1024])), move |state| async move {
        let (mut file, mut buf) = state?;
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => Some((Ok(bytes::Bytes::copy_from_slice(&buf[..n])), Some((file, buf)))),
            Err(e) => {
                tracing::error!(file = id, error = %e, "reading a file for download failed");
                Some((Err(e), None))
            }
        }
    })
}

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the plain `filename` with every character
/// outside printable ASCII, `"` and `\` replaced by `_`, the extended one percent-encoded exactly.
pub fn content_disposition(name: &str) -> String {
    let plain: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let mut ext = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            ext.push(b as char);
        } else {
            ext.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions() {
        assert_eq!(
            content_disposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
        );
        assert_eq!(
            content_disposition("Отчёт \"1\".txt"),
            "attachment; filename=\"_____ _1_.txt\"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%221%22.txt"
        );
        assert!(HeaderValue::from_str(&content_disposition("a\r\nb")).is_ok());
    }

    #[test]
    fn route_forms() {
        assert!(is_download_path("/rest/download.json"));
        assert!(is_download_path("/rest/download"));
        assert!(!is_download_path("/rest/download.json.x"));
    }
}
