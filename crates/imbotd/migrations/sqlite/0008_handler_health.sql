-- Handlers that keep failing: since when, and whether they were disabled (their events are held, not lost).
CREATE TABLE handler_health (
    handler_url   TEXT    PRIMARY KEY NOT NULL,
    app_id        INTEGER NOT NULL,
    failing_since INTEGER NOT NULL,
    disabled_at   INTEGER,
    last_error    TEXT
);
