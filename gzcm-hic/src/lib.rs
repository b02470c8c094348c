//! Readers for the Hi-C formats users already have: cooler `.cool` / `.mcool` (HDF5) and Juicer
//! `.hic`; and a writer of `.cool` and `.mcool` files ([`cool_writer`]), so users can always go
//! back.
//!
//! Every format opens into a [`HicSource`]: the [`gzcm_genome::Genome`] (chromosomes, bins,
//! assembly, resolution and the selected balancing vectors, multiplicative as gzcm stores them),
//! and a stream of [`Pixel`]s with genome-wide bin ids. Memory stays bounded: pixels are read chunk by chunk (cooler) or block by block (Juicer).
//!
//! ```no_run
//! use gzcm_hic::{OpenOptions, open};
//!
//! let mut source = open("sample.mcool::/resolutions/10000", &OpenOptions::default())?;
//! println!("{} bins", source.genome().n_bins());
//! for pixel in source.pixels()? {
//!     let pixel = pixel?;
//!     assert!(pixel.bin1 <= pixel.bin2);
//! }
//! # Ok::<(), gzcm_hic::HicError>(())
//! ```

#![forbid(unsafe_code)]

mod cool;
pub mod cool_writer;
pub mod error;
mod juicer;
mod open;
pub mod source;

pub use error::HicError;
pub use open::{FileKind, OpenOptions, WeightSelection, detect, open, resolutions, split_uri};
pub use source::{CountType, HicSource, Pixel, PixelIter};
