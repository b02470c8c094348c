//! The random-access reader: `open` reads the file's structure (preamble, header, index,
//! genome blocks, trailer) through a [`ByteSource`] — a memory map, or ranged requests to an
//! object store — and validates it before anything else touches it; tiles are then fetched
//! (and cached) on demand, mirrored below the diagonal of symmetric files, and zeros where no
//! tile is stored (SPEC §1). A window's missing tiles are fetched together (neighbouring byte
//! ranges merged) and decoded in parallel (`fetch.rs`).

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gzcm_core::{
    CodecHandle, Dtype, EncodeOptions, Registry, RegistryError, ShapeSource, TileData, TileShape,
};
use gzcm_genome::Genome;

use crate::cache::{CacheStats, DEFAULT_CACHE_BYTES, TileCache};
use crate::dense::DenseLayout;
use crate::error::{ContainerError, FormatError, Result};
use crate::genome::{self, Region};
use crate::geometry::Grid;
use crate::header::{self, CodecEntry, Header, INDEX_DTYPE, IndexArray, Layout, RECORD_BYTES};
use crate::index::{IndexRules, TileIndex, TileRecord, check_span};
use crate::integrity::{self, Checks, TRAILER_BYTES, Trailer};
use crate::packed_index::{BARE_PACKED_INDEX_DTYPE, PACKED_INDEX_DTYPE};
use crate::source::{ByteSource, MappedFile, Pieces};

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

/// Where the cells are.
#[derive(Debug)]
pub(crate) enum Storage {
    Dense(DenseLayout),
    Tiles(TileIndex),
}

/// A stored tile as listed by [`Reader::stored_tiles`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TileEntry {
    /// Tile row.
    pub tile_row: u32,
    /// Tile column.
    pub tile_col: u32,
    /// True shape.
    pub shape: TileShape,
    /// The index record (v3/v4); `None` for the dense versions.
    pub record: Option<TileRecord>,
}

/// An open `.gzcm` file. `Send + Sync`: share it (e.g. in an `Arc`) across threads.
#[derive(Debug)]
pub struct Reader {
    pub(crate) path: PathBuf,
    pub(crate) source: Arc<dyn ByteSource>,
    /// The bytes read at open: the whole file for a memory map, else preamble, header, index,
    /// genome blocks and trailer.
    pub(crate) view: Pieces,
    pub(crate) header: Header,
    /// Where opaque payloads' shapes come from (bare-payloads-1), decided once at open.
    shape_source: ShapeSource,
    pub(crate) layout: Layout,
    pub(crate) storage: Storage,
    pub(crate) checks: Checks,
    pub(crate) data_offset: u64,
    pub(crate) codecs: Vec<Option<CodecHandle>>,
    pub(crate) registry: Arc<Registry>,
    pub(crate) cache: TileCache,
    pub(crate) verify_crc: bool,
    pub(crate) coalesce_gap: u64,
    pub(crate) decode_threads: usize,
    genome: Option<Genome>,
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
    /// As [`Reader::open`]; [`ContainerError::Io`] when the source fails.
    pub fn open_source(source: Arc<dyn ByteSource>, options: ReaderOptions) -> Result<Reader> {
        let path = source.name().to_owned();
        let len = source.len();
        let view = match source.whole() {
            Some(whole) => Pieces::whole(whole.clone()),
            None => read_structure(&*source).map_err(|e| ContainerError::io("read", &path, e))?,
        };
        let format = |e| ContainerError::format(&path, e);
        let head = view.piece(&(0..0)).map_or(&[][..], |(_, bytes)| bytes);
        let json = header::split_preamble(head).map_err(format)?;
        // The smallest possible data offset (a packed index has no padding); the header says
        // which applies once it is parsed, and it is checked against the trailer below.
        let min_data_offset = header::PREAMBLE_LEN + json.len() as u64;
        let tail = view.span(len.saturating_sub(TRAILER_BYTES), TRAILER_BYTES);
        let trailer = Trailer::from_tail(tail, len, min_data_offset).map_err(format)?;
        if let Some(trailer) = trailer {
            // Checked before parsing: a damaged header is reported as such, not as odd JSON.
            let computed = integrity::header_crc(head, json.len());
            if computed != trailer.header_crc {
                return Err(format(FormatError::HeaderChecksum { stored: trailer.header_crc, computed }));
            }
        }
        let header = Header::from_json(json).map_err(format)?;
        let data_offset = header.data_offset(json.len() as u64);
        if data_offset > len {
            let (what, file_len) = ("header and its padding", len);
            return Err(format(FormatError::Truncated { what, needed: data_offset, file_len }));
        }
        let checks = integrity::reconcile(header.integrity.is_some(), trailer).map_err(format)?;
        let layout = header.validate().map_err(format)?;
        let storage = storage(&header, &layout, &view, len, data_offset, checks).map_err(format)?;
        // Genome blocks must end before the integrity trailer (docs/format.md, entry 25).
        let data_end = checks.data_end(len);
        let blocks = genome_span(&header);
        let (base, file) = blocks.and_then(|b| view.piece(&b)).unwrap_or((0, &[]));
        let region = Region { file, base, file_len: data_end, data_offset };
        let genome = genome::load(&header, region).map_err(|e| format(e.into()))?;
        let registry = options.registry.unwrap_or_else(|| Arc::new(gzcm_codecs::global_registry()));
        let codecs = resolve_codecs(&layout, &registry, options.allow_missing_codecs)?;
        let decode_threads = options
            .decode_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
        let shape_source =
            header.arrays.tile_index.as_ref().map_or(ShapeSource::Header, IndexArray::shape_source);
        Ok(Reader {
            path,
            source,
            view,
            header,
            shape_source,
            layout,
            storage,
            checks,
            data_offset,
            codecs,
            registry,
            cache: TileCache::new(options.cache_bytes),
            verify_crc: options.verify_crc,
            coalesce_gap: options.coalesce_gap,
            decode_threads,
            genome,
        })
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

    /// The file's path (or URL, for a remote source).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the bytes come from.
    #[must_use]
    pub fn source(&self) -> &dyn ByteSource {
        &*self.source
    }

    /// Cache figures.
    #[must_use]
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }

    pub(crate) fn grid(&self) -> &Grid {
        &self.layout.grid
    }

    /// Tile `(row, col)` at its true shape: mirrored from `(col, row)` below the diagonal of a
    /// symmetric file, zeros when not stored.
    ///
    /// # Errors
    /// [`ContainerError::TileOutOfGrid`]; for a stored tile, [`ContainerError::CrcMismatch`],
    /// [`ContainerError::Tile`] (decode failure), [`ContainerError::Registry`] (missing codec).
    pub fn tile(&self, row: u32, col: u32) -> Result<TileData> {
        let (tile, transposed) = self.tile_shared(row, col)?;
        Ok(match (tile, transposed) {
            (Some(tile), false) => Arc::unwrap_or_clone(tile),
            (Some(tile), true) => tile.transposed(),
            (None, _) => TileData::zeros(self.dtype(), self.grid().tile_shape(row, col)),
        })
    }

    /// The stored tile behind `(row, col)` and whether it must be transposed to give `(row, col)`.
    pub(crate) fn tile_shared(&self, row: u32, col: u32) -> Result<(Option<Arc<TileData>>, bool)> {
        if !self.grid().contains(row, col) {
            return Err(ContainerError::TileOutOfGrid { row, col, grid: self.grid().dims() });
        }
        if self.symmetric() && row > col {
            Ok((self.stored(col, row)?, true))
        } else {
            Ok((self.stored(row, col)?, false))
        }
    }

    /// A stored tile (upper triangle for symmetric files), from the cache or the file.
    fn stored(&self, row: u32, col: u32) -> Result<Option<Arc<TileData>>> {
        if let Some(tile) = self.cache.get((row, col)) {
            return Ok(Some(tile));
        }
        if !self.is_stored((row, col)) {
            return Ok(None);
        }
        let tile =
            self.with_bytes(&[(row, col)], |pieces| self.decode_stored((row, col), pieces, self.verify_crc))?;
        let tile = Arc::new(tile?);
        self.cache.insert((row, col), Arc::clone(&tile));
        Ok(Some(tile))
    }

    /// Checks and decodes one indexed tile from its stored bytes.
    pub(crate) fn decode_bytes(
        &self,
        record: &TileRecord,
        stored: &[u8],
        check_crc: bool,
    ) -> Result<TileData> {
        let (row, col) = record.coord();
        if check_crc {
            let computed = crc32c::crc32c(stored);
            if computed != record.crc32c {
                return Err(ContainerError::CrcMismatch {
                    tile_row: row,
                    tile_col: col,
                    stored: record.crc32c,
                    computed,
                });
            }
        }
        let codec = self.codec(record.codec_id)?;
        let shape = self.grid().tile_shape(row, col);
        codec
            .decode_in_grid(self.shape_source, stored, self.dtype(), shape)
            .map_err(|source| ContainerError::tile((row, col), source))
    }

    fn codec(&self, id: u16) -> Result<&CodecHandle> {
        match self.codecs.get(usize::from(id)) {
            Some(Some(handle)) => Ok(handle),
            _ => {
                let name = self.layout.codecs.get(usize::from(id)).map(|c| c.name.as_str());
                Err(unknown_codec(&self.registry, name.unwrap_or("?")))
            }
        }
    }

    /// Every stored tile (the upper triangle of symmetric files; for v1/v2 every tile of it),
    /// in row-major order.
    pub fn stored_tiles(&self) -> impl Iterator<Item = TileEntry> + '_ {
        let grid = *self.grid();
        let symmetric = self.symmetric();
        let (records, dense): (&[TileRecord], bool) = match &self.storage {
            Storage::Tiles(index) => (index.records(), false),
            Storage::Dense(_) => (&[], true),
        };
        let indexed = records.iter().map(move |r| TileEntry {
            tile_row: r.tile_row,
            tile_col: r.tile_col,
            shape: grid.tile_shape(r.tile_row, r.tile_col),
            record: Some(*r),
        });
        let (tr, tc) = if dense { grid.dims() } else { (0, 0) };
        let all = (0..tr).flat_map(move |i| (if symmetric { i } else { 0 }..tc).map(move |j| (i, j))).map(
            move |(i, j)| TileEntry { tile_row: i, tile_col: j, shape: grid.tile_shape(i, j), record: None },
        );
        indexed.chain(all)
    }

    /// Every stored tile with its cells, decoded on demand (through the cache).
    pub fn tiles(&self) -> impl Iterator<Item = Result<(TileEntry, TileData)>> + '_ {
        self.stored_tiles().map(|entry| {
            let tile = self.tile(entry.tile_row, entry.tile_col)?;
            Ok((entry, tile))
        })
    }
}

/// Locates and validates the matrix array (v1/v2) or the tile index (v3/v4).
fn storage(
    header: &Header,
    layout: &Layout,
    file: &Pieces,
    file_len: u64,
    data_offset: u64,
    checks: Checks,
) -> Result<Storage, FormatError> {
    let rules = IndexRules {
        grid: layout.grid,
        symmetric: layout.symmetric,
        order: layout.order,
        codecs: layout.codecs.len(),
        data_offset,
        // Nothing the header or index references may overlap the trailer.
        file_len: checks.data_end(file_len),
    };
    if layout.version <= 2 {
        let dense = dense_storage(header, layout, &rules)?;
        if let Checks::Trailer(trailer) = checks {
            let table = dense.block_table(header).unwrap_or((0, 0));
            check_span("block checksum table", table.0, table.1, &rules)?;
            let bytes = file.span(table.0, table.1);
            integrity::check_data("block checksum table", bytes, trailer)?;
        }
        return Ok(Storage::Dense(dense));
    }
    let index = header
        .arrays
        .tile_index
        .as_ref()
        .ok_or(FormatError::MissingKey { key: "arrays.tile_index", version: layout.version })?;
    if index.is_packed() {
        return crate::packed_index::load(index, file, &rules, checks).map(Storage::Tiles);
    }
    if index.dtype != INDEX_DTYPE || index.record_bytes != u64::from(RECORD_BYTES) {
        return Err(FormatError::InvalidField {
            key: "arrays.tile_index",
            reason: format!(
                "dtype `{}` with {}-byte records; this reader knows `{INDEX_DTYPE}` with {RECORD_BYTES}, \
                 `{PACKED_INDEX_DTYPE}` and `{BARE_PACKED_INDEX_DTYPE}`",
                index.dtype, index.record_bytes
            ),
        });
    }
    let count = index.shape[0];
    if count > layout.grid.storable_tiles(layout.symmetric) {
        return Err(FormatError::InvalidField {
            key: "arrays.tile_index.shape",
            reason: format!("{count} records for a grid of {:?} tiles", layout.grid.dims()),
        });
    }
    let bytes = count.saturating_mul(u64::from(RECORD_BYTES));
    check_span("tile index", index.offset, bytes, &rules)?;
    let records = file.span(index.offset, bytes);
    if let Checks::Trailer(trailer) = checks {
        integrity::check_data("tile index", records, trailer)?;
    }
    TileIndex::parse(records, &rules).map(Storage::Tiles)
}

/// The file's structure from a source that is not in memory: the first
/// [`ByteSource::first_read_bytes`] (more when the header is larger), then in one round the
/// index, genome blocks and trailer, as far as a tentative reading of the header locates them.
/// Everything is validated afterwards by [`Reader::open_source`], as for a local file.
fn read_structure(source: &dyn ByteSource) -> io::Result<Pieces> {
    let len = source.len();
    let first = source.first_read_bytes().max(header::PREAMBLE_LEN);
    let mut pieces = Pieces::fetch(source, std::slice::from_ref(&(0..len.min(first))), 0)?;
    let head = |pieces: &Pieces| pieces.piece(&(0..0)).map_or(&[][..], |(_, b)| b).to_vec();
    let needed = header_end(&head(&pieces)).filter(|&end| end > len.min(first));
    if let Some(end) = needed {
        // A header larger than the first read: read it whole from the start.
        pieces = Pieces::fetch(source, std::slice::from_ref(&(0..len.min(end.saturating_add(first)))), 0)?;
    }
    let mut wanted = structure_ranges(&head(&pieces), len);
    wanted.push(len.saturating_sub(TRAILER_BYTES)..len);
    pieces.add(source, &wanted, OPEN_COALESCE_GAP)?;
    Ok(pieces)
}

/// Where the header's padding ends, from a file's first bytes (`None` when they are not a
/// plausible preamble).
fn header_end(head: &[u8]) -> Option<u64> {
    let len = head.get(4..8)?;
    let header_len = u64::from(u32::from_le_bytes([len[0], len[1], len[2], len[3]]));
    (header_len <= header::MAX_HEADER_LEN).then(|| header::data_offset(header_len))
}

/// The index (or v1/v2 block table) and genome blocks a header names, as far as they lie in
/// the file; empty when the header does not parse (open then reports why).
fn structure_ranges(head: &[u8], len: u64) -> Vec<Range<u64>> {
    let Some(header) = header::split_preamble(head).ok().and_then(|json| Header::from_json(json).ok()) else {
        return Vec::new();
    };
    let Ok(layout) = header.validate() else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    if let Some(index) = header.arrays.tile_index.as_ref().filter(|_| layout.version >= 3) {
        let bytes = if index.is_packed() {
            index.stored_bytes()
        } else {
            let count = index.shape[0].min(layout.grid.storable_tiles(layout.symmetric));
            count.saturating_mul(u64::from(RECORD_BYTES))
        };
        ranges.push(index.offset..index.offset.saturating_add(bytes));
    }
    if let Some(offset) = header.arrays.matrix.offset.filter(|_| layout.version <= 2) {
        let dense = DenseLayout { version: layout.version, grid: layout.grid, offset };
        if let Some((at, bytes)) = dense.block_table(&header) {
            ranges.push(at..at.saturating_add(bytes));
        }
    }
    ranges.extend(genome_span(&header));
    ranges.retain(|r| r.start <= r.end && r.end <= len);
    ranges
}

/// The bytes from the first genome block to the end of the last (`None` without blocks).
fn genome_span(header: &Header) -> Option<Range<u64>> {
    let genome = header.genome.as_ref()?;
    let start = genome.blocks().map(|b| b.offset).min()?;
    Some(start..genome.blocks_end()?)
}

fn dense_storage(header: &Header, layout: &Layout, rules: &IndexRules) -> Result<DenseLayout, FormatError> {
    let offset = header
        .arrays
        .matrix
        .offset
        .ok_or(FormatError::MissingKey { key: "arrays.matrix.offset", version: layout.version })?;
    let bytes = DenseLayout::array_bytes(layout.version, &layout.grid).unwrap_or(u64::MAX);
    check_span("matrix array", offset, bytes, rules)?;
    Ok(DenseLayout { version: layout.version, grid: layout.grid, offset })
}

/// A decoder per codec table entry, checked against the recorded wire format.
fn resolve_codecs(
    layout: &Layout,
    registry: &Registry,
    allow_missing: bool,
) -> Result<Vec<Option<CodecHandle>>> {
    layout
        .codecs
        .iter()
        .map(|CodecEntry { name, wire }| {
            let descriptor = match registry.get(name) {
                Ok(descriptor) => descriptor.clone(),
                Err(_) if allow_missing => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let setup = |source| ContainerError::setup(name, source);
            let handle = CodecHandle::new(descriptor, &EncodeOptions::default()).map_err(setup)?;
            handle.check_recorded_wire(*wire).map_err(setup)?;
            Ok(Some(handle))
        })
        .collect()
}

fn unknown_codec(registry: &Registry, name: &str) -> ContainerError {
    match registry.get(name) {
        Err(e) => e.into(),
        // Registered after open: still report it as unavailable to this reader.
        Ok(_) => RegistryError::UnknownCodec {
            name: name.to_owned(),
            available: registry.names(),
            suggestion: None,
        }
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Writer;

    fn written(dir: &Path) -> (PathBuf, Arc<Registry>) {
        let mut registry = Registry::empty();
        gzcm_codecs::register_builtins(&mut registry).unwrap();
        let registry = Arc::new(registry);
        let path = dir.join("m.gzcm");
        let mut writer = Writer::builder(&path, 40, 40)
            .tile_size(16)
            .codec("lz4")
            .registry(Arc::clone(&registry))
            .create()
            .unwrap();
        writer.push(1, 2, 3u32).unwrap();
        writer.push(1, 30, 4u32).unwrap();
        writer.finish().unwrap();
        (path, registry)
    }

    #[test]
    fn second_read_of_a_tile_is_a_cache_hit() {
        let dir = tempfile::tempdir().unwrap();
        let (path, registry) = written(dir.path());
        let reader =
            Reader::open_with(&path, ReaderOptions::new().registry(registry).cache_bytes(1 << 20)).unwrap();
        let first = reader.tile(0, 1).unwrap();
        assert_eq!(reader.tile(0, 1).unwrap(), first);
        let stats = reader.cache_stats();
        assert_eq!((stats.hits, stats.misses, stats.tiles), (1, 1, 1));
        // Absent tiles are zeros and are not cached.
        assert_eq!(reader.tile(2, 2).unwrap().nnz(), 0);
        assert_eq!(reader.cache_stats().tiles, 1);
    }

    #[test]
    fn stored_tiles_lists_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let (path, registry) = written(dir.path());
        let reader = Reader::open_with(&path, ReaderOptions::new().registry(registry)).unwrap();
        let coords: Vec<_> = reader.stored_tiles().map(|e| (e.tile_row, e.tile_col)).collect();
        assert_eq!(coords, [(0, 0), (0, 1)]);
        assert!(reader.stored_tiles().all(|e| e.record.is_some_and(|r| r.nnz == 1)));
    }
}
