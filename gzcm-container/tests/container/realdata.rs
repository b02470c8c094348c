//! Real matrices from the shared data directory (`../shared/data` from the workspace root, or
//! `GZCM_TEST_DATA`): each uncompressed `.npy` of a small map is written with both built-in
//! codecs and read back cell for cell. Skipped with a printed reason when the data is absent.

use gzcm_core::{Dtype, TileData};
use gzcm_io::{MatrixSource, OpenOptions};
use gzcm_test_support::{data_dir, read_rows};

use crate::support::{builder, open, scratch};

/// A shared dense `.npy` through gzcm-io, as `TileData` of the dtype gzcm-io reads it as.
fn load_npy(path: &std::path::Path) -> TileData {
    let options = OpenOptions { symmetric: Some(false), ..OpenOptions::default() };
    let source = MatrixSource::open(&path.display().to_string(), options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match source.info().dtype {
        Dtype::U32 => TileData::U32(read_rows::<u32>(path, usize::MAX).rows),
        Dtype::F32 => TileData::F32(read_rows::<f32>(path, usize::MAX).rows),
        other => panic!("{}: the shared matrices are u32 or f32, not {other:?}", path.display()),
    }
}

fn symmetric(m: &TileData) -> bool {
    match m {
        TileData::U32(a) => a.is_square() && a == a.t(),
        TileData::F32(a) => {
            a.is_square() && a.iter().zip(a.t().iter()).all(|(x, y)| x.to_bits() == y.to_bits())
        }
    }
}

#[test]
fn shared_npy_matrices_round_trip() {
    let Some(dir) = data_dir() else { return };
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "npy") || std::fs::metadata(&path).unwrap().len() > 16 << 20 {
            continue;
        }
        let truth = load_npy(&path);
        // NaN cells (unbalanced bins) compare unequal to themselves; compare bit patterns instead.
        let sym = symmetric(&truth);
        for codec in ["zstd", "lz4"] {
            let (_d, out) = scratch("real.gzcm");
            let (rows, cols) = truth.shape().dim();
            let summary = match &truth {
                TileData::U32(a) => builder(&out, &truth, sym).codec(codec).write_array(a.view()),
                TileData::F32(a) => builder(&out, &truth, sym).codec(codec).write_array(a.view()),
            }
            .unwrap();
            let reader = open(&out, 1 << 20);
            let back = reader.window(0..rows as u64, 0..cols as u64).unwrap();
            assert!(same_bits(&back, &truth), "{} with {codec}", path.display());
            assert!(reader.verify().is_ok());
            eprintln!(
                "{}: {rows}×{cols} sym={sym} {codec}: {} bytes, ratio {:.1}",
                path.file_name().unwrap().to_string_lossy(),
                summary.file_bytes,
                summary.ratio
            );
        }
        checked += 1;
    }
    eprintln!("checked {checked} real matrices");
    // The six `.npy` files of the shared data (PROVENANCE.md); fewer means a lost file.
    assert!(checked >= 6, "only {checked} shared .npy matrices");
}

fn same_bits(a: &TileData, b: &TileData) -> bool {
    match (a, b) {
        (TileData::U32(x), TileData::U32(y)) => x == y,
        (TileData::F32(x), TileData::F32(y)) => {
            x.iter().zip(y.iter()).all(|(p, q)| p.to_bits() == q.to_bits() || (*p == 0.0 && *q == 0.0))
        }
        _ => false,
    }
}
