//! Reading Hi-C read pairs into binned contacts, for `gzcm load`.
//!
//! A Hi-C experiment ends in a list of read pairs: the 4DN `.pairs` format (pairtools, the 4DN
//! portal), HiC-Pro's `validPairs`, or already-binned text such as bedGraph2
//! (`chrom1 start1 end1 chrom2 start2 end2 count`) and gzcm's COO (`row col value`). This crate
//! turns such a file into genome-wide bin pairs at one resolution:
//!
//! - [`input`]: the file, plain or gzip/bgzip (by content), as a [`Header`] and then chunks of
//!   whole lines numbered from the file's first line, so chunks can be parsed in parallel;
//! - [`header`]: the 4DN header (`## pairs format v1.0`, `#chromsize:`, `#columns:`);
//! - [`chromsizes`]: a chromosome sizes file (`name<TAB>length`), the genome when the header
//!   has none;
//! - [`mod@format`]: which columns hold what in each [`Format`];
//! - [`parse`]: a line to a [`Contact`] (its cell in the upper triangle, as cooler folds pairs),
//!   with the `--min-mapq` and `--max-distance` filters counted in [`Tally`] and every bad line a
//!   [`BadLine`] naming its number, its content and what is wrong with it.
//!
//! Nothing here allocates by a number read from the input: a chunk is at most
//! [`input::MAX_LINE`] longer than asked, and the genome's size is what the caller builds from the
//! chromosome sizes.

#![forbid(unsafe_code)]

pub mod bgzf;
pub mod chromsizes;
pub mod error;
pub mod format;
pub mod header;
pub mod input;
pub mod parse;

pub use chromsizes::read_chromsizes;
pub use error::{BadLine, BadLineKind, PairsError};
pub use format::Format;
pub use header::Header;
pub use input::{Chunk, PairsInput};
pub use parse::{Contact, Filters, LayoutError, LineParser, Tally};
