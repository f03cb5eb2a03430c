//! The temporary folders `qunce diff` exports revisions into (under `$TMPDIR`): each holds a
//! lock while its run lives, is removed when the run ends — also on Ctrl-C or SIGTERM — and a
//! later run removes those of runs that were killed (their lock is free), the rule builds
//! follow for their own temporary folders.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Folder names start with this, so that a later run can find the leftovers.
const PREFIX: &str = "qunce-diff-";
/// The lock inside each folder, held while its run lives.
const LOCK: &str = ".qunce-lock";

/// Folders of this run, removed by the signal handler if the run is stopped.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Held while anything is written into a folder of this run; the signal handler takes it
/// (after setting [`STOPPING`]) before removing them, so nothing is written into a folder while
/// it goes, and nothing after.
static WRITING: Mutex<()> = Mutex::new(());
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Leave to write into this run's folders, or `None` once the run is being stopped.
pub fn writing() -> Option<std::sync::MutexGuard<'static, ()>> {
    let guard = WRITING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    (!STOPPING.load(std::sync::atomic::Ordering::SeqCst)).then_some(guard)
}

/// A folder of this run: removed when dropped, or by the signal handler.
pub struct ScratchDir {
    path: PathBuf,
    _lock: std::fs::File,
}

impl ScratchDir {
    /// Removes the leftovers of killed runs, then makes a new folder under `$TMPDIR`.
    pub fn new() -> Result<Self, String> {
        stop_cleanly();
        let _writing = writing().ok_or("stopped")?;
        let base = std::env::temp_dir();
        clean_stale(&base);
        let dir = tempfile::Builder::new()
            .prefix(PREFIX)
            .tempdir_in(&base)
            .map_err(|e| format!("cannot make a temporary folder: {e}"))?
            .keep();
        // Known to the signal handler from the moment it exists.
        if let Ok(mut live) = LIVE.lock() {
            live.push(dir.clone());
        }
        let lock = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(LOCK))
            .and_then(|f| f.lock().map(|()| f))
            .map_err(|e| format!("cannot lock {}: {e}", dir.display()))?;
        Ok(ScratchDir {
            path: dir,
            _lock: lock,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|p| p != &self.path);
        }
    }
}

/// On Ctrl-C or SIGTERM, this run's folders go before the process ends (exit 130).
fn stop_cleanly() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            STOPPING.store(true, std::sync::atomic::Ordering::SeqCst);
            // Whatever is being written finishes first; nothing starts after.
            let _writing = WRITING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Ok(live) = LIVE.lock() {
                for dir in live.iter() {
                    let _ = std::fs::remove_dir_all(dir);
                }
            }
            std::process::exit(130);
        });
    });
}

/// Removes the folders of runs that no longer hold their lock (killed with SIGKILL, a lost
/// machine). Only regular lock files are opened; a folder without one is left alone, since a
/// run makes its lock as its first act and may be between the two.
fn clean_stale(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(PREFIX)
            || !entry.file_type().is_ok_and(|t| t.is_dir())
        {
            continue;
        }
        let lock = entry.path().join(LOCK);
        let regular = std::fs::symlink_metadata(&lock).is_ok_and(|m| m.file_type().is_file());
        let free = regular && std::fs::File::open(&lock).is_ok_and(|f| f.try_lock().is_ok());
        if free {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_runs_folder_is_removed_and_a_live_one_kept() {
        let base = tempfile::tempdir().unwrap();
        // A killed run: its lock file is there, held by nobody.
        let dead = base.path().join(format!("{PREFIX}dead"));
        std::fs::create_dir_all(dead.join("data")).unwrap();
        std::fs::write(dead.join(LOCK), "").unwrap();
        // A live run: its lock is held.
        let live = base.path().join(format!("{PREFIX}live"));
        std::fs::create_dir_all(&live).unwrap();
        let held = std::fs::File::create(live.join(LOCK)).unwrap();
        held.lock().unwrap();
        // Not ours.
        let other = base.path().join("someone-else");
        std::fs::create_dir_all(&other).unwrap();
        clean_stale(base.path());
        assert!(!dead.exists());
        assert!(live.exists());
        assert!(other.exists());
    }
}
