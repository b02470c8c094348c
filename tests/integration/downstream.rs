//! Codecs declared in `tests/downstream`, a crate that depends only on the `gzcm` facade and
//! uses `#[codec]`: they are listed, found and round-trip with no change to gzcm's own crates.

use gzcm::framing::{decode_stored_typed, encode_stored_typed};
use gzcm::{CodecHandle, Dtype, EncodeOptions, TileContext, TileData, WireFormat};
use gzcm_downstream_fixture::{DownstreamRaw, DownstreamRle};

use crate::support::synthetic_tile;

#[test]
fn downstream_codecs_are_listed_next_to_the_builtins() {
    let names = gzcm::list_codecs();
    for name in ["downstream-raw", "downstream-rle", "lz4", "zstd"] {
        assert!(names.iter().any(|n| n == name), "{name} missing from {names:?}");
    }
}

#[test]
fn downstream_codecs_are_found_with_their_declared_wire_and_origin() {
    let rle = gzcm::get_codec("downstream-rle").unwrap();
    assert_eq!(rle.wire(), WireFormat::Opaque);
    assert_eq!(rle.origin(), "gzcm-downstream-fixture");
    let raw = gzcm::get_codec("downstream-raw").unwrap();
    assert_eq!(raw.wire(), WireFormat::SelfDescribing);
}

#[test]
fn downstream_codecs_round_trip_by_name_and_typed() {
    let tile = synthetic_tile(37, 256);
    let data = TileData::U32(tile.clone());
    for name in ["downstream-rle", "downstream-raw"] {
        let handle = CodecHandle::by_name(name, &EncodeOptions::default()).unwrap();
        let mut stored = Vec::new();
        handle.encode_stored(data.view(), &TileContext::default(), &mut stored).unwrap();
        assert_eq!(gzcm::decode_stored(name, &stored, Dtype::U32).unwrap(), data, "{name}");
    }
    let mut stored = Vec::new();
    encode_stored_typed(&DownstreamRaw, data.view(), &TileContext::default(), &mut stored).unwrap();
    assert_eq!(&stored[..4], &37u32.to_be_bytes(), "self-describing: its own header comes first");
    assert_eq!(decode_stored_typed(&DownstreamRaw, &stored, Dtype::U32, None).unwrap(), data);
    let mut stored = Vec::new();
    encode_stored_typed(&DownstreamRle, data.view(), &TileContext::default(), &mut stored).unwrap();
    assert_eq!(&stored[..8], &[37, 0, 0, 0, 0, 1, 0, 0], "opaque: the writer's shape header comes first");
    assert_eq!(decode_stored_typed(&DownstreamRle, &stored, Dtype::U32, None).unwrap(), data);
}
