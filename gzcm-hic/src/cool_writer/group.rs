//! One cooler matrix group being filled, wherever it sits in the file: its [`Layout`] staged
//! and committed, then its `pixels` columns grown in place a few chunks at a time, then
//! `indexes/bin1_offset` and the `nnz` attribute written. Memory is a few chunks of pixels plus
//! one pixel count per bin.

use hdf5_pure::{AttrValue, Dataset, File, Group};

use super::CoolMeta;
use super::error::CoolWriteError;
use super::layout::{self, Layout, PIXEL_CHUNK};
use crate::source::{CountType, Pixel};

/// Pixels buffered before they are appended: four chunks, so appends stay chunk-aligned.
const BATCH: usize = 4 * PIXEL_CHUNK as usize;

/// A matrix group taking pixels.
pub(crate) struct MatrixGroup {
    group: Group,
    columns: [Dataset; 3],
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

impl MatrixGroup {
    /// Stages `layout` into `group` (of `file`), commits it, and opens the pixel columns.
    pub(crate) fn create(
        file: &File,
        group: Group,
        layout: Layout,
        meta: &CoolMeta<'_>,
    ) -> Result<MatrixGroup, CoolWriteError> {
        let n_bins = meta.genome.n_bins();
        let rows = usize::try_from(n_bins).map_err(|_| layout::too_many_bins(n_bins))?;
        let mut row_counts = Vec::new();
        row_counts.try_reserve_exact(rows).map_err(|_| layout::too_many_bins(n_bins))?;
        row_counts.resize(rows, 0);
        layout.stage(&group)?;
        file.commit().map_err(CoolWriteError::hdf5("write the matrix layout"))?;
        let column = |name| group.dataset(name).map_err(CoolWriteError::hdf5("open a pixel column"));
        let columns = [column("pixels/bin1_id")?, column("pixels/bin2_id")?, column("pixels/count")?];
        Ok(MatrixGroup {
            group,
            columns,
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

    /// Adds one pixel (see [`super::CoolWriter::push`] for the rules).
    pub(crate) fn push(&mut self, pixel: Pixel) -> Result<(), CoolWriteError> {
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
    pub(crate) fn nnz(&self) -> u64 {
        self.nnz
    }

    /// Appends the buffered pixels to the columns.
    fn flush(&mut self) -> Result<(), CoolWriteError> {
        if self.bin1.is_empty() {
            return Ok(());
        }
        let append = || CoolWriteError::hdf5("append pixels");
        let [bin1, bin2, count] = &mut self.columns;
        bin1.append(&self.bin1).map_err(append())?;
        bin2.append(&self.bin2).map_err(append())?;
        match self.count_type {
            CountType::Int => count.append(&self.int_counts),
            CountType::Float => count.append(&self.float_counts),
        }
        .map_err(append())?;
        self.bin1.clear();
        self.bin2.clear();
        self.int_counts.clear();
        self.float_counts.clear();
        Ok(())
    }

    /// Appends the last pixels, writes `indexes/bin1_offset` and the `nnz` attribute, and
    /// commits them. Returns the number of pixels written.
    pub(crate) fn finish(mut self, file: &File) -> Result<u64, CoolWriteError> {
        self.flush()?;
        let mut offsets = Vec::with_capacity(self.row_counts.len() + 1);
        let mut total = 0i64;
        offsets.push(0i64);
        for &count in &self.row_counts {
            total += count as i64;
            offsets.push(total);
        }
        layout::stage_bin1_offset(&self.group, &offsets)?;
        self.group
            .set_attr("nnz", AttrValue::I64(self.nnz as i64))
            .map_err(CoolWriteError::hdf5("set nnz"))?;
        file.commit().map_err(CoolWriteError::hdf5("commit"))?;
        Ok(self.nnz)
    }
}
