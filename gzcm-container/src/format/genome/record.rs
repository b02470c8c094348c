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
    /// Cis expected tables computed by gzcm (format revision expected-1, docs/format.md entry
    /// 49); absent when there are none, so files without them keep their bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<ExpectedRecord>,
}

impl GenomeRecord {
    /// Every block the record references: the variable bins' block, the expected tables',
    /// then the weights'. Expected tables come before the weights (docs/format.md entry 49):
    /// a stored table needs its weight vector, so a weight block is always last and readers
    /// that predate the tables still find the end of the referenced bytes at the last one.
    pub fn blocks(&self) -> impl Iterator<Item = &BlockRef> {
        let bins = match &self.bins {
            BinsRecord::Variable { block } => Some(block),
            BinsRecord::Fixed { .. } => None,
        };
        bins.into_iter()
            .chain(self.expected.iter().map(|e| &e.block))
            .chain(self.weights.iter().map(|w| &w.block))
    }

    /// Index in [`GenomeRecord::blocks`] order of the first weight block.
    #[must_use]
    pub fn first_weight_block(&self) -> usize {
        usize::from(matches!(self.bins, BinsRecord::Variable { .. })) + self.expected.len()
    }

    /// The bytes from the first referenced block to the end of the last (`None` without
    /// blocks).
    #[must_use]
    pub fn blocks_span(&self) -> Option<std::ops::Range<u64>> {
        let start = self.blocks().map(|b| b.offset).min()?;
        Some(start..self.blocks_end()?)
    }

    /// Gives the blocks consecutive offsets from `at`, in [`GenomeRecord::blocks`] order (how
    /// writers lay them out: back to back, no gaps).
    pub(crate) fn place_blocks(&mut self, mut at: u64) {
        if let BinsRecord::Variable { block } = &mut self.bins {
            block.offset = at;
            at += block.length;
        }
        for table in &mut self.expected {
            table.block.offset = at;
            at += table.block.length;
        }
        for weight in &mut self.weights {
            weight.block.offset = at;
            at += weight.block.length;
        }
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WeightRecord {
    /// The vector's name.
    pub name: String,
    /// Where its values are.
    pub block: BlockRef,
    /// How gzcm computed the vector (format revision balance-1, docs/format.md entry 48);
    /// absent for vectors that came from another tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<BalanceRecord>,
}

impl WeightRecord {
    /// The record of vector `name` stored in `block`, with how it was computed.
    #[must_use]
    pub fn new(name: impl Into<String>, block: BlockRef, balance: Option<BalanceRecord>) -> Self {
        WeightRecord { name: name.into(), block, balance }
    }
}

/// How a weight vector was computed by `gzcm balance` (docs/format.md entry 48): the method,
/// the mode, the outcome and the options, stored next to the vector in the header's weight
/// record. Readers that predate it ignore the key. Values that are NaN (e.g. the scale of a
/// chromosome whose every bin is masked) are stored as JSON `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BalanceRecord {
    /// `ice`, `vc`, `vc_sqrt` or `scale`.
    pub method: String,
    /// `genome-wide`, `cis` or `trans`.
    pub mode: String,
    /// Whether the iteration met its stopping rule (every chromosome's, in cis mode); `true` for
    /// the exact methods.
    pub converged: bool,
    /// Iterations run (the most any chromosome ran, in cis mode); 0 for the exact methods.
    pub iterations: u64,
    /// ICE: the mean of the nonzero marginals at the last iteration, divided out so that the
    /// balanced matrix's nonzero marginals average 1; SCALE: Juicer's final scale factor, which
    /// makes the balanced matrix's sum the raw one's (one value; one per chromosome in cis
    /// mode); empty for the exact methods.
    #[serde(default)]
    pub scale: Vec<Option<f64>>,
    /// ICE: the variance of the nonzero marginals at the last iteration; SCALE: the variance of
    /// the balanced row sums before the final scale factor (as `scale`).
    #[serde(default)]
    pub variance: Vec<Option<f64>>,
    /// Bins masked (NaN weight).
    pub masked_bins: u64,
    /// The options the vector was computed with (`ignore_diags`, `min_nnz`, `min_count`,
    /// `mad_max`, `tol`, `max_iters`, `blacklisted_bins`), as given.
    #[serde(default)]
    pub options: BalanceOptionsRecord,
    /// The program that computed it (`gzcm 0.1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
}

/// The options of a [`BalanceRecord`] (ICE's filters and stopping rule; the exact methods
/// record only what they use).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BalanceOptionsRecord {
    /// Diagonals ignored (0 = none; 2 = the main diagonal and the first off-diagonal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_diags: Option<u64>,
    /// Bins with fewer nonzero pixels were masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_nnz: Option<u64>,
    /// Bins with a smaller marginal count were masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_count: Option<f64>,
    /// Bins whose log marginal lay more than this many median absolute deviations below the
    /// median were masked (0 = off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mad_max: Option<f64>,
    /// Convergence tolerance on the variance of the marginals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tol: Option<f64>,
    /// Iteration limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iters: Option<u64>,
    /// Bins masked by a blacklist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blacklisted_bins: Option<u64>,
}

/// One entry of `genome.expected` (format revision expected-1, docs/format.md entry 49): a cis
/// expected table as `gzcm expected --store` computed it, keyed by the weight vector and
/// `ignore_diags` it was computed with. Its block holds `n_bins` rows, one per diagonal of each
/// chromosome in order (row `k` is diagonal `k - bin_start` of the chromosome holding bin `k`),
/// as three columns: `n_valid` (little-endian u64), `count.sum` and `balanced.sum`
/// (little-endian float64).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExpectedRecord {
    /// The weight vector that balanced the counts and marked the bad bins.
    pub balance: String,
    /// Diagonals whose sums are NaN (cooltools' `ignore_diags`).
    pub ignore_diags: u64,
    /// crc32c of the weight vector's values (little-endian float64) when the table was
    /// computed: a table whose vector changed since is not used.
    pub weights_crc32c: u32,
    /// Where its columns are.
    pub block: BlockRef,
    /// The program that computed it (`gzcm 0.1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
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
