//! Matrix sources and sinks for gzcm.
//!
//! Sources deliver a contact matrix's shape, natural dtype and symmetry ([`SourceInfo`]) and
//! stream its cells ([`CellStream`]: COO triples or dense rows), so a writer can take any input
//! without holding it in memory:
//!
//! - [`coo`]: `bin1 bin2 value` text, optionally gzip (multi-member), one line at a time; a
//!   one-pass mode when shape and symmetry are known, a cheap pre-scan ([`CooScan`]) otherwise.
//! - [`npy`]: NumPy `.npy` (format 1–3; `<f4 <f8 <i4 <i8 <u4 <u8`; C order; 2-D), optionally
//!   zstd, one row at a time, with a validated header.
//! - [`synthetic`]: a seeded synthetic Hi-C map of any size (power-law decay, TADs,
//!   compartments, masked bins, Poisson noise), from spec strings like `synthetic:4096:seed=7`.
//! - [`MatrixSource`]: one entry point that opens any of them from a command-line string.
//!
//! Sinks ([`sink`]) write `.tsv` triples as `cooler dump` does and dense `.npy` regions,
//! atomically ([`sink::AtomicFile`]: temporary file, fsync, rename).
//!
//! Values are converted with checks ([`CellValue`]): a value the target dtype cannot hold
//! (negative or fractional counts, integers above 2^24 as `float32`, non-finite numbers) is a
//! typed error naming the line or cell, never a silent rounding.
//!
//! ```
//! use gzcm_io::{MatrixSource, OpenOptions};
//!
//! let source = MatrixSource::open("synthetic:300:seed=7", OpenOptions::default())?;
//! assert!(source.info().symmetric);
//! let mut nnz = 0;
//! for triple in source.triples::<u32>()? {
//!     let triple = triple?;
//!     assert!(triple.row <= triple.col && triple.value > 0);
//!     nnz += 1;
//! }
//! assert!(nnz > 300);
//! # Ok::<(), gzcm_io::SourceError>(())
//! ```

#![forbid(unsafe_code)]

pub mod coo;
pub mod error;
mod input;
pub mod npy;
mod open;
pub mod sink;
pub mod source;
pub mod synthetic;
pub mod value;

pub use coo::{CooOptions, CooScan, CooSource};
pub use error::{LineFault, NpyFault, SinkError, SourceError, SpecFault, ValueFault};
pub use npy::{MAX_NPY_EXPANSION, NpyDtype, NpyHeader, NpySource};
pub use open::{MatrixSource, OpenOptions};
pub use source::{CellStream, Layout, Order, RowStream, Shape, SourceInfo, Triple, TripleStream};
pub use synthetic::{SyntheticMap, SyntheticParams};
pub use value::CellValue;
