//! What can make chromosomes, bins and weights inconsistent.

/// Genomic coordinates or weights that contradict themselves or the matrix they describe.
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
}
