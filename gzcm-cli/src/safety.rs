//! Removing this process's hidden temporary files and scratch directories when SIGINT, SIGTERM
//! or SIGHUP arrives (the other guard around writing outputs, refusing to write over an input,
//! is `gzcm_convert::refuse_same_file`, shared with the Python package).
//!
//! Temporaries are recognised by name (`.NAME.XXXXXX.tmp`, `.tiles`, `.run` from the container
//! writer; `.gzcm-partial-XXXXXX` from `extract`) *and* by being open in this process (Linux
//! lists them in `/proc/self/fd`), so a cleanup never touches another run's files.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Signals after which temporaries are removed and the process exits with 128 + the signal.
const CLEANUP_SIGNALS: [i32; 3] =
    [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP];

/// Scratch directories this process has made and not yet removed.
static SCRATCH_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary directory for this process's own work (e.g. the local copy of an upload): removed
/// with its contents when dropped, and by the signal cleanup when the process is interrupted.
#[derive(Debug)]
pub(crate) struct ScratchDir {
    dir: tempfile::TempDir,
}

impl ScratchDir {
    /// A new directory `PREFIX…` in the system's temporary directory (`$TMPDIR`).
    pub(crate) fn new(prefix: &str) -> std::io::Result<ScratchDir> {
        let dir = tempfile::Builder::new().prefix(prefix).tempdir()?;
        SCRATCH_DIRS.lock().unwrap_or_else(PoisonError::into_inner).push(dir.path().to_owned());
        Ok(ScratchDir { dir })
    }

    /// Where it is.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // `TempDir`'s own drop removes the directory.
        SCRATCH_DIRS.lock().unwrap_or_else(PoisonError::into_inner).retain(|d| d != self.dir.path());
    }
}

/// Whether `name` is one of the hidden temporaries gzcm writes next to an output.
pub(crate) fn is_temporary_name(name: &str) -> bool {
    name.starts_with(".gzcm-partial-")
        || (name.starts_with('.') && [".tmp", ".tiles", ".run"].iter().any(|s| name.ends_with(s)))
}

/// Starts a thread that, on SIGINT, SIGTERM or SIGHUP, removes the temporaries this process
/// holds open and its [`ScratchDir`]s, and exits with 128 + the signal number.
pub(crate) fn clean_up_on_signals() -> anyhow::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new(CLEANUP_SIGNALS)?;
    std::thread::Builder::new().name("gzcm-signals".to_owned()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            for path in open_temporaries() {
                let _ = std::fs::remove_file(path);
            }
            for dir in SCRATCH_DIRS.lock().unwrap_or_else(PoisonError::into_inner).iter() {
                let _ = std::fs::remove_dir_all(dir);
            }
            std::process::exit(128 + signal);
        }
    })?;
    Ok(())
}

/// The temporaries this process has open (Linux; elsewhere none are found).
fn open_temporaries() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter(|target| target.file_name().and_then(|n| n.to_str()).is_some_and(is_temporary_name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised() {
        for name in [".m.gzcm.Ab12cd.tmp", ".m.gzcm.x.tiles", ".m.gzcm.y.run", ".gzcm-partial-Zz9"] {
            assert!(is_temporary_name(name), "{name}");
        }
        for name in ["m.gzcm", "run", "m.tmp", ".bashrc"] {
            assert!(!is_temporary_name(name), "{name}");
        }
    }
}
