//! Files in chats: posting one with a message, who may fetch it, its one-time download links, and the File
//! object the v2 methods and `im.dialog.messages.get` print (docs/v2.md §4.5, docs/compat.md "Files").
//!
//! [`upload`] describes the content (type by content for images, by extension otherwise; image dimensions from
//! the header), writes it durably to `[files] dir` ([`crate::store::blobs`]) and only then posts the
//! message that carries it ([`super::post_with_files`]: the file row, `FILE_ID` in the message's params, the
//! message and its events in one transaction). When the post fails the content is removed again, so a refused
//! upload leaves nothing behind.
//!
//! Failure modes: a write to disk that fails is [`UploadError::Write`] (the methods answer `FILE_UPLOAD_FAILED`
//! / `UPLOAD_FAILED`); a refusal of the messenger is [`UploadError::Post`] with its v1 code, which each method
//! maps to its own. Store errors stay 500. Nothing here panics on input.

use super::render::full_name;
use super::render_v2;
use crate::app::AppState;
use crate::domain::{ChatId, MessageId, UserId};
use crate::error::Error;
use crate::methods::imbot::chat_settings::{image_size, is_image};
use crate::store::blobs;
use crate::store::chats;
use crate::store::files::{self, NewFile, StoredFile};
use crate::store::users::{self, User};
use imbot_wire::v2::entities::{File, FileDetail};
use imbot_wire::v2::enums::FileType;
use imbot_wire::v2::requests::{extension_of, FileUpload};
use imbot_wire::DialogId;
use serde_json::{json, Map, Value};

/// The prefix of a download link's token, naming the API that issued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `imbot.v2.File.download`.
    Imbot,
    /// `im.v2.File.download` and the URLs of `im.v2.File.upload`'s answer.
    Im,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Imbot => "imbot",
            LinkKind::Im => "im",
        }
    }

    pub fn parse(s: &str) -> Option<LinkKind> {
        match s {
            "imbot" => Some(LinkKind::Imbot),
            "im" => Some(LinkKind::Im),
            _ => None,
        }
    }
}

/// What the content is: (type, image `(width, height)`). An image is recognised by its signature (PNG, JPEG,
/// GIF, WebP) whatever its name; a name that claims an image the content is not gives `file` (SVG, which is
/// text, goes by its extension); video and audio go by the extension.
pub fn describe(extension: &str, content: &[u8]) -> (FileType, Option<(i64, i64)>) {
    if is_image(content) {
        let dims = image_size(content).map(|(w, h)| (i64::from(w), i64::from(h)));
        return (FileType::Image, dims);
    }
    match FileType::from_extension(extension) {
        FileType::Image if extension != "svg" => (FileType::File, None),
        other => (other, None),
    }
}

/// The `Content-Type` a download is served with, by extension (`application/octet-stream` when unknown).
pub fn content_type(extension: &str) -> &'static str {
    match extension {
        "txt" | "log" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "xml" => "application/xml",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "tar" => "application/x-tar",
        "7z" => "application/x-7z-compressed",
        "rar" => "application/vnd.rar",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "rtf" => "application/rtf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "svg" => "image/svg+xml",
        "heic" => "image/heic",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "flac" => "audio/flac",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        "mkv" => "video/x-matroska",
        _ => "application/octet-stream",
    }
}

/// Why an upload did not happen.
#[derive(Debug)]
pub enum UploadError {
    /// The content could not be written to disk (logged with its cause).
    Write(std::io::Error),
    /// The messenger refused the post (not a member, no right to post, no such user…) or the store failed.
    Post(Error),
}

/// What an upload made.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub file: StoredFile,
    pub chat_id: ChatId,
    pub message_id: MessageId,
}

/// Post `up` as `author`: the content to disk first, then the message with the file (see the module note).
pub async fn upload(state: &AppState, author: &User, up: FileUpload) -> Result<Uploaded, UploadError> {
    let FileUpload { dialog_id, name, content, message } = up;
    let extension = extension_of(&name);
    let (kind, image) = describe(&extension, &content);
    let written = blobs::write(&state.config.file_dir, content).await.map_err(UploadError::Write)?;
    let new = NewFile {
        author_id: author.id,
        name,
        extension,
        size: i64::try_from(written.size).unwrap_or(i64::MAX),
        kind: kind.as_str().to_owned(),
        image,
        storage_key: written.key.clone(),
        sha256: written.sha256.clone(),
    };
    let post = super::Post { text: message.unwrap_or_default(), ..Default::default() };
    let now = state.clock.unix();
    match super::post_with_files(state, author, dialog_id, post, std::slice::from_ref(&new)).await {
        Ok((chat_id, message_id, ids)) => {
            let id = ids.first().copied().ok_or_else(|| UploadError::Post(Error::Internal("no file id".into())))?;
            let file = StoredFile {
                id,
                chat_id,
                message_id,
                author_id: new.author_id,
                name: new.name,
                extension: new.extension,
                size: new.size,
                kind: new.kind,
                image: new.image,
                storage_key: new.storage_key,
                sha256: new.sha256,
                created_at: now,
            };
            Ok(Uploaded { file, chat_id, message_id })
        }
        Err(e) => {
            if let Err(io) = blobs::remove(&state.config.file_dir, &written.key).await {
                tracing::warn!(error = %io, "cannot remove the content of a refused upload");
            }
            Err(UploadError::Post(e))
        }
    }
}

/// Whether `user` is a member of `f`'s chat who can see `f`'s message (history hidden before joining stays
/// hidden). The bot rule of `imbot.v2.File.download`.
pub async fn member_sees(state: &AppState, user: UserId, f: &StoredFile) -> Result<bool, Error> {
    Ok(chats::member(&state.store, f.chat_id, user).await?.is_some_and(|m| f.message_id >= m.start_id))
}

/// Whether `user` can see `f` through `dialog`, as history reads decide (`super::open_for_read`: members, and
/// intranet users reading an open chat): `Err(ACCESS_ERROR)` when the dialog is not theirs to read, `Ok(false)`
/// when `f` is not in that dialog's chat, and `Ok(true)` otherwise. A member who joined after `f` was posted
/// with history hidden gets `ACCESS_ERROR` too.
pub async fn sees_in_dialog(state: &AppState, user: &User, dialog: DialogId, f: &StoredFile) -> Result<bool, Error> {
    let view = super::open_for_read(state, user, dialog).await?;
    let Some(chat) = &view.chat else { return Ok(false) };
    if chat.id != f.chat_id {
        return Ok(false);
    }
    if view.member.as_ref().is_some_and(|m| f.message_id < m.start_id) {
        return Err(super::access_error());
    }
    Ok(true)
}

/// A new one-time link to `f` (valid `[files] download_ttl` seconds):
/// `{client_endpoint}download.json?token={kind}%7C{token}`.
pub async fn download_link(state: &AppState, f: &StoredFile, kind: LinkKind) -> Result<String, Error> {
    let token =
        files::issue_token(&state.store, f.id, kind.as_str(), state.config.file_download_ttl, state.clock.unix())
            .await?;
    Ok(imbot_wire::v2::results::download_url(&state.urls.client_endpoint(), kind.as_str(), &token))
}

/// Which shape the viewer attributes take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// `im.v2.File.upload`'s example: `viewer, viewerType, src, objectId, viewerGroupBy, imChatId, title,
    /// unifiedLink, actions`.
    V2,
    /// `im.dialog.messages.get`'s example: `viewer, viewerType, src, viewerResized, objectId, viewerGroupBy,
    /// imChatId, title, actions`.
    V1,
}

/// The detailed part of a File: every URL is `url` (one link: the first GET spends it; `""` when the answer
/// carries no link), no previews (`urlPreview` and `mediaUrl.preview.250` are `""`).
pub fn detail(f: &StoredFile, url: &str, viewer: Viewer) -> FileDetail {
    let viewer_type = match f.kind.as_str() {
        "image" => "image",
        "video" => "video",
        "audio" => "audio",
        _ => "code",
    };
    let mut va = Map::new();
    va.insert("viewer".into(), "".into());
    va.insert("viewerType".into(), viewer_type.into());
    va.insert("src".into(), url.into());
    if viewer == Viewer::V1 {
        va.insert("viewerResized".into(), "".into());
    }
    va.insert("objectId".into(), f.id.to_string().into());
    va.insert("viewerGroupBy".into(), f.chat_id.0.to_string().into());
    va.insert("imChatId".into(), f.chat_id.0.into());
    va.insert("title".into(), f.name.clone().into());
    if viewer == Viewer::V2 {
        va.insert("unifiedLink".into(), url.into());
    }
    va.insert("actions".into(), json!([{"type": "download"}]).to_string().into());
    let mut media = Map::new();
    media.insert("preview".into(), json!({"250": ""}));
    FileDetail {
        status: "done".into(),
        progress: 100,
        url_preview: String::new(),
        url_show: url.to_owned(),
        url_download: url.to_owned(),
        viewer_attrs: va,
        media_url: media,
    }
}

/// The File object of `f`; `author` is its author when the caller has them at hand (else read).
pub async fn entity(
    state: &AppState,
    f: &StoredFile,
    author: Option<&User>,
    detail: Option<FileDetail>,
) -> Result<File, Error> {
    let author_name = match author {
        Some(u) => full_name(u),
        None => users::get(&state.store, f.author_id).await?.map(|u| full_name(&u)).unwrap_or_default(),
    };
    Ok(File {
        id: f.id,
        chat_id: f.chat_id.0,
        date: render_v2::at(f.created_at, state.config.timezone),
        file_type: FileType::parse(&f.kind).unwrap_or(FileType::File),
        name: f.name.clone(),
        extension: f.extension.clone(),
        size: f.size,
        image: f.image,
        author_id: f.author_id.0,
        author_name,
        is_transcribable: false,
        is_video_note: false,
        is_voice_note: false,
        detail,
    })
}

/// `FILE_ID` of a message's params: the file ids it carries (non-positive and non-numeric entries skipped).
pub fn file_ids(params: &Map<String, Value>) -> Vec<i64> {
    let Some(v) = params.get("FILE_ID") else { return Vec::new() };
    imbot_wire::params::value_list(v).into_iter().filter_map(imbot_wire::params::value_int).filter(|i| *i > 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_by_content_then_extension() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x48\0\0\0\x3d\x08\x06\0\0\0";
        assert_eq!(describe("txt", png), (FileType::Image, Some((72, 61))));
        assert_eq!(describe("png", b"not an image"), (FileType::File, None));
        assert_eq!(describe("svg", b"<svg/>"), (FileType::Image, None));
        assert_eq!(describe("mp3", b"ID3"), (FileType::Audio, None));
        assert_eq!(describe("pdf", b"%PDF-1.4"), (FileType::File, None));
        assert_eq!(content_type("pdf"), "application/pdf");
        assert_eq!(content_type("exe"), "application/octet-stream");
    }

    #[test]
    fn file_ids_of_params() {
        let p: Map<String, Value> = serde_json::from_value(json!({"FILE_ID": [3, "4", 0, "x"]})).unwrap();
        assert_eq!(file_ids(&p), vec![3, 4]);
        assert!(file_ids(&Map::new()).is_empty());
    }
}
