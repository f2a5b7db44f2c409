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
//! A `Tx` dropped without `commit` (an error, a panic, a cancelled request) leaves a mark; the next holder of
//! the lock rolls the savepoint back first, so its writes never reach a COMMIT. Reads elsewhere see a group's
//! writes once it committed (WAL readers), never before.
//!
//! Failure modes: the connection errors on a statement → that call's error, the group goes on; COMMIT fails
//! (disk full, I/O error) → SQLite rolled the group back, every waiter gets the error, the next writer starts
//! a new group; the store is closed → `begin` fails.

use super::StoreError;
use sqlx::any::Any;
use sqlx::pool::PoolConnection;
use sqlx::AnyConnection;
use sqlx::Executor;
use std::sync::Arc;
use tokio::sync::{oneshot, Mutex, Notify, OwnedMutexGuard};

/// The outcome of a group's COMMIT, shared by its waiters.
type Outcome = Result<(), Arc<str>>;

pub(crate) struct Slot {
    /// The writer connection; `None` once the store is closed.
    conn: Option<PoolConnection<Any>>,
    /// Whether the group's transaction is open.
    in_tx: bool,
    /// A `Tx` was dropped without `commit`: its savepoint is still open and must be rolled back.
    abandoned: bool,
    /// Those who released a savepoint into the open group, waiting for its COMMIT.
    waiters: Vec<oneshot::Sender<Outcome>>,
}

impl Slot {
    pub(crate) fn conn(&self) -> &AnyConnection {
        self.conn.as_deref().expect("a write transaction holds an open connection")
    }

    pub(crate) fn conn_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_deref_mut().expect("a write transaction holds an open connection")
    }

    /// Roll back what an abandoned `Tx` left.
    async fn tidy(&mut self) -> Result<(), sqlx::Error> {
        if self.abandoned {
            self.abandoned = false;
            self.conn_mut().execute("ROLLBACK TO SAVEPOINT w; RELEASE SAVEPOINT w").await?;
        }
        Ok(())
    }
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
    pub(crate) fn start(conn: PoolConnection<Any>) -> Arc<Group> {
        let group = Arc::new(Group {
            slot: Arc::new(Mutex::new(Slot { conn: Some(conn), in_tx: false, abandoned: false, waiters: Vec::new() })),
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
        slot.tidy().await?;
        if !slot.in_tx {
            slot.conn_mut().execute("BEGIN IMMEDIATE").await?;
            slot.in_tx = true;
        }
        slot.conn_mut().execute("SAVEPOINT w").await?;
        Ok(GroupTx { slot: Some(slot), group: self.clone() })
    }

    /// Commit what is pending and give the connection back (the store is closing).
    pub(crate) async fn close(&self) {
        let mut slot = self.slot.lock().await;
        if slot.conn.is_none() {
            return;
        }
        let _ = slot.tidy().await;
        commit_group(&mut slot).await;
        slot.conn = None;
        self.dirty.notify_one();
    }
}

/// COMMIT the open group, if any, and tell its waiters.
async fn commit_group(slot: &mut Slot) {
    if let Err(e) = slot.tidy().await {
        tracing::error!(error = %e, "cannot roll back an abandoned write");
    }
    if !slot.in_tx {
        return;
    }
    slot.in_tx = false;
    let outcome: Outcome = match slot.conn_mut().execute("COMMIT").await {
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::error!(error = %e, writes = slot.waiters.len(), "group commit failed; its writes are rolled back");
            // SQLite rolls back on most COMMIT failures; make sure no transaction is left open either way.
            let _ = slot.conn_mut().execute("ROLLBACK").await;
            Err(Arc::from(e.to_string()))
        }
    };
    for w in slot.waiters.drain(..) {
        let _ = w.send(outcome.clone());
    }
}

/// One write transaction inside a group: a savepoint, holding the writer until `commit` or drop.
pub(crate) struct GroupTx {
    slot: Option<OwnedMutexGuard<Slot>>,
    group: Arc<Group>,
}

impl GroupTx {
    pub(crate) fn conn(&self) -> &AnyConnection {
        self.slot.as_ref().expect("open").conn()
    }

    pub(crate) fn conn_mut(&mut self) -> &mut AnyConnection {
        self.slot.as_mut().expect("open").conn_mut()
    }

    /// Release the savepoint into the group and wait until the group's COMMIT is on disk.
    pub(crate) async fn commit(mut self) -> Result<(), StoreError> {
        let mut slot = self.slot.take().expect("open");
        if let Err(e) = slot.conn_mut().execute("RELEASE SAVEPOINT w").await {
            slot.abandoned = true;
            return Err(e.into());
        }
        let (tx, rx) = oneshot::channel();
        slot.waiters.push(tx);
        drop(slot);
        self.group.dirty.notify_one();
        match rx.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Commit(e.to_string())),
            Err(_) => Err(StoreError::Closed),
        }
    }
}

impl Drop for GroupTx {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.as_mut() {
            slot.abandoned = true;
            // Let the committer roll it back and close the group now, not whenever the next writer comes:
            // an open transaction holds SQLite's write lock, which the admin CLI may be waiting for.
            self.group.dirty.notify_one();
        }
    }
}
