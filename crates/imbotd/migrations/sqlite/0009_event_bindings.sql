-- Generic event subscriptions (event.bind) and the offline event queue (event.offline.*).

-- One row per event.bind: an online handler URL, or '' for an offline subscription. `id` is the
-- `event_handler_id` the handler receives. `user_id` is AUTH_TYPE: whose tokens the event carries
-- (0 = the user whose action caused it). `connector_id` is the `auth_connector` of offline subscriptions.
CREATE TABLE event_bindings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id           INTEGER NOT NULL REFERENCES apps(id),
    event            TEXT    NOT NULL,
    handler          TEXT    NOT NULL DEFAULT '',
    user_id          INTEGER NOT NULL DEFAULT 0,
    connector_id     TEXT    NOT NULL DEFAULT '',
    -- JSON object of the allowed options (ONOFFLINEEVENT: minTimeout).
    options          TEXT    NOT NULL DEFAULT '{}',
    -- ONOFFLINEEVENT: when the last notification was queued (minTimeout).
    last_notified_at INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    UNIQUE (app_id, event, handler, user_id, connector_id)
);
CREATE INDEX event_bindings_event ON event_bindings(event, app_id);

-- The offline queue: the latest state per (app, connector, MESSAGE_ID) among rows not reserved by a
-- process. A reserved batch has a process_id until cleared; a row marked by event.offline.error has error=1.
CREATE TABLE offline_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id       INTEGER NOT NULL REFERENCES apps(id),
    connector_id TEXT    NOT NULL DEFAULT '',
    message_id   TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    data         TEXT    NOT NULL,
    additional   TEXT    NOT NULL,
    process_id   TEXT    NOT NULL DEFAULT '',
    error        INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX offline_events_merge ON offline_events(app_id, connector_id, message_id, process_id);
CREATE INDEX offline_events_queue ON offline_events(app_id, connector_id, process_id, error, updated_at);

-- Bound events name their subscription: the `event_handler_id` they are sent with.
ALTER TABLE event_outbox ADD COLUMN handler_id INTEGER;
