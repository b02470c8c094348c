//! Real matrices from the shared data directory (`../shared/data` from the workspace root, or
//! `GZCM_TEST_DATA`): each uncompressed `.npy` of a small map is written with both built-in
//! codecs and read back cell for cell. Skipped with a printed reason when the data is absent.

use std::path::PathBuf;

use gzcm_core::TileData;
use ndarray::Array2;

use crate::support::{builder, open, scratch};

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GZCM_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    dir.is_dir().then_some(dir)
}

/// A little-endian `<u4`/`<f4`/`<f8`/`<i8` C-order 2-D `.npy`, as `TileData`.
fn load_npy(path: &std::path::Path) -> Option<TileData> {
    let bytes = std::fs::read(path).ok()?;
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).ok()?;
    let body = &bytes[10 + header_len..];
    let shape_text = header.split("'shape': (").nth(1)?.split(')').next()?;
    let dims: Vec<usize> = shape_text.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    if dims.len() != 2 || header.contains("'fortran_order': True") {
        return None;
    }
    let descr = header.split("'descr': '").nth(1)?.split('\'').next()?;
    let chunks = |n: usize| body.chunks_exact(n).take(dims[0] * dims[1]);
    match descr {
        "<u4" => {
            let v = chunks(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
            Some(TileData::U32(Array2::from_shape_vec((dims[0], dims[1]), v).ok()?))
        }
        "<i8" => {
            let v = chunks(8).map(|c| i64::from_le_bytes(c.try_into().unwrap()) as u32).collect();
            Some(TileData::U32(Array2::from_shape_vec((dims[0], dims[1]), v).ok()?))
        }
        "<f8" => {
            let v = chunks(8).map(|c| f64::from_le_bytes(c.try_into().unwrap()) as f32).collect();
            Some(TileData::F32(Array2::from_shape_vec((dims[0], dims[1]), v).ok()?))
        }
        "<f4" => {
            let v = chunks(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect();
            Some(TileData::F32(Array2::from_shape_vec((dims[0], dims[1]), v).ok()?))
        }
        _ => None,
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
    let Some(dir) = data_dir() else {
        eprintln!("skipping: no shared data at ../shared/data and GZCM_TEST_DATA unset");
        return;
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "npy") || std::fs::metadata(&path).unwrap().len() > 16 << 20 {
            continue;
        }
        let Some(truth) = load_npy(&path) else {
            eprintln!("skipping {}: dtype not handled by this test", path.display());
            continue;
        };
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
            let back = reader.region(0..rows as u64, 0..cols as u64).unwrap();
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
