//! The database a test's server runs on.
//!
//! By default SQLite in the test's data dir, as a user gets it. With `IMBOTD_TEST_DATABASE_URL` set to a
//! PostgreSQL server (`postgres://postgres@127.0.0.1:5432`), every data dir gets a database of its own on that
//! server, named after the dir, created on first use and dropped when its [`TestDb`] guard goes: so every
//! integration test runs unchanged against either backend (CI runs the suite once with each).
//!
//! Processes the tests spawn (`imbotd serve`, the admin CLI) find the same database through
//! `IMBOTD_DATABASE_URL` ([`env_for`]).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The live test databases by data dir, for [`env_for_path`].
static LIVE: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);

/// The PostgreSQL server the tests run on, if any.
pub fn postgres_base() -> Option<String> {
    std::env::var("IMBOTD_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim_end_matches('/').to_owned())
}

fn name_for(dir: &Path) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut h);
    std::process::id().hash(&mut h);
    format!("imbotd_t_{:016x}", h.finish())
}

/// Run `f` on a runtime of its own, on its own thread: callable from sync code and from inside a test's
/// runtime alike.
fn blocking<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(f)
    })
    .join()
    .expect("the database helper thread")
}

async fn admin(base: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(&format!("{base}/postgres")).await.unwrap_or_else(|e| {
        panic!("IMBOTD_TEST_DATABASE_URL={base}: cannot connect to PostgreSQL ({e}); unset it to test on SQLite")
    })
}

/// A test database on PostgreSQL; dropped (connections and all) with the guard.
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    base: String,
    name: String,
    dir: PathBuf,
}

impl TestDb {
    /// The database of `dir`, created if it does not exist yet; `None` when the tests run on SQLite.
    pub fn for_dir(dir: &Path) -> Option<TestDb> {
        let base = postgres_base()?;
        let name = name_for(dir);
        let (b, n) = (base.clone(), name.clone());
        blocking(async move {
            use sqlx::Executor;
            let mut c = admin(&b).await;
            let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(&n)
                .fetch_optional(&mut c)
                .await
                .expect("look up the test database");
            if exists.is_none() {
                c.execute(format!("CREATE DATABASE \"{n}\"").as_str()).await.expect("create the test database");
            }
        });
        let url = format!("{base}/{name}");
        LIVE.lock().unwrap().get_or_insert_with(HashMap::new).insert(dir.to_owned(), url.clone());
        Some(TestDb { url, base, name, dir: dir.to_owned() })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(m) = LIVE.lock().unwrap().as_mut() {
            m.remove(&self.dir);
        }
        let (base, name) = (self.base.clone(), self.name.clone());
        blocking(async move {
            use sqlx::Executor;
            let mut c = admin(&base).await;
            let _ = c.execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str()).await;
        });
    }
}

/// The environment that points a spawned `imbotd --data-dir DIR` at DIR's database (empty on SQLite: the data
/// dir says it all).
pub fn env_for_path(dir: &Path) -> Vec<(&'static str, String)> {
    let live = LIVE.lock().unwrap();
    live.as_ref().and_then(|m| m.get(dir)).map(|u| vec![("IMBOTD_DATABASE_URL", u.clone())]).unwrap_or_default()
}

/// A temporary data dir with, on PostgreSQL, its database: for tests that run `imbotd` processes themselves.
pub struct TestDir {
    // Dropped first: the database, then the dir.
    db: Option<TestDb>,
    dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        let dir = tempfile::tempdir().expect("temp dir");
        TestDir { db: TestDb::for_dir(dir.path()), dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> &Option<TestDb> {
        &self.db
    }
}

/// A pool on the server's database, for what a test must read or set behind the API's back.
pub async fn pool(dir: &Path, db: &Option<TestDb>) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = match db {
        Some(d) => d.url.clone(),
        None => format!("sqlite://{}", dir.join("imbotd.db").display()),
    };
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .after_connect(|c, _| {
            Box::pin(async move {
                if c.backend_name() == "SQLite" {
                    use sqlx::Executor;
                    c.execute("PRAGMA busy_timeout = 10000").await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await;
    pool.unwrap_or_else(|e| panic!("open the test database {url}: {e}"))
}
