-- Chat bots: owners (apps, including the implicit app of a webhook + CLIENT_ID pair), bots, commands,
-- answer grants, and the durable event outbox with its attempt log.

-- An app owns bots. OAuth apps exist already; a webhook caller with CLIENT_ID gets an implicit app row
-- (kind 'webhook'), so both kinds own bots, hold handler URLs and get working tokens the same way.
ALTER TABLE apps ADD COLUMN kind TEXT NOT NULL DEFAULT 'oauth';
ALTER TABLE apps ADD COLUMN webhook_id INTEGER;
ALTER TABLE apps ADD COLUMN webhook_client_id TEXT;
-- The app's bot event handlers (Bitrix keeps one set per application, shared by all its bots).
ALTER TABLE apps ADD COLUMN event_message_add TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN event_message_update TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN event_message_delete TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN event_welcome_message TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN event_bot_delete TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX apps_webhook_client ON apps(webhook_id, webhook_client_id) WHERE kind = 'webhook';

CREATE TABLE bots (
    id         INTEGER PRIMARY KEY REFERENCES users(id),
    app_id     INTEGER NOT NULL REFERENCES apps(id),
    code       TEXT    NOT NULL UNIQUE,
    -- B bot, H human-like, S supervisor, O open lines.
    type       TEXT    NOT NULL DEFAULT 'B',
    openline   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX bots_app ON bots(app_id, id);

CREATE TABLE bot_commands (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    bot_id           INTEGER NOT NULL REFERENCES bots(id),
    command          TEXT    NOT NULL,
    handler_url      TEXT    NOT NULL,
    common           INTEGER NOT NULL DEFAULT 0,
    hidden           INTEGER NOT NULL DEFAULT 0,
    extranet_support INTEGER NOT NULL DEFAULT 0,
    -- [{"LANGUAGE_ID":"en","TITLE":"…","PARAMS":"…"}]
    lang             TEXT    NOT NULL DEFAULT '[]',
    created_at       INTEGER NOT NULL,
    UNIQUE (bot_id, command)
);
CREATE INDEX bot_commands_command ON bot_commands(command);

-- imbot.command.answer may post into a dialog for 10 minutes after a command of the bot fired there.
CREATE TABLE command_grants (
    bot_id     INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (bot_id, chat_id)
);

-- Events waiting for (or done with) delivery. Written in the transaction of the change that caused them.
-- `data` is the event's `data` object without tokens: the worker mints the bots' and the user's tokens at
-- send time (a retry hours later still carries working tokens).
CREATE TABLE event_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id          INTEGER NOT NULL REFERENCES apps(id),
    event           TEXT    NOT NULL,
    handler_url     TEXT    NOT NULL,
    -- Deliveries with the same key go out in id order, one at a time (handler + dialog).
    fifo_key        TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    -- The user whose tokens go into the top-level `auth` (0 = none).
    auth_user_id    INTEGER NOT NULL DEFAULT 0,
    -- Whether `auth` (and the bot entries) carry a refresh_token.
    with_refresh    INTEGER NOT NULL DEFAULT 1,
    -- pending | sending | delivered | failed
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
);
CREATE INDEX event_outbox_due ON event_outbox(status, next_attempt_at, id);
CREATE INDEX event_outbox_fifo ON event_outbox(fifo_key, status, id);

CREATE TABLE event_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id   INTEGER NOT NULL REFERENCES event_outbox(id),
    attempt     INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    http_status INTEGER,
    error       TEXT
);
CREATE INDEX event_attempts_outbox ON event_attempts(outbox_id, attempt);
