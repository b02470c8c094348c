//! Property-based round trips of every built-in codec: random shapes from 1×1 to 256×256
//! (non-square edge tiles included), u32 and f32, all-zero, sparse and dense tiles.

use gzcm::codecs::{Lz4, Zstd};
use gzcm::framing::{decode_stored_typed, encode_stored_typed};
use gzcm::{
    CodecHandle, CodecMeta, Dtype, EncodeOptions, ShapeSource, TileCells, TileContext, TileData, TileShape,
};
use ndarray::Array2;
use proptest::prelude::*;

/// How the cells of a generated tile are filled.
#[derive(Clone, Copy, Debug)]
enum Fill {
    Zero,
    Sparse,
    Dense,
    Extreme,
}

fn tile_strategy() -> impl Strategy<Value = (Array2<u32>, TileContext)> {
    let fill = prop_oneof![Just(Fill::Zero), Just(Fill::Sparse), Just(Fill::Dense), Just(Fill::Extreme)];
    (1usize..=256, 1usize..=256, fill, any::<u64>(), 0u32..4, 0u32..4, any::<bool>()).prop_map(
        |(rows, cols, fill, seed, tile_row, tile_col, symmetric)| {
            let tile = Array2::from_shape_fn((rows, cols), |(r, c)| cell(fill, seed, r, c));
            (tile, TileContext::new(tile_row, tile_col.max(tile_row), symmetric))
        },
    )
}

fn cell(fill: Fill, seed: u64, r: usize, c: usize) -> u32 {
    let hash = (seed ^ (r as u64) << 20 ^ c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    match fill {
        Fill::Zero => 0,
        Fill::Sparse => u32::from(hash.is_multiple_of(13)) * (hash as u32 % 50),
        Fill::Dense => 1 + (hash as u32 % 5000) / (1 + r.abs_diff(c) as u32),
        Fill::Extreme => [0, 1, u32::MAX, u32::MAX - 1, 1 << 31][hash as usize % 5],
    }
}

/// Float tiles hold whole counts (below 2^24, exact in f32) so integer-only codecs accept them.
fn as_f32(tile: &Array2<u32>) -> Array2<f32> {
    tile.mapv(|v| (v % (1 << 24)) as f32)
}

fn round_trip_by_name(name: &str, tile: TileData, context: &TileContext) -> Result<(), TestCaseError> {
    let handle = CodecHandle::by_name(name, &EncodeOptions::default()).unwrap();
    if !handle.descriptor().supports(tile.dtype()) {
        return Ok(());
    }
    let mut stored = Vec::new();
    handle.encode_stored(tile.view(), context, &mut stored).unwrap();
    let back = handle.decode_stored(&stored, tile.dtype(), Some(tile.shape())).unwrap();
    prop_assert_eq!(&back, &tile, "codec {}", name);
    // Given as its non-zero cells (as the writer gives tiles), the same stored bytes.
    let mut le = Vec::new();
    tile.view().write_le_bytes(&mut le);
    let cells: Vec<(u32, u32)> = le
        .chunks_exact(4)
        .enumerate()
        .map(|(i, b)| (i as u32, u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        .filter(|&(_, bits)| bits != 0)
        .collect();
    let cells = TileCells::new(tile.dtype(), tile.shape(), &cells).unwrap();
    let mut from_cells = Vec::new();
    handle.encode_cells_stored_with(ShapeSource::Header, cells, context, &mut from_cells).unwrap();
    prop_assert_eq!(&from_cells, &stored, "codec {} given cells", name);
    let by_name_only = gzcm::decode_stored(name, &stored, tile.dtype()).unwrap();
    prop_assert_eq!(by_name_only, tile, "codec {} via decode_stored", name);
    Ok(())
}

fn round_trip_typed<C: CodecMeta>(
    codec: &C,
    tile: &TileData,
    context: &TileContext,
) -> Result<(), TestCaseError> {
    let mut stored = Vec::new();
    encode_stored_typed(codec, tile.view(), context, &mut stored).unwrap();
    let back = decode_stored_typed(codec, &stored, tile.dtype(), Some(tile.shape())).unwrap();
    prop_assert_eq!(&back, tile, "typed {}", C::NAME);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_builtin_round_trips_u32_and_f32((tile, context) in tile_strategy()) {
        for name in gzcm::codecs::BUILTIN_NAMES {
            round_trip_by_name(name, TileData::U32(tile.clone()), &context)?;
            round_trip_by_name(name, TileData::F32(as_f32(&tile)), &context)?;
        }
    }

    #[test]
    fn typed_paths_round_trip((tile, context) in tile_strategy()) {
        for data in [TileData::U32(tile.clone()), TileData::F32(as_f32(&tile))] {
            round_trip_typed(&Zstd::default(), &data, &context)?;
            round_trip_typed(&Lz4, &data, &context)?;
        }
    }
}

#[test]
fn non_finite_and_negative_floats_round_trip_through_byte_codecs() {
    let tile =
        Array2::from_shape_vec((2, 3), vec![f32::NAN, f32::INFINITY, -0.0, -1.5, f32::MIN_POSITIVE, 3.25])
            .unwrap();
    for name in ["zstd", "lz4"] {
        let handle = CodecHandle::by_name(name, &EncodeOptions::default()).unwrap();
        let mut stored = Vec::new();
        handle
            .encode_stored(TileData::F32(tile.clone()).view(), &TileContext::default(), &mut stored)
            .unwrap();
        let TileData::F32(back) =
            handle.decode_stored(&stored, Dtype::F32, Some(TileShape::new(2, 3))).unwrap()
        else {
            panic!("{name} changed the dtype");
        };
        let bits = |a: &Array2<f32>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&tile), "{name} must be bit-exact");
    }
}
