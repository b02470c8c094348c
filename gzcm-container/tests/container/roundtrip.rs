//! Round trips against the dense ground truth for every version, dtype, codec, tile size and
//! shapes that are not multiples of the tile size.

use gzcm_core::{Dtype, TileData};

use crate::support::{builder, matrix, open, scratch, write_coo};

/// Every built-in codec; the integer-only ones (`cmc`, `cmc_zstd`, `bsc_cmc`, `rans`) skip the float
/// ground truth, whose values are fractional (their refusal is tested in the facade's suite).
const CODECS: [&str; 8] = gzcm_codecs::BUILTIN_NAMES;

fn stores(codec: &str, dtype: Dtype) -> bool {
    dtype == Dtype::U32 || !(codec.contains("cmc") || codec == "rans")
}

/// `(tile size, square edge, rectangle rows, rectangle cols)`.
const SHAPES: [(u32, usize, usize, usize); 3] =
    [(16, 37, 37, 50), (100, 237, 237, 150), (256, 300, 270, 300)];

fn check(version: u32, dtype: Dtype, codec: &str, tile: u32, rows: usize, cols: usize, symmetric: bool) {
    let truth = matrix(dtype, rows, cols, symmetric, u64::from(tile) + rows as u64);
    let (_dir, path) = scratch("m.gzcm");
    let options = builder(&path, &truth, symmetric).version(version).tile_size(tile);
    // Versions 1 and 2 store tiles uncompressed and refuse a codec.
    let options = if version >= 3 { options.codec(codec) } else { options };
    let summary = write_coo(options, &truth, symmetric);
    let reader = open(&path, 1 << 20);
    let label = format!("v{version} {dtype} {codec} T={tile} {rows}×{cols} sym={symmetric}");
    assert_eq!(reader.window(0..rows as u64, 0..cols as u64).unwrap(), truth, "{label}");
    assert!(reader.verify().is_ok(), "{label}: {:?}", reader.verify());
    assert_eq!(reader.info().file_bytes, summary.file_bytes, "{label}");
    if version >= 3 {
        assert_eq!(summary.codec_counts.get(codec).copied(), Some(summary.tiles_stored), "{label}");
    }
    // Every tile, one by one, through `tile` (mirrors and zeros included).
    let (tr, tc) = reader.tile_grid();
    for i in 0..tr {
        for j in 0..tc {
            let t = u64::from(tile);
            let r = (u64::from(i) * t) as usize..((u64::from(i) + 1) * t).min(rows as u64) as usize;
            let c = (u64::from(j) * t) as usize..((u64::from(j) + 1) * t).min(cols as u64) as usize;
            assert_eq!(
                reader.tile(i, j).unwrap(),
                crate::support::window(&truth, r, c),
                "{label} tile ({i}, {j})"
            );
        }
    }
}

fn all_shapes(version: u32, dtype: Dtype, codec: &str) {
    for (tile, edge, rows, cols) in SHAPES {
        check(version, dtype, codec, tile, edge, edge, true);
        check(version, dtype, codec, tile, rows, cols, false);
    }
}

#[test]
fn v1_round_trips() {
    for dtype in Dtype::ALL {
        all_shapes(1, dtype, "uncompressed");
    }
}

#[test]
fn v2_round_trips() {
    for dtype in Dtype::ALL {
        all_shapes(2, dtype, "uncompressed");
    }
}

#[test]
fn v3_round_trips() {
    for dtype in Dtype::ALL {
        for codec in CODECS.into_iter().filter(|c| stores(c, dtype)) {
            all_shapes(3, dtype, codec);
        }
    }
}

#[test]
fn v4_round_trips() {
    for dtype in Dtype::ALL {
        for codec in CODECS.into_iter().filter(|c| stores(c, dtype)) {
            all_shapes(4, dtype, codec);
        }
    }
}

#[test]
fn v3_and_v4_read_back_identically() {
    for symmetric in [true, false] {
        let truth = matrix(Dtype::U32, 130, 130, symmetric, 7);
        let (_dir3, p3) = scratch("v3.gzcm");
        let (_dir4, p4) = scratch("v4.gzcm");
        write_coo(builder(&p3, &truth, symmetric).version(3).tile_size(16), &truth, symmetric);
        write_coo(builder(&p4, &truth, symmetric).version(4).tile_size(16), &truth, symmetric);
        let (r3, r4) = (open(&p3, 0), open(&p4, 0));
        assert!(r4.stored_tiles().count() > 0, "a v4 file must never read back empty");
        let t3: Vec<_> = r3.tiles().map(Result::unwrap).collect();
        let t4: Vec<_> = r4.tiles().map(Result::unwrap).collect();
        assert_eq!(t3.len(), t4.len());
        for ((e3, d3), (e4, d4)) in t3.iter().zip(&t4) {
            assert_eq!((e3.tile_row, e3.tile_col), (e4.tile_row, e4.tile_col));
            assert_eq!(d3, d4);
        }
        assert_eq!(r3.window(0..130, 0..130).unwrap(), r4.window(0..130, 0..130).unwrap());
    }
}

#[test]
fn v4_index_is_in_anti_diagonal_order_on_disk() {
    let truth = matrix(Dtype::U32, 64, 64, true, 3);
    let (_dir, path) = scratch("v4.gzcm");
    write_coo(builder(&path, &truth, true).version(4).tile_size(16), &truth, true);
    let reader = open(&path, 0);
    let index = reader.header().arrays.tile_index.clone().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let start = index.offset as usize;
    let coords: Vec<(u32, u32)> = (0..index.shape[0] as usize)
        .map(|k| {
            let rec = &bytes[start + 32 * k..start + 32 * k + 8];
            (
                u32::from_le_bytes(rec[0..4].try_into().unwrap()),
                u32::from_le_bytes(rec[4..8].try_into().unwrap()),
            )
        })
        .collect();
    let mut sorted = coords.clone();
    sorted.sort_by_key(|&(i, j)| (j - i, i));
    assert_eq!(coords, sorted);
    assert_eq!(coords[0], (0, 0));
    // Payloads follow the same order: offsets ascend with the index.
    let offsets: Vec<u64> = (0..coords.len())
        .map(|k| u64::from_le_bytes(bytes[start + 32 * k + 8..start + 32 * k + 16].try_into().unwrap()))
        .collect();
    assert!(offsets.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn empty_matrix_writes_no_tiles_and_reads_zeros() {
    let truth = TileData::U32(ndarray::Array2::zeros((40, 33)));
    for version in 1..=4 {
        let (_dir, path) = scratch("empty.gzcm");
        let summary = write_coo(builder(&path, &truth, false).version(version).tile_size(16), &truth, false);
        assert_eq!(summary.tiles_stored, 0);
        let reader = open(&path, 0);
        assert_eq!(reader.window(0..40, 0..33).unwrap(), truth);
        assert!(reader.verify().is_ok());
    }
}

#[test]
fn metadata_round_trips() {
    let truth = matrix(Dtype::U32, 40, 40, true, 13);
    let (_dir, path) = scratch("meta.gzcm");
    let mut metadata = gzcm_container::Metadata::default();
    metadata.resolution = Some(10_000);
    metadata.region = Some("chr1".into());
    metadata.source_file = Some("in.cool".into());
    metadata.chroms = Some(vec![gzcm_container::Chrom::new("chr1", 400_000, 0, 40)]);
    write_coo(builder(&path, &truth, true).tile_size(16).metadata(metadata.clone()), &truth, true);
    let got = open(&path, 0).header().metadata.clone();
    assert_eq!(got.chroms, metadata.chroms);
    assert_eq!(
        (got.resolution, got.region.as_deref(), got.source_file.as_deref()),
        (Some(10_000), Some("chr1"), Some("in.cool"))
    );
    assert!(got.symmetric);
    assert!(got.writer.is_some_and(|w| w.starts_with("gzcm ")));
}

#[test]
fn typed_codec_frames_like_the_named_one() {
    let truth = matrix(Dtype::U32, 50, 50, true, 11);
    let (_d1, named) = scratch("named.gzcm");
    let (_d2, typed) = scratch("typed.gzcm");
    write_coo(builder(&named, &truth, true).tile_size(16).codec("lz4"), &truth, true);
    write_coo(builder(&typed, &truth, true).tile_size(16).typed_codec(gzcm_codecs::Lz4), &truth, true);
    assert_eq!(std::fs::read(&named).unwrap(), std::fs::read(&typed).unwrap());
    let (_d3, typed_zstd) = scratch("typed-zstd.gzcm");
    write_coo(
        builder(&typed_zstd, &truth, true).tile_size(16).typed_codec(gzcm_codecs::Zstd::new(3).unwrap()),
        &truth,
        true,
    );
    assert_eq!(open(&typed_zstd, 0).window(0..50, 0..50).unwrap(), truth);
}

#[test]
fn per_tile_picker_mixes_codecs_and_records_regions() {
    let truth = matrix(Dtype::U32, 80, 80, true, 5);
    let (_dir, path) = scratch("picked.gzcm");
    let regions = vec![
        serde_json::json!({"name": "diagonal", "codec": "lz4"}),
        serde_json::json!({"name": "far", "codec": "zstd"}),
    ];
    let record = serde_json::json!({"weights": [0.5, 0.3, 0.2]});
    let summary = write_coo(
        builder(&path, &truth, true)
            .version(4)
            .tile_size(16)
            .codec_picker(|stats| if stats.diagonal_distance() == 0 { "lz4".into() } else { "zstd".into() })
            .regions(regions.clone())
            .codec_picker_record(record.clone()),
        &truth,
        true,
    );
    assert_eq!(summary.codec_counts.get("lz4"), Some(&5));
    let reader = open(&path, 0);
    assert_eq!(reader.header().regions, regions);
    assert_eq!(reader.header().codec_picker, Some(record));
    let names: Vec<_> = reader.info().codecs.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, ["lz4", "zstd"]);
    assert_eq!(reader.window(0..80, 0..80).unwrap(), truth);
}
