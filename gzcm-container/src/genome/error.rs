//! What can be wrong with genome data given to a writer or found in a file.

/// Genomic coordinates or weights that contradict themselves, the matrix, or the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenomeError {
    /// The chromosomes' bin ranges do not tile `0..n_bins` in order.
    #[error(
        "chromosome `{chrom}` covers bins {bin_start}..{bin_end}, but the previous chromosome \
         ends at bin {expected_start}; chromosome bin ranges must follow each other from bin 0"
    )]
    ChromRanges {
        /// The chromosome.
        chrom: String,
        /// Its first bin as given.
        bin_start: u64,
        /// One past its last bin as given.
        bin_end: u64,
        /// Where it should start.
        expected_start: u64,
    },
    /// A chromosome's bin count does not match its length at the fixed bin size.
    #[error(
        "chromosome `{chrom}` has {found} bins, but its length {length} bp at {bin_size} bp per \
         bin needs {expected}"
    )]
    FixedBinCount {
        /// The chromosome.
        chrom: String,
        /// Its length in bp.
        length: u64,
        /// The bin size.
        bin_size: u64,
        /// `ceil(length / bin_size)`.
        expected: u64,
        /// The number of bins it was given.
        found: u64,
    },
    /// A fixed bin size of 0.
    #[error("the bin size must be at least 1 bp")]
    ZeroBinSize,
    /// Variable bins: the number of starts or ends is not the number of bins.
    #[error("variable bins list {starts} starts and {ends} ends for {n_bins} bins")]
    VariableBinCount {
        /// Starts given.
        starts: usize,
        /// Ends given.
        ends: usize,
        /// Bins the chromosomes cover.
        n_bins: u64,
    },
    /// A variable bin that is empty, leaves its chromosome, or starts or ends before the bin
    /// before it.
    #[error(
        "bin {bin} of chromosome `{chrom}` spans {start}..{end} bp; bins must be non-empty, lie \
         within the chromosome (length {length} bp), and start and end in order"
    )]
    BadBin {
        /// Genome-wide bin id.
        bin: u64,
        /// Its chromosome.
        chrom: String,
        /// Its start.
        start: u64,
        /// Its end.
        end: u64,
        /// The chromosome's length.
        length: u64,
    },
    /// A weight vector whose length is not the number of bins.
    #[error("weight vector `{name}` has {found} values for {n_bins} bins")]
    WeightLength {
        /// The vector's name.
        name: String,
        /// Values given.
        found: usize,
        /// Bins.
        n_bins: u64,
    },
    /// Two weight vectors with one name, or an empty name.
    #[error("weight vector name `{name}` is empty or used twice")]
    WeightName {
        /// The name.
        name: String,
    },
    /// The genome's bins do not match the matrix.
    #[error("the genome has {n_bins} bins but the matrix is {rows}×{cols}; it must be {n_bins}×{n_bins}")]
    MatrixShape {
        /// Bins of the genome.
        n_bins: u64,
        /// Matrix rows.
        rows: u64,
        /// Matrix columns.
        cols: u64,
    },
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
    /// The header's `genome` record is not of the expected shape.
    #[error("header `genome.{key}` is invalid: {reason}")]
    Record {
        /// The key.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
}
