//! Framing by declared wire format, and the double-header regression (Bug 0.3: an 8-byte shape
//! header written in front of LZ4's own 12-byte header, which then failed to decode).

use gzcm::codecs::{Lz4, Zstd};
use gzcm::framing::{SHAPE_HEADER_LEN, decode_stored_typed, encode_stored_typed, write_shape_header};
use gzcm::{
    CodecError, CodecHandle, Dtype, EncodeOptions, Registry, TileContext, TileData, TileError, TileShape,
};
use ndarray::Array2;

use crate::support::synthetic_tile;

/// What lz4 must store for `tile`: its 12-byte header, then the raw LZ4 block — nothing before.
fn expected_lz4_bytes(tile: &Array2<u32>) -> Vec<u8> {
    let raw: Vec<u8> = tile.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut out = Vec::new();
    out.extend_from_slice(&(tile.nrows() as u32).to_le_bytes());
    out.extend_from_slice(&(tile.ncols() as u32).to_le_bytes());
    out.extend_from_slice(&(raw.len() as u32).to_le_bytes());
    out.extend_from_slice(&lz4_flex::block::compress(&raw));
    out
}

/// Every public way to write an lz4 tile.
fn lz4_through_every_public_path(tile: &Array2<u32>) -> Vec<(&'static str, Vec<u8>)> {
    let context = TileContext::new(0, 1, true);
    let options = EncodeOptions::default();
    let mut registry = Registry::empty();
    gzcm::codecs::register_builtins(&mut registry).unwrap();
    let handles = [
        ("CodecHandle::by_name", CodecHandle::by_name("lz4", &options).unwrap()),
        ("CodecHandle::new(get_codec)", CodecHandle::new(gzcm::get_codec("lz4").unwrap(), &options).unwrap()),
        ("CodecHandle::from_registry", CodecHandle::from_registry(&registry, "lz4", &options).unwrap()),
    ];
    let mut stored = Vec::new();
    for (path, handle) in handles {
        let mut out = Vec::new();
        handle.encode_stored(tile.view().into(), &context, &mut out).unwrap();
        stored.push((path, out));
    }
    let mut typed = Vec::new();
    encode_stored_typed(&Lz4, tile.view().into(), &context, &mut typed).unwrap();
    stored.push(("encode_stored_typed::<Lz4>", typed));
    stored
}

#[test]
fn lz4_is_never_double_framed_on_any_public_path() {
    for (rows, cols) in [(256, 256), (94, 256), (1, 1), (3, 200)] {
        let tile = synthetic_tile(rows, cols);
        let expected = expected_lz4_bytes(&tile);
        for (path, stored) in lz4_through_every_public_path(&tile) {
            assert_eq!(
                stored, expected,
                "{path} stored other bytes than lz4's own header + block for {rows}×{cols}"
            );
            let back = gzcm::decode_stored("lz4", &stored, Dtype::U32).unwrap();
            assert_eq!(back, TileData::U32(tile.clone()), "{path}");
        }
    }
}

#[test]
fn opaque_codecs_get_exactly_one_shape_header() {
    let tile = synthetic_tile(17, 9);
    let mut typed = Vec::new();
    encode_stored_typed(&Zstd::default(), tile.view().into(), &TileContext::default(), &mut typed).unwrap();
    let mut by_name = Vec::new();
    CodecHandle::by_name("zstd", &EncodeOptions::default())
        .unwrap()
        .encode_stored(tile.view().into(), &TileContext::default(), &mut by_name)
        .unwrap();
    for stored in [typed, by_name] {
        assert_eq!(&stored[..SHAPE_HEADER_LEN], &[17, 0, 0, 0, 9, 0, 0, 0]);
        // Differential: after the header, the bytes are a plain zstd frame of the raw cells.
        let raw = zstd::bulk::decompress(&stored[SHAPE_HEADER_LEN..], 17 * 9 * 4).unwrap();
        let cells: Vec<u32> =
            raw.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
        assert_eq!(cells, tile.iter().copied().collect::<Vec<_>>());
    }
}

#[test]
fn a_double_framed_lz4_payload_gives_a_clear_error() {
    let tile = synthetic_tile(64, 64);
    let mut double = Vec::new();
    write_shape_header(TileShape::new(64, 64), &mut double);
    double.extend_from_slice(&expected_lz4_bytes(&tile));
    for result in [
        gzcm::decode_stored("lz4", &double, Dtype::U32),
        decode_stored_typed(&Lz4, &double, Dtype::U32, Some(TileShape::new(64, 64))),
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(&err, TileError::Codec { codec, source: CodecError::DoubleFramed } if codec == "lz4"),
            "{err:?}"
        );
        assert!(err.to_string().contains("double-framed"), "{err}");
    }
}

#[test]
fn a_payload_disagreeing_with_the_expected_shape_is_refused_before_decoding() {
    let tile = synthetic_tile(10, 10);
    for name in ["zstd", "lz4"] {
        let handle = CodecHandle::by_name(name, &EncodeOptions::default()).unwrap();
        let mut stored = Vec::new();
        handle.encode_stored(tile.view().into(), &TileContext::default(), &mut stored).unwrap();
        let err = handle.decode_stored(&stored, Dtype::U32, Some(TileShape::new(10, 12))).unwrap_err();
        assert!(
            matches!(err, TileError::Codec { source: CodecError::ShapeMismatch { .. }, .. }),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn bare_framing_drops_only_the_opaque_header_and_decodes_at_the_grid_shape() {
    use gzcm::ShapeSource;
    use gzcm::framing::encode_stored_typed_with;
    let tile = synthetic_tile(17, 9);
    let shape = TileShape::new(17, 9);
    let context = TileContext::default();
    for name in ["zstd", "lz4"] {
        let handle = CodecHandle::by_name(name, &EncodeOptions::default()).unwrap();
        let (mut framed, mut bare) = (Vec::new(), Vec::new());
        handle.encode_stored(tile.view().into(), &context, &mut framed).unwrap();
        handle.encode_stored_with(ShapeSource::Index, tile.view().into(), &context, &mut bare).unwrap();
        let header = if name == "zstd" { SHAPE_HEADER_LEN } else { 0 };
        assert_eq!(&framed[header..], &bare[..], "{name}");
        for (source, stored) in [(ShapeSource::Header, &framed), (ShapeSource::Index, &bare)] {
            let back = handle.decode_in_grid(source, stored, Dtype::U32, shape).unwrap();
            assert_eq!(back, TileData::U32(tile.clone()), "{name} {source:?}");
        }
        // A self-describing payload must still agree with the grid.
        if name == "lz4" {
            let wrong = handle.decode_in_grid(ShapeSource::Index, &bare, Dtype::U32, TileShape::new(9, 17));
            assert!(matches!(wrong, Err(TileError::Codec { source: CodecError::ShapeMismatch { .. }, .. })));
        }
    }
    let mut typed = Vec::new();
    encode_stored_typed_with(&Zstd::default(), ShapeSource::Index, tile.view().into(), &context, &mut typed)
        .unwrap();
    let raw = zstd::bulk::decompress(&typed, 17 * 9 * 4).unwrap();
    assert_eq!(raw.len(), 17 * 9 * 4, "the typed bare path stores a plain zstd frame");
    // A bare payload decoded at another grid shape is the codec's error, never a panic.
    let handle = CodecHandle::by_name("zstd", &EncodeOptions::default()).unwrap();
    assert!(handle.decode_in_grid(ShapeSource::Index, &typed, Dtype::U32, TileShape::new(16, 16)).is_err());
}
