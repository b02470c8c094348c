//! Format revision groups-1 (docs/format.md, entries 52–56): sparse tiles of a row stored
//! together under one record read back exactly as the same tiles stored one by one — every
//! tile, every window, the listing of stored tiles with their non-zeros — in both versions and
//! both symmetries; every bit flip of a grouped file is caught; the collection writer copies
//! grouped members; the option is refused where groups cannot be written.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ndarray::Array2;

use gzcm_container::{
    ByteSource, CollectionWriter, ContainerError, GROUPED_INDEX_DTYPE, Genome, Reader, ReaderOptions, Writer,
    open_resolution,
};
use gzcm_core::{Dtype, TileData};

use crate::integrity::{Bench, missed_flips};
use crate::support::{Ranged, builder, open, registry, scratch, window, write_coo};

/// A map of a dense band near the diagonal and a few cells far from it (most tiles at 16² hold
/// one to three cells: sparse enough for groups), symmetric or not. Deterministic.
fn banded(n: usize, symmetric: bool, seed: u64) -> Array2<u32> {
    banded_with(n, n * 3, symmetric, seed)
}

/// [`banded`] with `far` random cells.
fn banded_with(n: usize, far: usize, symmetric: bool, seed: u64) -> Array2<u32> {
    let mut m = Array2::<u32>::zeros((n, n));
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    for i in 0..n {
        for j in i..n.min(i + 12) {
            m[[i, j]] = (next() % 9) as u32 + 1;
        }
    }
    for _ in 0..far {
        let (i, j) = (next() % n, next() % n);
        let (i, j) = if symmetric { (i.min(j), i.max(j)) } else { (i, j) };
        m[[i, j]] = if next() % 50 == 0 { u32::MAX } else { (next() % 4) as u32 + 1 };
    }
    if symmetric {
        for i in 0..n {
            for j in 0..i {
                m[[i, j]] = m[[j, i]];
            }
        }
    }
    m
}

/// Every stored tile with its non-zeros, and every tile's cells.
fn listing(reader: &Reader) -> (BTreeMap<(u32, u32), u32>, Vec<TileData>) {
    let listed = reader.stored_tiles().map(|e| ((e.tile_row, e.tile_col), e.nnz.unwrap())).collect();
    let (rows, cols) = reader.tile_grid();
    let tiles =
        (0..rows).flat_map(|i| (0..cols).map(move |j| (i, j))).map(|(i, j)| reader.tile(i, j).unwrap());
    (listed, tiles.collect())
}

#[test]
fn grouped_files_read_like_files_of_single_tiles_and_are_smaller() {
    let n = 203;
    for (version, symmetric) in [(3, true), (4, true), (3, false), (4, false)] {
        let truth = TileData::U32(banded(n, symmetric, 7 + u64::from(version)));
        let mut seen = Vec::new();
        for groups in [false, true] {
            let (_d, path) = scratch("g.gzcm");
            let options = builder(&path, &truth, symmetric).version(version).tile_size(16).codec("zstd");
            let summary = write_coo(options.packed_index(true).group_tiles(groups), &truth, symmetric);
            let reader = open(&path, 0);
            let label = format!("v{version} symmetric={symmetric} groups={groups}");
            assert_eq!(reader.window(0..n as u64, 0..n as u64).unwrap(), truth, "{label}");
            for (rows, cols) in [(17..99, 40..141), (150..203, 0..203), (5..6, 190..203)] {
                let expected = window(&truth, rows.clone(), cols.clone());
                let (rows, cols) = (rows.start as u64..rows.end as u64, cols.start as u64..cols.end as u64);
                assert_eq!(reader.window(rows, cols).unwrap(), expected, "{label}");
            }
            let report = reader.verify();
            assert!(report.is_ok(), "{label}: {report:?}");
            let info = reader.info();
            let index = reader.header().arrays.tile_index.clone().unwrap();
            assert_eq!(index.dtype == GROUPED_INDEX_DTYPE, groups, "{label}");
            assert_eq!(info.tile_groups > 0, groups, "{label}: {} groups", info.tile_groups);
            assert_eq!(summary.tile_groups, info.tile_groups, "{label}");
            // The summary counts every non-empty tile, grouped or not.
            let (listed, tiles) = listing(&reader);
            assert_eq!(summary.tiles_stored, listed.len() as u64, "{label}");
            assert_eq!(info.nnz, Some(listed.values().map(|&v| u64::from(v)).sum()), "{label}");
            seen.push((listed, tiles, std::fs::metadata(&path).unwrap().len()));
        }
        let (single, grouped) = (&seen[0], &seen[1]);
        assert_eq!(single.0, grouped.0, "v{version} symmetric={symmetric}: the listing");
        assert!(single.1 == grouped.1, "v{version} symmetric={symmetric}: the tiles");
        assert!(grouped.2 < single.2, "v{version}: grouped {} bytes, single {}", grouped.2, single.2);
    }
}

#[test]
fn a_window_reads_each_group_once_and_a_cached_reader_agrees() {
    let n = 400;
    let truth = TileData::U32(banded(n, true, 3));
    let (_d, path) = scratch("g.gzcm");
    let options =
        builder(&path, &truth, true).tile_size(16).codec("zstd").packed_index(true).group_tiles(true);
    write_coo(options, &truth, true);
    let reader = open(&path, 64 << 20);
    for _ in 0..2 {
        assert_eq!(reader.window(0..400, 0..400).unwrap(), truth);
        assert_eq!(reader.window(33..60, 300..390).unwrap(), window(&truth, 33..60, 300..390));
    }
}

#[test]
fn every_bit_flip_of_a_grouped_file_is_detected() {
    for (version, symmetric) in [(3, true), (4, false)] {
        let truth = TileData::U32(banded_with(64, 10, symmetric, 11));
        let (_d, path) = scratch("g.gzcm");
        let options = builder(&path, &truth, symmetric).version(version).tile_size(16).codec("zstd");
        write_coo(options.packed_index(true).group_tiles(true), &truth, symmetric);
        assert!(open(&path, 0).info().tile_groups > 0);
        let bytes = std::fs::read(&path).unwrap();
        let mut bench = Bench::new();
        assert!(!bench.detected(&bytes), "v{version}: the pristine file must pass");
        let missed = missed_flips(&bytes, 0..bytes.len(), |bad| bench.detected(bad));
        assert!(missed.is_empty(), "v{version}: {} flips undetected: {missed:?}", missed.len());
        for len in [bytes.len() / 2, bytes.len() - 21, bytes.len() - 1] {
            assert!(bench.detected(&bytes[..len]), "truncated to {len} bytes");
        }
    }
}

#[test]
fn a_collection_copies_grouped_members() {
    let (dir, path) = scratch("all.gzcm");
    let genome = |bin| Genome::fixed(&[("chrA".to_owned(), 2000), ("chrB".to_owned(), 1000)], bin).unwrap();
    let mut truths = Vec::new();
    let mut writer = CollectionWriter::create(&path, false).unwrap();
    for (bin, seed) in [(10u64, 1u64), (20, 2)] {
        let g = genome(bin);
        let n = usize::try_from(g.n_bins()).unwrap();
        let truth = TileData::U32(banded(n, true, seed));
        let member = dir.path().join(format!("{bin}.gzcm"));
        let options = builder(&member, &truth, true).tile_size(16).codec("zstd").packed_index(true);
        write_coo(options.group_tiles(true).genome(g), &truth, true);
        writer.add(bin, &member).unwrap();
        truths.push((bin, n, truth));
    }
    writer.finish().unwrap();
    for (bin, n, truth) in truths {
        let options = ReaderOptions::new().registry(registry());
        let reader = open_resolution(&path, Some(bin), options).unwrap();
        assert!(reader.info().tile_groups > 0);
        assert_eq!(reader.window(0..n as u64, 0..n as u64).unwrap(), truth, "{bin} bp");
        assert!(reader.verify().is_ok());
    }
}

#[test]
fn groups_are_refused_where_they_cannot_be_written() {
    let (_d, path) = scratch("g.gzcm");
    let refused = |builder: gzcm_container::WriterBuilder| {
        matches!(builder.create(), Err(ContainerError::InvalidOption { option: "group_tiles", .. }))
    };
    let base = || Writer::builder(&path, 100, 100).group_tiles(true);
    assert!(refused(base()), "without a packed index");
    assert!(refused(base().packed_index(true).dtype(Dtype::F32)), "f32 cells");
    assert!(refused(base().packed_index(true).version(2)), "version 2");
    assert!(base().packed_index(true).create().is_ok());
}

#[test]
fn golden_grouped_files_read_back_and_are_rewritten_byte_for_byte() {
    let truth = TileData::U32(banded_with(64, 10, true, 11));
    for version in [3, 4] {
        let (_d, path) = scratch("golden.gzcm");
        let mut metadata = gzcm_container::Metadata::default();
        metadata.writer = Some("gzcm golden".to_owned());
        let options = builder(&path, &truth, true).version(version).tile_size(16).metadata(metadata);
        write_coo(options.codec("zstd").packed_index(true).group_tiles(true), &truth, true);
        let written = std::fs::read(&path).unwrap();
        let golden = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/golden/sym64-t16-zstd-v{version}-groups-z3.gzcm"));
        if std::env::var_os("GZCM_BLESS").is_some() {
            std::fs::write(&golden, &written).unwrap();
        }
        let reader = open(&golden, 0);
        assert_eq!(reader.header().arrays.tile_index.as_ref().unwrap().dtype, GROUPED_INDEX_DTYPE);
        assert!(reader.info().tile_groups > 0, "v{version}");
        assert_eq!(reader.window(0..64, 0..64).unwrap(), truth, "v{version}");
        assert!(reader.verify().is_ok(), "v{version}");
        assert!(
            std::fs::read(&golden).unwrap() == written,
            "v{version}: written bytes differ from {}; if the format change is intended, record it \
             in docs/format.md and re-bless with GZCM_BLESS=1",
            golden.display()
        );
    }
}

#[test]
fn a_grouped_file_reads_through_ranged_requests_and_fetches_a_decoded_group_once() {
    let n = 400;
    // Far cells sparse enough that every tile off the band is in a group.
    let truth = TileData::U32(banded_with(n, 100, true, 5));
    let (_d, path) = scratch("g.gzcm");
    let options =
        builder(&path, &truth, true).tile_size(16).codec("zstd").packed_index(true).group_tiles(true);
    write_coo(options, &truth, true);
    let bytes = bytes::Bytes::from(std::fs::read(&path).unwrap());
    let source = Arc::new(Ranged { bytes, first_read: 4096, requests: AtomicU64::new(0) });
    // A cache budget below a tile's 1 KiB: no decoded tile is kept, the decoded groups (a
    // cache of their own within the same budget, a few hundred bytes each) are.
    let options = ReaderOptions::new().registry(registry()).cache_bytes(1000);
    let reader = Reader::open_source(Arc::clone(&source) as Arc<dyn ByteSource>, options).unwrap();
    // Far from the diagonal: tiles (2, 20..25), in groups.
    let (rows, cols) = (40..48, 320..400);
    let expected = window(&truth, rows.clone(), cols.clone());
    let (rows, cols) = (rows.start as u64..rows.end as u64, cols.start as u64..cols.end as u64);
    let opened = source.requests.load(Ordering::Relaxed);
    assert_eq!(reader.window(rows.clone(), cols.clone()).unwrap(), expected);
    let before = source.requests.load(Ordering::Relaxed);
    assert!(before > opened, "the first read fetches the groups");
    assert_eq!(reader.window(rows, cols).unwrap(), expected);
    assert_eq!(source.requests.load(Ordering::Relaxed), before, "the decoded groups were kept");
    assert_eq!(reader.window(0..n as u64, 0..n as u64).unwrap(), truth);
    assert!(reader.verify().is_ok());
}

#[test]
fn a_damaged_group_is_named_by_verify_and_refused_by_reads() {
    let truth = TileData::U32(banded_with(200, 40, true, 9));
    let (_d, path) = scratch("g.gzcm");
    let options =
        builder(&path, &truth, true).tile_size(16).codec("zstd").packed_index(true).group_tiles(true);
    write_coo(options, &truth, true);
    let group = open(&path, 0)
        .stored_tiles()
        .filter_map(|e| e.record)
        .find(|r| r.flags & 1 == 1 && r.length > 8)
        .expect("a group");
    let mut bytes = std::fs::read(&path).unwrap();
    // The middle of the group's payload: its frame no longer decodes to its cells.
    bytes[(group.offset + u64::from(group.length) / 2) as usize] ^= 0x5a;
    std::fs::write(&path, &bytes).unwrap();
    let report = open(&path, 0).verify();
    assert_eq!(report.failures.len(), 1, "{report:?}");
    let failure = &report.failures[0];
    assert_eq!((failure.tile_row, failure.tile_col), (group.tile_row, group.tile_col));
    assert!(matches!(failure.error, ContainerError::CrcMismatch { .. }), "{}", failure.error);
    // Without read-time crc checks the damage reaches the group's decoder: a typed error.
    let unchecked = ReaderOptions::new().registry(registry()).cache_bytes(0).verify_crc(false);
    let reader = Reader::open_with(&path, unchecked).unwrap();
    let error = reader.tile(group.tile_row, group.tile_col).unwrap_err();
    assert!(matches!(error, ContainerError::Group { .. }), "{error}");
    assert!(reader.window(0..200, 0..200).is_err());
}
