//! The genome as balancing sees it: each bin's chromosome and each chromosome's bin span.

use std::ops::Range;

use gzcm_genome::Genome;

/// Each bin's chromosome index, and each chromosome's bins.
#[derive(Clone, Debug)]
pub(crate) struct BinLayout {
    /// Chromosome index of every bin.
    pub(crate) chrom: Vec<u32>,
    /// Bins of each chromosome, in order.
    pub(crate) spans: Vec<Range<usize>>,
}

impl BinLayout {
    pub(crate) fn new(genome: &Genome) -> BinLayout {
        let spans: Vec<Range<usize>> = genome
            .chroms()
            .iter()
            .map(|c| {
                usize::try_from(c.bin_start).unwrap_or(usize::MAX)
                    ..usize::try_from(c.bin_end).unwrap_or(usize::MAX)
            })
            .collect();
        let mut chrom = vec![0u32; spans.last().map_or(0, |s| s.end)];
        for (index, span) in spans.iter().enumerate() {
            let id = u32::try_from(index).unwrap_or(u32::MAX);
            chrom[span.clone()].iter_mut().for_each(|c| *c = id);
        }
        BinLayout { chrom, spans }
    }

    pub(crate) fn n_bins(&self) -> usize {
        self.chrom.len()
    }
}
