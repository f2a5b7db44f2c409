-- PostgreSQL twin of migrations/sqlite/0014_v2_chats_reactions.sql.
-- The v2 chat and message methods (docs/v2.md §3.2, §3.3, §3.5, §3.7):
-- * a chat's input field can be switched off by a bot (imbot.v2.Chat.TextField.enabled), shown as
--   chat.textFieldEnabled "Y"/"N";
-- * reactions (imbot.v2.Chat.Message.Reaction.*): one row per (message, user, code); v1 likes are the reaction
--   `like`, so both APIs see the same state (the likes of message_likes move here);
-- * im.v2.Event.subscribe: users whose message events are recorded in the outbox as 'fetch' rows (fetch_bot_id
--   holds the user: user and bot ids never coincide), for the app that subscribed last.
-- * a bot's colour (imbot.register PROPERTIES.COLOR, imbot.v2.Bot.register properties.color), a v1 colour name
--   ('' = the colour derived from the id);
ALTER TABLE users ADD COLUMN color TEXT NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN text_field_enabled BIGINT NOT NULL DEFAULT 1;

CREATE TABLE message_reactions (
    -- SQLite's implicit rowid, made explicit: reactions are listed in the order they were given.
    rowid      BIGINT  GENERATED ALWAYS AS IDENTITY,
    message_id BIGINT  NOT NULL REFERENCES messages(id),
    user_id    BIGINT  NOT NULL,
    reaction   TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (message_id, user_id, reaction)
);
INSERT INTO message_reactions(message_id, user_id, reaction, created_at)
    SELECT message_id, user_id, 'like', created_at FROM message_likes ORDER BY rowid;
DROP TABLE message_likes;

CREATE TABLE user_event_subscriptions (
    user_id       BIGINT PRIMARY KEY,
    app_id        BIGINT NOT NULL,
    subscribed_at BIGINT NOT NULL
);
