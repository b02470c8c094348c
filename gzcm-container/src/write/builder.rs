//! The builder that starts every write: [`Writer::builder`] returns a [`WriterBuilder`], whose
//! setters collect the [`WriteSettings`] and whose `create*` methods start the writer.

use std::path::Path;
use std::sync::Arc;

use ndarray::ArrayView2;
use serde_json::Value;

use gzcm_core::{CodecHandle, CodecMeta, Dtype, Element, EncodeOptions, Registry};

use crate::error::Result;
use crate::format::header::Metadata;
use crate::write::encode::{CodecChoice, CodecPicker, TileStats, Typed};
use crate::write::report::{Progress, WriteSummary};
use crate::write::settings::WriteSettings;
use crate::write::unsorted::UnsortedWriter;
use crate::write::writer::Writer;
use gzcm_genome::Genome;

/// Options of a write. Start with [`Writer::builder`].
#[derive(Clone, Debug)]
#[must_use]
pub struct WriterBuilder {
    settings: WriteSettings,
}

impl Writer {
    /// Options for a `rows × cols` matrix written to `path`. (Here rather than with the
    /// writer: the builder starts the writer, so only this module knows both.)
    pub fn builder(path: impl AsRef<Path>, rows: u64, cols: u64) -> WriterBuilder {
        WriterBuilder { settings: WriteSettings::new(path.as_ref(), rows, cols) }
    }
}

impl WriterBuilder {
    /// v3/v4: store the tile index packed (one zstd frame of varints, about a quarter of the
    /// 32-byte records), the header without padding, and opaque payloads without SPEC §5's
    /// 8-byte shape header — format revisions packed-index-1 and bare-payloads-1
    /// (docs/format.md). Off by default; readers before the revision refuse such files with
    /// a typed error naming the index dtype. Ignored for v1/v2, which have no index.
    pub fn packed_index(mut self, packed: bool) -> Self {
        self.settings.packed_index = packed;
        self
    }

    /// v3/v4 with a packed index and `u32` cells: store the sparse tiles of a row (at most one
    /// cell in 64 non-zero) together in tile groups, one record and one zstd frame of their
    /// cells each — format revision groups-1 (docs/format.md). A genome-wide map at 1 kb is
    /// several times smaller and faster to write; readers before the revision refuse such
    /// files with a typed error naming the index dtype. Off by default.
    pub fn group_tiles(mut self, group: bool) -> Self {
        self.settings.group_tiles = group;
        self
    }

    /// Format version 1..=4 (default 3).
    pub fn version(mut self, version: u32) -> Self {
        self.settings.version = version;
        self
    }

    /// Tile edge 16..=4096 (default 256).
    pub fn tile_size(mut self, tile_size: u32) -> Self {
        self.settings.tile_size = tile_size;
        self
    }

    /// Cell type (default `u32`).
    pub fn dtype(mut self, dtype: Dtype) -> Self {
        self.settings.dtype = dtype;
        self
    }

    /// Whether the matrix is symmetric: only `tile_row <= tile_col` is stored (SPEC §1).
    pub fn symmetric(mut self, symmetric: bool) -> Self {
        self.settings.symmetric = symmetric;
        self.settings.metadata.symmetric = symmetric;
        self
    }

    /// One codec for every tile, by registry name (default `zstd`); framed by its declared wire.
    pub fn codec(mut self, name: impl Into<String>) -> Self {
        self.settings.codec = Some(CodecChoice::Named(name.into()));
        self
    }

    /// One codec for every tile, by type; framing is fixed by `C::Wire` at compile time.
    pub fn typed_codec<C: CodecMeta + Send + Sync>(mut self, codec: C) -> Self {
        self.settings.codec = Some(CodecChoice::Typed(Arc::new(Typed(codec))));
        self
    }

    /// One codec for every tile, already looked up and built (e.g. from
    /// [`CodecHandle::from_registry`]) and shared: the writer uses it as is, with no further lookup.
    pub fn codec_handle(mut self, handle: Arc<CodecHandle>) -> Self {
        self.settings.codec = Some(CodecChoice::Typed(handle));
        self
    }

    /// A codec name per tile (v4's per-tile choice; SPEC §7). Names are looked up in the registry.
    pub fn codec_picker(mut self, picker: impl Fn(&TileStats) -> String + Send + Sync + 'static) -> Self {
        let picker: CodecPicker = Arc::new(picker);
        self.settings.codec = Some(CodecChoice::Picker(picker));
        self
    }

    /// Options for every by-name codec without options of its own (e.g. the zstd level).
    pub fn encode_options(mut self, options: EncodeOptions) -> Self {
        self.settings.encode_options = options;
        self
    }

    /// Options for one by-name codec (e.g. `("zstd", EncodeOptions::with_level(3))` next to
    /// `lz4`, which takes no level).
    pub fn codec_options(mut self, name: impl Into<String>, options: EncodeOptions) -> Self {
        self.settings.codec_options.insert(name.into(), options);
        self
    }

    /// Descriptive metadata (`symmetric` is taken from [`WriterBuilder::symmetric`]; `writer`
    /// defaults to `gzcm <version>`).
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        let writer = metadata.writer.clone().or_else(|| self.settings.metadata.writer.take());
        self.settings.metadata = Metadata { symmetric: self.settings.symmetric, writer, ..metadata };
        self
    }

    /// Replace an existing output (default: refuse).
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.settings.overwrite = overwrite;
        self
    }

    /// The registry to find codecs in (default: a snapshot of the process-wide registry).
    pub fn registry(mut self, registry: Arc<Registry>) -> Self {
        self.settings.registry = Some(registry);
        self
    }

    /// A callback run after every band.
    pub fn progress(mut self, progress: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.settings.progress = Some(Arc::new(progress));
        self
    }

    /// The header's `regions`, recorded as given (SPEC §7).
    pub fn regions(mut self, regions: Vec<Value>) -> Self {
        self.settings.regions = regions;
        self
    }

    /// The header's `codec_picker`, recorded as given (SPEC §7).
    pub fn codec_picker_record(mut self, record: Value) -> Self {
        self.settings.codec_picker_record = Some(record);
        self
    }

    /// Cells the unsorted writer keeps in memory before spilling a sorted run (default 4 Mi,
    /// 24 bytes each).
    pub fn spill_cells(mut self, cells: usize) -> Self {
        self.settings.spill_cells = cells.max(1);
        self
    }

    /// Genomic coordinates and weight vectors to store with the matrix (versions 3 and 4; the
    /// matrix must be `n_bins × n_bins`). Also sets `metadata.chroms` and, for fixed bins,
    /// `metadata.resolution`.
    pub fn genome(mut self, genome: Genome) -> Self {
        self.settings.genome = Some(Arc::new(genome));
        self
    }

    /// Starts a write of cells sorted by row.
    ///
    /// # Errors
    /// [`InvalidOption`](crate::ContainerError::InvalidOption) for a version, tile size or
    /// shape out of range or a codec that cannot store the dtype;
    /// [`Registry`](crate::ContainerError::Registry) for an unknown codec;
    /// [`OutputExists`](crate::ContainerError::OutputExists); [`Io`](crate::ContainerError::Io).
    pub fn create(self) -> Result<Writer> {
        Writer::new(self.settings)
    }

    /// Starts a write of cells in any order (spilled to sorted runs next to the output).
    ///
    /// # Errors
    /// As [`WriterBuilder::create`].
    pub fn create_unsorted(self) -> Result<UnsortedWriter> {
        let spill = self.settings.spill_cells;
        UnsortedWriter::new(Writer::new(self.settings)?, spill)
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
}
