-- PostgreSQL twin of migrations/sqlite/0008_handler_health.sql: the same schema, in PostgreSQL types (BIGINT for INTEGER,
-- identity columns for AUTOINCREMENT). Keep the two in step.
-- Handlers that keep failing: since when, and whether they were disabled (their events are held, not lost).
CREATE TABLE handler_health (
    handler_url   TEXT    PRIMARY KEY NOT NULL,
    app_id        BIGINT  NOT NULL,
    failing_since BIGINT  NOT NULL,
    disabled_at   BIGINT,
    last_error    TEXT
);
