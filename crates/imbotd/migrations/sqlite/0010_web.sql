-- The web chat: passwords, sign-in sessions and one-time login links. Secrets are stored hashed.

-- Argon2id PHC string; NULL = no password (sign in with a login link only).
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE web_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    -- SHA-256 of the cookie value.
    token_hash   TEXT    NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    -- Sent back in X-Bitrix-Csrf-Token on every state-changing request.
    csrf         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);

CREATE TABLE login_links (
    token_hash TEXT    PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
