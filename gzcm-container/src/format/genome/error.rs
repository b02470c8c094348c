//! What can be wrong with the genome record and blocks found in a file.

use gzcm_genome::GenomeError;

/// A file's genome record or blocks that are damaged, or genome data that contradicts itself
/// or the matrix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenomeBlockError {
    /// The chromosomes, bins and weights the blocks hold do not form a genome of the matrix.
    #[error(transparent)]
    Invalid(#[from] GenomeError),
    /// The header has a `genome` but no `metadata.chroms`.
    #[error("header has `genome` but no `metadata.chroms`; the file is damaged")]
    MissingChroms,
    /// The header's `genome.n_bins` contradicts `metadata.chroms`.
    #[error("header `genome.n_bins` is {recorded} but `metadata.chroms` covers {covered} bins")]
    BinTotal {
        /// `genome.n_bins`.
        recorded: u64,
        /// The last chromosome's `bin_end`.
        covered: u64,
    },
    /// A genome block lies outside the payload region of the file.
    #[error(
        "{what} block at offset {offset} with length {length} lies outside the payload region \
         {data_offset}..{file_len}; the file is truncated or damaged"
    )]
    BlockOutOfFile {
        /// Which block (`bins`, `weight vector KR`, …).
        what: String,
        /// Absolute offset.
        offset: u64,
        /// Stored length.
        length: u64,
        /// Start of the payload region.
        data_offset: u64,
        /// File length.
        file_len: u64,
    },
    /// A genome block's crc32c does not match its bytes.
    #[error(
        "{what} block: crc32c mismatch (stored {stored:#010x}, computed {computed:#010x}); the file is damaged"
    )]
    BlockCrc {
        /// Which block.
        what: String,
        /// crc32c in the header.
        stored: u32,
        /// crc32c of the bytes.
        computed: u32,
    },
    /// A genome block names a compression this reader does not know.
    #[error("{what} block uses codec `{codec}`; this reader knows `zstd`")]
    BlockCodec {
        /// Which block.
        what: String,
        /// The codec named.
        codec: String,
    },
    /// A genome block does not decompress.
    #[error("{what} block does not decompress: {source}")]
    BlockDecompress {
        /// Which block.
        what: String,
        /// The decompressor's report.
        #[source]
        source: std::io::Error,
    },
    /// A genome block decompresses to the wrong number of bytes.
    #[error("{what} block holds {found} bytes after decompression, expected {expected}")]
    BlockLength {
        /// Which block.
        what: String,
        /// `n_bins × 8` (weights) or `n_bins × 16` (variable bins).
        expected: u64,
        /// Bytes found (at most `expected + 1`: decompression stops there).
        found: u64,
    },
    /// A stored expected table (docs/format.md entry 49) that contradicts the genome or itself.
    #[error("stored expected table (weights `{balance}`, ignore_diags {ignore_diags}): {source}")]
    Expected {
        /// Its weight vector's name.
        balance: String,
        /// Its `ignore_diags`.
        ignore_diags: u64,
        /// What is wrong (boxed: it is large and rare).
        #[source]
        source: Box<super::expected::ExpectedTableError>,
    },
    /// The header's `genome` record is not of the expected shape.
    #[error("header `genome.{key}` is invalid: {reason}")]
    Record {
        /// The key.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
}
