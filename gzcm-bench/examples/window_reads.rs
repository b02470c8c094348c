//! Local window reads of `.gzcm` files, for comparing files of one matrix (say v3 `zstd` against
//! v4 `--adaptive`, or two tile sizes):
//!
//! `cargo run --release -p gzcm-bench --example window_reads -- FILE... [--windows N]`
//!
//! Per file: its bytes, its tile size, and the mean and median of `N` (default 25) cold 256²
//! windows at seeded random origins (tile cache off, memory-mapped), decoded on 1 thread and on
//! every core. Every file of one matrix gets the same origins.

use gzcm_container::{Reader, ReaderOptions};

#[path = "common/windows.rs"]
mod windows;

use windows::{median, origins, time_windows};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let windows: usize = args
        .iter()
        .position(|a| a == "--windows")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse().expect("--windows takes a number"))
        .unwrap_or(25);
    let files: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|&(i, a)| !a.starts_with("--") && (i == 0 || args[i - 1] != "--windows"))
        .map(|(_, a)| a)
        .collect();
    if files.is_empty() {
        eprintln!("usage: window_reads FILE... [--windows N]");
        std::process::exit(2);
    }
    let _ = gzcm::list_codecs();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "| file | bytes | tile | mean ms, 1 thread | median ms, 1 thread | mean ms, {cores} threads | median ms, {cores} threads |"
    );
    println!("|---|---|---|---|---|---|---|");
    for file in files {
        let open = |threads: usize| {
            Reader::open_with(file, ReaderOptions::new().cache_bytes(0).decode_threads(threads))
                .unwrap_or_else(|e| panic!("{file}: {e}"))
        };
        let (serial, parallel) = (open(1), open(cores));
        let origins = origins(&serial, windows);
        let one = time_windows(&serial, &origins);
        let all = time_windows(&parallel, &origins);
        let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
        println!(
            "| {file} | {bytes} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            serial.tile_size(),
            mean(&one),
            median(&mut one.clone()),
            mean(&all),
            median(&mut all.clone())
        );
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}
