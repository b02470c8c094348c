//! Shared helpers: a registry with the built-in codecs, synthetic matrices with Hi-C structure,
//! and writing a ground-truth matrix as sorted COO.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use gzcm_container::{Reader, ReaderOptions, WriteSummary, Writer, WriterBuilder};
use gzcm_core::{Dtype, EncodeOptions, Registry, TileData};
use ndarray::Array2;

/// The built-in codecs, registered once.
pub(crate) fn registry() -> Arc<Registry> {
    static REGISTRY: OnceLock<Arc<Registry>> = OnceLock::new();
    Arc::clone(REGISTRY.get_or_init(|| {
        let mut registry = Registry::empty();
        gzcm_codecs::register_builtins(&mut registry).unwrap();
        Arc::new(registry)
    }))
}

/// A small deterministic generator (SplitMix64), shared by the workspace's tests.
pub(crate) use gzcm_test_support::SplitMix64 as Rng;

/// A ground-truth matrix in `u32` counts: contacts decay with distance from the diagonal,
/// a few rows are empty; symmetric ones are mirrored.
pub(crate) fn counts(rows: usize, cols: usize, symmetric: bool, seed: u64) -> Array2<u32> {
    let mut rng = Rng::new(seed);
    let mut m = Array2::<u32>::zeros((rows, cols));
    let empty_row = rows / 3;
    for r in 0..rows {
        let first = if symmetric { r } else { 0 };
        for c in first..cols {
            if r == empty_row || c == empty_row {
                continue;
            }
            let distance = r.abs_diff(c) as u64;
            if rng.below(distance + 1) < 2 {
                m[[r, c]] = (rng.below(1000) / (distance + 1)) as u32;
            }
        }
    }
    if symmetric {
        for r in 0..rows {
            for c in 0..r {
                m[[r, c]] = m[[c, r]];
            }
        }
    }
    m
}

/// A ground-truth matrix as `TileData` of `dtype` (floats are non-integer: counts / 4 + 0.125).
pub(crate) fn matrix(dtype: Dtype, rows: usize, cols: usize, symmetric: bool, seed: u64) -> TileData {
    let m = counts(rows, cols, symmetric, seed);
    match dtype {
        Dtype::F32 => TileData::F32(m.mapv(|v| if v == 0 { 0.0 } else { v as f32 / 4.0 + 0.125 })),
        _ => TileData::U32(m),
    }
}

/// A builder for `path` with the test registry and a fast zstd level.
pub(crate) fn builder(path: &Path, truth: &TileData, symmetric: bool) -> WriterBuilder {
    let shape = truth.shape();
    Writer::builder(path, u64::from(shape.rows), u64::from(shape.cols))
        .dtype(truth.dtype())
        .symmetric(symmetric)
        .registry(registry())
        .codec_options("zstd", EncodeOptions::with_level(3))
}

/// Which cells of a symmetric ground truth to give the writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Triangle {
    Upper,
    Lower,
    Both,
}

/// The non-zero cells, sorted by row, as `(row, col, bits)`.
pub(crate) fn cells(truth: &TileData, symmetric: bool, triangle: Triangle) -> Vec<(u64, u64, u32)> {
    let keep = |r: usize, c: usize| {
        !symmetric
            || match triangle {
                Triangle::Upper => c >= r,
                Triangle::Lower => c <= r,
                Triangle::Both => true,
            }
    };
    let mut out = Vec::new();
    match truth {
        TileData::U32(a) => a.indexed_iter().for_each(|((r, c), &v)| {
            if v != 0 && keep(r, c) {
                out.push((r as u64, c as u64, v));
            }
        }),
        TileData::F32(a) => a.indexed_iter().for_each(|((r, c), &v)| {
            if v != 0.0 && keep(r, c) {
                out.push((r as u64, c as u64, v.to_bits()));
            }
        }),
    }
    out
}

/// Pushes one cell given as bits in the right dtype.
pub(crate) fn push(writer: &mut Writer, dtype: Dtype, (r, c, bits): (u64, u64, u32)) {
    match dtype {
        Dtype::F32 => writer.push(r, c, f32::from_bits(bits)).unwrap(),
        _ => writer.push(r, c, bits).unwrap(),
    }
}

/// Writes `truth` as sorted COO (upper triangle for symmetric matrices).
pub(crate) fn write_coo(builder: WriterBuilder, truth: &TileData, symmetric: bool) -> WriteSummary {
    let mut writer = builder.create().unwrap();
    for cell in cells(truth, symmetric, Triangle::Upper) {
        push(&mut writer, truth.dtype(), cell);
    }
    writer.finish().unwrap()
}

/// Opens with the test registry.
pub(crate) fn open(path: &Path, cache_bytes: usize) -> Reader {
    Reader::open_with(path, ReaderOptions::new().registry(registry()).cache_bytes(cache_bytes)).unwrap()
}

/// The window `rows × cols` of a ground truth.
pub(crate) fn window(
    truth: &TileData,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
) -> TileData {
    use ndarray::s;
    match truth {
        TileData::U32(a) => TileData::U32(a.slice(s![rows, cols]).to_owned()),
        TileData::F32(a) => TileData::F32(a.slice(s![rows, cols]).to_owned()),
    }
}

/// A scratch directory and a path inside it.
pub(crate) fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

/// Names of the entries in a directory, sorted.
pub(crate) use gzcm_test_support::dir_entries as entries;

/// A file served by ranged reads only (like object storage, without its first-read cache),
/// counting requests.
#[derive(Debug)]
pub(crate) struct Ranged {
    pub(crate) bytes: bytes::Bytes,
    pub(crate) first_read: u64,
    pub(crate) requests: std::sync::atomic::AtomicU64,
}

impl gzcm_container::ByteSource for Ranged {
    fn name(&self) -> &Path {
        Path::new("ranged.gzcm")
    }

    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_ranges(&self, ranges: &[std::ops::Range<u64>]) -> std::io::Result<Vec<bytes::Bytes>> {
        self.requests.fetch_add(ranges.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(ranges.iter().map(|r| self.bytes.slice(r.start as usize..r.end as usize)).collect())
    }

    fn first_read_bytes(&self) -> u64 {
        self.first_read
    }
}
