//! Writing a file atomically, buffered: [`gzcm_atomic::AtomicFile`] (temporary file in the
//! target directory, fsync, rename, directory sync) behind a `BufWriter`.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use gzcm_atomic::AtomicError;

use crate::error::SinkError;

/// A file that appears under its name only when [`AtomicFile::finish`] succeeds; dropped
/// unfinished (an error, a panic, an interrupt), it leaves the target untouched.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<gzcm_atomic::AtomicFile>,
}

impl AtomicFile {
    /// Starts writing `path`. Refuses an existing `path` unless `overwrite`.
    ///
    /// # Errors
    /// [`SinkError::Exists`] when the target exists and `overwrite` is false;
    /// [`SinkError::Io`] when the temporary file cannot be created.
    pub fn create(path: &Path, overwrite: bool) -> Result<Self, SinkError> {
        let file = gzcm_atomic::AtomicFile::create(path, overwrite).map_err(sink_error)?;
        Ok(AtomicFile { path: path.to_owned(), writer: BufWriter::with_capacity(1 << 16, file) })
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
        let file = self.writer.into_inner().map_err(|e| SinkError::Io { path, source: e.into_error() })?;
        file.commit().map_err(sink_error)
    }
}

fn sink_error(error: AtomicError) -> SinkError {
    match error {
        AtomicError::Exists { path } => SinkError::Exists { path },
        AtomicError::Io { path, source, .. } => SinkError::Io { path, source },
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
