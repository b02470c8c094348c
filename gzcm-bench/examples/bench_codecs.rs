//! The codec table of the README: for every shared matrix and every codec, the whole `.gzcm`
//! file (v3, packed index, header included) and the same with the 32-byte index, its ratio to
//! cooler's `.cool`, bits per non-zero
//! (upper triangle incl. diagonal), the decode time of the densest full tile (off the diagonal
//! when there is one: a symmetric file's diagonal tiles store half their cells), and the median
//! time of a 256² window read at given origins (one open reader, tile cache off; a matrix smaller than a window is read whole),
//! and the encode throughput of the codec on the matrix's stored tiles (dense `u32` bytes of
//! the upper tiles, diagonal tiles whole, each encoded with its tile context): on one core,
//! tile after tile, and on every core (rayon's pool), the better of `ENCODE_PASSES` passes.
//!
//! Where `$GZCM_BENCH_FLOORS` names a file of `matrix<TAB>bytes` lines (the payload floor of
//! `scripts/size-floor.py`), the table also gives each file's payload bytes as a multiple of it.
//!
//! Run through `scripts/bench-codecs`, which computes the origins with numpy (and times cooler on
//! the same windows, and the floors with scipy); by hand:
//! `cargo run --release -p gzcm-bench --example bench_codecs -- WINDOWS.tsv [CODEC...]`, where
//! each line of `WINDOWS.tsv` is `matrix<TAB>row<TAB>col` (an optional 4th column, cooler's
//! read time of that window in ms). Matrices come from `../shared/data` or `$GZCM_TEST_DATA`.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use gzcm::{CodecHandle, EncodeOptions, Registry, TileContext, TileData};
use gzcm_container::{Reader, ReaderOptions, WriteSummary, Writer};
use gzcm_io::{MatrixSource, OpenOptions};
use ndarray::Array2;
use rayon::prelude::*;

const WINDOW: u64 = 256;
const TILE_REPEATS: usize = 9;
const ENCODE_PASSES: usize = 3;
/// The tile edge the files are written with (the writer's default).
const TILE: u64 = gzcm::grid::DEFAULT_TILE_SIZE as u64;

/// The windows of one matrix and cooler's time for each, when measured.
#[derive(Default)]
struct Windows {
    origins: Vec<(u64, u64)>,
    cooler_ms: Vec<f64>,
}

/// The windows of each matrix, in the file's order.
fn parse_windows(path: &Path) -> Vec<(String, Windows)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut out: Vec<(String, Windows)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(fields.len() >= 3, "bad line `{line}` in {}", path.display());
        if out.last().is_none_or(|(name, _)| name != fields[0]) {
            out.push((fields[0].to_owned(), Windows::default()));
        }
        let entry = &mut out.last_mut().expect("just pushed").1;
        entry.origins.push((fields[1].parse().expect("row"), fields[2].parse().expect("col")));
        if let Some(ms) = fields.get(3) {
            entry.cooler_ms.push(ms.parse().expect("cooler ms"));
        }
    }
    out
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Upper-triangle cells (incl. diagonal) of the matrix, and its edge.
fn load(input: &Path) -> (u64, Vec<(u64, u64, u32)>) {
    let source =
        MatrixSource::open(&input.display().to_string(), OpenOptions::default()).expect("open matrix");
    let bins = u64::from(source.info().shape.rows);
    let mut triples = Vec::new();
    for triple in source.triples::<u32>().expect("triples") {
        let t = triple.expect("valid cell");
        if t.row <= t.col {
            triples.push((u64::from(t.row), u64::from(t.col), t.value));
        }
    }
    triples.sort_unstable();
    (bins, triples)
}

/// The payload floor of each matrix that has one (`$GZCM_BENCH_FLOORS`).
fn floors() -> Vec<(String, f64)> {
    let Some(path) = std::env::var_os("GZCM_BENCH_FLOORS") else { return Vec::new() };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (name, bytes) = line.split_once('\t')?;
            Some((name.to_owned(), bytes.trim().parse().ok()?))
        })
        .collect()
}

struct Row {
    bytes: u64,
    payload_bytes: u64,
    records_bytes: u64,
    /// `None` when the matrix has no full tile.
    tile_us: Option<f64>,
    window_ms: f64,
}

/// The non-empty upper tiles (`tile_row <= tile_col`) of the matrix, dense, with their context.
fn upper_tiles(bins: u64, triples: &[(u64, u64, u32)], t: u64) -> Vec<(TileContext, Array2<u32>)> {
    let mut tiles: std::collections::BTreeMap<(u64, u64), Array2<u32>> = std::collections::BTreeMap::new();
    for &(row, col, value) in triples {
        let key = (row / t, col / t);
        let tile = tiles.entry(key).or_insert_with(|| {
            let rows = t.min(bins - key.0 * t) as usize;
            let cols = t.min(bins - key.1 * t) as usize;
            Array2::zeros((rows, cols))
        });
        let (r, c) = ((row % t) as usize, (col % t) as usize);
        tile[[r, c]] = value;
        if key.0 == key.1 {
            tile[[c, r]] = value;
        }
    }
    tiles.into_iter().map(|((i, j), tile)| (TileContext::new(i as u32, j as u32, true), tile)).collect()
}

/// Encode throughput in MB/s (dense `u32` bytes per second) on one core and on every core.
fn encode_mb_s(codec: &str, tiles: &[(TileContext, Array2<u32>)]) -> (f64, f64) {
    let handle =
        CodecHandle::new(gzcm::get_codec(codec).expect("codec"), &EncodeOptions::default()).expect("handle");
    let encode = |(context, tile): &(TileContext, Array2<u32>)| {
        let mut out = Vec::new();
        handle.encode_stored(tile.view().into(), context, &mut out).expect("encode");
        out.len()
    };
    let bytes: usize = tiles.iter().map(|(_, tile)| tile.len() * 4).sum();
    let best = |run: &dyn Fn() -> usize| {
        (0..ENCODE_PASSES)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(run());
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let one = best(&|| tiles.iter().map(encode).sum());
    let all = best(&|| tiles.par_iter().map(encode).sum());
    (bytes as f64 / 1e6 / one, bytes as f64 / 1e6 / all)
}

/// Writes the matrix with `codec`, packed index or 32-byte records; returns the file's bytes.
fn write(
    path: &Path,
    registry: &Arc<Registry>,
    bins: u64,
    triples: &[(u64, u64, u32)],
    codec: &str,
    packed: bool,
) -> WriteSummary {
    let mut writer = Writer::builder(path, bins, bins)
        .symmetric(true)
        .codec(codec)
        .packed_index(packed)
        .overwrite(true)
        .registry(Arc::clone(registry))
        .create()
        .expect("writer");
    for &(row, col, value) in triples {
        writer.push(row, col, value).expect("push");
    }
    writer.finish().expect("finish")
}

fn measure(path: &Path, bins: u64, triples: &[(u64, u64, u32)], codec: &str, windows: &Windows) -> Row {
    let registry = Arc::new(gzcm::with_registry(Registry::clone));
    let records_bytes = write(path, &registry, bins, triples, codec, false).file_bytes;
    let packed = write(path, &registry, bins, triples, codec, true);
    let (tile_us, window_ms) = reads(path, bins, windows);
    Row { bytes: packed.file_bytes, payload_bytes: packed.payload_bytes, records_bytes, tile_us, window_ms }
}

/// The file `gzcm convert COOL OUT` writes with no codec flags: its bytes, payload bytes, and
/// read figures.
fn measure_default(cool: &Path, path: &Path, bins: u64, windows: &Windows) -> (u64, u64, Option<f64>, f64) {
    let settings = gzcm_convert::Settings { overwrite: true, ..gzcm_convert::Settings::default() };
    let converted = gzcm_convert::convert(
        cool.to_str().expect("a UTF-8 path"),
        path,
        &settings,
        &gzcm_convert::InputOptions::default(),
    )
    .expect("convert");
    let gzcm_convert::Conversion::File(converted) = converted else { panic!("one resolution") };
    let (tile_us, window_ms) = reads(path, bins, windows);
    (converted.summary.file_bytes, converted.summary.payload_bytes, tile_us, window_ms)
}

/// The median decode µs of the densest full tile and the median window ms of `path`.
fn reads(path: &Path, bins: u64, windows: &Windows) -> (Option<f64>, f64) {
    let registry = Arc::new(gzcm::with_registry(Registry::clone));
    let reader =
        Reader::open_with(path, ReaderOptions::new().cache_bytes(0).registry(registry)).expect("open");
    let t = reader.tile_size();
    // Off-diagonal tiles first: in a symmetric file a diagonal tile codes only its upper
    // triangle, so it would understate the decode time of a full dense tile.
    let densest = reader
        .stored_tiles()
        .filter(|e| e.shape.rows == t && e.shape.cols == t)
        .max_by_key(|e| (e.tile_row != e.tile_col, e.nnz.unwrap_or(0)));
    let tile_us = densest.map(|densest| {
        median(
            (0..TILE_REPEATS)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(reader.tile(densest.tile_row, densest.tile_col).expect("tile"));
                    start.elapsed().as_secs_f64() * 1e6
                })
                .collect(),
        )
    });
    let window_ms = median(
        windows
            .origins
            .iter()
            .map(|&(r, c)| {
                let start = Instant::now();
                let window: TileData =
                    reader.window(r..(r + WINDOW).min(bins), c..(c + WINDOW).min(bins)).expect("window");
                std::hint::black_box(window);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    );
    (tile_us, window_ms)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let windows_file = args.first().expect("usage: bench_codecs WINDOWS.tsv [CODEC|default...]");
    let windows = parse_windows(Path::new(windows_file));
    let wanted: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    let Some(dir) = gzcm_test_support::data_dir() else {
        eprintln!(
            "bench_codecs: no shared data directory (../shared/data or $GZCM_TEST_DATA); nothing to measure"
        );
        return;
    };
    let scratch = tempfile::tempdir().expect("temp dir");
    let floors = floors();
    println!(
        "| matrix | codec | file bytes | × cooler | with 32-byte index | bits/nnz | dense tile decode µs | 256² window ms (median of {}) | cooler window ms | cooler ÷ gzcm | encode MB/s, 1 core | encode MB/s, {} cores | payload × floor |",
        windows.iter().map(|(_, w)| w.origins.len()).max().unwrap_or(0),
        rayon::current_num_threads()
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, wins) in &windows {
        let Some(input) = gzcm_test_support::data_file(name) else { continue };
        let cool = std::fs::metadata(dir.join(format!("{name}.cool"))).map(|m| m.len()).ok();
        let (bins, triples) = load(&input);
        let tiles = upper_tiles(bins, &triples, TILE);
        let cooler_ms = median(wins.cooler_ms.clone());
        let floor = floors.iter().find(|(n, _)| n == name).map(|&(_, bytes)| bytes);
        if wanted.is_empty() || wanted.contains(&"default") {
            let path = scratch.path().join(format!("{name}.default.gzcm"));
            let (bytes, payload_bytes, tile_us, window_ms) =
                measure_default(&dir.join(format!("{name}.cool")), &path, bins, wins);
            std::fs::remove_file(&path).ok();
            let ratio = cool.map_or("–".to_owned(), |c| format!("{:.3}", bytes as f64 / c as f64));
            let speedup =
                if cooler_ms.is_nan() { "–".to_owned() } else { format!("{:.1}×", cooler_ms / window_ms) };
            let over_floor = floor.map_or("–".to_owned(), |f| format!("{:.3}", payload_bytes as f64 / f));
            println!(
                "| {name} | (default: `gzcm convert` of the .cool) | {bytes} | {ratio} | – | {:.2} | {} | {window_ms:.2} | {cooler_ms:.1} | {speedup} | – | – | {over_floor} |",
                8.0 * bytes as f64 / triples.len() as f64,
                tile_us.map_or("– (no full tile)".to_owned(), |us| format!("{us:.0}")),
            );
        }
        for codec in
            gzcm::codecs::BUILTIN_NAMES.iter().copied().filter(|c| wanted.is_empty() || wanted.contains(c))
        {
            let path = scratch.path().join(format!("{name}.{codec}.gzcm"));
            let row = measure(&path, bins, &triples, codec, wins);
            let (one_core, all_cores) = encode_mb_s(codec, &tiles);
            std::fs::remove_file(&path).ok();
            let ratio = cool.map_or("–".to_owned(), |c| format!("{:.3}", row.bytes as f64 / c as f64));
            let (cooler, speedup) = if cooler_ms.is_nan() {
                ("–".to_owned(), "–".to_owned())
            } else {
                (format!("{cooler_ms:.1}"), format!("{:.1}×", cooler_ms / row.window_ms))
            };
            let over_floor =
                floor.map_or("–".to_owned(), |f| format!("{:.3}", row.payload_bytes as f64 / f));
            let records_ratio =
                cool.map_or("–".to_owned(), |c| format!("{:.3}", row.records_bytes as f64 / c as f64));
            println!(
                "| {name} | {codec} | {} | {ratio} | {} ({records_ratio}) | {:.2} | {} | {:.2} | {cooler} | {speedup} | {one_core:.1} | {all_cores:.1} | {over_floor} |",
                row.bytes,
                row.records_bytes,
                8.0 * row.bytes as f64 / triples.len() as f64,
                row.tile_us.map_or("– (no full tile)".to_owned(), |us| format!("{us:.0}")),
                row.window_ms,
            );
        }
    }
}
