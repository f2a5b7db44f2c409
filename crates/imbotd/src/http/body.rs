//! Request parameters from the query string and the body (COMPAT R2–R4).
//!
//! Query first, then the body on top (PHP `$_REQUEST`: body wins, arrays merge recursively). Bodies by `Content-Type`:
//! JSON (an object; `[]` or `{}` = no params; a non-empty list gives keys 0..n-1 as PHP's `json_decode` would),
//! `application/x-www-form-urlencoded` (PHP `parse_str`), `multipart/form-data` (each field registered as PHP
//! would; a file part becomes `[filename, base64(content)]`, Bitrix's file-field form), or empty. A body without a
//! content type is read as JSON when it looks like JSON, else as a form. Malformed input and bodies over
//! `max_body_bytes` are `400 INVALID_REQUEST` with a description saying what was wrong; the two file upload
//! methods have `max_upload_bytes` instead, and a body over it is `400 FILE_TOO_LARGE` ([`read_upload_body`]).

use crate::error::Error;
use axum::body::Body;
use axum::http::{header, HeaderMap};
use base64::Engine as _;
use imbot_wire::form::{merge_request_vars, parse_str_into};
use imbot_wire::ErrorCode;
use serde_json::{Map, Value};

fn invalid(msg: impl Into<String>) -> Error {
    Error::api(ErrorCode::INVALID_REQUEST, msg)
}

/// Read the whole body, refusing more than `limit` bytes.
pub async fn read_body(body: Body, limit: usize, timeout: std::time::Duration) -> Result<bytes::Bytes, Error> {
    read_limited(body, limit, timeout)
        .await
        .map_err(|e| e.unwrap_or_else(|| invalid(format!("Request body is larger than {limit} bytes"))))
}

/// The body of a file upload (`max_upload_bytes`): more than `limit` bytes is `400 FILE_TOO_LARGE`, and a
/// `Content-Length` above it is refused before a byte of the body is read (a body without one is read only up
/// to the limit, never further).
pub async fn read_upload_body(
    body: Body,
    headers: &HeaderMap,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<bytes::Bytes, Error> {
    let too_large = || {
        Error::api(
            imbot_wire::v2::errors::FILE_TOO_LARGE,
            format!("File too large: the request body is larger than {limit} bytes"),
        )
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    read_limited(body, limit, timeout).await.map_err(|e| e.unwrap_or_else(too_large))
}

/// Read up to `limit` bytes: `Err(None)` when the body is longer, `Err(Some(e))` for any other failure.
async fn read_limited(body: Body, limit: usize, timeout: std::time::Duration) -> Result<bytes::Bytes, Option<Error>> {
    let read = tokio::time::timeout(timeout, axum::body::to_bytes(body, limit))
        .await
        .map_err(|_| Some(invalid(format!("The request body did not arrive within {} s", timeout.as_secs()))))?;
    read.map_err(|e| {
        let too_big = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.to_string().contains("length limit");
        if too_big {
            None
        } else {
            Some(invalid(format!("Cannot read the request body: {e}")))
        }
    })
}

/// Merge `query` and `body` into one parameter map, as PHP builds `$_REQUEST` (body over query, arrays
/// merged recursively: query `a[x]=1` and body `a[y]=2` give `a = {x:1, y:2}`).
pub async fn params(query: Option<&str>, headers: &HeaderMap, body: bytes::Bytes) -> Result<Map<String, Value>, Error> {
    let mut map = Map::new();
    if let Some(q) = query {
        parse_str_into(&mut map, q);
    }
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(map);
    }
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let essence = ctype.split(';').next().unwrap_or("").trim().to_owned();
    let mut from_body = Map::new();
    if essence == "application/json" || essence.ends_with("+json") {
        merge_json(&mut from_body, &body)?;
    } else if essence == "multipart/form-data" {
        merge_multipart(&mut from_body, &ctype, headers, body).await?;
    } else if essence == "application/x-www-form-urlencoded" {
        merge_form(&mut from_body, &body)?;
    } else {
        let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if matches!(first, Some(b'{') | Some(b'[')) {
            merge_json(&mut from_body, &body)?;
        } else {
            merge_form(&mut from_body, &body)?;
        }
    }
    merge_request_vars(&mut map, from_body);
    Ok(map)
}

fn merge_form(map: &mut Map<String, Value>, body: &[u8]) -> Result<(), Error> {
    let text = std::str::from_utf8(body).map_err(|_| invalid("The form body is not valid UTF-8"))?;
    parse_str_into(map, text);
    Ok(())
}

fn merge_json(map: &mut Map<String, Value>, body: &[u8]) -> Result<(), Error> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| invalid(format!("The request body is not valid JSON: {e}")))?;
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                map.insert(k, v);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.into_iter().enumerate() {
                map.insert(i.to_string(), v);
            }
        }
        Value::Null => {}
        _ => return Err(invalid("The JSON body must be an object of parameters")),
    }
    Ok(())
}

async fn merge_multipart(
    map: &mut Map<String, Value>,
    ctype: &str,
    headers: &HeaderMap,
    body: bytes::Bytes,
) -> Result<(), Error> {
    let raw_ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or(ctype);
    let boundary = multer::parse_boundary(raw_ctype).map_err(|e| invalid(format!("Bad multipart/form-data: {e}")))?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(invalid(format!("Bad multipart/form-data: {e}"))),
        };
        let Some(name) = field.name().map(str::to_owned) else { continue };
        let file_name = field.file_name().map(str::to_owned);
        let data = field.bytes().await.map_err(|e| invalid(format!("Bad multipart/form-data: {e}")))?;
        let enc = |s: &str| percent_encode(s);
        match file_name {
            Some(fname) => {
                parse_str_into(
                    map,
                    &format!(
                        "{}[0]={}&{}[1]={}",
                        enc(&name),
                        enc(&fname),
                        enc(&name),
                        enc(&base64::engine::general_purpose::STANDARD.encode(&data))
                    ),
                );
            }
            None => {
                let text = String::from_utf8(data.to_vec())
                    .map_err(|_| invalid(format!("Multipart field {name} is not valid UTF-8")))?;
                parse_str_into(map, &format!("{}={}", enc(&name), enc(&text)));
            }
        }
    }
    Ok(())
}

fn percent_encode(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
