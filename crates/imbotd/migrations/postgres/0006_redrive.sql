-- PostgreSQL twin of migrations/sqlite/0006_redrive.sql: the same schema, in PostgreSQL types (BIGINT for INTEGER,
-- identity columns for AUTOINCREMENT). Keep the two in step.
-- A redriven event (resend / recover) gets a fresh set of retries: attempts are counted from here.
ALTER TABLE event_outbox ADD COLUMN redrive_base BIGINT  NOT NULL DEFAULT 0;
