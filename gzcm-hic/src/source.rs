//! What every reader offers: the genome (with its weights) and a stream of pixels.

use gzcm_genome::Genome;

use crate::error::HicError;

/// Whether the file stores integer counts or floating-point values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountType {
    /// Integer counts (`int32`/`int64` in cooler, counts in `.hic`).
    Int,
    /// Floating-point values.
    Float,
}

/// One stored cell: genome-wide bin ids and its value. Integer counts are exact in an `f64` up
/// to 2^53.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pixel {
    /// Row bin.
    pub bin1: u64,
    /// Column bin.
    pub bin2: u64,
    /// The stored value.
    pub count: f64,
}

/// A stream of pixels that may fail part-way (a corrupt block, a read error).
pub type PixelIter<'a> = Box<dyn Iterator<Item = Result<Pixel, HicError>> + 'a>;

/// An opened Hi-C file (one resolution, optionally one chromosome).
pub trait HicSource: Send {
    /// A short description for messages and `source_file` (e.g. `x.mcool::/resolutions/1000`).
    fn describe(&self) -> String;
    /// Chromosomes and bins of the matrix this source yields, with the balancing vectors
    /// selected when opening (multiplicative, one value per bin).
    fn genome(&self) -> &Genome;
    /// Integer or floating-point values.
    fn count_type(&self) -> CountType;
    /// Whether only the upper triangle is stored (`bin1 <= bin2` for every pixel).
    fn symmetric(&self) -> bool;
    /// Whether pixels come with `bin1` non-decreasing (cooler: yes; `.hic`: no).
    fn rows_sorted(&self) -> bool;
    /// The number of stored pixels, when the file says (for progress bars).
    fn pixel_count_hint(&self) -> Option<u64>;
    /// Streams every stored pixel once, with bounded memory.
    ///
    /// # Errors
    /// A typed error for an unreadable or corrupt file; the iterator may also yield one.
    fn pixels(&mut self) -> Result<PixelIter<'_>, HicError>;
    /// How many pixels of the last complete [`HicSource::pixels`] pass repeated an earlier
    /// pixel's cell and were summed into it (cooler sums duplicates when it reads them). The
    /// default, 0, is for readers that yield pixels as stored, without merging.
    fn duplicates_summed(&self) -> u64 {
        0
    }
}
