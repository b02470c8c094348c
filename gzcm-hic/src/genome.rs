//! Genomic coordinates: chromosomes, bins and balancing vectors.

/// One chromosome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChromInfo {
    /// Its name, as in the file (`chr1`, `I`, …).
    pub name: String,
    /// Its length in base pairs.
    pub length: u64,
}

/// How the genome is cut into bins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BinLayout {
    /// Every bin is `bin_size` bp, but the last one of each chromosome, which ends at the
    /// chromosome's end. Chromosome `c` has `ceil(length / bin_size)` bins.
    Fixed {
        /// Bin size in base pairs.
        bin_size: u64,
    },
    /// Bins of any size, listed one by one (cooler's "variable" bin type).
    Variable {
        /// Index into [`Genome::chroms`] of each bin's chromosome (non-decreasing).
        chrom: Vec<u32>,
        /// Each bin's start in base pairs.
        start: Vec<u64>,
        /// Each bin's end in base pairs.
        end: Vec<u64>,
    },
}

/// Chromosomes and bins of a contact matrix: bin ids are genome-wide, chromosome after
/// chromosome in [`Genome::chroms`] order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Genome {
    /// Genome assembly name (`hg19`, `sacCer3`, …), when the file says.
    pub assembly: Option<String>,
    /// Bin size in base pairs for fixed bins; `None` for variable bins.
    pub resolution: Option<u64>,
    /// The chromosomes, in bin order.
    pub chroms: Vec<ChromInfo>,
    /// How bins are laid out.
    pub bins: BinLayout,
    /// `chrom_offsets[c]` is chromosome `c`'s first bin; the last entry is the number of bins
    /// (so it has `chroms.len() + 1` entries).
    pub chrom_offsets: Vec<u64>,
}

impl Genome {
    /// The number of bins (the matrix's edge).
    #[must_use]
    pub fn n_bins(&self) -> u64 {
        self.chrom_offsets.last().copied().unwrap_or(0)
    }

    /// Bins `[first, end)` of chromosome `index`.
    #[must_use]
    pub fn chrom_bins(&self, index: usize) -> std::ops::Range<u64> {
        self.chrom_offsets[index]..self.chrom_offsets[index + 1]
    }

    /// The offsets of fixed-size bins: each chromosome has `ceil(length / bin_size)` bins.
    #[must_use]
    pub fn fixed_offsets(chroms: &[ChromInfo], bin_size: u64) -> Vec<u64> {
        let mut offsets = Vec::with_capacity(chroms.len() + 1);
        let mut next = 0u64;
        offsets.push(0);
        for chrom in chroms {
            next += chrom.length.div_ceil(bin_size.max(1));
            offsets.push(next);
        }
        offsets
    }
}

/// Weight columns that cooler reads as *divisive* (balanced = count / (w_i · w_j)) by default:
/// the 4DN data portal and hic2cool store Juicer's normalisation vectors under these names in
/// that form (`cooler.Cooler.matrix(balance="KR")` divides). gzcm's vectors are multiplicative,
/// so the `.cool` reader stores `1 / w` for these columns and the writer stores `1 / w` back.
pub const COOLER_DIVISIVE_WEIGHTS: [&str; 3] = ["KR", "VC", "VC_SQRT"];

/// `1 / w` for each value of a column cooler treats as divisive (see
/// [`COOLER_DIVISIVE_WEIGHTS`]); other columns unchanged.
#[must_use]
pub fn cooler_weight_convention(name: &str, mut values: Vec<f64>) -> Vec<f64> {
    if COOLER_DIVISIVE_WEIGHTS.contains(&name) {
        for value in &mut values {
            *value = value.recip();
        }
    }
    values
}

/// A named balancing vector: one float64 per bin; NaN marks a masked bin. A balanced value is
/// `count · w[i] · w[j]` (cooler's convention; Juicer's divisive vectors are inverted on read).
#[derive(Clone, Debug, PartialEq)]
pub struct WeightVector {
    /// Its name as the file has it (`weight`, `KR`, `VC`, `VC_SQRT`, `SCALE`, …).
    pub name: String,
    /// One value per bin.
    pub values: Vec<f64>,
}
