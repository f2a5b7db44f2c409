-- PostgreSQL twin of migrations/sqlite/0011_scale_out.sql, plus what only a shared database needs.

-- A claimed event holds a lease (unix seconds, real time) until which its claimer is presumed alive; an
-- instance that died mid-delivery leaves a lease that runs out, and any instance puts the event back.
ALTER TABLE event_outbox ADD COLUMN lease_until BIGINT;
-- Which instance claimed it (its id, kept in its data dir): a restarted instance takes back its own claims at once.
ALTER TABLE event_outbox ADD COLUMN claimed_by TEXT;

-- Request limits shared by every instance (limits.rs; on SQLite they live in the one process's memory).
-- UNLOGGED: no WAL, so a counted request costs no fsync; a PostgreSQL crash empties them, which forgives
-- every caller's recent requests and nothing else.
CREATE UNLOGGED TABLE rate_buckets (
    key   TEXT PRIMARY KEY NOT NULL,
    level DOUBLE PRECISION NOT NULL,
    -- Unix seconds (fractional) of the last drain.
    at    DOUBLE PRECISION NOT NULL,
    -- Whether the last request was admitted (read back by the statement that counted it).
    admitted BOOLEAN NOT NULL DEFAULT TRUE
);

-- Operating time per (caller, method) in one-minute baskets; the last ten make the window.
CREATE UNLOGGED TABLE operating_baskets (
    key     TEXT NOT NULL,
    method  TEXT NOT NULL,
    minute  BIGINT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (key, method, minute)
);
