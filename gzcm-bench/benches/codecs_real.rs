//! Per-codec figures on the real shared Hi-C matrices (and a synthetic one), tile size 256:
//! stored bytes, bits per non-zero cell (upper triangle incl. diagonal), single-core encode and
//! decode MB/s (of raw `u32` tile bytes), mean decode time of a full 256×256 tile, and the mean
//! time of one random-tile read from a `.gzcm` file with the cache off.
//!
//! Run: `cargo bench -p gzcm-bench --bench codecs_real` (optionally `-- NAME...` to pick matrices). Reads
//! `../shared/data` or `$GZCM_TEST_DATA`; skips real matrices, with a message, when absent.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gzcm::{CodecHandle, Dtype, EncodeOptions, Registry, TileContext, TileData, TileShape};
use gzcm_container::{Reader, ReaderOptions, Writer};
use gzcm_io::{MatrixSource, OpenOptions};
use ndarray::Array2;

const TILE: u64 = 256;
const RANDOM_READS: usize = 200;

/// One matrix cut into its stored (upper-triangle, non-empty) tiles.
struct Tiled {
    name: String,
    bins: u64,
    nnz_upper: u64,
    tiles: Vec<((u32, u32), Array2<u32>)>,
    triples: Vec<(u64, u64, u32)>,
}

fn load(name: &str, input: &str) -> Option<Tiled> {
    let source = match MatrixSource::open(input, OpenOptions::default()) {
        Ok(source) => source,
        Err(err) => {
            eprintln!("skipping {name}: {err}");
            return None;
        }
    };
    let bins = u64::from(source.info().shape.rows);
    let mut triples = Vec::new();
    for triple in source.triples::<u32>().expect("triples") {
        let triple = triple.expect("valid cell");
        if triple.row <= triple.col {
            triples.push((u64::from(triple.row), u64::from(triple.col), triple.value));
        }
    }
    triples.sort_unstable();
    let mut tiles: BTreeMap<(u32, u32), Array2<u32>> = BTreeMap::new();
    for &(row, col, value) in &triples {
        let key = ((row / TILE) as u32, (col / TILE) as u32);
        let tile = tiles.entry(key).or_insert_with(|| {
            let edge = |i: u32| (bins - u64::from(i) * TILE).min(TILE) as usize;
            Array2::zeros((edge(key.0), edge(key.1)))
        });
        let (r, c) = ((row % TILE) as usize, (col % TILE) as usize);
        tile[[r, c]] = value;
        if key.0 == key.1 {
            tile[[c, r]] = value;
        }
    }
    Some(Tiled {
        name: name.to_owned(),
        bins,
        nnz_upper: triples.len() as u64,
        tiles: tiles.into_iter().collect(),
        triples,
    })
}

struct Figures {
    bytes: usize,
    encode: Duration,
    decode: Duration,
    full_tile_decode: Option<Duration>,
    random_read: Duration,
}

fn measure(tiled: &Tiled, registry: &Arc<Registry>, codec: &str) -> Figures {
    let handle = CodecHandle::from_registry(registry, codec, &EncodeOptions::default()).expect("codec");
    let mut stored = Vec::with_capacity(tiled.tiles.len());
    let start = Instant::now();
    for ((i, j), tile) in &tiled.tiles {
        let mut out = Vec::new();
        handle.encode_stored(tile.view().into(), &TileContext::new(*i, *j, true), &mut out).expect("encode");
        stored.push(out);
    }
    let encode = start.elapsed();
    let bytes = stored.iter().map(Vec::len).sum();
    let (mut full_time, mut full_count) = (Duration::ZERO, 0u32);
    let start = Instant::now();
    for (((_, _), tile), payload) in tiled.tiles.iter().zip(&stored) {
        let shape = TileShape::new(tile.nrows() as u32, tile.ncols() as u32);
        let tile_start = Instant::now();
        let back = handle.decode_stored(payload, Dtype::U32, Some(shape)).expect("decode");
        if tile.len() == (TILE * TILE) as usize {
            full_time += tile_start.elapsed();
            full_count += 1;
        }
        assert!(back == TileData::U32(tile.clone()), "{codec} changed a tile of {}", tiled.name);
    }
    let decode = start.elapsed();
    let full_tile_decode = (full_count > 0).then(|| full_time / full_count);
    Figures { bytes, encode, decode, full_tile_decode, random_read: random_read(tiled, registry, codec) }
}

/// Writes the matrix with `codec` and times reads of random stored tiles, cache off.
fn random_read(tiled: &Tiled, registry: &Arc<Registry>, codec: &str) -> Duration {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.gzcm");
    let mut writer = Writer::builder(&path, tiled.bins, tiled.bins)
        .symmetric(true)
        .codec(codec)
        .registry(Arc::clone(registry))
        .create()
        .expect("writer");
    for &(row, col, value) in &tiled.triples {
        writer.push(row, col, value).expect("push");
    }
    writer.finish().expect("finish");
    let reader = Reader::open_with(&path, ReaderOptions::new().cache_bytes(0).registry(Arc::clone(registry)))
        .expect("open");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let start = Instant::now();
    for _ in 0..RANDOM_READS {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let ((i, j), _) = &tiled.tiles[(state % tiled.tiles.len() as u64) as usize];
        std::hint::black_box(reader.tile(*i, *j).expect("tile"));
    }
    start.elapsed() / RANDOM_READS as u32
}

fn mb_per_s(tiled: &Tiled, elapsed: Duration) -> f64 {
    let raw: usize = tiled.tiles.iter().map(|(_, t)| t.len() * 4).sum();
    raw as f64 / 1e6 / elapsed.as_secs_f64()
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    // Absent data: the real matrices are skipped one by one, each with a message.
    let dir = gzcm_test_support::data_dir().unwrap_or_default();
    let inputs = [
        ("gm12878_rao2014_2500kb", dir.join("gm12878_rao2014_2500kb.npy").display().to_string()),
        ("yeast_10kb", dir.join("yeast_10kb.npy").display().to_string()),
        ("mouse_mm9_chr1_20kb", dir.join("mouse_mm9_chr1_20kb.npy.zst").display().to_string()),
        ("yeast_duan2009_10kb", dir.join("yeast_duan2009_10kb.npy").display().to_string()),
        ("gm12878_chr22_250kb", dir.join("gm12878_chr22_250kb.npy").display().to_string()),
        ("synthetic_4096", "synthetic:4096:seed=11".to_owned()),
    ];
    let mut registry = Registry::empty();
    gzcm::codecs::register_builtins(&mut registry).expect("builtins");
    let registry = Arc::new(registry);
    println!(
        "| matrix | codec | bytes | bits/nnz | encode MB/s | decode MB/s | 256² tile decode µs | random tile read µs |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, input) in inputs {
        if !wanted.is_empty() && !wanted.iter().any(|w| name.contains(w.as_str())) {
            continue;
        }
        let Some(tiled) = load(name, &input) else { continue };
        for codec in gzcm::codecs::BUILTIN_NAMES {
            let f = measure(&tiled, &registry, codec);
            println!(
                "| {} | {codec} | {} | {:.2} | {:.1} | {:.1} | {} | {:.0} |",
                tiled.name,
                f.bytes,
                8.0 * f.bytes as f64 / tiled.nnz_upper as f64,
                mb_per_s(&tiled, f.encode),
                mb_per_s(&tiled, f.decode),
                f.full_tile_decode.map_or("–".to_owned(), |d| format!("{:.0}", d.as_secs_f64() * 1e6)),
                f.random_read.as_secs_f64() * 1e6,
            );
        }
    }
}
