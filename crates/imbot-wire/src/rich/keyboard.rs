//! `KEYBOARD`: buttons under a message (SPEC-NOTES §7.2, COMPAT R21; docs `chats/messages/keyboards.md`, its
//! historical version with the full v1 field table, and `imbot.v2/messages/message-keyboards.md`).
//!
//! Input: a JSON string, `{"BUTTONS": […], "BOT_ID": n, "COLORS": {BG_COLOR, TEXT_COLOR, OFF_BG_COLOR,
//! OFF_TEXT_COLOR}, "VOTE": "Y"}`, or a bare array of buttons (see [the module overview](super) for the forms
//! shared with MENU and ATTACH, and for clearing with `""` / `"N"`).
//!
//! A button is `{"TYPE": "NEWLINE"}` (a line break; other fields ignored) or `TEXT` (trimmed, non-empty) plus one
//! action, chosen by Bitrix's priority LINK > FUNCTION > APP_ID > ACTION+ACTION_VALUE > COMMAND
//! ([`ButtonAction`]). **Invalid buttons are dropped silently**, as Bitrix drops them; only when no button is
//! left (line breaks don't count) is the keyboard a `KEYBOARD_ERROR`, whose description lists why the buttons
//! were dropped.
//!
//! Choices:
//! * **The bot of a button** (where its COMMAND goes): the `bot_id` argument when > 0 — imbot.* methods pass
//!   the calling bot, which replaces any `BOT_ID` in the keyboard, as Bitrix's `$keyboard['BOT_ID'] =
//!   $arParams['BOT_ID']` does — else the keyboard's `BOT_ID`, else the button's own `BOT_ID`. The last one is
//!   our extension: it is what makes the stored form (where every button carries its `BOT_ID`) parse back to
//!   the same keyboard. A COMMAND button without a bot > 0 is dropped ("COMMAND buttons need a BOT_ID").
//! * Keyboard-level `COLORS` and `VOTE` are applied to every button (a button's own valid colour wins), so the
//!   typed keyboard holds only buttons, and so does the stored form: a bare array of buttons, each with
//!   `TYPE:"BUTTON"`, `BOT_ID`, `VOTE`, `WAIT:"N"`, `CONTEXT`, `DISABLED`, `DISPLAY`, `BG_COLOR_TOKEN` and, for
//!   COMMAND buttons, `BLOCK`. Unset optional fields (`WIDTH`, colours) are left out of the stored form.
//! * `BLOCK` is only kept for COMMAND buttons (the docs: an ACTION button "is not blocked").
//! * Invalid `CONTEXT` / `DISPLAY` / `BG_COLOR_TOKEN` fall back to their defaults (`ALL`, `BLOCK`, `base`);
//!   invalid colours and non-positive `WIDTH` are ignored.

use super::{
    check_size, color, decode, entries, enum_field, error, flag, pos_int, summarise, text, trimmed, yn, ButtonAction,
    ColorToken, Context, Decoded, Field,
};
use crate::error::{ApiError, ErrorCode};
use serde_json::{Map, Value};

string_enum! { parse_ci:
    /// `DISPLAY` of a button. Default `BLOCK`.
    #[derive(Default)]
    pub enum ButtonDisplay {
        /// The button takes its own block.
        #[default]
        Block = "BLOCK",
        /// The button sits in a line with its neighbours.
        Line = "LINE",
    }
}

/// A parsed keyboard: the buttons and line breaks, in order. At least one is a [`KeyboardItem::Button`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyboard {
    pub buttons: Vec<KeyboardItem>,
}

/// One entry of a keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyboardItem {
    /// `{"TYPE": "NEWLINE"}`: the next button starts a new line.
    NewLine,
    Button(Button),
}

/// A keyboard button with every Bitrix default applied.
///
/// Invariants (kept by the parser; needed for the round trip): `text` is trimmed and non-empty; links are
/// valid ([`super::is_valid_link`]); a [`ButtonAction::Command`] has `bot_id > 0` and a normalised command;
/// `block` is false unless the action is a command; `width` is > 0; colours are `#RGB`/`#RRGGBB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// `TEXT`, trimmed.
    pub text: String,
    pub action: ButtonAction,
    /// `BOT_ID`: the bot a COMMAND goes to; stored on every button, 0 when the keyboard has no bot.
    pub bot_id: i64,
    /// `BLOCK`: disable the button after it is pressed (COMMAND buttons only).
    pub block: bool,
    /// `VOTE`: the keyboard is a vote (from the keyboard-level `VOTE`).
    pub vote: bool,
    pub context: Context,
    /// `DISABLED`: shown inactive.
    pub disabled: bool,
    pub display: ButtonDisplay,
    /// `WIDTH` in pixels.
    pub width: Option<i64>,
    pub bg_color: Option<String>,
    pub text_color: Option<String>,
    pub off_bg_color: Option<String>,
    pub off_text_color: Option<String>,
    pub bg_color_token: ColorToken,
}

impl Button {
    /// A button with every optional field at its default and no bot.
    pub fn new(text: impl Into<String>, action: ButtonAction) -> Self {
        Button {
            text: text.into(),
            action,
            bot_id: 0,
            block: false,
            vote: false,
            context: Context::All,
            disabled: false,
            display: ButtonDisplay::Block,
            width: None,
            bg_color: None,
            text_color: None,
            off_bg_color: None,
            off_text_color: None,
            bg_color_token: ColorToken::Base,
        }
    }

    /// Reads one (non-NEWLINE) button; the error is the reason it is dropped.
    fn read(
        obj: &Map<String, Value>,
        keyboard_bot: Option<i64>,
        defaults: &Colors,
        vote: bool,
    ) -> Result<Self, String> {
        let text = trimmed(obj, "TEXT").ok_or("TEXT is missing or empty")?;
        let bot_id = keyboard_bot.or_else(|| pos_int(obj, "BOT_ID")).unwrap_or(0);
        let action = ButtonAction::read(obj, bot_id)?;
        Ok(Button {
            text,
            block: matches!(action, ButtonAction::Command { .. }) && flag(obj, "BLOCK"),
            action,
            bot_id,
            vote: vote || flag(obj, "VOTE"),
            context: enum_field(obj, "CONTEXT", Context::parse).unwrap_or_default(),
            disabled: flag(obj, "DISABLED"),
            display: enum_field(obj, "DISPLAY", ButtonDisplay::parse).unwrap_or_default(),
            width: pos_int(obj, "WIDTH"),
            bg_color: color(obj, "BG_COLOR").or_else(|| defaults.bg_color.clone()),
            text_color: color(obj, "TEXT_COLOR").or_else(|| defaults.text_color.clone()),
            off_bg_color: color(obj, "OFF_BG_COLOR").or_else(|| defaults.off_bg_color.clone()),
            off_text_color: color(obj, "OFF_TEXT_COLOR").or_else(|| defaults.off_text_color.clone()),
            bg_color_token: enum_field(obj, "BG_COLOR_TOKEN", ColorToken::parse).unwrap_or_default(),
        })
    }

    /// The stored button.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("TYPE".into(), "BUTTON".into());
        m.insert("TEXT".into(), self.text.clone().into());
        self.action.write(&mut m);
        if matches!(self.action, ButtonAction::Command { .. }) {
            m.insert("BLOCK".into(), yn(self.block));
        }
        m.insert("BOT_ID".into(), self.bot_id.into());
        m.insert("VOTE".into(), yn(self.vote));
        m.insert("WAIT".into(), "N".into());
        m.insert("CONTEXT".into(), self.context.as_str().into());
        m.insert("DISABLED".into(), yn(self.disabled));
        m.insert("DISPLAY".into(), self.display.as_str().into());
        if let Some(w) = self.width {
            m.insert("WIDTH".into(), w.into());
        }
        for (key, c) in [
            ("BG_COLOR", &self.bg_color),
            ("TEXT_COLOR", &self.text_color),
            ("OFF_BG_COLOR", &self.off_bg_color),
            ("OFF_TEXT_COLOR", &self.off_text_color),
        ] {
            if let Some(c) = c {
                m.insert(key.into(), c.clone().into());
            }
        }
        m.insert("BG_COLOR_TOKEN".into(), self.bg_color_token.as_str().into());
        Value::Object(m)
    }
}

impl KeyboardItem {
    pub fn to_value(&self) -> Value {
        match self {
            KeyboardItem::NewLine => {
                let mut m = Map::new();
                m.insert("TYPE".into(), "NEWLINE".into());
                Value::Object(m)
            }
            KeyboardItem::Button(b) => b.to_value(),
        }
    }
}

/// Keyboard-level default colours (`COLORS`), each validated.
#[derive(Default)]
struct Colors {
    bg_color: Option<String>,
    text_color: Option<String>,
    off_bg_color: Option<String>,
    off_text_color: Option<String>,
}

impl Colors {
    fn read(v: Option<&Value>) -> Self {
        match v.and_then(Value::as_object) {
            None => Colors::default(),
            Some(m) => Colors {
                bg_color: color(m, "BG_COLOR"),
                text_color: color(m, "TEXT_COLOR"),
                off_bg_color: color(m, "OFF_BG_COLOR"),
                off_text_color: color(m, "OFF_TEXT_COLOR"),
            },
        }
    }
}

impl Keyboard {
    /// Parses the `KEYBOARD` parameter (`None` when the request has no such parameter).
    ///
    /// `bot_id`: the calling bot for imbot.* methods (it replaces any `BOT_ID` inside the keyboard); `None` for
    /// im.* methods, where only the keyboard's own `BOT_ID` can make COMMAND buttons valid.
    ///
    /// Errors: `KEYBOARD_ERROR` (not a keyboard, or no valid button), `KEYBOARD_OVERSIZE`.
    pub fn parse(value: Option<&Value>, bot_id: Option<i64>) -> Result<Field<Keyboard>, ApiError> {
        let v = match decode(value).map_err(|d| error(ErrorCode::KEYBOARD_ERROR, d))? {
            Decoded::Absent => return Ok(Field::Absent),
            Decoded::Clear => return Ok(Field::Clear),
            Decoded::Value(v) => v,
        };
        let keyboard = Self::read(&v, bot_id)?;
        check_size(&keyboard.to_value(), ErrorCode::KEYBOARD_OVERSIZE)?;
        Ok(Field::Set(keyboard))
    }

    /// Reads a stored keyboard back ([`Keyboard::to_value`]); `None` for "no keyboard" or anything unreadable.
    pub fn from_stored(stored: &Value) -> Option<Keyboard> {
        Self::parse(Some(stored), None).ok()?.into_set()
    }

    /// The stored form: a bare array of stored buttons (see the module docs).
    pub fn to_value(&self) -> Value {
        Value::Array(self.buttons.iter().map(KeyboardItem::to_value).collect())
    }

    /// The buttons, without the line breaks.
    pub fn buttons(&self) -> impl Iterator<Item = &Button> {
        self.buttons.iter().filter_map(|i| match i {
            KeyboardItem::Button(b) => Some(b),
            KeyboardItem::NewLine => None,
        })
    }

    fn read(v: &Value, bot_id: Option<i64>) -> Result<Keyboard, ApiError> {
        let fail = |d: String| error(ErrorCode::KEYBOARD_ERROR, d);
        let (list, keyboard_bot, defaults, vote) = match v {
            Value::Object(m) if m.contains_key("BUTTONS") => {
                let list = entries(&m["BUTTONS"]).ok_or_else(|| fail("BUTTONS must be an array of buttons".into()))?;
                (list, pos_int(m, "BOT_ID"), Colors::read(m.get("COLORS")), flag(m, "VOTE"))
            }
            _ => (entries(v).unwrap_or_default(), None, Colors::default(), false),
        };
        let keyboard_bot = bot_id.filter(|b| *b > 0).or(keyboard_bot);

        let mut buttons = Vec::with_capacity(list.len());
        let mut dropped = Vec::new();
        for (label, b) in list {
            let Some(obj) = b.as_object() else {
                dropped.push(format!("button {label}: not an object"));
                continue;
            };
            if text(obj, "TYPE").is_some_and(|t| t.trim().eq_ignore_ascii_case("NEWLINE")) {
                buttons.push(KeyboardItem::NewLine);
                continue;
            }
            match Button::read(obj, keyboard_bot, &defaults, vote) {
                Ok(b) => buttons.push(KeyboardItem::Button(b)),
                Err(why) => dropped.push(format!("button {label}: {why}")),
            }
        }
        if !buttons.iter().any(|b| matches!(b, KeyboardItem::Button(_))) {
            return Err(fail(if dropped.is_empty() {
                "no buttons".to_owned()
            } else {
                format!("no valid buttons ({})", summarise(&dropped))
            }));
        }
        Ok(Keyboard { buttons })
    }
}
