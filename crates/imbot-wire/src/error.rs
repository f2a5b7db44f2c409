//! The error catalogue: every Bitrix24 error code imbotd emits, with its HTTP status and default text.
//!
//! Bitrix24 answers errors as `{"error": CODE, "error_description": TEXT}` with an HTTP status chosen per code
//! (SPEC-NOTES §1.3, `_includes__system-errors.md`). Clients key retry and refresh logic on the exact pair
//! (`401` + `expired_token`, `503` + `QUERY_LIMIT_EXCEEDED`), so the pair is fixed here once, as a constant, and
//! everything else builds errors from these constants. Method-specific codes (e.g. `MESSAGE_EMPTY`) are added
//! here as the methods that need them arrive.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// One catalogued error: code, HTTP status and Bitrix's default description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    pub code: &'static str,
    pub status: u16,
    pub description: &'static str,
}

macro_rules! catalogue {
    ($( $(#[$m:meta])* $name:ident = ($status:expr, $code:expr, $desc:expr); )*) => {
        impl ErrorCode {
            $( $(#[$m])* pub const $name: ErrorCode = ErrorCode { code: $code, status: $status, description: $desc }; )*
            /// Every catalogued code, for documentation and tests.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$name ),* ];
        }
    };
}

catalogue! {
    // --- system errors, any method (`_includes__system-errors.md`) ---
    INTERNAL_SERVER_ERROR = (500, "INTERNAL_SERVER_ERROR", "Internal server error");
    ERROR_UNEXPECTED_ANSWER = (500, "ERROR_UNEXPECTED_ANSWER", "Server returned an unexpected response");
    QUERY_LIMIT_EXCEEDED = (503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
    ERROR_BATCH_METHOD_NOT_ALLOWED = (405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage");
    ERROR_BATCH_LENGTH_EXCEEDED = (400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded");
    NO_AUTH_FOUND = (401, "NO_AUTH_FOUND", "Wrong authorization data");
    /// Also used (with a specific description) for malformed request bodies; see docs/compat.md.
    INVALID_REQUEST = (400, "INVALID_REQUEST", "Https required");
    OVERLOAD_LIMIT = (503, "OVERLOAD_LIMIT", "REST API is blocked due to overload");
    ACCESS_DENIED = (403, "ACCESS_DENIED", "Access denied!");
    INVALID_CREDENTIALS = (403, "INVALID_CREDENTIALS", "Invalid request credentials");
    INSUFFICIENT_SCOPE = (403, "insufficient_scope", "The request requires higher privileges than provided by the webhook token");
    EXPIRED_TOKEN = (401, "expired_token", "The access token provided has expired");
    INVALID_TOKEN = (401, "invalid_token", "The access token provided is invalid");
    USER_ACCESS_ERROR = (403, "user_access_error", "The user does not have access to the application");
    OPERATION_TIME_LIMIT = (429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.");
    ERROR_METHOD_NOT_FOUND = (404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
    WRONG_ENCODING = (400, "WRONG_ENCODING", "Wrong request encoding");
    // --- generic argument errors ---
    ERROR_ARGUMENT = (400, "ERROR_ARGUMENT", "Invalid argument");
    ERROR_CORE = (400, "ERROR_CORE", "Error");
    // --- events (event.*): `api-reference__events__*` and the rest module's `Api\Event` ---
    ERROR_EVENT_NOT_FOUND = (400, "ERROR_EVENT_NOT_FOUND", "Event not found");
    ERROR_WRONG_HANDLER_URL = (400, "ERROR_WRONG_HANDLER_URL", "Wrong handler URL");
    ERROR_UNSUPPORTED_PROTOCOL = (400, "ERROR_UNSUPPORTED_PROTOCOL", "Unsupported handler protocol");
    // --- messenger (im.*): `api-reference__chats__*` error tables ---
    ACCESS_ERROR = (403, "ACCESS_ERROR", "Action unavailable");
    /// The `im.dialog.get`/`im.chat.get` flavour, thrown with 400 in Bitrix's source (SPEC-NOTES §1.3).
    ACCESS_ERROR_400 = (400, "ACCESS_ERROR", "You don't have access to this chat");
    ACCESS_DENIED_EXTEND = (403, "ACCESS_DENIED_EXTEND", "Insufficient permissions to add participants to the chat");
    ACCESS_DENIED_KICK = (403, "ACCESS_DENIED_KICK", "Insufficient rights to exclude participants from the chat");
    CANT_EDIT_MESSAGE = (403, "CANT_EDIT_MESSAGE", "Time has expired for modification or you don't have access");
    CHAT_ID_EMPTY = (400, "CHAT_ID_EMPTY", "Chat ID can't be empty");
    DIALOG_ID_EMPTY = (400, "DIALOG_ID_EMPTY", "Dialog ID can't be empty");
    FIRST_ID_STRING = (400, "FIRST_ID_STRING", "First ID can't be string");
    LAST_ID_STRING = (400, "LAST_ID_STRING", "Last ID can't be string");
    MESSAGE_EMPTY = (400, "MESSAGE_EMPTY", "Message can't be empty");
    MESSAGE_ID_ERROR = (400, "MESSAGE_ID_ERROR", "Message ID can't be empty");
    PARAMS_ERROR = (400, "PARAMS_ERROR", "Incorrect params");
    REPLY_ACCESS_ERROR = (400, "REPLY_ACCESS_ERROR", "Action unavailable");
    REPLY_FROM_OTHER_CHAT_ERROR = (400, "REPLY_FROM_OTHER_CHAT_ERROR", "You can only reply to a message within the same chat");
    USER_ID_EMPTY = (400, "USER_ID_EMPTY", "User ID can't be empty");
    USER_NOT_FOUND = (400, "USER_NOT_FOUND", "User not found");
    WITHOUT_CHANGES = (400, "WITHOUT_CHANGES", "Action completed without changes");
    // --- chat bots (imbot.*): `api-reference__chat-bots__outdated__*` error tables, SPEC-NOTES §5 ---
    WRONG_AUTH_TYPE = (403, "WRONG_AUTH_TYPE", "Access for this method not allowed by session authorization.");
    BOT_ID_ERROR = (400, "BOT_ID_ERROR", "Bot not found");
    APP_ID_ERROR = (400, "APP_ID_ERROR", "Bot was installed by another rest application");
    CODE_ERROR = (400, "CODE_ERROR", "Bot code isn't specified");
    NAME_ERROR = (400, "NAME_ERROR", "Bot name isn't specified");
    MAX_COUNT_ERROR = (400, "MAX_COUNT_ERROR", "Has reached the maximum number of bots for application");
    WRONG_REQUEST = (400, "WRONG_REQUEST", "Wrong request");
    EVENT_MESSAGE_ADD_ERROR = (400, "EVENT_MESSAGE_ADD_ERROR", "Wrong handler URL");
    EVENT_MESSAGE_UPDATE_ERROR = (400, "EVENT_MESSAGE_UPDATE_ERROR", "Wrong handler URL");
    EVENT_MESSAGE_DELETE_ERROR = (400, "EVENT_MESSAGE_DELETE_ERROR", "Wrong handler URL");
    EVENT_WELCOME_MESSAGE_ERROR = (400, "EVENT_WELCOME_MESSAGE_ERROR", "Wrong handler URL");
    EVENT_BOT_DELETE_ERROR = (400, "EVENT_BOT_DELETE_ERROR", "Wrong handler URL");
    EVENT_COMMAND_ADD_ERROR = (400, "EVENT_COMMAND_ADD_ERROR", "Wrong handler URL");
    COMMAND_ERROR = (400, "COMMAND_ERROR", "Command isn't specified");
    COMMAND_ID_ERROR = (400, "COMMAND_ID_ERROR", "Command not found");
    LANG_ERROR = (400, "LANG_ERROR", "Lang set can't be empty");
    MESSAGE_ID_EMPTY = (400, "MESSAGE_ID_EMPTY", "Message ID can't be empty");
    TITLE_EMPTY = (400, "TITLE_EMPTY", "Title can't be empty");
    WRONG_COLOR = (400, "WRONG_COLOR", "This color currently unavailable");
    INVALID_FORMAT = (400, "INVALID_FORMAT", "Parameter USERS has wrong type");
    AVATAR_ERROR = (400, "AVATAR_ERROR", "Avatar incorrect type");
    // --- OAuth authorization server (`settings__oauth__error-codes.md`) ---
    OAUTH_INVALID_REQUEST = (400, "invalid_request", "An incorrectly formatted authorization request was provided");
    OAUTH_INVALID_CLIENT = (401, "invalid_client", "Invalid client data was provided");
    OAUTH_INVALID_GRANT = (400, "invalid_grant", "Invalid authorization data was provided");
    OAUTH_INVALID_SCOPE = (400, "invalid_scope", "Access permissions requested exceed those specified in the application card");
    // --- message params (ATTACH/KEYBOARD/MENU) ---
    /// Bad ATTACH structure (`rich::Attach`); the description says which block and field.
    ATTACH_ERROR = (400, "ATTACH_ERROR", "Incorrect attach params");
    /// The stored ATTACH is 60 000 characters of JSON or more (v1 pages say "30 KB").
    ATTACH_OVERSIZE = (400, "ATTACH_OVERSIZE", "You have exceeded the maximum allowable size of attach");
    /// Not a keyboard, or no valid button in it (`rich::Keyboard`).
    KEYBOARD_ERROR = (400, "KEYBOARD_ERROR", "Incorrect keyboard params");
    KEYBOARD_OVERSIZE = (400, "KEYBOARD_OVERSIZE", "You have exceeded the maximum allowable size of keyboard");
    /// Not a menu, or no valid item in it (`rich::Menu`).
    MENU_ERROR = (400, "MENU_ERROR", "Incorrect menu params");
    MENU_OVERSIZE = (400, "MENU_OVERSIZE", "You have exceeded the maximum allowable size of menu");
}

/// A Bitrix-shaped error as the client will see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: Cow<'static, str>,
    pub status: u16,
    pub description: Cow<'static, str>,
}

impl ApiError {
    /// The catalogued error with its default description.
    pub fn new(code: ErrorCode) -> Self {
        ApiError { code: Cow::Borrowed(code.code), status: code.status, description: Cow::Borrowed(code.description) }
    }

    /// The catalogued error with a specific description.
    pub fn with(code: ErrorCode, description: impl Into<Cow<'static, str>>) -> Self {
        ApiError { code: Cow::Borrowed(code.code), status: code.status, description: description.into() }
    }

    /// `{"error": …, "error_description": …}` — never with a `time` block (SPEC-NOTES §1.3).
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("error".into(), Value::String(self.code.to_string()));
        m.insert("error_description".into(), Value::String(self.description.to_string()));
        Value::Object(m)
    }

    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code.code
    }
}

impl From<ErrorCode> for ApiError {
    fn from(c: ErrorCode) -> Self {
        ApiError::new(c)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.description)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_match_the_documented_table() {
        assert_eq!(ErrorCode::QUERY_LIMIT_EXCEEDED.status, 503);
        assert_eq!(ErrorCode::EXPIRED_TOKEN.code, "expired_token");
        assert_eq!(ErrorCode::EXPIRED_TOKEN.status, 401);
        assert_eq!(ErrorCode::INSUFFICIENT_SCOPE.status, 403);
        assert_eq!(ErrorCode::ERROR_METHOD_NOT_FOUND.status, 404);
        assert_eq!(ErrorCode::ERROR_BATCH_METHOD_NOT_ALLOWED.status, 405);
        assert_eq!(ErrorCode::OPERATION_TIME_LIMIT.status, 429);
    }

    #[test]
    fn codes_are_unique() {
        // A code may appear twice only with two statuses (Bitrix throws ACCESS_ERROR with 400 and 403).
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert((c.code, c.status)), "duplicate code {} {}", c.code, c.status);
        }
    }

    #[test]
    fn error_value_has_only_two_keys_in_order() {
        let v = ApiError::with(ErrorCode::ERROR_ARGUMENT, "x").to_value();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["error", "error_description"]);
    }
}
