//! Removing this process's hidden temporary files and scratch directories when SIGINT, SIGTERM
//! or SIGHUP arrives (the other guard around writing outputs, refusing to write over an input,
//! is `gzcm_convert::refuse_same_file`, shared with the Python package).
//!
//! Temporaries are recognised by name (`.NAME.XXXXXX.tmp`, `.tiles`, `.run` from the container
//! writer; `.gzcm-partial-XXXXXX` from `extract`; the scratch directory
//! `.NAME.XXXXXX.resolutions` of a multi-resolution writer) *and* by being open or mapped in
//! this process (Linux lists them in `/proc/self/fd` and `/proc/self/maps`), so a cleanup never
//! touches another run's files.

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
            let (files, dirs) = open_temporaries();
            for path in files {
                let _ = std::fs::remove_file(path);
            }
            for dir in dirs {
                let _ = std::fs::remove_dir_all(dir);
            }
            for dir in SCRATCH_DIRS.lock().unwrap_or_else(PoisonError::into_inner).iter() {
                let _ = std::fs::remove_dir_all(dir);
            }
            std::process::exit(128 + signal);
        }
    })?;
    Ok(())
}

/// Whether `name` is the hidden scratch directory of a multi-resolution writer
/// (`gzcm_container::CollectionWriter`), which holds each resolution's file until assembly.
pub(crate) fn is_scratch_dir_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".resolutions")
}

/// The temporary files this process has open, and the multi-resolution scratch directories it
/// has open or that hold a file it has open or mapped (Linux; elsewhere none are found).
fn open_temporaries() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let open = std::fs::read_dir("/proc/self/fd")
        .into_iter()
        .flatten()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok());
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    // A mapped file's path is the last field of its line (paths with spaces are rare here; a
    // partial path matches no scratch directory and is skipped).
    let mapped =
        maps.lines().filter_map(|line| line.split_whitespace().last()).filter(|p| p.starts_with('/'));
    let held: Vec<PathBuf> = open.chain(mapped.map(PathBuf::from)).collect();
    let named =
        |path: &Path, test: fn(&str) -> bool| path.file_name().and_then(|n| n.to_str()).is_some_and(test);
    let files = held.iter().filter(|path| named(path, is_temporary_name)).cloned().collect();
    // A multi-resolution writer holds its scratch directory itself open, and files in it.
    let mut dirs: Vec<PathBuf> = held
        .iter()
        .flat_map(|path| [Some(path.as_path()), path.parent()])
        .flatten()
        .filter(|dir| named(dir, is_scratch_dir_name))
        .map(Path::to_owned)
        .collect();
    dirs.sort();
    dirs.dedup();
    (files, dirs)
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
        assert!(is_scratch_dir_name(".m.gzcm.Ab12cd.resolutions"));
        for name in ["resolutions", "m.resolutions", ".m.gzcm.tmp"] {
            assert!(!is_scratch_dir_name(name), "{name}");
        }
    }
}
