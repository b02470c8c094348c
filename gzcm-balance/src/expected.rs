//! Cis expected as cooltools' `expected_cis(clr, smooth=False)` computes it: for each region
//! (a chromosome, or a region of a view) and each diagonal `dist` of it, the number of pixels
//! (`n_total`), of valid pixels (`n_valid`: both bins have a non-NaN weight), the sums of raw
//! and balanced counts over the valid pixels, and their averages (`count.avg = count.sum /
//! n_total`, `balanced.avg = balanced.sum / n_valid`, cooltools' definitions). The first
//! `ignore_diags` diagonals have NaN sums and averages. A pixel counts for a region when both
//! its bins belong to it; a bin straddling two regions of a view belongs to the later one, as
//! in cooltools, while each region's `n_total` and `n_valid` count all the bins overlapping it.

use std::io::{self, Write};
use std::ops::Range;

use gzcm_container::Reader;

use crate::bed::BedRegion;
use crate::error::BalanceError;
use crate::pixels::PixelStore;

/// Options of [`expected_cis`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ExpectedOptions {
    /// The weight vector that balances counts and marks bad bins (`weight` by default);
    /// `None`: raw counts, every bin valid.
    pub balance: Option<String>,
    /// Diagonals whose sums are NaN (cooltools' default 2).
    pub ignore_diags: u64,
    /// Regions (e.g. chromosome arms) instead of whole chromosomes.
    pub view: Option<Vec<BedRegion>>,
    /// The memory budget in bytes for the per-bin vectors (see [`PixelStore::load`]); a map
    /// whose vectors exceed it is refused. Expected is one pass over the pixels: tiles are
    /// decoded as it goes (in parallel), never kept.
    pub memory: u64,
}

impl Default for ExpectedOptions {
    fn default() -> Self {
        ExpectedOptions {
            balance: Some("weight".to_owned()),
            ignore_diags: 2,
            view: None,
            memory: crate::options::DEFAULT_MEMORY,
        }
    }
}

/// One row: a region's diagonal.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ExpectedRow {
    /// The region (chromosome name, or the view's name).
    pub region: String,
    /// The diagonal, in bins.
    pub dist: u64,
    /// Pixels on it.
    pub n_total: u64,
    /// Pixels on it between valid bins.
    pub n_valid: u64,
    /// Raw counts of the valid pixels (NaN on ignored diagonals).
    pub count_sum: f64,
    /// Balanced counts of the valid pixels (NaN on ignored diagonals; absent for raw counts).
    pub balanced_sum: f64,
}

impl ExpectedRow {
    /// `count.sum / n_total`.
    #[must_use]
    pub fn count_avg(&self) -> f64 {
        self.count_sum / self.n_total as f64
    }

    /// `balanced.sum / n_valid`.
    #[must_use]
    pub fn balanced_avg(&self) -> f64 {
        balanced_avg(self.balanced_sum, self.n_valid)
    }
}

/// cooltools' `balanced.avg` of a diagonal: `balanced.sum / n_valid` (NaN for no valid pixel
/// or an ignored diagonal).
pub(crate) fn balanced_avg(balanced_sum: f64, n_valid: u64) -> f64 {
    balanced_sum / n_valid as f64
}

/// The cis expected of a file.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ExpectedTable {
    /// Rows, region after region (in view order), diagonals ascending.
    pub rows: Vec<ExpectedRow>,
    /// Whether counts were balanced (the table then has `balanced.*` columns).
    pub balanced: bool,
    /// Bin size in bp (for `dist_bp`; 0 for variable bins).
    pub bin_size: u64,
}

impl ExpectedTable {
    /// The column names, as cooltools' DataFrame has them.
    #[must_use]
    pub fn columns(&self) -> Vec<&'static str> {
        let mut columns = vec![
            "region1",
            "region2",
            "dist",
            "dist_bp",
            "contact_frequency",
            "n_total",
            "n_valid",
            "count.sum",
        ];
        if self.balanced {
            columns.extend(["balanced.sum", "count.avg", "balanced.avg"]);
        } else {
            columns.push("count.avg");
        }
        columns
    }

    /// Writes the table as tab-separated text with a header line (NaN as `nan`), as
    /// `cooltools expected-cis` writes it.
    ///
    /// # Errors
    /// The writer's.
    pub fn write_tsv(&self, mut out: impl Write) -> io::Result<()> {
        writeln!(out, "{}", self.columns().join("\t"))?;
        for row in &self.rows {
            let (last, frequency) = if self.balanced {
                (row.balanced_avg(), row.balanced_avg())
            } else {
                (row.count_avg(), row.count_avg())
            };
            write!(
                out,
                "{r}\t{r}\t{}\t{}\t{}\t{}\t{}\t{}",
                row.dist,
                row.dist * self.bin_size,
                number(frequency),
                row.n_total,
                row.n_valid,
                number(row.count_sum),
                r = row.region
            )?;
            if self.balanced {
                write!(out, "\t{}\t{}", number(row.balanced_sum), number(row.count_avg()))?;
            }
            writeln!(out, "\t{}", number(last))?;
        }
        Ok(())
    }
}

fn number(value: f64) -> String {
    if value.is_nan() { "nan".to_owned() } else { value.to_string() }
}

/// Computes the cis expected of the symmetric file `reader`.
///
/// # Errors
/// [`BalanceError::NoGenome`], [`BalanceError::NotSymmetric`]; [`BalanceError::OverBudget`]
/// when the map's per-bin vectors exceed the memory budget; [`BalanceError::NoSuchWeight`]
/// for a vector the file lacks; [`BalanceError::NanOnlyWeight`] for a vector that masks every
/// bin; [`BalanceError::Container`] when a tile cannot be read.
pub fn expected_cis(reader: &Reader, options: &ExpectedOptions) -> Result<ExpectedTable, BalanceError> {
    let path = reader.path().to_owned();
    let genome = reader.genome().ok_or_else(|| BalanceError::NoGenome { path: path.clone() })?;
    let weights: Option<Vec<f64>> = match &options.balance {
        None => None,
        Some(name) => {
            let values = reader.weights(name).ok_or_else(|| BalanceError::NoSuchWeight {
                path: path.clone(),
                name: name.clone(),
                available: reader.weight_names().into_iter().map(str::to_owned).collect(),
            })?;
            if values.iter().all(|w| w.is_nan()) {
                return Err(BalanceError::NanOnlyWeight { name: name.clone() });
            }
            Some(values.to_vec())
        }
    };
    // Before anything is sized by the number of bins: it checks their vectors against the
    // memory budget. Expected is one pass over the pixels, so no decoded tile is kept for a
    // next one: the budget given is the per-bin vectors' alone (or less, to be refused).
    let per_bin = reader.shape().0.saturating_mul(crate::pixels::bytes_per_bin());
    let store = PixelStore::load(reader, options.ignore_diags, options.memory.min(per_bin))?;
    let n = usize::try_from(genome.n_bins()).unwrap_or(usize::MAX);
    let valid: Vec<bool> =
        weights.as_ref().map_or_else(|| vec![true; n], |w| w.iter().map(|v| !v.is_nan()).collect());
    let regions: Vec<(String, Range<usize>)> = match &options.view {
        Some(view) => view.iter().map(|r| (r.name.clone(), to_usize(&r.bins))).collect(),
        None => genome.chroms().iter().map(|c| (c.name.clone(), to_usize(&c.bins()))).collect(),
    };
    // A bin belongs to the last region overlapping it (cooltools' `assign_supports`).
    let mut region_of = vec![u32::MAX; n];
    for (index, (_, bins)) in regions.iter().enumerate() {
        region_of[bins.clone()].iter_mut().for_each(|r| *r = u32::try_from(index).unwrap_or(u32::MAX));
    }
    let lengths: Vec<usize> = regions.iter().map(|(_, b)| b.len()).collect();
    let w = weights.as_deref();
    let sums = store.fold(
        || lengths.iter().map(|&len| vec![(0.0, 0.0); len]).collect::<Vec<_>>(),
        |sums, i, j, v| {
            let r = region_of[i];
            if r == u32::MAX || r != region_of[j] || !valid[i] || !valid[j] {
                return;
            }
            let balanced = w.map_or(v, |w| v * w[i] * w[j]);
            let cell = &mut sums[r as usize][j - i];
            cell.0 += v;
            cell.1 += balanced;
        },
        |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                x.iter_mut().zip(y).for_each(|(p, q)| (p.0, p.1) = (p.0 + q.0, p.1 + q.1));
            }
            a
        },
    )?;
    let mut rows = Vec::new();
    for ((name, bins), sums) in regions.iter().zip(sums) {
        let valid = &valid[bins.clone()];
        for (dist, (count, balanced)) in sums.into_iter().enumerate() {
            let ignored = (dist as u64) < options.ignore_diags;
            let nan_if = |x: f64| if ignored { f64::NAN } else { x };
            rows.push(ExpectedRow {
                region: name.clone(),
                dist: dist as u64,
                n_total: (valid.len() - dist) as u64,
                n_valid: valid_pairs(valid, dist),
                count_sum: nan_if(count),
                balanced_sum: nan_if(balanced),
            });
        }
    }
    Ok(ExpectedTable { rows, balanced: weights.is_some(), bin_size: genome.resolution().unwrap_or(0) })
}

/// Pixels `(k, k + dist)` of a region whose bins are both valid.
fn valid_pairs(valid: &[bool], dist: usize) -> u64 {
    valid.iter().zip(&valid[dist..]).filter(|(a, b)| **a && **b).count() as u64
}

fn to_usize(bins: &Range<u64>) -> Range<usize> {
    usize::try_from(bins.start).unwrap_or(usize::MAX)..usize::try_from(bins.end).unwrap_or(usize::MAX)
}
