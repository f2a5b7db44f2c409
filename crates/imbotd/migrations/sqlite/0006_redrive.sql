-- A redriven event (resend / recover) gets a fresh set of retries: attempts are counted from here.
ALTER TABLE event_outbox ADD COLUMN redrive_base INTEGER NOT NULL DEFAULT 0;
