//! A `.gzcm` file named on the command line: a path or object-store URL, optionally with
//! cooler's `::/resolutions/R`, and `--resolution R` for multi-resolution files. Every command
//! that reads a file opens it here, so the rule is the same everywhere
//! ([`gzcm_container::open_resolution`]): a multi-resolution file read without a resolution is
//! an error that lists its resolutions.

use std::path::{Path, PathBuf};

use clap::Args;
use gzcm_container::{ContainerError, GzcmFile, Reader, ReaderOptions};

/// The file a command reads, and the resolution to read.
#[derive(Debug, Args)]
pub(crate) struct FileAt {
    /// The .gzcm file: a path or an object-store URL (s3://, gs://, az://, http(s)://);
    /// `FILE::/resolutions/R` names one resolution of a multi-resolution file.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// The resolution (bin size in bp) to read from a multi-resolution file (`gzcm info FILE`
    /// lists them); the same as `FILE::/resolutions/R`.
    #[arg(long, value_name = "R")]
    pub(crate) resolution: Option<u64>,
}

impl FileAt {
    /// The file as given (with its `::` part, if any), for messages.
    pub(crate) fn display(&self) -> std::path::Display<'_> {
        self.file.display()
    }

    /// The file itself, without a `::/resolutions/R` part (for the guard that an output is
    /// not the input).
    pub(crate) fn input_file(&self) -> &Path {
        self.file.to_str().map_or(self.file.as_path(), gzcm_convert::same_file::input_file)
    }

    /// Opens the file at the resolution asked for.
    pub(crate) fn reader(&self, allow_missing_codecs: bool) -> anyhow::Result<Reader> {
        let options = ReaderOptions::new().allow_missing_codecs(allow_missing_codecs);
        crate::remote::open(&self.file, self.resolution, options).map_err(|e| presented(&self.file, e))
    }

    /// Opens the file of either kind, with the resolution asked for (from `--resolution` or
    /// the `::` part), which the caller applies.
    pub(crate) fn file(&self, allow_missing_codecs: bool) -> anyhow::Result<(GzcmFile, Option<u64>)> {
        self.file_with(ReaderOptions::new().allow_missing_codecs(allow_missing_codecs))
    }

    /// [`FileAt::file`] with the reader options given.
    pub(crate) fn file_with(&self, options: ReaderOptions) -> anyhow::Result<(GzcmFile, Option<u64>)> {
        crate::remote::open_file(&self.file, self.resolution, options).map_err(|e| presented(&self.file, e))
    }
}

/// A container error as the command line shows it: errors that already name the file do not
/// repeat it.
pub(crate) fn presented(path: &Path, error: ContainerError) -> anyhow::Error {
    match error {
        ContainerError::Format { source, .. } => {
            anyhow::Error::new(source).context(format!("cannot open {}", path.display()))
        }
        error => anyhow::Error::new(error),
    }
}
