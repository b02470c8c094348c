//! Stored bytes and decode time of `gzcm-nac` on the upper-triangle 256² tiles of shared
//! matrices: `cargo run --release -p gzcm-nac --example measure -- [NAME...]`.

use std::time::Instant;

use gzcm_nac::{Walk, decode, encode};

const T: usize = 256;

fn main() {
    let names: Vec<String> = std::env::args().skip(1).collect();
    let names = if names.is_empty() {
        vec!["gm12878_rao2014_2500kb".to_owned(), "yeast_10kb".to_owned(), "yeast_duan2009_10kb".to_owned()]
    } else {
        names
    };
    for name in names {
        let Some(dense) = gzcm_test_support::load_rows::<u32>(&name, usize::MAX) else { continue };
        let n = dense.shape.0;
        let (mut bytes, mut full_time, mut full_tiles, mut tiles) = (0usize, 0f64, 0u32, 0u32);
        for i in 0..n.div_ceil(T) {
            for j in i..n.div_ceil(T) {
                let (rows, cols) = ((n - i * T).min(T), (n - j * T).min(T));
                let tile: Vec<u32> = (0..rows)
                    .flat_map(|r| (0..cols).map(move |c| (r, c)))
                    .map(|(r, c)| dense.rows[[i * T + r, j * T + c]])
                    .collect();
                if tile.iter().all(|&v| v == 0) {
                    continue;
                }
                let walk = if i == j { Walk::UpperTriangle } else { Walk::Full };
                let mut payload = Vec::new();
                encode(&tile, rows, cols, walk, &mut payload).expect("encode");
                bytes += payload.len() + 8 + 32;
                tiles += 1;
                let mut back = vec![0u32; rows * cols];
                let start = Instant::now();
                decode(&payload, rows, cols, &mut back).expect("decode");
                let elapsed = start.elapsed().as_secs_f64();
                assert_eq!(back, tile);
                if rows == T && cols == T {
                    full_time += elapsed;
                    full_tiles += 1;
                }
            }
        }
        println!(
            "{name}: {tiles} tiles, {bytes} bytes (payload + 8 framing + 32 index each), full tile decode {:.0} µs",
            full_time / f64::from(full_tiles.max(1)) * 1e6
        );
    }
}
