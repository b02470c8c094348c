//! A `.gzcm` file as a conversion input: recognised by its magic bytes, read with the
//! container's reader, and written anew with the requested version, codec and tile size. Its
//! shape, symmetry, genome and weight vectors are carried over.
//!
//! Cells are read one stored tile at a time (memory stays at one decoded tile) and fed to the
//! writer's unsorted path, which spills and merges them into row order.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use gzcm::{Dtype, Registry, TileData};
use gzcm_container::format::preamble::MAGIC;
use gzcm_container::{Genome, Metadata, Reader, ReaderOptions, WriteSummary};
use gzcm_io::CellValue;
use gzcm_picker::Decision;

use crate::adaptive::{CellSink, PickerArgs, decide_with};
use crate::error::ConvertError;
use crate::ingest::{WriteOptions, builder};
use crate::progress::{Phase, Progress};

/// Whether the file at `path` starts with the `.gzcm` magic bytes.
#[must_use]
pub fn is_gzcm(path: &Path) -> bool {
    let mut magic = [0u8; MAGIC.len()];
    std::fs::File::open(path).and_then(|mut file| file.read_exact(&mut magic)).is_ok() && magic == MAGIC
}

/// An open `.gzcm` input.
#[derive(Debug)]
pub struct GzcmInput {
    reader: Reader,
}

impl GzcmInput {
    /// Opens the `.gzcm` file at `path` (tiles are decoded as they are read, not cached).
    ///
    /// # Errors
    /// [`ConvertError::Container`] when the file is not a readable `.gzcm` file.
    pub fn open(path: &Path) -> Result<Self, ConvertError> {
        Ok(GzcmInput { reader: Reader::open_with(path, ReaderOptions::new().cache_bytes(0))? })
    }

    /// The file `reader` reads (open it without a tile cache: every tile is read once).
    #[must_use]
    pub fn from_reader(reader: Reader) -> Self {
        GzcmInput { reader }
    }

    /// The matrix shape.
    #[must_use]
    pub fn shape(&self) -> (u64, u64) {
        self.reader.shape()
    }

    /// Whether the file stores a symmetric matrix.
    #[must_use]
    pub fn symmetric(&self) -> bool {
        self.reader.symmetric()
    }

    /// The stored cell type.
    #[must_use]
    pub fn dtype(&self) -> Dtype {
        self.reader.dtype()
    }

    /// The chromosomes, bins and weight vectors, when the file has them.
    #[must_use]
    pub fn genome(&self) -> Option<Genome> {
        self.reader.genome().cloned()
    }

    /// The number of stored non-zero cells, when the file's index records it (v3/v4).
    #[must_use]
    pub fn nnz(&self) -> Option<u64> {
        self.reader.info().nnz
    }

    /// Calls `cell` with every non-zero cell (the upper triangle of a symmetric matrix), one
    /// stored tile after the other.
    fn visit<T: CellValue>(&self, cell: &mut CellSink<'_, T>) -> Result<(), ConvertError> {
        let (symmetric, edge) = (self.symmetric(), u64::from(self.reader.tile_size()));
        for entry in self.reader.stored_tiles() {
            let origin = (u64::from(entry.tile_row) * edge, u64::from(entry.tile_col) * edge);
            let tile = self.reader.tile(entry.tile_row, entry.tile_col)?;
            let mut push = |(r, c): (usize, usize), value: Result<T, _>, count: f64| {
                let (row, col) = (origin.0 + r as u64, origin.1 + c as u64);
                if symmetric && col < row {
                    return Ok(());
                }
                let value = value.map_err(|fault| self.count_error(row, col, count, T::DTYPE, fault))?;
                cell(row, col, value)
            };
            match &tile {
                TileData::U32(cells) => cells
                    .indexed_iter()
                    .filter(|&(_, &v)| v != 0)
                    .try_for_each(|(at, &v)| push(at, T::from_u64(v.into()), v.into()))?,
                TileData::F32(cells) => cells
                    .indexed_iter()
                    .filter(|&(_, &v)| v != 0.0)
                    .try_for_each(|(at, &v)| push(at, T::from_f64(v.into()), v.into()))?,
            }
        }
        Ok(())
    }

    fn count_error(
        &self,
        bin1: u64,
        bin2: u64,
        count: f64,
        dtype: Dtype,
        fault: gzcm_io::ValueFault,
    ) -> ConvertError {
        let input = self.reader.path().display().to_string();
        ConvertError::Count { input, bin1, bin2, count, dtype, fault }
    }

    /// Runs the v4 codec picker on the file's cells (read twice: tile counts, then samples).
    pub(crate) fn decide(
        &self,
        tile_size: u32,
        dtype: Dtype,
        registry: &Registry,
        args: &PickerArgs,
        progress: &dyn Progress,
    ) -> Result<Arc<Decision>, ConvertError> {
        let (shape, symmetric) = (self.shape(), self.symmetric());
        match dtype {
            Dtype::U32 => {
                decide_with::<u32>(shape, symmetric, tile_size, registry, args, progress, |c| self.visit(c))
            }
            Dtype::F32 => {
                decide_with::<f32>(shape, symmetric, tile_size, registry, args, progress, |c| self.visit(c))
            }
            dtype => Err(ConvertError::UnsupportedDtype { dtype, stage: "picker" }),
        }
    }

    /// Writes the file's cells into a new `.gzcm` file at `out`.
    pub(crate) fn write(&self, out: &Path, options: &WriteOptions) -> Result<WriteSummary, ConvertError> {
        match options.dtype {
            Dtype::U32 => self.write_as::<u32>(out, options),
            Dtype::F32 => self.write_as::<f32>(out, options),
            dtype => Err(ConvertError::UnsupportedDtype { dtype, stage: "writer" }),
        }
    }

    fn write_as<T: CellValue>(
        &self,
        out: &Path,
        options: &WriteOptions,
    ) -> Result<WriteSummary, ConvertError> {
        // The description (resolution, region, the original source) is carried over; the writer
        // field becomes this run's.
        let mut metadata: Metadata = self.reader.header().metadata.clone();
        if metadata.source_file.is_none() {
            metadata.source_file = Some(self.reader.path().display().to_string());
        }
        let builder = builder(out, self.shape(), self.symmetric(), metadata, options);
        let progress = options.progress.as_ref();
        let mut writer = builder.create_unsorted()?;
        let bar = Phase::begin(progress, "reading (.gzcm input)", "cells", self.nnz());
        let mut n = 0;
        self.visit::<T>(&mut |row, col, value| {
            writer.push(row, col, value)?;
            n += 1;
            bar.set_position(n);
            Ok(())
        })?;
        drop(bar);
        let _spinner = Phase::begin(progress, "merging and encoding", "", None);
        Ok(writer.finish()?)
    }
}
