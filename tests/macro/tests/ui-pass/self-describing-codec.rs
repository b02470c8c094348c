//! A self-describing codec: its payload header carries the shape, the registry records
//! `wire = self` and hands out its shape reader.

use gzcm::{
    Codec, CodecError, CodecMeta, Dtype, EncodeOptions, PayloadShape, TileContext, TileData, TileDecoder,
    TileEncoder, TileShape, TileView, WireFormat, codec,
};

/// `rows: u32 LE | cols: u32 LE | raw little-endian cells`.
#[codec(name = "ui-pass.framed", wire = SelfDescribing)]
struct Framed;

impl Codec for Framed {
    fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(Framed)
    }
}

impl TileEncoder for Framed {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let shape = tile.shape();
        out.extend_from_slice(&shape.rows.to_le_bytes());
        out.extend_from_slice(&shape.cols.to_le_bytes());
        tile.write_le_bytes(out);
        Ok(())
    }
}

impl TileDecoder for Framed {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        TileData::from_le_bytes(dtype, shape, payload.get(8..).unwrap_or_default())
    }
}

impl PayloadShape for Framed {
    fn payload_shape(payload: &[u8]) -> Result<TileShape, CodecError> {
        let word = |at: usize| payload.get(at..at + 4).map(|b| u32::from_le_bytes(b.try_into().unwrap()));
        match (word(0), word(4)) {
            (Some(rows), Some(cols)) => TileShape::checked(rows, cols),
            _ => TileShape::checked(0, 0),
        }
    }
}

fn main() {
    assert_eq!(Framed::NAME, "ui-pass.framed");
    let descriptor = gzcm::get_codec("ui-pass.framed").unwrap();
    assert_eq!(descriptor.wire(), WireFormat::SelfDescribing);
    let read_shape = descriptor.shape_reader().expect("a self-describing codec has a shape reader");
    let payload = [3, 0, 0, 0, 5, 0, 0, 0];
    assert_eq!(read_shape(&payload).unwrap(), TileShape::new(3, 5));
}
