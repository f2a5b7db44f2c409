-- Files posted into chats (imbot.v2.File.upload, im.v2.File.upload; docs/compat.md "Files"): the metadata here,
-- the content in DATA_DIR/files/<first two characters of storage_key>/<storage_key>, written and fsynced before
-- the transaction that inserts the row (and posts the message carrying the file) commits.
CREATE TABLE files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id      INTEGER NOT NULL REFERENCES chats(id),
    -- The message that carries the file (its params hold FILE_ID: [id]); set in the transaction that posts it.
    message_id   INTEGER NOT NULL DEFAULT 0,
    author_id    INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    -- Lower case, '' when the name has none.
    extension    TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,
    -- file | image | video | audio (images by their content, the rest by extension).
    type         TEXT    NOT NULL,
    -- Of an image whose header gives them; NULL otherwise.
    image_width  INTEGER,
    image_height INTEGER,
    -- Random name of the content on disk.
    storage_key  TEXT    NOT NULL UNIQUE,
    -- SHA-256 (hex) of the content.
    sha256       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX files_chat ON files(chat_id, id);
CREATE INDEX files_message ON files(message_id);

-- One-time download links (imbot.v2.File.download, im.v2.File.download): `kind` is the link's prefix
-- (`imbot` | `im`), the token itself is stored as its SHA-256. A link works once, until `expires_at`.
CREATE TABLE file_tokens (
    token_hash TEXT    PRIMARY KEY NOT NULL,
    file_id    INTEGER NOT NULL REFERENCES files(id),
    kind       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX file_tokens_expiry ON file_tokens(expires_at);
