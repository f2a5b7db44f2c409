-- PostgreSQL twin of migrations/sqlite/0007_event_tokens.sql: the same schema, in PostgreSQL types (BIGINT for INTEGER,
-- identity columns for AUTOINCREMENT). Keep the two in step.
-- Per-app choice: put working OAuth tokens into event bodies (Bitrix's behaviour) or leave them out.
ALTER TABLE apps ADD COLUMN event_tokens BIGINT  NOT NULL DEFAULT 1;
