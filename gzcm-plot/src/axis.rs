//! One axis of a heatmap: the bins it covers, how many bins a cell aggregates, and where its
//! ticks, labels and chromosome boundaries fall (as fractions of the axis, 0 at the start).

use std::ops::Range;

use gzcm_container::Genome;

use crate::ticks;

/// A labelled mark on an axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Where it falls, 0 at the axis start and 1 at its end.
    pub at: f64,
    /// Its label.
    pub label: String,
}

/// The genomic axis of a heatmap.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The bins it covers.
    pub bins: Range<u64>,
    /// Bins per cell (1 at full resolution).
    pub step: u64,
    /// Ticks in bp (one chromosome) or one per chromosome at its middle (several).
    pub ticks: Vec<Tick>,
    /// Where a chromosome ends and the next begins (several chromosomes).
    pub boundaries: Vec<f64>,
    /// The axis title: the chromosome, or `genome`/`FIRST–LAST` for several.
    pub title: String,
}

/// Ticks aimed for along one chromosome.
const MAX_TICKS: u64 = 6;

impl Axis {
    /// The axis over `bins` of `genome`, `step` bins a cell.
    #[must_use]
    pub fn new(genome: &Genome, bins: Range<u64>, step: u64) -> Axis {
        let n = (bins.end - bins.start).max(1) as f64;
        let at = |bin: f64| (bin - bins.start as f64) / n;
        let chroms: Vec<_> =
            genome.chroms().iter().filter(|c| c.bin_start < bins.end && bins.start < c.bin_end).collect();
        let mut axis = Axis {
            bins: bins.clone(),
            step,
            ticks: Vec::new(),
            boundaries: Vec::new(),
            title: String::new(),
        };
        match (chroms.as_slice(), genome.resolution()) {
            ([chrom], Some(bin_size)) => {
                axis.title = chrom.name.clone();
                let start = (bins.start - chrom.bin_start) * bin_size;
                let end = ((bins.end - chrom.bin_start) * bin_size).min(chrom.length);
                let step = ticks::nice_step(end - start, MAX_TICKS);
                for bp in ticks::positions(start, end, step) {
                    let bin = chrom.bin_start as f64 + bp as f64 / bin_size as f64;
                    axis.ticks.push(Tick { at: at(bin), label: ticks::label(bp, step) });
                }
            }
            _ => {
                for chrom in &chroms {
                    let (lo, hi) = (chrom.bin_start.max(bins.start), chrom.bin_end.min(bins.end));
                    axis.ticks.push(Tick { at: at((lo + hi) as f64 / 2.0), label: chrom.name.clone() });
                    if chrom.bin_end < bins.end {
                        axis.boundaries.push(at(chrom.bin_end as f64));
                    }
                }
                axis.title = match (chroms.first(), chroms.last()) {
                    _ if chroms.len() == genome.chroms().len()
                        && bins.end - bins.start == genome.n_bins() =>
                    {
                        "genome".to_owned()
                    }
                    (Some(first), Some(last)) if chroms.len() > 1 => format!("{}–{}", first.name, last.name),
                    (Some(only), _) => only.name.clone(),
                    _ => String::new(),
                };
            }
        }
        axis
    }

    /// The number of cells along it.
    #[must_use]
    pub fn cells(&self) -> usize {
        usize::try_from((self.bins.end - self.bins.start).div_ceil(self.step)).unwrap_or(usize::MAX)
    }

    /// The extent in bp of the axis for a plotting library: the first bin's start and the
    /// last bin's end in genome-wide bp (chromosome lengths added up, [`genome_offsets`]).
    #[must_use]
    pub fn extent_bp(&self, genome: &Genome) -> (u64, u64) {
        let offsets = genome_offsets(genome);
        let position = |bin: u64, end: bool| {
            genome
                .bin(bin)
                .map_or(0, |(chrom, span)| offsets[chrom] + if end { span.end } else { span.start })
        };
        (position(self.bins.start, false), position(self.bins.end.saturating_sub(1), true))
    }
}

/// Each chromosome's first bp in genome-wide coordinates (lengths added up).
#[must_use]
pub fn genome_offsets(genome: &Genome) -> Vec<u64> {
    let mut offsets = Vec::with_capacity(genome.chroms().len());
    let mut total = 0u64;
    for chrom in genome.chroms() {
        offsets.push(total);
        total = total.saturating_add(chrom.length);
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genome() -> Genome {
        Genome::fixed(&[("chr1".to_owned(), 100_000_000), ("chr2".to_owned(), 50_000_000)], 1_000_000)
            .unwrap()
    }

    #[test]
    fn one_chromosome_gets_bp_ticks() {
        let axis = Axis::new(&genome(), 10..60, 1);
        assert_eq!(axis.title, "chr1");
        assert_eq!(axis.ticks.first().unwrap(), &Tick { at: 0.0, label: "10 Mb".to_owned() });
        assert_eq!(axis.ticks.len(), 6);
        assert!(axis.boundaries.is_empty());
        assert_eq!(axis.cells(), 50);
        assert_eq!(axis.extent_bp(&genome()), (10_000_000, 60_000_000));
    }

    #[test]
    fn several_chromosomes_get_names_and_boundaries() {
        let axis = Axis::new(&genome(), 0..150, 4);
        assert_eq!(axis.title, "genome");
        assert_eq!(axis.ticks.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), ["chr1", "chr2"]);
        assert_eq!(axis.boundaries, vec![100.0 / 150.0]);
        assert_eq!(axis.cells(), 38);
        assert_eq!(axis.extent_bp(&genome()), (0, 150_000_000));
    }
}
