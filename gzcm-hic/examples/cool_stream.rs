//! Streams every pixel of a cooler file (or `file.mcool::/resolutions/R`) and prints a summary:
//! `cargo run --release -p gzcm-hic --example cool_stream -- FILE[::GROUP] [--chrom NAME]`.

use gzcm_hic::{OpenOptions, open};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let spec = args.next().ok_or("usage: cool_stream FILE[::GROUP] [--chrom NAME]")?;
    let mut options = OpenOptions::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--chrom" => options.chrom = Some(args.next().ok_or("--chrom needs a name")?),
            "--resolution" => {
                options.resolution = Some(args.next().ok_or("--resolution needs R")?.parse()?);
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let started = std::time::Instant::now();
    let mut source = open(&spec, &options)?;
    let (bins, chroms) = (source.genome().n_bins(), source.genome().chroms().len());
    let weights: Vec<String> = source.genome().weights().iter().map(|w| w.name.clone()).collect();
    let (mut pixels, mut sum) = (0u64, 0f64);
    for pixel in source.pixels()? {
        let pixel = pixel?;
        pixels += 1;
        sum += pixel.count;
    }
    println!(
        "{}: {chroms} chroms, {bins} bins, weights {weights:?}, {pixels} pixels, sum {sum}, {:.3} s",
        source.describe(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
