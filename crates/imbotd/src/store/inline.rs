//! SQLite statements on the calling thread.
//!
//! sqlx's SQLite driver runs each connection on a thread of its own and hands every statement to it and every
//! result back: two thread wake-ups per statement, which on a small (virtual) machine cost far more than
//! SQLite's own work on a page-cached database (BENCHMARKS.md, scenario 1). Here the store's SQLite statements
//! run where they are called, through rusqlite on the same linked SQLite, and come back as sqlx's `Any` rows, so
//! the store's functions stay written once against sqlx's `Executor` for both backends (`Reader` and
//! `TxConn` in `mod.rs` choose the path).
//!
//! What may block: a statement runs to its end on the calling (runtime worker) thread. That is what SQLite is
//! fast at — reads of cached pages, writes into the writer's open transaction (nothing reaches the disk until a
//! commit). The one slow statement, the group's `COMMIT` with its fsync (and any checkpoint it triggers), runs on
//! a blocking thread instead (`group.rs`). Another process writing the same file (the admin CLI) can make a
//! statement wait up to `busy_timeout`.
//!
//! Compatibility with sqlx's driver, which the store was written against and which the migrations still use:
//! placeholders `$N` / `?N` index the arguments across a compound statement, a bare `?` takes the next one; a
//! value is typed by its storage class (INTEGER → `BigInt`, REAL → `Double`, TEXT, BLOB, NULL); a finished
//! statement reports `sqlite3_changes`. Failure modes: SQLite's errors become `sqlx::Error::AnyDriverError`
//! (their message kept), and a statement on a closed store fails with `sqlx::Error::PoolClosed`.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx::Either;
use sqlx_core::any::{AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What a statement run yields, in sqlx's shape: a result per finished statement, rows in between.
pub(crate) type Items = Vec<Either<AnyQueryResult, AnyRow>>;

/// The pragmas of every SQLite connection of the store (these and sqlx's, for the migrations): WAL,
/// `synchronous=FULL` (an acknowledged write survives a power cut), foreign keys, and a busy timeout so another
/// process (the admin CLI) can write while the server runs.
///
/// Not `mmap_size`: in WAL mode a reader drops its page cache whenever another connection committed, so reads
/// after a write copy their pages in again with `pread` (3 % of the server's CPU under `imbot.message.add`
/// load); with the file mapped that copy goes, but every reader re-maps the file each time it grew, and the
/// `mmap`/`munmap` calls and their TLB shootdowns cost more (5 %, measured) than the copies saved.
pub(crate) const PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// Open a connection with the store's [`PRAGMAS`].
pub(crate) fn open(path: &str) -> Result<Connection, sqlx::Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(driver)?;
    conn.set_prepared_statement_cache_capacity(256);
    run(&conn, PRAGMAS, None, false)?;
    Ok(conn)
}

fn driver(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::AnyDriverError(Box::new(e))
}

/// Connections for reads: whichever is free, taken for the span of one statement (which never waits on anything
/// but SQLite), so a few serve every thread of the runtime. They are `query_only`: a write belongs to the writer
/// (`Store::begin`, `Store::w`), and one sent here by mistake fails at once instead of waiting for SQLite's write
/// lock on a runtime thread.
pub(crate) struct Readers {
    conns: Vec<Mutex<Option<Connection>>>,
    next: AtomicUsize,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Readers({})", self.conns.len())
    }
}

impl Readers {
    pub(crate) fn open(path: &str, n: usize) -> Result<Arc<Readers>, sqlx::Error> {
        let reader = || {
            let conn = open(path)?;
            run(&conn, "PRAGMA query_only = ON", None, false)?;
            Ok::<_, sqlx::Error>(Mutex::new(Some(conn)))
        };
        let conns = (0..n.max(1)).map(|_| reader()).collect::<Result<_, _>>()?;
        Ok(Arc::new(Readers { conns, next: AtomicUsize::new(0) }))
    }

    /// Run `sql` on a free connection.
    pub(crate) fn run(
        &self,
        sql: &str,
        args: Option<AnyArguments<'_>>,
        first_row_only: bool,
    ) -> Result<Items, sqlx::Error> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.conns.len();
        let mut guard = None;
        for i in 0..n {
            if let Ok(g) = self.conns[(start + i) % n].try_lock() {
                guard = Some(g);
                break;
            }
        }
        let mut guard = match guard {
            Some(g) => g,
            // Every connection is mid-statement on another thread: wait for one (a statement's span).
            None => self.conns[start % n].lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        };
        match guard.as_mut() {
            Some(conn) => run(conn, sql, args, first_row_only),
            None => Err(closed()),
        }
    }

    pub(crate) fn close(&self) {
        for c in &self.conns {
            c.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        }
    }
}

pub(crate) fn closed() -> sqlx::Error {
    sqlx::Error::PoolClosed
}

/// Run `sql` (one statement or several separated by `;`) with `args` on `conn`. With `first_row_only`, stop at the
/// first row (sqlx's `fetch_optional`; a compound statement still runs every statement before the row's).
pub(crate) fn run(
    conn: &Connection,
    sql: &str,
    args: Option<AnyArguments<'_>>,
    first_row_only: bool,
) -> Result<Items, sqlx::Error> {
    let values = args.map(|a| a.values.0).unwrap_or_default();
    let mut items = Vec::new();
    let mut used = 0;
    let whole = 0..sql.len();
    let split = compound(sql);
    let ranges = match &split {
        Some(split) => &split[..],
        None => std::slice::from_ref(&whole),
    };
    for range in ranges {
        let mut stmt = conn.prepare_cached(&sql[range.clone()]).map_err(driver)?;
        used += bind(&mut stmt, &values, used)?;
        let count = stmt.column_count();
        // The statement's column names and columns, shared by its rows (looked up at its first row).
        let mut header: Option<Header> = None;
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next().map_err(driver)? {
            let (names, columns) = &**header.get_or_insert_with(|| self::header(&sql[range.clone()], row.as_ref()));
            let mut values = Vec::with_capacity(count);
            for i in 0..count {
                values.push(AnyValue { kind: value(row.get_ref(i).map_err(driver)?) });
            }
            items.push(Either::Right(AnyRow { column_names: names.clone(), columns: columns.clone(), values }));
            if first_row_only {
                return Ok(items);
            }
        }
        drop(rows);
        items.push(Either::Left(AnyQueryResult { rows_affected: conn.changes(), last_insert_id: None }));
    }
    Ok(items)
}

/// A statement's column names (name → index, as sqlx's rows look columns up) and columns, shared by its rows.
type Header = Arc<(Arc<sqlx_core::HashMap<UStr, usize>>, Vec<AnyColumn>)>;

/// The [`Header`] of the prepared statement `sql`, built once per statement text and thread (a statement's columns
/// follow from its text and the schema, which migrations settle before the store opens): building it anew for each
/// run (a map and a name per column) was a few per cent of a call.
fn header(sql: &str, stmt: &rusqlite::Statement<'_>) -> Header {
    thread_local! {
        // sqlx's hashbrown map (foldhash): the key is hashed on every statement run, SipHash would cost more.
        static HEADERS: std::cell::RefCell<sqlx_core::HashMap<String, Header>> =
            std::cell::RefCell::new(sqlx_core::HashMap::new());
    }
    let build = || {
        let count = stmt.column_count();
        let mut names = sqlx_core::HashMap::with_capacity(count);
        let mut columns = Vec::with_capacity(count);
        for i in 0..count {
            let name = UStr::new(stmt.column_name(i).unwrap_or(""));
            names.insert(name.clone(), i);
            columns.push(AnyColumn { ordinal: i, name, type_info: AnyTypeInfo { kind: AnyTypeInfoKind::Null } });
        }
        Arc::new((Arc::new(names), columns))
    };
    HEADERS.with(|cell| {
        let Ok(mut cache) = cell.try_borrow_mut() else { return build() };
        if let Some(hit) = cache.get(sql) {
            if hit.1.len() == stmt.column_count() {
                return hit.clone();
            }
        }
        let fresh = build();
        if cache.len() >= 1024 {
            cache.clear();
        }
        cache.insert(sql.to_owned(), fresh.clone());
        fresh
    })
}

/// Bind the statement's parameters from `values`, as sqlx's SQLite driver does: `$N` and `?N` name the N-th
/// value of the whole (compound) query, a bare `?` the next after `offset`; one past the values stays NULL.
/// Returns how many values the bare placeholders took.
fn bind(stmt: &mut rusqlite::Statement<'_>, values: &[AnyValueKind<'_>], offset: usize) -> Result<usize, sqlx::Error> {
    let mut next = offset;
    for i in 1..=stmt.parameter_count() {
        let n = match stmt.parameter_name(i) {
            Some(name) => {
                let digits = name.strip_prefix('$').or_else(|| name.strip_prefix('?')).unwrap_or(name);
                digits.parse::<usize>().map_err(|_| {
                    sqlx::Error::Protocol(format!("unsupported SQL parameter {name:?} (write $1, $2, …)"))
                })?
            }
            None => {
                next += 1;
                next
            }
        };
        let Some(v) = n.checked_sub(1).and_then(|k| values.get(k)) else { break };
        stmt.raw_bind_parameter(i, Arg(v)).map_err(driver)?;
    }
    Ok(next - offset)
}

struct Arg<'a, 'q>(&'a AnyValueKind<'q>);

impl rusqlite::ToSql for Arg<'_, '_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            AnyValueKind::Bool(b) => ValueRef::Integer(*b as i64),
            AnyValueKind::SmallInt(i) => ValueRef::Integer(*i as i64),
            AnyValueKind::Integer(i) => ValueRef::Integer(*i as i64),
            AnyValueKind::BigInt(i) => ValueRef::Integer(*i),
            AnyValueKind::Real(r) => ValueRef::Real(*r as f64),
            AnyValueKind::Double(d) => ValueRef::Real(*d),
            AnyValueKind::Text(t) => ValueRef::Text(t.as_bytes()),
            AnyValueKind::Blob(b) => ValueRef::Blob(b),
            _ => ValueRef::Null,
        }))
    }
}

fn value(v: ValueRef<'_>) -> AnyValueKind<'static> {
    match v {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(i) => AnyValueKind::BigInt(i),
        ValueRef::Real(f) => AnyValueKind::Double(f),
        ValueRef::Text(t) => AnyValueKind::Text(String::from_utf8_lossy(t).into_owned().into()),
        ValueRef::Blob(b) => AnyValueKind::Blob(b.to_vec().into()),
    }
}

type Split = Arc<[Range<usize>]>;

/// The statements of `sql` as byte ranges, if it has more than one; computed once per compound text (a single
/// statement, the usual case, is recognised without it).
fn compound(sql: &str) -> Option<Split> {
    static SPLITS: Mutex<Option<HashMap<String, Split>>> = Mutex::new(None);
    let body = sql.trim_end().trim_end_matches(';');
    if !body.contains(';') {
        return None;
    }
    let mut cache = SPLITS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(hit) = cache.get(sql) {
        return Some(hit.clone());
    }
    let split: Split = split(sql).into();
    if cache.len() >= 1024 {
        cache.clear();
    }
    cache.insert(sql.to_owned(), split.clone());
    Some(split)
}

/// Split at each `;` that ends a complete statement (SQLite's own `sqlite3_complete`, so a `;` inside a string,
/// identifier, comment or trigger body does not split); pieces of nothing but blanks and comments (which SQLite
/// would prepare to no statement at all) are dropped.
fn split(sql: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in sql.match_indices(';') {
        if complete(&sql[start..=i]) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out.push(start..sql.len());
    out.retain(|r| !blank(&sql[r.clone()]));
    out
}

/// Whether `piece` holds no SQL: blanks, `;`, `-- …` and `/* … */` comments only.
fn blank(piece: &str) -> bool {
    let mut rest = piece.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
    loop {
        if let Some(line) = rest.strip_prefix("--") {
            rest = line.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(block) = rest.strip_prefix("/*") {
            rest = block.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return rest.is_empty();
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
    }
}

fn complete(s: &str) -> bool {
    match std::ffi::CString::new(s) {
        // SAFETY: `c` is a NUL-terminated string that outlives the call; sqlite3_complete only reads it.
        Ok(c) => unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 },
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    fn args(values: Vec<AnyValueKind<'static>>) -> AnyArguments<'static> {
        let mut a = AnyArguments::default();
        a.values.0 = values;
        a
    }

    fn rows(items: &Items) -> Vec<&AnyRow> {
        items.iter().filter_map(|i| i.as_ref().right()).collect()
    }

    #[test]
    fn split_keeps_semicolons_inside_strings_comments_and_triggers() {
        let sql = "INSERT INTO t VALUES ('a;b'); -- c;d\nCREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END; SELECT \";\" ;  ";
        let parts: Vec<&str> = split(sql).into_iter().map(|r| sql[r].trim()).collect();
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert!(parts[0].starts_with("INSERT") && parts[0].ends_with("('a;b');"));
        assert!(parts[1].contains("CREATE TRIGGER") && parts[1].ends_with("END;"));
        assert!(parts[2].starts_with("SELECT \";\""));
        let sql = "SELECT 1; -- the end; really\n /* a; b */ ;";
        assert_eq!(split(sql), vec![Range { start: 0, end: 9 }]);
        assert!(blank(" ; -- x\n/* y */ ") && !blank("/* y */ SELECT 1"));
    }

    #[test]
    fn placeholders_number_across_a_compound_statement_and_values_keep_their_storage_class() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        run(&conn, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB)", None, false).unwrap();
        let items = run(
            &conn,
            "INSERT INTO t VALUES ($1, $2, $3, $4); INSERT INTO t VALUES ($1 + 1, NULL, $3 || '!', NULL); \
             SELECT i, r, s, b FROM t ORDER BY i",
            Some(args(vec![
                AnyValueKind::BigInt(7),
                AnyValueKind::Double(1.5),
                AnyValueKind::Text("x".into()),
                AnyValueKind::Blob(vec![1, 2].into()),
            ])),
            false,
        )
        .unwrap();
        let r = rows(&items);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].try_get::<i64, _>("i").unwrap(), 7);
        assert_eq!(r[0].try_get::<f64, _>("r").unwrap(), 1.5);
        assert_eq!(r[0].try_get::<String, _>("s").unwrap(), "x");
        assert_eq!(r[0].try_get::<Vec<u8>, _>("b").unwrap(), [1, 2]);
        assert_eq!(r[1].try_get::<i64, _>(0).unwrap(), 8);
        assert_eq!(r[1].try_get::<Option<f64>, _>("r").unwrap(), None);
        assert_eq!(r[1].try_get::<String, _>("s").unwrap(), "x!");
        let done: Vec<u64> = items.iter().filter_map(|i| i.as_ref().left()).map(|q| q.rows_affected).collect();
        assert_eq!(done.len(), 3);
        assert_eq!(&done[..2], [1, 1]);
    }

    #[test]
    fn bare_placeholders_take_the_next_value_and_a_missing_one_is_null() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        let items =
            run(&conn, "SELECT ?, ?, ?3", Some(args(vec![AnyValueKind::BigInt(1), AnyValueKind::Bool(true)])), false)
                .unwrap();
        let r = rows(&items);
        assert_eq!(r[0].try_get::<i64, _>(0).unwrap(), 1);
        assert_eq!(r[0].try_get::<i64, _>(1).unwrap(), 1);
        assert_eq!(r[0].try_get::<Option<i64>, _>(2).unwrap(), None);
    }

    #[test]
    fn an_error_names_sqlites_reason_and_first_row_only_stops_early() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        run(&conn, "CREATE TABLE t(x INTEGER UNIQUE); INSERT INTO t VALUES (1), (2), (3)", None, false).unwrap();
        let Err(e) = run(&conn, "INSERT INTO t VALUES (1)", None, false) else { panic!("a duplicate was inserted") };
        assert!(e.to_string().contains("UNIQUE"), "{e}");
        let items = run(&conn, "SELECT x FROM t ORDER BY x", None, true).unwrap();
        assert_eq!(items.len(), 1);
        assert!(run(&conn, "SELECT :name", None, false).is_err());
    }
}
