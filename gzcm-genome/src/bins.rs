//! How a genome is cut into bins.

/// How the genome is cut into bins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bins {
    /// Every bin is `bin_size` bp but the last of each chromosome, which ends at the
    /// chromosome's end: chromosome `c` has `ceil(length / bin_size)` bins.
    Fixed {
        /// Bin size in bp.
        bin_size: u64,
    },
    /// Bins listed one by one (cooler's "variable" bins); bin `i` spans `starts[i]..ends[i]`
    /// of the chromosome whose bin range holds `i`.
    Variable {
        /// Each bin's start in bp.
        starts: Vec<u64>,
        /// Each bin's end in bp.
        ends: Vec<u64>,
    },
}

impl Bins {
    /// The same layout for bins `range` only (variable bins are sliced; `range` must lie within
    /// them).
    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> Bins {
        match self {
            Bins::Fixed { bin_size } => Bins::Fixed { bin_size: *bin_size },
            Bins::Variable { starts, ends } => {
                Bins::Variable { starts: starts[range.clone()].to_vec(), ends: ends[range].to_vec() }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slicing_keeps_fixed_bins_and_cuts_variable_ones() {
        assert_eq!(Bins::Fixed { bin_size: 10 }.slice(2..5), Bins::Fixed { bin_size: 10 });
        let variable = Bins::Variable { starts: vec![0, 3, 0], ends: vec![3, 9, 4] };
        assert_eq!(variable.slice(1..3), Bins::Variable { starts: vec![3, 0], ends: vec![9, 4] });
    }
}
