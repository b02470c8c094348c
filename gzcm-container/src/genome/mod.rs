//! Genomic coordinates and balancing weights stored in a `.gzcm` file (docs/format.md,
//! "Genome extension"): chromosomes, fixed or variable bins, assembly, resolution and named
//! float64 weight vectors.
//!
//! Give a [`Genome`] to [`WriterBuilder::genome`](crate::WriterBuilder::genome); read it back
//! with [`Reader::genome`](crate::Reader::genome). Files without one (every file converted from
//! COO text or `.npy`, and every file written before the extension) read as before. How a
//! genome is stored (the header record and its blocks) is [`crate::format::genome`].

pub mod error;
mod region;
mod types;

pub use error::GenomeError;
pub use region::{RegionError, ResolvedRegion};
pub use types::{Bins, Genome, WeightVector};
