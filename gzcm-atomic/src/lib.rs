//! Atomic output (SPEC §2): write to a temporary file in the target directory, fsync, rename,
//! fsync the directory.
//!
//! A reader never sees a half-written file, an existing output survives unless overwriting was
//! asked for, and a writer that fails or is dropped removes its temporary file (the `tempfile`
//! crate deletes it on drop). The finished file gets the permissions of any file the user
//! creates (`0o666` less the umask), not the temporary file's private `0o600`.
//!
//! The container's writer and `gzcm-io`'s sinks both write through [`AtomicFile`].

#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Why an atomic write failed.
#[derive(Debug, thiserror::Error)]
pub enum AtomicError {
    /// The output exists and overwriting was not asked for (or it appeared meanwhile).
    #[error("`{}` already exists; remove it or ask for overwrite", path.display())]
    Exists {
        /// The output path.
        path: PathBuf,
    },
    /// An operating-system error on a path.
    #[error("could not {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done (`create a temporary file in`, `sync`, `rename onto`, …).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
}

/// An output file being written under a temporary name next to its final path; it appears
/// under that path only when [`AtomicFile::commit`] succeeds.
#[derive(Debug)]
pub struct AtomicFile {
    temp: NamedTempFile,
    target: PathBuf,
    overwrite: bool,
}

impl AtomicFile {
    /// Creates the temporary file; fails early when `target` exists (a dangling symlink
    /// included) and `overwrite` is off.
    ///
    /// # Errors
    /// [`AtomicError::Exists`]; [`AtomicError::Io`] when the temporary file cannot be created
    /// or given its final permissions.
    pub fn create(target: &Path, overwrite: bool) -> Result<Self, AtomicError> {
        if !overwrite && std::fs::symlink_metadata(target).is_ok() {
            return Err(AtomicError::Exists { path: target.to_owned() });
        }
        let temp = temp_in(target, ".tmp")?;
        // Temporary files are private (0600); the finished output is an ordinary file, readable
        // as any file the user creates (the umask applies as usual through `open`'s mode).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = 0o666 & !current_umask();
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(|source| io_error("set permissions of", temp.path(), source))?;
        }
        Ok(AtomicFile { temp, target: target.to_owned(), overwrite })
    }

    /// The open temporary file.
    #[must_use]
    pub fn file(&self) -> &File {
        self.temp.as_file()
    }

    /// The temporary file's path, for writers that must open the file themselves (e.g. an
    /// HDF5 library that reopens it to edit in place); it is renamed onto the target on commit.
    #[must_use]
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// The target path.
    #[must_use]
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes to disk, renames onto the target (refusing to replace it unless overwriting),
    /// and syncs the directory so the rename is durable.
    ///
    /// # Errors
    /// [`AtomicError::Io`] when syncing or renaming fails; [`AtomicError::Exists`] when the
    /// target appeared meanwhile and overwriting is off.
    pub fn commit(self) -> Result<(), AtomicError> {
        let target = self.target;
        self.temp.as_file().sync_all().map_err(|source| io_error("sync", &target, source))?;
        let persisted =
            if self.overwrite { self.temp.persist(&target) } else { self.temp.persist_noclobber(&target) };
        persisted.map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                AtomicError::Exists { path: target.clone() }
            } else {
                io_error("rename onto", &target, e.error)
            }
        })?;
        sync_parent(&target);
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// A temporary file in `target`'s directory, named after it (deleted on drop): for output
/// in progress and for scratch files that belong next to it.
///
/// # Errors
/// [`AtomicError::Io`] when the directory cannot hold a new file.
pub fn temp_in(target: &Path, suffix: &str) -> Result<NamedTempFile, AtomicError> {
    let dir = parent_dir(target);
    let stem = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(suffix)
        .tempfile_in(&dir)
        .map_err(|source| io_error("create a temporary file in", &dir, source))
}

fn io_error(action: &'static str, path: &Path, source: io::Error) -> AtomicError {
    AtomicError::Io { action, path: path.to_owned(), source }
}

/// The process umask as Linux reports it in `/proc/self/status` (reading it through `umask(2)`
/// would briefly change it for every thread); elsewhere the common 022 is assumed.
#[cfg(unix)]
fn current_umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| line.strip_prefix("Umask:").map(|v| v.trim().to_owned()))
        })
        .and_then(|octal| u32::from_str_radix(&octal, 8).ok())
        .unwrap_or(0o022)
}

fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Makes the rename durable. Best effort: not every platform can open a directory.
fn sync_parent(target: &Path) {
    if let Ok(dir) = File::open(parent_dir(target)) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_test_support::dir_entries as entries;

    #[test]
    #[cfg(unix)]
    fn finished_output_is_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.gzcm");
        AtomicFile::create(&target, false).unwrap().commit().unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !current_umask(), "{mode:o}");
    }

    #[test]
    fn dropped_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.gzcm");
        let mut file = AtomicFile::create(&out, false).unwrap();
        file.write_all(b"partial").unwrap();
        drop(file);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn existing_output_is_kept_unless_overwriting() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.gzcm");
        std::fs::write(&out, b"old").unwrap();
        assert!(matches!(AtomicFile::create(&out, false), Err(AtomicError::Exists { .. })));
        let mut file = AtomicFile::create(&out, true).unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        assert_eq!(entries(dir.path()), ["m.gzcm"]);
    }

    #[test]
    #[cfg(unix)]
    fn a_dangling_symlink_counts_as_an_existing_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.gzcm");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &out).unwrap();
        assert!(matches!(AtomicFile::create(&out, false), Err(AtomicError::Exists { .. })));
    }

    #[test]
    fn a_racing_output_is_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.gzcm");
        let file = AtomicFile::create(&out, false).unwrap();
        std::fs::write(&out, b"theirs").unwrap();
        assert!(matches!(file.commit(), Err(AtomicError::Exists { .. })));
        assert_eq!(std::fs::read(&out).unwrap(), b"theirs");
    }

    #[test]
    fn scratch_files_sit_next_to_the_target_and_vanish_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let scratch = temp_in(&dir.path().join("m.gzcm"), ".spill").unwrap();
        let name = scratch.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".m.gzcm.") && name.ends_with(".spill"), "{name}");
        drop(scratch);
        assert!(entries(dir.path()).is_empty());
    }
}
