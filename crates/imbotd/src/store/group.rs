//! Group commit on SQLite: many write transactions, one fsync.
//!
//! SQLite has one writer, and with `synchronous=FULL` every COMMIT waits for the disk. Committing each API
//! call's transaction alone caps the write rate at one call per fsync. Here the writer connection keeps one
//! transaction open for a *group*: each [`Tx`](super::Tx) is a `SAVEPOINT` inside it, taken under a fair
//! (FIFO) lock; `commit` releases the savepoint, lets the next writer in and waits; a committer task takes
//! the lock between writers and COMMITs everything released so far with one fsync, then wakes every waiter of
//! that group with the outcome. Nobody is answered before the COMMIT that holds their writes returned: an
//! acknowledged write is on disk, as before, and a failed COMMIT fails every call of the group (none of their
//! writes exist). Under load, the writers that queue up while a COMMIT syncs form the next group; alone, a
//! write costs one SAVEPOINT/RELEASE pair more than a plain transaction.
//!
//! The writer is held for every statement of a write, so the savepoint bookkeeping rides along with the next
//! statement (one prepared-statement run fewer per write): `commit` only marks its savepoint released, and
//! the next holder's `SAVEPOINT` (or the committer's `COMMIT`) sends `RELEASE SAVEPOINT w` in the same request.
//! A `Tx` dropped without `commit` (an error, a panic, a cancelled request) leaves its savepoint marked
//! abandoned; the next holder of the lock rolls it back first, so its writes never reach a COMMIT. Reads
//! elsewhere see a group's writes once it committed (WAL readers), never before.
//!
//! Statements run on the thread that holds the writer (`inline.rs`); only the COMMIT, which waits for the disk,
//! runs on a blocking thread, the connection lent to it and back.
//!
//! Failure modes: the connection errors on a statement → that call's error, the group goes on; COMMIT fails
//! (disk full, I/O error), or the request that releases the previous savepoint and opens the next does → the
//! group is rolled back, every waiter gets the error, the next writer starts a new group; the store is closed
//! → `begin` fails.

use super::{inline, StoreError};
use rusqlite::Connection;
use std::sync::Arc;
use tokio::sync::{oneshot, Mutex, Notify, OwnedMutexGuard};

/// The outcome of a group's COMMIT, shared by its waiters.
type Outcome = Result<(), Arc<str>>;

pub(crate) struct Slot {
    /// The writer connection; `None` once the store is closed.
    conn: Option<Connection>,
    /// Whether the group's transaction is open.
    in_tx: bool,
    /// The savepoint the last `Tx` left open, to be released or rolled back by the next request.
    left: Left,
    /// Those who released a savepoint into the open group, waiting for its COMMIT.
    waiters: Vec<oneshot::Sender<Outcome>>,
}

impl Slot {
    /// The writer; `begin` hands out a slot only while it is open.
    pub(crate) fn conn_mut(&mut self) -> Result<&mut Connection, sqlx::Error> {
        self.conn.as_mut().ok_or_else(inline::closed)
    }

    /// Run `sql` (no arguments) on the writer, here.
    fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        inline::run(self.conn_mut()?, sql, None, false).map(|_| ())
    }

    /// The statements that settle what the last `Tx` left: release a committed savepoint into the group, roll
    /// an abandoned one back. Ends with `;` when not empty.
    fn settle_sql(&self) -> &'static str {
        match self.left {
            Left::Nothing => "",
            Left::Released => "RELEASE SAVEPOINT w;",
            Left::Abandoned => "ROLLBACK TO SAVEPOINT w; RELEASE SAVEPOINT w;",
        }
    }

    /// Give up the open group: roll it back and tell its waiters `why`.
    fn fail_group(&mut self, why: &sqlx::Error) {
        tracing::error!(error = %why, writes = self.waiters.len(), "group commit failed; its writes are rolled back");
        // SQLite rolls back on most COMMIT failures; make sure no transaction is left open either way.
        let _ = self.execute("ROLLBACK");
        self.in_tx = false;
        self.left = Left::Nothing;
        let outcome: Outcome = Err(Arc::from(why.to_string()));
        for w in self.waiters.drain(..) {
            let _ = w.send(outcome.clone());
        }
    }
}

/// What the last `Tx` of the group left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Left {
    Nothing,
    /// Committed: release its savepoint into the group.
    Released,
    /// Dropped without `commit`: roll its savepoint back.
    Abandoned,
}

pub(crate) struct Group {
    slot: Arc<Mutex<Slot>>,
    /// Someone released a savepoint: the committer has work.
    dirty: Notify,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Group")
    }
}

impl Group {
    /// Take `conn` as the writer and start the committer.
    pub(crate) fn start(conn: Connection) -> Arc<Group> {
        let group = Arc::new(Group {
            slot: Arc::new(Mutex::new(Slot {
                conn: Some(conn),
                in_tx: false,
                left: Left::Nothing,
                waiters: Vec::new(),
            })),
            dirty: Notify::new(),
        });
        // The committer runs until the store is closed (or its runtime ends).
        let g = group.clone();
        tokio::spawn(async move {
            loop {
                g.dirty.notified().await;
                let mut slot = g.slot.lock().await;
                if slot.conn.is_none() {
                    return;
                }
                commit_group(&mut slot).await;
            }
        });
        group
    }

    /// Open a savepoint in the current group (starting the group's transaction when none is open).
    pub(crate) async fn begin(self: &Arc<Self>) -> Result<GroupTx, StoreError> {
        let mut slot = self.slot.clone().lock_owned().await;
        if slot.conn.is_none() {
            return Err(StoreError::Closed);
        }
        if slot.in_tx {
            // One request: settle the previous savepoint, open this one.
            let sql = format!("{} SAVEPOINT w", slot.settle_sql());
            if let Err(e) = slot.execute(&sql) {
                // How far it got is unknown: give the group up rather than guess.
                slot.fail_group(&e);
                return Err(e.into());
            }
        } else {
            // Between groups nothing is left open (the committer settled it before COMMIT).
            if let Err(e) = slot.execute("BEGIN IMMEDIATE; SAVEPOINT w") {
                // Nobody's writes are in it yet: just make sure no half-begun transaction stays open.
                let _ = slot.execute("ROLLBACK");
                return Err(e.into());
            }
            slot.in_tx = true;
        }
        slot.left = Left::Nothing;
        Ok(GroupTx { slot: Some(slot), group: self.clone() })
    }

    /// Commit what is pending and give the connection back (the store is closing).
    pub(crate) async fn close(&self) {
        let mut slot = self.slot.lock().await;
        if slot.conn.is_none() {
            return;
        }
        commit_group(&mut slot).await;
        slot.conn = None;
        self.dirty.notify_one();
    }
}

/// COMMIT the open group, if any, and tell its waiters.
async fn commit_group(slot: &mut Slot) {
    if !slot.in_tx {
        return;
    }
    let sql = format!("{} COMMIT", slot.settle_sql());
    let Some(conn) = slot.conn.take() else { return };
    // The fsync is the one wait of the write path: off the runtime's threads, the connection lent and returned.
    let done = tokio::task::spawn_blocking(move || {
        let outcome = inline::run(&conn, &sql, None, false).map(|_| ());
        (conn, outcome)
    })
    .await;
    let outcome = match done {
        Ok((conn, outcome)) => {
            slot.conn = Some(conn);
            outcome
        }
        // The blocking thread is gone (the runtime shuts down): the connection with it, the store is closed.
        Err(e) => Err(sqlx::Error::Protocol(format!("the commit thread failed: {e}"))),
    };
    match outcome {
        Ok(()) => {
            slot.in_tx = false;
            slot.left = Left::Nothing;
            for w in slot.waiters.drain(..) {
                let _ = w.send(Ok(()));
            }
        }
        Err(e) if slot.conn.is_some() => slot.fail_group(&e),
        Err(e) => {
            let outcome: Outcome = Err(Arc::from(e.to_string()));
            for w in slot.waiters.drain(..) {
                let _ = w.send(outcome.clone());
            }
        }
    }
}

/// The COMMIT of a released write, on its way to disk.
pub(crate) struct Committing(oneshot::Receiver<Outcome>);

impl std::future::Future for Committing {
    type Output = Result<(), StoreError>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx).map(|r| match r {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Commit(e.to_string())),
            Err(_) => Err(StoreError::Closed),
        })
    }
}

/// One write transaction inside a group: a savepoint, holding the writer until `commit` or drop.
pub(crate) struct GroupTx {
    slot: Option<OwnedMutexGuard<Slot>>,
    group: Arc<Group>,
}

impl GroupTx {
    /// The writer, for this transaction's statements.
    pub(crate) fn conn_mut(&mut self) -> Result<&mut Connection, sqlx::Error> {
        match self.slot.as_mut() {
            Some(slot) => slot.conn_mut(),
            None => Err(inline::closed()),
        }
    }

    /// Release the savepoint into the group (with the next request, see above) and wait until the group's
    /// COMMIT is on disk.
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        self.release().await
    }

    /// Release the savepoint into the group and let the next writer in; the returned future resolves when
    /// the group's COMMIT is on disk. Anything begun after this is in the same group or a later one, so its
    /// commit implies this one.
    pub(crate) fn release(mut self) -> Committing {
        let mut slot = self.slot.take().expect("open");
        slot.left = Left::Released;
        let (tx, rx) = oneshot::channel();
        slot.waiters.push(tx);
        drop(slot);
        self.group.dirty.notify_one();
        Committing(rx)
    }
}

impl Drop for GroupTx {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.as_mut() {
            slot.left = Left::Abandoned;
            // Let the committer roll it back and close the group now, not whenever the next writer comes:
            // an open transaction holds SQLite's write lock, which the admin CLI may be waiting for.
            self.group.dirty.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Batch, Store};
    use sqlx::Executor;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url, 1_700_000_000).await.unwrap();
        store.w().execute("CREATE TABLE t(x INTEGER NOT NULL UNIQUE)").await.unwrap();
        (dir, store)
    }

    async fn rows(store: &Store) -> Vec<i64> {
        sqlx::query_scalar("SELECT x FROM t ORDER BY x").fetch_all(store.pool()).await.unwrap()
    }

    async fn insert(tx: &mut crate::store::Tx, x: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO t(x) VALUES ($1)").bind(x).execute(&mut **tx).await.map(|_| ())
    }

    #[tokio::test]
    async fn an_abandoned_write_between_two_committed_ones_is_the_only_one_lost() {
        let (_dir, store) = store().await;
        let mut first = store.begin().await.unwrap();
        insert(&mut first, 1).await.unwrap();
        // Its savepoint is released with the next request, which is the abandoned write's own SAVEPOINT.
        let first = tokio::spawn(first.commit());
        let mut abandoned = store.begin().await.unwrap();
        insert(&mut abandoned, 2).await.unwrap();
        drop(abandoned);
        let mut third = store.begin().await.unwrap();
        insert(&mut third, 3).await.unwrap();
        third.commit().await.unwrap();
        first.await.unwrap().unwrap();
        assert_eq!(rows(&store).await, [1, 3]);
        // And the writer goes on: a single write after it all.
        sqlx::query("INSERT INTO t(x) VALUES (4)").execute(store.w()).await.unwrap();
        assert_eq!(rows(&store).await, [1, 3, 4]);
    }

    #[tokio::test]
    async fn the_readers_refuse_writes_and_see_the_writers_commits() {
        let (_dir, store) = store().await;
        let e = sqlx::query("INSERT INTO t(x) VALUES (1)").execute(store.pool()).await.unwrap_err();
        assert!(e.to_string().contains("readonly"), "{e}");
        let mut tx = store.begin().await.unwrap();
        insert(&mut tx, 2).await.unwrap();
        assert_eq!(rows(&store).await, Vec::<i64>::new(), "not before the commit");
        tx.commit().await.unwrap();
        assert_eq!(rows(&store).await, [2]);
    }

    #[tokio::test]
    async fn a_failed_statement_rolls_back_with_its_write_only() {
        let (_dir, store) = store().await;
        let mut tx = store.begin().await.unwrap();
        insert(&mut tx, 1).await.unwrap();
        assert!(insert(&mut tx, 1).await.is_err(), "UNIQUE");
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        insert(&mut tx, 2).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(rows(&store).await, [2]);
    }

    #[tokio::test]
    async fn a_batch_runs_in_order_with_placeholders_numbered_across_it() {
        let (_dir, store) = store().await;
        let mut tx = store.begin().await.unwrap();
        let mut batch = Batch::new(&tx);
        batch.statement().push("INSERT INTO t(x) VALUES (").push_bind(5_i64).push(")");
        batch.statement().push("INSERT INTO t(x) VALUES (").push_bind(6_i64).push(")");
        batch.statement().push("UPDATE t SET x = x + ").push_bind(10_i64).push(" WHERE x = ").push_bind(5_i64);
        batch.execute(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(rows(&store).await, [6, 15]);
        // A statement of a batch that fails fails the batch; the transaction rolls back as a whole.
        let mut tx = store.begin().await.unwrap();
        let mut batch = Batch::new(&tx);
        batch.statement().push("INSERT INTO t(x) VALUES (").push_bind(7_i64).push(")");
        batch.statement().push("INSERT INTO t(x) VALUES (").push_bind(6_i64).push(")");
        assert!(batch.execute(&mut tx).await.is_err());
        drop(tx);
        assert_eq!(rows(&store).await, [6, 15]);
    }
}
