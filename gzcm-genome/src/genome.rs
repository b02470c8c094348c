//! The validated genome of a square contact matrix: chromosomes, bins, assembly and weight
//! vectors.

use std::ops::Range;

use crate::{Bins, Chrom, GenomeError, WeightVector};

/// The genome of a square contact matrix: bin ids are genome-wide, chromosome after chromosome.
///
/// Built with [`Genome::new`] (which checks that chromosomes and bins agree), then
/// [`Genome::with_assembly`] and [`Genome::with_weights`].
#[derive(Clone, Debug, PartialEq)]
pub struct Genome {
    assembly: Option<String>,
    chroms: Vec<Chrom>,
    bins: Bins,
    weights: Vec<WeightVector>,
}

impl Genome {
    /// A genome from chromosomes with their bin ranges and the bin layout.
    ///
    /// # Errors
    /// [`GenomeError::ChromRanges`] when the ranges do not follow each other from bin 0;
    /// [`GenomeError::ZeroBinSize`], [`GenomeError::FixedBinCount`] for fixed bins that do not
    /// fit the lengths; [`GenomeError::VariableBinCount`], [`GenomeError::BadBin`] for variable
    /// bins that do not.
    pub fn new(chroms: Vec<Chrom>, bins: Bins) -> Result<Genome, GenomeError> {
        check_ranges(&chroms)?;
        let n_bins = chroms.last().map_or(0, |c| c.bin_end);
        match &bins {
            Bins::Fixed { bin_size } => check_fixed(&chroms, *bin_size)?,
            Bins::Variable { starts, ends } => check_variable(&chroms, starts, ends, n_bins)?,
        }
        Ok(Genome { assembly: None, chroms, bins, weights: Vec::new() })
    }

    /// Fixed-size bins over chromosomes given as `(name, length)`.
    ///
    /// # Errors
    /// [`GenomeError::ZeroBinSize`].
    pub fn fixed(chroms: &[(String, u64)], bin_size: u64) -> Result<Genome, GenomeError> {
        if bin_size == 0 {
            return Err(GenomeError::ZeroBinSize);
        }
        let mut next = 0u64;
        let chroms = chroms
            .iter()
            .map(|(name, length)| {
                let start = next;
                // Saturates rather than wraps: `Genome::new` then refuses the bin count.
                next = next.saturating_add(length.div_ceil(bin_size));
                Chrom::new(name.clone(), *length, start, next)
            })
            .collect();
        Genome::new(chroms, Bins::Fixed { bin_size })
    }

    /// The same genome with an assembly name.
    #[must_use]
    pub fn with_assembly(mut self, assembly: Option<String>) -> Self {
        self.assembly = assembly;
        self
    }

    /// The same genome with these weight vectors (replacing any).
    ///
    /// # Errors
    /// [`GenomeError::WeightLength`] for a vector that is not one value per bin;
    /// [`GenomeError::WeightName`] for an empty or repeated name.
    pub fn with_weights(mut self, weights: Vec<WeightVector>) -> Result<Self, GenomeError> {
        let n_bins = self.n_bins();
        for (i, w) in weights.iter().enumerate() {
            if w.values.len() as u64 != n_bins {
                return Err(GenomeError::WeightLength {
                    name: w.name.clone(),
                    found: w.values.len(),
                    n_bins,
                });
            }
            if w.name.is_empty() || weights[..i].iter().any(|v| v.name == w.name) {
                return Err(GenomeError::WeightName { name: w.name.clone() });
            }
        }
        self.weights = weights;
        Ok(self)
    }

    /// The assembly name, when known.
    #[must_use]
    pub fn assembly(&self) -> Option<&str> {
        self.assembly.as_deref()
    }

    /// The bin size for fixed bins; `None` for variable bins.
    #[must_use]
    pub fn resolution(&self) -> Option<u64> {
        match self.bins {
            Bins::Fixed { bin_size } => Some(bin_size),
            Bins::Variable { .. } => None,
        }
    }

    /// The chromosomes with their bin ranges, in bin order.
    #[must_use]
    pub fn chroms(&self) -> &[Chrom] {
        &self.chroms
    }

    /// The bin layout.
    #[must_use]
    pub fn bins(&self) -> &Bins {
        &self.bins
    }

    /// The weight vectors, in the order given.
    #[must_use]
    pub fn weights(&self) -> &[WeightVector] {
        &self.weights
    }

    /// The weight vector named `name`.
    #[must_use]
    pub fn weight(&self, name: &str) -> Option<&WeightVector> {
        self.weights.iter().find(|w| w.name == name)
    }

    /// The weight vector a request for `name` means: `""` (balance with the default, as cooler's
    /// `balance=True`) is `weight` when the genome has it, else its first vector; any other name
    /// is that vector. `None` when there is no such vector.
    #[must_use]
    pub fn chosen_weight(&self, name: &str) -> Option<&WeightVector> {
        match name {
            "" => self.weight("weight").or_else(|| self.weights.first()),
            name => self.weight(name),
        }
    }

    /// The number of bins (the matrix's edge).
    #[must_use]
    pub fn n_bins(&self) -> u64 {
        self.chroms.last().map_or(0, |c| c.bin_end)
    }

    /// Each chromosome's first bin, then the number of bins (`chroms().len() + 1` entries):
    /// cooler's `indexes/chrom_offset`.
    #[must_use]
    pub fn chrom_offsets(&self) -> Vec<u64> {
        std::iter::once(0).chain(self.chroms.iter().map(|c| c.bin_end)).collect()
    }

    /// The chromosome named `name`, with its index.
    #[must_use]
    pub fn chrom(&self, name: &str) -> Option<(usize, &Chrom)> {
        self.chroms.iter().enumerate().find(|(_, c)| c.name == name)
    }

    /// Bin `bin`'s chromosome index and `start..end` in bp, or `None` past the last bin.
    #[must_use]
    pub fn bin(&self, bin: u64) -> Option<(usize, Range<u64>)> {
        let index = self.chroms.partition_point(|c| c.bin_end <= bin);
        let chrom = self.chroms.get(index)?;
        let local = bin - chrom.bin_start;
        let span = match &self.bins {
            Bins::Fixed { bin_size } => {
                let start = local * bin_size;
                start..(start + bin_size).min(chrom.length)
            }
            Bins::Variable { starts, ends } => {
                let i = usize::try_from(bin).ok()?;
                starts[i]..ends[i]
            }
        };
        Some((index, span))
    }

    /// The bins of chromosome `index` that overlap `start..end` bp (cooler's rule: a bin is in
    /// when any of its base pairs is). Empty when nothing overlaps.
    #[must_use]
    pub fn overlapping(&self, index: usize, start: u64, end: u64) -> Range<u64> {
        let chrom = &self.chroms[index];
        let end = end.min(chrom.length);
        if start >= end {
            return chrom.bin_start..chrom.bin_start;
        }
        match &self.bins {
            Bins::Fixed { bin_size } => {
                chrom.bin_start + start / bin_size..chrom.bin_start + end.div_ceil(*bin_size)
            }
            Bins::Variable { starts, ends } => {
                let (first, last) = (usize_of(chrom.bin_start), usize_of(chrom.bin_end));
                let lo = first + ends[first..last].partition_point(|&e| e <= start);
                let hi = first + starts[first..last].partition_point(|&s| s < end);
                lo as u64..(hi as u64).max(lo as u64)
            }
        }
    }

    /// Checks that this genome describes a `rows × cols` matrix (`n_bins × n_bins`).
    ///
    /// # Errors
    /// [`GenomeError::MatrixShape`] otherwise.
    pub fn check_shape(&self, rows: u64, cols: u64) -> Result<(), GenomeError> {
        let n_bins = self.n_bins();
        if rows != n_bins || cols != n_bins {
            return Err(GenomeError::MatrixShape { n_bins, rows, cols });
        }
        Ok(())
    }

    /// The genome of chromosome `index`'s intra-chromosomal matrix: that chromosome alone, its
    /// bins numbered from 0, each weight vector cut to them; `None` past the last chromosome.
    #[must_use]
    pub fn single_chrom(&self, index: usize) -> Option<Genome> {
        let chrom = self.chroms.get(index)?;
        let range = usize_of(chrom.bin_start)..usize_of(chrom.bin_end);
        let weights = self
            .weights
            .iter()
            .map(|w| WeightVector::new(w.name.clone(), w.values[range.clone()].to_vec()))
            .collect();
        Some(Genome {
            assembly: self.assembly.clone(),
            chroms: vec![Chrom::new(chrom.name.clone(), chrom.length, 0, chrom.n_bins())],
            bins: self.bins.slice(range),
            weights,
        })
    }
}

/// Bin ids of a validated genome index in-memory vectors, so they fit a `usize`.
fn usize_of(bin: u64) -> usize {
    usize::try_from(bin).unwrap_or(usize::MAX)
}

fn check_ranges(chroms: &[Chrom]) -> Result<(), GenomeError> {
    let mut expected_start = 0;
    for c in chroms {
        if c.bin_start != expected_start || c.bin_end < c.bin_start {
            return Err(GenomeError::ChromRanges {
                chrom: c.name.clone(),
                bin_start: c.bin_start,
                bin_end: c.bin_end,
                expected_start,
            });
        }
        expected_start = c.bin_end;
    }
    Ok(())
}

fn check_fixed(chroms: &[Chrom], bin_size: u64) -> Result<(), GenomeError> {
    if bin_size == 0 {
        return Err(GenomeError::ZeroBinSize);
    }
    for c in chroms {
        let expected = c.length.div_ceil(bin_size);
        let found = c.bin_end - c.bin_start;
        if found != expected {
            return Err(GenomeError::FixedBinCount {
                chrom: c.name.clone(),
                length: c.length,
                bin_size,
                expected,
                found,
            });
        }
    }
    Ok(())
}

fn check_variable(chroms: &[Chrom], starts: &[u64], ends: &[u64], n_bins: u64) -> Result<(), GenomeError> {
    if starts.len() as u64 != n_bins || ends.len() as u64 != n_bins {
        return Err(GenomeError::VariableBinCount { starts: starts.len(), ends: ends.len(), n_bins });
    }
    for c in chroms {
        let (mut previous_start, mut previous_end) = (0, 0);
        for bin in c.bin_start..c.bin_end {
            let i = usize_of(bin);
            let (start, end) = (starts[i], ends[i]);
            if start >= end || end > c.length || start < previous_start || end < previous_end {
                return Err(GenomeError::BadBin { bin, chrom: c.name.clone(), start, end, length: c.length });
            }
            (previous_start, previous_end) = (start, end);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chroms() -> Vec<(String, u64)> {
        vec![("chr1".to_owned(), 25), ("chr2".to_owned(), 10)]
    }

    #[test]
    fn fixed_bins_end_at_the_chromosome_end() {
        let g = Genome::fixed(&chroms(), 10).unwrap();
        assert_eq!(g.n_bins(), 4);
        assert_eq!(g.chrom_offsets(), [0, 3, 4]);
        assert_eq!(g.bin(2), Some((0, 20..25)));
        assert_eq!(g.bin(3), Some((1, 0..10)));
        assert_eq!(g.bin(4), None);
        assert_eq!(g.overlapping(0, 5, 11), 0..2);
        assert_eq!(g.overlapping(0, 10, 20), 1..2);
        assert_eq!(g.overlapping(0, 0, 1000), 0..3);
        assert_eq!(g.overlapping(1, 0, 10), 3..4);
        assert!(g.overlapping(0, 25, 30).is_empty());
    }

    #[test]
    fn variable_bins_are_checked_and_looked_up() {
        let chroms = vec![Chrom::new("a", 100, 0, 2), Chrom::new("b", 50, 2, 3)];
        let bins = Bins::Variable { starts: vec![0, 30, 0], ends: vec![30, 100, 50] };
        let g = Genome::new(chroms.clone(), bins).unwrap();
        assert_eq!(g.resolution(), None);
        assert_eq!(g.bin(1), Some((0, 30..100)));
        assert_eq!(g.overlapping(0, 29, 31), 0..2);
        assert_eq!(g.overlapping(0, 30, 31), 1..2);
        assert_eq!(g.overlapping(1, 10, 20), 2..3);
        let bad = Bins::Variable { starts: vec![0, 30, 0], ends: vec![30, 101, 50] };
        assert!(matches!(Genome::new(chroms.clone(), bad), Err(GenomeError::BadBin { bin: 1, .. })));
        let short = Bins::Variable { starts: vec![0], ends: vec![30] };
        assert!(matches!(Genome::new(chroms, short), Err(GenomeError::VariableBinCount { .. })));
    }

    #[test]
    fn one_chromosome_is_cut_out_with_its_weights() {
        let two = vec![Chrom::new("a", 100, 0, 2), Chrom::new("b", 50, 2, 3)];
        let bins = Bins::Variable { starts: vec![0, 30, 10], ends: vec![30, 100, 50] };
        let g = Genome::new(two, bins)
            .unwrap()
            .with_assembly(Some("toy".to_owned()))
            .with_weights(vec![WeightVector::new("w", vec![1.0, 2.0, 3.0])])
            .unwrap();
        let b = g.single_chrom(1).unwrap();
        assert_eq!(b.chroms(), [Chrom::new("b", 50, 0, 1)]);
        assert_eq!(b.bins(), &Bins::Variable { starts: vec![10], ends: vec![50] });
        assert_eq!((b.assembly(), b.weight("w").unwrap().values.clone()), (Some("toy"), vec![3.0]));
        assert!(g.single_chrom(2).is_none());
        let fixed = Genome::fixed(&chroms(), 10).unwrap().single_chrom(1).unwrap();
        assert_eq!((fixed.n_bins(), fixed.resolution(), fixed.bin(0)), (1, Some(10), Some((0, 0..10))));
    }

    #[test]
    fn the_matrix_must_be_n_bins_square() {
        let g = Genome::fixed(&chroms(), 10).unwrap();
        assert!(g.check_shape(4, 4).is_ok());
        assert!(matches!(g.check_shape(4, 5), Err(GenomeError::MatrixShape { n_bins: 4, rows: 4, cols: 5 })));
        let huge = [("a".to_owned(), u64::MAX), ("b".to_owned(), u64::MAX)];
        assert!(matches!(Genome::fixed(&huge, 1), Err(GenomeError::FixedBinCount { .. })));
        assert!(matches!(Genome::fixed(&chroms(), 0), Err(GenomeError::ZeroBinSize)));
    }

    #[test]
    fn inconsistent_chromosomes_and_weights_are_refused() {
        let gap = vec![Chrom::new("a", 10, 0, 1), Chrom::new("b", 10, 2, 3)];
        assert!(matches!(
            Genome::new(gap, Bins::Fixed { bin_size: 10 }),
            Err(GenomeError::ChromRanges { .. })
        ));
        let wrong = vec![Chrom::new("a", 25, 0, 2)];
        assert!(matches!(
            Genome::new(wrong, Bins::Fixed { bin_size: 10 }),
            Err(GenomeError::FixedBinCount { expected: 3, found: 2, .. })
        ));
        let g = Genome::fixed(&chroms(), 10).unwrap();
        let short = WeightVector::new("weight", vec![1.0; 3]);
        assert!(matches!(g.clone().with_weights(vec![short]), Err(GenomeError::WeightLength { .. })));
        let twice = vec![WeightVector::new("w", vec![1.0; 4]), WeightVector::new("w", vec![2.0; 4])];
        assert!(matches!(g.with_weights(twice), Err(GenomeError::WeightName { .. })));
    }
}
