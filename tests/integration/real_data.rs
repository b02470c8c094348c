//! Every built-in codec round-trips every real shared matrix through a `.gzcm` file: each stored
//! tile read back equals the source cell for cell. Skipped, with a printed reason, when the
//! shared data is absent. Integer-only codecs must refuse the KR-balanced float matrix.

use std::collections::BTreeMap;
use std::sync::Arc;

use gzcm::container::{Reader, ReaderOptions, Writer};
use gzcm::{Dtype, Registry, TileData};
use gzcm_io::{MatrixSource, OpenOptions};
use ndarray::Array2;

use gzcm_test_support::data_path;

const TILE: u64 = 256;

/// A matrix as sorted triples (upper triangle for symmetric ones) and its expected tiles.
struct Truth<T> {
    rows: u64,
    cols: u64,
    symmetric: bool,
    triples: Vec<(u64, u64, T)>,
    tiles: BTreeMap<(u32, u32), Array2<T>>,
}

fn load<T: gzcm_io::CellValue + gzcm::Element>(file: &str) -> Option<Truth<T>> {
    let path = data_path(file)?;
    let source = MatrixSource::open(&path.display().to_string(), OpenOptions::default()).expect(file);
    let info = source.info().clone();
    let (rows, cols) = (u64::from(info.shape.rows), u64::from(info.shape.cols));
    let mut triples: Vec<(u64, u64, T)> = source
        .triples::<T>()
        .expect(file)
        .map(|t| t.map(|t| (u64::from(t.row), u64::from(t.col), t.value)).expect(file))
        .filter(|&(r, c, _)| !info.symmetric || r <= c)
        .collect();
    triples.sort_by_key(|&(r, c, _)| (r, c));
    let mut tiles = BTreeMap::new();
    for &(r, c, v) in &triples {
        let key = ((r / TILE) as u32, (c / TILE) as u32);
        let tile = tiles.entry(key).or_insert_with(|| {
            Array2::from_elem(
                (
                    (rows - u64::from(key.0) * TILE).min(TILE) as usize,
                    (cols - u64::from(key.1) * TILE).min(TILE) as usize,
                ),
                T::default(),
            )
        });
        tile[[(r % TILE) as usize, (c % TILE) as usize]] = v;
        if info.symmetric && key.0 == key.1 {
            tile[[(c % TILE) as usize, (r % TILE) as usize]] = v;
        }
    }
    Some(Truth { rows, cols, symmetric: info.symmetric, triples, tiles })
}

impl<T: Copy> Truth<T> {
    /// The top-left `n × n` block (whole tiles: `n` is a multiple of the tile edge).
    fn corner(&self, n: u64) -> Self {
        let keep = |r: u64, c: u64| r < n && c < n;
        Truth {
            rows: self.rows.min(n),
            cols: self.cols.min(n),
            symmetric: self.symmetric,
            triples: self.triples.iter().copied().filter(|&(r, c, _)| keep(r, c)).collect(),
            tiles: self
                .tiles
                .iter()
                .filter(|&(&(i, j), _)| keep(u64::from(i) * TILE, u64::from(j) * TILE))
                .map(|(&key, tile)| (key, tile.clone()))
                .collect(),
        }
    }
}

/// The model codecs, whose encoders fit and code every cell (tens of ms per sparse tile for
/// `rans`): on the largest map they round-trip its top-left corner only, to keep the suite short.
const MODEL_CODECS: [&str; 3] = ["bsc_cmc", "cmc", "rans"];

fn registry() -> Arc<Registry> {
    let mut registry = Registry::empty();
    gzcm::codecs::register_builtins(&mut registry).unwrap();
    Arc::new(registry)
}

fn write<T: gzcm::Element>(
    truth: &Truth<T>,
    dtype: Dtype,
    codec: &str,
    path: &std::path::Path,
) -> Result<(), String> {
    let mut writer = Writer::builder(path, truth.rows, truth.cols)
        .symmetric(truth.symmetric)
        .dtype(dtype)
        .codec(codec)
        .registry(registry())
        .create()
        .map_err(|e| e.to_string())?;
    for &(r, c, v) in &truth.triples {
        writer.push(r, c, v).map_err(|e| e.to_string())?;
    }
    writer.finish().map(|_| ()).map_err(|e| e.to_string())
}

fn round_trip_every_codec<T>(file: &str, dtype: Dtype, wrap: fn(Array2<T>) -> TileData)
where
    T: gzcm_io::CellValue + gzcm::Element,
{
    round_trip_every_codec_with(file, dtype, wrap, None);
}

/// As [`round_trip_every_codec`]; with `model_corner`, the [`MODEL_CODECS`] take only that
/// top-left corner of the matrix.
fn round_trip_every_codec_with<T>(
    file: &str,
    dtype: Dtype,
    wrap: fn(Array2<T>) -> TileData,
    model_corner: Option<u64>,
) where
    T: gzcm_io::CellValue + gzcm::Element,
{
    let Some(whole) = load::<T>(file) else { return };
    let corner = model_corner.map(|n| whole.corner(n));
    let dir = tempfile::tempdir().unwrap();
    for codec in gzcm::codecs::BUILTIN_NAMES {
        let truth = match &corner {
            Some(corner) if MODEL_CODECS.contains(&codec) => corner,
            _ => &whole,
        };
        let path = dir.path().join(format!("{codec}.gzcm"));
        write(truth, dtype, codec, &path).unwrap_or_else(|e| panic!("{file} with {codec}: {e}"));
        let reader =
            Reader::open_with(&path, ReaderOptions::new().cache_bytes(0).registry(registry())).unwrap();
        assert_eq!(reader.stored_tiles().count(), truth.tiles.len(), "{file} with {codec}");
        for (&(i, j), expected) in &truth.tiles {
            let tile =
                reader.tile(i, j).unwrap_or_else(|e| panic!("{file} tile ({i}, {j}) with {codec}: {e}"));
            assert!(tile == wrap(expected.clone()), "{file} tile ({i}, {j}) differs with {codec}");
        }
        eprintln!("{file}: {codec} {} bytes", std::fs::metadata(&path).unwrap().len());
    }
}

#[test]
fn yeast_duan2009_round_trips_with_every_codec() {
    round_trip_every_codec::<u32>("yeast_duan2009_10kb.npy", Dtype::U32, TileData::U32);
}

#[test]
fn yeast_10kb_round_trips_with_every_codec() {
    round_trip_every_codec::<u32>("yeast_10kb.npy", Dtype::U32, TileData::U32);
}

#[test]
fn gm12878_genome_round_trips_with_every_codec() {
    round_trip_every_codec::<u32>("gm12878_rao2014_2500kb.npy", Dtype::U32, TileData::U32);
}

#[test]
fn mouse_chr1_from_compressed_npy_round_trips_with_every_codec() {
    // 9,760 bins, 780 mostly sparse tiles; the model codecs take the first 2,560 bins (55 tiles).
    round_trip_every_codec_with::<u32>(
        "mouse_mm9_chr1_20kb.npy.zst",
        Dtype::U32,
        TileData::U32,
        Some(10 * TILE),
    );
}

#[test]
fn gm12878_chr22_from_coo_round_trips_with_every_codec() {
    round_trip_every_codec::<u32>("gm12878_chr22_250kb.coo.tsv", Dtype::U32, TileData::U32);
}

#[test]
fn rectangular_inter_chromosomal_block_round_trips_with_every_codec() {
    round_trip_every_codec::<u32>("gm12878_chr22_x_250kb_inter.npy", Dtype::U32, TileData::U32);
}

#[test]
fn integer_counts_stored_as_float32_round_trip_with_every_codec() {
    round_trip_every_codec::<f32>("yeast_duan2009_10kb.npy", Dtype::F32, TileData::F32);
}

#[test]
fn balanced_floats_round_trip_with_byte_codecs_and_are_refused_by_integer_codecs() {
    let Some(truth) = load::<f32>("gm12878_chr22_250kb_KR.npy") else { return };
    let dir = tempfile::tempdir().unwrap();
    for codec in gzcm::codecs::BUILTIN_NAMES {
        let path = dir.path().join(format!("{codec}.gzcm"));
        let result = write(&truth, Dtype::F32, codec, &path);
        if codec.contains("cmc") || codec == "rans" {
            let err = result.expect_err(codec);
            assert!(err.contains("not a whole count"), "{codec}: {err}");
            assert!(!path.exists(), "{codec}: a refused write must leave no file");
            continue;
        }
        result.unwrap_or_else(|e| panic!("{codec}: {e}"));
        let reader = Reader::open_with(&path, ReaderOptions::new().registry(registry())).unwrap();
        for (&(i, j), expected) in &truth.tiles {
            let TileData::F32(tile) = reader.tile(i, j).unwrap() else { panic!("{codec}: dtype changed") };
            let bits = |a: &Array2<f32>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&tile), bits(expected), "{codec} tile ({i}, {j})");
        }
    }
}
