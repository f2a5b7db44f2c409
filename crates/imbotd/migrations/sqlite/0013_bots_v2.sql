-- The v2 bot API (imbot.v2.*, docs/v2.md): each bot keeps the API it was registered with (its event format) and
-- the v2 settings; webhook-registered v2 bots belong to the implicit app of (webhook, botToken), found by the
-- token's digest; events of fetch-mode bots wait in the outbox as 'fetch' rows for imbot.v2.Event.get.
ALTER TABLE bots ADD COLUMN api_version INTEGER NOT NULL DEFAULT 1;
-- v2: bot | supervisor | personal | openline | network ('' for v1 bots: derived from `type`).
ALTER TABLE bots ADD COLUMN v2_type TEXT NOT NULL DEFAULT '';
-- v2: fetch | webhook ('' for v1 bots, which get their app's v1 handlers).
ALTER TABLE bots ADD COLUMN event_mode TEXT NOT NULL DEFAULT '';
ALTER TABLE bots ADD COLUMN webhook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE bots ADD COLUMN is_hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bots ADD COLUMN reactions_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE bots ADD COLUMN background_id TEXT;
-- SHA-256 (hex) of the botToken of a webhook app made by imbot.v2.Bot.register; its first 32 digits are the
-- app's application_token.
ALTER TABLE apps ADD COLUMN bot_token_hash TEXT;
CREATE UNIQUE INDEX apps_bot_token ON apps(webhook_id, bot_token_hash) WHERE bot_token_hash IS NOT NULL;
-- The bot a 'fetch' outbox row waits for.
ALTER TABLE event_outbox ADD COLUMN fetch_bot_id INTEGER;
CREATE INDEX event_outbox_fetch ON event_outbox(fetch_bot_id, id) WHERE fetch_bot_id IS NOT NULL;
