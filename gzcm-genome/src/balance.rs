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
        counts[(r, c)].into() * weight(row_weights, r) * weight(col_weights, c)
    })
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
