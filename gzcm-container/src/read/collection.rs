//! An open multi-resolution file ([`Collection`], format revision collection-1): its header and
//! table are read and validated once at open and kept; each resolution opens as a
//! [`Reader`] over the member's bytes, fetching the member's structure with at most one
//! request (none when the first read already holds it).

use std::path::Path;
use std::sync::Arc;

use gzcm_genome::Genome;

use crate::error::{ContainerError, Result};
use crate::format::collection::member::MemberContext;
use crate::format::collection::{ChromSize, CollectionHeader, ResolutionEntry};
use crate::read::head::{read_head, require_collection};
use crate::read::member::MemberSource;
use crate::read::reader::{Reader, ReaderOptions};
use crate::read::source::{ByteSource, MappedFile, Pieces};
use crate::read::verify::VerifyReport;

/// An open multi-resolution `.gzcm` file: one genome, one single-resolution member per
/// resolution. `Send + Sync`; [`Collection::reader`] opens a resolution (each call opens it
/// anew: keep the [`Reader`] to reuse its tile cache).
#[derive(Debug)]
pub struct Collection {
    source: Arc<dyn ByteSource>,
    /// What the open read first (the whole file for a memory map).
    head: Pieces,
    header: CollectionHeader,
    resolutions: Vec<u64>,
    options: ReaderOptions,
}

/// One member's verification in a [`CollectionReport`].
#[derive(Debug)]
#[non_exhaustive]
pub struct MemberReport {
    /// The member's resolution.
    pub resolution: u64,
    /// Its tiles and file checks, its trailer against the collection's table included.
    pub report: VerifyReport,
}

/// The result of [`Collection::verify`].
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct CollectionReport {
    /// Every member that opened, ascending by resolution.
    pub members: Vec<MemberReport>,
    /// Members that failed to open (their structure contradicts the table or is damaged).
    pub failures: Vec<ContainerError>,
}

impl CollectionReport {
    /// Whether every member opened and passed.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty() && self.members.iter().all(|m| m.report.is_ok())
    }

    /// Tiles checked across the members.
    #[must_use]
    pub fn tiles_checked(&self) -> u64 {
        self.members.iter().map(|m| m.report.tiles_checked).sum()
    }

    /// Tile groups checked in all resolutions.
    #[must_use]
    pub fn tile_groups_checked(&self) -> u64 {
        self.members.iter().map(|m| m.report.tile_groups_checked).sum()
    }
}

impl Collection {
    /// Opens a local multi-resolution file with default options.
    ///
    /// # Errors
    /// [`ContainerError::Io`] when it cannot be read, [`ContainerError::NotACollection`] for a
    /// single-resolution file, [`ContainerError::Format`] for a damaged collection header or
    /// table ([`FormatError::Collection`](crate::FormatError::Collection)).
    pub fn open(path: impl AsRef<Path>) -> Result<Collection> {
        Collection::open_with(path, ReaderOptions::default())
    }

    /// Opens a local multi-resolution file; `options` apply to every resolution opened.
    ///
    /// # Errors
    /// As [`Collection::open`].
    pub fn open_with(path: impl AsRef<Path>, options: ReaderOptions) -> Result<Collection> {
        Collection::open_source(Arc::new(MappedFile::open(path)?), options)
    }

    /// Opens the multi-resolution file `source` serves: one read of its first
    /// [`ByteSource::first_read_bytes`] (more only when the header is larger).
    ///
    /// # Errors
    /// As [`Collection::open`].
    pub fn open_source(source: Arc<dyn ByteSource>, options: ReaderOptions) -> Result<Collection> {
        let path = source.name().to_owned();
        let head = read_head(&*source).map_err(|e| ContainerError::io("read", &path, e))?;
        Collection::from_head(source, head, options)
    }

    /// The collection `source` serves, whose first bytes `head` holds.
    fn from_head(source: Arc<dyn ByteSource>, head: Pieces, options: ReaderOptions) -> Result<Collection> {
        let path = source.name().to_owned();
        let header = require_collection(&path, &head, source.len())?;
        Ok(Collection::with_header(source, head, header, options))
    }

    /// The collection `source` serves, whose first bytes `head` hold the validated `header`.
    pub(crate) fn with_header(
        source: Arc<dyn ByteSource>,
        head: Pieces,
        header: CollectionHeader,
        options: ReaderOptions,
    ) -> Collection {
        let resolutions = header.resolution_list();
        Collection { source, head, header, resolutions, options }
    }

    /// The file's path (or URL).
    #[must_use]
    pub fn path(&self) -> &Path {
        self.source.name()
    }

    /// Where the bytes come from.
    #[must_use]
    pub fn source(&self) -> &dyn ByteSource {
        &*self.source
    }

    /// The resolutions (bin sizes in bp), ascending.
    #[must_use]
    pub fn resolutions(&self) -> &[u64] {
        &self.resolutions
    }

    /// The table: where each member is, with its trailer's checksums.
    #[must_use]
    pub fn entries(&self) -> &[ResolutionEntry] {
        &self.header.resolutions
    }

    /// The whole collection header.
    #[must_use]
    pub fn header(&self) -> &CollectionHeader {
        &self.header
    }

    /// The genome assembly, when known.
    #[must_use]
    pub fn assembly(&self) -> Option<&str> {
        self.header.genome.assembly.as_deref()
    }

    /// The chromosomes (names and lengths), in bin order.
    #[must_use]
    pub fn chroms(&self) -> &[ChromSize] {
        &self.header.genome.chroms
    }

    /// The genome at `resolution`: chromosome bin ranges, assembly, no weights (a member's
    /// [`Reader::genome`] has its weights).
    ///
    /// # Errors
    /// [`ContainerError::ResolutionNotFound`] for a resolution the collection does not hold.
    pub fn genome_at(&self, resolution: u64) -> Result<Genome> {
        let entry = self.entry(resolution)?;
        MemberContext::new(entry, &self.header.genome)
            .map(|member| member.genome().clone())
            .map_err(|e| ContainerError::format(self.path(), e.into()))
    }

    fn entry(&self, resolution: u64) -> Result<&ResolutionEntry> {
        self.header.entry(resolution).ok_or_else(|| ContainerError::ResolutionNotFound {
            path: self.path().to_owned(),
            asked: resolution,
            available: self.resolutions.clone(),
        })
    }

    /// Opens the member of `resolution` as a [`Reader`] (named `FILE::/resolutions/R` in
    /// messages). Its structure is fetched with one request unless the first read holds it;
    /// its trailer is not fetched (the table holds its values; [`Reader::verify`] checks it).
    ///
    /// # Errors
    /// [`ContainerError::ResolutionNotFound`]; [`ContainerError::Io`] when the source fails;
    /// [`ContainerError::Format`] when the member is damaged or contradicts the table (e.g.
    /// [`CollectionError::MemberGenome`](crate::CollectionError::MemberGenome)); the errors of
    /// [`Reader::open`].
    pub fn reader(&self, resolution: u64) -> Result<Reader> {
        let entry = self.entry(resolution)?;
        let member = MemberContext::new(entry, &self.header.genome)
            .map_err(|e| ContainerError::format(self.path(), e.into()))?;
        let source = MemberSource::new(Arc::clone(&self.source), resolution, entry.offset, entry.length);
        let structure = entry.offset..entry.offset + entry.structure_bytes;
        let view = match (source.whole(), self.head.bytes(&structure)) {
            (Some(whole), _) => Pieces::whole(whole.clone()),
            (None, Some(held)) => Pieces::whole(held),
            (None, None) => Pieces::fetch(&source, std::slice::from_ref(&(0..entry.structure_bytes)), 0)
                .map_err(|e| ContainerError::io("read", source.name(), e))?,
        };
        Reader::open_member(Arc::new(source), view, member, self.options.clone())
    }

    /// Opens and verifies every member ([`Reader::verify`]: every tile decoded and checked,
    /// each member's trailer against the table).
    #[must_use]
    pub fn verify(&self) -> CollectionReport {
        let mut report = CollectionReport::default();
        for &resolution in &self.resolutions {
            match self.reader(resolution) {
                Ok(reader) => report.members.push(MemberReport { resolution, report: reader.verify() }),
                Err(error) => report.failures.push(error),
            }
        }
        report
    }
}
