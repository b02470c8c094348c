//! Expected tables stored in the file (format revision expected-1, docs/format.md entry 49):
//! [`store_expected_file`] computes the cis expected of a file and stores it next to the
//! weight vector it was computed with; [`expected_for`] reads a matching stored table, or
//! computes one when there is none.

use std::path::Path;

use gzcm_container::{
    ContainerError, ExpectedAt, Genome, Reader, ReaderOptions, StoredExpected, open_resolution,
    store_expected,
};

use crate::error::BalanceError;
use crate::expected::{ExpectedOptions, ExpectedRow, ExpectedTable, expected_cis};

/// Where an expected table came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedSource {
    /// Read from the file: stored with the same weight vector (unchanged since) and
    /// `ignore_diags`.
    Stored,
    /// Computed from the tiles.
    Computed,
}

impl ExpectedTable {
    /// The table stored as `stored` for `genome` (one region per chromosome, balanced).
    #[must_use]
    pub fn from_stored(genome: &Genome, stored: &StoredExpected) -> ExpectedTable {
        let mut rows = Vec::with_capacity(stored.n_valid.len());
        for chrom in genome.chroms() {
            for (dist, bin) in chrom.bins().enumerate() {
                // The reader checked the table against this genome: one row per bin.
                let k = usize::try_from(bin).unwrap_or(usize::MAX);
                rows.push(ExpectedRow {
                    region: chrom.name.clone(),
                    dist: dist as u64,
                    n_total: chrom.n_bins() - dist as u64,
                    n_valid: stored.n_valid.get(k).copied().unwrap_or(0),
                    count_sum: stored.count_sum.get(k).copied().unwrap_or(f64::NAN),
                    balanced_sum: stored.balanced_sum.get(k).copied().unwrap_or(f64::NAN),
                });
            }
        }
        ExpectedTable { rows, balanced: true, bin_size: genome.resolution().unwrap_or(0) }
    }

    /// The table as stored for `genome`, computed with weight vector `balance` (whose values
    /// are `weights`) and `ignore_diags`. The table must have one region per chromosome, in
    /// the genome's order (no view), and balanced sums.
    ///
    /// # Errors
    /// [`BalanceError::InvalidOption`] for a table of raw counts or of a view's regions.
    pub fn to_stored(
        &self,
        genome: &Genome,
        balance: &str,
        ignore_diags: u64,
        weights: &[f64],
    ) -> Result<StoredExpected, BalanceError> {
        if !self.balanced {
            return Err(not_storable(
                "a table of raw counts is not stored: O/E reads divide balanced values",
            ));
        }
        let expected_rows = genome.chroms().iter().flat_map(|c| (0..c.n_bins()).map(move |d| (&c.name, d)));
        let per_chromosome = self.rows.len() as u64 == genome.n_bins()
            && self
                .rows
                .iter()
                .zip(expected_rows)
                .all(|(row, (name, dist))| row.region == *name && row.dist == dist);
        if !per_chromosome {
            return Err(not_storable(VIEW_NOT_STORED));
        }
        let mut stored = StoredExpected::new(
            balance,
            ignore_diags,
            weights,
            self.rows.iter().map(|r| r.n_valid).collect(),
            self.rows.iter().map(|r| r.count_sum).collect(),
            self.rows.iter().map(|r| r.balanced_sum).collect(),
        );
        stored.writer = Some(format!("gzcm {}", env!("CARGO_PKG_VERSION")));
        Ok(stored)
    }
}

const RAW_NOT_STORED: &str = "a table of raw counts is not stored: O/E reads divide balanced values";
const VIEW_NOT_STORED: &str = "only a table per chromosome is stored, not one per region of a view";

fn not_storable(reason: &str) -> BalanceError {
    BalanceError::InvalidOption { option: "store", reason: reason.to_owned() }
}

/// The cis expected `options` ask for: the table stored in the file when one matches (same
/// weight vector, unchanged since, same `ignore_diags`, no view), else [`expected_cis`].
///
/// # Errors
/// Those of [`expected_cis`] when computing.
pub fn expected_for(
    reader: &Reader,
    options: &ExpectedOptions,
) -> Result<(ExpectedTable, ExpectedSource), BalanceError> {
    if let (Some(name), None, Some(genome)) = (&options.balance, &options.view, reader.genome())
        && let Some(stored) = reader.stored_expected_for(name, options.ignore_diags)
    {
        return Ok((ExpectedTable::from_stored(genome, stored), ExpectedSource::Stored));
    }
    Ok((expected_cis(reader, options)?, ExpectedSource::Computed))
}

/// Computes the cis expected of the `.gzcm` file at `path` (the member `resolution` of a
/// collection) per chromosome, balanced with `options.balance`, and stores it in the file
/// keyed by that vector and `options.ignore_diags`, atomically
/// ([`gzcm_container::store_expected`]: tile payloads copied, never re-encoded). A table
/// under the same key needs `force`; that is checked before anything is computed.
///
/// # Errors
/// [`BalanceError::InvalidOption`] for raw counts (`balance: None`) or a view;
/// [`ContainerError::ExpectedExists`] (as [`BalanceError::Container`]) without `force`;
/// those of [`expected_cis`] and [`store_expected`].
pub fn store_expected_file(
    path: &Path,
    resolution: Option<u64>,
    options: &ExpectedOptions,
    force: bool,
) -> Result<ExpectedTable, BalanceError> {
    let Some(name) = &options.balance else {
        return Err(not_storable(RAW_NOT_STORED));
    };
    if options.view.is_some() {
        return Err(not_storable(VIEW_NOT_STORED));
    }
    let reader = open_resolution(path, resolution, ReaderOptions::new().cache_bytes(0))?;
    let genome = reader.genome().ok_or_else(|| BalanceError::NoGenome { path: path.to_owned() })?;
    let exists =
        reader.stored_expected().iter().any(|t| t.balance == *name && t.ignore_diags == options.ignore_diags);
    if exists && !force {
        return Err(ContainerError::ExpectedExists {
            path: path.to_owned(),
            resolution,
            balance: name.clone(),
            ignore_diags: options.ignore_diags,
        }
        .into());
    }
    let table = expected_cis(&reader, options)?;
    // `expected_cis` found the vector.
    let weights = reader.weights(name).unwrap_or_default();
    let stored = table.to_stored(genome, name, options.ignore_diags, weights)?;
    drop(reader);
    store_expected(path, &[ExpectedAt { resolution, tables: vec![stored] }], force)?;
    Ok(table)
}
