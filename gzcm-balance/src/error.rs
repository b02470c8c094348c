//! What can stop balancing or expected.

use std::path::PathBuf;

use gzcm_container::ContainerError;

/// Why a vector or an expected table could not be computed (or stored).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BalanceError {
    /// Reading or writing the file failed.
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// The file has no genome: no chromosomes, so no cis/trans and no regions.
    #[error(
        "`{}` has no genome (chromosomes and bins); balancing needs one: convert it from .cool, \
         .mcool, .hic, or COO with --bins",
        path.display()
    )]
    NoGenome {
        /// The file.
        path: PathBuf,
    },
    /// The matrix is not a symmetric contact map.
    #[error(
        "`{}` is not a symmetric matrix; balancing and expected need a symmetric contact map",
        path.display()
    )]
    NotSymmetric {
        /// The file.
        path: PathBuf,
    },
    /// No pixel is left to balance.
    #[error(
        "the matrix has no contacts to balance{}: every row is zero",
        if *after_diagonals > 0 { format!(" once the first {after_diagonals} diagonals are ignored") } else { String::new() }
    )]
    NoContacts {
        /// `ignore_diags`.
        after_diagonals: u64,
    },
    /// Every bin was masked, so the vector would be NaN only.
    #[error(
        "every one of the {n_bins} bins is masked ({by_min_nnz} with fewer than {min_nnz} nonzero \
         pixels (--min-nnz), {by_min_count} below --min-count, {by_mad} by --mad-max, \
         {by_blacklist} blacklisted, {by_balancing} left without contacts); a vector of NaN only \
         is not stored: lower the filters or balance another resolution"
    )]
    AllMasked {
        /// Bins.
        n_bins: u64,
        /// The `min_nnz` option.
        min_nnz: u64,
        /// Masked by `min_nnz`.
        by_min_nnz: u64,
        /// Masked by `min_count` (and not before).
        by_min_count: u64,
        /// Masked by `mad_max` (and not before).
        by_mad: u64,
        /// Masked by the blacklist (and not before).
        by_blacklist: u64,
        /// Left without contacts by the mode (e.g. every bin of a one-chromosome map in trans
        /// mode).
        by_balancing: u64,
    },
    /// The per-bin vectors of a pass do not fit the memory budget.
    #[error(
        "`{}` has {bins} bins, whose per-bin vectors need {} — more than the memory budget of {} \
         (--memory, Python memory=); raise it if the machine has the memory",
        path.display(), mib(*needed), mib(*memory)
    )]
    OverBudget {
        /// The file.
        path: PathBuf,
        /// Its matrix edge in bins.
        bins: u64,
        /// Bytes the per-bin vectors need.
        needed: u64,
        /// The budget.
        memory: u64,
    },
    /// A weight vector asked for does not exist.
    #[error("`{}` has no weight vector `{name}`; it has {}", path.display(), list(available))]
    NoSuchWeight {
        /// The file.
        path: PathBuf,
        /// The name asked for.
        name: String,
        /// The names it has.
        available: Vec<String>,
    },
    /// A weight vector whose every value is NaN.
    #[error("weight vector `{name}` masks every bin (NaN only); balance the file again")]
    NanOnlyWeight {
        /// Its name.
        name: String,
    },
    /// A BED file (blacklist, view) that cannot be used.
    #[error("{}, line {line}: {problem}", path.display())]
    Bed {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0: the file as a whole).
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// A BED file could not be read.
    #[error("could not read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An option out of range.
    #[error("invalid option `{option}`: {reason}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// Why.
        reason: String,
    },
}

/// Bytes in MiB, for messages.
fn mib(bytes: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a figure for a message")]
    let mib = bytes as f64 / f64::from(1u32 << 20);
    format!("{mib:.1} MiB")
}

fn list(names: &[String]) -> String {
    if names.is_empty() { "none".to_owned() } else { names.join(", ") }
}
