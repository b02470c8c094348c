//! Input streams: sorted vs unsorted COO, either triangle of symmetric input, dense rows,
//! conflicting cells, and option errors.

use gzcm_container::{ContainerError, Writer};
use gzcm_core::{Dtype, TileData};

use crate::support::{Rng, Triangle, builder, cells, matrix, open, push, registry, scratch, write_coo};

fn write_unsorted(
    path: &std::path::Path,
    truth: &TileData,
    symmetric: bool,
    triangle: Triangle,
    spill: usize,
) {
    let mut cells = cells(truth, symmetric, triangle);
    let mut rng = Rng::new(99);
    for k in (1..cells.len()).rev() {
        cells.swap(k, rng.below(k as u64 + 1) as usize);
    }
    let mut writer =
        builder(path, truth, symmetric).tile_size(16).spill_cells(spill).create_unsorted().unwrap();
    for (r, c, bits) in cells {
        match truth.dtype() {
            Dtype::F32 => writer.push(r, c, f32::from_bits(bits)).unwrap(),
            _ => writer.push(r, c, bits).unwrap(),
        }
    }
    writer.finish().unwrap();
}

#[test]
fn sorted_and_unsorted_coo_give_identical_files() {
    for (symmetric, dtype) in [(true, Dtype::U32), (false, Dtype::F32)] {
        let truth = matrix(dtype, 90, 90, symmetric, 21);
        let (_d1, sorted) = scratch("sorted.gzcm");
        write_coo(builder(&sorted, &truth, symmetric).tile_size(16), &truth, symmetric);
        let expected = std::fs::read(&sorted).unwrap();
        // In memory, and spilled to many runs.
        for spill in [usize::MAX, 97] {
            let (_d2, unsorted) = scratch("unsorted.gzcm");
            write_unsorted(&unsorted, &truth, symmetric, Triangle::Upper, spill);
            assert_eq!(std::fs::read(&unsorted).unwrap(), expected, "sym={symmetric} spill={spill}");
        }
    }
}

#[test]
fn symmetric_input_from_either_or_both_triangles_gives_one_file() {
    let truth = matrix(Dtype::U32, 90, 90, true, 22);
    let (_d1, upper) = scratch("upper.gzcm");
    write_coo(builder(&upper, &truth, true).tile_size(16), &truth, true);
    let expected = std::fs::read(&upper).unwrap();
    // Sorted lower triangle.
    let (_d2, lower) = scratch("lower.gzcm");
    let mut writer = builder(&lower, &truth, true).tile_size(16).create().unwrap();
    for cell in cells(&truth, true, Triangle::Lower) {
        push(&mut writer, Dtype::U32, cell);
    }
    writer.finish().unwrap();
    assert_eq!(std::fs::read(&lower).unwrap(), expected);
    // Both triangles, unsorted.
    let (_d3, both) = scratch("both.gzcm");
    write_unsorted(&both, &truth, true, Triangle::Both, 50);
    assert_eq!(std::fs::read(&both).unwrap(), expected);
}

#[test]
fn sorted_symmetric_input_mixing_triangles_is_refused() {
    let (_d, path) = scratch("m.gzcm");
    let mut writer =
        Writer::builder(&path, 64, 64).tile_size(16).symmetric(true).registry(registry()).create().unwrap();
    writer.push(0, 40, 1u32).unwrap();
    let err = writer.push(40, 0, 1u32).unwrap_err();
    assert!(matches!(err, ContainerError::MixedTriangles { row: 40, col: 0 }), "{err}");
}

#[test]
fn disagreeing_mirror_cells_are_refused() {
    let (_d, path) = scratch("m.gzcm");
    let mut writer = Writer::builder(&path, 64, 64)
        .tile_size(16)
        .symmetric(true)
        .registry(registry())
        .create_unsorted()
        .unwrap();
    writer.push(3, 40, 7u32).unwrap();
    writer.push(40, 3, 8u32).unwrap();
    let err = writer.finish().unwrap_err();
    assert!(matches!(err, ContainerError::ConflictingValues { row: 3, col: 40, .. }), "{err}");
}

#[test]
fn dense_rows_match_coo() {
    for (symmetric, dtype) in [(true, Dtype::F32), (false, Dtype::U32)] {
        let truth = matrix(dtype, 75, 75, symmetric, 23);
        let (_d1, coo) = scratch("coo.gzcm");
        write_coo(builder(&coo, &truth, symmetric).tile_size(16), &truth, symmetric);
        let (_d2, dense) = scratch("dense.gzcm");
        match &truth {
            TileData::U32(a) => builder(&dense, &truth, symmetric).tile_size(16).write_array(a.view()),
            TileData::F32(a) => builder(&dense, &truth, symmetric).tile_size(16).write_array(a.view()),
        }
        .unwrap();
        assert_eq!(std::fs::read(&dense).unwrap(), std::fs::read(&coo).unwrap());
        assert_eq!(open(&dense, 0).window(0..75, 0..75).unwrap(), truth);
    }
}

#[test]
fn bad_cells_and_values_are_typed_errors() {
    let (_d, path) = scratch("m.gzcm");
    let mut writer = Writer::builder(&path, 30, 20).tile_size(16).registry(registry()).create().unwrap();
    assert!(matches!(writer.push(30, 0, 1u32), Err(ContainerError::CellOutOfBounds { row: 30, .. })));
    assert!(matches!(writer.push(0, 20, 1u32), Err(ContainerError::CellOutOfBounds { col: 20, .. })));
    assert!(matches!(writer.push(0, 0, 1.5f32), Err(ContainerError::DtypeMismatch { .. })));
    assert!(matches!(writer.push_row(0, &[1u32; 3]), Err(ContainerError::RowLength { found: 3, .. })));
}

#[test]
fn bad_options_are_typed_errors() {
    let (_d, path) = scratch("m.gzcm");
    let make = || Writer::builder(&path, 40, 40).registry(registry());
    let option = |r: Result<Writer, ContainerError>| match r {
        Err(ContainerError::InvalidOption { option, .. }) => option,
        other => panic!("{other:?}"),
    };
    assert_eq!(option(make().version(5).create()), "version");
    assert_eq!(option(make().tile_size(15).create()), "tile_size");
    assert_eq!(option(make().tile_size(4097).create()), "tile_size");
    assert_eq!(option(Writer::builder(&path, 40, 30).symmetric(true).create()), "symmetric");
    assert_eq!(option(Writer::builder(&path, 0, 30).create()), "shape");
    let err = make().codec("zsdt").create().unwrap_err();
    assert!(matches!(err, ContainerError::Registry(_)), "{err}");
    let text = err.to_string();
    assert!(text.contains("zstd") && text.contains("lz4"), "{text}");
}

#[test]
fn uncompressed_versions_refuse_an_explicit_codec() {
    let (_d, path) = scratch("m.gzcm");
    for version in [1, 2] {
        let err = Writer::builder(&path, 40, 40).version(version).codec("lz4").create().unwrap_err();
        match &err {
            ContainerError::CodecWithUncompressedVersion { version: v, codec } => {
                assert_eq!((*v, codec.as_str()), (version, "`lz4`"));
            }
            other => panic!("v{version}: {other:?}"),
        }
        assert!(err.to_string().contains("uncompressed"), "{err}");
        // Without a codec the same write goes ahead.
        Writer::builder(&path, 40, 40).version(version).create().unwrap();
    }
}

#[test]
fn progress_reports_every_band() {
    let truth = matrix(Dtype::U32, 50, 50, false, 24);
    let (_d, path) = scratch("m.gzcm");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    let summary = write_coo(
        builder(&path, &truth, false).tile_size(16).progress(move |p| log.lock().unwrap().push(p.bands_done)),
        &truth,
        false,
    );
    assert_eq!(*seen.lock().unwrap(), [1, 2, 3, 4]);
    assert!(summary.ratio > 0.0 && summary.tiles_stored <= summary.tiles_total);
}

#[test]
fn encoding_errors_surface_and_leave_nothing() {
    let (dir, path) = scratch("m.gzcm");
    let mut writer = Writer::builder(&path, 64, 64)
        .tile_size(16)
        .registry(registry())
        .codec_picker(|stats| if stats.tile_row < 2 { "lz4".into() } else { "nope".into() })
        .create()
        .unwrap();
    // The failing band is encoded while later input arrives; its error comes at a later push or at finish.
    let mut outcome = Ok(());
    for row in 0..64 {
        outcome = writer.push(row, row, 1u32);
        if outcome.is_err() {
            break;
        }
    }
    let err = match outcome {
        Err(e) => {
            drop(writer);
            e
        }
        Ok(()) => writer.finish().unwrap_err(),
    };
    assert!(matches!(err, ContainerError::Registry(_)), "{err}");
    assert!(crate::support::entries(dir.path()).is_empty());
}

#[test]
fn summed_duplicates_reach_the_header_and_are_refused_once_it_is_written() {
    let (dir, path) = scratch("dups.gzcm");
    let mut writer = Writer::builder(&path, 4, 4).dtype(Dtype::U32).create().unwrap();
    writer.push(0, 1, 5u32).unwrap();
    writer.record_duplicates_summed(0).unwrap();
    writer.record_duplicates_summed(7).unwrap();
    writer.finish().unwrap();
    assert_eq!(open(&path, 0).header().metadata.duplicates_summed, Some(7));

    let path = dir.path().join("dups-v2.gzcm");
    let mut writer = Writer::builder(&path, 4, 4).version(2).dtype(Dtype::U32).create_unsorted().unwrap();
    writer.record_duplicates_summed(0).unwrap();
    assert!(matches!(
        writer.record_duplicates_summed(7),
        Err(ContainerError::HeaderAlreadyWritten { version: 2, field: "duplicates_summed" })
    ));
}
