//! Measures gzcm-bsc on the shared Hi-C matrices (and a synthetic one):
//! stored bytes, bits per non-zero, encode and decode speed, and zstd-19 on
//! the very same tiles for comparison.
//!
//! Run with `cargo run --release -p gzcm-bsc --example measure_bsc [NAME_PART...]`.
//! Each real matrix is measured twice: with default options (ratio first) and
//! with planes stored raw unless coding saves 1/8 (decode speed first).
//! Tiles are 256×256, upper triangle with the diagonal, all-zero tiles
//! skipped, cells as little-endian u32 — as gzcm stores raw counts.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{MATRICES, Matrix, Tile};
use cpu_time::ThreadTime;
use gzcm_bsc::Options;
use std::time::{Duration, Instant};

const TILE: usize = 256;

/// Totals for one matrix.
struct Row {
    name: String,
    tiles: usize,
    raw: usize,
    nnz: usize,
    bsc: usize,
    zstd: usize,
    enc: Duration,
    dec: Duration,
    dec_cpu: Duration,
    max_dec_tile: Duration,
    zstd_dec: Duration,
}

/// Wall and CPU time of `f`, each the best of three runs: the machine is
/// shared, and the minimum is the figure least disturbed by other processes.
/// CPU time (this thread's) excludes time spent waiting for a core.
fn best_of_3(mut f: impl FnMut()) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        let (t, c) = (Instant::now(), ThreadTime::now());
        f();
        best = (best.0.min(t.elapsed()), best.1.min(c.elapsed()));
    }
    best
}

fn measure(name: &str, m: &Matrix, opts: Options) -> Row {
    let tiles = common::tiles(m, TILE);
    let mut row = Row {
        name: name.to_string(),
        tiles: tiles.len(),
        raw: 0,
        nnz: 0,
        bsc: 0,
        zstd: 0,
        enc: Duration::ZERO,
        dec: Duration::ZERO,
        dec_cpu: Duration::ZERO,
        max_dec_tile: Duration::ZERO,
        zstd_dec: Duration::ZERO,
    };
    for Tile { bytes, nnz_upper, .. } in &tiles {
        row.raw += bytes.len();
        row.nnz += nnz_upper;
        let mut payload = Vec::new();
        row.enc += best_of_3(|| {
            payload.clear();
            gzcm_bsc::compress_with(bytes, opts, &mut payload).expect("compress");
        })
        .0;
        row.bsc += payload.len();
        let mut back = Vec::with_capacity(bytes.len());
        let (d, cpu) = best_of_3(|| {
            back.clear();
            gzcm_bsc::decompress(&payload, bytes.len(), &mut back).expect("decompress");
        });
        row.dec += d;
        row.dec_cpu += cpu;
        row.max_dec_tile = row.max_dec_tile.max(cpu);
        assert_eq!(&back, bytes, "round trip of a {name} tile");
        let z = zstd::bulk::compress(bytes, 19).expect("zstd");
        row.zstd += z.len();
        row.zstd_dec += best_of_3(|| {
            let back = zstd::bulk::decompress(&z, bytes.len()).expect("zstd decode");
            assert_eq!(back.len(), bytes.len());
        })
        .0;
    }
    row
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn print(r: &Row) {
    let bits = |b: usize| 8.0 * b as f64 / r.nnz.max(1) as f64;
    println!(
        "| {:<28} | {:>5} | {:>8} | {:>10} | {:>7.2} | {:>7.2} | {:>6.1}% | {:>8.1} | {:>8.1} | {:>8.1} | {:>6.2} | {:>8.1} |",
        r.name,
        r.tiles,
        r.nnz,
        r.bsc,
        bits(r.bsc),
        bits(r.zstd),
        100.0 * r.bsc as f64 / r.zstd as f64,
        mbps(r.raw, r.enc),
        mbps(r.raw, r.dec),
        mbps(r.raw, r.dec_cpu),
        r.max_dec_tile.as_secs_f64() * 1e3,
        mbps(r.raw, r.zstd_dec),
    );
}

fn main() {
    println!("tiles {TILE}x{TILE}, u32 LE cells, upper triangle incl. diagonal, all-zero tiles skipped");
    println!("speeds: one core, best of 3 runs per tile, MB of raw tile bytes per second;");
    println!("wall clock except where marked CPU (thread CPU time: excludes waiting for a core)");
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average at start: {}", load.trim());
    }
    println!(
        "| matrix | tiles | nnz upper | bsc bytes | bsc bits/nnz | zstd-19 bits/nnz | bsc/zstd | bsc enc MB/s | bsc dec MB/s | bsc dec MB/s (CPU time) | bsc max dec ms/tile (CPU) | zstd-19 dec MB/s |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    // Optional arguments: substrings of the matrix names to measure.
    let only: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));
    for name in MATRICES.into_iter().filter(|n| wanted(n)) {
        let Some(m) = common::load(name, usize::MAX) else {
            continue;
        };
        print(&measure(name, &m, Options::default()));
        // The decode-speed setting: noisy low-byte planes stored raw.
        let fast = Options::default().with_min_plane_saving(0.125);
        print(&measure(&format!("{name} (saving>=1/8)"), &m, fast));
    }
    for (n, seed) in [(2048, 1), (4096, 2)] {
        if !wanted(&format!("synthetic_powerlaw_{n}")) {
            continue;
        }
        let m = common::synthetic(n, seed);
        print(&measure(&format!("synthetic_powerlaw_{n}"), &m, Options::default()));
    }
}
