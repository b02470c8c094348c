//! Writing cooler files with bounded memory: a `.cool` ([`CoolWriter`], schema version 3) or
//! a multi-resolution `.mcool` ([`McoolWriter`], cooler's MCOOL v2 layout).
//!
//! Each matrix group has the layout `cooler` writes: `chroms/{name,length}`,
//! `bins/{chrom,start,end}` plus one float64 column per weight vector,
//! `pixels/{bin1_id,bin2_id,count}` (the upper triangle for symmetric maps),
//! `indexes/{chrom_offset,bin1_offset}`, and the attributes `format`, `format-version`,
//! `bin-type`, `bin-size`, `storage-mode`, `nbins`, `nchroms`, `nnz`, `assembly`,
//! `generated-by` and `creation-date`. A `.cool` has that group at its root; a `.mcool` has one
//! at each `/resolutions/R`, and the root attributes `format` = `HDF5::MCOOL` and
//! `format-version` = 2, as `cooler zoomify` writes them. Weight vectors named `KR`, `VC` or
//! `VC_SQRT` are stored as `1 / w`, since cooler reads those names as divisive.
//!
//! HDF5 is written by the pure-Rust `hdf5-pure` crate (no libhdf5), both kinds the same way:
//! an empty file is created and reopened for editing; each matrix group is staged and
//! committed without its pixels; then its pixel columns grow in place, chunk by chunk (shuffle +
//! deflate, as cooler stores them). Memory stays at a few chunks plus one `int64` per bin of the
//! group being written; a `.mcool`'s groups are written one after the other.
//!
//! ```no_run
//! use gzcm_hic::cool_writer::{CoolMeta, CoolWriter};
//! # fn demo(genome: &gzcm_genome::Genome) -> Result<(), gzcm_hic::cool_writer::CoolWriteError> {
//! let meta = CoolMeta {
//!     genome,
//!     symmetric: true,
//!     count_type: gzcm_hic::CountType::Int,
//!     generated_by: "gzcm".into(),
//!     creation_date: gzcm_hic::cool_writer::iso8601_now(),
//! };
//! let mut writer = CoolWriter::create("out.cool".as_ref(), &meta)?;
//! writer.push(gzcm_hic::Pixel { bin1: 0, bin2: 3, count: 7.0 })?;
//! writer.finish()?;
//! # Ok(()) }
//! ```

mod date;
mod error;
mod group;
mod layout;
mod mcool;

use std::path::Path;

use gzcm_genome::Genome;
use hdf5_pure::{File, FileAccessProperties, FileBuilder, MemoryStrategy, SyncPolicy};

pub use date::{iso8601_now, iso8601_utc};
pub use error::CoolWriteError;
pub use mcool::{McoolWriter, ResolutionWriter};

use crate::source::{CountType, Pixel};
use group::MatrixGroup;
use layout::Layout;

/// What a cooler matrix says besides its pixels.
#[derive(Clone, Debug)]
pub struct CoolMeta<'a> {
    /// Chromosomes, bins, assembly, resolution, and the balancing vectors, written as float64
    /// `bins/<name>` columns.
    pub genome: &'a Genome,
    /// Upper triangle only (`storage-mode` `symmetric-upper`), else `square`.
    pub symmetric: bool,
    /// int32 or float64 `pixels/count`.
    pub count_type: CountType,
    /// The matrix group's `generated-by` attribute (e.g. `gzcm 0.1.0`).
    pub generated_by: String,
    /// The matrix group's `creation-date` attribute (ISO 8601, see [`iso8601_now`]).
    pub creation_date: String,
}

/// A cooler file being written: [`CoolWriter::create`], [`CoolWriter::push`] every pixel in
/// row-major order, then [`CoolWriter::finish`]. Dropping it unfinished leaves an incomplete file
/// (write to a temporary path and rename on success).
pub struct CoolWriter {
    file: File,
    matrix: MatrixGroup,
}

impl std::fmt::Debug for CoolWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoolWriter").field("nnz", &self.matrix.nnz()).finish_non_exhaustive()
    }
}

impl CoolWriter {
    /// Writes everything but the pixels to `path` (replacing its contents) and opens it for
    /// appending them.
    ///
    /// # Errors
    /// [`CoolWriteError::Genome`] when the genome or a weight vector cannot be cooler columns
    /// (int32 coordinates, ASCII names, weight names that are not `chrom`, `start`, `end`);
    /// [`CoolWriteError::Hdf5`] when the file cannot be written.
    pub fn create(path: &Path, meta: &CoolMeta<'_>) -> Result<CoolWriter, CoolWriteError> {
        let layout = Layout::new(meta)?;
        let file = create_file(path, FileBuilder::new())?;
        let matrix = MatrixGroup::create(&file, file.root(), layout, meta)?;
        Ok(CoolWriter { file, matrix })
    }

    /// Adds one pixel; pixels must come sorted by `bin1`, then `bin2`, each cell once (and
    /// `bin1 <= bin2` for a symmetric file).
    ///
    /// # Errors
    /// [`CoolWriteError::PixelOutOfRange`], [`CoolWriteError::Unsorted`],
    /// [`CoolWriteError::BelowDiagonal`], [`CoolWriteError::CountOutOfRange`] for an integer
    /// count beyond int32; [`CoolWriteError::Hdf5`] when appending fails.
    pub fn push(&mut self, pixel: Pixel) -> Result<(), CoolWriteError> {
        self.matrix.push(pixel)
    }

    /// The number of pixels pushed so far.
    #[must_use]
    pub fn nnz(&self) -> u64 {
        self.matrix.nnz()
    }

    /// Appends the last pixels, writes `indexes/bin1_offset` and the `nnz` attribute, and
    /// closes the file (synced to disk). Returns the number of pixels written.
    ///
    /// # Errors
    /// [`CoolWriteError::Hdf5`] when the file cannot be completed.
    pub fn finish(self) -> Result<u64, CoolWriteError> {
        let nnz = self.matrix.finish(&self.file)?;
        self.file.close().map_err(CoolWriteError::hdf5("close"))?;
        Ok(nnz)
    }
}

/// Writes `builder`'s file to `path` (replacing its contents) and reopens it for editing with
/// bounded memory (no copy of the file is held), synced to disk when closed.
fn create_file(path: &Path, builder: FileBuilder) -> Result<File, CoolWriteError> {
    builder.write(path).map_err(CoolWriteError::hdf5("create the file"))?;
    let access = FileAccessProperties::new()
        .with_memory_strategy(MemoryStrategy::Bounded)
        .with_sync_policy(SyncPolicy::OnClose);
    File::open_rw_with_options(path, access).map_err(CoolWriteError::hdf5("reopen for writing"))
}
