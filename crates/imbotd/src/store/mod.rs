//! The store: the only module with SQL.
//!
//! One `Store` wraps the database pool. Each aggregate has its own module of plain async functions taking the
//! store and typed values; queries that read owned data take the owner (user, app) as a parameter, so a
//! cross-tenant read has to be written on purpose.
//!
//! Embedded default: SQLite in WAL mode with `synchronous=FULL` — a write the API acknowledged survives a crash
//! or a power cut. `busy_timeout` lets the admin CLI write while the server runs. PostgreSQL arrives with the
//! scale-out work behind the same functions.
//!
//! Failure modes: a database that cannot be opened or migrated stops start-up; a query error becomes
//! `StoreError`, which the API maps to 500 `INTERNAL_SERVER_ERROR` (logged with its cause).

pub mod apps;
pub mod bindings;
pub mod bots;
pub mod chats;
pub mod feed;
pub mod messages;
pub mod offline;
pub mod outbox;
pub mod portal;
pub mod signing;
pub mod users;
pub mod web;
pub mod webhooks;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?} (sqlite://PATH; postgres:// is not supported yet)")]
    UnsupportedUrl(String),
    #[error("cannot create data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
}

/// Handle to the database; cheap to clone.
///
/// Two pools over the same file: `pool` (several connections) for reads and single-statement writes, and
/// `writer` (one connection) for multi-statement write transactions, which therefore never contend with each
/// other inside this process (SQLite allows one writer; a deferred transaction that upgrades to a write while
/// another writes fails with SQLITE_BUSY instead of waiting). Other processes (the admin CLI) are covered by
/// `busy_timeout`.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    writer: SqlitePool,
}

/// A write transaction on the writer connection.
pub type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl Store {
    /// Open (creating if needed) and migrate the database, then make sure the portal exists: its member_id and
    /// the admin user with ID 1.
    pub async fn open(url: &str, now: i64) -> Result<Store, StoreError> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
        if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StoreError::DataDir { path: parent.display().to_string(), source })?;
        }
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts.clone()).await?;
        MIGRATOR.run(&pool).await?;
        let writer = SqlitePoolOptions::new().max_connections(1).connect_with(opts).await?;
        let store = Store { pool, writer };
        portal::bootstrap(&store, now).await?;
        Ok(store)
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Begin a write transaction (serialised on the single writer connection). `IMMEDIATE` takes SQLite's write
    /// lock up front: a deferred transaction that read first fails with "database is locked" (no busy wait) when
    /// another connection wrote in between, e.g. the delivery worker minting event tokens.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// A trivial query: is the database reachable?
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}
