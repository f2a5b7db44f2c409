//! File contents on disk: `<root>/<shard>/<key>`, where `root` is `[files] dir` (default `DATA_DIR/files`),
//! `key` is 32 random hex digits and `shard` its first two (so no directory grows past a few thousand entries
//! per million files). Several instances on one PostgreSQL database share `root` (a shared file system): keys
//! are random, so they never collide, and nothing here assumes one writer.
//!
//! [`write`] makes the content durable before anything refers to it: it writes `<key>.tmp` in the shard,
//! fsyncs it, renames it to `<key>` and fsyncs the shard directory, so after a crash a key is either absent or
//! complete. The caller records the key in the database afterwards and calls [`remove`] when that fails (a
//! crash in between leaves an unreferenced file, never a reference to a missing one). Stale `*.tmp` files of
//! an interrupted write are harmless and are removed by [`sweep_temp`] at start-up once they are an hour old
//! (a younger one may be another instance's write in progress); complete contents that no file row names (a
//! crash between the write and the commit) are removed by `files::sweep_orphans`, also after an hour.
//!
//! Failure modes: every I/O error is returned as `std::io::Error` naming the path; nothing panics. Keys are
//! checked to be hex before they become paths, so a stored key can never reach outside the files directory.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A content that has been written: its key and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub key: String,
    pub sha256: String,
    pub size: u64,
}

fn valid_key(key: &str) -> bool {
    key.len() >= 3 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The path of `key` under `root` (`None` for a key that is not one of ours).
pub fn path_of(root: &Path, key: &str) -> Option<PathBuf> {
    valid_key(key).then(|| root.join(&key[..2]).join(key))
}

fn io_at(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Write `content` durably under a new key (see the module note). Runs on the blocking pool.
pub async fn write(root: &Path, content: Vec<u8>) -> std::io::Result<Written> {
    let root = root.to_owned();
    tokio::task::spawn_blocking(move || write_sync(&root, &content))
        .await
        .map_err(|e| std::io::Error::other(format!("the file writer task failed: {e}")))?
}

fn write_sync(root: &Path, content: &[u8]) -> std::io::Result<Written> {
    let key = crate::domain::secret::hex_token(16);
    let dir = root.join(&key[..2]);
    std::fs::create_dir_all(&dir).map_err(|e| io_at(&dir, e))?;
    let tmp = dir.join(format!("{key}.tmp"));
    let done = dir.join(&key);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(|e| io_at(&tmp, e))?;
        f.write_all(content).map_err(|e| io_at(&tmp, e))?;
        f.sync_all().map_err(|e| io_at(&tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, &done).map_err(|e| io_at(&done, e))?;
        sync_dir(&dir)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(&done);
        return Err(e);
    }
    Ok(Written { key, sha256: hex::encode(Sha256::digest(content)), size: content.len() as u64 })
}

/// fsync a directory, so a rename in it survives a power cut (Unix; elsewhere directories cannot be synced).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io_at(dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Remove the content of `key` (an orphan whose transaction failed). A missing file is not an error.
pub async fn remove(root: &Path, key: &str) -> std::io::Result<()> {
    let Some(path) = path_of(root, key) else { return Ok(()) };
    match tokio::fs::remove_file(&path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_at(&path, e)),
    }
}

/// Remove the `*.tmp` leftovers of writes a crash interrupted that are older than `min_age`; returns how
/// many went.
pub fn sweep_temp(root: &Path, min_age: std::time::Duration) -> std::io::Result<usize> {
    let shards = match std::fs::read_dir(root) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io_at(root, e)),
    };
    let now = std::time::SystemTime::now();
    let mut n = 0;
    for shard in shards.flatten() {
        let Ok(entries) = std::fs::read_dir(shard.path()) else { continue };
        for e in entries.flatten() {
            if !e.file_name().to_string_lossy().ends_with(".tmp") {
                continue;
            }
            let age = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| now.duration_since(t).ok());
            if age.is_some_and(|a| a >= min_age) && std::fs::remove_file(e.path()).is_ok() {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// The keys of complete contents (not `*.tmp`) older than `min_age`, for [`super::files::sweep_orphans`].
pub fn keys_older_than(root: &Path, min_age: std::time::Duration) -> std::io::Result<Vec<String>> {
    let shards = match std::fs::read_dir(root) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_at(root, e)),
    };
    let now = std::time::SystemTime::now();
    let mut keys = Vec::new();
    for shard in shards.flatten() {
        let Ok(entries) = std::fs::read_dir(shard.path()) else { continue };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !valid_key(&name) || !name.starts_with(&*shard.file_name().to_string_lossy()) {
                continue;
            }
            let age = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| now.duration_since(t).ok());
            if age.is_some_and(|a| a >= min_age) {
                keys.push(name);
            }
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn write_read_remove() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("files");
        let w = write(&root, b"hello".to_vec()).await.unwrap();
        assert_eq!(w.size, 5);
        assert_eq!(w.sha256, hex::encode(Sha256::digest(b"hello")));
        let p = path_of(&root, &w.key).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        assert!(p.starts_with(root.join(&w.key[..2])));
        std::fs::write(p.with_extension("tmp"), b"partial").unwrap();
        assert_eq!(sweep_temp(&root, std::time::Duration::from_secs(3600)).unwrap(), 0, "young: maybe in progress");
        assert_eq!(sweep_temp(&root, std::time::Duration::ZERO).unwrap(), 1);
        assert!(p.exists(), "complete contents stay");
        remove(&root, &w.key).await.unwrap();
        assert!(!p.exists());
        remove(&root, &w.key).await.unwrap();
    }

    #[test]
    fn keys_stay_inside_the_files_directory() {
        let d = Path::new("/data/files");
        assert!(path_of(d, "../../etc/passwd").is_none());
        assert!(path_of(d, "ab/cd").is_none());
        assert!(path_of(d, "").is_none());
        assert_eq!(path_of(d, "abcdef").unwrap(), PathBuf::from("/data/files/ab/abcdef"));
    }
}
