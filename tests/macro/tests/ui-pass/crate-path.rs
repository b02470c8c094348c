//! `crate = path` names where the facade is: here the facade itself, by an alias.

extern crate gzcm as gz;

use gz::{
    Codec, CodecError, CodecMeta, Dtype, EncodeOptions, TileContext, TileData, TileDecoder, TileEncoder,
    TileShape, TileView, codec,
};

/// Stores the raw little-endian cells.
#[codec(name = "ui-pass.crate-path", wire = Opaque, crate = gz)]
enum Identity {
    Only,
}

impl Codec for Identity {
    fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(Identity::Only)
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
    assert_eq!(Identity::NAME, "ui-pass.crate-path");
    let descriptor = gz::get_codec("ui-pass.crate-path").unwrap();
    assert_eq!(descriptor.type_name(), concat!(module_path!(), "::Identity"));
    assert_eq!(descriptor.origin(), env!("CARGO_PKG_NAME"));
}
