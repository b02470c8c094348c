//! Truncated, corrupted and lying payloads give typed errors: never a panic, and never an
//! allocation sized by a number inside the payload.

use gzcm::{CodecHandle, Dtype, EncodeOptions, TileContext, TileData, TileShape};
use ndarray::Array2;

use crate::alloc_guard::largest_allocation;
use crate::support::{real_tiles, synthetic_tile};

/// Real tiles when the shared data is present, else synthetic ones of the same shapes.
fn sample_tiles() -> Vec<(Array2<u32>, TileContext)> {
    let real = real_tiles();
    if !real.is_empty() {
        return real;
    }
    vec![
        (synthetic_tile(256, 256), TileContext::new(0, 0, true)),
        (synthetic_tile(94, 94), TileContext::new(1, 1, true)),
    ]
}

fn stored(name: &str, tile: &Array2<u32>, context: &TileContext) -> (CodecHandle, Vec<u8>) {
    let handle = CodecHandle::by_name(name, &EncodeOptions::default()).unwrap();
    let mut out = Vec::new();
    handle.encode_stored(tile.view().into(), context, &mut out).unwrap();
    (handle, out)
}

/// Every prefix length for small (edge) tiles; for full 256×256 tiles every length through the
/// headers and first blocks, then a dense stride, to keep the suite fast.
fn prefix_lengths(tile: &Array2<u32>, len: usize) -> Box<dyn Iterator<Item = usize>> {
    if tile.len() <= 128 * 128 {
        Box::new(0..len)
    } else {
        Box::new((0..len.min(1024)).chain((1024..len).step_by(61)))
    }
}

/// The largest buffer decoding a tile of `shape` may legitimately need (raw cells, twice over).
fn allowance(shape: TileShape) -> usize {
    2 * shape.byte_len(Dtype::U32) + 4096
}

#[test]
fn every_prefix_of_a_real_stored_tile_is_an_error() {
    for name in ["zstd", "lz4"] {
        for (tile, context) in sample_tiles() {
            let shape = TileShape::new(tile.nrows() as u32, tile.ncols() as u32);
            let (handle, full) = stored(name, &tile, &context);
            for len in prefix_lengths(&tile, full.len()) {
                let (result, largest) =
                    largest_allocation(|| handle.decode_stored(&full[..len], Dtype::U32, Some(shape)));
                assert!(result.is_err(), "{name}: prefix of {len}/{} bytes decoded", full.len());
                assert!(largest <= allowance(shape), "{name}: prefix {len} allocated {largest} bytes");
            }
            assert_eq!(handle.decode_stored(&full, Dtype::U32, Some(shape)).unwrap(), TileData::U32(tile));
        }
    }
}

#[test]
fn flipped_bytes_never_panic_or_over_allocate() {
    let tile = synthetic_tile(128, 128);
    let shape = TileShape::new(128, 128);
    for name in ["zstd", "lz4"] {
        let (handle, full) = stored(name, &tile, &TileContext::default());
        for position in 0..full.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut corrupt = full.clone();
                corrupt[position] ^= mask;
                let (result, largest) =
                    largest_allocation(|| handle.decode_stored(&corrupt, Dtype::U32, Some(shape)));
                // A flip inside literal data may decode to other cells; it must not panic or over-allocate.
                drop(result);
                assert!(largest <= allowance(shape), "{name}: flip at {position} allocated {largest} bytes");
            }
        }
    }
}

#[test]
fn an_lz4_header_claiming_4_gib_is_refused_without_allocating_it() {
    let tile = synthetic_tile(64, 64);
    let (handle, mut lying) = stored("lz4", &tile, &TileContext::default());
    lying[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    let (result, largest) = largest_allocation(|| gzcm::decode_stored("lz4", &lying, Dtype::U32));
    assert!(result.is_err());
    assert!(largest < 1 << 20, "allocated {largest} bytes");
    // A header that also claims a 65536×65536 shape is refused by the shape check.
    lying[0..8].copy_from_slice(&[0, 0, 1, 0, 0, 0, 1, 0]);
    let (result, largest) = largest_allocation(|| handle.decode_stored(&lying, Dtype::U32, None));
    assert!(result.is_err());
    assert!(largest < 1 << 20, "allocated {largest} bytes");
}

#[test]
fn an_opaque_shape_header_claiming_a_huge_tile_is_refused() {
    let tile = synthetic_tile(16, 16);
    let (_, mut lying) = stored("zstd", &tile, &TileContext::default());
    lying[0..8].copy_from_slice(&[0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0]);
    let (result, largest) = largest_allocation(|| gzcm::decode_stored("zstd", &lying, Dtype::U32));
    assert!(result.is_err());
    assert!(largest < 1 << 20, "allocated {largest} bytes");
}

#[test]
fn garbage_is_an_error_for_every_builtin() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    for name in gzcm::codecs::BUILTIN_NAMES {
        for len in [0, 1, 7, 8, 12, 13, 100, 4096] {
            let (result, largest) =
                largest_allocation(|| gzcm::decode_stored(name, &garbage[..len], Dtype::U32));
            assert!(result.is_err(), "{name} decoded {len} bytes of garbage");
            assert!(largest <= 64 << 20, "{name}: {largest} bytes");
        }
    }
}
