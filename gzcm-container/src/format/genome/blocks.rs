//! Genome blocks on disk: encoding them for the writer, and loading them back with every
//! reference validated (bounds, crc32c, decompressed length) before any value is used. The
//! bytes come in as a [`PayloadArea`]: what the reader holds of the file's payload area.

use std::io::Read;

use gzcm_genome::{Bins, Genome, GenomeError, WeightVector};

use crate::format::genome::error::GenomeBlockError;
use crate::format::genome::expected::{EXPECTED_ROW_BYTES, ExpectedTableError, StoredExpected};
use crate::format::genome::record::{
    BLOCK_CODEC, BinsRecord, BlockRef, ExpectedRecord, GenomeRecord, WeightRecord,
};
use crate::format::header::Header;

/// zstd level of genome blocks: they are small next to the tiles.
const BLOCK_LEVEL: i32 = 9;

/// A genome's blocks, compressed, waiting for their place after the tile payloads.
#[derive(Debug)]
pub(crate) struct EncodedGenome {
    n_bins: u64,
    assembly: Option<String>,
    bin_size: Option<u64>,
    /// Every block's stored bytes back to back: the variable bins first (if any), then each
    /// weight vector in order.
    bytes: Vec<u8>,
    /// `(length, crc32c)` of each block, in the same order.
    blocks: Vec<(u64, u32)>,
    names: Vec<String>,
}

impl EncodedGenome {
    /// Compresses the bins (variable) and weight vectors.
    pub(crate) fn new(genome: &Genome) -> std::io::Result<Self> {
        let mut encoded = EncodedGenome {
            n_bins: genome.n_bins(),
            assembly: genome.assembly().map(str::to_owned),
            bin_size: genome.resolution(),
            bytes: Vec::new(),
            blocks: Vec::new(),
            names: Vec::new(),
        };
        if let Bins::Variable { starts, ends } = genome.bins() {
            let raw: Vec<u8> = starts.iter().chain(ends).flat_map(|v| v.to_le_bytes()).collect();
            encoded.push(&raw)?;
        }
        for weights in genome.weights() {
            let raw: Vec<u8> = weights.values.iter().flat_map(|v| v.to_le_bytes()).collect();
            encoded.push(&raw)?;
            encoded.names.push(weights.name.clone());
        }
        Ok(encoded)
    }

    fn push(&mut self, raw: &[u8]) -> std::io::Result<()> {
        let stored = compress_block(raw)?;
        self.blocks.push((stored.len() as u64, crc32c::crc32c(&stored)));
        self.bytes.extend_from_slice(&stored);
        Ok(())
    }

    /// The stored bytes of every block, back to back.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The header record when the blocks start at absolute offset `at`.
    pub(crate) fn record_at(&self, at: u64) -> GenomeRecord {
        let mut offset = at;
        let mut refs = self.blocks.iter().map(|&(length, crc32c)| {
            let block = BlockRef { offset, length, crc32c, codec: BLOCK_CODEC.to_owned() };
            offset += length;
            block
        });
        let bins = match self.bin_size {
            Some(bin_size) => BinsRecord::Fixed { bin_size },
            // A variable genome pushed its bins block first.
            None => BinsRecord::Variable { block: refs.next().unwrap_or_else(empty_block) },
        };
        let weights = self
            .names
            .iter()
            .zip(refs)
            .map(|(name, block)| WeightRecord::new(name.clone(), block, None))
            .collect();
        GenomeRecord {
            n_bins: self.n_bins,
            assembly: self.assembly.clone(),
            bins,
            weights,
            expected: Vec::new(),
        }
    }
}

/// A block's stored bytes: `raw` compressed as every genome block is.
fn compress_block(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    zstd::bulk::compress(raw, BLOCK_LEVEL)
}

/// The stored bytes of a weight vector's block and its reference when placed at `offset`.
pub(crate) fn weight_block(values: &[f64], offset: u64) -> std::io::Result<(Vec<u8>, BlockRef)> {
    let raw: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    raw_block(&raw, offset)
}

/// The stored bytes of an expected table's block and its record (block placed at 0; the
/// re-lay places it).
pub(crate) fn expected_block(table: &StoredExpected) -> std::io::Result<(Vec<u8>, ExpectedRecord)> {
    let (stored, block) = raw_block(&table.raw(), 0)?;
    let record = ExpectedRecord {
        balance: table.balance.clone(),
        ignore_diags: table.ignore_diags,
        weights_crc32c: table.weights_crc32c,
        block,
        writer: table.writer.clone(),
    };
    Ok((stored, record))
}

fn raw_block(raw: &[u8], offset: u64) -> std::io::Result<(Vec<u8>, BlockRef)> {
    let stored = compress_block(raw)?;
    let block = BlockRef {
        offset,
        length: stored.len() as u64,
        crc32c: crc32c::crc32c(&stored),
        codec: BLOCK_CODEC.to_owned(),
    };
    Ok((stored, block))
}

fn empty_block() -> BlockRef {
    BlockRef { offset: 0, length: 0, crc32c: 0, codec: BLOCK_CODEC.to_owned() }
}

/// What a reader holds of a file's payload area (from `data_offset` to the integrity
/// trailer), where genome blocks live.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PayloadArea<'a> {
    /// Bytes of the file from absolute offset `base` on (the whole file, or the fetched part
    /// of it that holds the genome blocks).
    pub(crate) file: &'a [u8],
    pub(crate) base: u64,
    /// Where the payload area ends (before the integrity trailer).
    pub(crate) file_len: u64,
    pub(crate) data_offset: u64,
}

/// The genome a header describes and its stored expected tables, with every block checked;
/// `None` when it has none.
pub(crate) fn load(
    header: &Header,
    area: PayloadArea<'_>,
) -> Result<Option<(Genome, Vec<StoredExpected>)>, GenomeBlockError> {
    let Some(record) = &header.genome else {
        return Ok(None);
    };
    // Every block in bounds before any is read: the bytes held of the payload area span them
    // all, so one lying block would otherwise be reported as another's checksum.
    for entry in &record.expected {
        check_inside("expected table", &entry.block, area)?;
    }
    let chroms = header.metadata.chroms.clone().ok_or(GenomeBlockError::MissingChroms)?;
    let covered = chroms.last().map_or(0, |c| c.bin_end);
    if record.n_bins != covered {
        return Err(GenomeBlockError::BinTotal { recorded: record.n_bins, covered });
    }
    let [rows, cols] = header.arrays.matrix.shape;
    if rows != covered || cols != covered {
        return Err(GenomeError::MatrixShape { n_bins: covered, rows, cols }.into());
    }
    // Every block's size below derives from `n_bins`, now equal to the matrix edge.
    let bins = match &record.bins {
        BinsRecord::Fixed { bin_size } => {
            if let Some(resolution) = header.metadata.resolution.filter(|r| r != bin_size) {
                return Err(GenomeBlockError::Record {
                    key: "bins.bin_size",
                    reason: format!("{bin_size} contradicts metadata.resolution {resolution}"),
                });
            }
            Bins::Fixed { bin_size: *bin_size }
        }
        BinsRecord::Variable { block } => {
            let raw = read_block("bins", block, covered.saturating_mul(16), area)?;
            let values: Vec<u64> = raw.chunks_exact(8).map(|b| u64::from_le_bytes(word(b))).collect();
            let (starts, ends) = values.split_at(values.len() / 2);
            Bins::Variable { starts: starts.to_vec(), ends: ends.to_vec() }
        }
    };
    let weights = record
        .weights
        .iter()
        .map(|w| {
            let what = format!("weight vector `{}`", w.name);
            let raw = read_block(&what, &w.block, covered.saturating_mul(8), area)?;
            let values = raw.chunks_exact(8).map(|b| f64::from_le_bytes(word(b))).collect();
            Ok(WeightVector::new(w.name.clone(), values))
        })
        .collect::<Result<Vec<_>, GenomeBlockError>>()?;
    let genome = Genome::new(chroms, bins)?.with_assembly(record.assembly.clone()).with_weights(weights)?;
    let mut tables: Vec<StoredExpected> = Vec::with_capacity(record.expected.len());
    for entry in &record.expected {
        let table = load_expected(entry, &genome, covered, area)?;
        let invalid = |source| GenomeBlockError::Expected {
            balance: entry.balance.clone(),
            ignore_diags: entry.ignore_diags,
            source: Box::new(source),
        };
        if tables.iter().any(|t| t.balance == table.balance && t.ignore_diags == table.ignore_diags) {
            return Err(invalid(ExpectedTableError::Duplicate));
        }
        table.check(&genome).map_err(invalid)?;
        tables.push(table);
    }
    Ok(Some((genome, tables)))
}

/// One stored expected table: its block holds exactly `n_bins × 24` bytes (the columns).
fn load_expected(
    entry: &ExpectedRecord,
    genome: &Genome,
    n_bins: u64,
    area: PayloadArea<'_>,
) -> Result<StoredExpected, GenomeBlockError> {
    let what = format!("expected table (weights `{}`, ignore_diags {})", entry.balance, entry.ignore_diags);
    let raw = read_block(&what, &entry.block, n_bins.saturating_mul(EXPECTED_ROW_BYTES), area)?;
    // `n_bins` is the validated matrix edge, and the block decompressed to exactly 24 bytes
    // per bin.
    let rows = usize::try_from(genome.n_bins()).unwrap_or(usize::MAX);
    let (n_valid, count_sum, balanced_sum) = StoredExpected::columns(&raw, rows);
    Ok(StoredExpected {
        balance: entry.balance.clone(),
        ignore_diags: entry.ignore_diags,
        weights_crc32c: entry.weights_crc32c,
        n_valid,
        count_sum,
        balanced_sum,
        writer: entry.writer.clone(),
    })
}

fn word(bytes: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(bytes);
    out
}

/// Checks that `block` lies in the payload area.
fn check_inside(what: &str, block: &BlockRef, area: PayloadArea<'_>) -> Result<(), GenomeBlockError> {
    let file_len = area.file_len;
    let inside = block.offset >= area.data_offset
        && block.offset.checked_add(block.length).is_some_and(|end| end <= file_len);
    if inside {
        return Ok(());
    }
    Err(GenomeBlockError::BlockOutOfFile {
        what: what.to_owned(),
        offset: block.offset,
        length: block.length,
        data_offset: area.data_offset,
        file_len,
    })
}

/// A block's decompressed bytes, which must be exactly `expected` long. Memory grows with the
/// bytes actually decompressed and stops one past `expected`: a lying block cannot make the
/// reader allocate more.
fn read_block(
    what: &str,
    block: &BlockRef,
    expected: u64,
    area: PayloadArea<'_>,
) -> Result<Vec<u8>, GenomeBlockError> {
    check_inside(what, block, area)?;
    if block.codec != BLOCK_CODEC {
        return Err(GenomeBlockError::BlockCodec { what: what.to_owned(), codec: block.codec.clone() });
    }
    // In bounds: checked against the file length above.
    let start = usize::try_from(block.offset.saturating_sub(area.base)).unwrap_or(usize::MAX);
    let end = usize::try_from((block.offset + block.length).saturating_sub(area.base)).unwrap_or(usize::MAX);
    let stored = area.file.get(start..end).unwrap_or_default();
    let computed = crc32c::crc32c(stored);
    if computed != block.crc32c {
        return Err(GenomeBlockError::BlockCrc { what: what.to_owned(), stored: block.crc32c, computed });
    }
    let decompress = |source| GenomeBlockError::BlockDecompress { what: what.to_owned(), source };
    let mut raw = Vec::new();
    zstd::stream::read::Decoder::new(stored)
        .map_err(decompress)?
        .take(expected.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(decompress)?;
    if raw.len() as u64 != expected {
        return Err(GenomeBlockError::BlockLength {
            what: what.to_owned(),
            expected,
            found: raw.len() as u64,
        });
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area_with(block: &[u8]) -> (Vec<u8>, BlockRef) {
        let mut file = vec![b' '; 4096];
        file.extend_from_slice(block);
        let block = BlockRef {
            offset: 4096,
            length: block.len() as u64,
            crc32c: crc32c::crc32c(block),
            codec: BLOCK_CODEC.to_owned(),
        };
        (file, block)
    }

    #[test]
    fn blocks_are_checked_before_their_values_are_used() {
        let raw: Vec<u8> = (0..80u8).collect();
        let (file, block) = area_with(&zstd::bulk::compress(&raw, 3).unwrap());
        let area = PayloadArea { file: &file, base: 0, file_len: file.len() as u64, data_offset: 4096 };
        assert_eq!(read_block("w", &block, 80, area).unwrap(), raw);
        // Longer than expected: decompression stops one byte past it.
        assert!(matches!(
            read_block("w", &block, 64, area),
            Err(GenomeBlockError::BlockLength { expected: 64, found: 65, .. })
        ));
        assert!(matches!(
            read_block("w", &block, 88, area),
            Err(GenomeBlockError::BlockLength { found: 80, .. })
        ));
        // Bytes that are not zstd, with a matching crc.
        let (file, block) = area_with(b"not a zstd frame at all");
        let area = PayloadArea { file: &file, base: 0, file_len: file.len() as u64, data_offset: 4096 };
        assert!(matches!(read_block("w", &block, 8, area), Err(GenomeBlockError::BlockDecompress { .. })));
        // A length that overflows the offset.
        let lying = BlockRef { length: u64::MAX, ..block };
        assert!(matches!(read_block("w", &lying, 8, area), Err(GenomeBlockError::BlockOutOfFile { .. })));
    }
}
