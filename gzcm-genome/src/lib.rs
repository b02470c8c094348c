//! The one genome model of gzcm: what the `.gzcm` container stores, what the `.cool` and `.hic`
//! readers produce, and what the `.cool` writer, the CLI and the Python package consume.
//!
//! - [`Chrom`]: a chromosome with its length and genome-wide bin range (serialised as the
//!   container header's `metadata.chroms` entries);
//! - [`Bins`]: fixed-size or variable bins;
//! - [`Genome`]: chromosomes and bins checked against each other, the assembly, and named
//!   [`WeightVector`]s; [`GenomeError`] says what does not fit;
//! - [`WeightMeaning`]: whether a file's vector multiplies or divides counts; gzcm's vectors
//!   always multiply, and cooler's (`KR`, `VC`, `VC_SQRT`) and Juicer's divisive vectors are
//!   converted on the way in and out;
//! - [`Genome::resolve_region`]: `chr1:1,000,000-2,000,000` to bins ([`ResolvedRegion`],
//!   [`RegionError`]);
//! - [`balance::apply`]: balanced values `count · w_i · w_j`, NaN for masked bins.
//!
//! ```
//! use gzcm_genome::{Genome, WeightVector, balance};
//! use ndarray::array;
//!
//! let genome = Genome::fixed(&[("chr1".to_owned(), 25)], 10)?
//!     .with_weights(vec![WeightVector::new("weight", vec![0.5, f64::NAN, 2.0])])?;
//! assert_eq!(genome.resolve_region("chr1:0-15")?.bins, 0..2);
//! let w = &genome.weight("weight").unwrap().values;
//! let balanced = balance::apply(array![[4u32, 1], [1, 0]].view(), &w[..2], &w[..2]);
//! assert_eq!(balanced[[0, 0]], 1.0);
//! assert!(balanced[[1, 1]].is_nan());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

pub mod balance;
mod bins;
mod chrom;
mod error;
mod genome;
mod region;
mod weights;

pub use bins::Bins;
pub use chrom::Chrom;
pub use error::GenomeError;
pub use genome::Genome;
pub use region::{RegionError, ResolvedRegion};
pub use weights::{COOLER_DIVISIVE_WEIGHTS, WeightMeaning, WeightVector};
