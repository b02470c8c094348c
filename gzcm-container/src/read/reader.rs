//! The random-access reader: `open` reads the file's structure (preamble, header, index,
//! genome blocks, trailer) through a [`ByteSource`] — a memory map, or ranged requests to an
//! object store — and validates it before anything else touches it. Tiles are then served by
//! the reader's [`TileFetcher`] (cached, mirrored below the diagonal of symmetric files, zeros
//! where no tile is stored; SPEC §1), windows by [`window`](crate::read::window), whole-file
//! checks by [`FileCheck`].

use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use gzcm_core::{Dtype, Registry, ShapeSource, TileData};

use crate::error::{ContainerError, Result};
use crate::format::collection::member::MemberContext;
use crate::format::genome::StoredExpected;
use crate::format::header::{Header, IndexArray, Layout};
use crate::format::integrity::{Checks, TRAILER_BYTES};
use crate::format::storage;
use crate::format::structure::Structure;
use crate::read::cache::{CacheStats, DEFAULT_CACHE_BYTES};
use crate::read::fetch::{FetchOptions, TileEntry, TileFetcher};
use crate::read::head::{collection_header, first_bytes, read_head};
use crate::read::source::{ByteSource, MappedFile, Pieces};
use crate::read::verify::{FileCheck, Info, VerifyReport};
use crate::read::window;
use crate::registry::default_registry;
use gzcm_genome::{Genome, WeightMeaning};

/// Ranges needed at open that lie this close together are fetched with one request.
const OPEN_COALESCE_GAP: u64 = 1 << 20;

/// Default [`ReaderOptions::coalesce_gap`]: tiles at most 16 KiB apart are fetched together.
pub const DEFAULT_COALESCE_GAP: u64 = 16 << 10;

/// Options of [`Reader::open_with`].
#[derive(Clone, Debug)]
#[must_use]
pub struct ReaderOptions {
    cache_bytes: usize,
    verify_crc: bool,
    registry: Option<Arc<Registry>>,
    allow_missing_codecs: bool,
    coalesce_gap: u64,
    decode_threads: Option<usize>,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            cache_bytes: DEFAULT_CACHE_BYTES,
            verify_crc: true,
            registry: None,
            allow_missing_codecs: false,
            coalesce_gap: DEFAULT_COALESCE_GAP,
            decode_threads: None,
        }
    }
}

impl ReaderOptions {
    /// Default options: 256 MiB cache, crc32c checked on every read, process-wide registry.
    pub fn new() -> Self {
        ReaderOptions::default()
    }

    /// Bytes of decoded tiles to cache; 0 disables the cache.
    pub fn cache_bytes(mut self, bytes: usize) -> Self {
        self.cache_bytes = bytes;
        self
    }

    /// Whether to check each stored tile's crc32c when it is read from the file (default on).
    pub fn verify_crc(mut self, verify: bool) -> Self {
        self.verify_crc = verify;
        self
    }

    /// The registry to find codecs in (default: a snapshot of the process-wide registry).
    pub fn registry(mut self, registry: Arc<Registry>) -> Self {
        self.registry = Some(registry);
        self
    }

    /// Open files whose codecs are not registered (for `info`); reading such a tile fails
    /// with the unknown-codec error. Default off: `open` fails.
    pub fn allow_missing_codecs(mut self, allow: bool) -> Self {
        self.allow_missing_codecs = allow;
        self
    }

    /// Tiles whose stored bytes lie at most this many bytes apart are fetched with one request
    /// (the bytes between are read and ignored). Default [`DEFAULT_COALESCE_GAP`]; it matters
    /// only for remote sources.
    pub fn coalesce_gap(mut self, bytes: u64) -> Self {
        self.coalesce_gap = bytes;
        self
    }

    /// Threads that decode a window's missing tiles (default: the available parallelism;
    /// 1 decodes on the calling thread).
    pub fn decode_threads(mut self, threads: usize) -> Self {
        self.decode_threads = Some(threads.max(1));
        self
    }
}

/// An open `.gzcm` file. `Send + Sync`: share it (e.g. in an `Arc`) across threads.
#[derive(Debug)]
pub struct Reader {
    header: Header,
    layout: Layout,
    checks: Checks,
    data_offset: u64,
    genome: Option<Genome>,
    /// Stored cis expected tables, checked at open.
    expected: Vec<StoredExpected>,
    tiles: TileFetcher,
    /// What the collection's table says of the file, when it is a collection's member.
    member: Option<MemberContext>,
}

impl Reader {
    /// Opens and validates a file with default options.
    ///
    /// # Errors
    /// [`ContainerError::Io`] when the file cannot be opened or mapped,
    /// [`ContainerError::Format`] for any malformed byte, [`ContainerError::Registry`] for a
    /// codec that is not registered, [`ContainerError::CodecSetup`] for a wire-format mismatch.
    pub fn open(path: impl AsRef<Path>) -> Result<Reader> {
        Reader::open_with(path, ReaderOptions::default())
    }

    /// Opens and validates a file.
    ///
    /// # Errors
    /// As [`Reader::open`].
    pub fn open_with(path: impl AsRef<Path>, options: ReaderOptions) -> Result<Reader> {
        Reader::open_source(Arc::new(MappedFile::open(path)?), options)
    }

    /// Opens and validates the file `source` serves (a local map or a remote object). A remote
    /// source is read with at most two rounds of requests: the first
    /// [`ByteSource::first_read_bytes`] bytes, then whatever of the index, genome blocks and
    /// trailer they do not hold (ranges within 1 MiB of each other in one request).
    ///
    /// # Errors
    /// As [`Reader::open`]; [`ContainerError::Io`] when the source fails;
    /// [`ContainerError::ResolutionRequired`] for a multi-resolution collection (open one of
    /// its resolutions with [`Collection`](crate::Collection) or
    /// [`open_resolution`](crate::open_resolution)).
    pub fn open_source(source: Arc<dyn ByteSource>, options: ReaderOptions) -> Result<Reader> {
        let path = source.name().to_owned();
        let head = read_head(&*source).map_err(|e| ContainerError::io("read", &path, e))?;
        if let Some(collection) = collection_header(&path, &head, source.len())? {
            return Err(ContainerError::ResolutionRequired { path, available: collection.resolution_list() });
        }
        Reader::open_single(source, head, options)
    }

    /// Opens the single-resolution file `source` serves, of which `head` holds the first bytes.
    pub(crate) fn open_single(
        source: Arc<dyn ByteSource>,
        head: Pieces,
        options: ReaderOptions,
    ) -> Result<Reader> {
        let mut view = head;
        if source.whole().is_none() {
            read_structure(&*source, &mut view).map_err(|e| ContainerError::io("read", source.name(), e))?;
        }
        Reader::assemble(source, view, None, options)
    }

    /// Opens a collection's member: `source` serves the member's bytes, `view` holds its
    /// structure (`member.structure_bytes` from its start), `member` is what the collection's
    /// table says of it.
    pub(crate) fn open_member(
        source: Arc<dyn ByteSource>,
        view: Pieces,
        member: MemberContext,
        options: ReaderOptions,
    ) -> Result<Reader> {
        Reader::assemble(source, view, Some(member), options)
    }

    fn assemble(
        source: Arc<dyn ByteSource>,
        view: Pieces,
        member: Option<MemberContext>,
        options: ReaderOptions,
    ) -> Result<Reader> {
        let path = source.name().to_owned();
        let head = first_bytes(&view);
        let structure = Structure::parse(head, &view, source.len(), member.as_ref())
            .map_err(|e| ContainerError::format(&path, e))?;
        let Structure { header, layout, checks, data_offset, storage, genome, expected } = structure;
        let registry = options.registry.unwrap_or_else(default_registry);
        let decode_threads = options
            .decode_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
        let shape_source =
            header.arrays.tile_index.as_ref().map_or(ShapeSource::Header, IndexArray::shape_source);
        let fetch = FetchOptions {
            cache_bytes: options.cache_bytes,
            verify_crc: options.verify_crc,
            coalesce_gap: options.coalesce_gap,
            decode_threads,
        };
        let tiles = TileFetcher::new(
            source,
            view,
            storage,
            &layout,
            shape_source,
            registry,
            options.allow_missing_codecs,
            fetch,
        )?;
        Ok(Reader { header, layout, checks, data_offset, genome, expected, tiles, member })
    }

    /// The parsed header.
    #[must_use]
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Format version (1..=4).
    #[must_use]
    pub fn version(&self) -> u32 {
        self.layout.version
    }

    /// Cell type.
    #[must_use]
    pub fn dtype(&self) -> Dtype {
        self.layout.dtype
    }

    /// `(rows, cols)` of the matrix.
    #[must_use]
    pub fn shape(&self) -> (u64, u64) {
        (self.layout.grid.rows(), self.layout.grid.cols())
    }

    /// Tile edge `T`.
    #[must_use]
    pub fn tile_size(&self) -> u32 {
        self.layout.grid.tile_size()
    }

    /// `(n_tile_rows, n_tile_cols)`.
    #[must_use]
    pub fn tile_grid(&self) -> (u32, u32) {
        self.layout.grid.dims()
    }

    /// Whether the file stores a symmetric matrix.
    #[must_use]
    pub fn symmetric(&self) -> bool {
        self.layout.symmetric
    }

    /// Genomic coordinates and weights, when the file has them (docs/format.md, "Genome
    /// extension"); validated at open.
    #[must_use]
    pub fn genome(&self) -> Option<&Genome> {
        self.genome.as_ref()
    }

    /// The bin size when the file has a genome with fixed bins: its resolution, as
    /// [`GzcmFile::resolutions`](crate::GzcmFile::resolutions) and
    /// [`open_resolution`](crate::open_resolution) know it. `None` without a genome or with
    /// variable bins.
    #[must_use]
    pub fn resolution(&self) -> Option<u64> {
        self.genome.as_ref().and_then(Genome::resolution)
    }

    /// The weight vector named `name`: one float64 per bin, NaN for masked bins.
    #[must_use]
    pub fn weights(&self, name: &str) -> Option<&[f64]> {
        self.genome.as_ref()?.weight(name).map(|w| w.values.as_slice())
    }

    /// The names of the file's weight vectors, in stored order (empty without genome data).
    #[must_use]
    pub fn weight_names(&self) -> Vec<&str> {
        self.genome.as_ref().map_or_else(Vec::new, |g| g.weights().iter().map(|w| w.name.as_str()).collect())
    }

    /// The cis expected tables stored in the file (docs/format.md entry 49), each checked at
    /// open against the genome; empty for files without them.
    #[must_use]
    pub fn stored_expected(&self) -> &[StoredExpected] {
        &self.expected
    }

    /// The stored expected table computed with weight vector `balance` and `ignore_diags`,
    /// if there is one and the vector has not changed since (its values' crc32c matches).
    #[must_use]
    pub fn stored_expected_for(&self, balance: &str, ignore_diags: u64) -> Option<&StoredExpected> {
        let weights = self.weights(balance)?;
        self.expected
            .iter()
            .find(|t| t.balance == balance && t.ignore_diags == ignore_diags && t.computed_with(weights))
    }

    /// The file's path (or URL, for a remote source).
    #[must_use]
    pub fn path(&self) -> &Path {
        self.tiles.path()
    }

    /// Where the bytes come from.
    #[must_use]
    pub fn source(&self) -> &dyn ByteSource {
        self.tiles.source()
    }

    /// Cache figures.
    #[must_use]
    pub fn cache_stats(&self) -> CacheStats {
        self.tiles.cache_stats()
    }

    /// Tile `(row, col)` at its true shape: mirrored from `(col, row)` below the diagonal of a
    /// symmetric file, zeros when not stored.
    ///
    /// # Errors
    /// [`ContainerError::TileOutOfGrid`]; for a stored tile, [`ContainerError::CrcMismatch`],
    /// [`ContainerError::Tile`] (decode failure), [`ContainerError::Registry`] (missing codec).
    pub fn tile(&self, row: u32, col: u32) -> Result<TileData> {
        self.tiles.tile(row, col)
    }

    /// The cells of `rows × cols` as a dense tile-shaped array (any size within the matrix).
    ///
    /// # Errors
    /// [`ContainerError::WindowOutOfBounds`] for ranges that are reversed or leave the matrix,
    /// [`ContainerError::WindowTooLarge`] when the window cannot be addressed in memory, and any
    /// error of [`Reader::tile`] for the tiles it overlaps.
    pub fn window(&self, rows: Range<u64>, cols: Range<u64>) -> Result<TileData> {
        window::read(&self.tiles, rows, cols)
    }

    /// The window `rows × cols` balanced with the weight vector named `weights`, computed by
    /// [`gzcm_genome::balance::apply`]: float64 `count · w[row] · w[col]`, NaN where a row's or
    /// column's weight is NaN (cooler's `matrix(balance=NAME)`), when `apply` is
    /// [`WeightMeaning::Multiplicative`] (the meaning of every vector gzcm stores); with
    /// [`WeightMeaning::Divisive`], `count / (w[row] · w[col])` (cooler's
    /// `divisive_weights=True`). `None` when the file has no vector by that name.
    ///
    /// # Errors
    /// As [`Reader::window`].
    pub fn balanced_window(
        &self,
        rows: Range<u64>,
        cols: Range<u64>,
        weights: &str,
        apply: WeightMeaning,
    ) -> Result<Option<ndarray::Array2<f64>>> {
        let Some(values) = self.weights(weights) else { return Ok(None) };
        let window = self.window(rows.clone(), cols.clone())?;
        // `region` checked both ranges against the matrix, whose edge is the vector's length.
        let part = |range: Range<u64>| -> Vec<f64> {
            let range = usize::try_from(range.start).unwrap_or(usize::MAX)
                ..usize::try_from(range.end).unwrap_or(usize::MAX);
            values.get(range).unwrap_or_default().iter().map(|&w| apply.convert(w)).collect()
        };
        let (row_weights, col_weights) = (part(rows), part(cols));
        let (row_weights, col_weights) = (&row_weights[..], &col_weights[..]);
        Ok(Some(match &window {
            TileData::U32(cells) => gzcm_genome::balance::apply(cells.view(), row_weights, col_weights),
            TileData::F32(cells) => gzcm_genome::balance::apply(cells.view(), row_weights, col_weights),
        }))
    }

    /// Every stored tile (the upper triangle of symmetric files; for v1/v2 every tile of it),
    /// in row-major order.
    pub fn stored_tiles(&self) -> impl Iterator<Item = TileEntry> + '_ {
        self.tiles.stored_tiles()
    }

    /// Every stored tile with its cells, decoded on demand (through the cache).
    pub fn tiles(&self) -> impl Iterator<Item = Result<(TileEntry, TileData)>> + '_ {
        self.stored_tiles().map(|entry| {
            let tile = self.tile(entry.tile_row, entry.tile_col)?;
            Ok((entry, tile))
        })
    }

    /// Decodes every stored tile (in parallel, bypassing the cache) and checks its crc32c (even
    /// when read-time checks are off), its non-zero count, and for symmetric files its mirror.
    /// A remote file is read in batches of about 64 MiB of stored bytes (tiles in file order,
    /// neighbouring ranges in one request), so memory stays bounded. A collection's member
    /// also has its own integrity trailer checked against the values the collection's table
    /// copied (the open used the table's).
    #[must_use]
    pub fn verify(&self) -> VerifyReport {
        let mut report = self.file_check().verify();
        if let Some(member) = &self.member {
            report.file_failures.extend(self.member_trailer(member).err());
        }
        report
    }

    fn member_trailer(&self, member: &MemberContext) -> Result<()> {
        let source = self.tiles.source();
        let len = source.len();
        let tail = len.saturating_sub(TRAILER_BYTES)..len;
        let bytes = source
            .read_ranges(std::slice::from_ref(&tail))
            .map_err(|e| ContainerError::io("read the trailer of", self.path(), e))?;
        let tail = bytes.first().map_or(&[][..], |b| &b[..]);
        member.check_trailer(tail, len, self.data_offset).map_err(|e| ContainerError::format(self.path(), e))
    }

    /// A summary of the file (no tile is decoded).
    #[must_use]
    pub fn info(&self) -> Info {
        self.file_check().info()
    }

    /// Whether the file carries the integrity-1 checksums.
    #[must_use]
    pub fn has_checksums(&self) -> bool {
        self.checks.has_trailer()
    }

    fn file_check(&self) -> FileCheck<'_> {
        FileCheck::new(&self.tiles, &self.header, &self.layout, self.checks, self.data_offset)
    }
}

/// The rest of a file's structure from a source that is not in memory, `pieces` holding its
/// first bytes: in one round the index, genome blocks and trailer, as far as a tentative
/// reading of the header locates them. Everything is validated afterwards, as for a local file.
fn read_structure(source: &dyn ByteSource, pieces: &mut Pieces) -> io::Result<()> {
    let len = source.len();
    let mut wanted = storage::structure_ranges(first_bytes(pieces), len);
    wanted.push(len.saturating_sub(TRAILER_BYTES)..len);
    pieces.add(source, &wanted, OPEN_COALESCE_GAP)
}
