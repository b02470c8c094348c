//! Serving stored tiles: the [`TileFetcher`] a [`Reader`](crate::Reader) owns finds a tile in
//! the cache or in the file, checks and decodes it, and caches it. Several tiles at once (a
//! window, a verify batch) are fetched with one [`crate::ByteSource::read_ranges`] call
//! (neighbouring ranges merged into one request), then decoded in parallel on scoped threads
//! (bounded by [`crate::ReaderOptions::decode_threads`]). Scoped threads rather than a pool:
//! nothing outlives the call, so a reader used after `fork` (Python data-loader workers)
//! cannot hang on a pool the fork left behind.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use gzcm_core::{
    CodecHandle, Dtype, EncodeOptions, Registry, RegistryError, ShapeSource, TileData, TileShape,
};

use crate::error::{ContainerError, Result};
use crate::format::FileBytes;
use crate::format::error::GroupError;
use crate::format::geometry::Grid;
use crate::format::group::{self, GroupCells, GroupShape};
use crate::format::header::{CodecEntry, Layout};
use crate::format::index::{Stored, TileRecord};
use crate::format::storage::Storage;
use crate::read::cache::{Cache, CacheStats, TileCache, Weighed};
use crate::read::source::{ByteSource, Pieces};

/// Decoded stored tiles by coordinate (absent tiles are not listed).
pub(crate) type Tiles = HashMap<(u32, u32), Arc<TileData>>;

/// A stored tile as listed by [`Reader::stored_tiles`](crate::Reader::stored_tiles).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TileEntry {
    /// Tile row.
    pub tile_row: u32,
    /// Tile column.
    pub tile_col: u32,
    /// True shape.
    pub shape: TileShape,
    /// The index record whose payload holds the tile (v3/v4): its own, or its tile group's
    /// (groups-1); `None` for the dense versions.
    pub record: Option<TileRecord>,
    /// The tile's non-zero cells (v3/v4; a tile group's record counts all of its tiles').
    pub nnz: Option<u32>,
}

impl TileEntry {
    /// Tile `(tile_row, tile_col)` of `grid`, at its true shape.
    fn at(
        grid: &Grid,
        (tile_row, tile_col): (u32, u32),
        record: Option<TileRecord>,
        nnz: Option<u32>,
    ) -> Self {
        TileEntry { tile_row, tile_col, shape: grid.tile_shape(tile_row, tile_col), record, nnz }
    }
}

/// Bytes of decoded tile groups kept at most (besides the tile cache): a window along a sparse
/// row reads many tiles of one group.
const GROUP_CACHE_BYTES: usize = 64 << 20;

impl Weighed for GroupCells {
    fn heap_bytes(&self) -> usize {
        self.bytes()
    }
}

/// How a [`TileFetcher`] reads: the reader's options that concern tiles.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FetchOptions {
    /// Bytes of decoded tiles to cache (0 disables the cache).
    pub(crate) cache_bytes: usize,
    /// Whether each stored tile's crc32c is checked when it is read.
    pub(crate) verify_crc: bool,
    /// Stored tiles at most this many bytes apart are fetched with one request.
    pub(crate) coalesce_gap: u64,
    /// Threads that decode a batch of missing tiles.
    pub(crate) decode_threads: usize,
}

/// The stored tiles of one open file: where their bytes are, their decoders, and the cache.
#[derive(Debug)]
pub(crate) struct TileFetcher {
    path: PathBuf,
    source: Arc<dyn ByteSource>,
    /// The bytes read at open: the whole file for a memory map, else preamble, header, index,
    /// genome blocks and trailer.
    view: Pieces,
    storage: Storage,
    grid: Grid,
    dtype: Dtype,
    symmetric: bool,
    /// Where opaque payloads' shapes come from (bare-payloads-1), decided once at open.
    shape_source: ShapeSource,
    /// The header's codec table, and a decoder per entry (`None` when not registered).
    table: Vec<CodecEntry>,
    codecs: Vec<Option<CodecHandle>>,
    registry: Arc<Registry>,
    cache: TileCache,
    /// Decoded tile groups by their record's coordinate.
    groups: Cache<GroupCells>,
    options: FetchOptions,
}

impl TileFetcher {
    /// The tiles `storage` locates in the file `source` serves (`view` holds what was read at
    /// open), decoded with the codecs of `registry` that `layout`'s codec table names.
    ///
    /// # Errors
    /// [`ContainerError::Registry`] for a codec that is not registered (unless
    /// `allow_missing_codecs`), [`ContainerError::CodecSetup`] for a wire-format mismatch.
    #[expect(clippy::too_many_arguments, reason = "the parts of an open file, each used once")]
    pub(crate) fn new(
        source: Arc<dyn ByteSource>,
        view: Pieces,
        storage: Storage,
        layout: &Layout,
        shape_source: ShapeSource,
        registry: Arc<Registry>,
        allow_missing_codecs: bool,
        options: FetchOptions,
    ) -> Result<Self> {
        let codecs = resolve_codecs(&layout.codecs, &registry, allow_missing_codecs)?;
        Ok(TileFetcher {
            path: source.name().to_owned(),
            source,
            view,
            storage,
            grid: layout.grid,
            dtype: layout.dtype,
            symmetric: layout.symmetric,
            shape_source,
            table: layout.codecs.clone(),
            codecs,
            registry,
            cache: TileCache::new(options.cache_bytes),
            groups: Cache::new(options.cache_bytes.min(GROUP_CACHE_BYTES)),
            options,
        })
    }

    /// The file's path (or URL, for a remote source).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Where the bytes come from.
    pub(crate) fn source(&self) -> &dyn ByteSource {
        &*self.source
    }

    /// Whether the whole file is in memory (a memory map).
    pub(crate) fn is_mapped(&self) -> bool {
        self.source.whole().is_some()
    }

    /// The bytes read at open.
    pub(crate) fn view(&self) -> &Pieces {
        &self.view
    }

    /// Where the cells are.
    pub(crate) fn storage(&self) -> &Storage {
        &self.storage
    }

    /// The tile grid.
    pub(crate) fn grid(&self) -> &Grid {
        &self.grid
    }

    /// Cell type.
    pub(crate) fn dtype(&self) -> Dtype {
        self.dtype
    }

    /// Whether only the upper triangle is stored (and mirrored on read).
    pub(crate) fn symmetric(&self) -> bool {
        self.symmetric
    }

    /// Whether codec table entry `id` has a decoder here.
    pub(crate) fn has_codec(&self, id: usize) -> bool {
        self.codecs.get(id).is_some_and(Option::is_some)
    }

    /// Cache figures.
    pub(crate) fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }

    /// Tile `(row, col)` at its true shape: mirrored from `(col, row)` below the diagonal of a
    /// symmetric file, zeros when not stored.
    pub(crate) fn tile(&self, row: u32, col: u32) -> Result<TileData> {
        let (tile, transposed) = self.tile_shared(row, col)?;
        Ok(match (tile, transposed) {
            (Some(tile), false) => Arc::unwrap_or_clone(tile),
            (Some(tile), true) => tile.transposed(),
            (None, _) => TileData::zeros(self.dtype, self.grid.tile_shape(row, col)),
        })
    }

    /// The stored tile behind `(row, col)` and whether it must be transposed to give `(row, col)`.
    pub(crate) fn tile_shared(&self, row: u32, col: u32) -> Result<(Option<Arc<TileData>>, bool)> {
        if !self.grid.contains(row, col) {
            return Err(ContainerError::TileOutOfGrid { row, col, grid: self.grid.dims() });
        }
        if self.symmetric && row > col {
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
        if !self.storage.is_stored((row, col)) {
            return Ok(None);
        }
        let tile = self.with_bytes(&[(row, col)], |pieces| {
            self.decode_stored((row, col), pieces, self.options.verify_crc)
        })?;
        let Some(tile) = tile? else {
            return Ok(None);
        };
        let tile = Arc::new(tile);
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
            check_crc32c(record, stored)?;
        }
        let codec = self.codec(record.codec_id)?;
        let shape = self.grid.tile_shape(row, col);
        codec
            .decode_in_grid(self.shape_source, stored, self.dtype, shape)
            .map_err(|source| ContainerError::tile((row, col), source))
    }

    /// Checks and decodes the tile group of `record` from its stored bytes (groups-1).
    pub(crate) fn decode_group(
        &self,
        record: &TileRecord,
        stored: &[u8],
        check_crc: bool,
    ) -> Result<GroupCells> {
        let (tile_row, tile_col) = record.coord();
        let group_error = |source| ContainerError::Group { tile_row, tile_col, source };
        if check_crc {
            check_crc32c(record, stored)?;
        }
        if self.dtype != Dtype::U32 {
            return Err(group_error(GroupError::Stream { problem: "is in a file whose cells are not u32" }));
        }
        let shape = GroupShape::of_record(&self.grid, self.symmetric, record)
            .ok_or(group_error(GroupError::Stream { problem: "has a record without the group flag" }))?;
        GroupCells::decode(stored, record.nnz, shape).map_err(group_error)
    }

    /// The decoded tile group of `record`: from the group cache, else out of `pieces`.
    fn group(&self, record: &TileRecord, pieces: &Pieces, check_crc: bool) -> Result<Arc<GroupCells>> {
        if let Some(group) = self.groups.get(record.coord()) {
            return Ok(group);
        }
        let stored = pieces.span(record.offset, u64::from(record.length));
        let group = Arc::new(self.decode_group(record, stored, check_crc)?);
        self.groups.insert(record.coord(), Arc::clone(&group));
        Ok(group)
    }

    /// Whether `coord` lies in a tile group that is decoded already (its bytes are not needed).
    fn in_cached_group(&self, coord: (u32, u32)) -> bool {
        match &self.storage {
            Storage::Tiles(index) => match index.find(coord.0, coord.1) {
                Some(Stored::Group(record)) => self.groups.get(record.coord()).is_some(),
                _ => false,
            },
            Storage::Dense(_) => false,
        }
    }

    fn codec(&self, id: u16) -> Result<&CodecHandle> {
        match self.codecs.get(usize::from(id)) {
            Some(Some(handle)) => Ok(handle),
            _ => {
                let name = self.table.get(usize::from(id)).map(|c| c.name.as_str());
                Err(unknown_codec(&self.registry, name.unwrap_or("?")))
            }
        }
    }

    /// Every stored tile (the upper triangle of symmetric files; for v1/v2 every tile of it),
    /// in row-major order. A tile group is decoded to list the tiles it holds cells of; a
    /// group that cannot be read is listed as its first tile, whose read reports why.
    pub(crate) fn stored_tiles(&self) -> impl Iterator<Item = TileEntry> + '_ {
        let grid = self.grid;
        self.stored_records().flat_map(move |entry| {
            let Some(record) = entry.record.filter(|r| group::span_of(r.flags).is_some()) else {
                return vec![entry];
            };
            let group = self
                .with_bytes(&[record.coord()], |pieces| self.group(&record, pieces, self.options.verify_crc));
            match group {
                Ok(Ok(group)) => group
                    .tiles()
                    .map(|(col, nnz)| TileEntry::at(&grid, (record.tile_row, col), Some(record), Some(nnz)))
                    .collect(),
                _ => vec![entry],
            }
        })
    }

    /// One entry per index record (a tile group's at its first tile, with the group's
    /// non-zeros), row-major; for v1/v2 every stored tile.
    pub(crate) fn stored_records(&self) -> impl Iterator<Item = TileEntry> + '_ {
        let grid = self.grid;
        let symmetric = self.symmetric;
        let (records, dense): (&[TileRecord], bool) = match &self.storage {
            Storage::Tiles(index) => (index.records(), false),
            Storage::Dense(_) => (&[], true),
        };
        let indexed = records.iter().map(move |r| TileEntry::at(&grid, r.coord(), Some(*r), Some(r.nnz)));
        let (tr, tc) = if dense { grid.dims() } else { (0, 0) };
        let all = (0..tr)
            .flat_map(move |i| (if symmetric { i } else { 0 }..tc).map(move |j| (i, j)))
            .map(move |coord| TileEntry::at(&grid, coord, None, None));
        indexed.chain(all)
    }

    /// Runs `f` over the bytes of the stored tiles `coords`: the memory map itself, or the
    /// ranges fetched with one `read_ranges` call.
    pub(crate) fn with_bytes<R>(&self, coords: &[(u32, u32)], f: impl FnOnce(&Pieces) -> R) -> Result<R> {
        if self.is_mapped() {
            return Ok(f(&self.view));
        }
        let mut ranges = Vec::with_capacity(coords.len());
        for &coord in coords.iter().filter(|&&coord| !self.in_cached_group(coord)) {
            self.storage.tile_ranges(coord, &mut ranges);
        }
        let pieces = Pieces::fetch(&*self.source, &ranges, self.options.coalesce_gap)
            .map_err(|e| ContainerError::io("read tiles of", &self.path, e))?;
        Ok(f(&pieces))
    }

    /// Decodes stored tile `coord` (which must be stored) out of `pieces`: `None` for a tile of
    /// a tile group that holds no cells of it.
    pub(crate) fn decode_stored(
        &self,
        coord: (u32, u32),
        pieces: &Pieces,
        check_crc: bool,
    ) -> Result<Option<TileData>> {
        match &self.storage {
            Storage::Dense(layout) => layout.read_tile(pieces, coord, self.dtype).map(Some),
            Storage::Tiles(index) => match index.find(coord.0, coord.1) {
                Some(Stored::Tile(record)) => {
                    let stored = pieces.span(record.offset, u64::from(record.length));
                    self.decode_bytes(record, stored, check_crc).map(Some)
                }
                Some(Stored::Group(record)) => {
                    Ok(self.group(record, pieces, check_crc)?.tile(&self.grid, coord.1))
                }
                None => {
                    Err(ContainerError::TileOutOfGrid { row: coord.0, col: coord.1, grid: self.grid.dims() })
                }
            },
        }
    }

    /// The stored tiles `coords` (upper-triangle coordinates; absent ones are skipped), from
    /// the cache where they are, the rest fetched together and decoded in parallel, then
    /// cached.
    ///
    /// # Errors
    /// The first error of fetching or of any tile (in `coords` order).
    pub(crate) fn stored_many(&self, coords: &[(u32, u32)]) -> Result<Tiles> {
        let mut tiles = Tiles::with_capacity(coords.len());
        let mut seen = HashSet::with_capacity(coords.len());
        let mut missing = Vec::new();
        for &coord in coords {
            if !seen.insert(coord) || !self.storage.is_stored(coord) {
                continue;
            }
            match self.cache.get(coord) {
                Some(tile) => {
                    tiles.insert(coord, tile);
                }
                None => missing.push(coord),
            }
        }
        if missing.is_empty() {
            return Ok(tiles);
        }
        let decoded = self
            .with_bytes(&missing, |pieces| self.decode_parallel(&missing, pieces, self.options.verify_crc))?;
        for (coord, tile) in missing.into_iter().zip(decoded) {
            let Some(tile) = tile? else { continue };
            let tile = Arc::new(tile);
            self.cache.insert(coord, Arc::clone(&tile));
            tiles.insert(coord, tile);
        }
        Ok(tiles)
    }

    /// Decodes `coords` out of `pieces` on up to `decode_threads` threads; results in order.
    pub(crate) fn decode_parallel(
        &self,
        coords: &[(u32, u32)],
        pieces: &Pieces,
        check_crc: bool,
    ) -> Vec<Result<Option<TileData>>> {
        let threads = self.options.decode_threads.min(coords.len());
        if threads <= 1 {
            return coords.iter().map(|&coord| self.decode_stored(coord, pieces, check_crc)).collect();
        }
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some(&coord) = coords.get(at) else { break };
                done.push((at, self.decode_stored(coord, pieces, check_crc)));
            }
            done
        };
        let mut slots: Vec<Option<Result<Option<TileData>>>> =
            std::iter::repeat_with(|| None).take(coords.len()).collect();
        std::thread::scope(|scope| {
            // The calling thread works too: one fewer thread to start.
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut finished = vec![work()];
            for helper in helpers {
                match helper.join() {
                    Ok(done) => finished.push(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            for (at, result) in finished.into_iter().flatten() {
                slots[at] = Some(result);
            }
        });
        // Every index below `coords.len()` was taken by exactly one worker.
        slots
            .into_iter()
            .zip(coords)
            .map(|(slot, &(row, col))| {
                slot.unwrap_or(Err(ContainerError::TileOutOfGrid { row, col, grid: self.grid.dims() }))
            })
            .collect()
    }
}

/// Checks a payload against its record's crc32c.
fn check_crc32c(record: &TileRecord, stored: &[u8]) -> Result<()> {
    let computed = crc32c::crc32c(stored);
    if computed == record.crc32c {
        return Ok(());
    }
    Err(ContainerError::CrcMismatch {
        tile_row: record.tile_row,
        tile_col: record.tile_col,
        stored: record.crc32c,
        computed,
    })
}

/// A decoder per codec table entry, checked against the recorded wire format.
fn resolve_codecs(
    table: &[CodecEntry],
    registry: &Registry,
    allow_missing: bool,
) -> Result<Vec<Option<CodecHandle>>> {
    table
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
