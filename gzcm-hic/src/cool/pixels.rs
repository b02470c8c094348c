//! Streams a cooler matrix's pixels in bounded chunks, checked against `bin1_offset`, with
//! pixels repeating a cell summed (cooler sums them too).
//!
//! Rows are contiguous (checked against `bin1_offset`), so duplicates are merged one row at a
//! time: a row's pixels are gathered (across chunk boundaries), sorted by `bin2` and summed.
//! A row holds at most one entry per bin once merged, so it is compacted whenever it grows
//! past twice its last merged size: memory stays bounded by the bins, whatever the file says.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::HicError;
use crate::source::Pixel;

use super::genome::Loaded;
use super::h5::{Column, H5};

/// Pixels read per chunk: three columns of this many values stay in memory at once.
const CHUNK: u64 = 1 << 18;
/// The smallest pending-row length that triggers a compaction.
const MIN_COMPACT: usize = 1 << 16;

/// The pixel stream of one matrix (or of one chromosome's rows of it).
pub(crate) struct Pixels<'a> {
    h5: &'a H5,
    bin1: Column<'a>,
    bin2: Column<'a>,
    count: Column<'a>,
    loaded: &'a Loaded,
    /// The next pixel index to read from the file.
    next: u64,
    /// The current row, as an index into `loaded.row_offsets`.
    row: usize,
    buffer: std::vec::IntoIter<Pixel>,
    /// The current row's pixels, `(bin2, count)`, not yet merged.
    pending: Vec<(u64, f64)>,
    /// The row `pending` belongs to (window-relative).
    pending_row: u64,
    /// `pending`'s length above which it is compacted.
    compact_at: usize,
    /// Duplicate pixels summed so far (shared with the source).
    duplicates: &'a AtomicU64,
    failed: bool,
}

impl<'a> Pixels<'a> {
    /// Opens the pixel columns of the matrix at `group`.
    pub(crate) fn new(
        h5: &'a H5,
        group: &str,
        loaded: &'a Loaded,
        duplicates: &'a AtomicU64,
    ) -> Result<Self, HicError> {
        let at = |name: &str| {
            if group == "/" { format!("/pixels/{name}") } else { format!("{group}/pixels/{name}") }
        };
        Ok(Self {
            h5,
            bin1: h5.dataset(&at("bin1_id"))?,
            bin2: h5.dataset(&at("bin2_id"))?,
            count: h5.dataset(&at("count"))?,
            loaded,
            next: loaded.pixel_range.start,
            row: 0,
            buffer: Vec::new().into_iter(),
            pending: Vec::new(),
            pending_row: 0,
            compact_at: MIN_COMPACT,
            duplicates,
            failed: false,
        })
    }

    /// Reads the next chunk into `buffer`.
    fn fill(&mut self) -> Result<(), HicError> {
        let end = self.loaded.pixel_range.end.min(self.next + CHUNK);
        let range = self.next..end;
        let bin1 = self.bin1.int_range(range.clone())?;
        let bin2 = self.bin2.int_range(range.clone())?;
        let count = self.count.float_range(range.clone())?;
        let window = &self.loaded.window;
        let offsets = &self.loaded.row_offsets;
        let mut pixels = Vec::with_capacity(bin1.len());
        for (k, ((b1, b2), value)) in bin1.into_iter().zip(bin2).zip(count).enumerate() {
            let index = range.start + k as u64;
            while self.row + 1 < offsets.len() && offsets[self.row + 1] <= index {
                self.row += 1;
            }
            let row = window.start + self.row as u64;
            if u64::try_from(b1).ok() != Some(row) {
                return Err(self.h5.error(format!(
                    "pixel {index} has bin1_id {b1}, but indexes/bin1_offset puts it in row {row} \
                     (pixels must be sorted by bin1_id)"
                )));
            }
            let Some(b2) = u64::try_from(b2).ok().filter(|&b| b < self.loaded.file_bins) else {
                return Err(self.h5.error(format!(
                    "pixel {index} has bin2_id {b2}, outside the {} bins",
                    self.loaded.file_bins
                )));
            };
            if self.loaded.symmetric && b2 < row {
                return Err(self.h5.error(format!(
                    "pixel {index} ({row}, {b2}) is below the diagonal of a symmetric-upper file"
                )));
            }
            if !window.contains(&b2) {
                continue;
            }
            let bin1 = row - window.start;
            if bin1 != self.pending_row {
                self.flush_row(&mut pixels);
                self.pending_row = bin1;
            }
            self.pending.push((b2 - window.start, value));
            if self.pending.len() > self.compact_at {
                self.compact();
            }
        }
        self.next = end;
        if end >= self.loaded.pixel_range.end {
            self.flush_row(&mut pixels);
        }
        self.buffer = pixels.into_iter();
        Ok(())
    }

    /// Sorts the pending row by `bin2` and sums the pixels of each cell.
    fn compact(&mut self) {
        self.pending.sort_by_key(|&(bin2, _)| bin2);
        let before = self.pending.len();
        self.pending.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        self.duplicates.fetch_add((before - self.pending.len()) as u64, Ordering::Relaxed);
        self.compact_at = (2 * self.pending.len()).max(MIN_COMPACT);
    }

    /// Moves the pending row, merged, to `out`.
    fn flush_row(&mut self, out: &mut Vec<Pixel>) {
        self.compact();
        let bin1 = self.pending_row;
        out.extend(self.pending.drain(..).map(|(bin2, count)| Pixel { bin1, bin2, count }));
        self.compact_at = MIN_COMPACT;
    }
}

impl Iterator for Pixels<'_> {
    type Item = Result<Pixel, HicError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(pixel) = self.buffer.next() {
                return Some(Ok(pixel));
            }
            if self.next >= self.loaded.pixel_range.end {
                return None;
            }
            if let Err(error) = self.fill() {
                self.failed = true;
                return Some(Err(error));
            }
        }
    }
}
