//! One balancing run on an open file: [`balance`] loads the pixels within the memory budget,
//! computes the vector with the chosen method and reports how it went ([`BalanceOutcome`]).

use std::time::Instant;

use gzcm_container::{BalanceOptionsRecord, BalanceRecord, Reader};

use crate::bins::BinLayout;
use crate::coverage::coverage;
use crate::error::BalanceError;
use crate::filter::{Masked, initial_bias};
use crate::ice::{Iterated, iterate};
use crate::options::{BalanceOptions, Method, Mode};
use crate::pixels::{PixelStore, StoreFigures};
use crate::scale::scale;

/// What a run reports while it works.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Progress {
    /// The pixels are loaded: what is held in memory.
    Loaded(StoreFigures),
    /// An ICE pass ended with this variance of the nonzero marginals (the largest of the
    /// chromosomes still iterating, in cis mode).
    Pass {
        /// 1-based pass number.
        pass: u64,
        /// The variance.
        variance: f64,
    },
    /// A SCALE iteration ended with this largest change of the vector (Juicer's `ber`; the
    /// largest of the chromosomes still iterating, in cis mode).
    ScalePass {
        /// 1-based pass number.
        pass: u64,
        /// The change.
        error: f64,
    },
}

/// A computed vector and how it was computed.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct BalanceOutcome {
    /// Multiplicative weights, NaN for masked bins.
    pub weights: Vec<f64>,
    /// The options used.
    pub options: BalanceOptions,
    /// Whether the iteration reached the tolerance (always for the exact methods).
    pub converged: bool,
    /// In cis mode, the chromosomes whose iteration stopped before converging (empty when
    /// `converged`, and in the other modes).
    pub unconverged_chroms: Vec<String>,
    /// Passes run (0 for the exact methods).
    pub iterations: u64,
    /// ICE's scale (the last mean of the nonzero marginals) or SCALE's final scale factor
    /// (Juicer's, which makes the normalised map's sum the raw one's): one value, or one per
    /// chromosome in cis mode (empty for the exact methods).
    pub scale: Vec<f64>,
    /// ICE: the last variance of the nonzero marginals; SCALE: the variance of the balanced
    /// row sums of the unmasked bins before the final scale factor (0 at exact balance) (as
    /// `scale`).
    pub variance: Vec<f64>,
    /// Bins masked (NaN weight).
    pub masked_bins: u64,
    /// What was held in memory.
    pub store: StoreFigures,
    /// Seconds the computation took.
    pub seconds: f64,
}

impl BalanceOutcome {
    /// The record stored next to the vector in the file (docs/format.md entry 48).
    #[must_use]
    pub fn record(&self) -> BalanceRecord {
        let o = &self.options;
        let finite = |values: &[f64]| values.iter().map(|v| v.is_finite().then_some(*v)).collect();
        let mut options = BalanceOptionsRecord::default();
        if o.method == Method::Ice {
            options.ignore_diags = Some(o.ignore_diags);
            options.min_nnz = Some(o.min_nnz);
            options.min_count = Some(o.min_count);
            options.mad_max = Some(o.mad_max);
        }
        if matches!(o.method, Method::Ice | Method::Scale) {
            options.tol = Some(o.tol);
            options.max_iters = Some(o.max_iters);
            options.blacklisted_bins = Some(o.blacklist.len() as u64);
        }
        let mut record = BalanceRecord::default();
        record.method = o.method.as_str().to_owned();
        record.mode = o.mode.as_str().to_owned();
        record.converged = self.converged;
        record.iterations = self.iterations;
        record.scale = finite(&self.scale);
        record.variance = finite(&self.variance);
        record.masked_bins = self.masked_bins;
        record.options = options;
        record.writer = Some(format!("gzcm {}", env!("CARGO_PKG_VERSION")));
        record
    }
}

/// Computes the vector `options` asks for on the symmetric file `reader` (a single file, or a
/// collection's member), calling `progress` as it goes.
///
/// # Errors
/// [`BalanceError::NoGenome`], [`BalanceError::NotSymmetric`] for files that cannot be
/// balanced; [`BalanceError::NoContacts`] for a map without contacts;
/// [`BalanceError::AllMasked`] when every bin ends up masked (the vector would be NaN only);
/// [`BalanceError::OverBudget`] when the map's per-bin vectors exceed the memory budget;
/// [`BalanceError::InvalidOption`] for a negative or non-finite `tol`, `max_iters` 0 and the
/// like; [`BalanceError::Container`] when a tile cannot be read.
pub fn balance(
    reader: &Reader,
    options: &BalanceOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<BalanceOutcome, BalanceError> {
    let started = Instant::now();
    let genome = reader.genome().ok_or_else(|| BalanceError::NoGenome { path: reader.path().to_owned() })?;
    check(options)?;
    // Juicer's methods use every pixel, the diagonal included.
    let min_distance = if options.method == Method::Ice { options.ignore_diags } else { 0 };
    // First: it checks the per-bin vectors against the memory budget before any is sized.
    let store = PixelStore::load(reader, min_distance, options.memory)?;
    let layout = BinLayout::new(genome);
    progress(Progress::Loaded(store.figures()));
    let (iterated, masked) = if matches!(options.method, Method::Vc | Method::VcSqrt) {
        let weights = coverage(&store, &layout, options.mode, options.method)?;
        let iterated = Iterated {
            weights,
            scale: Vec::new(),
            variance: Vec::new(),
            iterations: 0,
            converged: true,
            unconverged: Vec::new(),
        };
        (iterated, Masked::default())
    } else if options.method == Method::Scale {
        let mut report = |pass, error| progress(Progress::ScalePass { pass, error });
        (scale(&store, &layout, options, &mut report)?, Masked::default())
    } else {
        let (bias, masked) = initial_bias(&store, &layout, options)?;
        let mut report = |pass, variance| progress(Progress::Pass { pass, variance });
        (iterate(&store, &layout, options, bias, &mut report)?, masked)
    };
    let masked_bins = iterated.weights.iter().filter(|w| w.is_nan()).count() as u64;
    if masked_bins == iterated.weights.len() as u64 {
        let filtered = masked.by_min_nnz + masked.by_min_count + masked.by_mad + masked.by_blacklist;
        return Err(BalanceError::AllMasked {
            n_bins: masked_bins,
            min_nnz: options.min_nnz,
            by_min_nnz: masked.by_min_nnz,
            by_min_count: masked.by_min_count,
            by_mad: masked.by_mad,
            by_blacklist: masked.by_blacklist,
            by_balancing: masked_bins - filtered,
        });
    }
    let unconverged_chroms = if options.mode == Mode::Cis {
        iterated.unconverged.iter().filter_map(|&c| genome.chroms().get(c)).map(|c| c.name.clone()).collect()
    } else {
        Vec::new()
    };
    Ok(BalanceOutcome {
        weights: iterated.weights,
        options: options.clone(),
        converged: iterated.converged,
        unconverged_chroms,
        iterations: iterated.iterations,
        scale: iterated.scale,
        variance: iterated.variance,
        masked_bins,
        store: store.figures(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn check(options: &BalanceOptions) -> Result<(), BalanceError> {
    let bad = |option, reason: &str| Err(BalanceError::InvalidOption { option, reason: reason.to_owned() });
    if !(options.tol.is_finite() && options.tol >= 0.0) {
        return bad("tol", "must be a finite number of at least 0");
    }
    if !(options.mad_max.is_finite() && options.mad_max >= 0.0) {
        return bad("mad_max", "must be a finite number of at least 0 (0 turns the filter off)");
    }
    if !options.min_count.is_finite() {
        return bad("min_count", "must be a finite number");
    }
    if options.max_iters == 0 {
        return bad("max_iters", "must be at least 1");
    }
    Ok(())
}
