//! Genomic tick marks: round positions in bp (1, 2 or 5 × 10^k apart) and their labels
//! (`250 kb`, `12.5 Mb`).

/// The step between ticks over `span` bp so that at most `max_ticks` fall in it: the smallest
/// of 1, 2, 5 × 10^k bp that is large enough.
#[must_use]
pub fn nice_step(span: u64, max_ticks: u64) -> u64 {
    let wanted = span.div_ceil(max_ticks.max(1)).max(1);
    let mut decade = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let step = decade.saturating_mul(factor);
            if step >= wanted {
                return step;
            }
        }
        decade = decade.saturating_mul(10);
    }
}

/// The tick positions in bp inside `start..=end`, `step` apart, multiples of `step`.
#[must_use]
pub fn positions(start: u64, end: u64, step: u64) -> Vec<u64> {
    let first = start.div_ceil(step) * step;
    (0..).map(|i| first + i * step).take_while(|&p| p <= end).collect()
}

/// The label of `bp` for ticks `step` apart: in Mb when the step is at least 100 kb, in kb
/// from 100 bp, else in bp; with as many decimals as the step needs.
#[must_use]
pub fn label(bp: u64, step: u64) -> String {
    let (unit, name) = match step {
        100_000.. => (1_000_000u64, "Mb"),
        100.. => (1_000, "kb"),
        _ => (1, "bp"),
    };
    let mut decimals = 0;
    let mut scale = unit;
    while scale > 1 && !step.is_multiple_of(scale) {
        scale /= 10;
        decimals += 1;
    }
    format!("{:.*} {name}", decimals, bp as f64 / unit as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_bound_the_count() {
        assert_eq!(nice_step(50_000_000, 6), 10_000_000);
        assert_eq!(nice_step(12_000_000, 6), 2_000_000);
        assert_eq!(nice_step(1_000, 5), 200);
        assert_eq!(nice_step(0, 5), 1);
        assert_eq!(positions(10_000_000, 60_000_000, 10_000_000).len(), 6);
        assert_eq!(positions(1, 9, 5), vec![5]);
    }

    #[test]
    fn labels_use_the_unit_of_the_step() {
        assert_eq!(label(20_000_000, 10_000_000), "20 Mb");
        assert_eq!(label(12_500_000, 500_000), "12.5 Mb");
        assert_eq!(label(250_000, 50_000), "250 kb");
        assert_eq!(label(40, 20), "40 bp");
        assert_eq!(label(0, 10_000_000), "0 Mb");
    }
}
