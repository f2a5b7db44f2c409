//! `ATTACH`: structured cards in a message (SPEC-NOTES §7.4; docs `chats/messages/attachments.md` and
//! `imbot.v2/messages/attachments/*`: index, block collections, constructor).
//!
//! Input (see [the module overview](super) for the JSON-string form and clearing with `""` / `"N"`):
//! * the full form `{"ID": int, "COLOR_TOKEN": "primary|secondary|alert|base", "COLOR": "#hex", "BLOCKS": […]}`;
//! * the short form, a bare array of blocks;
//! * a collection, an array of full objects (every element has `BLOCKS`). An array that mixes full objects and
//!   blocks is an `ATTACH_ERROR`.
//!
//! [`Attach`] is therefore a list of [`Attachment`]s (usually one), and so is its stored form — a message's
//! `params.ATTACH` is an array of attach objects in Bitrix.
//!
//! Blocks: each element of `BLOCKS` is an object whose key names the block type — `MESSAGE`, `LINK`, `USER`,
//! `GRID`, `IMAGE`, `FILE`, `DELIMITER`. Choices where the docs are silent:
//! * **Several known keys in one object** (`{"MESSAGE": …, "DELIMITER": …}`): each becomes its own block, in the
//!   object's key order (Bitrix iterates the keys too). Unknown keys beside a known one are ignored; an object
//!   with no known key is an `ATTACH_ERROR`.
//! * `USER` and `LINK` accept one object or a list of them; each entry becomes a separate block, stored as
//!   `{"USER": [{…}]}` / `{"LINK": [{…}]}` (a one-element list, Bitrix's stored shape). `GRID`, `IMAGE` and
//!   `FILE` accept a list or a single object (the docs' constructor example sends `{"IMAGE": {"LINK": …}}`) and
//!   are stored as lists; an empty list is an error.
//! * `DELIMITER` accepts an object or anything else (the `imbot.command.answer` example sends
//!   `{"DELIMITER": true}`), meaning the defaults; `SIZE` defaults to 200 when absent or not > 0.
//!
//! **Required fields are enforced** (the docs' `*` fields): a block that violates them is an `ATTACH_ERROR`
//! naming the block, the item and the field (`"block 2 (IMAGE), item 0: LINK is required"`), unlike keyboard
//! buttons, which are dropped. Bitrix itself drops such blocks and fails only when nothing is left; failing
//! loudly is the documented contract ("if the structure is incorrect … `ATTACH_ERROR`") and tells a bot author
//! what is wrong.
//! * `MESSAGE`: non-blank text (BB-code, kept as given).
//! * `LINK`: `LINK`, a valid link — or, as Bitrix also allows, one of `USER_ID`, `CHAT_ID`, `NETWORK_ID`
//!   (internal navigation) instead. A `LINK` that is given but invalid is an error.
//! * `USER`: `NAME` (trimmed, non-empty).
//! * `GRID` items: `DISPLAY` ∈ `BLOCK|LINE|ROW|TABLE`.
//! * `IMAGE` / `FILE` items: `LINK`, a valid link.
//!
//! Optional fields follow the common rules: invalid colours and optional links (`AVATAR`, `PREVIEW`, a user's or
//! grid item's `LINK`) are ignored, numbers are kept when > 0, text of the wrong type is ignored. Attach-level
//! `ID` is kept when it is an integer (Bitrix fills in `time()` when it is missing; that is the server's job,
//! this crate reads no clock). Links and text are stored as given: a renderer must escape them and must
//! sanitise or ignore `LINK.HTML`.

use super::{
    check_size, color, decode, entries, enum_field, error, link, nonblank, one_or_many, pos_int, scalar, text, trimmed,
    ColorToken, Decoded, Field,
};
use crate::error::{ApiError, ErrorCode};
use crate::params::value_int;
use serde_json::{Map, Value};

string_enum! { parse_ci:
    /// `DISPLAY` of a grid item.
    pub enum GridDisplay {
        /// One item per line, as a vertical list.
        Block = "BLOCK",
        /// Items as cards in a line, wrapping.
        Line = "LINE",
        /// Two columns: `NAME | VALUE`.
        Row = "ROW",
        /// A denser table (some clients show it as `ROW`).
        Table = "TABLE",
    }
}

string_enum! { parse_ci:
    /// `AVATAR_TYPE` of a user block.
    pub enum AvatarType {
        User = "USER",
        Chat = "CHAT",
        Bot = "BOT",
    }
}

/// A parsed ATTACH: one or more attach objects (cards), each with at least one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pub attachments: Vec<Attachment>,
}

/// One attach object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// `ID`: identifier of the attachment within the message (the server may assign one when missing).
    pub id: Option<i64>,
    /// `COLOR_TOKEN` (Bitrix's default is `base` when absent).
    pub color_token: Option<ColorToken>,
    /// `COLOR`, `#RGB`/`#RRGGBB`.
    pub color: Option<String>,
    /// Never empty.
    pub blocks: Vec<Block>,
}

/// One block of an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `MESSAGE`: BB-code text, not blank.
    Message(String),
    Link(LinkBlock),
    User(UserBlock),
    /// `GRID`: never empty.
    Grid(Vec<GridItem>),
    /// `IMAGE`: never empty.
    Image(Vec<ImageItem>),
    /// `FILE`: never empty.
    File(Vec<FileItem>),
    Delimiter(Delimiter),
}

/// A `LINK` block. Invariant: `link` is valid or one of `user_id`, `chat_id`, `network_id` is set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkBlock {
    pub link: Option<String>,
    pub name: Option<String>,
    pub desc: Option<String>,
    /// `HTML`: raw HTML shown instead of `DESC`. Untrusted: sanitise or ignore when rendering.
    pub html: Option<String>,
    pub preview: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub user_id: Option<i64>,
    pub chat_id: Option<i64>,
    pub network_id: Option<String>,
}

/// A `USER` block. Invariant: `name` is trimmed and non-empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserBlock {
    pub name: String,
    pub avatar: Option<String>,
    pub avatar_type: Option<AvatarType>,
    pub link: Option<String>,
    pub user_id: Option<i64>,
    pub chat_id: Option<i64>,
    pub bot_id: Option<i64>,
    pub network_id: Option<String>,
}

/// One `GRID` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridItem {
    pub display: GridDisplay,
    pub name: Option<String>,
    /// `VALUE`: BB-code text.
    pub value: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub color_token: Option<ColorToken>,
    pub color: Option<String>,
    pub link: Option<String>,
    pub user_id: Option<i64>,
    pub chat_id: Option<i64>,
}

/// One `IMAGE` item. Invariant: `link` is valid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageItem {
    pub link: String,
    pub name: Option<String>,
    pub preview: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// One `FILE` item. Invariant: `link` is valid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileItem {
    pub link: String,
    pub name: Option<String>,
    /// `SIZE` in bytes.
    pub size: Option<i64>,
}

/// A `DELIMITER` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delimiter {
    /// `SIZE`: width in pixels, > 0 (default [`Delimiter::DEFAULT_SIZE`]).
    pub size: i64,
    pub color: Option<String>,
}

impl Default for Delimiter {
    fn default() -> Self {
        Delimiter { size: Delimiter::DEFAULT_SIZE, color: None }
    }
}

impl Delimiter {
    pub const DEFAULT_SIZE: i64 = 200;
}

impl GridItem {
    /// An item with only `DISPLAY`, `NAME` and `VALUE` set.
    pub fn new(display: GridDisplay, name: impl Into<String>, value: impl Into<String>) -> Self {
        GridItem {
            display,
            name: Some(name.into()),
            value: Some(value.into()),
            width: None,
            height: None,
            color_token: None,
            color: None,
            link: None,
            user_id: None,
            chat_id: None,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Stored form.

/// Inserts `key` when `v` is set.
fn put<T: Clone + Into<Value>>(m: &mut Map<String, Value>, key: &str, v: &Option<T>) {
    if let Some(v) = v {
        m.insert(key.into(), v.clone().into());
    }
}

fn single(key: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.into(), v);
    Value::Object(m)
}

impl LinkBlock {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        put(&mut m, "LINK", &self.link);
        put(&mut m, "NAME", &self.name);
        put(&mut m, "DESC", &self.desc);
        put(&mut m, "HTML", &self.html);
        put(&mut m, "PREVIEW", &self.preview);
        put(&mut m, "WIDTH", &self.width);
        put(&mut m, "HEIGHT", &self.height);
        put(&mut m, "USER_ID", &self.user_id);
        put(&mut m, "CHAT_ID", &self.chat_id);
        put(&mut m, "NETWORK_ID", &self.network_id);
        Value::Object(m)
    }
}

impl UserBlock {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("NAME".into(), self.name.clone().into());
        put(&mut m, "AVATAR", &self.avatar);
        put(&mut m, "AVATAR_TYPE", &self.avatar_type.map(AvatarType::as_str));
        put(&mut m, "LINK", &self.link);
        put(&mut m, "USER_ID", &self.user_id);
        put(&mut m, "CHAT_ID", &self.chat_id);
        put(&mut m, "BOT_ID", &self.bot_id);
        put(&mut m, "NETWORK_ID", &self.network_id);
        Value::Object(m)
    }
}

impl GridItem {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("DISPLAY".into(), self.display.as_str().into());
        put(&mut m, "NAME", &self.name);
        put(&mut m, "VALUE", &self.value);
        put(&mut m, "WIDTH", &self.width);
        put(&mut m, "HEIGHT", &self.height);
        put(&mut m, "COLOR_TOKEN", &self.color_token.map(ColorToken::as_str));
        put(&mut m, "COLOR", &self.color);
        put(&mut m, "LINK", &self.link);
        put(&mut m, "USER_ID", &self.user_id);
        put(&mut m, "CHAT_ID", &self.chat_id);
        Value::Object(m)
    }
}

impl ImageItem {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("LINK".into(), self.link.clone().into());
        put(&mut m, "NAME", &self.name);
        put(&mut m, "PREVIEW", &self.preview);
        put(&mut m, "WIDTH", &self.width);
        put(&mut m, "HEIGHT", &self.height);
        Value::Object(m)
    }
}

impl FileItem {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("LINK".into(), self.link.clone().into());
        put(&mut m, "NAME", &self.name);
        put(&mut m, "SIZE", &self.size);
        Value::Object(m)
    }
}

impl Delimiter {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("SIZE".into(), self.size.into());
        put(&mut m, "COLOR", &self.color);
        Value::Object(m)
    }
}

impl Block {
    /// The block's key in `BLOCKS`.
    pub fn kind(&self) -> &'static str {
        match self {
            Block::Message(_) => "MESSAGE",
            Block::Link(_) => "LINK",
            Block::User(_) => "USER",
            Block::Grid(_) => "GRID",
            Block::Image(_) => "IMAGE",
            Block::File(_) => "FILE",
            Block::Delimiter(_) => "DELIMITER",
        }
    }

    /// The stored block: `{"<KIND>": …}`, with `USER` and `LINK` as one-element lists.
    pub fn to_value(&self) -> Value {
        let inner = match self {
            Block::Message(s) => Value::from(s.clone()),
            Block::Link(l) => Value::Array(vec![l.to_value()]),
            Block::User(u) => Value::Array(vec![u.to_value()]),
            Block::Grid(items) => Value::Array(items.iter().map(GridItem::to_value).collect()),
            Block::Image(items) => Value::Array(items.iter().map(ImageItem::to_value).collect()),
            Block::File(items) => Value::Array(items.iter().map(FileItem::to_value).collect()),
            Block::Delimiter(d) => d.to_value(),
        };
        single(self.kind(), inner)
    }
}

impl Attachment {
    /// An attachment with no `ID` or colour.
    pub fn new(blocks: Vec<Block>) -> Self {
        Attachment { id: None, color_token: None, color: None, blocks }
    }

    /// The stored attach object: `{ID?, COLOR_TOKEN?, COLOR?, BLOCKS}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        put(&mut m, "ID", &self.id);
        put(&mut m, "COLOR_TOKEN", &self.color_token.map(ColorToken::as_str));
        put(&mut m, "COLOR", &self.color);
        m.insert("BLOCKS".into(), Value::Array(self.blocks.iter().map(Block::to_value).collect()));
        Value::Object(m)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing.

/// A required link: absent/blank → "is required", invalid → "must start with …".
fn required_link(obj: &Map<String, Value>, key: &str) -> Result<String, String> {
    match nonblank(obj, key) {
        None => Err(format!("{key} is required")),
        Some(l) if super::is_valid_link(&l) => Ok(l),
        Some(l) => Err(format!("{key} {l:?} must be an http:// or https:// URL or a path starting with /")),
    }
}

fn as_object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object().ok_or_else(|| format!("{what} must be an object"))
}

impl LinkBlock {
    fn read(obj: &Map<String, Value>) -> Result<Self, String> {
        let b = LinkBlock {
            link: match nonblank(obj, "LINK") {
                None => None,
                Some(_) => Some(required_link(obj, "LINK")?),
            },
            name: text(obj, "NAME"),
            desc: text(obj, "DESC"),
            html: text(obj, "HTML"),
            preview: link(obj, "PREVIEW"),
            width: pos_int(obj, "WIDTH"),
            height: pos_int(obj, "HEIGHT"),
            user_id: pos_int(obj, "USER_ID"),
            chat_id: pos_int(obj, "CHAT_ID"),
            network_id: nonblank(obj, "NETWORK_ID"),
        };
        if b.link.is_none() && b.user_id.is_none() && b.chat_id.is_none() && b.network_id.is_none() {
            return Err("LINK is required".to_owned());
        }
        Ok(b)
    }
}

impl UserBlock {
    fn read(obj: &Map<String, Value>) -> Result<Self, String> {
        Ok(UserBlock {
            name: trimmed(obj, "NAME").ok_or("NAME is required")?,
            avatar: link(obj, "AVATAR"),
            avatar_type: enum_field(obj, "AVATAR_TYPE", AvatarType::parse),
            link: link(obj, "LINK"),
            user_id: pos_int(obj, "USER_ID"),
            chat_id: pos_int(obj, "CHAT_ID"),
            bot_id: pos_int(obj, "BOT_ID"),
            network_id: nonblank(obj, "NETWORK_ID"),
        })
    }
}

impl GridItem {
    fn read(obj: &Map<String, Value>) -> Result<Self, String> {
        let display = match text(obj, "DISPLAY") {
            None => return Err("DISPLAY is required (BLOCK, LINE, ROW or TABLE)".to_owned()),
            Some(d) => {
                GridDisplay::parse(&d).ok_or_else(|| format!("DISPLAY {d:?} is not BLOCK, LINE, ROW or TABLE"))?
            }
        };
        Ok(GridItem {
            display,
            name: text(obj, "NAME"),
            value: text(obj, "VALUE"),
            width: pos_int(obj, "WIDTH"),
            height: pos_int(obj, "HEIGHT"),
            color_token: enum_field(obj, "COLOR_TOKEN", ColorToken::parse),
            color: color(obj, "COLOR"),
            link: link(obj, "LINK"),
            user_id: pos_int(obj, "USER_ID"),
            chat_id: pos_int(obj, "CHAT_ID"),
        })
    }
}

impl ImageItem {
    fn read(obj: &Map<String, Value>) -> Result<Self, String> {
        Ok(ImageItem {
            link: required_link(obj, "LINK")?,
            name: text(obj, "NAME"),
            preview: link(obj, "PREVIEW"),
            width: pos_int(obj, "WIDTH"),
            height: pos_int(obj, "HEIGHT"),
        })
    }
}

impl FileItem {
    fn read(obj: &Map<String, Value>) -> Result<Self, String> {
        Ok(FileItem { link: required_link(obj, "LINK")?, name: text(obj, "NAME"), size: pos_int(obj, "SIZE") })
    }
}

impl Delimiter {
    fn read(v: &Value) -> Self {
        match v.as_object() {
            None => Delimiter::default(),
            Some(obj) => {
                Delimiter { size: pos_int(obj, "SIZE").unwrap_or(Delimiter::DEFAULT_SIZE), color: color(obj, "COLOR") }
            }
        }
    }
}

/// Reads a list (or a single object) of items with `read`; errors name the item index.
fn items<T>(v: &Value, read: fn(&Map<String, Value>) -> Result<T, String>) -> Result<Vec<T>, String> {
    let list = one_or_many(v).ok_or("must be an object or an array of objects")?;
    if list.is_empty() {
        return Err("must not be empty".to_owned());
    }
    list.into_iter()
        .enumerate()
        .map(|(i, x)| as_object(x, "the item").and_then(read).map_err(|e| format!("item {i}: {e}")))
        .collect()
}

const BLOCK_KEYS: [&str; 7] = ["MESSAGE", "LINK", "USER", "GRID", "IMAGE", "FILE", "DELIMITER"];

/// Reads one element of `BLOCKS` into one or more blocks; errors are prefixed with `block <label> (<KEY>)`.
fn read_blocks(label: &str, v: &Value, out: &mut Vec<Block>) -> Result<(), String> {
    let obj = v
        .as_object()
        .ok_or_else(|| format!("block {label}: must be an object with one of the keys {}", BLOCK_KEYS.join(", ")))?;
    let mut known = false;
    for (key, val) in obj {
        let at = |e: String| format!("block {label} ({key}): {e}");
        match key.as_str() {
            "MESSAGE" => {
                let s =
                    scalar(val).filter(|s| !s.trim().is_empty()).ok_or_else(|| at("must be non-empty text".into()))?;
                out.push(Block::Message(s));
            }
            "LINK" => out.extend(items(val, LinkBlock::read).map_err(at)?.into_iter().map(Block::Link)),
            "USER" => out.extend(items(val, UserBlock::read).map_err(at)?.into_iter().map(Block::User)),
            "GRID" => out.push(Block::Grid(items(val, GridItem::read).map_err(at)?)),
            "IMAGE" => out.push(Block::Image(items(val, ImageItem::read).map_err(at)?)),
            "FILE" => out.push(Block::File(items(val, FileItem::read).map_err(at)?)),
            "DELIMITER" => out.push(Block::Delimiter(Delimiter::read(val))),
            _ => continue,
        }
        known = true;
    }
    if known {
        Ok(())
    } else {
        Err(format!("block {label}: no known block type (one of {})", BLOCK_KEYS.join(", ")))
    }
}

/// Reads a list of blocks into an attachment's blocks.
fn read_block_list(list: Vec<(String, &Value)>) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::with_capacity(list.len());
    for (label, b) in list {
        read_blocks(&label, b, &mut blocks)?;
    }
    if blocks.is_empty() {
        return Err("no blocks".to_owned());
    }
    Ok(blocks)
}

impl Attachment {
    /// Reads a full attach object (one with `BLOCKS`).
    fn read(obj: &Map<String, Value>) -> Result<Self, String> {
        let list = obj.get("BLOCKS").and_then(entries).ok_or("BLOCKS must be an array of blocks")?;
        Ok(Attachment {
            id: obj.get("ID").and_then(value_int),
            color_token: enum_field(obj, "COLOR_TOKEN", ColorToken::parse),
            color: color(obj, "COLOR"),
            blocks: read_block_list(list)?,
        })
    }
}

fn is_full(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("BLOCKS"))
}

impl Attach {
    /// Parses the `ATTACH` parameter (`None` when the request has no such parameter).
    ///
    /// Errors: `ATTACH_ERROR` (bad structure, naming the block and field), `ATTACH_OVERSIZE`.
    pub fn parse(value: Option<&Value>) -> Result<Field<Attach>, ApiError> {
        let v = match decode(value).map_err(|d| error(ErrorCode::ATTACH_ERROR, d))? {
            Decoded::Absent => return Ok(Field::Absent),
            Decoded::Clear => return Ok(Field::Clear),
            Decoded::Value(v) => v,
        };
        let attach = Self::read(&v).map_err(|d| error(ErrorCode::ATTACH_ERROR, d))?;
        check_size(&attach.to_value(), ErrorCode::ATTACH_OVERSIZE)?;
        Ok(Field::Set(attach))
    }

    /// Reads a stored attach back ([`Attach::to_value`]); `None` for "no attach" or anything unreadable.
    pub fn from_stored(stored: &Value) -> Option<Attach> {
        Self::parse(Some(stored)).ok()?.into_set()
    }

    /// The stored form: an array of attach objects.
    pub fn to_value(&self) -> Value {
        Value::Array(self.attachments.iter().map(Attachment::to_value).collect())
    }

    /// Every block of every attachment, in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.attachments.iter().flat_map(|a| a.blocks.iter())
    }

    fn read(v: &Value) -> Result<Attach, String> {
        if let Value::Object(m) = v {
            if m.contains_key("BLOCKS") {
                return Ok(Attach { attachments: vec![Attachment::read(m)?] });
            }
        }
        let list = entries(v).ok_or("expected an object with BLOCKS or an array")?;
        let full = list.iter().filter(|(_, x)| is_full(x)).count();
        if full == 0 {
            return Ok(Attach { attachments: vec![Attachment::new(read_block_list(list)?)] });
        }
        if full < list.len() {
            return Err("an array must hold either blocks or attach objects (with BLOCKS), not both".to_owned());
        }
        let mut attachments = Vec::with_capacity(list.len());
        for (label, x) in list {
            let obj = x.as_object().expect("is_full checked it is an object");
            attachments.push(Attachment::read(obj).map_err(|e| format!("attach {label}: {e}"))?);
        }
        Ok(Attach { attachments })
    }
}
