-- PostgreSQL twin of migrations/sqlite/0004_delivery_log.sql: the same schema, in PostgreSQL types (BIGINT for INTEGER,
-- identity columns for AUTOINCREMENT). Keep the two in step.
-- Delivery log details: where each attempt went, what the handler answered, when the next one is due.
ALTER TABLE event_attempts ADD COLUMN url TEXT NOT NULL DEFAULT '';
-- The first 20 KB of the handler's answer body.
ALTER TABLE event_attempts ADD COLUMN response TEXT NOT NULL DEFAULT '';
ALTER TABLE event_attempts ADD COLUMN next_attempt_at BIGINT ;
CREATE INDEX event_outbox_app_status ON event_outbox(app_id, status, id);
