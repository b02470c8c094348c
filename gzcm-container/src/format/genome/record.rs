//! The header's `genome` object (docs/format.md, "Genome extension"): what it says and where
//! its blocks are.

use serde::{Deserialize, Serialize};

/// The only compression genome blocks use.
pub const BLOCK_CODEC: &str = "zstd";

/// `genome` in the header JSON. Chromosomes are in `metadata.chroms`, the bin size of fixed
/// bins also in `metadata.resolution`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GenomeRecord {
    /// The number of bins: the last chromosome's `bin_end`, and the matrix's edge.
    pub n_bins: u64,
    /// The genome assembly (`hg19`, `sacCer3`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assembly: Option<String>,
    /// The bin layout.
    pub bins: BinsRecord,
    /// The weight vectors, each `n_bins` little-endian float64 values in a block.
    #[serde(default)]
    pub weights: Vec<WeightRecord>,
}

impl GenomeRecord {
    /// Every block the record references: the variable bins' block, then the weights'.
    pub fn blocks(&self) -> impl Iterator<Item = &BlockRef> {
        let bins = match &self.bins {
            BinsRecord::Variable { block } => Some(block),
            BinsRecord::Fixed { .. } => None,
        };
        bins.into_iter().chain(self.weights.iter().map(|w| &w.block))
    }

    /// The bytes from the first referenced block to the end of the last (`None` without
    /// blocks).
    #[must_use]
    pub fn blocks_span(&self) -> Option<std::ops::Range<u64>> {
        let start = self.blocks().map(|b| b.offset).min()?;
        Some(start..self.blocks_end()?)
    }

    /// One past the last byte of any referenced block (`None` without blocks).
    #[must_use]
    pub fn blocks_end(&self) -> Option<u64> {
        self.blocks().map(|b| b.offset.saturating_add(b.length)).max()
    }
}

/// `genome.bins`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum BinsRecord {
    /// Fixed-size bins.
    Fixed {
        /// Bin size in bp.
        bin_size: u64,
    },
    /// Bins listed one by one: the block holds `n_bins` little-endian u64 starts, then
    /// `n_bins` ends.
    Variable {
        /// Where the starts and ends are.
        block: BlockRef,
    },
}

/// One entry of `genome.weights`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WeightRecord {
    /// The vector's name.
    pub name: String,
    /// Where its values are.
    pub block: BlockRef,
}

/// A compressed, checksummed block in the payload area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlockRef {
    /// Absolute offset of the stored bytes.
    pub offset: u64,
    /// Stored (compressed) length.
    pub length: u64,
    /// crc32c (Castagnoli) of the stored bytes.
    pub crc32c: u32,
    /// How the bytes are compressed: always `zstd`.
    pub codec: String,
}
