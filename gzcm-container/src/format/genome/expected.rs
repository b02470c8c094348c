//! Cis expected tables stored in a file (format revision expected-1, docs/format.md entry 49):
//! [`StoredExpected`], its block's bytes, and the checks a table must pass before it is stored
//! or used. Pure: no I/O.

use gzcm_genome::Genome;

/// A cis expected table as stored in a file: per chromosome and diagonal, cooltools'
/// `expected_cis(clr, smooth=False)` sums for the weight vector `balance` and `ignore_diags`.
///
/// Rows are indexed like bins: row `k` is diagonal `k - bin_start` of the chromosome holding
/// bin `k`, so a genome of `n_bins` bins has `n_bins` rows (each chromosome of `L` bins has
/// diagonals `0..L`). `n_total` is not stored: it is the chromosome's bins minus the diagonal.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct StoredExpected {
    /// The weight vector the table was computed with.
    pub balance: String,
    /// Diagonals whose sums are NaN.
    pub ignore_diags: u64,
    /// [`weights_crc32c`] of the vector's values when the table was computed.
    pub weights_crc32c: u32,
    /// Pixels of each diagonal between two valid (non-NaN weight) bins.
    pub n_valid: Vec<u64>,
    /// Raw counts of those pixels (NaN on ignored diagonals).
    pub count_sum: Vec<f64>,
    /// Balanced counts of those pixels (NaN on ignored diagonals).
    pub balanced_sum: Vec<f64>,
    /// The program that computed it.
    pub writer: Option<String>,
}

/// What makes an expected table unusable for a file's genome.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExpectedTableError {
    /// The weight vector's name is empty.
    #[error("the weight vector's name is empty")]
    EmptyName,
    /// The file has no weight vector of the table's name.
    #[error("the file has no weight vector `{name}` to go with it")]
    NoWeight {
        /// The name.
        name: String,
    },
    /// The table was computed with other values of its weight vector than the file holds.
    #[error("it was computed with other values of weight vector `{name}` than the file holds")]
    StaleWeights {
        /// The name.
        name: String,
    },
    /// A second table under the same key.
    #[error("a table with the same weight vector and ignore_diags is stored before it")]
    Duplicate,
    /// The columns do not have one row per bin.
    #[error(
        "its columns hold {n_valid}, {count_sum} and {balanced_sum} rows; the genome needs {n_bins} (one per bin)"
    )]
    Rows {
        /// Rows of `n_valid`.
        n_valid: usize,
        /// Rows of `count.sum`.
        count_sum: usize,
        /// Rows of `balanced.sum`.
        balanced_sum: usize,
        /// Bins.
        n_bins: u64,
    },
    /// A row that contradicts its diagonal.
    #[error("row {row} ({chrom}, diagonal {dist}): {problem}")]
    Row {
        /// The row (bin) index.
        row: u64,
        /// Its chromosome.
        chrom: String,
        /// Its diagonal.
        dist: u64,
        /// What is wrong.
        problem: RowProblem,
    },
}

/// What is wrong with one row of an expected table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowProblem {
    /// More valid pixels than the diagonal has.
    #[error("n_valid {n_valid} is above the diagonal's {n_total} pixels")]
    TooManyValid {
        /// `n_valid`.
        n_valid: u64,
        /// The diagonal's pixels.
        n_total: u64,
    },
    /// A sum on an ignored diagonal that is not NaN.
    #[error("an ignored diagonal has a sum that is not NaN")]
    IgnoredNotNan,
    /// A sum on a diagonal that is not ignored that is NaN or infinite.
    #[error("a sum is NaN or infinite on a diagonal that is not ignored")]
    NotFinite,
    /// A sum over no valid pixel that is not 0.
    #[error("a sum over no valid pixel is not 0")]
    EmptyNotZero,
}

impl StoredExpected {
    /// A table computed with weight vector `balance` (whose values are `weights`) and
    /// `ignore_diags`, with its three columns (one row per bin) and no writer.
    #[must_use]
    pub fn new(
        balance: impl Into<String>,
        ignore_diags: u64,
        weights: &[f64],
        n_valid: Vec<u64>,
        count_sum: Vec<f64>,
        balanced_sum: Vec<f64>,
    ) -> Self {
        StoredExpected {
            balance: balance.into(),
            ignore_diags,
            weights_crc32c: weights_crc32c(weights),
            n_valid,
            count_sum,
            balanced_sum,
            writer: None,
        }
    }

    /// Checks the table against `genome`: a non-empty name of one of its weight vectors, one
    /// row per bin, and rows that agree with their diagonal (`n_valid` at most its pixels; NaN
    /// sums exactly on the ignored diagonals; zero sums where no pixel is valid).
    ///
    /// # Errors
    /// The first [`ExpectedTableError`] found.
    pub fn check(&self, genome: &Genome) -> Result<(), ExpectedTableError> {
        if self.balance.is_empty() {
            return Err(ExpectedTableError::EmptyName);
        }
        if genome.weight(&self.balance).is_none() {
            return Err(ExpectedTableError::NoWeight { name: self.balance.clone() });
        }
        let n_bins = genome.n_bins();
        let rows = [self.n_valid.len(), self.count_sum.len(), self.balanced_sum.len()];
        if rows.iter().any(|&r| r as u64 != n_bins) {
            let [n_valid, count_sum, balanced_sum] = rows;
            return Err(ExpectedTableError::Rows { n_valid, count_sum, balanced_sum, n_bins });
        }
        for chrom in genome.chroms() {
            for row in chrom.bins() {
                let dist = row - chrom.bin_start;
                let problem = self.row_problem(row, dist, chrom.n_bins() - dist);
                if let Some(problem) = problem {
                    return Err(ExpectedTableError::Row { row, chrom: chrom.name.clone(), dist, problem });
                }
            }
        }
        Ok(())
    }

    fn row_problem(&self, row: u64, dist: u64, n_total: u64) -> Option<RowProblem> {
        // `row` is below n_bins: the lengths were checked against it.
        let k = usize::try_from(row).unwrap_or(usize::MAX);
        let (n_valid, sums) = (self.n_valid[k], [self.count_sum[k], self.balanced_sum[k]]);
        if n_valid > n_total {
            return Some(RowProblem::TooManyValid { n_valid, n_total });
        }
        if dist < self.ignore_diags {
            return (!sums.iter().all(|s| s.is_nan())).then_some(RowProblem::IgnoredNotNan);
        }
        if !sums.iter().all(|s| s.is_finite()) {
            return Some(RowProblem::NotFinite);
        }
        (n_valid == 0 && sums.iter().any(|&s| s != 0.0)).then_some(RowProblem::EmptyNotZero)
    }

    /// Whether the table was computed with these weight values (by their crc32c).
    #[must_use]
    pub fn computed_with(&self, weights: &[f64]) -> bool {
        self.weights_crc32c == weights_crc32c(weights)
    }

    /// The block's uncompressed bytes: the three columns, little-endian.
    pub(crate) fn raw(&self) -> Vec<u8> {
        let n_valid = self.n_valid.iter().flat_map(|v| v.to_le_bytes());
        let sums = self.count_sum.iter().chain(&self.balanced_sum).flat_map(|v| v.to_le_bytes());
        n_valid.chain(sums).collect()
    }

    /// The columns of a block's uncompressed bytes, `rows × 24` long (checked by the caller).
    pub(crate) fn columns(raw: &[u8], rows: usize) -> (Vec<u64>, Vec<f64>, Vec<f64>) {
        let words = |part: usize| raw.chunks_exact(8).skip(part * rows).take(rows).map(word);
        let floats = |part| words(part).map(f64::from_le_bytes).collect();
        (words(0).map(u64::from_le_bytes).collect(), floats(1), floats(2))
    }
}

fn word(bytes: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(bytes);
    out
}

/// crc32c of a weight vector's values as little-endian float64: what a stored expected table
/// records of the vector it was computed with.
#[must_use]
pub fn weights_crc32c(weights: &[f64]) -> u32 {
    weights.iter().fold(0, |crc, w| crc32c::crc32c_append(crc, &w.to_le_bytes()))
}

/// Bytes per row of an expected block (`n_valid`, `count.sum`, `balanced.sum`).
pub(crate) const EXPECTED_ROW_BYTES: u64 = 24;
