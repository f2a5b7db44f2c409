//! The v2 method table: every `imbot.v2.*` / `im.v2.*` method with its wire name, scope, how it identifies the
//! bot, and its documentation page (docs/v2.md §3). A registry can be filled from [`ALL`]; [`find`] looks a
//! name up the way Bitrix does (method names are case-insensitive, parameter names are not).

/// How a method identifies its bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotArg {
    /// `botId*` (BotController: `BOT_ID_REQUIRED`, `BOT_NOT_FOUND`, `BOT_OWNERSHIP_ERROR`).
    Required,
    /// `Bot.get`: `botId` or `code`.
    IdOrCode,
    /// No bot: `Bot.register`, `Bot.list`, `Revision.get`, and every `im.v2` method.
    None,
}

/// One v2 method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V2Method {
    /// The spelling the docs use (`imbot.v2.Chat.Message.send`).
    pub name: &'static str,
    /// `imbot` or `im`.
    pub scope: &'static str,
    pub bot: BotArg,
    /// The reference page, `bitrix24/api-reference__chat-bots__chat-bots-v2__<page>.md`.
    pub page: &'static str,
}

impl V2Method {
    /// Whether a webhook call must carry `botToken` (`BOT_TOKEN_NOT_SPECIFIED` otherwise): every imbot.v2
    /// method except `Revision.get`.
    pub fn needs_bot_token(&self) -> bool {
        self.scope == "imbot" && self.name != "imbot.v2.Revision.get"
    }
}

const fn m(name: &'static str, scope: &'static str, bot: BotArg, page: &'static str) -> V2Method {
    V2Method { name, scope, bot, page }
}

use BotArg::{IdOrCode, None as NoBot, Required};

/// Every v2 method, grouped as the overview page lists them. `im.v2.Chat.Bot.sendContext` is only named by the
/// bot-context page (what the web client calls after opening a dialog with `BOT_CONTEXT`).
pub const ALL: &[V2Method] = &[
    m("imbot.v2.Bot.register", "imbot", NoBot, "imbot.v2__bots__bot-register"),
    m("imbot.v2.Bot.update", "imbot", Required, "imbot.v2__bots__bot-update"),
    m("imbot.v2.Bot.get", "imbot", IdOrCode, "imbot.v2__bots__bot-get"),
    m("imbot.v2.Bot.list", "imbot", NoBot, "imbot.v2__bots__bot-list"),
    m("imbot.v2.Bot.unregister", "imbot", Required, "imbot.v2__bots__bot-unregister"),
    m("imbot.v2.Chat.add", "imbot", Required, "imbot.v2__chats__chat-add"),
    m("imbot.v2.Chat.get", "imbot", Required, "imbot.v2__chats__chat-get"),
    m("imbot.v2.Chat.update", "imbot", Required, "imbot.v2__chats__chat-update"),
    m("imbot.v2.Chat.User.add", "imbot", Required, "imbot.v2__chats__chat-user-add"),
    m("imbot.v2.Chat.User.delete", "imbot", Required, "imbot.v2__chats__chat-user-delete"),
    m("imbot.v2.Chat.User.list", "imbot", Required, "imbot.v2__chats__chat-user-list"),
    m("imbot.v2.Chat.leave", "imbot", Required, "imbot.v2__chats__chat-leave"),
    m("imbot.v2.Chat.Manager.add", "imbot", Required, "imbot.v2__chats__chat-manager-add"),
    m("imbot.v2.Chat.Manager.delete", "imbot", Required, "imbot.v2__chats__chat-manager-delete"),
    m("imbot.v2.Chat.setOwner", "imbot", Required, "imbot.v2__chats__chat-set-owner"),
    m("imbot.v2.Chat.Message.send", "imbot", Required, "imbot.v2__messages__chat-message-send"),
    m("imbot.v2.Chat.Message.update", "imbot", Required, "imbot.v2__messages__chat-message-update"),
    m("imbot.v2.Chat.Message.delete", "imbot", Required, "imbot.v2__messages__chat-message-delete"),
    m("imbot.v2.Chat.Message.read", "imbot", Required, "imbot.v2__messages__chat-message-read"),
    m("imbot.v2.Chat.Message.get", "imbot", Required, "imbot.v2__messages__chat-message-get"),
    m("imbot.v2.Chat.Message.getContext", "imbot", Required, "imbot.v2__messages__chat-message-get-context"),
    m("imbot.v2.Chat.Message.Reaction.add", "imbot", Required, "imbot.v2__messages__chat-message-reaction-add"),
    m("imbot.v2.Chat.Message.Reaction.delete", "imbot", Required, "imbot.v2__messages__chat-message-reaction-delete"),
    m("imbot.v2.Command.register", "imbot", Required, "imbot.v2__commands__command-register"),
    m("imbot.v2.Command.update", "imbot", Required, "imbot.v2__commands__command-update"),
    m("imbot.v2.Command.list", "imbot", Required, "imbot.v2__commands__command-list"),
    m("imbot.v2.Command.unregister", "imbot", Required, "imbot.v2__commands__command-unregister"),
    m("imbot.v2.Command.answer", "imbot", Required, "imbot.v2__commands__command-answer"),
    m("imbot.v2.Chat.InputAction.notify", "imbot", Required, "imbot.v2__ui__chat-input-action-notify"),
    m("imbot.v2.Chat.TextField.enabled", "imbot", Required, "imbot.v2__ui__chat-text-field-enabled"),
    m("imbot.v2.Event.get", "imbot", Required, "imbot.v2__events__event-get"),
    m("imbot.v2.File.upload", "imbot", Required, "imbot.v2__files__file-upload"),
    m("imbot.v2.File.download", "imbot", Required, "imbot.v2__files__file-download"),
    m("imbot.v2.Revision.get", "imbot", NoBot, "imbot.v2__revision-get"),
    m("im.v2.Event.subscribe", "im", NoBot, "im.v2__events__event-subscribe"),
    m("im.v2.Event.unsubscribe", "im", NoBot, "im.v2__events__event-unsubscribe"),
    m("im.v2.Event.get", "im", NoBot, "im.v2__events__event-get"),
    m("im.v2.File.upload", "im", NoBot, "im.v2__files__file-upload"),
    m("im.v2.File.download", "im", NoBot, "im.v2__files__file-download"),
    m("im.v2.Chat.Bot.sendContext", "im", NoBot, "imbot.v2__bot-context"),
];

/// The method called `name`, compared ASCII-case-insensitively (`imbot.v2.chat.message.send` works).
pub fn find(name: &str) -> Option<&'static V2Method> {
    ALL.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// Whether a method name belongs to the v2 API (and so must keep its parameter names' case).
pub fn is_v2(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("imbot.v2.") || lower.starts_with("im.v2.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(ALL.len(), 40);
        assert_eq!(ALL.iter().filter(|m| m.scope == "imbot").count(), 34);
        assert_eq!(find("IMBOT.V2.CHAT.MESSAGE.SEND").map(|m| m.name), Some("imbot.v2.Chat.Message.send"));
        assert!(!find("imbot.v2.Revision.get").unwrap().needs_bot_token());
        assert!(find("imbot.v2.Bot.list").unwrap().needs_bot_token());
        assert!(!find("im.v2.Event.get").unwrap().needs_bot_token());
        assert!(is_v2("IM.V2.File.upload") && !is_v2("imbot.register"));
        let mut names: Vec<_> = ALL.iter().map(|m| m.name.to_ascii_lowercase()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }
}
