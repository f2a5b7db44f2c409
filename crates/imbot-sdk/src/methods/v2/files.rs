//! `imbot.v2.File.*` (as the bot) and `im.v2.File.*` (as the calling user) (docs/v2.md §3.6, §3.7): one upload
//! call stores the file, attaches it to the dialog and posts a message; a download answers a one-time link.

use super::{FileType, bot_params, decode, dialog_params, fields_of};
use crate::client::Client;
use crate::error::Result;
use crate::serde_util::de;
use imbot_wire::DialogId;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value, json};

/// Standard Base64 with padding, what `fields.content` takes (no `data:` prefix).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn content<S: Serializer>(v: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&base64(v))
}

/// `fields` of a file upload: a name with its extension, the bytes (sent as Base64; at most 100 MB), and an
/// optional text for the message that carries the file.
///
/// ```
/// use imbot_sdk::methods::v2::NewFile;
/// let f = NewFile { message: Some("The report".into()), ..NewFile::new("report.txt", b"hello".to_vec()) };
/// assert_eq!(
///     serde_json::to_value(&f).unwrap(),
///     serde_json::json!({"name": "report.txt", "content": "aGVsbG8=", "message": "The report"})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct NewFile {
    /// `name`, with the extension.
    pub name: String,
    /// `content`: the file's bytes (Base64 on the wire).
    #[serde(serialize_with = "content")]
    pub content: Vec<u8>,
    /// `message`: text sent with the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl NewFile {
    /// The file `name` with `content`.
    ///
    /// ```
    /// let f = imbot_sdk::methods::v2::NewFile::new("a.csv", b"x,y".to_vec());
    /// assert_eq!(f.content.len(), 3);
    /// ```
    pub fn new(name: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        NewFile { name: name.into(), content: content.into(), message: None }
    }
}

/// A file in a chat (docs/v2.md §4.5). `imbot.v2.File.upload` answers the brief form (`id, chatId, name,
/// extension, size`); `im.v2.File.upload` the detailed one (the rest here, and URLs and viewer data in `extra`).
///
/// ```
/// use imbot_sdk::methods::v2::{FileType, FileV2};
/// let f: FileV2 = serde_json::from_value(serde_json::json!(
///     {"id": 138, "chatId": 5, "name": "report.pdf", "extension": "pdf", "size": 35341, "type": "file", "image": false}
/// )).unwrap();
/// assert_eq!((f.id, f.size, f.file_type(), f.image.is_none()), (138, 35341, Some(FileType::File), true));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileV2 {
    /// `id`: the file id (`fileId` of the downloads).
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    /// `chatId`.
    #[serde(default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `name`.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// `extension`, lower case.
    #[serde(default, deserialize_with = "de::string")]
    pub extension: String,
    /// `size` in bytes.
    #[serde(default, deserialize_with = "de::int")]
    pub size: i64,
    /// `date` (detailed form).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub date: Option<String>,
    /// `type`: `file`, `image`, `video`, `audio` (detailed form; see [`FileV2::file_type`]).
    #[serde(default, rename = "type", deserialize_with = "de::opt_string")]
    pub kind: Option<String>,
    /// `image`: `{"height", "width"}` of an image, `None` for `false`.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub image: Option<Map<String, Value>>,
    /// `authorId` (detailed form).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub author_id: Option<i64>,
    /// `authorName` (detailed form).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub author_name: Option<String>,
    /// Every other field (`status`, `progress`, `urlShow`, `urlDownload`, `viewerAttrs`, …), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FileV2 {
    /// `type` as a [`FileType`].
    ///
    /// ```
    /// let f: imbot_sdk::methods::v2::FileV2 = serde_json::from_value(serde_json::json!({"type": "image"})).unwrap();
    /// assert_eq!(f.file_type(), Some(imbot_sdk::methods::v2::FileType::Image));
    /// ```
    pub fn file_type(&self) -> Option<FileType> {
        self.kind.as_deref().and_then(FileType::parse)
    }
}

/// What a file upload answers: the file and the message that carries it.
///
/// ```
/// let u: imbot_sdk::methods::v2::UploadedFile = serde_json::from_value(serde_json::json!({
///     "file": {"id": 138, "chatId": 5, "name": "report.pdf", "extension": "pdf", "size": 35341},
///     "messageId": 123, "chatId": 5, "dialogId": "chat5"
/// })).unwrap();
/// assert_eq!((u.file.id, u.message_id, u.dialog()), (138, 123, Some(imbot_sdk::DialogId::Chat(5))));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UploadedFile {
    /// `file`.
    #[serde(default)]
    pub file: FileV2,
    /// `messageId`.
    #[serde(default, deserialize_with = "de::int")]
    pub message_id: i64,
    /// `chatId`.
    #[serde(default, deserialize_with = "de::int")]
    pub chat_id: i64,
    /// `dialogId`.
    #[serde(default, deserialize_with = "de::string")]
    pub dialog_id: String,
}

impl UploadedFile {
    /// `dialogId` parsed.
    ///
    /// ```
    /// assert!(imbot_sdk::methods::v2::UploadedFile::default().dialog().is_none());
    /// ```
    pub fn dialog(&self) -> Option<DialogId> {
        DialogId::parse(&self.dialog_id)
    }
}

fn download_url(method: &str, v: Value) -> Result<String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Download {
        #[serde(deserialize_with = "de::string")]
        download_url: String,
    }
    Ok(decode::<Download>(method, v)?.download_url)
}

impl Client {
    /// `imbot.v2.File.upload`: uploads `file` into `dialog` as the bot, with a message.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::NewFile;
    /// let up = client.imbot_v2_file_upload(456, imbot_sdk::DialogId::Chat(5), &NewFile::new("report.csv", b"a,b\n1,2\n".to_vec())).await?;
    /// println!("file {} in message {}", up.file.id, up.message_id);
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_file_upload(&self, bot_id: i64, dialog: DialogId, file: &NewFile) -> Result<UploadedFile> {
        const M: &str = "imbot.v2.File.upload";
        let mut p = dialog_params(bot_id, dialog);
        p.insert("fields".into(), fields_of(M, file)?);
        decode(M, self.call(M, Value::Object(p)).await?)
    }

    /// `imbot.v2.File.download`: a one-time download link of file `file_id` (it carries a token; fetch it
    /// soon, and do not log it).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let url = client.imbot_v2_file_download(456, 138).await?;
    /// # let _ = url; Ok(()) }
    /// ```
    pub async fn imbot_v2_file_download(&self, bot_id: i64, file_id: i64) -> Result<String> {
        const M: &str = "imbot.v2.File.download";
        let mut p = bot_params(bot_id);
        p.insert("fileId".into(), file_id.into());
        download_url(M, self.call(M, Value::Object(p)).await?)
    }

    /// `im.v2.File.upload`: uploads `file` into `dialog` as the calling user (the detailed File form).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::methods::v2::NewFile;
    /// let up = client.im_v2_file_upload(imbot_sdk::DialogId::Chat(5), &NewFile::new("notes.txt", b"hi".to_vec())).await?;
    /// # let _ = up; Ok(()) }
    /// ```
    pub async fn im_v2_file_upload(&self, dialog: DialogId, file: &NewFile) -> Result<UploadedFile> {
        const M: &str = "im.v2.File.upload";
        let params = json!({"dialogId": dialog.to_string(), "fields": fields_of(M, file)?});
        decode(M, self.call(M, params).await?)
    }

    /// `im.v2.File.download`: a one-time download link, as the calling user.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let url = client.im_v2_file_download(imbot_sdk::DialogId::Chat(5), 9817).await?;
    /// # let _ = url; Ok(()) }
    /// ```
    pub async fn im_v2_file_download(&self, dialog: DialogId, file_id: i64) -> Result<String> {
        const M: &str = "im.v2.File.download";
        download_url(M, self.call(M, json!({"dialogId": dialog.to_string(), "fileId": file_id})).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xfe]), "+//+");
    }
}
