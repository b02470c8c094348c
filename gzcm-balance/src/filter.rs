//! ICE's bin filters, applied before the iteration as cooler applies them, in its order:
//! too few nonzero pixels (`min_nnz`), too small a marginal (`min_count`), a log marginal too
//! far below the median (`mad_max`, each chromosome's marginals first divided by their
//! median), then the blacklist. A masked bin starts with bias 0.

use crate::bins::BinLayout;
use crate::error::BalanceError;
use crate::options::{BalanceOptions, Mode};
use crate::pixels::{PixelStore, add};
use crate::stats::{mad, median};

/// Bins each filter masked (a bin is counted by the first filter that masks it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Masked {
    pub(crate) by_min_nnz: u64,
    pub(crate) by_min_count: u64,
    pub(crate) by_mad: u64,
    pub(crate) by_blacklist: u64,
}

/// The starting bias: 1 for every bin, 0 for the bins the filters mask.
pub(crate) fn initial_bias(
    store: &PixelStore<'_>,
    layout: &BinLayout,
    options: &BalanceOptions,
) -> Result<(Vec<f64>, Masked), BalanceError> {
    let n = store.n_bins();
    // The filters see the contacts of cooler's base filters: cis only in cis mode, else all
    // (trans mode drops cis contacts only while iterating).
    let base = if options.mode == Mode::Cis { Mode::Cis } else { Mode::GenomeWide };
    let chrom = &layout.chrom;
    let (nnz, mut marg) = store.fold(
        || (vec![0.0; n], vec![0.0; n]),
        |(nnz, marg), i, j, v| {
            if base.keeps(chrom[i], chrom[j]) {
                nnz[i] += 1.0;
                nnz[j] += 1.0;
                marg[i] += v;
                marg[j] += v;
            }
        },
        |(a, b), (c, d)| (add(a, c), add(b, d)),
    )?;
    if marg.iter().all(|&m| m == 0.0) {
        return Err(BalanceError::NoContacts { after_diagonals: options.ignore_diags });
    }
    let mut bias = vec![1.0; n];
    let mut masked = Masked::default();
    let mask = |bias: &mut [f64], i: usize, counter: &mut u64| {
        if bias[i] != 0.0 {
            bias[i] = 0.0;
            *counter += 1;
        }
    };
    if options.min_nnz > 0 {
        let min = options.min_nnz as f64;
        for i in (0..n).filter(|&i| nnz[i] < min) {
            mask(&mut bias, i, &mut masked.by_min_nnz);
        }
    }
    if options.min_count != 0.0 {
        for i in (0..n).filter(|&i| marg[i] < options.min_count) {
            mask(&mut bias, i, &mut masked.by_min_count);
        }
    }
    if options.mad_max > 0.0 {
        let cutoff = mad_cutoff(&mut marg, layout, options.mad_max);
        // NaN marginals (a chromosome without contacts) compare false: not masked here.
        for i in (0..n).filter(|&i| marg[i] < cutoff) {
            mask(&mut bias, i, &mut masked.by_mad);
        }
    }
    for &bin in &options.blacklist {
        let i = usize::try_from(bin).unwrap_or(usize::MAX);
        if i < n {
            mask(&mut bias, i, &mut masked.by_blacklist);
        }
    }
    Ok((bias, masked))
}

/// Divides each chromosome's marginals by the median of its positive ones and returns the
/// MAD-max cutoff on the result: `exp(median(log m) − mad_max · mad(log m))` over positive `m`.
fn mad_cutoff(marg: &mut [f64], layout: &BinLayout, mad_max: f64) -> f64 {
    for span in &layout.spans {
        let part = &mut marg[span.clone()];
        let positive: Vec<f64> = part.iter().copied().filter(|&m| m > 0.0).collect();
        let center = median(&positive);
        part.iter_mut().for_each(|m| *m /= center);
    }
    let logs: Vec<f64> = marg.iter().filter(|&&m| m > 0.0).map(|m| m.ln()).collect();
    (median(&logs) - mad_max * mad(&logs)).exp()
}
