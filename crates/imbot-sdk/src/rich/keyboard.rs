//! `KEYBOARD`: buttons under a message (`api-reference__chats__messages__keyboards.md`, SPEC-NOTES §7.2).
//!
//! Output: `{"BUTTONS": [{"TEXT": …, <one action>, …}, {"TYPE": "NEWLINE"}, …], "BOT_ID": n}`. `BOT_ID` is
//! there when the keyboard was made with [`Keyboard::for_bot`]; `im.*` methods need it for `COMMAND` buttons
//! (`imbot.*` methods put the calling bot in themselves).

use super::{Action, BuildError, BuildErrorKind, ButtonDisplay, ColorToken, Context, color, err, positive, put, text};
use imbot_wire::DialogId;
use imbot_wire::rich::ActionKind;
use serde_json::{Map, Value};

/// One keyboard button: `TEXT` and one action, plus optional looks.
///
/// ```
/// use imbot_sdk::rich::{Button, ColorToken};
/// let b = Button::command("Repeat", "echo", "hi").block().bg_color_token(ColorToken::Primary);
/// # let _ = b;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Button {
    text: String,
    action: Action,
    block: bool,
    disabled: bool,
    context: Context,
    display: ButtonDisplay,
    width: Option<i64>,
    bg_color: Option<String>,
    text_color: Option<String>,
    off_bg_color: Option<String>,
    off_text_color: Option<String>,
    bg_color_token: ColorToken,
}

impl Button {
    pub(super) fn with(text: impl Into<String>, action: Action) -> Self {
        Button {
            text: text.into(),
            action,
            block: false,
            disabled: false,
            context: Context::All,
            display: ButtonDisplay::Block,
            width: None,
            bg_color: None,
            text_color: None,
            off_bg_color: None,
            off_text_color: None,
            bg_color_token: ColorToken::Base,
        }
    }

    /// Sends `/command params` to the keyboard's bot (ONIMCOMMANDADD with `COMMAND_CONTEXT=KEYBOARD`).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::command("Done #3", "done", "3");
    /// # let _ = b;
    /// ```
    pub fn command(text: impl Into<String>, command: impl Into<String>, params: impl Into<String>) -> Self {
        Self::with(text, Action::Command { command: command.into(), params: params.into() })
    }

    /// Opens `url` (`https://…`, `http://…` or a portal path `/…`).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::link("Docs", "https://example.com/docs");
    /// # let _ = b;
    /// ```
    pub fn link(text: impl Into<String>, url: impl Into<String>) -> Self {
        Self::with(text, Action::Link(url.into()))
    }

    /// Puts `value` into the input field (`ACTION=PUT`).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::put("Add a task", "/add ");
    /// # let _ = b;
    /// ```
    pub fn put(text: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Put, value: value.into() })
    }

    /// Sends `value` as a message from the user (`ACTION=SEND`).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("List", "/list");
    /// # let _ = b;
    /// ```
    pub fn send(text: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Send, value: value.into() })
    }

    /// Copies `value` to the clipboard (`ACTION=COPY`).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::copy("Copy code", "X-42");
    /// # let _ = b;
    /// ```
    pub fn copy(text: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Copy, value: value.into() })
    }

    /// Calls `phone` (`ACTION=CALL`, international format).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::call("Call support", "+15550100");
    /// # let _ = b;
    /// ```
    pub fn call(text: impl Into<String>, phone: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Call, value: phone.into() })
    }

    /// Opens `dialog` (`ACTION=DIALOG`).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::dialog("Open the team chat", imbot_sdk::DialogId::Chat(5));
    /// # let _ = b;
    /// ```
    pub fn dialog(text: impl Into<String>, dialog: DialogId) -> Self {
        Self::with(text, Action::dialog(dialog))
    }

    /// Opens chat application `app_id` with `params` (`APP_ID`, deprecated; Open Lines).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::app("Open", 12, "mode=full");
    /// # let _ = b;
    /// ```
    pub fn app(text: impl Into<String>, app_id: i64, params: impl Into<String>) -> Self {
        Self::with(text, Action::App { app_id, params: params.into() })
    }

    /// `BLOCK=Y`: disable the keyboard once the button is pressed (COMMAND buttons; ignored for the others).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::command("Confirm", "confirm", "").block();
    /// # let _ = b;
    /// ```
    pub fn block(mut self) -> Self {
        self.block = true;
        self
    }

    /// `DISABLED=Y`: shown, but cannot be pressed.
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("Sold out", "-").disabled();
    /// # let _ = b;
    /// ```
    pub fn disabled(mut self) -> Self {
        self.disabled = true;
        self
    }

    /// `CONTEXT`: show only on mobile or desktop.
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("Hi", "hi").context(imbot_sdk::rich::Context::Mobile);
    /// # let _ = b;
    /// ```
    pub fn context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    /// `DISPLAY`: `LINE` puts the button beside its neighbours.
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("Yes", "yes").display(imbot_sdk::rich::ButtonDisplay::Line);
    /// # let _ = b;
    /// ```
    pub fn display(mut self, display: ButtonDisplay) -> Self {
        self.display = display;
        self
    }

    /// `WIDTH` in pixels (> 0).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("Wide", "w").width(200);
    /// # let _ = b;
    /// ```
    pub fn width(mut self, px: i64) -> Self {
        self.width = Some(px);
        self
    }

    /// `BG_COLOR` (`#RGB` or `#RRGGBB`).
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("Red", "r").bg_color("#c00");
    /// # let _ = b;
    /// ```
    pub fn bg_color(mut self, c: impl Into<String>) -> Self {
        self.bg_color = Some(c.into());
        self
    }

    /// `TEXT_COLOR`.
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("White", "w").text_color("#ffffff");
    /// # let _ = b;
    /// ```
    pub fn text_color(mut self, c: impl Into<String>) -> Self {
        self.text_color = Some(c.into());
        self
    }

    /// `OFF_BG_COLOR`: background when disabled.
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("x", "x").off_bg_color("#eee");
    /// # let _ = b;
    /// ```
    pub fn off_bg_color(mut self, c: impl Into<String>) -> Self {
        self.off_bg_color = Some(c.into());
        self
    }

    /// `OFF_TEXT_COLOR`: text colour when disabled.
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("x", "x").off_text_color("#999");
    /// # let _ = b;
    /// ```
    pub fn off_text_color(mut self, c: impl Into<String>) -> Self {
        self.off_text_color = Some(c.into());
        self
    }

    /// `BG_COLOR_TOKEN`: a theme colour.
    ///
    /// ```
    /// let b = imbot_sdk::rich::Button::send("OK", "ok").bg_color_token(imbot_sdk::rich::ColorToken::Primary);
    /// # let _ = b;
    /// ```
    pub fn bg_color_token(mut self, token: ColorToken) -> Self {
        self.bg_color_token = token;
        self
    }

    fn to_value(&self, path: &str, bot: Option<i64>) -> Result<Value, BuildError> {
        let mut m = Map::new();
        m.insert("TEXT".into(), text(path, &self.text)?.into());
        self.action.write(path, bot, &mut m)?;
        if self.block && self.action.is_command() {
            m.insert("BLOCK".into(), "Y".into());
        }
        if self.disabled {
            m.insert("DISABLED".into(), "Y".into());
        }
        if self.context != Context::All {
            m.insert("CONTEXT".into(), self.context.as_str().into());
        }
        if self.display != ButtonDisplay::Block {
            m.insert("DISPLAY".into(), self.display.as_str().into());
        }
        put(&mut m, "WIDTH", self.width.map(|w| positive(path, "WIDTH", w)))?;
        put(&mut m, "BG_COLOR", self.bg_color.as_deref().map(|c| color(path, c)))?;
        put(&mut m, "TEXT_COLOR", self.text_color.as_deref().map(|c| color(path, c)))?;
        put(&mut m, "OFF_BG_COLOR", self.off_bg_color.as_deref().map(|c| color(path, c)))?;
        put(&mut m, "OFF_TEXT_COLOR", self.off_text_color.as_deref().map(|c| color(path, c)))?;
        if self.bg_color_token != ColorToken::Base {
            m.insert("BG_COLOR_TOKEN".into(), self.bg_color_token.as_str().into());
        }
        Ok(Value::Object(m))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Button(Button),
    NewLine,
}

/// A keyboard: buttons and line breaks, in order.
///
/// ```
/// use imbot_sdk::rich::{Button, Keyboard};
/// let kb = Keyboard::for_bot(567)
///     .button(Button::command("Repeat", "echo", "hi"))
///     .new_line()
///     .button(Button::link("Help", "/online/help"))
///     .build()
///     .unwrap();
/// assert_eq!(kb["BUTTONS"][0]["COMMAND"], "echo");
/// assert_eq!(kb["BUTTONS"][1]["TYPE"], "NEWLINE");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct Keyboard {
    bot_id: Option<i64>,
    items: Vec<Item>,
}

impl Keyboard {
    /// A keyboard without a bot: LINK and ACTION buttons only.
    ///
    /// ```
    /// let kb = imbot_sdk::rich::Keyboard::new().button(imbot_sdk::rich::Button::link("Site", "https://example.com"));
    /// assert!(kb.build().unwrap().get("BOT_ID").is_none());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A keyboard whose `COMMAND` buttons go to bot `bot_id` (`BOT_ID` in the keyboard).
    ///
    /// ```
    /// let kb = imbot_sdk::rich::Keyboard::for_bot(39).button(imbot_sdk::rich::Button::command("Go", "go", ""));
    /// assert_eq!(kb.build().unwrap()["BOT_ID"], 39);
    /// ```
    pub fn for_bot(bot_id: i64) -> Self {
        Keyboard { bot_id: Some(bot_id), items: Vec::new() }
    }

    /// Adds a button.
    ///
    /// ```
    /// let kb = imbot_sdk::rich::Keyboard::new().button(imbot_sdk::rich::Button::copy("Copy", "x"));
    /// assert_eq!(kb.len(), 1);
    /// ```
    pub fn button(mut self, button: Button) -> Self {
        self.items.push(Item::Button(button));
        self
    }

    /// Adds buttons.
    ///
    /// ```
    /// use imbot_sdk::rich::{Button, Keyboard};
    /// let kb = Keyboard::new().buttons((1..=3).map(|i| Button::send(format!("{i}"), format!("{i}"))));
    /// assert_eq!(kb.len(), 3);
    /// ```
    pub fn buttons(mut self, buttons: impl IntoIterator<Item = Button>) -> Self {
        self.items.extend(buttons.into_iter().map(Item::Button));
        self
    }

    /// Starts a new line of buttons (`{"TYPE": "NEWLINE"}`).
    ///
    /// ```
    /// let kb = imbot_sdk::rich::Keyboard::new().new_line();
    /// assert_eq!(kb.len(), 0);
    /// ```
    pub fn new_line(mut self) -> Self {
        self.items.push(Item::NewLine);
        self
    }

    /// The number of buttons (line breaks not counted).
    ///
    /// ```
    /// assert_eq!(imbot_sdk::rich::Keyboard::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.items.iter().filter(|i| matches!(i, Item::Button(_))).count()
    }

    /// No buttons yet?
    ///
    /// ```
    /// assert!(imbot_sdk::rich::Keyboard::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `KEYBOARD` value, or why it cannot be sent.
    ///
    /// ```
    /// use imbot_sdk::rich::{Button, Keyboard, BuildErrorKind};
    /// assert_eq!(Keyboard::new().build().unwrap_err().kind, BuildErrorKind::Empty("button"));
    /// let e = Keyboard::new().button(Button::command("Go", "go", "")).build().unwrap_err();
    /// assert_eq!(e.kind, BuildErrorKind::NoBot);
    /// ```
    pub fn build(&self) -> Result<Value, BuildError> {
        if let Some(id) = self.bot_id {
            positive("keyboard", "BOT_ID", id)?;
        }
        if self.is_empty() {
            return Err(err("keyboard", BuildErrorKind::Empty("button")));
        }
        let mut buttons = Vec::with_capacity(self.items.len());
        let mut n = 0;
        for item in &self.items {
            buttons.push(match item {
                Item::NewLine => serde_json::json!({"TYPE": "NEWLINE"}),
                Item::Button(b) => {
                    let v = b.to_value(&format!("keyboard button {n}"), self.bot_id)?;
                    n += 1;
                    v
                }
            });
        }
        let mut m = Map::new();
        m.insert("BUTTONS".into(), Value::Array(buttons));
        if let Some(id) = self.bot_id {
            m.insert("BOT_ID".into(), id.into());
        }
        let v = Value::Object(m);
        super::server_check("keyboard", imbot_wire::rich::Keyboard::parse(Some(&v), None).map(|_| ()))?;
        Ok(v)
    }
}
