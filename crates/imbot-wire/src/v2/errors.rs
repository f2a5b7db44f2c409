//! The v2 error catalogue: every `imbot.v2.*` / `im.v2.*` error code the method pages list (docs/v2.md §2.6).
//!
//! Codes and descriptions are the pages' "Possible Error Codes" tables (the *Description* column, which is what
//! the pages' example error bodies carry). The pages give the status only as "HTTP Status: 400, 403" per page,
//! never per code; Bitrix's REST bridge for the v2 controllers answers controller errors with `400` (a later
//! revision of the same pages says "HTTP Status: 400"), so **every code here is 400**. System errors
//! (`expired_token`, `NO_AUTH_FOUND`, `insufficient_scope`, …) keep their v1 statuses from
//! [`crate::error::ErrorCode`]. Where two pages use one code with two texts (`FILE_EMPTY`), both are here.

use crate::error::ErrorCode;

macro_rules! v2_catalogue {
    ($( $(#[$m:meta])* $name:ident = ($code:expr, $desc:expr); )*) => {
        $( $(#[$m])* pub const $name: ErrorCode = ErrorCode { code: $code, status: 400, description: $desc }; )*
        /// Every v2 code, for documentation and tests.
        pub const ALL: &[ErrorCode] = &[ $( $name ),* ];
    };
}

v2_catalogue! {
    // --- BotController: every imbot.v2 method except Revision.get (change log BOT-NEW-0408-1) ---
    /// Webhook call without `botToken` (in `Bot.register`: without `fields.botToken`).
    BOT_TOKEN_NOT_SPECIFIED = ("BOT_TOKEN_NOT_SPECIFIED", "Bot token is not specified");
    BOT_ID_REQUIRED = ("BOT_ID_REQUIRED", "Bot ID is required");
    BOT_NOT_FOUND = ("BOT_NOT_FOUND", "Bot not found");
    /// The bot belongs to another application, or was registered with another `botToken`.
    BOT_OWNERSHIP_ERROR = ("BOT_OWNERSHIP_ERROR", "Bot is registered by another application");
    // --- Bot.register / Bot.update / Bot.get / Bot.unregister ---
    BOT_CODE_REQUIRED = ("BOT_CODE_REQUIRED", "Bot code is required");
    BOT_PROPERTIES_REQUIRED = ("BOT_PROPERTIES_REQUIRED", "Bot properties are required");
    BOT_CODE_ALREADY_TAKEN = ("BOT_CODE_ALREADY_TAKEN", "Bot code is already taken");
    BOT_INVALID_TYPE = ("BOT_INVALID_TYPE", "Invalid bot type");
    BOT_INVALID_EVENT_MODE = ("BOT_INVALID_EVENT_MODE", "Invalid event mode");
    BOT_WEBHOOK_URL_REQUIRED = ("BOT_WEBHOOK_URL_REQUIRED", "Webhook URL is required");
    BOT_REGISTER_FAILED = ("BOT_REGISTER_FAILED", "Bot registration failed");
    BOT_INVALID_CALLBACK = ("BOT_INVALID_CALLBACK", "Invalid callback URL");
    BOT_LIMIT_EXCEEDED = ("BOT_LIMIT_EXCEEDED", "Bot limit exceeded");
    BOT_AVATAR_INCORRECT_TYPE = ("BOT_AVATAR_INCORRECT_TYPE", "Avatar must be an image");
    BOT_AVATAR_INCORRECT_SIZE = ("BOT_AVATAR_INCORRECT_SIZE", "Avatar exceeds maximum size");
    /// A `botToken` longer than 40 characters being set (change log BOT-BC-0506-1; the text is ours, the
    /// change log gives none).
    BOT_TOKEN_INVALID_LENGTH = ("BOT_TOKEN_INVALID_LENGTH", "Bot token must not be longer than 40 characters");
    /// Rotation to a token another bot already uses; deliberately says nothing more.
    BOT_TOKEN_ROTATION_FAILED = ("BOT_TOKEN_ROTATION_FAILED", "Bot token rotation failed");
    /// `Bot.get` with neither `botId` nor `code`.
    PARAMS_REQUIRED = ("PARAMS_REQUIRED", "Required parameters are missing");
    BOT_UNREGISTER_FAILED = ("BOT_UNREGISTER_FAILED", "Bot unregistration failed");
    // --- chats, messages, UI ---
    /// The bot is not a participant of the dialog, lacks the role, or the message is not its own.
    ACCESS_DENIED = ("ACCESS_DENIED", "Access denied");
    EMPTY_USER_IDS = ("EMPTY_USER_IDS", "Empty user IDs");
    EMPTY_MESSAGE = ("EMPTY_MESSAGE", "Message is empty");
    SENDING_FAILED = ("SENDING_FAILED", "Sending failed");
    MESSAGE_NOT_FOUND = ("MESSAGE_NOT_FOUND", "Message not found");
    MESSAGE_ACCESS_DENIED = ("MESSAGE_ACCESS_DENIED", "Message access denied");
    /// `Chat.Message.get` / `getContext` called by a bot that is not `supervisor` or `personal`.
    BOT_TYPE_NOT_ALLOWED = ("BOT_TYPE_NOT_ALLOWED", "Bot type not allowed");
    REACTION_NOT_FOUND = ("REACTION_NOT_FOUND", "Reaction not found");
    REACTION_ALREADY_SET = ("REACTION_ALREADY_SET", "Reaction already set");
    // --- commands ---
    COMMAND_REQUIRED = ("COMMAND_REQUIRED", "Command is required");
    COMMAND_NAME_INVALID = ("COMMAND_NAME_INVALID", "Command name is invalid");
    COMMAND_NAME_EMPTY = ("COMMAND_NAME_EMPTY", "Command name is empty");
    COMMAND_TITLE_REQUIRED = ("COMMAND_TITLE_REQUIRED", "Command title is required");
    COMMAND_REGISTER_FAILED = ("COMMAND_REGISTER_FAILED", "Command registration failed");
    COMMAND_NOT_FOUND = ("COMMAND_NOT_FOUND", "Command not found");
    COMMAND_ALREADY_EXISTS = ("COMMAND_ALREADY_EXISTS", "Command already exists");
    COMMAND_ANSWER_FAILED = ("COMMAND_ANSWER_FAILED", "Command answer failed");
    // --- Event.get ---
    /// `withUserEvents: true` without the `im` scope.
    SCOPE_ERROR = ("SCOPE_ERROR", "Scope error");
    AUTH_ERROR = ("AUTH_ERROR", "Auth error");
    USER_NOT_SUBSCRIBED = ("USER_NOT_SUBSCRIBED", "User not subscribed");
    // --- imbot.v2.File.* ---
    FILE_EMPTY = ("FILE_EMPTY", "File name or content is empty");
    FILE_INVALID_CONTENT = ("FILE_INVALID_CONTENT", "Invalid base64 content");
    FILE_FOLDER_ERROR = ("FILE_FOLDER_ERROR", "Failed to get chat folder");
    FILE_UPLOAD_FAILED = ("FILE_UPLOAD_FAILED", "File upload failed");
    FILE_SEND_FAILED = ("FILE_SEND_FAILED", "Failed to send message");
    /// The table says "File is too large", the page's example body "File too large"; the example is the wire.
    FILE_TOO_LARGE = ("FILE_TOO_LARGE", "File too large");
    FILE_ACCESS_ERROR = ("FILE_ACCESS_ERROR", "File access error");
    FILE_NOT_FOUND = ("FILE_NOT_FOUND", "File not found");
    // --- im.v2.File.* (other codes for the same failures) ---
    /// `FILE_EMPTY` as `im.v2.File.upload` words it.
    IM_FILE_EMPTY = ("FILE_EMPTY", "File name and content are required");
    /// The description is the code itself on the page.
    CHAT_NOT_FOUND = ("CHAT_NOT_FOUND", "CHAT_NOT_FOUND");
    FOLDER_ERROR = ("FOLDER_ERROR", "Failed to get chat folder");
    UPLOAD_FAILED = ("UPLOAD_FAILED", "File upload failed");
    SEND_FAILED = ("SEND_FAILED", "Failed to send message");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_400_and_upper_case() {
        for c in ALL {
            assert_eq!(c.status, 400, "{}", c.code);
            assert!(c.code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'), "{}", c.code);
            assert!(!c.description.is_empty());
        }
    }

    #[test]
    fn a_code_appears_twice_only_with_two_texts() {
        let mut seen = std::collections::HashSet::new();
        for c in ALL {
            assert!(seen.insert((c.code, c.description)), "duplicate {}", c.code);
        }
        assert_eq!(ALL.iter().filter(|c| c.code == "FILE_EMPTY").count(), 2);
    }
}
