//! `MENU`: extra items in a message's context menu (`api-reference__chats__messages__menu.md`, SPEC-NOTES §7.3).
//!
//! Output: `{"ITEMS": [{"TEXT": …, <one action>, …}, …], "BOT_ID": n}`. `COMMAND` items fire ONIMCOMMANDADD with
//! `COMMAND_CONTEXT=MENU` and need the bot: make the menu with [`Menu::for_bot`].

use super::{Action, BuildError, BuildErrorKind, Context, err, positive, text};
use imbot_wire::DialogId;
use imbot_wire::rich::ActionKind;
use serde_json::{Map, Value};

/// One context-menu item: `TEXT` and one action.
///
/// ```
/// use imbot_sdk::rich::MenuItem;
/// let i = MenuItem::command("Mark done", "done", "3").context(imbot_sdk::rich::Context::Desktop);
/// # let _ = i;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct MenuItem {
    text: String,
    action: Action,
    context: Context,
    disabled: bool,
}

impl MenuItem {
    pub(super) fn with(text: impl Into<String>, action: Action) -> Self {
        MenuItem { text: text.into(), action, context: Context::All, disabled: false }
    }

    /// Sends `/command params` to the menu's bot.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::command("Refresh", "list", "");
    /// # let _ = i;
    /// ```
    pub fn command(text: impl Into<String>, command: impl Into<String>, params: impl Into<String>) -> Self {
        Self::with(text, Action::Command { command: command.into(), params: params.into() })
    }

    /// Opens `url`.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::link("Open website", "https://example.com");
    /// # let _ = i;
    /// ```
    pub fn link(text: impl Into<String>, url: impl Into<String>) -> Self {
        Self::with(text, Action::Link(url.into()))
    }

    /// Puts `value` into the input field.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::put("Reply with a task", "/add ");
    /// # let _ = i;
    /// ```
    pub fn put(text: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Put, value: value.into() })
    }

    /// Sends `value` as a message.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::send("Send text", "Done");
    /// # let _ = i;
    /// ```
    pub fn send(text: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Send, value: value.into() })
    }

    /// Copies `value`.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::copy("Copy id", "42");
    /// # let _ = i;
    /// ```
    pub fn copy(text: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Copy, value: value.into() })
    }

    /// Calls `phone`.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::call("Call", "+15550100");
    /// # let _ = i;
    /// ```
    pub fn call(text: impl Into<String>, phone: impl Into<String>) -> Self {
        Self::with(text, Action::Do { kind: ActionKind::Call, value: phone.into() })
    }

    /// Opens `dialog`.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::dialog("Ask the author", imbot_sdk::DialogId::User(27));
    /// # let _ = i;
    /// ```
    pub fn dialog(text: impl Into<String>, dialog: DialogId) -> Self {
        Self::with(text, Action::dialog(dialog))
    }

    /// Opens chat application `app_id` (deprecated; Open Lines).
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::app("Open", 12, "");
    /// # let _ = i;
    /// ```
    pub fn app(text: impl Into<String>, app_id: i64, params: impl Into<String>) -> Self {
        Self::with(text, Action::App { app_id, params: params.into() })
    }

    /// `CONTEXT`: only on mobile or desktop.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::copy("Copy", "x").context(imbot_sdk::rich::Context::Mobile);
    /// # let _ = i;
    /// ```
    pub fn context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    /// `DISABLED=Y`.
    ///
    /// ```
    /// let i = imbot_sdk::rich::MenuItem::copy("Copy", "x").disabled();
    /// # let _ = i;
    /// ```
    pub fn disabled(mut self) -> Self {
        self.disabled = true;
        self
    }

    fn to_value(&self, path: &str, bot: Option<i64>) -> Result<Value, BuildError> {
        let mut m = Map::new();
        m.insert("TEXT".into(), text(path, &self.text)?.into());
        self.action.write(path, bot, &mut m)?;
        if self.context != Context::All {
            m.insert("CONTEXT".into(), self.context.as_str().into());
        }
        if self.disabled {
            m.insert("DISABLED".into(), "Y".into());
        }
        Ok(Value::Object(m))
    }
}

/// A context menu.
///
/// ```
/// use imbot_sdk::rich::{Menu, MenuItem};
/// let menu = Menu::for_bot(567)
///     .item(MenuItem::command("Refresh", "list", ""))
///     .item(MenuItem::link("Help", "https://example.com/help"))
///     .build()
///     .unwrap();
/// assert_eq!(menu["ITEMS"][1]["LINK"], "https://example.com/help");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct Menu {
    bot_id: Option<i64>,
    items: Vec<MenuItem>,
}

impl Menu {
    /// A menu without a bot: no `COMMAND` items.
    ///
    /// ```
    /// let m = imbot_sdk::rich::Menu::new();
    /// assert!(m.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A menu whose `COMMAND` items go to bot `bot_id`.
    ///
    /// ```
    /// let m = imbot_sdk::rich::Menu::for_bot(5).item(imbot_sdk::rich::MenuItem::command("Go", "go", ""));
    /// assert_eq!(m.build().unwrap()["BOT_ID"], 5);
    /// ```
    pub fn for_bot(bot_id: i64) -> Self {
        Menu { bot_id: Some(bot_id), items: Vec::new() }
    }

    /// Adds an item.
    ///
    /// ```
    /// let m = imbot_sdk::rich::Menu::new().item(imbot_sdk::rich::MenuItem::copy("Copy", "x"));
    /// assert_eq!(m.len(), 1);
    /// ```
    pub fn item(mut self, item: MenuItem) -> Self {
        self.items.push(item);
        self
    }

    /// The number of items.
    ///
    /// ```
    /// assert_eq!(imbot_sdk::rich::Menu::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// No items yet?
    ///
    /// ```
    /// assert!(imbot_sdk::rich::Menu::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The `MENU` value, or why it cannot be sent.
    ///
    /// ```
    /// use imbot_sdk::rich::{Menu, MenuItem, BuildErrorKind};
    /// let e = Menu::new().item(MenuItem::put("Empty", " ")).build().unwrap_err();
    /// assert_eq!((e.path.as_str(), e.kind), ("menu item 0", BuildErrorKind::EmptyValue));
    /// ```
    pub fn build(&self) -> Result<Value, BuildError> {
        if let Some(id) = self.bot_id {
            positive("menu", "BOT_ID", id)?;
        }
        if self.items.is_empty() {
            return Err(err("menu", BuildErrorKind::Empty("item")));
        }
        let items = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| item.to_value(&format!("menu item {i}"), self.bot_id))
            .collect::<Result<Vec<_>, _>>()?;
        let mut m = Map::new();
        m.insert("ITEMS".into(), Value::Array(items));
        if let Some(id) = self.bot_id {
            m.insert("BOT_ID".into(), id.into());
        }
        let v = Value::Object(m);
        super::server_check("menu", imbot_wire::rich::Menu::parse(Some(&v), None).map(|_| ()))?;
        Ok(v)
    }
}
