-- The messenger: chats (group chats and private dialogs), members, messages, likes, and the change feed.

CREATE TABLE chats (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Bitrix chat type letter: P private dialog, C closed group chat, O open chat (SPEC-NOTES §4).
    type             TEXT    NOT NULL,
    title            TEXT    NOT NULL DEFAULT '',
    description      TEXT    NOT NULL DEFAULT '',
    color            TEXT    NOT NULL DEFAULT '',
    avatar           INTEGER NOT NULL DEFAULT 0,
    owner_id         INTEGER NOT NULL DEFAULT 0,
    entity_type      TEXT    NOT NULL DEFAULT '',
    entity_id        TEXT    NOT NULL DEFAULT '',
    -- Who may post / add / remove: 'member' | 'manager' | 'owner' | 'none'.
    can_post         TEXT    NOT NULL DEFAULT 'member',
    manage_users_add TEXT    NOT NULL DEFAULT 'member',
    manage_users_delete TEXT NOT NULL DEFAULT 'manager',
    manage_ui        TEXT    NOT NULL DEFAULT 'member',
    manage_settings  TEXT    NOT NULL DEFAULT 'owner',
    manage_messages  TEXT    NOT NULL DEFAULT 'member',
    last_message_id  INTEGER NOT NULL DEFAULT 0,
    message_count    INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);
CREATE INDEX chats_entity ON chats(entity_type, entity_id);

-- The one private dialog between two users (user_lo < user_hi, or equal for one's own notes).
CREATE TABLE private_dialogs (
    user_lo INTEGER NOT NULL,
    user_hi INTEGER NOT NULL,
    chat_id INTEGER NOT NULL UNIQUE REFERENCES chats(id),
    PRIMARY KEY (user_lo, user_hi)
);

CREATE TABLE chat_members (
    chat_id      INTEGER NOT NULL REFERENCES chats(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    -- 'owner' | 'manager' | 'member'
    role         TEXT    NOT NULL DEFAULT 'member',
    joined_at    INTEGER NOT NULL,
    -- Highest message id this member has read.
    last_read_id INTEGER NOT NULL DEFAULT 0,
    -- First message id this member may see (history hidden before joining).
    start_id     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX chat_members_user ON chat_members(user_id, chat_id);

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id     INTEGER NOT NULL REFERENCES chats(id),
    -- 0 for system messages.
    author_id   INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    is_system   INTEGER NOT NULL DEFAULT 0,
    url_preview INTEGER NOT NULL DEFAULT 1,
    -- Normalised message params as a JSON object (ATTACH, KEYBOARD, MENU, CODE, …); '{}' when none.
    params      TEXT    NOT NULL DEFAULT '{}',
    uuid        TEXT,
    reply_id    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER,
    deleted     INTEGER NOT NULL DEFAULT 0
);
-- History pages: (chat_id, id) serves LAST_ID / FIRST_ID / latest-N in O(log n + page).
CREATE INDEX messages_chat_id ON messages(chat_id, id);

CREATE TABLE message_likes (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    user_id    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
);

-- The change feed: one ordered record per change, written in the change's own transaction.
-- Readers (web chat live updates, bot event selection, other instances) follow `seq`.
CREATE TABLE change_feed (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL DEFAULT 0,
    user_id    INTEGER NOT NULL DEFAULT 0,
    payload    TEXT    NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
);
CREATE INDEX change_feed_chat ON change_feed(chat_id, seq);
