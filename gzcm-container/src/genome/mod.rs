//! Genome data stored in a `.gzcm` file (docs/format.md, "Genome extension"): the header's
//! `genome` record and its compressed, checksummed blocks. The model itself (chromosomes, bins,
//! weight vectors, regions, balancing) is the `gzcm-genome` crate.
//!
//! Give a [`Genome`](gzcm_genome::Genome) to [`WriterBuilder::genome`](crate::WriterBuilder::genome);
//! read it back with [`Reader::genome`](crate::Reader::genome), balanced windows with
//! [`Reader::balanced_region`](crate::Reader::balanced_region). Files without one (every file
//! converted from COO text or `.npy`, and every file written before the extension) read as
//! before.

mod balanced;
pub mod error;
pub mod record;
mod store;

pub use error::GenomeBlockError;
pub use record::{BinsRecord, BlockRef, GenomeRecord, WeightRecord};
pub(crate) use store::{EncodedGenome, Region, load};
