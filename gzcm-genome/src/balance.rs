//! Balancing: the one routine that turns counts into balanced values, as cooler does.

use ndarray::{Array2, ArrayView2};

/// The balanced window `counts[r, c] · row_weights[r] · col_weights[c]` as float64 (cooler's
/// `matrix(balance=True)`): NaN wherever a row's or column's bin is masked (NaN weight), even
/// for a zero count. A row or column beyond its weight slice counts as masked.
///
/// `row_weights` and `col_weights` are the weights of the window's rows and columns
/// (`w[r0..r1]`, `w[c0..c1]` of a multiplicative [`WeightVector`](crate::WeightVector)).
#[must_use]
pub fn apply<T: Copy + Into<f64>>(
    counts: ArrayView2<'_, T>,
    row_weights: &[f64],
    col_weights: &[f64],
) -> Array2<f64> {
    let weight = |w: &[f64], i: usize| w.get(i).copied().unwrap_or(f64::NAN);
    Array2::from_shape_fn(counts.dim(), |(r, c)| {
        value(counts[(r, c)].into(), weight(row_weights, r), weight(col_weights, c))
    })
}

/// The balanced values of pixels `(bin1[k], bin2[k], counts[k])` (cooler's pixel table, with
/// its int64 bin ids) under one genome-wide multiplicative vector `weights`:
/// `counts[k] · weights[bin1[k]] · weights[bin2[k]]`, NaN where a weight is NaN or a bin lies
/// outside `weights`. The lists are zipped: the result is as long as the shortest.
#[must_use]
pub fn pixels<T: Copy + Into<f64>>(bin1: &[i64], bin2: &[i64], counts: &[T], weights: &[f64]) -> Vec<f64> {
    let weight =
        |bin: i64| usize::try_from(bin).ok().and_then(|i| weights.get(i)).copied().unwrap_or(f64::NAN);
    bin1.iter()
        .zip(bin2)
        .zip(counts)
        .map(|((&i, &j), &count)| value(count.into(), weight(i), weight(j)))
        .collect()
}

/// One balanced value: `count · row_weight · col_weight` (NaN when either weight is).
#[must_use]
pub fn value(count: f64, row_weight: f64, col_weight: f64) -> f64 {
    count * row_weight * col_weight
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn counts_are_multiplied_by_both_weights() {
        let counts = array![[1u32, 2, 0], [3, 4, 5]];
        let balanced = apply(counts.view(), &[2.0, 0.5], &[1.0, 10.0, 3.0]);
        assert_eq!(balanced, array![[2.0, 40.0, 0.0], [1.5, 20.0, 7.5]]);
        let floats = array![[0.5f32]];
        assert_eq!(apply(floats.view(), &[4.0], &[0.25]), array![[0.5]]);
    }

    #[test]
    fn pixels_are_balanced_by_their_bins_weights() {
        let weights = [2.0, f64::NAN, 0.5];
        let balanced = pixels(&[0, 0, 2, 5], &[0, 1, 2, 0], &[3u32, 4, 8, 1], &weights);
        assert_eq!(balanced[0], 12.0);
        assert!(balanced[1].is_nan(), "a masked bin");
        assert_eq!(balanced[2], 2.0);
        assert!(balanced[3].is_nan(), "a bin outside the vector");
        assert_eq!(pixels::<f32>(&[0], &[], &[1.0], &weights), Vec::<f64>::new());
    }

    #[test]
    fn masked_bins_are_nan_even_where_the_count_is_zero() {
        let counts = array![[0u32, 1], [2, 3]];
        let balanced = apply(counts.view(), &[f64::NAN, 1.0], &[1.0, 2.0]);
        assert!(balanced.row(0).iter().all(|v| v.is_nan()));
        assert_eq!(balanced.row(1).to_vec(), [2.0, 6.0]);
        // Columns without a weight are masked, not a panic.
        let short = apply(counts.view(), &[1.0, 1.0], &[1.0]);
        assert_eq!(short[[1, 0]], 2.0);
        assert!(short.column(1).iter().all(|v| v.is_nan()));
    }
}
