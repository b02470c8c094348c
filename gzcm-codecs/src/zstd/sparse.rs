//! zstd frames for mostly-zero tiles, written directly in time proportional to the non-zero
//! cells.
//!
//! A genome-wide map at a fine resolution is mostly tiles holding one or two contacts: at 1 kb,
//! 200k human read pairs touch 146k tiles. zstd's matchers scan all 256 KiB of such a tile
//! (at the default level 9, ~100 µs, four fifths of a whole `gzcm load`), to find what is
//! known before it starts: long runs of zero bytes and a few literal cells.
//!
//! The frame written here is an ordinary Zstandard frame (RFC 8878), made only of `RLE` blocks
//! (a zero byte repeated) and `Raw` blocks (the non-zero cells' bytes): any zstd decoder
//! decodes it, to the same bytes as the frame the library would have written. It is used only
//! for tiles of at most [`MAX_CELLS`] non-zero cells (and at most one in
//! [`MIN_CELLS_PER_NON_ZERO`]), where it is about as small as the library's frame (tens of bytes
//! a tile). It differs from the library's frame in bytes, never in what it decodes to.

/// Tiles with more non-zero cells than this go through the library's compressor. Measured on
/// 256² tiles of scattered small counts (python-zstandard, level 1 / level 9 / here): 1 cell
/// 31 / 30 / 32 bytes, 2 cells 44 / 43 / 43, 4 cells 53 / 54 / 65, 8 cells 72 / 77 / 109,
/// 16 cells 106 / 108 / 197; level 1 takes about 30 µs a tile, this a fraction of one.
const MAX_CELLS: usize = 8;
/// ... and so do tiles where more than one cell in this many is non-zero (small tiles, where
/// the library's frame of a few dense cells is smaller).
const MIN_CELLS_PER_NON_ZERO: usize = 64;

/// The most non-zero cells a tile of `shape` may have for its frame to be written here.
pub(crate) fn max_cells(shape: gzcm_core::TileShape) -> usize {
    let cells = shape.rows as usize * shape.cols as usize;
    MAX_CELLS.min(cells / MIN_CELLS_PER_NON_ZERO)
}

/// zstd's frame magic number (RFC 8878 §3.1.1).
const MAGIC: u32 = 0xFD2F_B528;
/// The largest block (RFC 8878 §3.1.1.2.3: `Block_Maximum_Size` is at most 128 KiB).
const MAX_BLOCK: usize = 128 * 1024;
/// Block types (RFC 8878 §3.1.1.2.2).
const RAW: u32 = 0;
const RLE: u32 = 1;
/// A zero run this short costs less inside a `Raw` block than as an `RLE` block (3-byte header
/// and 1 byte) followed by the next `Raw` block's 3-byte header.
const SHORT_GAP: usize = 7;

/// Appends one zstd frame of `len` bytes, all zero except for the 4-byte `cells` (byte offset
/// and bytes), which come in ascending offset order, none overlapping another or the end.
pub(crate) fn frame_of_cells(len: usize, cells: &[(usize, [u8; 4])], out: &mut Vec<u8>) {
    out.extend_from_slice(&MAGIC.to_le_bytes());
    // Frame header: Single_Segment (the window is the content size), the content size in 4
    // bytes (flag 2; a tile has at most 4096² cells, 64 MiB) or else 8 (flag 3), no checksum,
    // no dictionary.
    match u32::try_from(len) {
        Ok(len) => {
            out.push(0b1010_0000);
            out.extend_from_slice(&len.to_le_bytes());
        }
        Err(_) => {
            out.push(0b1110_0000);
            out.extend_from_slice(&(len as u64).to_le_bytes());
        }
    }

    let mut blocks = Blocks { out, pending: None };
    let mut at = 0usize;
    let mut index = 0usize;
    while index < cells.len() {
        // A stretch of cells whose gaps are short: one run of literal bytes.
        let start = cells[index].0;
        let mut end = start + 4;
        let mut last = index + 1;
        while last < cells.len() && cells[last].0 - end <= SHORT_GAP {
            end = cells[last].0 + 4;
            last += 1;
        }
        blocks.zeros(start - at);
        let mut literal = Vec::with_capacity(end - start);
        for &(offset, bytes) in &cells[index..last] {
            literal.resize(offset - start, 0);
            literal.extend_from_slice(&bytes);
        }
        blocks.raw(&literal);
        at = end;
        index = last;
    }
    blocks.zeros(len - at);
    blocks.finish();
}

/// Blocks on their way out: each is held back until the next arrives, so the last one can be
/// marked `Last_Block`.
struct Blocks<'a> {
    out: &'a mut Vec<u8>,
    pending: Option<Block>,
}

enum Block {
    Zeros(usize),
    Raw(Vec<u8>),
}

impl Blocks<'_> {
    fn zeros(&mut self, mut count: usize) {
        while count > 0 {
            let size = count.min(MAX_BLOCK);
            self.push(Block::Zeros(size));
            count -= size;
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(MAX_BLOCK) {
            self.push(Block::Raw(chunk.to_vec()));
        }
    }

    fn push(&mut self, block: Block) {
        if let Some(previous) = self.pending.replace(block) {
            write_block(self.out, &previous, false);
        }
    }

    fn finish(mut self) {
        // A frame needs at least one block: an empty content is one empty `Raw` block.
        let last = self.pending.take().unwrap_or(Block::Raw(Vec::new()));
        write_block(self.out, &last, true);
    }
}

fn write_block(out: &mut Vec<u8>, block: &Block, last: bool) {
    let (kind, size) = match block {
        Block::Zeros(count) => (RLE, *count),
        Block::Raw(bytes) => (RAW, bytes.len()),
    };
    // Sizes are at most MAX_BLOCK (2^17), within the header's 21 bits.
    let header = u32::from(last) | (kind << 1) | ((size as u32) << 3);
    out.extend_from_slice(&header.to_le_bytes()[..3]);
    match block {
        Block::Zeros(_) => out.push(0),
        Block::Raw(bytes) => out.extend_from_slice(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(len: usize, cells: &[(usize, [u8; 4])]) -> Vec<u8> {
        let mut bytes = vec![0u8; len];
        for &(offset, value) in cells {
            bytes[offset..offset + 4].copy_from_slice(&value);
        }
        bytes
    }

    fn round_trip(len: usize, cells: &[(usize, [u8; 4])]) -> usize {
        let mut frame = Vec::new();
        frame_of_cells(len, cells, &mut frame);
        let decoded = ::zstd::bulk::decompress(&frame, len).expect("a valid zstd frame");
        assert_eq!(decoded, dense(len, cells), "len {len}, cells {cells:?}");
        // The frame states its content size, as python-zstandard's one-shot decoder needs.
        assert_eq!(::zstd::zstd_safe::get_frame_content_size(&frame).ok(), Some(Some(len as u64)));
        frame.len()
    }

    #[test]
    fn the_frames_decode_to_the_tile_bytes() {
        let one = [1u8, 0, 0, 0];
        let big = [0xff_u8, 0xee, 0xdd, 0xcc];
        let len = 256 * 256 * 4;
        round_trip(len, &[]);
        round_trip(4, &[(0, one)]);
        round_trip(len, &[(0, one)]);
        round_trip(len, &[(len - 4, big)]);
        round_trip(len, &[(0, one), (4, big), (8, one), (len - 4, big)]);
        // Gaps on both sides of SHORT_GAP, and zero runs longer than a block.
        round_trip(
            4 * MAX_BLOCK,
            &[(100, one), (108, big), (120, one), (MAX_BLOCK + 4, big), (3 * MAX_BLOCK, one)],
        );
        // A single cell costs 9 bytes of frame header, 4 (zeros) + 7 (the cell) + 4 (zeros), and
        // 4 more for each further 128 KiB of zeros.
        assert_eq!(round_trip(len, &[(4 * 1000, one)]), 9 + 4 + 7 + 4 + 4);
    }

    #[test]
    fn literal_runs_longer_than_a_block_are_split() {
        let cells: Vec<(usize, [u8; 4])> = (0..MAX_BLOCK / 2).map(|i| (8 * i, [3, 0, 0, 1])).collect();
        round_trip(MAX_BLOCK * 4 + 64, &cells);
    }
}
