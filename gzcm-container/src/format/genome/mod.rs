//! The genome extension on disk (docs/format.md, "Genome extension"): the header's `genome`
//! record, and the zstd blocks of variable bins and weight vectors it points to. The genome
//! itself (chromosomes, bins, weights) is the model in [`crate::genome`].

pub(crate) mod blocks;
pub mod record;

pub use record::{BLOCK_CODEC, BinsRecord, BlockRef, GenomeRecord, WeightRecord};
