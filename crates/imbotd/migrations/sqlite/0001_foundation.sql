-- Foundation: the portal, users, incoming webhooks, local OAuth apps and their tokens.
-- Times are unix seconds (INTEGER). Secrets are stored as hex SHA-256 digests only.

CREATE TABLE portal_settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL DEFAULT '',
    last_name     TEXT    NOT NULL DEFAULT '',
    second_name   TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    gender        TEXT    NOT NULL DEFAULT '',
    work_position TEXT    NOT NULL DEFAULT '',
    language_id   TEXT    NOT NULL DEFAULT 'en',
    time_zone     TEXT    NOT NULL DEFAULT '',
    is_admin      INTEGER NOT NULL DEFAULT 0,
    is_extranet   INTEGER NOT NULL DEFAULT 0,
    is_bot        INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    date_register INTEGER NOT NULL,
    last_login    INTEGER
);

CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    code_hash  TEXT    NOT NULL UNIQUE,
    code_hint  TEXT    NOT NULL,
    scopes     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE apps (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               TEXT    NOT NULL,
    client_id          TEXT    NOT NULL UNIQUE,
    client_secret_hash TEXT    NOT NULL,
    application_token  TEXT    NOT NULL,
    scopes             TEXT    NOT NULL,
    handler_url        TEXT    NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    installed          INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL
);

CREATE TABLE oauth_tokens (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id             INTEGER NOT NULL REFERENCES apps(id),
    user_id            INTEGER NOT NULL REFERENCES users(id),
    access_hash        TEXT    NOT NULL UNIQUE,
    access_expires_at  INTEGER NOT NULL,
    refresh_hash       TEXT    UNIQUE,
    refresh_expires_at INTEGER NOT NULL,
    scopes             TEXT    NOT NULL,
    created_at         INTEGER NOT NULL
);
CREATE INDEX oauth_tokens_app_user ON oauth_tokens(app_id, user_id);
