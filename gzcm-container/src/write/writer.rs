//! The streaming writer: cells in row order (COO triples or dense rows), then `finish`.
//! Memory stays bounded by one band of tiles; tiles of a band are encoded in parallel; the output
//! appears atomically (SPEC §2). Options are set on a [`WriterBuilder`](crate::WriterBuilder),
//! which starts the writer with its [`WriteSettings`].

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use gzcm_core::{Dtype, Element, ShapeSource};

use crate::error::{ContainerError, Result};
use crate::format::dense::DenseLayout;
use crate::format::genome::blocks::EncodedGenome;
use crate::format::geometry::{Grid, TileOrder};
use crate::registry::default_registry;
use crate::write::band::{BandAccumulator, SparseTile, writer_error};
use crate::write::compressed::{CompressedSink, EncodeContext};
use crate::write::dense::DenseSink;
use crate::write::encode::CodecSet;
use crate::write::report::{Progress, WriteSummary};
use crate::write::settings::WriteSettings;
use gzcm_atomic::AtomicFile;

/// Where tiles go.
enum Sink {
    Compressed(Box<CompressedSink>),
    Dense(DenseSink, u64, u64),
}

/// A write in progress: cells in row order, then [`Writer::finish`]. Dropping it without
/// finishing removes the temporary output.
pub struct Writer {
    options: WriteSettings,
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
    /// Starts the write `options` describe: checks them, creates the temporary output and
    /// (v1/v2) reserves its space and writes the header.
    pub(crate) fn new(options: WriteSettings) -> Result<Self> {
        let started = Instant::now();
        let grid = options.check()?;
        let out = AtomicFile::create(&options.path, options.overwrite)?;
        let sink = if options.version <= 2 {
            let dense = DenseSink::new(&out, options.version, grid, options.symmetric, |at| {
                options.header(None, Vec::new(), Some(at))
            })?;
            Sink::Dense(dense, 0, 0)
        } else {
            let registry = options.registry.clone().unwrap_or_else(default_registry);
            let codecs = CodecSet::new(
                options.codec_choice(),
                registry,
                options.encode_options.clone(),
                options.codec_options.clone(),
                options.dtype,
            )?;
            let shape_source = if options.packed_index { ShapeSource::Index } else { ShapeSource::Header };
            let context = EncodeContext {
                grid,
                symmetric: options.symmetric,
                dtype: options.dtype,
                codecs,
                shape_source,
                group_tiles: options.group_tiles,
            };
            Sink::Compressed(Box::new(CompressedSink::new(&options.path, context)?))
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

    /// Records in the header's metadata that the source summed `count` duplicate pixels
    /// ([`Metadata::duplicates_summed`](crate::Metadata::duplicates_summed)); 0 records nothing.
    /// Call it before [`Writer::finish`], once the source has been read.
    ///
    /// # Errors
    /// [`ContainerError::HeaderAlreadyWritten`] for a non-zero count in a version 1/2 file.
    pub fn record_duplicates_summed(&mut self, count: u64) -> Result<()> {
        if count == 0 {
            return Ok(());
        }
        if matches!(self.sink, Sink::Dense(..)) {
            return Err(ContainerError::HeaderAlreadyWritten {
                version: self.options.version,
                field: "duplicates_summed",
            });
        }
        self.options.metadata.duplicates_summed = Some(count);
        Ok(())
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
            Sink::Compressed(sink) => sink.tiles(),
            Sink::Dense(_, tiles, _) => *tiles,
        }
    }

    fn store(&mut self, tiles: Vec<SparseTile>) -> Result<()> {
        let (grid, symmetric, dtype) = (self.grid, self.options.symmetric, self.options.dtype);
        match &mut self.sink {
            Sink::Compressed(sink) => sink.add_band(tiles),
            Sink::Dense(sink, count, nnz) => {
                for tile in tiles {
                    let coord = tile.coord;
                    let built = tile.build(&grid, symmetric, dtype)?;
                    let data =
                        built.dense().map_err(|source| ContainerError::tile(coord, writer_error(source)))?;
                    sink.write_tile(&self.out, coord, &data)?;
                    *count += 1;
                    *nnz += u64::from(built.nnz());
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
            Sink::Compressed(sink) => {
                let genome = options.encoded_genome()?;
                let trailer = genome.as_ref().map_or(&[][..], EncodedGenome::bytes);
                let order = TileOrder::for_version(options.version);
                let totals =
                    sink.finish(&out, order, options.packed_index, trailer, |index, codecs, at| {
                        let mut header = options.header(Some(index), codecs, None);
                        header.genome = genome.as_ref().map(|g| g.record_at(at));
                        header
                    })?;
                options.summary(
                    grid,
                    totals.tiles,
                    totals.nnz,
                    totals.payload_bytes,
                    totals.codec_counts,
                    totals.groups,
                )
            }
            Sink::Dense(sink, tiles, nnz) => {
                let payload = DenseLayout::array_bytes(options.version, &grid).unwrap_or(u64::MAX);
                sink.finish(&out)?;
                options.summary(grid, tiles, nnz, payload, BTreeMap::new(), 0)
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
