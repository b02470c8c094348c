//! Balancing and expected for `.gzcm` files, computed by gzcm instead of cooler and cooltools.
//!
//! - [`balance()`]: one vector for an open file ([`BalanceOptions`]: [`Method`] — ICE as
//!   cooler's `balance_cooler` computes it, with its bin filters, tolerance and final scale;
//!   Juicer's exact `VC` and `VC_SQRT`; Juicer's `SCALE` as Juicer Tools 1.22 computes it — and
//!   [`Mode`]: genome-wide, cis, trans; [`BalanceOptions::for_method`] gives each method's
//!   defaults). Weights are
//!   multiplicative (cooler's `weight`: balanced = count · w_i · w_j), NaN for masked bins;
//!   non-convergence is reported in [`BalanceOutcome::converged`], never silent.
//! - [`balance_file`]: balance one or every resolution of a file and store the vectors in it
//!   with how they were computed ([`BalanceOutcome::record`]), atomically
//!   ([`gzcm_container::store_weights`]); an existing name needs `force`.
//! - [`expected_cis`]: cis expected per region and diagonal with cooltools' `expected_cis`
//!   columns ([`ExpectedTable::write_tsv`]).
//! - [`store_expected_file`]: compute the cis expected per chromosome and store it in the file,
//!   keyed by the weight vector and `ignore_diags` (atomically,
//!   [`gzcm_container::store_expected`]); [`expected_for`] reads a matching stored table or
//!   computes one.
//! - [`ObservedExpected`]: observed/expected windows (balanced ÷ `balanced.avg` of the
//!   window's diagonal), cis only.
//! - [`PixelStore`]: the upper-triangle pixels, streamed from tiles decoded in parallel
//!   (rayon); the decoded sparse tiles that fit the memory budget are kept, so an iteration
//!   decodes only those that did not fit.
//! - [`read_bed`]: blacklists and views as bins.
//!
//! ```no_run
//! use gzcm_balance::{BalanceOptions, BalanceRequest, Mode, Resolutions, balance_file};
//!
//! let mut options = BalanceOptions::default();
//! options.mode = Mode::Cis;
//! let request = BalanceRequest::new(Resolutions::One(None), options);
//! let stored = balance_file("map.gzcm".as_ref(), &request, &mut |_, _| {})?;
//! assert!(stored[0].outcome.converged);
//! # Ok::<(), gzcm_balance::BalanceError>(())
//! ```

mod balance;
mod bed;
mod bins;
mod coverage;
mod error;
mod expected;
mod file;
mod filter;
mod ice;
mod oe;
mod options;
mod pixels;
mod scale;
mod stats;
mod stored;

pub use balance::{BalanceOutcome, Progress, balance};
pub use bed::{BedRegion, read_bed};
pub use error::BalanceError;
pub use expected::{ExpectedOptions, ExpectedRow, ExpectedTable, expected_cis};
pub use file::{BalanceRequest, Resolutions, StoredVector, balance_file};
pub use oe::{ObservedExpected, ObservedExpectedError, cis_chrom};
pub use options::{BalanceOptions, DEFAULT_MEMORY, Method, Mode, SCALE_MAX_ITERS, SCALE_TOL};
pub use pixels::{BYTES_PER_PIXEL, PixelStore, StoreFigures, bytes_per_bin};
pub use stored::{ExpectedSource, expected_for, store_expected_file};
