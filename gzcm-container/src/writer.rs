//! The streaming writer: a builder for the options, then cells in row order (COO triples or
//! dense rows), then `finish`. Memory stays bounded by one band of tiles; tiles of a band are
//! encoded in parallel; the output appears atomically (SPEC §2).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use ndarray::ArrayView2;
use serde_json::Value;

use gzcm_core::{CodecMeta, Dtype, Element, EncodeOptions, Registry, registry::with_global};

use crate::atomic::AtomicFile;
use crate::band::{BandAccumulator, SparseTile};
use crate::compressed::{CompressedSink, EncodeContext};
use crate::dense::DenseSink;
use crate::encode::{CodecChoice, CodecPicker, CodecSet, TileStats, Typed};
use crate::error::{ContainerError, Result};
use crate::geometry::{DEFAULT_TILE_SIZE, Grid, MAX_TILE_SIZE, MIN_TILE_SIZE, TileOrder};
use crate::header::{
    Arrays, CodecRecord, Header, IndexArray, MatrixArray, Metadata, STORAGE_FULL, STORAGE_UPPER,
};
use crate::unsorted::UnsortedWriter;

/// Version written when none is chosen (SPEC §3).
pub const DEFAULT_VERSION: u32 = 3;
/// Codec used when none is chosen.
pub const DEFAULT_CODEC: &str = "zstd";

/// How far a write has got; given to the progress callback after every band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Bands (tile rows) finished.
    pub bands_done: u32,
    /// Bands in the matrix.
    pub bands_total: u32,
    /// Tiles stored so far.
    pub tiles_stored: u64,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// What a finished write produced.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WriteSummary {
    /// The output file.
    pub path: PathBuf,
    /// Format version written.
    pub version: u32,
    /// Cell type.
    pub dtype: Dtype,
    /// `(rows, cols)`.
    pub shape: (u64, u64),
    /// Tile edge.
    pub tile_size: u32,
    /// Non-empty tiles stored (for v1/v2: non-empty tiles placed).
    pub tiles_stored: u64,
    /// Tiles the file could hold (the upper triangle for symmetric matrices).
    pub tiles_total: u64,
    /// Non-zero cells stored (upper triangle and diagonal tiles whole for symmetric matrices).
    pub nnz: u64,
    /// Size of the file.
    pub file_bytes: u64,
    /// Bytes of stored tiles (v3/v4) or of the matrix array (v1/v2).
    pub payload_bytes: u64,
    /// Bytes of the whole matrix stored densely (4 bytes per cell).
    pub dense_bytes: u64,
    /// `dense_bytes / file_bytes`.
    pub ratio: f64,
    /// Wall-clock seconds from creating the writer to finishing.
    pub seconds: f64,
    /// Tiles per codec name.
    pub codec_counts: BTreeMap<String, u64>,
}

/// Options of a write. Start with [`Writer::builder`].
#[derive(Clone)]
#[must_use]
pub struct WriterBuilder {
    path: PathBuf,
    rows: u64,
    cols: u64,
    version: u32,
    tile_size: u32,
    dtype: Dtype,
    symmetric: bool,
    codec: CodecChoice,
    encode_options: EncodeOptions,
    codec_options: HashMap<String, EncodeOptions>,
    metadata: Metadata,
    overwrite: bool,
    registry: Option<Arc<Registry>>,
    progress: Option<ProgressFn>,
    regions: Vec<Value>,
    codec_picker_record: Option<Value>,
    spill_cells: usize,
}

impl std::fmt::Debug for WriterBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriterBuilder")
            .field("path", &self.path)
            .field("shape", &(self.rows, self.cols))
            .field("version", &self.version)
            .field("tile_size", &self.tile_size)
            .field("dtype", &self.dtype)
            .field("symmetric", &self.symmetric)
            .field("codec", &self.codec)
            .finish_non_exhaustive()
    }
}

impl WriterBuilder {
    /// Format version 1..=4 (default 3).
    pub fn version(mut self, version: u32) -> Self {
        self.version = version;
        self
    }

    /// Tile edge 16..=4096 (default 256).
    pub fn tile_size(mut self, tile_size: u32) -> Self {
        self.tile_size = tile_size;
        self
    }

    /// Cell type (default `u32`).
    pub fn dtype(mut self, dtype: Dtype) -> Self {
        self.dtype = dtype;
        self
    }

    /// Whether the matrix is symmetric: only `tile_row <= tile_col` is stored (SPEC §1).
    pub fn symmetric(mut self, symmetric: bool) -> Self {
        self.symmetric = symmetric;
        self.metadata.symmetric = symmetric;
        self
    }

    /// One codec for every tile, by registry name (default `zstd`); framed by its declared wire.
    pub fn codec(mut self, name: impl Into<String>) -> Self {
        self.codec = CodecChoice::Named(name.into());
        self
    }

    /// One codec for every tile, by type; framing is fixed by `C::Wire` at compile time.
    pub fn typed_codec<C: CodecMeta>(mut self, codec: C) -> Self {
        self.codec = CodecChoice::Typed(Arc::new(Typed(codec)));
        self
    }

    /// A codec name per tile (v4's per-region choice; SPEC §7). Names are looked up in the registry.
    pub fn codec_picker(mut self, picker: impl Fn(&TileStats) -> String + Send + Sync + 'static) -> Self {
        let picker: CodecPicker = Arc::new(picker);
        self.codec = CodecChoice::Picker(picker);
        self
    }

    /// Options for every by-name codec without options of its own (e.g. the zstd level).
    pub fn encode_options(mut self, options: EncodeOptions) -> Self {
        self.encode_options = options;
        self
    }

    /// Options for one by-name codec (e.g. `("zstd", EncodeOptions::with_level(3))` next to
    /// `lz4`, which takes no level).
    pub fn codec_options(mut self, name: impl Into<String>, options: EncodeOptions) -> Self {
        self.codec_options.insert(name.into(), options);
        self
    }

    /// Descriptive metadata (`symmetric` is taken from [`WriterBuilder::symmetric`]; `writer`
    /// defaults to `gzcm <version>`).
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        let writer = metadata.writer.clone().or_else(|| self.metadata.writer.take());
        self.metadata = Metadata { symmetric: self.symmetric, writer, ..metadata };
        self
    }

    /// Replace an existing output (default: refuse).
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// The registry to find codecs in (default: a snapshot of the process-wide registry).
    pub fn registry(mut self, registry: Arc<Registry>) -> Self {
        self.registry = Some(registry);
        self
    }

    /// A callback run after every band.
    pub fn progress(mut self, progress: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The header's `regions`, recorded as given (SPEC §7).
    pub fn regions(mut self, regions: Vec<Value>) -> Self {
        self.regions = regions;
        self
    }

    /// The header's `codec_picker`, recorded as given (SPEC §7).
    pub fn codec_picker_record(mut self, record: Value) -> Self {
        self.codec_picker_record = Some(record);
        self
    }

    /// Cells the unsorted writer keeps in memory before spilling a sorted run (default 4 Mi,
    /// 24 bytes each).
    pub fn spill_cells(mut self, cells: usize) -> Self {
        self.spill_cells = cells.max(1);
        self
    }

    /// Starts a write of cells sorted by row.
    ///
    /// # Errors
    /// [`ContainerError::InvalidOption`] for a version, tile size or shape out of range or a
    /// codec that cannot store the dtype; [`ContainerError::Registry`] for an unknown codec;
    /// [`ContainerError::OutputExists`]; [`ContainerError::Io`].
    pub fn create(self) -> Result<Writer> {
        Writer::new(self)
    }

    /// Starts a write of cells in any order (spilled to sorted runs next to the output).
    ///
    /// # Errors
    /// As [`WriterBuilder::create`].
    pub fn create_unsorted(self) -> Result<UnsortedWriter> {
        let spill = self.spill_cells;
        UnsortedWriter::new(Writer::new(self)?, spill)
    }

    /// Writes a whole in-memory matrix (its shape must match the builder's).
    ///
    /// # Errors
    /// As [`WriterBuilder::create`], [`Writer::push_row`] and [`Writer::finish`].
    pub fn write_array<T: Element>(self, matrix: ArrayView2<'_, T>) -> Result<WriteSummary> {
        let mut writer = self.create()?;
        for (row, values) in (0..).zip(matrix.rows()) {
            match values.as_slice() {
                Some(slice) => writer.push_row(row, slice)?,
                None => writer.push_row(row, &values.to_vec())?,
            }
        }
        writer.finish()
    }

    fn header(&self, index: Option<IndexArray>, codecs: Vec<CodecRecord>, offset: Option<u64>) -> Header {
        let storage = if self.symmetric && self.version >= 3 { STORAGE_UPPER } else { STORAGE_FULL };
        let tiled = self.version >= 2;
        let (regions, picker) = if self.version >= 4 {
            (self.regions.clone(), self.codec_picker_record.clone())
        } else {
            (Vec::new(), None)
        };
        Header {
            format: "gzcm".to_owned(),
            version: u64::from(self.version),
            metadata: self.metadata.clone(),
            arrays: Arrays {
                matrix: MatrixArray {
                    dtype: self.dtype.name().to_owned(),
                    shape: [self.rows, self.cols],
                    order: "C".to_owned(),
                    // v1 records it too: readers serve v1 in tiles of this size.
                    tile_shape: Some([u64::from(self.tile_size); 2]),
                    tile_order: tiled.then(|| TileOrder::for_version(self.version).as_str().to_owned()),
                    storage: Some(storage.to_owned()),
                    offset,
                },
                tile_index: index,
            },
            codecs,
            regions,
            codec_picker: picker,
        }
    }

    fn check(&self) -> Result<Grid> {
        if !(1..=4).contains(&self.version) {
            return Err(ContainerError::option(
                "version",
                format!("{} is not one of 1, 2, 3, 4", self.version),
            ));
        }
        if !(MIN_TILE_SIZE..=MAX_TILE_SIZE).contains(&self.tile_size) {
            return Err(ContainerError::option(
                "tile_size",
                format!("{} is outside {MIN_TILE_SIZE}..={MAX_TILE_SIZE}", self.tile_size),
            ));
        }
        if self.symmetric && self.rows != self.cols {
            return Err(ContainerError::option(
                "symmetric",
                format!("a symmetric matrix must be square, not {}×{}", self.rows, self.cols),
            ));
        }
        Grid::new(self.rows, self.cols, self.tile_size).ok_or_else(|| {
            ContainerError::option(
                "shape",
                format!(
                    "{}×{} needs at least one row and column and at most 2^32 tiles per axis",
                    self.rows, self.cols
                ),
            )
        })
    }
}

/// Where tiles go.
enum Sink {
    Compressed(Box<CompressedSink>, Box<CodecSet>),
    Dense(DenseSink, u64, u64),
}

/// A write in progress: cells in row order, then [`Writer::finish`]. Dropping it without
/// finishing removes the temporary output.
pub struct Writer {
    options: WriterBuilder,
    grid: Grid,
    out: AtomicFile,
    sink: Sink,
    band: BandAccumulator,
    previous_row: Option<u64>,
    started: Instant,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("options", &self.options)
            .field("band", &self.band.band())
            .finish_non_exhaustive()
    }
}

impl Writer {
    /// Options for a `rows × cols` matrix written to `path`.
    pub fn builder(path: impl AsRef<Path>, rows: u64, cols: u64) -> WriterBuilder {
        WriterBuilder {
            path: path.as_ref().to_owned(),
            rows,
            cols,
            version: DEFAULT_VERSION,
            tile_size: DEFAULT_TILE_SIZE,
            dtype: Dtype::U32,
            symmetric: false,
            codec: CodecChoice::Named(DEFAULT_CODEC.to_owned()),
            encode_options: EncodeOptions::default(),
            codec_options: HashMap::new(),
            metadata: Metadata {
                writer: Some(format!("gzcm {}", env!("CARGO_PKG_VERSION"))),
                ..Metadata::default()
            },
            overwrite: false,
            registry: None,
            progress: None,
            regions: Vec::new(),
            codec_picker_record: None,
            spill_cells: 4 << 20,
        }
    }

    fn new(options: WriterBuilder) -> Result<Self> {
        let started = Instant::now();
        let grid = options.check()?;
        let out = AtomicFile::create(&options.path, options.overwrite)?;
        let sink = if options.version <= 2 {
            let dense = DenseSink::new(&out, options.version, grid, options.symmetric, |at| {
                options.header(None, Vec::new(), Some(at))
            })?;
            Sink::Dense(dense, 0, 0)
        } else {
            let registry = options.registry.clone().unwrap_or_else(|| Arc::new(with_global(Registry::clone)));
            let codecs = CodecSet::new(
                options.codec.clone(),
                registry,
                options.encode_options.clone(),
                options.codec_options.clone(),
                options.dtype,
            )?;
            Sink::Compressed(Box::new(CompressedSink::new(&options.path)?), Box::new(codecs))
        };
        Ok(Writer {
            band: BandAccumulator::new(grid, options.symmetric),
            options,
            grid,
            out,
            sink,
            previous_row: None,
            started,
        })
    }

    /// Adds one cell. Rows must not decrease; columns within a row may come in any order.
    /// Zero values are skipped. For a symmetric matrix give either triangle (or both, agreeing).
    ///
    /// # Errors
    /// [`ContainerError::DtypeMismatch`], [`ContainerError::CellOutOfBounds`],
    /// [`ContainerError::UnsortedInput`], [`ContainerError::MixedTriangles`], and whatever
    /// encoding a finished band reports.
    pub fn push<T: Element>(&mut self, row: u64, col: u64, value: T) -> Result<()> {
        self.check_dtype(T::DTYPE)?;
        self.check_cell(row, col)?;
        if value.is_zero() {
            return self.advance(row);
        }
        self.push_bits(row, col, u32::from_le_bytes(value.to_le()))
    }

    /// Adds one dense row (`values.len()` must equal the column count). For a symmetric matrix
    /// only the upper triangle (`col >= row`) is read; the rest is ignored.
    ///
    /// # Errors
    /// [`ContainerError::RowLength`], and as [`Writer::push`].
    pub fn push_row<T: Element>(&mut self, row: u64, values: &[T]) -> Result<()> {
        self.check_dtype(T::DTYPE)?;
        if values.len() as u64 != self.grid.cols() {
            return Err(ContainerError::RowLength { row, expected: self.grid.cols(), found: values.len() });
        }
        self.check_cell(row, 0)?;
        self.advance(row)?;
        let first = if self.options.symmetric { row } else { 0 };
        for (col, value) in (first..).zip(&values[usize::try_from(first).unwrap_or(0)..]) {
            if !value.is_zero() {
                self.band.insert(row, col, u32::from_le_bytes(value.to_le()))?;
            }
        }
        Ok(())
    }

    /// Adds a non-zero cell given as raw bits (bounds already checked).
    pub(crate) fn push_bits(&mut self, row: u64, col: u64, bits: u32) -> Result<()> {
        self.advance(row)?;
        self.band.insert(row, col, bits)
    }

    pub(crate) fn is_symmetric(&self) -> bool {
        self.options.symmetric
    }

    pub(crate) fn target(&self) -> &Path {
        &self.options.path
    }

    pub(crate) fn check_dtype(&self, found: Dtype) -> Result<()> {
        if found == self.options.dtype {
            Ok(())
        } else {
            Err(ContainerError::DtypeMismatch { expected: self.options.dtype, found })
        }
    }

    pub(crate) fn check_cell(&self, row: u64, col: u64) -> Result<()> {
        if row < self.grid.rows() && col < self.grid.cols() {
            Ok(())
        } else {
            Err(ContainerError::CellOutOfBounds { row, col, rows: self.grid.rows(), cols: self.grid.cols() })
        }
    }

    /// Checks row order and flushes the current band when `row` starts a later one.
    fn advance(&mut self, row: u64) -> Result<()> {
        if let Some(previous) = self.previous_row.filter(|&p| p > row) {
            return Err(ContainerError::UnsortedInput { row, previous });
        }
        self.previous_row = Some(row);
        let band = self.grid.tile_of(row);
        if band != self.band.band() {
            self.flush(band)?;
        }
        Ok(())
    }

    fn flush(&mut self, next: u32) -> Result<()> {
        let tiles = self.band.take(next);
        self.store(tiles)?;
        if let Some(progress) = &self.options.progress {
            progress(Progress {
                bands_done: next,
                bands_total: self.grid.dims().0,
                tiles_stored: self.tiles_stored(),
            });
        }
        Ok(())
    }

    fn tiles_stored(&self) -> u64 {
        match &self.sink {
            Sink::Compressed(sink, _) => sink.tiles(),
            Sink::Dense(_, tiles, _) => *tiles,
        }
    }

    fn store(&mut self, tiles: Vec<SparseTile>) -> Result<()> {
        let (grid, symmetric, dtype) = (self.grid, self.options.symmetric, self.options.dtype);
        match &mut self.sink {
            Sink::Compressed(sink, codecs) => {
                let ctx = EncodeContext { grid, symmetric, dtype, codecs };
                sink.add_band(tiles, &ctx)
            }
            Sink::Dense(sink, count, nnz) => {
                for tile in tiles {
                    let coord = tile.coord;
                    let (data, tile_nnz) = tile.build(&grid, symmetric, dtype)?;
                    sink.write_tile(coord, &data);
                    *count += 1;
                    *nnz += u64::from(tile_nnz);
                }
                Ok(())
            }
        }
    }

    /// Encodes the last band, lays out the file, syncs it and renames it onto the output path.
    ///
    /// # Errors
    /// Whatever the last band's encoding reports; [`ContainerError::Io`] for write, sync or
    /// rename failures; [`ContainerError::OutputExists`] when the output appeared meanwhile.
    pub fn finish(mut self) -> Result<WriteSummary> {
        let bands = self.grid.dims().0;
        self.flush(bands)?;
        let Writer { options, grid, out, sink, started, .. } = self;
        let mut summary = match sink {
            Sink::Compressed(sink, _) => {
                let totals =
                    sink.finish(&out, TileOrder::for_version(options.version), |index, codecs| {
                        options.header(Some(index), codecs, None)
                    })?;
                options.summary(grid, totals.tiles, totals.nnz, totals.payload_bytes, totals.codec_counts)
            }
            Sink::Dense(sink, tiles, nnz) => {
                let payload = DenseSinkBytes::of(&options, &grid);
                sink.finish(&out)?;
                options.summary(grid, tiles, nnz, payload, BTreeMap::new())
            }
        };
        let file_bytes =
            out.file().metadata().map_err(|e| ContainerError::io("stat", out.target(), e))?.len();
        out.commit()?;
        summary.file_bytes = file_bytes;
        #[expect(clippy::cast_precision_loss, reason = "a ratio needs no more precision")]
        let ratio = summary.dense_bytes as f64 / file_bytes.max(1) as f64;
        summary.ratio = ratio;
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }
}

/// Payload bytes of a v1/v2 file.
struct DenseSinkBytes;

impl DenseSinkBytes {
    fn of(options: &WriterBuilder, grid: &Grid) -> u64 {
        crate::dense::DenseLayout::array_bytes(options.version, grid).unwrap_or(u64::MAX)
    }
}

impl WriterBuilder {
    fn summary(
        &self,
        grid: Grid,
        tiles: u64,
        nnz: u64,
        payload_bytes: u64,
        codec_counts: BTreeMap<String, u64>,
    ) -> WriteSummary {
        WriteSummary {
            path: self.path.clone(),
            version: self.version,
            dtype: self.dtype,
            shape: (grid.rows(), grid.cols()),
            tile_size: grid.tile_size(),
            tiles_stored: tiles,
            tiles_total: grid.storable_tiles(self.symmetric),
            nnz,
            file_bytes: 0,
            payload_bytes,
            dense_bytes: u64::try_from(grid.dense_bytes()).unwrap_or(u64::MAX),
            ratio: 0.0,
            seconds: 0.0,
            codec_counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_follow_the_version() {
        let builder =
            |v| Writer::builder("x.gzcm", 100, 100).version(v).symmetric(true).regions(vec![Value::from(1)]);
        let v1 = builder(1).header(None, Vec::new(), Some(4096));
        assert_eq!(v1.arrays.matrix.storage.as_deref(), Some(STORAGE_FULL));
        assert_eq!(v1.arrays.matrix.tile_order, None);
        assert_eq!(v1.arrays.matrix.offset, Some(4096));
        let v3 = builder(3).header(None, Vec::new(), None);
        assert_eq!(v3.arrays.matrix.storage.as_deref(), Some(STORAGE_UPPER));
        assert_eq!(v3.arrays.matrix.tile_order.as_deref(), Some("row-major"));
        assert!(v3.regions.is_empty());
        let v4 = builder(4).header(None, Vec::new(), None);
        assert_eq!(v4.arrays.matrix.tile_order.as_deref(), Some("anti-diagonal"));
        assert_eq!(v4.regions, [Value::from(1)]);
        assert!(v4.metadata.symmetric);
        assert!(v4.metadata.writer.as_deref().is_some_and(|w| w.starts_with("gzcm ")));
    }
}
