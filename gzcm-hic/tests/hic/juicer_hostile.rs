//! Hostile `.hic` files (issue 22), made by editing the shared (hictk-written, version 9)
//! `yeast_10kb.hic` in memory: a block that inflates to the cap, a damaged footer position, a
//! damaged zoom level. Each must be a typed error, within bounded memory, never a silent empty
//! or partial matrix.

use std::path::Path;

use gzcm_hic::{HicError, OpenOptions, open};
use gzcm_test_support::hostile_hic::{
    FOOTER_POSITION_AT, bp_level, dense_block, sparse_rows_block, with_chromosome_length, with_first_block,
};

const YEAST: &str = "yeast_10kb.hic";

fn yeast() -> Option<Vec<u8>> {
    let path = gzcm_test_support::data_path(YEAST)?;
    Some(std::fs::read(path).expect("reads the shared file"))
}

fn at(resolution: u64) -> OpenOptions {
    OpenOptions { resolution: Some(resolution), ..OpenOptions::default() }
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
        let Some(bytes) = yeast() else { return };
        // chrI (pair 2_2): its 24 bins a row.
        let bytes = with_first_block(bytes, "2_2", 10_000, &dense_block((64 << 20) / 2, 24));
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
    let level = bp_level(&original, "3_3", 10_000);
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
    let Some(bytes) = yeast() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("long-chriv.hic");
    let bytes = with_chromosome_length(bytes, "chrIV", 10_000 * 250_000_000);
    std::fs::write(&path, &bytes).expect("writes");
    let err = summary(&path, 10_000).expect_err("the length is refused");
    assert!(matches!(&err, HicError::Juicer { detail, .. } if detail.contains("block grid")), "{err}");
}

/// Item 1: chrI's 10 kb block replaced by sparse rows that inflate to about 24 MiB (just under
/// this file's per-block cap) of records that all fall in its 24 bins, 6.3 million of them.
/// They stream one at a time inside a 384 MiB address space, each exactly once: the file reads
/// as the same file with an empty block plus 192 · 32,767 pixels of count 1.
#[test]
fn a_sparse_rows_flood_streams_each_record_once_in_bounded_memory() {
    const ROWS: i16 = 192;
    const CELLS: i16 = 32_767;
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixture = tmp.path().join("sparse-rows.hic");
    let empty = tmp.path().join("empty-block.hic");
    if std::env::var_os("GZCM_MEMORY_LIMITED_FIXTURE").is_none() {
        let Some(bytes) = yeast() else { return };
        let flood = with_first_block(bytes.clone(), "2_2", 10_000, &sparse_rows_block(ROWS, CELLS, 24));
        std::fs::write(&fixture, &flood).expect("writes");
        std::fs::write(&empty, with_first_block(bytes, "2_2", 10_000, &sparse_rows_block(0, 0, 24)))
            .expect("writes");
    }
    let test = "juicer_hostile::a_sparse_rows_flood_streams_each_record_once_in_bounded_memory";
    let Some(fixture) = gzcm_test_support::memory_limited(test, 384, &fixture) else { return };
    let (n, sum) = summary(&fixture, 10_000).expect("the flood reads");
    let (n_empty, sum_empty) = summary(&fixture.with_file_name("empty-block.hic"), 10_000).expect("reads");
    let records = u64::from(ROWS.unsigned_abs()) * u64::from(CELLS.unsigned_abs());
    assert_eq!((n - n_empty, sum - sum_empty), (records, records as f64));
}
