//! The pixel stream: chromosome pair after pair, block after block.

use std::fs::File;
use std::io::BufReader;

use gzcm_genome::Genome;

use super::block::{self, Record, Records};
use super::budget::InflateBudget;
use super::footer::MatrixEntry;
use super::input::Input;
use super::matrix::{self, BlockRef};
use crate::error::HicError;
use crate::source::Pixel;

/// One chromosome pair to read, with where its bins go in the matrix.
#[derive(Clone, Debug)]
pub(crate) struct PairPlan {
    /// Header indices of the pair's chromosomes (as the master index gives them).
    pub(crate) header: (usize, usize),
    /// File position of the pair's matrix record.
    pub(crate) position: i64,
    /// First matrix bin and number of bins of the first chromosome.
    pub(crate) first: (u64, u64),
    /// First matrix bin and number of bins of the second chromosome.
    pub(crate) second: (u64, u64),
}

/// The pairs of the master index whose chromosomes are both in `chroms` (header indices, in
/// matrix order), sorted by matrix position; a pair listed twice is read once.
pub(crate) fn plan(matrices: &[MatrixEntry], chroms: &[usize], genome: &Genome) -> Vec<PairPlan> {
    let place = |header_index: usize| {
        chroms.iter().position(|&c| c == header_index).map(|i| {
            let chrom = &genome.chroms()[i];
            (i, (chrom.bin_start, chrom.n_bins()))
        })
    };
    let mut pairs: Vec<((usize, usize), PairPlan)> = matrices
        .iter()
        .filter_map(|entry| {
            let (i, first) = place(entry.chrom1)?;
            let (j, second) = place(entry.chrom2)?;
            let plan =
                PairPlan { header: (entry.chrom1, entry.chrom2), position: entry.position, first, second };
            Some(((i.min(j), i.max(j)), plan))
        })
        .collect();
    pairs.sort_by_key(|(key, _)| *key);
    pairs.dedup_by_key(|(key, _)| *key);
    pairs.into_iter().map(|(_, plan)| plan).collect()
}

/// Streams the pixels of `pairs` at one resolution.
pub(crate) struct PixelStream<'a> {
    input: Input<BufReader<File>>,
    version: i32,
    resolution: u64,
    pairs: std::slice::Iter<'a, PairPlan>,
    pair: Option<&'a PairPlan>,
    blocks: std::vec::IntoIter<BlockRef>,
    /// The block being decoded, if any.
    records: Option<Records>,
    budget: InflateBudget,
    done: bool,
}

impl<'a> PixelStream<'a> {
    pub(crate) fn new(
        input: Input<BufReader<File>>,
        version: i32,
        resolution: u64,
        pairs: &'a [PairPlan],
    ) -> Self {
        Self {
            version,
            resolution,
            pairs: pairs.iter(),
            pair: None,
            blocks: Vec::new().into_iter(),
            records: None,
            budget: InflateBudget::for_file(input.len()),
            input,
            done: false,
        }
    }

    /// Inflates the block at `at` (within the pass's budget) and starts decoding it.
    fn open_block(&mut self, at: BlockRef) -> Result<Records, HicError> {
        self.input.set_region("block index");
        self.input.seek_to(i64::try_from(at.position).unwrap_or(i64::MAX), "block position")?;
        self.input.set_region(format!("block at byte {}", at.position));
        // Checked against the bytes left before allocating.
        let size = self.input.count(i64::try_from(at.size).unwrap_or(i64::MAX), 1, "block size")?;
        let mut compressed = vec![0u8; size];
        self.input.bytes(&mut compressed, "block bytes")?;
        let limit = self.budget.next_block_limit();
        let data = block::inflate(&compressed, limit, self.input.path(), at.position)?;
        self.budget.spend(data.len() as u64);
        Records::new(data, self.version, self.input.path(), at.position)
    }

    /// The record as a pixel of the matrix, or an error when it lies outside the pair's bins.
    fn place(&self, pair: &PairPlan, record: Record) -> Result<Pixel, HicError> {
        let (first_start, first_bins) = pair.first;
        let (second_start, second_bins) = pair.second;
        if record.x >= first_bins || record.y >= second_bins {
            return Err(self.input.error(format!(
                "cell ({}, {}) is outside the {first_bins}×{second_bins} bins of chromosomes {}_{}",
                record.x, record.y, pair.header.0, pair.header.1
            )));
        }
        let a = first_start + record.x;
        let b = second_start + record.y;
        Ok(Pixel { bin1: a.min(b), bin2: a.max(b), count: record.value })
    }

    fn advance(&mut self) -> Result<Option<Pixel>, HicError> {
        loop {
            if let (Some(pair), Some(records)) = (self.pair, self.records.as_mut()) {
                match records.next_record()? {
                    Some(record) => return self.place(pair, record).map(Some),
                    None => self.records = None,
                }
            }
            if let Some(at) = self.blocks.next() {
                self.records = Some(self.open_block(at)?);
                continue;
            }
            let Some(pair) = self.pairs.next() else { return Ok(None) };
            self.pair = Some(pair);
            let intra_bins = (pair.header.0 == pair.header.1).then_some(pair.first.1);
            let blocks = matrix::read_blocks(
                &mut self.input,
                pair.position,
                pair.header,
                self.resolution,
                intra_bins,
            )?;
            self.blocks = blocks.into_iter();
        }
    }
}

impl Iterator for PixelStream<'_> {
    type Item = Result<Pixel, HicError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.advance() {
            Ok(Some(pixel)) => Some(Ok(pixel)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
