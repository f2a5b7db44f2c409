//! `MENU`: extra items in a message's context menu (SPEC-NOTES §7.3; docs `chats/messages/menu.md`).
//!
//! Input: a JSON string, `{"ITEMS": […], "BOT_ID": n}`, or a bare array of items (see [the module
//! overview](super) for the forms shared with KEYBOARD and ATTACH, and for clearing with `""` / `"N"`).
//!
//! An item is `TEXT` (trimmed, non-empty) plus one action with the keyboard's priority LINK > FUNCTION > APP_ID >
//! ACTION+ACTION_VALUE > COMMAND ([`ButtonAction`]), and optionally `CONTEXT` (`MOBILE|DESKTOP|ALL`) and
//! `DISABLED`. Like keyboard buttons, invalid items are dropped silently and only a menu with no item left is a
//! `MENU_ERROR`. COMMAND items fire ONIMCOMMANDADD with `COMMAND_CONTEXT=MENU`, so they need a bot, resolved as
//! for keyboards: the `bot_id` argument (imbot.* methods), else the menu's `BOT_ID`, else the item's own
//! `BOT_ID` (our extension, so the stored form parses back).
//!
//! The stored form is a bare array of items, each `{TEXT, <action fields>, BOT_ID, CONTEXT, DISABLED}`.
//! `TYPE:"NEWLINE"` has no meaning in a menu: such an entry has no `TEXT` and is dropped.

use super::{
    check_size, decode, entries, enum_field, error, flag, pos_int, summarise, trimmed, yn, ButtonAction, Context,
    Decoded, Field,
};
use crate::error::{ApiError, ErrorCode};
use serde_json::{Map, Value};

/// A parsed context menu: at least one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Menu {
    pub items: Vec<MenuItem>,
}

/// One context-menu item. Invariants as for [`super::Button`]: trimmed non-empty `text`, a COMMAND item has
/// `bot_id > 0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub text: String,
    pub action: ButtonAction,
    /// The bot a COMMAND goes to; stored on every item, 0 when the menu has no bot.
    pub bot_id: i64,
    pub context: Context,
    pub disabled: bool,
}

impl MenuItem {
    /// An item with default `CONTEXT`, enabled, no bot.
    pub fn new(text: impl Into<String>, action: ButtonAction) -> Self {
        MenuItem { text: text.into(), action, bot_id: 0, context: Context::All, disabled: false }
    }

    fn read(obj: &Map<String, Value>, menu_bot: Option<i64>) -> Result<Self, String> {
        let text = trimmed(obj, "TEXT").ok_or("TEXT is missing or empty")?;
        let bot_id = menu_bot.or_else(|| pos_int(obj, "BOT_ID")).unwrap_or(0);
        let action = ButtonAction::read(obj, bot_id)?;
        Ok(MenuItem {
            text,
            action,
            bot_id,
            context: enum_field(obj, "CONTEXT", Context::parse).unwrap_or_default(),
            disabled: flag(obj, "DISABLED"),
        })
    }

    /// The stored item.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("TEXT".into(), self.text.clone().into());
        self.action.write(&mut m);
        m.insert("BOT_ID".into(), self.bot_id.into());
        m.insert("CONTEXT".into(), self.context.as_str().into());
        m.insert("DISABLED".into(), yn(self.disabled));
        Value::Object(m)
    }
}

impl Menu {
    /// Parses the `MENU` parameter (`None` when the request has no such parameter). `bot_id` as for
    /// [`super::Keyboard::parse`].
    ///
    /// Errors: `MENU_ERROR` (not a menu, or no valid item), `MENU_OVERSIZE`.
    pub fn parse(value: Option<&Value>, bot_id: Option<i64>) -> Result<Field<Menu>, ApiError> {
        let v = match decode(value).map_err(|d| error(ErrorCode::MENU_ERROR, d))? {
            Decoded::Absent => return Ok(Field::Absent),
            Decoded::Clear => return Ok(Field::Clear),
            Decoded::Value(v) => v,
        };
        let menu = Self::read(&v, bot_id)?;
        check_size(&menu.to_value(), ErrorCode::MENU_OVERSIZE)?;
        Ok(Field::Set(menu))
    }

    /// Reads a stored menu back ([`Menu::to_value`]); `None` for "no menu" or anything unreadable.
    pub fn from_stored(stored: &Value) -> Option<Menu> {
        Self::parse(Some(stored), None).ok()?.into_set()
    }

    /// The stored form: a bare array of stored items.
    pub fn to_value(&self) -> Value {
        Value::Array(self.items.iter().map(MenuItem::to_value).collect())
    }

    fn read(v: &Value, bot_id: Option<i64>) -> Result<Menu, ApiError> {
        let fail = |d: String| error(ErrorCode::MENU_ERROR, d);
        let (list, menu_bot) = match v {
            Value::Object(m) if m.contains_key("ITEMS") => {
                let list = entries(&m["ITEMS"]).ok_or_else(|| fail("ITEMS must be an array of menu items".into()))?;
                (list, pos_int(m, "BOT_ID"))
            }
            _ => (entries(v).unwrap_or_default(), None),
        };
        let menu_bot = bot_id.filter(|b| *b > 0).or(menu_bot);

        let mut items = Vec::with_capacity(list.len());
        let mut dropped = Vec::new();
        for (label, item) in list {
            let read = match item.as_object() {
                Some(obj) => MenuItem::read(obj, menu_bot),
                None => Err("not an object".to_owned()),
            };
            match read {
                Ok(i) => items.push(i),
                Err(why) => dropped.push(format!("item {label}: {why}")),
            }
        }
        if items.is_empty() {
            return Err(fail(if dropped.is_empty() {
                "no items".to_owned()
            } else {
                format!("no valid items ({})", summarise(&dropped))
            }));
        }
        Ok(Menu { items })
    }
}
