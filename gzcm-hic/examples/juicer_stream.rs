//! Streams every pixel of `.hic` files at every resolution (or those given) and prints counts,
//! sums and the time taken — the figures for the note's benchmark table (peak RSS: run it under
//! `/usr/bin/time -v`).
//!
//! ```text
//! cargo run --release -p gzcm-hic --example juicer_stream -- FILE.hic [FILE.hic …] [--resolution R]
//! ```

use std::time::Instant;

use gzcm_hic::{HicError, OpenOptions, WeightSelection, open};

fn main() -> Result<(), HicError> {
    let mut files = Vec::new();
    let mut resolutions = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--resolution" {
            let value = args.next().unwrap_or_default();
            match value.parse() {
                Ok(r) => resolutions.push(r),
                Err(_) => {
                    eprintln!("--resolution needs a number of base pairs, not `{value}`");
                    std::process::exit(2);
                }
            }
        } else {
            files.push(arg);
        }
    }
    if files.is_empty() {
        eprintln!("usage: juicer_stream FILE.hic [FILE.hic …] [--resolution R]…");
        std::process::exit(2);
    }
    for file in &files {
        let wanted = if resolutions.is_empty() { resolutions_of(file)? } else { resolutions.clone() };
        for resolution in wanted {
            stream(file, resolution)?;
        }
    }
    Ok(())
}

/// Every resolution of `file`, from the error that asking for none gives.
fn resolutions_of(file: &str) -> Result<Vec<u64>, HicError> {
    let options = OpenOptions { weights: WeightSelection::None, ..OpenOptions::default() };
    match open(file, &options) {
        Ok(source) => Ok(source.genome().resolution().into_iter().collect()),
        Err(HicError::Resolution { available, .. }) => Ok(available),
        Err(e) => Err(e),
    }
}

fn stream(file: &str, resolution: u64) -> Result<(), HicError> {
    let start = Instant::now();
    let options = OpenOptions { resolution: Some(resolution), ..OpenOptions::default() };
    let mut source = open(file, &options)?;
    let opened = start.elapsed();
    let n_bins = source.genome().n_bins();
    let count_type = source.count_type();
    let n_weights = source.genome().weights().len();
    let (mut pixels, mut sum) = (0u64, 0.0f64);
    let streamed = Instant::now();
    for pixel in source.pixels()? {
        let pixel = pixel?;
        pixels += 1;
        sum += pixel.count;
    }
    println!(
        "{file}\t{resolution} bp\t{n_bins} bins\t{pixels} pixels\tsum {sum}\t{count_type:?}\t{n_weights} weight vectors\topen+scan {:.3} s\tstream {:.3} s",
        opened.as_secs_f64(),
        streamed.elapsed().as_secs_f64()
    );
    Ok(())
}
