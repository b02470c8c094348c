//! A chromosome pair's matrix record: its zoom levels and, at one of them, the block index.

use std::io::{Read, Seek};

use super::input::Input;
use crate::error::HicError;

/// Bytes of one block index entry: number (int), position (long), size (int).
const BLOCK_ENTRY_BYTES: u64 = 4 + 8 + 4;

/// Where one block is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BlockRef {
    /// File position of its compressed bytes.
    pub(crate) position: u64,
    /// Its compressed size.
    pub(crate) size: u64,
}

/// Reads the matrix record at `position` (expected to be for header chromosomes `chrom1` and
/// `chrom2`) and returns the blocks of the base-pair zoom level of bin size `resolution`.
///
/// Juicer writes every resolution for every pair it lists, so a pair without that level has a
/// damaged zoom level (bin size or unit), not "no contacts": an error. So is a block index that
/// lists one block twice or blocks that overlap (each would be inflated again per entry).
///
/// For an intra-chromosomal pair, `intra_bins` is the chromosome's bin count from the header's
/// length: Juicer's block grid (`blockBinCount × blockColumnCount`) covers every bin, so a
/// length larger than the grid is a damaged length, refused before anything is sized by it.
pub(crate) fn read_blocks<R: Read + Seek>(
    input: &mut Input<R>,
    position: i64,
    (chrom1, chrom2): (usize, usize),
    resolution: u64,
    intra_bins: Option<u64>,
) -> Result<Vec<BlockRef>, HicError> {
    input.set_region(format!("matrix record of chromosomes {chrom1}_{chrom2}"));
    input.seek_to(position, "matrix position")?;
    let first = input.i32("first chromosome")?;
    let second = input.i32("second chromosome")?;
    if usize::try_from(first).ok() != Some(chrom1) || usize::try_from(second).ok() != Some(chrom2) {
        return Err(input.error(format!(
            "the record is for chromosomes {first}_{second}, the master index says {chrom1}_{chrom2}"
        )));
    }
    // A zoom level is at least its unit string, nine 4-byte fields and no blocks.
    let n_levels = input.count_i32(2 + 9 * 4, "zoom level count")?;
    let mut found = None;
    for _ in 0..n_levels {
        let unit = input.string("unit")?;
        input.i32("resolution index")?;
        input.f32("sum of counts")?;
        input.i32("occupied cell count")?;
        input.f32("5th percentile")?;
        input.f32("95th percentile")?;
        let bin_size = input.i32("bin size")?;
        let block_bins = input.i32("block size")?;
        let block_columns = input.i32("block column count")?;
        let n_blocks = input.count_i32(BLOCK_ENTRY_BYTES, "block count")?;
        let wanted = unit == "BP" && u64::try_from(bin_size).ok() == Some(resolution);
        if wanted && found.is_none() {
            check_grid(input, intra_bins, block_bins, block_columns)?;
        }
        if !wanted || found.is_some() {
            input.skip(n_blocks as u64 * BLOCK_ENTRY_BYTES, "block index")?;
            continue;
        }
        let mut blocks = Vec::with_capacity(n_blocks);
        for _ in 0..n_blocks {
            input.i32("block number")?;
            let position = input.i64("block position")?;
            let size = input.i32("block size in bytes")?;
            let (Ok(position), Ok(size)) = (u64::try_from(position), u64::try_from(size)) else {
                return Err(input.error(format!("block at {position} of {size} bytes")));
            };
            blocks.push(BlockRef { position, size });
        }
        found = Some(blocks);
    }
    let mut blocks = found.ok_or_else(|| {
        input.error(format!("the pair lists no zoom level of {resolution} bp (unit BP) among its {n_levels}"))
    })?;
    refuse_overlaps(input, &mut blocks)?;
    Ok(blocks)
}

/// Refuses a chromosome of `intra_bins` bins (if intra-chromosomal) that the level's block grid
/// does not cover.
fn check_grid<R: Read + Seek>(
    input: &Input<R>,
    intra_bins: Option<u64>,
    block_bins: i32,
    block_columns: i32,
) -> Result<(), HicError> {
    let Some(n_bins) = intra_bins else { return Ok(()) };
    let grid =
        u64::try_from(block_bins).unwrap_or(0).saturating_mul(u64::try_from(block_columns).unwrap_or(0));
    if n_bins > grid {
        return Err(input.error(format!(
            "the header's length makes {n_bins} bins, more than the {block_bins}×{block_columns} bins \
             of the chromosome's block grid"
        )));
    }
    Ok(())
}

/// Sorts `blocks` by position and refuses any that share bytes with the next.
fn refuse_overlaps<R: Read + Seek>(input: &Input<R>, blocks: &mut [BlockRef]) -> Result<(), HicError> {
    blocks.sort_unstable_by_key(|b| (b.position, b.size));
    for pair in blocks.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.position.saturating_add(a.size) > b.position {
            return Err(input.error(format!(
                "the block index lists overlapping blocks: {} bytes at {} and {} bytes at {}",
                a.size, a.position, b.size, b.position
            )));
        }
    }
    Ok(())
}
