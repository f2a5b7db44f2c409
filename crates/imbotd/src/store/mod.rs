//! The store: the only module with SQL.
//!
//! One `Store` wraps the database pool. Each aggregate has its own module of plain async functions taking the
//! store and typed values; queries that read owned data take the owner (user, app) as a parameter, so a
//! cross-tenant read has to be written on purpose.
//!
//! Two backends behind the same functions, written against sqlx's `Executor` for its Any database ([`Reader`],
//! [`TxConn`]): the embedded default, SQLite in WAL mode with `synchronous=FULL` (a write the API acknowledged
//! survives a crash or a power cut), its statements run on the calling thread (`inline.rs`), and PostgreSQL
//! (`--database-url postgres://…`), which several imbotd instances share. Each has its own migrations
//! (`migrations/sqlite`, `migrations/postgres`), kept to the same schema.
//!
//! Failure modes: a database that cannot be opened or migrated stops start-up; a query error becomes
//! `StoreError`, which the API maps to 500 `INTERNAL_SERVER_ERROR` (logged with its cause).

pub mod apps;
pub mod bindings;
pub mod blobs;
pub mod bots;
pub mod chats;
pub mod feed;
pub mod files;
mod group;
mod inline;
pub mod limits;
pub mod messages;
pub mod notify;
pub mod offline;
pub mod outbox;
pub mod portal;
pub mod signing;
pub mod subscriptions;
pub mod users;
pub mod web;
pub mod webhooks;

use sqlx::any::{Any, AnyArguments, AnyPoolOptions};
use sqlx::{AnyPool, Arguments, Executor};
use std::time::Duration;

pub use sql::Sql;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?} (sqlite://PATH or postgres://USER@HOST:PORT/DATABASE)")]
    UnsupportedUrl(String),
    #[error("cannot create data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("the commit of this write failed: {0}")]
    Commit(String),
    #[error("the store is closed")]
    Closed,
}

/// Which database is behind the store. Queries are written once in the SQL both understand (`$1` placeholders,
/// `ON CONFLICT`, `RETURNING`, `CASE` instead of two-argument `MAX`); the few places where the dialects differ
/// ask [`Store::backend`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How many connections the pools keep.
#[derive(Debug, Clone, Copy)]
pub struct PoolSizes {
    /// Readers and single-statement writes (SQLite) or every connection (PostgreSQL).
    pub max_connections: u32,
}

impl Default for PoolSizes {
    fn default() -> Self {
        PoolSizes { max_connections: 8 }
    }
}

/// Handle to the database; cheap to clone.
///
/// SQLite: connections over the same file whose statements run on the calling thread (`inline.rs`): `readers`
/// (several) for reads, and one writer, held by `group`, for every write transaction, which therefore never
/// contend with each other inside this process (SQLite allows one writer; a deferred transaction that upgrades
/// to a write while another writes fails with SQLITE_BUSY instead of waiting). Other processes (the admin CLI)
/// are covered by `busy_timeout`. `pool` is sqlx's own connection, for the migrations.
///
/// PostgreSQL: the same two pools (`writer` has two connections). [`Store::begin`] takes a transaction-scoped
/// advisory lock, so the write transactions of every instance commit one at a time, in the order of their
/// change-feed records (a reader following `seq` never sees a gap fill in later), exactly as on SQLite. Work
/// built for concurrency (the delivery queue, with `FOR UPDATE SKIP LOCKED`) uses [`Store::begin_concurrent`].
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    url: String,
    pool: AnyPool,
    /// PostgreSQL: the write transactions' connections.
    writer: Option<AnyPool>,
    /// SQLite: the reader connections.
    readers: Option<std::sync::Arc<inline::Readers>>,
    /// SQLite: the writer connection, committing write transactions in groups (`group.rs`).
    group: Option<std::sync::Arc<group::Group>>,
    /// Whether any user may be subscribed to user events (`subscriptions.rs`): lets a message skip the look-up.
    maybe_subscribed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// A write transaction: `&mut **tx` is its connection (an sqlx `Executor`); `commit` returns once it is on disk.
///
/// SQLite: a savepoint in the writer's current group, committed with the group (`group.rs`), its statements run
/// on the calling thread (`inline.rs`). PostgreSQL: a transaction of its own under the write lock (or none,
/// [`Store::begin_concurrent`]). Dropped without `commit`, its writes are rolled back.
pub struct Tx(TxConn, TxNotes);

/// A released transaction's commit on its way to disk ([`Tx::commit_later`]).
pub type Committing = futures_util::future::BoxFuture<'static, Result<TxNotes, StoreError>>;

/// A [`Committing`] that is already on disk (or had nothing to commit), with `notes`.
pub fn committed(notes: TxNotes) -> Committing {
    Box::pin(std::future::ready(Ok(notes)))
}

/// What a transaction did that someone may want to know after it committed.
#[derive(Debug, Default, Clone, Copy)]
pub struct TxNotes {
    /// It queued events: the delivery worker has work.
    pub queued_events: bool,
}

/// The connection of a [`Tx`]; `&mut TxConn` is an sqlx `Executor` for the `Any` database.
pub struct TxConn(Conn);

enum Conn {
    /// SQLite: the writer, in the current group.
    Group(group::GroupTx),
    /// PostgreSQL: a transaction of its own.
    Own(sqlx::Transaction<'static, Any>),
}

impl std::fmt::Debug for TxConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Conn::Group(_) => "TxConn::Group",
            Conn::Own(_) => "TxConn::Own",
        })
    }
}

impl Tx {
    /// Commit; returns what the transaction noted about itself.
    pub async fn commit(self) -> Result<TxNotes, StoreError> {
        match self.0 .0 {
            Conn::Group(g) => g.commit().await?,
            Conn::Own(t) => t.commit().await?,
        }
        Ok(self.1)
    }

    /// Commit in two steps: let the next writer in now, and return what resolves once this is on disk. For work
    /// whose caller need not wait for the disk to move on (a delivery attempt's log: lost in a crash, the event
    /// is sent again). SQLite: the savepoint is released into the group at once; PostgreSQL: the transaction
    /// commits here, so the returned future is ready.
    pub async fn commit_later(self) -> Result<Committing, StoreError> {
        let notes = self.1;
        match self.0 .0 {
            Conn::Group(g) => {
                let released = g.release();
                Ok(Box::pin(async move { released.await.map(|()| notes) }))
            }
            Conn::Own(t) => {
                t.commit().await?;
                Ok(committed(notes))
            }
        }
    }

    /// The database behind this transaction.
    pub fn backend(&self) -> Backend {
        match self.0 .0 {
            Conn::Group(_) => Backend::Sqlite,
            Conn::Own(_) => Backend::Postgres,
        }
    }

    pub(crate) fn notes_mut(&mut self) -> &mut TxNotes {
        &mut self.1
    }
}

impl std::ops::Deref for Tx {
    type Target = TxConn;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

type Item = sqlx::Either<sqlx::any::AnyQueryResult, DbRow>;

/// Run `query` eagerly with `run` (an inline SQLite call) and hand its items back as sqlx's stream.
fn inline_many<'e, 'q: 'e, E>(
    mut query: E,
    run: impl FnOnce(&'q str, Option<AnyArguments<'q>>) -> Result<inline::Items, sqlx::Error>,
) -> futures_util::stream::BoxStream<'e, Result<Item, sqlx::Error>>
where
    E: 'q + sqlx::Execute<'q, Any>,
{
    use futures_util::StreamExt;
    let sql = query.sql();
    let result = query.take_arguments().map_err(sqlx::Error::Encode).and_then(|args| run(sql, args));
    match result {
        Ok(items) => futures_util::stream::iter(items.into_iter().map(Ok)).boxed(),
        Err(e) => futures_util::stream::once(std::future::ready(Err(e))).boxed(),
    }
}

/// [`inline_many`] for `fetch_optional`: the first row, if any.
fn inline_optional<'e, 'q: 'e, E>(
    mut query: E,
    run: impl FnOnce(&'q str, Option<AnyArguments<'q>>) -> Result<inline::Items, sqlx::Error>,
) -> futures_util::future::BoxFuture<'e, Result<Option<DbRow>, sqlx::Error>>
where
    E: 'q + sqlx::Execute<'q, Any>,
{
    let sql = query.sql();
    let result = query.take_arguments().map_err(sqlx::Error::Encode).and_then(|args| run(sql, args));
    let first = result.map(|items| items.into_iter().find_map(|i| i.right()));
    Box::pin(std::future::ready(first))
}

fn unsupported<'a, T: Send + 'a>(what: &str) -> futures_util::future::BoxFuture<'a, Result<T, sqlx::Error>> {
    let e = sqlx::Error::Protocol(format!("{what} is not supported on the store's SQLite connections"));
    Box::pin(std::future::ready(Err(e)))
}

/// Where a statement goes: sqlx's driver (`S`), or SQLite on the calling thread (`I`).
enum Route<S, I> {
    Sqlx(S),
    Inline(I),
}

/// The SQLite side of a [`Route`]: run a statement here.
trait RunInline {
    fn run(self, sql: &str, args: Option<AnyArguments<'_>>, first_row_only: bool)
        -> Result<inline::Items, sqlx::Error>;
}

impl RunInline for &mut group::GroupTx {
    fn run(
        self,
        sql: &str,
        args: Option<AnyArguments<'_>>,
        first_row_only: bool,
    ) -> Result<inline::Items, sqlx::Error> {
        inline::run(self.conn_mut()?, sql, args, first_row_only)
    }
}

impl RunInline for &inline::Readers {
    fn run(
        self,
        sql: &str,
        args: Option<AnyArguments<'_>>,
        first_row_only: bool,
    ) -> Result<inline::Items, sqlx::Error> {
        inline::Readers::run(self, sql, args, first_row_only)
    }
}

impl TxConn {
    fn route(&mut self) -> Route<&mut sqlx::AnyConnection, &mut group::GroupTx> {
        match &mut self.0 {
            Conn::Own(t) => Route::Sqlx(&mut **t),
            Conn::Group(g) => Route::Inline(g),
        }
    }
}

/// Reads and single statements outside a transaction: `.fetch_one(store.pool())`. SQLite: on the calling thread,
/// on whichever reader connection is free (`inline.rs`); PostgreSQL: the pool.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'s>(Readers<'s>);

#[derive(Debug, Clone, Copy)]
enum Readers<'s> {
    Pool(&'s AnyPool),
    Inline(&'s inline::Readers),
}

impl<'s> Reader<'s> {
    fn route(self) -> Route<&'s AnyPool, &'s inline::Readers> {
        match self.0 {
            Readers::Pool(p) => Route::Sqlx(p),
            Readers::Inline(r) => Route::Inline(r),
        }
    }
}

/// sqlx's `Executor` for a type with a `route()`: each call goes to sqlx's executor or runs inline.
macro_rules! routed_executor {
    ($l:lifetime, $ty:ty) => {
        impl<$l> Executor<$l> for $ty {
            type Database = Any;

            fn fetch_many<'e, 'q: 'e, E>(
                self,
                query: E,
            ) -> futures_util::stream::BoxStream<'e, Result<Item, sqlx::Error>>
            where
                $l: 'e,
                E: 'q + sqlx::Execute<'q, Any>,
            {
                match self.route() {
                    Route::Sqlx(ex) => ex.fetch_many(query),
                    Route::Inline(r) => inline_many(query, |sql, args| r.run(sql, args, false)),
                }
            }

            fn fetch_optional<'e, 'q: 'e, E>(
                self,
                query: E,
            ) -> futures_util::future::BoxFuture<'e, Result<Option<DbRow>, sqlx::Error>>
            where
                $l: 'e,
                E: 'q + sqlx::Execute<'q, Any>,
            {
                match self.route() {
                    Route::Sqlx(ex) => ex.fetch_optional(query),
                    Route::Inline(r) => inline_optional(query, |sql, args| r.run(sql, args, true)),
                }
            }

            fn prepare_with<'e, 'q: 'e>(
                self,
                sql: &'q str,
                parameters: &'e [sqlx::any::AnyTypeInfo],
            ) -> futures_util::future::BoxFuture<'e, Result<sqlx::any::AnyStatement<'q>, sqlx::Error>>
            where
                $l: 'e,
            {
                match self.route() {
                    Route::Sqlx(ex) => ex.prepare_with(sql, parameters),
                    Route::Inline(_) => unsupported("prepare"),
                }
            }

            fn describe<'e, 'q: 'e>(
                self,
                sql: &'q str,
            ) -> futures_util::future::BoxFuture<'e, Result<sqlx::Describe<Any>, sqlx::Error>>
            where
                $l: 'e,
            {
                match self.route() {
                    Route::Sqlx(ex) => ex.describe(sql),
                    Route::Inline(_) => unsupported("describe"),
                }
            }
        }
    };
}

routed_executor!('c, &'c mut TxConn);
routed_executor!('c, Reader<'c>);

/// A row as read back.
pub type DbRow = sqlx::any::AnyRow;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The key of the advisory lock that serialises write transactions on PostgreSQL ("imbotd" in ASCII).
const WRITE_LOCK: i64 = 0x696d_626f_7464;

impl Store {
    /// Open (creating if needed) and migrate the database, then make sure the portal exists: its member_id and
    /// the admin user with ID 1.
    pub async fn open(url: &str, now: i64) -> Result<Store, StoreError> {
        Self::open_with(url, now, PoolSizes::default()).await
    }

    /// [`Store::open`] with explicit pool sizes.
    pub async fn open_with(url: &str, now: i64, sizes: PoolSizes) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let store = if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            Self::open_sqlite(path, sizes).await?
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::open_postgres(url, sizes).await?
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        store.migrate().await?;
        portal::bootstrap(&store, now).await?;
        subscriptions::load_hint(&store).await?;
        Ok(store)
    }

    async fn open_sqlite(path: &str, sizes: PoolSizes) -> Result<Store, StoreError> {
        if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StoreError::DataDir { path: parent.display().to_string(), source })?;
        }
        // sqlx's connection runs the migrations; the store's own statements run on the calling thread (inline.rs);
        // every connection gets the same pragmas (inline::PRAGMAS).
        let url = format!("sqlite://{}?mode=rwc", path.replace('%', "%25").replace('?', "%3F").replace('#', "%23"));
        let pool = AnyPoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .min_connections(0)
            .idle_timeout(Duration::from_secs(1))
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(inline::PRAGMAS).await?;
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let readers = Some(inline::Readers::open(path, sizes.max_connections as usize)?);
        let group = Some(group::Group::start(inline::open(path)?));
        Ok(Store {
            backend: Backend::Sqlite,
            url,
            pool,
            writer: None,
            readers,
            group,
            maybe_subscribed: Default::default(),
        })
    }

    async fn open_postgres(url: &str, sizes: PoolSizes) -> Result<Store, StoreError> {
        let options = || AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let pool = options().max_connections(sizes.max_connections.max(2)).connect(url).await?;
        // Write transactions take the write lock one at a time anyway; two connections let the next one wait
        // for the lock while the current one commits. They are apart from the readers, so a transaction that
        // reads through the pool can never wait for a connection held by a writer waiting for its lock.
        let writer = options().max_connections(2).connect(url).await?;
        Ok(Store {
            backend: Backend::Postgres,
            url: url.to_owned(),
            writer: Some(writer),
            pool,
            readers: None,
            group: None,
            maybe_subscribed: Default::default(),
        })
    }

    /// Apply the migrations this binary knows that the database has not seen (also `imbotd migrate`).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL the store was opened with (PostgreSQL: for the LISTEN connection).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where reads and single statements outside a transaction go.
    pub(crate) fn pool(&self) -> Reader<'_> {
        match &self.readers {
            Some(r) => Reader(Readers::Inline(r)),
            None => Reader(Readers::Pool(&self.pool)),
        }
    }

    /// Begin a write transaction, serialised with every other one.
    ///
    /// SQLite: on the single writer connection, `BEGIN IMMEDIATE`, which takes SQLite's write lock up front (a
    /// deferred transaction that read first fails with "database is locked", no busy wait, when another
    /// connection wrote in between). PostgreSQL: `BEGIN` and a transaction-scoped advisory lock, released at
    /// commit or rollback.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        match (&self.group, &self.writer) {
            (Some(g), _) => Ok(Tx(TxConn(Conn::Group(g.begin().await?)), TxNotes::default())),
            (None, Some(writer)) => {
                let mut tx = writer.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
                Ok(Tx(TxConn(Conn::Own(tx)), TxNotes::default()))
            }
            (None, None) => Err(StoreError::Closed),
        }
    }

    /// Begin a write transaction that other instances may run at the same time (PostgreSQL: no advisory lock;
    /// the rows it touches must be claimed with row locks). On SQLite it is [`Store::begin`].
    pub async fn begin_concurrent(&self) -> Result<Tx, StoreError> {
        match self.backend {
            Backend::Sqlite => self.begin().await,
            Backend::Postgres => Ok(Tx(TxConn(Conn::Own(self.pool.begin().await?)), TxNotes::default())),
        }
    }

    /// An executor for a single write statement outside any transaction: `.execute(store.w())`. SQLite: it
    /// goes through the writer, in a group of its own ([`Store::begin`]), so every write of the process has
    /// the one writer and is on disk when it returns; PostgreSQL: the pool (one statement is atomic).
    pub fn w(&self) -> Writes<'_> {
        Writes(self)
    }

    /// A trivial query: is the database reachable?
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(self.pool()).await?;
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(g) = &self.group {
            g.close().await;
        }
        if let Some(r) = &self.readers {
            r.close();
        }
        if let Some(w) = &self.writer {
            w.close().await;
        }
        self.pool.close().await;
    }
}

/// See [`Store::w`].
#[derive(Debug, Clone, Copy)]
pub struct Writes<'s>(&'s Store);

fn to_sqlx(e: StoreError) -> sqlx::Error {
    match e {
        StoreError::Db(e) => e,
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

impl<'c> Executor<'c> for Writes<'c> {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::stream::BoxStream<'e, Result<sqlx::Either<sqlx::any::AnyQueryResult, DbRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + sqlx::Execute<'q, Any>,
    {
        use futures_util::{StreamExt, TryStreamExt};
        if self.0.group.is_none() {
            return self.0.pool.fetch_many(query);
        }
        futures_util::stream::once(async move {
            let mut tx = self.0.begin().await.map_err(to_sqlx)?;
            let items: Vec<_> = (&mut *tx).fetch_many(query).try_collect().await?;
            tx.commit().await.map_err(to_sqlx)?;
            Ok::<_, sqlx::Error>(futures_util::stream::iter(items.into_iter().map(Ok)))
        })
        .try_flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::future::BoxFuture<'e, Result<Option<DbRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + sqlx::Execute<'q, Any>,
    {
        use futures_util::FutureExt;
        if self.0.group.is_none() {
            return self.0.pool.fetch_optional(query);
        }
        async move {
            let mut tx = self.0.begin().await.map_err(to_sqlx)?;
            let row = (&mut *tx).fetch_optional(query).await?;
            tx.commit().await.map_err(to_sqlx)?;
            Ok(row)
        }
        .boxed()
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [sqlx::any::AnyTypeInfo],
    ) -> futures_util::future::BoxFuture<'e, Result<sqlx::any::AnyStatement<'q>, sqlx::Error>>
    where
        'c: 'e,
    {
        self.0.pool.prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> futures_util::future::BoxFuture<'e, Result<sqlx::Describe<Any>, sqlx::Error>>
    where
        'c: 'e,
    {
        self.0.pool.describe(sql)
    }
}

/// Statements to run one after another inside a transaction, sent as one request where the backend takes one.
///
/// SQLite: one compound statement, one call however many statements (each
/// statement sees the writes of those before it, as when sent one by one; placeholders are numbered across the
/// whole batch). PostgreSQL: one by one, since a prepared statement holds a single command.
pub struct Batch<'q> {
    compound: bool,
    parts: Vec<Sql<'q>>,
}

impl<'q> Batch<'q> {
    /// A batch for `tx`'s backend.
    pub fn new(tx: &Tx) -> Batch<'q> {
        Batch { compound: tx.backend() == Backend::Sqlite, parts: Vec::new() }
    }

    /// Start the next statement and return it to write.
    pub fn statement(&mut self) -> &mut Sql<'q> {
        if !self.compound || self.parts.is_empty() {
            self.parts.push(Sql::new(""));
        } else if let Some(last) = self.parts.last_mut() {
            last.push(";\n");
        }
        self.parts.last_mut().expect("a statement was just started")
    }

    /// Run every statement, in order, in `tx`.
    pub async fn execute(self, tx: &mut Tx) -> Result<(), StoreError> {
        for mut part in self.parts {
            part.build().execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// A query assembled from pieces, with `$n` placeholders numbered as binds are pushed (sqlx's `QueryBuilder`
/// writes `?` for the Any driver, which PostgreSQL does not understand).
pub mod sql {
    use super::*;

    pub struct Sql<'q> {
        text: String,
        args: AnyArguments<'q>,
        n: usize,
    }

    impl<'q> Sql<'q> {
        pub fn new(text: impl Into<String>) -> Sql<'q> {
            Sql { text: text.into(), args: AnyArguments::default(), n: 0 }
        }

        pub fn push(&mut self, text: impl AsRef<str>) -> &mut Self {
            self.text.push_str(text.as_ref());
            self
        }

        /// Append a placeholder for `value`.
        pub fn push_bind<T>(&mut self, value: T) -> &mut Self
        where
            T: 'q + sqlx::Encode<'q, Any> + sqlx::Type<Any>,
        {
            self.n += 1;
            // Adding to AnyArguments only fails for types the Any driver cannot carry, which do not compile.
            let _ = self.args.add(value);
            self.text.push('$');
            self.text.push_str(&self.n.to_string());
            self
        }

        /// Append `$a, $b, …` for each value (an `IN (…)` list; the caller writes the parentheses).
        pub fn push_list<T, I>(&mut self, values: I) -> &mut Self
        where
            I: IntoIterator<Item = T>,
            T: 'q + sqlx::Encode<'q, Any> + sqlx::Type<Any>,
        {
            for (i, v) in values.into_iter().enumerate() {
                if i > 0 {
                    self.text.push_str(", ");
                }
                self.push_bind(v);
            }
            self
        }

        pub fn text(&self) -> &str {
            &self.text
        }

        pub fn build<'a>(&'a mut self) -> sqlx::query::Query<'a, Any, AnyArguments<'a>>
        where
            'q: 'a,
        {
            sqlx::query_with(&self.text, std::mem::take(&mut self.args))
        }

        pub fn build_scalar<'a, O>(&'a mut self) -> sqlx::query::QueryScalar<'a, Any, O, AnyArguments<'a>>
        where
            'q: 'a,
            (O,): for<'r> sqlx::FromRow<'r, DbRow>,
        {
            sqlx::query_scalar_with(&self.text, std::mem::take(&mut self.args))
        }
    }
}
