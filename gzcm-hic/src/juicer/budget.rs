//! How many bytes a file's blocks may decompress to, bounded by the file's own size.
//!
//! Real `.hic` blocks inflate to a few times their compressed size (the shared files: under 4×
//! over all resolutions together), so a file whose blocks claim far more is a zlib bomb or a
//! block index that lists the same block again and again. Each pass over the pixels gets
//! [`TOTAL_FACTOR`] times the file's size, and no block more than [`BLOCK_FACTOR`] times (nor
//! more than [`MAX_BLOCK_BYTES`]); small files get at least [`FLOOR`] bytes of each.

use super::block::MAX_BLOCK_BYTES;

/// One block may inflate to at most this many times the file's size.
pub(crate) const BLOCK_FACTOR: u64 = 16;

/// All blocks of one pass together may inflate to at most this many times the file's size.
pub(crate) const TOTAL_FACTOR: u64 = 64;

/// The least either limit is, so small files keep room for ordinary compression.
pub(crate) const FLOOR: u64 = 1 << 20;

/// The inflation budget of one pass over a file of `file_len` bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InflateBudget {
    /// Bytes the remaining blocks of this pass may still inflate to.
    left: u64,
    /// The most one block may inflate to.
    per_block: u64,
}

impl InflateBudget {
    /// The budget of a file of `file_len` bytes.
    pub(crate) fn for_file(file_len: u64) -> Self {
        let per_block = file_len.saturating_mul(BLOCK_FACTOR).clamp(FLOOR, MAX_BLOCK_BYTES);
        let left = file_len.saturating_mul(TOTAL_FACTOR).max(FLOOR);
        Self { left, per_block }
    }

    /// The most the next block may inflate to.
    pub(crate) fn next_block_limit(&self) -> u64 {
        self.per_block.min(self.left)
    }

    /// Records a block of `inflated` bytes (at most [`InflateBudget::next_block_limit`]).
    pub(crate) fn spend(&mut self, inflated: u64) {
        self.left = self.left.saturating_sub(inflated);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_scale_with_the_file_and_the_cap() {
        let small = InflateBudget::for_file(1000);
        assert_eq!(small.next_block_limit(), FLOOR);
        let large = InflateBudget::for_file(1 << 30);
        assert_eq!(large.next_block_limit(), MAX_BLOCK_BYTES);
        let mut mid = InflateBudget::for_file(2 << 20);
        assert_eq!(mid.next_block_limit(), 32 << 20);
        for _ in 0..3 {
            mid.spend(32 << 20);
        }
        assert_eq!(mid.next_block_limit(), 32 << 20);
        mid.spend(32 << 20);
        assert_eq!(mid.next_block_limit(), 0);
    }
}
