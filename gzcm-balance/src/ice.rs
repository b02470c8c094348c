//! Iterative correction as cooler's `balance_cooler` does it: each pass sums the filtered,
//! biased contacts into marginals; the bias is divided by the marginals over their nonzero
//! mean (zero marginals left alone) until the variance of the nonzero marginals is below
//! `tol` or `max_iters` passes have run. Masked bins (bias 0) become NaN, and the bias is
//! divided by the square root of the last nonzero mean (`scale`), so the balanced matrix's
//! nonzero marginals average 1. Cis mode balances each chromosome on its own (all of them
//! in the same passes); trans mode uses inter-chromosomal contacts only, each weighted by
//! `1 / (1 − n_c / n)` for a chromosome of `n_c` of the `n` bins.

use crate::bins::BinLayout;
use crate::error::BalanceError;
use crate::options::{BalanceOptions, Mode};
use crate::pixels::PixelStore;
use crate::stats::{mean, variance};

/// The vector and how the iteration ended.
#[derive(Clone, Debug)]
pub(crate) struct Iterated {
    pub(crate) weights: Vec<f64>,
    /// The last nonzero mean: one value, or one per chromosome in cis mode.
    pub(crate) scale: Vec<f64>,
    /// The last variance of the nonzero marginals (as `scale`).
    pub(crate) variance: Vec<f64>,
    /// Passes run (the most of any chromosome in cis mode).
    pub(crate) iterations: u64,
    pub(crate) converged: bool,
    /// The groups (chromosomes in cis mode) that stopped before converging.
    pub(crate) unconverged: Vec<usize>,
}

/// The state of one group of bins balanced together: the whole genome, or a chromosome.
#[derive(Clone, Debug)]
struct Group {
    span: std::ops::Range<usize>,
    active: bool,
    scale: f64,
    variance: f64,
    iterations: u64,
}

/// Runs the iteration from `bias` (0 for masked bins); `report(pass, variance)` after each
/// pass (the largest variance of the groups still iterating).
pub(crate) fn iterate(
    store: &PixelStore<'_>,
    layout: &BinLayout,
    options: &BalanceOptions,
    mut bias: Vec<f64>,
    report: &mut dyn FnMut(u64, f64),
) -> Result<Iterated, BalanceError> {
    let n = layout.n_bins();
    let spans =
        if options.mode == Mode::Cis { layout.spans.clone() } else { std::iter::once(0..n).collect() };
    let mut groups: Vec<Group> = spans
        .into_iter()
        .map(|span| Group { span, active: true, scale: 1.0, variance: f64::NAN, iterations: 0 })
        .collect();
    let chrom = &layout.chrom;
    let mode = options.mode;
    let contact_weight = contact_weights(layout, mode);
    for pass in 0..options.max_iters {
        let group_of = group_index(layout, &groups, mode);
        let scaled: Vec<f64> = bias.iter().zip(&contact_weight).map(|(b, c)| b * c).collect();
        let marg = store.marginals(
            |i, j| mode.keeps(chrom[i], chrom[j]) && groups[group_of(i)].active,
            |i, j, v| scaled[i] * scaled[j] * v,
        )?;
        let mut worst = 0.0f64;
        for group in groups.iter_mut().filter(|g| g.active) {
            group.iterations = pass + 1;
            let part = &marg[group.span.clone()];
            let nonzero: Vec<f64> = part.iter().copied().filter(|&m| m != 0.0).collect();
            if nonzero.is_empty() {
                (group.scale, group.variance, group.active) = (f64::NAN, 0.0, false);
                bias[group.span.clone()].iter_mut().for_each(|b| *b = f64::NAN);
                continue;
            }
            let center = mean(&nonzero);
            for (b, &m) in bias[group.span.clone()].iter_mut().zip(part) {
                let relative = m / center;
                *b /= if relative == 0.0 { 1.0 } else { relative };
            }
            group.scale = center;
            group.variance = variance(&nonzero);
            worst = worst.max(group.variance);
            if group.variance < options.tol {
                group.active = false;
            }
        }
        report(pass + 1, worst);
        if groups.iter().all(|g| !g.active) {
            break;
        }
    }
    for group in &groups {
        let root = group.scale.sqrt();
        for b in &mut bias[group.span.clone()] {
            *b = if *b == 0.0 { f64::NAN } else { *b / root };
        }
    }
    let reached: Vec<bool> = groups.iter().map(|g| g.variance < options.tol).collect();
    Ok(Iterated {
        weights: bias,
        scale: groups.iter().map(|g| g.scale).collect(),
        variance: groups.iter().map(|g| g.variance).collect(),
        iterations: groups.iter().map(|g| g.iterations).max().unwrap_or(0),
        converged: reached.iter().all(|&r| r),
        unconverged: (0..groups.len()).filter(|&g| !reached[g]).collect(),
    })
}

/// The factor each bin's bias is multiplied by in the passes: 1, or in trans mode
/// `1 / (1 − n_c / n)` for a bin of a chromosome with `n_c` of the `n` bins (cooler's
/// `cweights`).
fn contact_weights(layout: &BinLayout, mode: Mode) -> Vec<f64> {
    let n = layout.n_bins() as f64;
    let mut weights = vec![1.0; layout.n_bins()];
    if mode == Mode::Trans {
        for span in &layout.spans {
            let w = 1.0 / (1.0 - span.len() as f64 / n);
            weights[span.clone()].iter_mut().for_each(|x| *x = w);
        }
    }
    weights
}

/// A bin's group: its chromosome in cis mode, else the one group.
fn group_index<'a>(
    layout: &'a BinLayout,
    groups: &[Group],
    mode: Mode,
) -> impl Fn(usize) -> usize + Sync + 'a {
    let per_chrom = mode == Mode::Cis && groups.len() == layout.spans.len();
    move |i| if per_chrom { layout.chrom[i] as usize } else { 0 }
}
