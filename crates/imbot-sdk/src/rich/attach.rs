//! `ATTACH`: a card of blocks in a message (`api-reference__chats__messages__attachments.md`, SPEC-NOTES §7.4).
//!
//! Output, the documented full form: `{"ID"?: n, "COLOR_TOKEN"?: …, "COLOR"?: "#hex", "BLOCKS": [{"MESSAGE": …},
//! {"LINK": {…}}, {"USER": {…}}, {"GRID": […]}, {"IMAGE": […]}, {"FILE": […]}, {"DELIMITER": {…}}]}`.

use super::{BuildError, BuildErrorKind, ColorToken, GridDisplay, color, err, link, positive, put, text};
use serde_json::{Map, Value, json};

/// A `LINK` block: a link with a title, description and preview.
///
/// ```
/// use imbot_sdk::rich::attach::LinkBlock;
/// let l = LinkBlock::new("https://example.com/pr/42").name("PR #42").desc("Fix the echo").preview("https://example.com/p.png");
/// # let _ = l;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct LinkBlock {
    link: String,
    name: Option<String>,
    desc: Option<String>,
    preview: Option<String>,
    width: Option<i64>,
    height: Option<i64>,
}

impl LinkBlock {
    /// A link to `url`.
    ///
    /// ```
    /// let l = imbot_sdk::rich::attach::LinkBlock::new("/company/personal/user/1/");
    /// # let _ = l;
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        LinkBlock { link: url.into(), name: None, desc: None, preview: None, width: None, height: None }
    }

    /// `NAME`: the title.
    ///
    /// ```
    /// let l = imbot_sdk::rich::attach::LinkBlock::new("https://e.com").name("Example");
    /// # let _ = l;
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `DESC`: a description (BB-code).
    ///
    /// ```
    /// let l = imbot_sdk::rich::attach::LinkBlock::new("https://e.com").desc("An example");
    /// # let _ = l;
    /// ```
    pub fn desc(mut self, desc: impl Into<String>) -> Self {
        self.desc = Some(desc.into());
        self
    }

    /// `PREVIEW`: an image link.
    ///
    /// ```
    /// let l = imbot_sdk::rich::attach::LinkBlock::new("https://e.com").preview("https://e.com/p.png");
    /// # let _ = l;
    /// ```
    pub fn preview(mut self, url: impl Into<String>) -> Self {
        self.preview = Some(url.into());
        self
    }

    /// `WIDTH` and `HEIGHT` of the preview (> 0).
    ///
    /// ```
    /// let l = imbot_sdk::rich::attach::LinkBlock::new("https://e.com").preview("https://e.com/p.png").size(320, 200);
    /// # let _ = l;
    /// ```
    pub fn size(mut self, width: i64, height: i64) -> Self {
        self.width = Some(width);
        self.height = Some(height);
        self
    }

    fn to_value(&self, path: &str) -> Result<Value, BuildError> {
        let mut m = Map::new();
        m.insert("LINK".into(), link(path, &self.link)?.into());
        put(&mut m, "NAME", self.name.clone().map(Ok))?;
        put(&mut m, "DESC", self.desc.clone().map(Ok))?;
        put(&mut m, "PREVIEW", self.preview.as_deref().map(|p| link(path, p)))?;
        put(&mut m, "WIDTH", self.width.map(|w| positive(path, "WIDTH", w)))?;
        put(&mut m, "HEIGHT", self.height.map(|h| positive(path, "HEIGHT", h)))?;
        Ok(Value::Object(m))
    }
}

/// A `USER` block: a person, bot or chat with avatar and link.
///
/// ```
/// use imbot_sdk::rich::attach::UserBlock;
/// let u = UserBlock::new("Svetlana Ivanova").user_id(27).avatar("https://example.com/a.png");
/// # let _ = u;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct UserBlock {
    name: String,
    avatar: Option<String>,
    link: Option<String>,
    user_id: Option<i64>,
    bot_id: Option<i64>,
    chat_id: Option<i64>,
}

impl UserBlock {
    /// A block showing `name`.
    ///
    /// ```
    /// let u = imbot_sdk::rich::attach::UserBlock::new("Echo");
    /// # let _ = u;
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        UserBlock { name: name.into(), avatar: None, link: None, user_id: None, bot_id: None, chat_id: None }
    }

    /// `AVATAR`: an image link.
    ///
    /// ```
    /// let u = imbot_sdk::rich::attach::UserBlock::new("A").avatar("https://e.com/a.png");
    /// # let _ = u;
    /// ```
    pub fn avatar(mut self, url: impl Into<String>) -> Self {
        self.avatar = Some(url.into());
        self
    }

    /// `LINK`: where the name leads.
    ///
    /// ```
    /// let u = imbot_sdk::rich::attach::UserBlock::new("A").link("https://e.com/a");
    /// # let _ = u;
    /// ```
    pub fn link(mut self, url: impl Into<String>) -> Self {
        self.link = Some(url.into());
        self
    }

    /// `USER_ID`: open this user's profile.
    ///
    /// ```
    /// let u = imbot_sdk::rich::attach::UserBlock::new("A").user_id(1);
    /// # let _ = u;
    /// ```
    pub fn user_id(mut self, id: i64) -> Self {
        self.user_id = Some(id);
        self
    }

    /// `BOT_ID`: open this bot.
    ///
    /// ```
    /// let u = imbot_sdk::rich::attach::UserBlock::new("Echo").bot_id(567);
    /// # let _ = u;
    /// ```
    pub fn bot_id(mut self, id: i64) -> Self {
        self.bot_id = Some(id);
        self
    }

    /// `CHAT_ID`: open this chat.
    ///
    /// ```
    /// let u = imbot_sdk::rich::attach::UserBlock::new("Team").chat_id(5);
    /// # let _ = u;
    /// ```
    pub fn chat_id(mut self, id: i64) -> Self {
        self.chat_id = Some(id);
        self
    }

    fn to_value(&self, path: &str) -> Result<Value, BuildError> {
        let mut m = Map::new();
        m.insert("NAME".into(), text(path, &self.name)?.into());
        put(&mut m, "AVATAR", self.avatar.as_deref().map(|a| link(path, a)))?;
        put(&mut m, "LINK", self.link.as_deref().map(|l| link(path, l)))?;
        put(&mut m, "USER_ID", self.user_id.map(|i| positive(path, "USER_ID", i)))?;
        put(&mut m, "BOT_ID", self.bot_id.map(|i| positive(path, "BOT_ID", i)))?;
        put(&mut m, "CHAT_ID", self.chat_id.map(|i| positive(path, "CHAT_ID", i)))?;
        Ok(Value::Object(m))
    }
}

/// One `GRID` item: a name and a value, laid out by `DISPLAY`.
///
/// ```
/// use imbot_sdk::rich::attach::GridItem;
/// let row = GridItem::row("Status", "[B]done[/B]").color("#2fc6f6");
/// # let _ = row;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GridItem {
    display: GridDisplay,
    name: String,
    value: String,
    width: Option<i64>,
    color: Option<String>,
    color_token: Option<ColorToken>,
    link: Option<String>,
}

impl GridItem {
    /// An item with `DISPLAY` `display`.
    ///
    /// ```
    /// use imbot_sdk::rich::{GridDisplay, attach::GridItem};
    /// let i = GridItem::new(GridDisplay::Table, "Owner", "Ivanova");
    /// # let _ = i;
    /// ```
    pub fn new(display: GridDisplay, name: impl Into<String>, value: impl Into<String>) -> Self {
        GridItem {
            display,
            name: name.into(),
            value: value.into(),
            width: None,
            color: None,
            color_token: None,
            link: None,
        }
    }

    /// `DISPLAY=ROW`: `NAME | VALUE` in two columns.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::GridItem::row("Version", "1.4.2");
    /// # let _ = i;
    /// ```
    pub fn row(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self::new(GridDisplay::Row, name, value)
    }

    /// `DISPLAY=BLOCK`: one item per line.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::GridItem::block("Description", "A long text");
    /// # let _ = i;
    /// ```
    pub fn block(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self::new(GridDisplay::Block, name, value)
    }

    /// `DISPLAY=LINE`: items side by side as cards.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::GridItem::line("Open", "3");
    /// # let _ = i;
    /// ```
    pub fn line(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self::new(GridDisplay::Line, name, value)
    }

    /// `WIDTH` in pixels (> 0).
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::GridItem::line("A", "1").width(120);
    /// # let _ = i;
    /// ```
    pub fn width(mut self, px: i64) -> Self {
        self.width = Some(px);
        self
    }

    /// `COLOR` of the value (`#RGB`/`#RRGGBB`).
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::GridItem::row("A", "1").color("#c00");
    /// # let _ = i;
    /// ```
    pub fn color(mut self, c: impl Into<String>) -> Self {
        self.color = Some(c.into());
        self
    }

    /// `COLOR_TOKEN` of the value.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::GridItem::row("A", "1").color_token(imbot_sdk::rich::ColorToken::Alert);
    /// # let _ = i;
    /// ```
    pub fn color_token(mut self, token: ColorToken) -> Self {
        self.color_token = Some(token);
        self
    }

    /// `LINK`: the value is a link.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::GridItem::row("Ticket", "#42").link("https://e.com/42");
    /// # let _ = i;
    /// ```
    pub fn link(mut self, url: impl Into<String>) -> Self {
        self.link = Some(url.into());
        self
    }

    fn to_value(&self, path: &str) -> Result<Value, BuildError> {
        let mut m = Map::new();
        m.insert("DISPLAY".into(), self.display.as_str().into());
        m.insert("NAME".into(), self.name.clone().into());
        m.insert("VALUE".into(), self.value.clone().into());
        put(&mut m, "WIDTH", self.width.map(|w| positive(path, "WIDTH", w)))?;
        put(&mut m, "COLOR_TOKEN", self.color_token.map(|t| Ok(t.as_str())))?;
        put(&mut m, "COLOR", self.color.as_deref().map(|c| color(path, c)))?;
        put(&mut m, "LINK", self.link.as_deref().map(|l| link(path, l)))?;
        Ok(Value::Object(m))
    }
}

/// One `IMAGE` item.
///
/// ```
/// use imbot_sdk::rich::attach::ImageItem;
/// let i = ImageItem::new("https://example.com/chart.png").name("Chart").preview("https://example.com/chart_s.png");
/// # let _ = i;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ImageItem {
    link: String,
    name: Option<String>,
    preview: Option<String>,
    width: Option<i64>,
    height: Option<i64>,
}

impl ImageItem {
    /// The image at `url`.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::ImageItem::new("https://e.com/i.png");
    /// # let _ = i;
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        ImageItem { link: url.into(), name: None, preview: None, width: None, height: None }
    }

    /// `NAME`.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::ImageItem::new("https://e.com/i.png").name("i.png");
    /// # let _ = i;
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `PREVIEW`: a smaller image.
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::ImageItem::new("https://e.com/i.png").preview("https://e.com/s.png");
    /// # let _ = i;
    /// ```
    pub fn preview(mut self, url: impl Into<String>) -> Self {
        self.preview = Some(url.into());
        self
    }

    /// `WIDTH` and `HEIGHT` (> 0).
    ///
    /// ```
    /// let i = imbot_sdk::rich::attach::ImageItem::new("https://e.com/i.png").size(640, 480);
    /// # let _ = i;
    /// ```
    pub fn size(mut self, width: i64, height: i64) -> Self {
        self.width = Some(width);
        self.height = Some(height);
        self
    }

    fn to_value(&self, path: &str) -> Result<Value, BuildError> {
        let mut m = Map::new();
        m.insert("LINK".into(), link(path, &self.link)?.into());
        put(&mut m, "NAME", self.name.clone().map(Ok))?;
        put(&mut m, "PREVIEW", self.preview.as_deref().map(|p| link(path, p)))?;
        put(&mut m, "WIDTH", self.width.map(|w| positive(path, "WIDTH", w)))?;
        put(&mut m, "HEIGHT", self.height.map(|h| positive(path, "HEIGHT", h)))?;
        Ok(Value::Object(m))
    }
}

/// One `FILE` item.
///
/// ```
/// use imbot_sdk::rich::attach::FileItem;
/// let f = FileItem::new("https://example.com/report.pdf").name("report.pdf").size(48_213);
/// # let _ = f;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct FileItem {
    link: String,
    name: Option<String>,
    size: Option<i64>,
}

impl FileItem {
    /// The file at `url`.
    ///
    /// ```
    /// let f = imbot_sdk::rich::attach::FileItem::new("https://e.com/f.zip");
    /// # let _ = f;
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        FileItem { link: url.into(), name: None, size: None }
    }

    /// `NAME`.
    ///
    /// ```
    /// let f = imbot_sdk::rich::attach::FileItem::new("https://e.com/f.zip").name("f.zip");
    /// # let _ = f;
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `SIZE` in bytes (> 0).
    ///
    /// ```
    /// let f = imbot_sdk::rich::attach::FileItem::new("https://e.com/f.zip").size(1024);
    /// # let _ = f;
    /// ```
    pub fn size(mut self, bytes: i64) -> Self {
        self.size = Some(bytes);
        self
    }

    fn to_value(&self, path: &str) -> Result<Value, BuildError> {
        let mut m = Map::new();
        m.insert("LINK".into(), link(path, &self.link)?.into());
        put(&mut m, "NAME", self.name.clone().map(Ok))?;
        put(&mut m, "SIZE", self.size.map(|s| positive(path, "SIZE", s)))?;
        Ok(Value::Object(m))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    Message(String),
    Link(LinkBlock),
    User(UserBlock),
    Grid(Vec<GridItem>),
    Image(Vec<ImageItem>),
    File(Vec<FileItem>),
    Delimiter { size: Option<i64>, color: Option<String> },
}

impl Block {
    fn kind(&self) -> &'static str {
        match self {
            Block::Message(_) => "MESSAGE",
            Block::Link(_) => "LINK",
            Block::User(_) => "USER",
            Block::Grid(_) => "GRID",
            Block::Image(_) => "IMAGE",
            Block::File(_) => "FILE",
            Block::Delimiter { .. } => "DELIMITER",
        }
    }

    fn to_value(&self, path: &str) -> Result<Value, BuildError> {
        fn list<T>(
            path: &str,
            what: &'static str,
            items: &[T],
            f: impl Fn(&T, &str) -> Result<Value, BuildError>,
        ) -> Result<Value, BuildError> {
            if items.is_empty() {
                return Err(err(path, BuildErrorKind::Empty(what)));
            }
            items.iter().enumerate().map(|(i, x)| f(x, &format!("{path}, item {i}"))).collect()
        }
        let inner = match self {
            Block::Message(t) => text(path, t).map(|_| Value::from(t.clone()))?,
            Block::Link(l) => l.to_value(path)?,
            Block::User(u) => u.to_value(path)?,
            Block::Grid(items) => list(path, "grid item", items, GridItem::to_value)?,
            Block::Image(items) => list(path, "image", items, ImageItem::to_value)?,
            Block::File(items) => list(path, "file", items, FileItem::to_value)?,
            Block::Delimiter { size, color: c } => {
                let mut m = Map::new();
                put(&mut m, "SIZE", size.map(|s| positive(path, "SIZE", s)))?;
                put(&mut m, "COLOR", c.as_deref().map(|c| color(path, c)))?;
                Value::Object(m)
            }
        };
        Ok(json!({ self.kind(): inner }))
    }
}

/// An ATTACH card.
///
/// ```
/// use imbot_sdk::rich::{Attach, ColorToken};
/// use imbot_sdk::rich::attach::{GridItem, LinkBlock};
/// let a = Attach::new()
///     .color_token(ColorToken::Primary)
///     .message("[B]New request[/B]")
///     .link(LinkBlock::new("https://example.com").name("Open"))
///     .delimiter()
///     .grid([GridItem::row("Priority", "high"), GridItem::row("Owner", "Ivanova")])
///     .build()
///     .unwrap();
/// assert_eq!(a["BLOCKS"][0]["MESSAGE"], "[B]New request[/B]");
/// assert_eq!(a["BLOCKS"][3]["GRID"][1]["NAME"], "Owner");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct Attach {
    id: Option<i64>,
    color: Option<String>,
    color_token: Option<ColorToken>,
    blocks: Vec<Block>,
}

impl Attach {
    /// An empty card (add at least one block).
    ///
    /// ```
    /// assert!(imbot_sdk::rich::Attach::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// `ID`: your id of the card within the message.
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().id(1).message("x").build().unwrap();
    /// assert_eq!(a["ID"], 1);
    /// ```
    pub fn id(mut self, id: i64) -> Self {
        self.id = Some(id);
        self
    }

    /// `COLOR`: the card's stripe (`#RGB`/`#RRGGBB`).
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().color("#2fc6f6").message("x");
    /// # let _ = a;
    /// ```
    pub fn color(mut self, c: impl Into<String>) -> Self {
        self.color = Some(c.into());
        self
    }

    /// `COLOR_TOKEN`: the card's theme colour.
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().color_token(imbot_sdk::rich::ColorToken::Alert).message("!");
    /// # let _ = a;
    /// ```
    pub fn color_token(mut self, token: ColorToken) -> Self {
        self.color_token = Some(token);
        self
    }

    /// A `MESSAGE` block (BB-code text, not blank).
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().message("[I]quiet[/I]");
    /// # let _ = a;
    /// ```
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Message(text.into()));
        self
    }

    /// A `LINK` block.
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().link(imbot_sdk::rich::attach::LinkBlock::new("https://e.com"));
    /// # let _ = a;
    /// ```
    pub fn link(mut self, block: LinkBlock) -> Self {
        self.blocks.push(Block::Link(block));
        self
    }

    /// A `USER` block.
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().user(imbot_sdk::rich::attach::UserBlock::new("Echo").bot_id(5));
    /// # let _ = a;
    /// ```
    pub fn user(mut self, block: UserBlock) -> Self {
        self.blocks.push(Block::User(block));
        self
    }

    /// A `GRID` block of `items` (at least one).
    ///
    /// ```
    /// use imbot_sdk::rich::attach::GridItem;
    /// let a = imbot_sdk::rich::Attach::new().grid([GridItem::row("a", "1"), GridItem::row("b", "2")]);
    /// # let _ = a;
    /// ```
    pub fn grid(mut self, items: impl IntoIterator<Item = GridItem>) -> Self {
        self.blocks.push(Block::Grid(items.into_iter().collect()));
        self
    }

    /// An `IMAGE` block of `images` (at least one).
    ///
    /// ```
    /// use imbot_sdk::rich::attach::ImageItem;
    /// let a = imbot_sdk::rich::Attach::new().images([ImageItem::new("https://e.com/1.png")]);
    /// # let _ = a;
    /// ```
    pub fn images(mut self, images: impl IntoIterator<Item = ImageItem>) -> Self {
        self.blocks.push(Block::Image(images.into_iter().collect()));
        self
    }

    /// A `FILE` block of `files` (at least one).
    ///
    /// ```
    /// use imbot_sdk::rich::attach::FileItem;
    /// let a = imbot_sdk::rich::Attach::new().files([FileItem::new("https://e.com/f.pdf").name("f.pdf")]);
    /// # let _ = a;
    /// ```
    pub fn files(mut self, files: impl IntoIterator<Item = FileItem>) -> Self {
        self.blocks.push(Block::File(files.into_iter().collect()));
        self
    }

    /// A `DELIMITER` block with the default size.
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().message("a").delimiter().message("b").build().unwrap();
    /// assert_eq!(a["BLOCKS"][1], serde_json::json!({"DELIMITER": {}}));
    /// ```
    pub fn delimiter(mut self) -> Self {
        self.blocks.push(Block::Delimiter { size: None, color: None });
        self
    }

    /// A `DELIMITER` block `size` pixels wide in `color`.
    ///
    /// ```
    /// let a = imbot_sdk::rich::Attach::new().delimiter_with(200, "#c6cdd3").build().unwrap();
    /// assert_eq!(a["BLOCKS"][0]["DELIMITER"]["SIZE"], 200);
    /// ```
    pub fn delimiter_with(mut self, size: i64, color: impl Into<String>) -> Self {
        self.blocks.push(Block::Delimiter { size: Some(size), color: Some(color.into()) });
        self
    }

    /// The number of blocks.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::rich::Attach::new().message("a").len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// No blocks yet?
    ///
    /// ```
    /// assert!(imbot_sdk::rich::Attach::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The `ATTACH` value, or why it cannot be sent.
    ///
    /// ```
    /// use imbot_sdk::rich::{Attach, BuildErrorKind, attach::ImageItem};
    /// let e = Attach::new().images([ImageItem::new("data:image/png;base64,AAAA")]).build().unwrap_err();
    /// assert_eq!(e.path, "attach block 0 (IMAGE), item 0");
    /// assert!(matches!(e.kind, BuildErrorKind::BadLink(_)));
    /// ```
    pub fn build(&self) -> Result<Value, BuildError> {
        if self.blocks.is_empty() {
            return Err(err("attach", BuildErrorKind::Empty("block")));
        }
        let mut m = Map::new();
        put(&mut m, "ID", self.id.map(Ok))?;
        put(&mut m, "COLOR_TOKEN", self.color_token.map(|t| Ok(t.as_str())))?;
        put(&mut m, "COLOR", self.color.as_deref().map(|c| color("attach", c)))?;
        let blocks = self
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| b.to_value(&format!("attach block {i} ({})", b.kind())))
            .collect::<Result<Vec<_>, _>>()?;
        m.insert("BLOCKS".into(), Value::Array(blocks));
        let v = Value::Object(m);
        super::server_check("attach", imbot_wire::rich::Attach::parse(Some(&v)).map(|_| ()))?;
        Ok(v)
    }
}
