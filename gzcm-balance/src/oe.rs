//! Observed/expected: each balanced cell divided by the cis expected of its diagonal
//! (`balanced.avg` of the chromosome holding it, as cooltools' expected_cis computes it), NaN
//! where that is undefined (a masked bin, an ignored diagonal, no valid pixel, an expected of
//! 0). Defined for cis windows only. The expected is read from the file when a stored table
//! matches the weights and `ignore_diags` asked for (`Reader::stored_expected_for`, as
//! [`expected_for`](crate::expected_for) decides), else computed once ([`expected_cis`]);
//! what is kept is one float per bin.

use std::ops::Range;

use gzcm_container::{Chrom, ContainerError, Genome, Reader, WeightMeaning};
use ndarray::Array2;

use crate::error::BalanceError;
use crate::expected::{ExpectedOptions, ExpectedTable, balanced_avg, expected_cis};
use crate::stored::ExpectedSource;

/// Why an observed/expected window cannot be given.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ObservedExpectedError {
    /// The window touches a trans block (or spans chromosomes).
    #[error(
        "observed/expected is defined for cis windows only (the expected is per chromosome and \
         diagonal), but the window's rows span {} and its columns {}; ask for rows and columns \
         of one chromosome",
        row_chroms.join(", "),
        col_chroms.join(", ")
    )]
    Trans {
        /// The chromosomes the rows overlap.
        row_chroms: Vec<String>,
        /// The chromosomes the columns overlap.
        col_chroms: Vec<String>,
    },
    /// The window lies outside the matrix.
    #[error("bins {}:{} × {}:{} are outside the {n_bins}×{n_bins} matrix", rows.start, rows.end, cols.start, cols.end)]
    OutOfBounds {
        /// The rows asked for.
        rows: Range<u64>,
        /// The columns asked for.
        cols: Range<u64>,
        /// The matrix edge.
        n_bins: u64,
    },
    /// The expected could not be computed (no genome, no such vector, …).
    #[error(transparent)]
    Expected(#[from] BalanceError),
    /// A tile could not be read.
    #[error(transparent)]
    Container(#[from] ContainerError),
}

/// The expected of every diagonal of every chromosome of a file, to divide balanced windows
/// by: `expected[bin_start + dist]` is `balanced.avg` of diagonal `dist` of the chromosome
/// starting at `bin_start`.
#[derive(Clone, Debug)]
pub struct ObservedExpected {
    /// The chromosomes (not the whole genome: its weight vectors are not needed).
    chroms: Vec<Chrom>,
    weights: String,
    expected: Vec<f64>,
    source: ExpectedSource,
}

impl ObservedExpected {
    /// The expected of `reader` for weight vector `weights` and `ignore_diags`: the stored
    /// table when one matches, else computed with `memory` bytes of decoded tiles.
    ///
    /// # Errors
    /// Those of [`expected_cis`](crate::expected_cis) as [`ObservedExpectedError::Expected`].
    pub fn new(
        reader: &Reader,
        weights: &str,
        ignore_diags: u64,
        memory: u64,
    ) -> Result<Self, ObservedExpectedError> {
        let genome =
            reader.genome().ok_or_else(|| BalanceError::NoGenome { path: reader.path().to_owned() })?;
        // A stored table gives one value per bin straight from its columns (no table of rows).
        if let Some(stored) = reader.stored_expected_for(weights, ignore_diags) {
            let averages = stored.balanced_sum.iter().zip(&stored.n_valid);
            let expected = averages.map(|(&sum, &n)| defined(balanced_avg(sum, n))).collect();
            let chroms = genome.chroms().to_vec();
            return Ok(ObservedExpected {
                chroms,
                weights: weights.to_owned(),
                expected,
                source: ExpectedSource::Stored,
            });
        }
        let options = ExpectedOptions {
            balance: Some(weights.to_owned()),
            ignore_diags,
            memory,
            ..ExpectedOptions::default()
        };
        let table = expected_cis(reader, &options)?;
        Ok(Self::from_table(genome, weights, &table, ExpectedSource::Computed))
    }

    /// From a balanced per-chromosome `table` of `genome` (rows whose region is not one of its
    /// chromosomes, or whose diagonal is past its end, are ignored; a diagonal without a row
    /// is NaN).
    #[must_use]
    pub fn from_table(genome: &Genome, weights: &str, table: &ExpectedTable, source: ExpectedSource) -> Self {
        let n = usize::try_from(genome.n_bins()).unwrap_or(usize::MAX);
        let mut expected = vec![f64::NAN; n];
        let chroms = genome.chroms();
        let mut chrom = 0;
        for row in &table.rows {
            // Rows come chromosome after chromosome: look from the last one found.
            if chroms.get(chrom).is_none_or(|c| c.name != row.region) {
                match chroms.iter().position(|c| c.name == row.region) {
                    Some(found) => chrom = found,
                    None => continue,
                }
            }
            let c = &chroms[chrom];
            if row.dist < c.n_bins() {
                // Below the chromosome's last bin, which is below n_bins.
                expected[(c.bin_start + row.dist) as usize] = defined(row.balanced_avg());
            }
        }
        ObservedExpected { chroms: chroms.to_vec(), weights: weights.to_owned(), expected, source }
    }

    /// The weight vector the values are balanced with.
    #[must_use]
    pub fn weights(&self) -> &str {
        &self.weights
    }

    /// Whether the expected was read from the file or computed.
    #[must_use]
    pub fn source(&self) -> ExpectedSource {
        self.source
    }

    /// The expected of diagonal `dist` of chromosome `chrom` (NaN where undefined).
    #[must_use]
    pub fn expected(&self, chrom: usize, dist: u64) -> f64 {
        let Some(c) = self.chroms.get(chrom) else { return f64::NAN };
        if dist >= c.n_bins() {
            return f64::NAN;
        }
        self.expected.get((c.bin_start + dist) as usize).copied().unwrap_or(f64::NAN)
    }

    /// The chromosome holding every row and column of the window ([`cis_chrom`]).
    ///
    /// # Errors
    /// As [`cis_chrom`].
    pub fn chrom_of(&self, rows: &Range<u64>, cols: &Range<u64>) -> Result<usize, ObservedExpectedError> {
        chrom_holding(&self.chroms, rows, cols)
    }

    /// Divides the balanced window whose first cell is `(row0, col0)` by the expected of each
    /// cell's diagonal, in place.
    ///
    /// # Errors
    /// As [`ObservedExpected::chrom_of`].
    pub fn divide(
        &self,
        balanced: &mut Array2<f64>,
        row0: u64,
        col0: u64,
    ) -> Result<(), ObservedExpectedError> {
        let (n_rows, n_cols) = balanced.dim();
        let chrom = self.chrom_of(&(row0..row0 + n_rows as u64), &(col0..col0 + n_cols as u64))?;
        for ((r, c), value) in balanced.indexed_iter_mut() {
            let (i, j) = (row0 + r as u64, col0 + c as u64);
            *value /= self.expected(chrom, i.abs_diff(j));
        }
        Ok(())
    }

    /// The observed/expected window `rows × cols` of `reader` (the file this was built for):
    /// float64, NaN where undefined.
    ///
    /// # Errors
    /// [`ObservedExpectedError::Trans`], [`ObservedExpectedError::OutOfBounds`] before any
    /// tile is read; [`ObservedExpectedError::Container`] when a tile cannot be read.
    pub fn window(
        &self,
        reader: &Reader,
        rows: Range<u64>,
        cols: Range<u64>,
    ) -> Result<Array2<f64>, ObservedExpectedError> {
        self.chrom_of(&rows, &cols)?;
        let Some(mut balanced) = reader.balanced_window(
            rows.clone(),
            cols.clone(),
            &self.weights,
            WeightMeaning::Multiplicative,
        )?
        else {
            let path = reader.path().to_owned();
            let available = reader.weight_names().into_iter().map(str::to_owned).collect();
            return Err(BalanceError::NoSuchWeight { path, name: self.weights.clone(), available }.into());
        };
        self.divide(&mut balanced, rows.start, cols.start)?;
        Ok(balanced)
    }
}

/// The chromosome of `genome` holding every row and column of the window `rows × cols`: what
/// an observed/expected window needs (checked before any expected is computed).
///
/// # Errors
/// [`ObservedExpectedError::OutOfBounds`] for an empty window or one outside the matrix;
/// [`ObservedExpectedError::Trans`] when rows or columns touch another chromosome.
pub fn cis_chrom(
    genome: &Genome,
    rows: &Range<u64>,
    cols: &Range<u64>,
) -> Result<usize, ObservedExpectedError> {
    chrom_holding(genome.chroms(), rows, cols)
}

fn chrom_holding(
    chroms: &[Chrom],
    rows: &Range<u64>,
    cols: &Range<u64>,
) -> Result<usize, ObservedExpectedError> {
    // The chromosomes tile 0..n_bins (validated at open).
    let n_bins = chroms.last().map_or(0, |c| c.bin_end);
    if rows.is_empty() || cols.is_empty() || rows.end > n_bins || cols.end > n_bins {
        return Err(ObservedExpectedError::OutOfBounds { rows: rows.clone(), cols: cols.clone(), n_bins });
    }
    let spanned = |range: &Range<u64>| -> Vec<usize> {
        (0..chroms.len())
            .filter(|&c| chroms[c].bin_start < range.end && range.start < chroms[c].bin_end)
            .collect()
    };
    let (row_chroms, col_chroms) = (spanned(rows), spanned(cols));
    match (&row_chroms[..], &col_chroms[..]) {
        ([r], [c]) if r == c => Ok(*r),
        _ => {
            let names = |ids: Vec<usize>| ids.into_iter().map(|c| chroms[c].name.clone()).collect();
            Err(ObservedExpectedError::Trans { row_chroms: names(row_chroms), col_chroms: names(col_chroms) })
        }
    }
}

/// An expected to divide by: NaN where it is 0 (a diagonal whose valid pixels are all zero).
fn defined(expected: f64) -> f64 {
    if expected == 0.0 { f64::NAN } else { expected }
}
