//! The summary statistics balancing uses, computed as numpy computes them (cooler's
//! reference): the median of an even count is the mean of the two middle values, the
//! variance is the population variance (`ddof = 0`), a median of nothing is NaN.

/// The median (NaN for an empty slice).
pub(crate) fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 }
}

/// The median absolute deviation from the median, unscaled (cooler's `util.mad`).
pub(crate) fn mad(values: &[f64]) -> f64 {
    let center = median(values);
    let deviations: Vec<f64> = values.iter().map(|v| (v - center).abs()).collect();
    median(&deviations)
}

/// The mean (NaN for an empty slice).
pub(crate) fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The population variance (NaN for an empty slice).
pub(crate) fn variance(values: &[f64]) -> f64 {
    let m = mean(values);
    values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_match_numpy() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        // np.median(abs(x - median(x))) for x = [1, 2, 3, 4, 100]: deviations 2, 1, 0, 1, 97.
        assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), 1.0);
        assert_eq!(mean(&[1.0, 2.0, 6.0]), 3.0);
        // np.var([1, 2, 6]) = (4 + 1 + 9) / 3.
        assert!((variance(&[1.0, 2.0, 6.0]) - 14.0 / 3.0).abs() < 1e-15);
    }
}
