-- Per-app choice: put working OAuth tokens into event bodies (Bitrix's behaviour) or leave them out.
ALTER TABLE apps ADD COLUMN event_tokens INTEGER NOT NULL DEFAULT 1;
