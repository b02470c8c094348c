//! An opaque codec: registered under its name, with the opaque wire format.

use gzcm::{
    Codec, CodecError, CodecMeta, Dtype, EncodeOptions, TileContext, TileData, TileDecoder, TileEncoder,
    TileShape, TileView, WireFormat, codec,
};

/// Stores the raw little-endian cells.
#[codec(name = "ui-pass.identity", wire = Opaque)]
struct Identity;

impl Codec for Identity {
    fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(Identity)
    }
}

impl TileEncoder for Identity {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        tile.write_le_bytes(out);
        Ok(())
    }
}

impl TileDecoder for Identity {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        TileData::from_le_bytes(dtype, shape, payload)
    }
}

fn main() {
    assert_eq!(Identity::NAME, "ui-pass.identity");
    assert!(Identity::SHAPE_READER.is_none());
    let descriptor = gzcm::get_codec("ui-pass.identity").unwrap();
    assert_eq!(descriptor.wire(), WireFormat::Opaque);
    assert_eq!(descriptor.origin(), env!("CARGO_PKG_NAME"));
    assert!(descriptor.type_name().ends_with("::Identity"), "{}", descriptor.type_name());
}
