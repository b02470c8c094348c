//! Writing cooler files (`.cool`, schema version 3) with bounded memory.
//!
//! The layout is the one `cooler` writes: `chroms/{name,length}`, `bins/{chrom,start,end}` plus
//! one float64 column per weight vector, `pixels/{bin1_id,bin2_id,count}` (the upper triangle
//! for symmetric maps), `indexes/{chrom_offset,bin1_offset}`, and the root attributes `format`,
//! `format-version`, `bin-type`, `bin-size`, `storage-mode`, `nbins`, `nchroms`, `nnz`,
//! `assembly`, `generated-by` and `creation-date`. Weight vectors named `KR`, `VC` or `VC_SQRT`
//! are stored as `1 / w`, since cooler reads those names as divisive. HDF5 is written by the pure-Rust `hdf5-pure`
//! crate (no libhdf5): the skeleton first, then the pixel columns grow in place, chunk by chunk
//! (shuffle + deflate, as cooler stores them), so memory stays at a few chunks plus one
//! `int64` per bin for the row index.
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
mod skeleton;

use std::path::Path;

use gzcm_genome::Genome;
use hdf5_pure::{AttrValue, Dataset, File, FileAccessProperties, MemoryStrategy, SyncPolicy};

pub use date::{iso8601_now, iso8601_utc};
pub use error::CoolWriteError;

use crate::source::{CountType, Pixel};

/// What a cooler file says besides its pixels.
#[derive(Clone, Debug)]
pub struct CoolMeta<'a> {
    /// Chromosomes, bins, assembly, resolution, and the balancing vectors, written as float64
    /// `bins/<name>` columns.
    pub genome: &'a Genome,
    /// Upper triangle only (`storage-mode` `symmetric-upper`), else `square`.
    pub symmetric: bool,
    /// int32 or float64 `pixels/count`.
    pub count_type: CountType,
    /// The root `generated-by` attribute (e.g. `gzcm 0.1.0`).
    pub generated_by: String,
    /// The root `creation-date` attribute (ISO 8601, see [`iso8601_now`]).
    pub creation_date: String,
}

/// Pixels buffered before they are appended: four chunks, so appends stay chunk-aligned.
const BATCH: usize = 4 * skeleton::PIXEL_CHUNK as usize;

/// A cooler file being written: [`CoolWriter::create`], [`CoolWriter::push`] every pixel in
/// row-major order, then [`CoolWriter::finish`]. Dropping it unfinished leaves an incomplete file
/// (write to a temporary path and rename on success).
pub struct CoolWriter {
    file: File,
    count_type: CountType,
    symmetric: bool,
    n_bins: u64,
    /// Pixels per row so far; `row_counts[i]` is row `i`'s (prefix-summed into
    /// `bin1_offset` at the end).
    row_counts: Vec<u64>,
    nnz: u64,
    last: Option<(u64, u64)>,
    bin1: Vec<i64>,
    bin2: Vec<i64>,
    int_counts: Vec<i32>,
    float_counts: Vec<f64>,
}

impl std::fmt::Debug for CoolWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoolWriter")
            .field("n_bins", &self.n_bins)
            .field("nnz", &self.nnz)
            .finish_non_exhaustive()
    }
}

impl CoolWriter {
    /// Writes everything but the pixels to `path` (replacing its contents) and opens it for
    /// appending them.
    ///
    /// # Errors
    /// [`CoolWriteError::Genome`] when the genome or a weight vector cannot be cooler columns
    /// (int32 coordinates, ASCII names, weight names that are not `chrom`, `start`, `end`); [`CoolWriteError::Hdf5`] when the
    /// file cannot be written.
    pub fn create(path: &Path, meta: &CoolMeta<'_>) -> Result<CoolWriter, CoolWriteError> {
        skeleton::write(path, meta)?;
        let access = FileAccessProperties::new()
            .with_memory_strategy(MemoryStrategy::Bounded)
            .with_sync_policy(SyncPolicy::OnClose);
        let file =
            File::open_rw_with_options(path, access).map_err(CoolWriteError::hdf5("reopen for appending"))?;
        let n_bins = meta.genome.n_bins();
        let rows = usize::try_from(n_bins).map_err(|_| skeleton::too_many_bins(n_bins))?;
        let mut row_counts = Vec::new();
        row_counts.try_reserve_exact(rows).map_err(|_| skeleton::too_many_bins(n_bins))?;
        row_counts.resize(rows, 0);
        Ok(CoolWriter {
            file,
            count_type: meta.count_type,
            symmetric: meta.symmetric,
            n_bins,
            row_counts,
            nnz: 0,
            last: None,
            bin1: Vec::new(),
            bin2: Vec::new(),
            int_counts: Vec::new(),
            float_counts: Vec::new(),
        })
    }

    /// Adds one pixel; pixels must come sorted by `bin1`, then `bin2`, each cell once (and
    /// `bin1 <= bin2` for a symmetric file).
    ///
    /// # Errors
    /// [`CoolWriteError::PixelOutOfRange`], [`CoolWriteError::Unsorted`],
    /// [`CoolWriteError::BelowDiagonal`], [`CoolWriteError::CountOutOfRange`] for an integer
    /// count beyond int32; [`CoolWriteError::Hdf5`] when appending fails.
    pub fn push(&mut self, pixel: Pixel) -> Result<(), CoolWriteError> {
        let Pixel { bin1, bin2, count } = pixel;
        if bin1 >= self.n_bins || bin2 >= self.n_bins {
            return Err(CoolWriteError::PixelOutOfRange { bin1, bin2, n_bins: self.n_bins });
        }
        if let Some((prev1, prev2)) = self.last
            && (bin1, bin2) <= (prev1, prev2)
        {
            return Err(CoolWriteError::Unsorted { bin1, bin2, prev1, prev2 });
        }
        if self.symmetric && bin1 > bin2 {
            return Err(CoolWriteError::BelowDiagonal { bin1, bin2 });
        }
        match self.count_type {
            CountType::Int => {
                if count.fract() != 0.0 || !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&count) {
                    return Err(CoolWriteError::CountOutOfRange { bin1, bin2, count });
                }
                self.int_counts.push(count as i32);
            }
            CountType::Float => self.float_counts.push(count),
        }
        self.bin1.push(bin1 as i64);
        self.bin2.push(bin2 as i64);
        self.row_counts[bin1 as usize] += 1;
        self.nnz += 1;
        self.last = Some((bin1, bin2));
        if self.bin1.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// The number of pixels pushed so far.
    #[must_use]
    pub fn nnz(&self) -> u64 {
        self.nnz
    }

    /// Appends the buffered pixels to the file.
    fn flush(&mut self) -> Result<(), CoolWriteError> {
        if self.bin1.is_empty() {
            return Ok(());
        }
        let append = || CoolWriteError::hdf5("append pixels");
        self.column("pixels/bin1_id")?.append(&self.bin1).map_err(append())?;
        self.column("pixels/bin2_id")?.append(&self.bin2).map_err(append())?;
        match self.count_type {
            CountType::Int => self.column("pixels/count")?.append(&self.int_counts),
            CountType::Float => self.column("pixels/count")?.append(&self.float_counts),
        }
        .map_err(append())?;
        self.bin1.clear();
        self.bin2.clear();
        self.int_counts.clear();
        self.float_counts.clear();
        Ok(())
    }

    fn column(&self, path: &str) -> Result<Dataset, CoolWriteError> {
        self.file.dataset(path).map_err(CoolWriteError::hdf5("open a pixel column"))
    }

    /// Appends the last pixels, writes `indexes/bin1_offset` and the `nnz` attribute, and
    /// closes the file (synced to disk). Returns the number of pixels written.
    ///
    /// # Errors
    /// [`CoolWriteError::Hdf5`] when the file cannot be completed.
    pub fn finish(mut self) -> Result<u64, CoolWriteError> {
        self.flush()?;
        let mut offsets = Vec::with_capacity(self.row_counts.len() + 1);
        let mut total = 0i64;
        offsets.push(0i64);
        for &count in &self.row_counts {
            total += count as i64;
            offsets.push(total);
        }
        let indexes = self.file.group("indexes").map_err(CoolWriteError::hdf5("open indexes"))?;
        indexes
            .create_dataset("bin1_offset", |b| {
                b.with_i64_data(&offsets);
                if offsets.len() > 1 {
                    b.with_chunks(&[(offsets.len() as u64).min(skeleton::PIXEL_CHUNK)])
                        .with_shuffle()
                        .with_deflate(6);
                }
            })
            .map_err(CoolWriteError::hdf5("write indexes/bin1_offset"))?;
        self.file
            .root()
            .set_attr("nnz", AttrValue::I64(self.nnz as i64))
            .map_err(CoolWriteError::hdf5("set nnz"))?;
        self.file.commit().map_err(CoolWriteError::hdf5("commit"))?;
        self.file.close().map_err(CoolWriteError::hdf5("close"))?;
        Ok(self.nnz)
    }
}
