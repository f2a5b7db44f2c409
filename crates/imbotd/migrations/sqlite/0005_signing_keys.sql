-- Standard Webhooks signing secrets per app. A rotated-out key stays valid until `expires_at`.
CREATE TABLE app_signing_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id     INTEGER NOT NULL REFERENCES apps(id),
    -- The raw key bytes, base64 (the `whsec_` secret without its prefix).
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);
CREATE INDEX app_signing_keys_app ON app_signing_keys(app_id, id);
