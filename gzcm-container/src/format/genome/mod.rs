//! The genome extension on disk (docs/format.md, "Genome extension"): the header's `genome`
//! record, and the zstd blocks of variable bins and weight vectors it points to. The genome
//! itself (chromosomes, bins, weights, regions, balancing) is the model in the `gzcm-genome`
//! crate.

pub(crate) mod blocks;
pub mod error;
pub mod expected;
pub mod record;

pub use error::GenomeBlockError;
pub use expected::{ExpectedTableError, RowProblem, StoredExpected, weights_crc32c};
pub use record::{
    BLOCK_CODEC, BalanceOptionsRecord, BalanceRecord, BinsRecord, BlockRef, ExpectedRecord, GenomeRecord,
    WeightRecord,
};
