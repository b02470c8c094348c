//! `gzcm demo`: the tour — one synthetic map, stored with every codec, read back and compared.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use gzcm::{CodecHandle, Dtype, EncodeOptions};
use gzcm_container::{Reader, ReaderOptions, WriteSummary};
use gzcm_io::{CellStream, SourceError, SyntheticMap, SyntheticParams, Triple};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::args::parse_tile_size;
use crate::out::{out, outln};
use crate::progress;
use crate::table::{Table, bytes};
use gzcm_convert::codec_plan::{CodecPlan, fixed_codec};
use gzcm_convert::ingest::{WriteOptions, write_stream};
use rayon::prelude::*;

/// Generate a synthetic Hi-C map, store it with each registered codec, read random regions back
/// and check them against the generator, verify every file, and print what each codec costs.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Bins per side of the synthetic map.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..))]
    bins: u32,
    /// Seed of the synthetic map (and of the random regions).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Tile edge T, 16..=4096.
    #[arg(long, default_value_t = 256, value_parser = parse_tile_size)]
    tile_size: u32,
    /// Number of random regions read back per codec.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    regions: u32,
    /// Largest edge of a random region, in bins.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    region_size: u32,
    /// Codecs to compare, comma-separated (default: every registered codec that stores u32).
    #[arg(long, value_delimiter = ',')]
    codecs: Vec<String>,
    /// Keep the written files in this directory (default: a temporary directory, removed).
    #[arg(long)]
    keep: Option<PathBuf>,
}

/// A random region and its expected cells.
struct Probe {
    rows: std::ops::Range<u64>,
    cols: std::ops::Range<u64>,
    truth: Array2<u32>,
}

/// One codec's figures.
struct Outcome {
    summary: WriteSummary,
    read_ms: f64,
    regions_ok: bool,
    verified: bool,
}

pub(crate) fn run(args: &DemoArgs) -> anyhow::Result<()> {
    let codecs = codecs(&args.codecs)?;
    let mut params = SyntheticParams::new(args.bins);
    params.seed = args.seed;
    let map = SyntheticMap::new(params);
    let started = Instant::now();
    // Rows are independent random streams: draw them once, in parallel, for the writes and
    // for the expected cells of every region.
    let rows: Vec<Vec<(u32, u32)>> = (0..args.bins).into_par_iter().map(|i| map.row(i)).collect();
    let nnz: u64 = rows.iter().map(|r| r.len() as u64).sum();
    let probes = probes(&map, &rows, args);
    outln!(
        "synthetic Hi-C map {0}×{0}, seed {1}: {nnz} non-zero cells in the upper triangle \
         (generated in {2:.2} s); tiles {3}×{3}; {4} random regions up to {5}×{5}\n",
        args.bins,
        args.seed,
        started.elapsed().as_secs_f64(),
        args.tile_size,
        probes.len(),
        args.region_size
    )?;
    let temp = tempfile::tempdir()?;
    let dir = match &args.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => temp.path().to_owned(),
    };
    let mut table = Table::new(
        &["codec", "file", "bits/nnz", "ratio", "write s", "region read ms", "verified"],
        &[1, 2, 3, 4, 5],
    );
    let mut failures = 0;
    for handle in &codecs {
        let codec = handle.descriptor().name();
        let spinner = progress::spinner(&format!("{codec}: writing and reading back"));
        let outcome = try_codec(&map, &rows, handle, &dir, args, &probes);
        spinner.finish_and_clear();
        match outcome {
            Ok(o) => {
                let ok = o.regions_ok && o.verified;
                failures += usize::from(!ok);
                table.row(row(codec, &o, nnz, ok));
            }
            Err(error) => {
                failures += 1;
                table.row(vec![
                    codec.to_owned(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    format!("✗ {error:#}"),
                ]);
            }
        }
    }
    out!("{}", table.render())?;
    if args.keep.is_some() {
        outln!("\nfiles kept in {}", dir.display())?;
    }
    if failures > 0 {
        anyhow::bail!("{failures} of {} codecs failed the round trip", codecs.len());
    }
    Ok(())
}

fn row(codec: &str, o: &Outcome, nnz: u64, ok: bool) -> Vec<String> {
    let bits = o.summary.file_bytes as f64 * 8.0 / nnz.max(1) as f64;
    vec![
        codec.to_owned(),
        bytes(o.summary.file_bytes),
        format!("{bits:.2}"),
        format!("{:.1}×", o.summary.ratio),
        format!("{:.3}", o.summary.seconds),
        format!("{:.3}", o.read_ms),
        if ok {
            "✓".to_owned()
        } else if !o.regions_ok {
            "✗ regions differ".to_owned()
        } else {
            "✗ verify failed".to_owned()
        },
    ]
}

/// The codecs asked for, or every one that stores `u32`: each looked up and built once.
fn codecs(asked: &[String]) -> anyhow::Result<Vec<Arc<CodecHandle>>> {
    let names: Vec<String> = if asked.is_empty() {
        gzcm::with_registry(|r| {
            r.descriptors().filter(|d| d.supports(Dtype::U32)).map(|d| d.name().to_owned()).collect()
        })
    } else {
        asked.to_vec()
    };
    names.iter().map(|name| Ok(fixed_codec(name, &EncodeOptions::default())?)).collect()
}

/// Random regions with their expected cells, drawn from the seed.
fn probes(map: &SyntheticMap, upper_rows: &[Vec<(u32, u32)>], args: &DemoArgs) -> Vec<Probe> {
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x5eed);
    let n = args.bins;
    let edge = args.region_size.min(n);
    (0..args.regions)
        .map(|_| {
            let (h, w) = (rng.gen_range(1..=edge), rng.gen_range(1..=edge));
            let (r, c) = (rng.gen_range(0..=n - h), rng.gen_range(0..=n - w));
            Probe {
                rows: r.into()..u64::from(r + h),
                cols: c.into()..u64::from(c + w),
                truth: map.window_from_rows(upper_rows, r..r + h, c..c + w),
            }
        })
        .collect()
}

fn try_codec(
    map: &SyntheticMap,
    rows: &[Vec<(u32, u32)>],
    codec: &Arc<CodecHandle>,
    dir: &Path,
    args: &DemoArgs,
    probes: &[Probe],
) -> anyhow::Result<Outcome> {
    let path = dir.join(format!("demo-{}.gzcm", codec.descriptor().name()));
    let options = WriteOptions {
        codecs: CodecPlan::Fixed(Arc::clone(codec)),
        version: gzcm_container::DEFAULT_VERSION,
        tile_size: args.tile_size,
        dtype: Dtype::U32,
        level: None,
        overwrite: true,
        packed_index: true,
        group_tiles: false,
        genome: None,
        writer: format!("gzcm {}", env!("CARGO_PKG_VERSION")),
        progress: Arc::new(gzcm_convert::NoProgress),
    };
    let triples = rows
        .iter()
        .zip(0u32..)
        .flat_map(|(cells, row)| cells.iter().map(move |&(col, value)| Ok(Triple { row, col, value })));
    let triples: Vec<Result<Triple<u32>, SourceError>> = triples.collect();
    let cells = CellStream::Triples(Box::new(triples.into_iter()));
    let summary = write_stream(map.info(), cells, &path, &options)?;
    // No tile cache: every region read decodes its tiles, as a cold random access would.
    let reader = Reader::open_with(&path, ReaderOptions::new().cache_bytes(0))?;
    let started = Instant::now();
    let mut regions_ok = true;
    for probe in probes {
        let cells = reader.window(probe.rows.clone(), probe.cols.clone())?;
        regions_ok &= matches!(cells, gzcm::TileData::U32(ref c) if *c == probe.truth);
    }
    let read_ms = started.elapsed().as_secs_f64() * 1000.0 / probes.len().max(1) as f64;
    let verified = reader.verify().is_ok();
    Ok(Outcome { summary, read_ms, regions_ok, verified })
}
