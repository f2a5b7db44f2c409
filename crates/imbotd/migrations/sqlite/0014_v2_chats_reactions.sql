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
ALTER TABLE chats ADD COLUMN text_field_enabled INTEGER NOT NULL DEFAULT 1;

CREATE TABLE message_reactions (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    user_id    INTEGER NOT NULL,
    reaction   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id, reaction)
);
INSERT INTO message_reactions(message_id, user_id, reaction, created_at)
    SELECT message_id, user_id, 'like', created_at FROM message_likes ORDER BY rowid;
DROP TABLE message_likes;

CREATE TABLE user_event_subscriptions (
    user_id       INTEGER PRIMARY KEY,
    app_id        INTEGER NOT NULL,
    subscribed_at INTEGER NOT NULL
);
