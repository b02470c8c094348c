//! Test and example helpers: the shared real matrices, tiling, and a synthetic matrix.
#![allow(dead_code, unreachable_pub)]

use gzcm_cmc::TileLayout;

/// The four matrices the targets are measured on.
pub const MATRICES: [&str; 4] =
    ["gm12878_rao2014_2500kb", "yeast_10kb", "mouse_mm9_chr1_20kb", "yeast_duan2009_10kb"];

/// A matrix of integer counts (`n` columns), possibly only its first `rows` rows. Square ones
/// are symmetric; a rectangular one is an inter-chromosomal block.
pub struct Matrix {
    pub n: usize,
    pub rows: usize,
    pub values: Vec<u32>,
    pub square: bool,
}

/// Loads `<name>.npy` or `<name>.npy.zst` (float32 counts) from the shared data, through
/// gzcm-io, keeping at most `max_rows` rows.
pub fn load(name: &str, max_rows: usize) -> Option<Matrix> {
    let dense = gzcm_test_support::load_rows::<u32>(name, max_rows)?;
    let (rows, n) = dense.rows.dim();
    Some(Matrix { n, rows, values: dense.rows.into_raw_vec_and_offset().0, square: dense.shape.0 == n })
}

/// One tile cut from a matrix.
pub struct Tile {
    pub rows: usize,
    pub cols: usize,
    pub layout: TileLayout,
    pub values: Vec<u32>,
}

/// Tiles with `tile_row <= tile_col` (diagonal ones symmetric), all-zero ones skipped; every
/// tile of a rectangular matrix.
pub fn tiles(m: &Matrix, size: usize) -> Vec<Tile> {
    let count = m.n.div_ceil(size);
    let mut out = Vec::new();
    for ti in 0..m.rows.div_ceil(size) {
        for tj in if m.square { ti } else { 0 }..count {
            let (r0, c0) = (ti * size, tj * size);
            let rows = size.min(m.rows - r0);
            let cols = size.min(m.n - c0);
            let values: Vec<u32> = (r0..r0 + rows)
                .flat_map(|r| m.values[r * m.n + c0..r * m.n + c0 + cols].iter().copied())
                .collect();
            if values.iter().all(|&v| v == 0) {
                continue;
            }
            let layout =
                if ti == tj && m.square { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal };
            out.push(Tile { rows, cols, layout, values });
        }
    }
    out
}

/// Non-zeros of the upper triangle (with the diagonal) of the loaded rows.
pub fn nnz_upper(m: &Matrix) -> usize {
    (0..m.rows).map(|r| m.values[r * m.n + r..(r + 1) * m.n].iter().filter(|&&v| v != 0).count()).sum()
}

/// Small deterministic generator (xorshift64*), so helpers need no extra crates.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Poisson-ish count with mean `mean` (Knuth for small means, rounded normal above).
    pub fn poisson(&mut self, mean: f64) -> u32 {
        if mean < 30.0 {
            let limit = (-mean).exp();
            let (mut k, mut p) = (0u32, 1.0);
            loop {
                p *= self.unit();
                if p <= limit {
                    return k;
                }
                k += 1;
            }
        }
        let (u, v) = (self.unit().max(1e-12), self.unit());
        let normal = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        (mean + normal * mean.sqrt()).round().max(0.0) as u32
    }
}

/// A synthetic symmetric `n × n` map: mean `scale · (1 + d)^-1.1` at distance `d`, modulated by
/// block "domains", with over-dispersed Poisson noise and a few masked bins.
pub fn synthetic(n: usize, scale: f64, seed: u64) -> Matrix {
    let mut rng = Rng(seed | 1);
    let domain: Vec<f64> = (0..n).map(|i| if (i / 40) % 2 == 0 { 1.5 } else { 0.7 }).collect();
    let masked: Vec<bool> = (0..n).map(|_| rng.unit() < 0.02).collect();
    let mut values = vec![0u32; n * n];
    for i in 0..n {
        for j in i..n {
            if masked[i] || masked[j] {
                continue;
            }
            let d = (j - i) as f64;
            let same = if i / 40 == j / 40 { domain[i] } else { 1.0 };
            let noise = 0.6 + 0.8 * rng.unit();
            let v = rng.poisson(scale * (1.0 + d).powf(-1.1) * same * noise);
            values[i * n + j] = v;
            values[j * n + i] = v;
        }
    }
    Matrix { n, rows: n, values, square: true }
}
