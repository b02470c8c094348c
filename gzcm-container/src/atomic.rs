//! Atomic output (SPEC §2): write to a temporary file in the target directory, fsync, rename.
//!
//! A reader never sees a half-written file, an existing output survives unless overwriting was
//! asked for, and a writer that fails or is dropped removes its temporary file (the
//! `tempfile` crate deletes it on drop).

use std::fs::File;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{ContainerError, Result};

/// An output file being written under a temporary name next to its final path.
#[derive(Debug)]
pub(crate) struct AtomicFile {
    temp: NamedTempFile,
    target: PathBuf,
    overwrite: bool,
}

impl AtomicFile {
    /// Creates the temporary file; fails early when `target` exists and `overwrite` is off.
    pub(crate) fn create(target: &Path, overwrite: bool) -> Result<Self> {
        if !overwrite && target.exists() {
            return Err(ContainerError::OutputExists { path: target.to_owned() });
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
                .map_err(|e| ContainerError::io("set permissions of", temp.path(), e))?;
        }
        Ok(AtomicFile { temp, target: target.to_owned(), overwrite })
    }

    /// The open temporary file.
    pub(crate) fn file(&self) -> &File {
        self.temp.as_file()
    }

    /// The target path.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes to disk and renames onto the target (refusing to replace it unless overwriting).
    pub(crate) fn commit(self) -> Result<()> {
        let target = self.target;
        self.temp.as_file().sync_all().map_err(|e| ContainerError::io("sync", &target, e))?;
        let persisted =
            if self.overwrite { self.temp.persist(&target) } else { self.temp.persist_noclobber(&target) };
        persisted.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                ContainerError::OutputExists { path: target.clone() }
            } else {
                ContainerError::io("rename onto", &target, e.error)
            }
        })?;
        sync_parent(&target);
        Ok(())
    }
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

/// A temporary file in `target`'s directory, named after it (deleted on drop).
pub(crate) fn temp_in(target: &Path, suffix: &str) -> Result<NamedTempFile> {
    let dir = parent_dir(target);
    let stem = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(suffix)
        .tempfile_in(&dir)
        .map_err(|e| ContainerError::io("create a temporary file in", dir, e))
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
    use std::io::Write;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

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
        file.temp.write_all(b"partial").unwrap();
        drop(file);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn existing_output_is_kept_unless_overwriting() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.gzcm");
        std::fs::write(&out, b"old").unwrap();
        assert!(matches!(AtomicFile::create(&out, false), Err(ContainerError::OutputExists { .. })));
        let mut file = AtomicFile::create(&out, true).unwrap();
        file.temp.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        assert_eq!(entries(dir.path()), ["m.gzcm"]);
    }

    #[test]
    fn a_racing_output_is_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.gzcm");
        let file = AtomicFile::create(&out, false).unwrap();
        std::fs::write(&out, b"theirs").unwrap();
        assert!(matches!(file.commit(), Err(ContainerError::OutputExists { .. })));
        assert_eq!(std::fs::read(&out).unwrap(), b"theirs");
    }
}
