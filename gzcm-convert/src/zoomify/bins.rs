//! How the bins of the base resolution map to the bins of a coarser one, chromosome by
//! chromosome, as `cooler zoomify` does: chromosome `c` has `ceil(length / R)` bins at `R` (its
//! last bin is shorter), and its base bin `i` (counted from the chromosome's first bin) lies in
//! its coarse bin `floor(i · base / R)`. Bins never straddle two chromosomes.
//!
//! The map is monotone (a later base bin never maps to an earlier coarse bin), so coarsening
//! keeps the upper triangle upper and a row-sorted stream row-sorted.

use std::ops::Range;

use gzcm_genome::{Bins, Genome};

/// The base → coarse bin map of one coarser resolution.
#[derive(Clone, Debug)]
pub struct BinMap {
    /// The coarse resolution in bp.
    resolution: u64,
    /// Coarse bins per whole base bin: `resolution / base`.
    factor: u64,
    /// Per chromosome, in bin order: its first base bin and its first coarse bin.
    starts: Vec<(u64, u64)>,
    /// The genome at the coarse resolution: the base's chromosomes and assembly, no weights.
    coarse: Genome,
}

impl BinMap {
    /// The map from `base` (fixed bins of `base_resolution` bp) to `resolution` bp, which must
    /// be a multiple of `base_resolution` (the plan checked it).
    ///
    /// # Panics
    /// When `base` does not have fixed bins of `base_resolution`, or `resolution` is not a
    /// positive multiple of it: the caller's plan rules both out.
    #[must_use]
    pub fn new(base: &Genome, resolution: u64) -> BinMap {
        let Bins::Fixed { bin_size } = *base.bins() else { panic!("BinMap needs fixed bins") };
        assert!(
            resolution >= bin_size && resolution.is_multiple_of(bin_size),
            "{resolution} is not a multiple of {bin_size}"
        );
        let chroms: Vec<(String, u64)> = base.chroms().iter().map(|c| (c.name.clone(), c.length)).collect();
        let coarse = Genome::fixed(&chroms, resolution)
            .expect("fewer coarse bins than base bins, and the base genome is valid")
            .with_assembly(base.assembly().map(str::to_owned));
        let starts =
            base.chroms().iter().zip(coarse.chroms()).map(|(b, c)| (b.bin_start, c.bin_start)).collect();
        BinMap { resolution, factor: resolution / bin_size, starts, coarse }
    }

    /// The coarse resolution in bp.
    #[must_use]
    pub fn resolution(&self) -> u64 {
        self.resolution
    }

    /// The genome at the coarse resolution (the base's chromosomes and assembly; no weights).
    #[must_use]
    pub fn coarse_genome(&self) -> &Genome {
        &self.coarse
    }

    /// The coarse bin of base bin `bin` (which must be a bin of the base genome).
    #[must_use]
    pub fn coarse_bin(&self, bin: u64) -> u64 {
        // The last chromosome starting at or before `bin` (an empty chromosome shares its start
        // with the next and holds no bin, so the later one is the right one).
        let index = self.starts.partition_point(|&(start, _)| start <= bin).saturating_sub(1);
        let (base_start, coarse_start) = self.starts[index];
        coarse_start + (bin - base_start) / self.factor
    }

    /// The coarse bins of base bins `bins`, one per base bin, into `out` (cleared first).
    pub fn coarse_bins(&self, bins: Range<u64>, out: &mut Vec<u64>) {
        out.clear();
        let Some(first) = bins.clone().next() else { return };
        let mut index = self.starts.partition_point(|&(start, _)| start <= first).saturating_sub(1);
        for bin in bins {
            while self.starts.get(index + 1).is_some_and(|&(start, _)| start <= bin) {
                index += 1;
            }
            let (base_start, coarse_start) = self.starts[index];
            out.push(coarse_start + (bin - base_start) / self.factor);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// chr1 25 bp, an empty chromosome, chr2 15 bp, chr3 40 bp, in 5 bp base bins:
    /// 5 + 0 + 3 + 8 = 16 bins.
    fn base() -> Genome {
        let chroms = [("chr1", 25), ("empty", 0), ("chr2", 15), ("chr3", 40)];
        let chroms: Vec<(String, u64)> = chroms.iter().map(|&(n, l)| (n.to_owned(), l)).collect();
        Genome::fixed(&chroms, 5).unwrap().with_assembly(Some("toy".to_owned()))
    }

    fn all(map: &BinMap) -> Vec<u64> {
        let mut out = Vec::new();
        map.coarse_bins(0..16, &mut out);
        assert_eq!(out, (0..16).map(|b| map.coarse_bin(b)).collect::<Vec<_>>(), "both lookups agree");
        out
    }

    #[test]
    fn the_last_bin_of_a_chromosome_is_shorter() {
        let map = BinMap::new(&base(), 10);
        let g = map.coarse_genome();
        // chr1: 25 bp in 10 bp bins is 3 bins, the last 5 bp long, holding base bin 4 alone.
        assert_eq!(g.chroms()[0].bins(), 0..3);
        assert_eq!(g.bin(2), Some((0, 20..25)));
        assert_eq!((map.coarse_bin(3), map.coarse_bin(4)), (1, 2));
        assert_eq!((g.resolution(), g.assembly(), g.weights().len()), (Some(10), Some("toy"), 0));
    }

    #[test]
    fn chromosome_boundaries_are_never_crossed() {
        let map = BinMap::new(&base(), 10);
        // chr1 0..5 → 0,0,1,1,2; chr2 5..8 → 3,3,4; chr3 8..16 → 5,5,6,6,7,7,8,8.
        assert_eq!(all(&map), [0, 0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8]);
        assert_eq!(map.coarse_genome().n_bins(), 9);
        let coarse = BinMap::new(&base(), 20);
        // chr1 → 0,0,0,0,1; chr2 (15 bp) is one 20 bp bin; chr3 (40 bp) two.
        assert_eq!(all(&coarse), [0, 0, 0, 0, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
        // Larger than any chromosome: one bin each (the empty one has none).
        let whole = BinMap::new(&base(), 1000);
        assert_eq!(all(&whole), [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
        assert_eq!(whole.coarse_genome().chrom_offsets(), [0, 1, 1, 2, 3]);
    }

    #[test]
    fn ranges_may_start_inside_a_chromosome_and_the_map_is_monotone() {
        let map = BinMap::new(&base(), 15);
        let mut out = Vec::new();
        map.coarse_bins(6..12, &mut out);
        assert_eq!(out, (6..12).map(|b| map.coarse_bin(b)).collect::<Vec<_>>());
        let every = all(&map);
        assert!(every.windows(2).all(|w| w[0] <= w[1]), "{every:?}");
        map.coarse_bins(3..3, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_coarse_genome_has_ceil_length_over_resolution_bins_per_chromosome() {
        for resolution in [5, 10, 15, 20, 35, 40, 45] {
            let map = BinMap::new(&base(), resolution);
            for (c, chrom) in map.coarse_genome().chroms().iter().enumerate() {
                assert_eq!(chrom.n_bins(), chrom.length.div_ceil(resolution), "{resolution} {c}");
            }
            // Every coarse bin holds the base bins whose start lies in it (cooler's anchor).
            for bin in 0..16 {
                let (chrom, span) = base().bin(bin).unwrap();
                let (coarse_chrom, coarse_span) = map.coarse_genome().bin(map.coarse_bin(bin)).unwrap();
                assert_eq!(chrom, coarse_chrom);
                assert!(
                    coarse_span.contains(&span.start) && span.end <= coarse_span.end,
                    "{resolution} {bin}"
                );
            }
        }
    }
}
