//! Mean time of one random stored-tile read, cache off, for each `.gzcm` file given:
//! `cargo run --release -p gzcm-bench --example read_tiles -- FILE... [--reads N]`.
//! Prints file bytes, version, codecs used and the mean read time in µs.

use std::time::Instant;

use gzcm::container::{Reader, ReaderOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reads = args
        .iter()
        .position(|a| a == "--reads")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(500usize);
    let _ = gzcm::list_codecs();
    println!("| file | bytes | version | codecs | random tile read µs |");
    println!("|---|---|---|---|---|");
    for path in args.iter().filter(|a| a.ends_with(".gzcm")) {
        let reader = match Reader::open_with(path, ReaderOptions::new().cache_bytes(0)) {
            Ok(reader) => reader,
            Err(err) => {
                eprintln!("{path}: {err}");
                continue;
            }
        };
        let tiles: Vec<(u32, u32)> = reader.stored_tiles().map(|t| (t.tile_row, t.tile_col)).collect();
        let codecs: Vec<String> = reader.header().codecs.iter().map(|c| c.name.clone()).collect();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let start = Instant::now();
        for _ in 0..reads {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let (i, j) = tiles[(state % tiles.len() as u64) as usize];
            std::hint::black_box(reader.tile(i, j).expect("tile"));
        }
        let mean_us = start.elapsed().as_secs_f64() * 1e6 / reads as f64;
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!("| {path} | {bytes} | {} | {} | {mean_us:.0} |", reader.version(), codecs.join(","));
    }
}
