//! A `.gzcm` file of either kind ([`GzcmFile`]): told apart from its first bytes, read once;
//! and [`open_resolution`], the one rule for opening "this file at this resolution" that the
//! command line and Python follow.

use std::path::Path;
use std::sync::Arc;

use crate::error::{ContainerError, Result};
use crate::read::collection::Collection;
use crate::read::head::{collection_header, read_head};
use crate::read::reader::{Reader, ReaderOptions};
use crate::read::source::{ByteSource, MappedFile};

/// An open `.gzcm` file: a single-resolution file or a multi-resolution collection.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one value per open file, matched by callers as `Single(reader)`: boxing buys nothing"
)]
pub enum GzcmFile {
    /// A single-resolution file (versions 1–4).
    Single(Reader),
    /// A multi-resolution collection (version 5).
    Multi(Collection),
}

impl GzcmFile {
    /// Opens a local file of either kind with default options.
    ///
    /// # Errors
    /// As [`Reader::open`] for a single-resolution file, [`Collection::open`] for a collection.
    pub fn open(path: impl AsRef<Path>) -> Result<GzcmFile> {
        GzcmFile::open_with(path, ReaderOptions::default())
    }

    /// Opens a local file of either kind.
    ///
    /// # Errors
    /// As [`GzcmFile::open`].
    pub fn open_with(path: impl AsRef<Path>, options: ReaderOptions) -> Result<GzcmFile> {
        GzcmFile::open_source(Arc::new(MappedFile::open(path)?), options)
    }

    /// Opens the file `source` serves, of either kind; the first read tells them apart and
    /// is not repeated.
    ///
    /// # Errors
    /// As [`GzcmFile::open`].
    pub fn open_source(source: Arc<dyn ByteSource>, options: ReaderOptions) -> Result<GzcmFile> {
        let path = source.name().to_owned();
        let head = read_head(&*source).map_err(|e| ContainerError::io("read", &path, e))?;
        match collection_header(&path, &head, source.len())? {
            Some(header) => Ok(GzcmFile::Multi(Collection::with_header(source, head, header, options))),
            None => Reader::open_single(source, head, options).map(GzcmFile::Single),
        }
    }

    /// The resolutions the file holds, ascending: a collection's; a single file's bin size
    /// when it has a genome with fixed bins; none otherwise.
    #[must_use]
    pub fn resolutions(&self) -> Vec<u64> {
        match self {
            GzcmFile::Single(reader) => reader.resolution().into_iter().collect(),
            GzcmFile::Multi(collection) => collection.resolutions().to_vec(),
        }
    }

    /// The file's path (or URL).
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            GzcmFile::Single(reader) => reader.path(),
            GzcmFile::Multi(collection) => collection.path(),
        }
    }

    /// The reader of `resolution` (see [`open_resolution`] for the rule).
    ///
    /// # Errors
    /// As [`open_resolution`].
    pub fn into_reader(self, resolution: Option<u64>) -> Result<Reader> {
        match (self, resolution) {
            (GzcmFile::Multi(collection), Some(resolution)) => collection.reader(resolution),
            (GzcmFile::Multi(collection), None) => Err(ContainerError::ResolutionRequired {
                path: collection.path().to_owned(),
                available: collection.resolutions().to_vec(),
            }),
            (GzcmFile::Single(reader), None) => Ok(reader),
            (GzcmFile::Single(reader), Some(asked)) => match reader.resolution() {
                Some(found) if found == asked => Ok(reader),
                found => Err(ContainerError::ResolutionNotFound {
                    path: reader.path().to_owned(),
                    asked,
                    available: found.into_iter().collect(),
                }),
            },
        }
    }
}

/// Opens `path` at `resolution`, whatever kind of file it is: the rule every front end follows.
///
/// - a collection with `Some(R)` opens its member of resolution R; with `None` it is
///   [`ContainerError::ResolutionRequired`], listing the resolutions (never a silent pick);
/// - a single-resolution file with `None` opens as it is; with `Some(R)` it opens when R is its
///   bin size, else it is [`ContainerError::ResolutionNotFound`] (also for a file without a
///   genome of fixed bins, which holds no resolution).
///
/// `path` is a file path; split `FILE::/resolutions/R` with
/// [`split_resolution`](crate::resolution_uri::split_resolution) first.
///
/// # Errors
/// The errors above, and those of [`GzcmFile::open`] and [`Collection::reader`].
pub fn open_resolution(
    path: impl AsRef<Path>,
    resolution: Option<u64>,
    options: ReaderOptions,
) -> Result<Reader> {
    GzcmFile::open_with(path, options)?.into_reader(resolution)
}

/// [`open_resolution`] for the file `source` serves (a remote object, an in-memory file).
///
/// # Errors
/// As [`open_resolution`].
pub fn open_source_resolution(
    source: Arc<dyn ByteSource>,
    resolution: Option<u64>,
    options: ReaderOptions,
) -> Result<Reader> {
    GzcmFile::open_source(source, options)?.into_reader(resolution)
}
