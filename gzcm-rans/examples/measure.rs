//! Sizes and decode times of `gzcm-rans` on the shared matrices' 256² tiles (upper tiles only,
//! diagonal ones by their upper triangle): `cargo run --release -p gzcm-rans --example measure`.
//! Payload bytes only (no file header, index or framing); every tile is checked to round-trip.
//! Decode figures: the densest full tile (median) and the mean over every tile (sparse maps; the
//! fastest of `MEASURE_PASSES` passes, default 3).
//! Arguments pick matrices by name; `MEASURE_REPEATS` (default 9) sets how many decodes of the
//! densest full tile the median is taken over. Data: `$GZCM_TEST_DATA` or `../shared/data`.

use std::time::Instant;

use gzcm_rans::{TileLayout, decode, encode};

const MATRICES: [&str; 4] =
    ["gm12878_rao2014_2500kb", "yeast_10kb", "mouse_mm9_chr1_20kb", "yeast_duan2009_10kb"];
const SIZE: usize = 256;

fn main() {
    let only: Vec<String> = std::env::args().skip(1).collect();
    for name in MATRICES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let Some(dense) = gzcm_test_support::load_rows::<u32>(name, usize::MAX) else { continue };
        let (n, _) = dense.shape;
        let m = dense.rows.into_raw_vec_and_offset().0;
        let nnz: usize = (0..n).map(|r| m[r * n + r..(r + 1) * n].iter().filter(|&&v| v != 0).count()).sum();
        let (mut bytes, mut tiles) = (0usize, 0usize);
        let mut densest: Option<(usize, Vec<u8>, usize, usize)> = None;
        let mut stored: Vec<(Vec<u8>, usize, usize)> = Vec::new();
        let started = Instant::now();
        for ti in 0..n.div_ceil(SIZE) {
            for tj in ti..n.div_ceil(SIZE) {
                let (r0, c0) = (ti * SIZE, tj * SIZE);
                let (rows, cols) = (SIZE.min(n - r0), SIZE.min(n - c0));
                let values: Vec<u32> =
                    (r0..r0 + rows).flat_map(|r| m[r * n + c0..r * n + c0 + cols].iter().copied()).collect();
                if values.iter().all(|&v| v == 0) {
                    continue;
                }
                let layout = if ti == tj { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal };
                let mut payload = Vec::new();
                encode(&values, rows, cols, layout, &mut payload).unwrap();
                let mut back = vec![0; rows * cols];
                decode(&payload, rows, cols, &mut back).unwrap();
                assert_eq!(back, values, "{name} tile ({ti}, {tj})");
                bytes += payload.len();
                tiles += 1;
                let filled = values.iter().filter(|&&v| v != 0).count();
                if rows == SIZE && cols == SIZE && densest.as_ref().is_none_or(|d| filled > d.0) {
                    densest = Some((filled, payload.clone(), rows, cols));
                }
                stored.push((payload, rows, cols));
            }
        }
        let encode_s = started.elapsed().as_secs_f64();
        let decode_us = densest.map_or(f64::NAN, |(_, payload, rows, cols)| {
            let mut out = vec![0; rows * cols];
            let repeats = std::env::var("MEASURE_REPEATS").ok().and_then(|r| r.parse().ok()).unwrap_or(9);
            let mut times: Vec<f64> = (0..repeats)
                .map(|_| {
                    let t = Instant::now();
                    decode(&payload, rows, cols, &mut out).unwrap();
                    t.elapsed().as_secs_f64() * 1e6
                })
                .collect();
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        });
        let every_us = mean_decode_us(&stored);
        println!(
            "{name}: {tiles} tiles, {bytes} payload bytes, {:.3} bits/nnz, densest full tile decode {decode_us:.0} µs, mean tile decode {every_us:.0} µs (encode all {encode_s:.1} s)",
            bytes as f64 * 8.0 / nnz as f64
        );
    }
}

/// Mean decode time of every stored tile (three passes, the fastest kept): what a window over a
/// sparse map pays per tile, where the densest tile says little.
fn mean_decode_us(stored: &[(Vec<u8>, usize, usize)]) -> f64 {
    let mut out = Vec::new();
    let passes = std::env::var("MEASURE_PASSES").ok().and_then(|p| p.parse().ok()).unwrap_or(3);
    let best = (0..passes)
        .map(|_| {
            let t = Instant::now();
            for (payload, rows, cols) in stored {
                out.resize(rows * cols, 0);
                decode(payload, *rows, *cols, &mut out).unwrap();
            }
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    best * 1e6 / stored.len().max(1) as f64
}
