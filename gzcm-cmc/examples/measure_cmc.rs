//! Measures `cmc` and `transform` + zstd-19 on the shared matrices and a synthetic one.
//!
//! `cargo run --release -p gzcm-cmc --example measure_cmc [name-filter]`
//! Prints total bytes, bits per non-zero (upper triangle incl. diagonal) and encode/decode MB/s
//! (MB of raw u32 tile bytes per second of this thread's CPU time), and the decode time of the
//! densest 256×256 tile.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Matrix, Tile};

const TILE: usize = 256;

struct Row {
    bytes: usize,
    encode: Duration,
    decode: Duration,
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    // MEASURE_DECODE_ONLY=1: one decode of the densest tile (for instruction counting).
    if std::env::var_os("MEASURE_DECODE_ONLY").is_some() {
        if let Some(m) =
            common::MATRICES.iter().find(|n| n.contains(&filter)).and_then(|n| common::load(n, usize::MAX))
        {
            decode_once(&common::tiles(&m, TILE));
        }
        return;
    }
    println!(
        "{:<28} {:>9} {:>8} | {:>10} {:>6} {:>7} {:>7} | {:>10} {:>6} {:>7} {:>7} | {:>6}",
        "matrix", "nnz", "tiles", "cmc B", "b/nnz", "enc", "dec", "tz19 B", "b/nnz", "enc", "dec", "z19"
    );
    let synthetic = [("synthetic_dense", 1200, 2e4, 7), ("synthetic_sparse", 2000, 3.0, 11)];
    for (name, n, scale, seed) in synthetic {
        if name.contains(&filter) {
            report(name, &common::synthetic(n, scale, seed));
        }
    }
    for name in common::MATRICES {
        if !name.contains(&filter) {
            continue;
        }
        if let Some(m) = common::load(name, usize::MAX) {
            report(name, &m);
        }
    }
}

fn report(name: &str, m: &Matrix) {
    let tiles = common::tiles(m, TILE);
    let nnz = common::nnz_upper(m);
    let raw: usize = tiles.iter().map(|t| t.values.len() * 4).sum();
    let cmc = run(&tiles, gzcm_cmc::encode, gzcm_cmc::decode);
    // MEASURE_CMC_ONLY=1 skips the slow zstd-19 columns while tuning.
    let cmc_only = std::env::var_os("MEASURE_CMC_ONLY").is_some();
    let (tz, z19) = if cmc_only {
        (Row { bytes: 0, encode: Duration::ZERO, decode: Duration::ZERO }, 0)
    } else {
        (run(&tiles, transform_zstd, inverse_transform_zstd), zstd19(&tiles))
    };
    let bits = |bytes: usize| 8.0 * bytes as f64 / nnz as f64;
    let mbs = |d: Duration| raw as f64 / 1e6 / d.as_secs_f64();
    println!(
        "{:<28} {:>9} {:>8} | {:>10} {:>6.2} {:>7.1} {:>7.1} | {:>10} {:>6.2} {:>7.1} {:>7.1} | {:>6.2}",
        name,
        nnz,
        tiles.len(),
        cmc.bytes,
        bits(cmc.bytes),
        mbs(cmc.encode),
        mbs(cmc.decode),
        tz.bytes,
        bits(tz.bytes),
        mbs(tz.encode),
        mbs(tz.decode),
        bits(z19),
    );
    densest_decode(&tiles);
    if std::env::var_os("MEASURE_TILES").is_some() {
        per_tile(&tiles);
    }
}

/// Per-tile figures, to see where the bytes go.
fn per_tile(tiles: &[Tile]) {
    for t in tiles {
        let mut payload = Vec::new();
        gzcm_cmc::encode(&t.values, t.rows, t.cols, t.layout, &mut payload).unwrap();
        let nz: Vec<u64> = t.values.iter().filter(|&&v| v != 0).map(|&v| v as u64).collect();
        let mean = nz.iter().sum::<u64>() as f64 / nz.len().max(1) as f64;
        println!(
            "      {:?} {}x{} nnz {} mean {:.1}: {} B, {:.2} b/nz",
            t.layout,
            t.rows,
            t.cols,
            nz.len(),
            mean,
            payload.len(),
            8.0 * payload.len() as f64 / nz.len().max(1) as f64
        );
    }
}

type Enc = fn(&[u32], usize, usize, gzcm_cmc::TileLayout, &mut Vec<u8>) -> Result<(), gzcm_cmc::CmcError>;
type Dec = fn(&[u8], usize, usize, &mut [u32]) -> Result<(), gzcm_cmc::CmcError>;

/// Encodes every tile, then decodes and checks every one, timing both phases.
fn run(tiles: &[Tile], enc: Enc, dec: Dec) -> Row {
    let start = Clock::start();
    let payloads: Vec<Vec<u8>> = tiles
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            enc(&t.values, t.rows, t.cols, t.layout, &mut out).unwrap();
            out
        })
        .collect();
    let encode = start.elapsed();
    let start = Clock::start();
    let mut back = Vec::new();
    for (t, p) in tiles.iter().zip(&payloads) {
        back.resize(t.values.len(), 0);
        dec(p, t.rows, t.cols, &mut back).unwrap();
        assert!(back == t.values, "round trip failed");
    }
    let decode = start.elapsed();
    Row { bytes: payloads.iter().map(Vec::len).sum(), encode, decode }
}

fn transform_zstd(
    v: &[u32],
    rows: usize,
    cols: usize,
    layout: gzcm_cmc::TileLayout,
    out: &mut Vec<u8>,
) -> Result<(), gzcm_cmc::CmcError> {
    let mut t = Vec::new();
    gzcm_cmc::transform(v, rows, cols, layout, &mut t)?;
    out.extend(zstd::bulk::compress(&t, 19).unwrap());
    Ok(())
}

fn inverse_transform_zstd(
    p: &[u8],
    rows: usize,
    cols: usize,
    out: &mut [u32],
) -> Result<(), gzcm_cmc::CmcError> {
    let t = zstd::stream::decode_all(p).unwrap();
    gzcm_cmc::inverse_transform(&t, rows, cols, out)
}

/// Plain zstd-19 on each tile's little-endian bytes, the baseline.
fn zstd19(tiles: &[Tile]) -> usize {
    tiles.iter().map(|t| zstd::bulk::compress(&le_bytes(&t.values), 19).unwrap().len()).sum()
}

fn le_bytes(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Decodes the densest full-size tile once.
fn decode_once(tiles: &[Tile]) {
    let Some(t) = densest(tiles) else { return };
    let mut payload = Vec::new();
    gzcm_cmc::encode(&t.values, t.rows, t.cols, t.layout, &mut payload).unwrap();
    let mut back = vec![0; t.values.len()];
    gzcm_cmc::decode(&payload, t.rows, t.cols, &mut back).unwrap();
    assert!(back == t.values);
}

/// The full-size tile with the most non-zeros.
fn densest(tiles: &[Tile]) -> Option<&Tile> {
    tiles
        .iter()
        .filter(|t| t.rows == TILE && t.cols == TILE)
        .max_by_key(|t| t.values.iter().filter(|&&v| v != 0).count())
}

/// Times decoding of the full-size tile with the most non-zeros.
fn densest_decode(tiles: &[Tile]) {
    let Some(t) = densest(tiles) else { return };
    let mut payload = Vec::new();
    gzcm_cmc::encode(&t.values, t.rows, t.cols, t.layout, &mut payload).unwrap();
    let mut back = vec![0; t.values.len()];
    let reps = 50;
    let (start, cpu) = (Instant::now(), cpu_ns());
    for _ in 0..reps {
        gzcm_cmc::decode(&payload, t.rows, t.cols, &mut back).unwrap();
    }
    let cpu_ms = cpu.zip(cpu_ns()).map(|(a, b)| (b - a) as f64 / 1e6 / reps as f64);
    let nnz = t.values.iter().filter(|&&v| v != 0).count();
    println!(
        "    densest 256x256 tile ({:?}, nnz {nnz}, {} B): decode {:.3} ms wall, {} ms cpu",
        t.layout,
        payload.len(),
        start.elapsed().as_secs_f64() * 1e3 / reps as f64,
        cpu_ms.map_or("?".into(), |ms| format!("{ms:.3}")),
    );
}

/// This thread's CPU time where Linux reports it (the shared machine is busy, so wall time
/// understates single-core speed), wall time otherwise.
struct Clock {
    wall: Instant,
    cpu: Option<u64>,
}

impl Clock {
    fn start() -> Self {
        Self { wall: Instant::now(), cpu: cpu_ns() }
    }

    fn elapsed(&self) -> Duration {
        // The counter advances in scheduler ticks; very short phases fall back to wall time.
        match self.cpu.zip(cpu_ns()) {
            Some((a, b)) if b - a >= 20_000_000 => Duration::from_nanos(b - a),
            _ => self.wall.elapsed(),
        }
    }
}

/// CPU time of this thread in ns (Linux), so timings survive a busy shared machine.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
