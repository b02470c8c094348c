//! Writing a file atomically: a temporary file in the target directory, fsync, rename.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::SinkError;

/// A file that appears under its name only when [`AtomicFile::finish`] succeeds; dropped
/// unfinished (an error, a panic, an interrupt), it leaves the target untouched.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    overwrite: bool,
    writer: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `path`. Refuses an existing `path` unless `overwrite`.
    ///
    /// # Errors
    /// [`SinkError::Exists`] when the target exists and `overwrite` is false;
    /// [`SinkError::Io`] when the temporary file cannot be created.
    pub fn create(path: &Path, overwrite: bool) -> Result<Self, SinkError> {
        if !overwrite && fs::symlink_metadata(path).is_ok() {
            return Err(SinkError::Exists { path: path.to_owned() });
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".gzcm-partial-");
        // Temporary files are private (0600); the finished output is an ordinary file.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let temp =
            builder.tempfile_in(dir).map_err(|source| SinkError::Io { path: path.to_owned(), source })?;
        Ok(AtomicFile { path: path.to_owned(), overwrite, writer: BufWriter::new(temp) })
    }

    /// The target path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file into place.
    ///
    /// # Errors
    /// [`SinkError::Io`] when flushing, syncing or renaming fails; [`SinkError::Exists`] when
    /// the target appeared meanwhile and `overwrite` is false.
    pub fn finish(self) -> Result<(), SinkError> {
        let path = self.path;
        let io_error = |source| SinkError::Io { path: path.clone(), source };
        let temp = self.writer.into_inner().map_err(|e| io_error(e.into_error()))?;
        temp.as_file().sync_all().map_err(io_error)?;
        let persisted = if self.overwrite { temp.persist(&path) } else { temp.persist_noclobber(&path) };
        persisted.map_err(|e| match e.error.kind() {
            io::ErrorKind::AlreadyExists => SinkError::Exists { path: path.clone() },
            _ => io_error(e.error),
        })?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}
