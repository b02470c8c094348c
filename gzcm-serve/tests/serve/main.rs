//! `gzcm-serve`'s integration tests, one binary. Here: tiles of small synthetic files placed
//! as clodius places them (zoom order, genome-wide pixels, chromosome boundaries, NaN masks,
//! the stored upper triangle), and the encoding. Module `http`: the API over a real server on
//! 127.0.0.1 (hostile ids and paths, concurrent clients). clodius itself is the oracle of
//! `gzcm-py/tests/test_serve_oracle.py`.

mod http;

use std::path::Path;

use gzcm_container::{CollectionWriter, Genome, WeightVector, Writer};
use gzcm_serve::{Catalog, DenseType, TILE_BINS, TileError, encode_dense, parse_tile_id};

/// chr1 2,505 bp, chr2 1,000 bp, chr3 30 bp: at 10 bp, chr1's short last bin (2,500) and
/// chr2's first (2,505) share pixel 250 of tile 0; the genome ends at 3,535.
const CHROMS: [(&str, u64); 3] = [("chr1", 2505), ("chr2", 1000), ("chr3", 30)];

fn genome(bin_size: u64, weights: bool) -> Genome {
    let chroms: Vec<(String, u64)> = CHROMS.iter().map(|&(n, l)| (n.to_owned(), l)).collect();
    let g = Genome::fixed(&chroms, bin_size).unwrap();
    if !weights {
        return g;
    }
    let n = g.n_bins() as usize;
    let values = (0..n).map(|i| if i % 17 == 3 { f64::NAN } else { 0.5 + (i % 5) as f64 * 0.25 }).collect();
    g.with_weights(vec![WeightVector::new("weight", values)]).unwrap()
}

/// The count of bins `(i, j)`, `i <= j`: never zero, so every stored cell shows.
fn count(i: u64, j: u64) -> u32 {
    (1000 / (1 + j - i) + (i * 7 + j) % 13 + 1) as u32
}

fn write(path: &Path, genome: &Genome) {
    let n = genome.n_bins();
    let mut writer = Writer::builder(path, n, n)
        .symmetric(true)
        .tile_size(64)
        .packed_index(true)
        .genome(genome.clone())
        .create()
        .unwrap();
    for i in 0..n {
        for j in i..n {
            writer.push(i, j, count(i, j)).unwrap();
        }
    }
    writer.finish().unwrap();
}

fn catalog(dir: &Path, weights: bool) -> Catalog {
    let path = dir.join("toy.gzcm");
    write(&path, &genome(10, weights));
    Catalog::open(&[path], 1 << 20).unwrap()
}

fn tile(catalog: &Catalog, id: &str) -> Vec<f32> {
    catalog.get("toy").unwrap().tile(&parse_tile_id(id).unwrap(), id).unwrap()
}

#[test]
fn a_single_resolution_file_is_one_zoom_level_of_genome_wide_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog(dir.path(), false);
    let info = catalog.get("toy").unwrap().info();
    assert_eq!(info["resolutions"], serde_json::json!([10]));
    assert_eq!(info["max_pos"], serde_json::json!([3535, 3535]));
    assert_eq!(info["chromsizes"][1], serde_json::json!(["chr2", 1000]));
    assert!(info.get("mirror_tiles").is_none(), "symmetric: HiGlass mirrors");
    let t = tile(&catalog, "toy.0.0.0");
    // Row = second axis, column = first; the stored upper triangle (bin1 <= bin2) only.
    assert_eq!(t[3 * TILE_BINS + 1], count(1, 3) as f32);
    assert_eq!(t[TILE_BINS + 3], 0.0, "below the stored triangle");
    // Pixel 250 holds chr1's last bin (250) and chr2's first (251): the later one wins.
    assert_eq!(t[250 * TILE_BINS + 250], count(251, 251) as f32);
    assert_eq!(t[251 * TILE_BINS + 250], count(251, 252) as f32);
    // Tile 1 starts at 2,560 bp: chr2's bin 6 (2,505 + 60) is its pixel 0.
    let t = tile(&catalog, "toy.0.1.1");
    assert_eq!(t[0], count(257, 257) as f32);
    let past = catalog.get("toy").unwrap().tile(&parse_tile_id("toy.0.2.0").unwrap(), "toy.0.2.0");
    assert!(matches!(past, Err(TileError::PositionOutOfRange { tiles: 2, .. })), "{past:?}");
    let zoom = catalog.get("toy").unwrap().tile(&parse_tile_id("toy.1.0.0").unwrap(), "toy.1.0.0");
    assert!(matches!(zoom, Err(TileError::ZoomOutOfRange { levels: 1, .. })), "{zoom:?}");
}

#[test]
fn weights_balance_and_mask_as_clodius() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog(dir.path(), true);
    let w = genome(10, true).weight("weight").unwrap().values.clone();
    let raw = tile(&catalog, "toy.0.0.0.none");
    let balanced = tile(&catalog, "toy.0.0.0.weight");
    let bits = |t: &[f32]| t.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&balanced), bits(&tile(&catalog, "toy.0.0.0")), "default is weight when the file has it");
    assert!(raw.iter().all(|v| !v.is_nan()), "raw counts have no NaN");
    let (i, j) = (5usize, 1usize); // bins 1 and 5: weights not NaN
    let expected = (f64::from(count(1, 5)) * w[1] * w[5]) as f32;
    assert_eq!(balanced[i * TILE_BINS + j], expected);
    // Bin 3 has a NaN weight: its column and row are NaN.
    assert!((0..TILE_BINS).all(|r| balanced[r * TILE_BINS + 3].is_nan()));
    assert!((0..TILE_BINS).all(|c| balanced[3 * TILE_BINS + c].is_nan()));
    // Tile 1 starts at 2,560 bp, the genome ends at 3,535: pixel 97 (holding the end) on.
    let t = tile(&catalog, "toy.0.1.1.weight");
    assert!((97..TILE_BINS).all(|p| t[p].is_nan() && t[p * TILE_BINS].is_nan()));
    assert!(!t[10 * TILE_BINS + 12].is_nan());
    let unknown = catalog.get("toy").unwrap().tile(&parse_tile_id("toy.0.0.0.KR").unwrap(), "toy.0.0.0.KR");
    assert!(matches!(unknown, Err(TileError::UnknownTransform { .. })), "{unknown:?}");
}

#[test]
fn zoom_zero_is_the_coarsest_resolution_and_transforms_are_shared_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("multi.gzcm");
    let mut collection = CollectionWriter::create(&path, false).unwrap();
    for (resolution, weights) in [(10, true), (20, true), (40, false)] {
        let member = collection.scratch_path(resolution);
        write(&member, &genome(resolution, weights));
        collection.add(resolution, &member).unwrap();
    }
    collection.finish().unwrap();
    let catalog = Catalog::open(&[path], 1 << 20).unwrap();
    let tileset = catalog.get("multi").unwrap();
    assert_eq!(tileset.info()["resolutions"], serde_json::json!([10, 20, 40]));
    assert_eq!(tileset.info()["transforms"], serde_json::json!([]), "40 bp has no weight");
    let z0 = tileset.tile(&parse_tile_id("multi.0.0.0").unwrap(), "multi.0.0.0").unwrap();
    // At 40 bp chr1 has 63 bins, the last (2,480) shares pixel 62 with chr2's first (2,505).
    assert_eq!(z0[62 * TILE_BINS + 62], count(63, 63) as f32);
    assert!(tileset.tile(&parse_tile_id("multi.2.1.1").unwrap(), "multi.2.1.1").is_ok());
    // `default` at 40 bp (no weight) is raw counts, at 10 bp balanced.
    assert!(z0.iter().all(|v| !v.is_nan()));
    let z2 = tileset.tile(&parse_tile_id("multi.2.0.0").unwrap(), "multi.2.0.0").unwrap();
    assert!(z2.iter().any(|v| v.is_nan()));
}

#[test]
fn tiles_encode_as_float16_when_they_fit_and_float32_otherwise() {
    let values: Vec<f32> = (0..TILE_BINS * TILE_BINS).map(|i| (i % 2048) as f32 * 0.5 - 3.0).collect();
    let tile = encode_dense(&values);
    assert_eq!((tile.dtype, tile.min_value, tile.max_value), (DenseType::Float16, Some(-3.0), Some(1020.5)));
    assert_eq!(tile.decode().unwrap(), values, "halves of small integers are exact in float16");
    let json = tile.to_json();
    assert_eq!((json["dtype"].as_str(), json["size"].as_u64()), (Some("float16"), Some(1)));
    assert_eq!(json["min_value"].as_f64(), Some(-3.0));
    // Float16 keeps 11 significant bits.
    let odd: Vec<f32> = (0..1000).map(|i| 1.0 + i as f32 * 0.123_457).collect();
    for (a, b) in odd.iter().zip(encode_dense(&odd).decode().unwrap()) {
        assert!((a - b).abs() <= a.abs() / 2048.0, "{a} vs {b}");
    }
    // 65504 is float16's largest finite value: not strictly inside, so float32.
    let big = encode_dense(&[1.0, 65504.0]);
    assert_eq!((big.dtype, big.decode().unwrap()), (DenseType::Float32, vec![1.0, 65504.0]));
    assert_eq!(encode_dense(&[-70000.0, 1.0]).dtype, DenseType::Float32);
    // Any NaN: float32, NaN kept, min and max ignore it.
    let nan = encode_dense(&[f32::NAN, 2.0, -1.0]);
    assert_eq!((nan.dtype, nan.min_value, nan.max_value), (DenseType::Float32, Some(-1.0), Some(2.0)));
    assert!(nan.decode().unwrap()[0].is_nan());
    let all_nan = encode_dense(&[f32::NAN; 4]).to_json();
    assert_eq!((all_nan["min_value"].as_str(), all_nan["max_value"].as_str()), (Some("NaN"), Some("NaN")));
    assert_eq!(all_nan["dtype"].as_str(), Some("float32"));
}

#[test]
fn a_matrix_stored_whole_is_not_mirrored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("square.gzcm");
    let g = genome(10, false);
    let n = g.n_bins();
    let mut writer = Writer::builder(&path, n, n).tile_size(64).genome(g).create().unwrap();
    // M[i][j] = i + 1 on the first 4 rows: not symmetric.
    for i in 0..4 {
        for j in 0..n {
            writer.push(i, j, i as u32 + 1).unwrap();
        }
    }
    writer.finish().unwrap();
    let catalog = Catalog::open(&[path], 1 << 20).unwrap();
    let tileset = catalog.get("square").unwrap();
    assert_eq!(tileset.info()["mirror_tiles"], "false");
    let t = tileset.tile(&parse_tile_id("square.0.0.0").unwrap(), "square.0.0.0").unwrap();
    // Column = first axis (the matrix's row), row = second axis: both triangles.
    assert_eq!((t[5 * TILE_BINS + 2], t[2 * TILE_BINS + 5]), (3.0, 0.0));
    assert_eq!((t[2], t[1]), (3.0, 2.0));
}

#[test]
fn thousands_of_short_contigs_in_one_tile_are_read_in_strips() {
    // 3,000 contigs of 1 bp: 2,560 of them start in tile 0 at 10 bp, ten to a pixel; the
    // window is wider than one read holds.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contigs.gzcm");
    let chroms: Vec<(String, u64)> = (0..3000).map(|i| (format!("c{i}"), 1)).collect();
    let g = Genome::fixed(&chroms, 10).unwrap();
    let n = g.n_bins();
    let value = |i: u64, j: u64| (i * 31 + j * 17).is_multiple_of(5).then_some((i + 2 * j) as u32 % 97 + 1);
    let mut writer = Writer::builder(&path, n, n).symmetric(true).genome(g).create().unwrap();
    for i in 0..n {
        for j in i..n {
            if let Some(v) = value(i, j) {
                writer.push(i, j, v).unwrap();
            }
        }
    }
    writer.finish().unwrap();
    let catalog = Catalog::open(&[path], 1 << 20).unwrap();
    let t = catalog.get("contigs").unwrap().tile(&parse_tile_id("contigs.0.0.0").unwrap(), "x").unwrap();
    // Bin b starts at b bp: pixel b / 10. The last non-zero pair in bin order wins a pixel.
    let mut expected = vec![0f32; TILE_BINS * TILE_BINS];
    for i in 0..2560u64 {
        for j in i..2560 {
            if let Some(v) = value(i, j) {
                expected[(j / 10) as usize * TILE_BINS + (i / 10) as usize] = v as f32;
            }
        }
    }
    assert_eq!(t, expected);
}
