//! The `imbotd` binary: parse the command line, run it, exit with its code.

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    sqlite_on_mimalloc();
    let cli = imbotd::cli::Cli::parse();
    std::process::exit(imbotd::cli::run(cli));
}

/// SQLite's own allocations (page cache, prepared statements, rows) go to mimalloc too, and SQLite keeps no
/// memory statistics (which cost a process-wide mutex around every allocation). Under `imbot.message.add` load
/// glibc's `malloc` and `free`, called by SQLite, were about 4 % of the server's CPU (BENCHMARKS.md). This must run before SQLite initialises,
/// hence first thing in `main`; if SQLite refuses (it was initialised already), it keeps its defaults.
fn sqlite_on_mimalloc() {
    use libmimalloc_sys as mi;
    use rusqlite::ffi;
    use std::os::raw::{c_int, c_void};

    unsafe extern "C" fn malloc(n: c_int) -> *mut c_void {
        mi::mi_malloc(n.max(0) as usize)
    }
    unsafe extern "C" fn free(p: *mut c_void) {
        mi::mi_free(p)
    }
    unsafe extern "C" fn realloc(p: *mut c_void, n: c_int) -> *mut c_void {
        mi::mi_realloc(p, n.max(0) as usize)
    }
    unsafe extern "C" fn size(p: *mut c_void) -> c_int {
        c_int::try_from(mi::mi_usable_size(p)).unwrap_or(c_int::MAX)
    }
    unsafe extern "C" fn roundup(n: c_int) -> c_int {
        c_int::try_from(mi::mi_good_size(n.max(0) as usize)).unwrap_or(n)
    }
    unsafe extern "C" fn init(_: *mut c_void) -> c_int {
        ffi::SQLITE_OK
    }
    unsafe extern "C" fn shutdown(_: *mut c_void) {}

    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(malloc),
        xFree: Some(free),
        xRealloc: Some(realloc),
        xSize: Some(size),
        xRoundup: Some(roundup),
        xInit: Some(init),
        xShutdown: Some(shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: called before any SQLite use (first thing in `main`, one thread); SQLite copies `methods`, whose
    // functions are mimalloc's, which are thread-safe and return memory aligned for any type.
    unsafe {
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int);
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MALLOC, &methods as *const ffi::sqlite3_mem_methods);
    }
}
