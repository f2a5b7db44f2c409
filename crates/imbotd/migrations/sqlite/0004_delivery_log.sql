-- Delivery log details: where each attempt went, what the handler answered, when the next one is due.
ALTER TABLE event_attempts ADD COLUMN url TEXT NOT NULL DEFAULT '';
-- The first 20 KB of the handler's answer body.
ALTER TABLE event_attempts ADD COLUMN response TEXT NOT NULL DEFAULT '';
ALTER TABLE event_attempts ADD COLUMN next_attempt_at INTEGER;
CREATE INDEX event_outbox_app_status ON event_outbox(app_id, status, id);
