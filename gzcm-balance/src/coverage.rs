//! Juicer's coverage normalisations, exact: `VC`'s divisor of a bin is its total contacts
//! (the row sum of the full matrix, the diagonal counted once), `VC_SQRT`'s the square root
//! of that. As Juicer, each divisor is then multiplied by `sqrt(Σ v / (n_i · n_j) / Σ v)`
//! over the pixels between bins with positive divisors (diagonal pixels counted half), so the
//! normalised map holds as many contacts as the raw one; per chromosome in cis mode (Juicer's
//! per-chromosome vectors), over all the bins otherwise. gzcm stores the multiplicative weight
//! `1 / divisor`, NaN where the divisor is 0.

use crate::bins::BinLayout;
use crate::error::BalanceError;
use crate::options::{Method, Mode};
use crate::pixels::{PixelStore, add};

/// The multiplicative `VC` (or, with `sqrt`, `VC_SQRT`) weights of the contacts `mode` keeps.
pub(crate) fn coverage(
    store: &PixelStore<'_>,
    layout: &BinLayout,
    mode: Mode,
    method: Method,
) -> Result<Vec<f64>, BalanceError> {
    let n = store.n_bins();
    let chrom = &layout.chrom;
    let rowsums = store.fold(
        || vec![0.0; n],
        |m, i, j, v| {
            if mode.keeps(chrom[i], chrom[j]) {
                m[i] += v;
                if i != j {
                    m[j] += v;
                }
            }
        },
        add,
    )?;
    if rowsums.iter().all(|&s| s == 0.0) {
        return Err(BalanceError::NoContacts { after_diagonals: 0 });
    }
    let divisors: Vec<f64> =
        if method == Method::VcSqrt { rowsums.iter().map(|s| s.sqrt()).collect() } else { rowsums };
    let groups = if mode == Mode::Cis { layout.spans.len() } else { 1 };
    let group = |i: usize| if mode == Mode::Cis { chrom[i] as usize } else { 0 };
    // Per group: (Σ v, Σ v / (n_i n_j)) over pixels between bins with positive divisors.
    let sums = store.fold(
        || vec![(0.0, 0.0); groups],
        |s, i, j, v| {
            let (a, b) = (divisors[i], divisors[j]);
            if mode.keeps(chrom[i], chrom[j]) && a > 0.0 && b > 0.0 {
                let v = if i == j { v * 0.5 } else { v };
                let g = &mut s[group(i)];
                g.0 += v;
                g.1 += v / (a * b);
            }
        },
        |mut x, y| {
            x.iter_mut().zip(y).for_each(|(p, q)| (p.0, p.1) = (p.0 + q.0, p.1 + q.1));
            x
        },
    )?;
    let factors: Vec<f64> = sums.iter().map(|&(raw, normalised)| (normalised / raw).sqrt()).collect();
    Ok(divisors
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let divisor = d * factors[group(i)];
            if divisor > 0.0 && divisor.is_finite() { 1.0 / divisor } else { f64::NAN }
        })
        .collect())
}
