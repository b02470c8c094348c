//! Hostile `.hic` files (issue 22), made by editing the shared (hictk-written, version 9)
//! `yeast_10kb.hic` in memory: a block that inflates to the cap, a damaged footer position, a
//! damaged zoom level. Each must be a typed error, within bounded memory, never a silent empty
//! or partial matrix.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use gzcm_hic::{HicError, OpenOptions, open};

const YEAST: &str = "yeast_10kb.hic";

fn yeast() -> Option<Vec<u8>> {
    let path = gzcm_test_support::data_path(YEAST)?;
    Some(std::fs::read(path).expect("reads the shared file"))
}

fn at(resolution: u64) -> OpenOptions {
    OpenOptions { resolution: Some(resolution), ..OpenOptions::default() }
}

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

/// Byte 8 of a `.hic` file: the footer position.
const FOOTER_POSITION_AT: usize = 8;

/// The master index of a version 9 file: each key and its matrix record's position.
fn master_index(bytes: &[u8]) -> Vec<(String, usize)> {
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

/// One zoom level of a matrix record: its unit, where its bin size is, and its block entries
/// (where each entry is, the block's position and size).
struct Level {
    unit: String,
    bin_size_at: usize,
    bin_size: i32,
    blocks: Vec<(usize, i64, i32)>,
}

fn levels(bytes: &[u8], record: usize) -> Vec<Level> {
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

/// The 10 kb level of the pair `key`.
fn level_10kb(bytes: &[u8], key: &str) -> Level {
    let &(_, record) = master_index(bytes).iter().find(|(k, _)| k == key).expect("the pair is listed");
    levels(bytes, record).into_iter().find(|l| l.unit == "BP" && l.bin_size == 10_000).expect("10 kb")
}

/// Pixel count and total of the whole matrix, or the first error.
fn summary(path: &Path, resolution: u64) -> Result<(u64, f64), HicError> {
    let mut source = open(path.to_str().expect("utf-8"), &at(resolution))?;
    let mut n = 0;
    let mut sum = 0.0;
    for pixel in source.pixels()? {
        n += 1;
        sum += pixel?.count;
    }
    Ok((n, sum))
}

/// Item 1: a 2 MB file whose one block inflates to 64 MiB (under the 256 MiB cap for any one
/// block), as 32 Mi dense short cells: about 800 MB of pixels if built at once. Opening must
/// fail on the file's inflation budget, inside a 384 MiB address space.
#[test]
fn a_block_bomb_is_refused_in_bounded_memory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixture = tmp.path().join("bomb.hic");
    if std::env::var_os("GZCM_MEMORY_LIMITED_FIXTURE").is_none() {
        let Some(mut bytes) = yeast() else { return };
        let level = level_10kb(&bytes, "1_1");
        let n_values: i32 = (64 << 20) / 2;
        let mut block = Vec::new();
        block.extend(0i32.to_le_bytes()); // record count (unused by dense blocks)
        block.extend(0i32.to_le_bytes()); // column offset
        block.extend(0i32.to_le_bytes()); // row offset
        block.extend([0, 0, 0, 2]); // short values, short positions, dense
        block.extend(n_values.to_le_bytes());
        block.extend(24i16.to_le_bytes()); // chrI's 24 bins
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(&block).expect("compress");
        let row = 1i16.to_le_bytes().repeat(1 << 19);
        let mut left = n_values as usize;
        while left > 0 {
            let n = left.min(1 << 19);
            encoder.write_all(&row[..2 * n]).expect("compress");
            left -= n;
        }
        let compressed = encoder.finish().expect("compress");
        let (entry, _, _) = level.blocks[0];
        let position = bytes.len() as i64;
        bytes[entry + 4..entry + 12].copy_from_slice(&position.to_le_bytes());
        bytes[entry + 12..entry + 16].copy_from_slice(&(compressed.len() as i32).to_le_bytes());
        bytes.extend(&compressed);
        assert!(bytes.len() < 4 << 20, "the bomb stays small: {} bytes", bytes.len());
        std::fs::write(&fixture, &bytes).expect("writes");
    }
    let test = "juicer_hostile::a_block_bomb_is_refused_in_bounded_memory";
    let Some(fixture) = gzcm_test_support::memory_limited(test, 384, &fixture) else { return };
    let err = summary(&fixture, 10_000).expect_err("the bomb is refused");
    assert!(
        matches!(&err, HicError::Juicer { detail, .. } if detail.contains("decompresses to more than")),
        "{err}"
    );
}

/// Item 4: every value of the footer position's low byte, and a spread of its second byte,
/// either reads the original matrix or fails; none reads an empty or partial one.
#[test]
fn a_damaged_footer_position_is_an_error_not_a_partial_matrix() {
    let Some(original) = yeast() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("footer.hic");
    std::fs::write(&path, &original).expect("writes");
    let expected = summary(&path, 40_000).expect("the original reads");
    let mut bytes = original.clone();
    let edits = (0..=255u8).map(|v| (FOOTER_POSITION_AT, v)).chain((0..=255u8).step_by(17).map(|v| (9, v)));
    let mut refused = 0;
    for (at, value) in edits {
        if original[at] == value {
            continue;
        }
        bytes[at] = value;
        std::fs::write(&path, &bytes).expect("writes");
        match summary(&path, 40_000) {
            Ok(got) => assert_eq!(got, expected, "footer byte {at} = {value} reads another matrix"),
            Err(_) => refused += 1,
        }
        bytes[at] = original[at];
    }
    assert!(refused > 0);
}

/// Item 5: chrIII's 10 kb level with a damaged bin size (or unit) is an error at 10 kb, not a
/// chrIII without contacts.
#[test]
fn a_damaged_zoom_level_is_an_error_not_a_missing_pair() {
    let Some(original) = yeast() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("level.hic");
    let level = level_10kb(&original, "3_3");
    let mut bytes = original.clone();
    bytes[level.bin_size_at..level.bin_size_at + 4].copy_from_slice(&10_001i32.to_le_bytes());
    std::fs::write(&path, &bytes).expect("writes");
    let err = summary(&path, 10_000).expect_err("the damaged level is refused");
    assert!(
        matches!(&err, HicError::Juicer { detail, .. } if detail.contains("no zoom level of 10000 bp")),
        "{err}"
    );

    // The unit string ("BP\0") sits just before the level's nine int fields.
    let unit_at = level.bin_size_at - 5 * 4 - 3;
    let mut bytes = original;
    assert_eq!(&bytes[unit_at..unit_at + 3], b"BP\0");
    bytes[unit_at] = b'X';
    std::fs::write(&path, &bytes).expect("writes");
    let err = summary(&path, 10_000).expect_err("the damaged unit is refused");
    assert!(matches!(&err, HicError::Juicer { .. }), "{err}");
}

/// Item 1: chrIV's header length edited to 250 million bins at 10 kb is checked against its
/// block grid (which covers every bin in Juicer's layout) before anything is sized by it.
#[test]
fn a_chromosome_length_beyond_its_block_grid_is_refused() {
    let Some(mut bytes) = yeast() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("long-chriv.hic");
    let name_at = bytes.windows(6).position(|w| w == b"chrIV\0").expect("chrIV in the header");
    let length_at = name_at + 6;
    bytes[length_at..length_at + 8].copy_from_slice(&(10_000i64 * 250_000_000).to_le_bytes());
    std::fs::write(&path, &bytes).expect("writes");
    let err = summary(&path, 10_000).expect_err("the length is refused");
    assert!(matches!(&err, HicError::Juicer { detail, .. } if detail.contains("block grid")), "{err}");
}
