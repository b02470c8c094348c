//! Options of a write: the builder that starts every [`Writer`](crate::Writer), the header it
//! describes, and the checks that run before any file is created.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ndarray::ArrayView2;
use serde_json::Value;

use gzcm_core::{CodecHandle, CodecMeta, Dtype, Element, EncodeOptions, Registry};
use gzcm_genome::Genome;

use crate::encode::{CodecChoice, CodecPicker, TileStats, Typed};
use crate::error::{ContainerError, Result};
use crate::geometry::{DEFAULT_TILE_SIZE, Grid, GridError, TileOrder};
use crate::header::{
    Arrays, CodecRecord, Header, IndexArray, MatrixArray, Metadata, STORAGE_FULL, STORAGE_UPPER,
};
use crate::integrity::Integrity;
use crate::unsorted::UnsortedWriter;
use crate::writer::{Progress, ProgressFn, WriteSummary, Writer};

/// Version written when none is chosen (SPEC §3).
pub const DEFAULT_VERSION: u32 = 3;
/// Codec used when none is chosen.
pub const DEFAULT_CODEC: &str = "zstd";

/// Options of a write. Start with [`Writer::builder`].
#[derive(Clone)]
#[must_use]
pub struct WriterBuilder {
    pub(crate) path: PathBuf,
    pub(crate) rows: u64,
    pub(crate) cols: u64,
    pub(crate) version: u32,
    pub(crate) tile_size: u32,
    pub(crate) dtype: Dtype,
    pub(crate) symmetric: bool,
    /// The codec asked for; `None` means [`DEFAULT_CODEC`] for compressed versions.
    pub(crate) codec: Option<CodecChoice>,
    pub(crate) encode_options: EncodeOptions,
    pub(crate) codec_options: HashMap<String, EncodeOptions>,
    pub(crate) metadata: Metadata,
    pub(crate) overwrite: bool,
    pub(crate) registry: Option<Arc<Registry>>,
    pub(crate) progress: Option<ProgressFn>,
    pub(crate) regions: Vec<Value>,
    pub(crate) codec_picker_record: Option<Value>,
    pub(crate) spill_cells: usize,
    pub(crate) genome: Option<Arc<Genome>>,
    pub(crate) packed_index: bool,
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
    /// Default options for a `rows × cols` matrix written to `path`.
    pub(crate) fn new(path: &Path, rows: u64, cols: u64) -> Self {
        WriterBuilder {
            path: path.to_owned(),
            rows,
            cols,
            version: DEFAULT_VERSION,
            tile_size: DEFAULT_TILE_SIZE,
            dtype: Dtype::U32,
            symmetric: false,
            codec: None,
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
            genome: None,
            packed_index: false,
        }
    }

    /// v3/v4: store the tile index packed (one zstd frame of varints, about a quarter of the
    /// 32-byte records), the header without padding, and opaque payloads without SPEC §5's
    /// 8-byte shape header — format revisions packed-index-1 and bare-payloads-1
    /// (docs/format.md). Off by default; readers before the revision refuse such files with
    /// a typed error naming the index dtype. Ignored for v1/v2, which have no index.
    pub fn packed_index(mut self, packed: bool) -> Self {
        self.packed_index = packed;
        self
    }

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
        self.codec = Some(CodecChoice::Named(name.into()));
        self
    }

    /// One codec for every tile, by type; framing is fixed by `C::Wire` at compile time.
    pub fn typed_codec<C: CodecMeta + Send + Sync>(mut self, codec: C) -> Self {
        self.codec = Some(CodecChoice::Typed(Arc::new(Typed(codec))));
        self
    }

    /// One codec for every tile, already looked up and built (e.g. from
    /// [`CodecHandle::from_registry`]) and shared: the writer uses it as is, with no further lookup.
    pub fn codec_handle(mut self, handle: Arc<CodecHandle>) -> Self {
        self.codec = Some(CodecChoice::Typed(handle));
        self
    }

    /// A codec name per tile (v4's per-region choice; SPEC §7). Names are looked up in the registry.
    pub fn codec_picker(mut self, picker: impl Fn(&TileStats) -> String + Send + Sync + 'static) -> Self {
        let picker: CodecPicker = Arc::new(picker);
        self.codec = Some(CodecChoice::Picker(picker));
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

    /// Genomic coordinates and weight vectors to store with the matrix (versions 3 and 4; the
    /// matrix must be `n_bins × n_bins`). Also sets `metadata.chroms` and, for fixed bins,
    /// `metadata.resolution`.
    pub fn genome(mut self, genome: Genome) -> Self {
        self.genome = Some(Arc::new(genome));
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

    pub(crate) fn header(
        &self,
        index: Option<IndexArray>,
        codecs: Vec<CodecRecord>,
        offset: Option<u64>,
    ) -> Header {
        let storage = if self.symmetric && self.version >= 3 { STORAGE_UPPER } else { STORAGE_FULL };
        let tiled = self.version >= 2;
        let (regions, picker) = if self.version >= 4 {
            (self.regions.clone(), self.codec_picker_record.clone())
        } else {
            (Vec::new(), None)
        };
        let mut metadata = self.metadata.clone();
        if let Some(genome) = &self.genome {
            metadata.chroms = Some(genome.chroms().to_vec());
            metadata.resolution = genome.resolution().or(metadata.resolution);
        }
        Header {
            format: "gzcm".to_owned(),
            version: u64::from(self.version),
            metadata,
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
            integrity: Some(Integrity::for_version(self.version)),
            genome: None,
        }
    }

    /// The codec choice of a compressed write: the one asked for, else [`DEFAULT_CODEC`].
    pub(crate) fn codec_choice(&self) -> CodecChoice {
        self.codec.clone().unwrap_or_else(|| CodecChoice::Named(DEFAULT_CODEC.to_owned()))
    }

    pub(crate) fn check(&self) -> Result<Grid> {
        if !(1..=4).contains(&self.version) {
            return Err(ContainerError::option(
                "version",
                format!("{} is not one of 1, 2, 3, 4", self.version),
            ));
        }
        // The one tile-size rule and grid limits live in `gzcm_core::grid`.
        let grid = Grid::new(self.rows, self.cols, self.tile_size).map_err(|error| {
            let option = if matches!(error, GridError::TileSize { .. }) { "tile_size" } else { "shape" };
            ContainerError::option(option, error.to_string())
        })?;
        if self.version <= 2
            && let Some(codec) = &self.codec
        {
            return Err(ContainerError::CodecWithUncompressedVersion {
                version: self.version,
                codec: codec.describe(),
            });
        }
        if self.symmetric && self.rows != self.cols {
            return Err(ContainerError::option(
                "symmetric",
                format!("a symmetric matrix must be square, not {}×{}", self.rows, self.cols),
            ));
        }
        self.check_genome()?;
        Ok(grid)
    }

    fn check_genome(&self) -> Result<()> {
        let Some(genome) = &self.genome else { return Ok(()) };
        if self.version < 3 {
            return Err(ContainerError::option(
                "genome",
                format!("version {} cannot store genome data; use version 3 or 4", self.version),
            ));
        }
        genome.check_shape(self.rows, self.cols).map_err(|e| ContainerError::option("genome", e.to_string()))
    }

    pub(crate) fn summary(
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
