//! Genome-wide coordinates at one resolution, as clodius places bins: a bin starts at its
//! chromosome's offset (the sum of the lengths before it) plus its start, so a chromosome's
//! short last bin and the next chromosome's first bin can fall in the same pixel of a tile.

use std::ops::Range;

use gzcm_genome::{Bins, Genome};

/// One chromosome on the genome-wide axis.
#[derive(Clone, Debug)]
struct Span {
    /// Its first base pair, genome-wide.
    offset: u64,
    /// Its last base pair + 1, genome-wide.
    end: u64,
    /// Its bins.
    bins: Range<u64>,
}

/// The genome-wide axis of one resolution with fixed bins.
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    resolution: u64,
    spans: Vec<Span>,
}

impl Axis {
    /// The axis of `genome`; `None` for variable bins.
    pub(crate) fn new(genome: &Genome) -> Option<Axis> {
        let Bins::Fixed { bin_size } = genome.bins() else { return None };
        let mut offset = 0u64;
        let spans = genome
            .chroms()
            .iter()
            .map(|c| {
                let span =
                    Span { offset, end: offset.saturating_add(c.length), bins: c.bin_start..c.bin_end };
                offset = span.end;
                span
            })
            .collect();
        Some(Axis { resolution: *bin_size, spans })
    }

    /// Bin size in bp.
    pub(crate) fn resolution(&self) -> u64 {
        self.resolution
    }

    /// The genome's length in bp (the sum of the chromosome lengths).
    pub(crate) fn total(&self) -> u64 {
        self.spans.last().map_or(0, |s| s.end)
    }

    /// The first bin whose genome-wide start is at or after `pos` (the number of bins when
    /// none is).
    fn first_bin_from(&self, pos: u64) -> u64 {
        let index = self.spans.partition_point(|s| s.end <= pos);
        let Some(span) = self.spans.get(index) else {
            return self.spans.last().map_or(0, |s| s.bins.end);
        };
        // `span.offset <= pos < span.end`; past the start of its last bin this is its end,
        // the next chromosome's first bin.
        let local = (pos - span.offset).div_ceil(self.resolution);
        span.bins.start.saturating_add(local).min(span.bins.end)
    }

    /// The bins whose genome-wide start lies in `start..end` (consecutive: starts increase
    /// with the bin id).
    pub(crate) fn bins_starting_in(&self, start: u64, end: u64) -> Range<u64> {
        self.first_bin_from(start)..self.first_bin_from(end).max(self.first_bin_from(start))
    }

    /// For each bin of `bins`, its pixel in a tile starting at `tile_start` bp:
    /// `(genome-wide start − tile_start) / resolution`. Every bin must start at or after
    /// `tile_start` (as [`Axis::bins_starting_in`] gives them).
    pub(crate) fn pixels(&self, bins: Range<u64>, tile_start: u64) -> Vec<usize> {
        let mut out = Vec::with_capacity(usize::try_from(bins.end - bins.start).unwrap_or(0));
        let mut index = self.spans.partition_point(|s| s.bins.end <= bins.start);
        for bin in bins {
            while self.spans.get(index).is_some_and(|s| s.bins.end <= bin) {
                index += 1;
            }
            let Some(span) = self.spans.get(index) else { break };
            let start = span.offset.saturating_add((bin - span.bins.start).saturating_mul(self.resolution));
            out.push(
                usize::try_from(start.saturating_sub(tile_start) / self.resolution).unwrap_or(usize::MAX),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_placed_by_genome_wide_start() {
        // chr1: 25 bp → bins at 0, 10, 20; chr2: 10 bp at 25 → bin at 25; chr3: 30 bp at 35.
        let chroms = [("chr1".to_owned(), 25), ("chr2".to_owned(), 10), ("chr3".to_owned(), 30)];
        let axis = Axis::new(&Genome::fixed(&chroms, 10).unwrap()).unwrap();
        assert_eq!(axis.total(), 65);
        assert_eq!(axis.bins_starting_in(0, 30), 0..4);
        assert_eq!(axis.bins_starting_in(21, 26), 3..4);
        assert_eq!(axis.bins_starting_in(26, 35), 4..4);
        assert_eq!(axis.bins_starting_in(35, 1000), 4..7);
        assert_eq!(axis.bins_starting_in(1000, 2000), 7..7);
        // chr1's short last bin (20) and chr2's first (25) share pixel 2.
        assert_eq!(axis.pixels(0..7, 0), [0, 1, 2, 2, 3, 4, 5]);
        assert_eq!(axis.pixels(4..7, 30), [0, 1, 2]);
    }
}
