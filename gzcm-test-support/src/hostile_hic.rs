//! Hostile `.hic` files (issue 22), made by editing a valid version 9 file (the shared,
//! hictk-written `yeast_10kb.hic`) in memory: the fixtures of `gzcm-hic`'s hostile tests and of
//! the `hostile_hic` example, which writes them out for measuring `gzcm convert` on them.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

/// Byte 8 of a `.hic` file: the footer position.
pub const FOOTER_POSITION_AT: usize = 8;

/// Little-endian reads of the version 9 layout, at byte offsets into the file.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let out = self.bytes[self.pos..self.pos + N].try_into().expect("in the file");
        self.pos += N;
        out
    }
    fn i32(&mut self) -> i32 {
        i32::from_le_bytes(self.take())
    }
    fn i64(&mut self) -> i64 {
        i64::from_le_bytes(self.take())
    }
    fn string(&mut self) -> String {
        let end = self.pos + self.bytes[self.pos..].iter().position(|&b| b == 0).expect("NUL");
        let text = String::from_utf8(self.bytes[self.pos..end].to_vec()).expect("text");
        self.pos = end + 1;
        text
    }
}

/// The master index of a version 9 file: each key (`"1_1"`, …) and its matrix record's position.
///
/// # Panics
/// If `bytes` is not a well-formed version 9 file.
#[must_use]
pub fn master_index(bytes: &[u8]) -> Vec<(String, usize)> {
    let footer = i64::from_le_bytes(bytes[FOOTER_POSITION_AT..16].try_into().expect("8 bytes"));
    let mut r = Reader { bytes, pos: usize::try_from(footer).expect("position") + 8 };
    let n = r.i32();
    (0..n)
        .map(|_| {
            let key = r.string();
            let position = usize::try_from(r.i64()).expect("position");
            r.i32();
            (key, position)
        })
        .collect()
}

/// One zoom level of a matrix record.
#[derive(Clone, Debug)]
pub struct Level {
    /// `BP` or `FRAG`.
    pub unit: String,
    /// Where the level's bin size is in the file.
    pub bin_size_at: usize,
    /// The level's bin size.
    pub bin_size: i32,
    /// Each block entry: where the entry is, the block's position and its size.
    pub blocks: Vec<(usize, i64, i32)>,
}

/// The zoom levels of the matrix record at `record`.
///
/// # Panics
/// If `bytes` is not a well-formed version 9 file.
#[must_use]
pub fn levels(bytes: &[u8], record: usize) -> Vec<Level> {
    let mut r = Reader { bytes, pos: record + 8 };
    let n = r.i32();
    (0..n)
        .map(|_| {
            let unit = r.string();
            r.pos += 5 * 4;
            let bin_size_at = r.pos;
            let bin_size = r.i32();
            r.pos += 2 * 4;
            let n_blocks = r.i32();
            let blocks = (0..n_blocks)
                .map(|_| {
                    let at = r.pos;
                    r.i32();
                    (at, r.i64(), r.i32())
                })
                .collect();
            Level { unit, bin_size_at, bin_size, blocks }
        })
        .collect()
}

/// The `bin_size` bp level of the pair `key`.
///
/// # Panics
/// If the file does not list the pair at that bin size.
#[must_use]
pub fn bp_level(bytes: &[u8], key: &str, bin_size: i32) -> Level {
    let &(_, record) = master_index(bytes).iter().find(|(k, _)| k == key).expect("the pair is listed");
    levels(bytes, record).into_iter().find(|l| l.unit == "BP" && l.bin_size == bin_size).expect("the level")
}

/// `bytes` with chromosome `name`'s header length set to `length` bp.
///
/// # Panics
/// If the header does not name the chromosome.
#[must_use]
pub fn with_chromosome_length(mut bytes: Vec<u8>, name: &str, length: i64) -> Vec<u8> {
    let needle = [name.as_bytes(), b"\0"].concat();
    let name_at =
        bytes.windows(needle.len()).position(|w| w == needle).expect("the chromosome in the header");
    let length_at = name_at + needle.len();
    bytes[length_at..length_at + 8].copy_from_slice(&length.to_le_bytes());
    bytes
}

/// `bytes` with the first block of the pair `key` at `bin_size` replaced by `compressed` (a
/// zlib stream), appended to the file.
///
/// # Panics
/// If the file does not list the pair at that bin size.
#[must_use]
pub fn with_first_block(mut bytes: Vec<u8>, key: &str, bin_size: i32, compressed: &[u8]) -> Vec<u8> {
    let level = bp_level(&bytes, key, bin_size);
    let (entry, _, _) = level.blocks[0];
    let position = bytes.len() as i64;
    let size = i32::try_from(compressed.len()).expect("a block under 2 GiB");
    bytes[entry + 4..entry + 12].copy_from_slice(&position.to_le_bytes());
    bytes[entry + 12..entry + 16].copy_from_slice(&size.to_le_bytes());
    bytes.extend(compressed);
    bytes
}

/// A version 9 block header: record count, column and row offsets 0, short values and positions.
fn block_header(records: i32, representation: u8) -> Vec<u8> {
    let mut header = Vec::new();
    header.extend(records.to_le_bytes());
    header.extend(0i32.to_le_bytes()); // column offset
    header.extend(0i32.to_le_bytes()); // row offset
    header.extend([0, 0, 0, representation]); // short values, short positions, representation
    header
}

/// Compresses `head`, then `body(encoder)`'s writes, as one zlib stream: bombs are written
/// through the encoder in pieces, never held whole.
fn zlib(head: &[u8], body: impl FnOnce(&mut ZlibEncoder<Vec<u8>>)) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(head).expect("compress");
    body(&mut encoder);
    encoder.finish().expect("compress")
}

/// A dense block of `n_values` short cells (each 1) in rows of `width`: it inflates to about
/// `2 · n_values` bytes from a few hundred kB.
#[must_use]
pub fn dense_block(n_values: i32, width: i16) -> Vec<u8> {
    let mut head = block_header(0, 2);
    head.extend(n_values.to_le_bytes());
    head.extend(width.to_le_bytes());
    zlib(&head, |encoder| {
        let row = 1i16.to_le_bytes().repeat(1 << 19);
        let mut left = usize::try_from(n_values).expect("a count");
        while left > 0 {
            let n = left.min(1 << 19);
            encoder.write_all(&row[..2 * n]).expect("compress");
            left -= n;
        }
    })
}

/// A sparse-rows block of `rows` rows, each listing `cells` short cells (columns `0..cells`
/// modulo `bins`, value 1) in a chromosome of `bins` bins: `4 · rows · cells` bytes of records
/// that all fall inside the chromosome, the same few cells again and again.
#[must_use]
pub fn sparse_rows_block(rows: i16, cells: i16, bins: i16) -> Vec<u8> {
    let mut head = block_header(i32::from(rows) * i32::from(cells), 1);
    head.extend(rows.to_le_bytes());
    zlib(&head, |encoder| {
        let mut row = Vec::with_capacity(4 * cells as usize);
        for column in 0..cells {
            row.extend((column % bins).to_le_bytes());
            row.extend(1i16.to_le_bytes());
        }
        for r in 0..rows {
            encoder.write_all(&(r % bins).to_le_bytes()).expect("compress");
            encoder.write_all(&cells.to_le_bytes()).expect("compress");
            encoder.write_all(&row).expect("compress");
        }
    })
}
