//! Shared helpers for tests and the `measure` example: find the shared Hi-C
//! matrices, read their `.npy` (optionally `.zst`) files, cut them into tiles.
#![allow(dead_code)] // each user takes a different subset

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;

/// The matrices the measurements are quoted for.
pub(crate) const MATRICES: [&str; 4] =
    ["gm12878_rao2014_2500kb", "yeast_10kb", "mouse_mm9_chr1_20kb", "yeast_duan2009_10kb"];

/// The shared data directory, or `None` (with the reason printed) when absent.
pub(crate) fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GZCM_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data")));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: shared data directory {} not found", dir.display());
        None
    }
}

/// A row-major `f32` matrix (possibly only its first `rows` rows).
pub(crate) struct Matrix {
    /// Rows held in `cells`.
    pub(crate) rows: usize,
    /// Columns.
    pub(crate) cols: usize,
    /// Row-major values.
    pub(crate) cells: Vec<f32>,
}

/// Reads `<name>.npy` or `<name>.npy.zst` from the data directory, keeping at
/// most `max_rows` rows (all with `usize::MAX`). `None` (printed) if absent.
pub(crate) fn load(name: &str, max_rows: usize) -> Option<Matrix> {
    let dir = data_dir()?;
    let plain = dir.join(format!("{name}.npy"));
    let packed = dir.join(format!("{name}.npy.zst"));
    let reader: Box<dyn Read> = if plain.is_file() {
        Box::new(BufReader::new(File::open(&plain).ok()?))
    } else if packed.is_file() {
        let file = BufReader::new(File::open(&packed).ok()?);
        Box::new(zstd::stream::read::Decoder::with_buffer(file).ok()?)
    } else {
        eprintln!("skipping {name}: not in {}", dir.display());
        return None;
    };
    Some(read_npy(reader, max_rows))
}

/// Parses a NumPy v1 `<f4` C-order 2-D array (header checked by hand).
fn read_npy(mut r: impl Read, max_rows: usize) -> Matrix {
    let mut pre = [0u8; 10];
    r.read_exact(&mut pre).expect("npy preamble");
    assert_eq!(&pre[..6], b"\x93NUMPY", "not an npy file");
    assert_eq!(pre[6], 1, "npy version 1 expected");
    let hlen = u16::from_le_bytes([pre[8], pre[9]]) as usize;
    let mut header = vec![0u8; hlen];
    r.read_exact(&mut header).expect("npy header");
    let header = String::from_utf8(header).expect("ascii header");
    assert!(header.contains("'descr': '<f4'"), "want <f4: {header}");
    assert!(header.contains("'fortran_order': False"), "want C order");
    let shape = header.split("'shape': (").nth(1).expect("shape");
    let dims: Vec<usize> =
        shape.split(')').next().unwrap().split(',').filter_map(|s| s.trim().parse().ok()).collect();
    assert_eq!(dims.len(), 2, "2-D matrix expected");
    let (rows, cols) = (dims[0].min(max_rows), dims[1]);
    let mut raw = vec![0u8; rows * cols * 4];
    r.read_exact(&mut raw).expect("npy data");
    let cells = raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    Matrix { rows, cols, cells }
}

/// One stored tile: its position, its cells as u32 LE bytes, its non-zeros.
pub(crate) struct Tile {
    /// Tile row.
    pub(crate) ti: usize,
    /// Tile column.
    pub(crate) tj: usize,
    /// Cells as little-endian u32 bytes, row-major, at the tile's true shape.
    pub(crate) bytes: Vec<u8>,
    /// Non-zero cells.
    pub(crate) nnz: usize,
    /// Non-zero cells on or above the diagonal (what bits/nnz divides by:
    /// a diagonal tile is stored whole, but its lower half is a mirror).
    pub(crate) nnz_upper: usize,
}

/// Upper-triangle tiles (`ti <= tj`, diagonal tiles whole) that are not all
/// zero, in row-major tile order, of side `t`.
pub(crate) fn tiles(m: &Matrix, t: usize) -> Vec<Tile> {
    let mut out = Vec::new();
    for ti in 0..m.rows.div_ceil(t) {
        for tj in ti..m.cols.div_ceil(t) {
            if let Some(tile) = cut(m, t, ti, tj) {
                out.push(tile);
            }
        }
    }
    out
}

/// Tile `(ti, tj)` of side `t`, or `None` when it is all zero.
pub(crate) fn cut(m: &Matrix, t: usize, ti: usize, tj: usize) -> Option<Tile> {
    let (r0, r1) = (ti * t, ((ti + 1) * t).min(m.rows));
    let (c0, c1) = (tj * t, ((tj + 1) * t).min(m.cols));
    let mut bytes = Vec::with_capacity((r1 - r0) * (c1 - c0) * 4);
    let (mut nnz, mut nnz_upper) = (0, 0);
    for r in r0..r1 {
        for (c, &v) in (c0..c1).zip(&m.cells[r * m.cols + c0..r * m.cols + c1]) {
            let v = v as u32;
            nnz += usize::from(v != 0);
            nnz_upper += usize::from(v != 0 && r <= c);
            bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    (nnz > 0).then_some(Tile { ti, tj, bytes, nnz, nnz_upper })
}

/// A synthetic contact-like matrix: counts fall as a power of the distance
/// from the diagonal, with multiplicative noise and a few empty bins, from a
/// fixed-seed generator (no data files needed).
pub(crate) fn synthetic(n: usize, seed: u64) -> Matrix {
    let mut rng = SplitMix(seed);
    let empty: Vec<bool> = (0..n).map(|_| rng.unit() < 0.02).collect();
    let mut cells = vec![0f32; n * n];
    for i in 0..n {
        for j in i..n {
            if empty[i] || empty[j] {
                continue;
            }
            let d = (j - i) as f64 + 1.0;
            let expected = 2000.0 * d.powf(-1.1);
            // Log-normal-ish noise, then Poisson-like rounding to an integer count.
            let noisy = expected * (0.6 * (rng.unit() - 0.5) * 2.0).exp();
            let count = (noisy + rng.unit()).floor() as f32;
            cells[i * n + j] = count;
            cells[j * n + i] = count;
        }
    }
    Matrix { rows: n, cols: n, cells }
}

/// Tiny deterministic generator (SplitMix64).
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    /// Next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `len` random bytes.
    pub(crate) fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}
