#[gzcm::codec(name = "decode-only", wire = Opaque)]
struct DecodeOnly;

impl gzcm::TileDecoder for DecodeOnly {
    fn decode(
        &self,
        _: &[u8],
        _: gzcm::TileShape,
        _: gzcm::Dtype,
    ) -> Result<gzcm::TileData, gzcm::CodecError> {
        unimplemented!()
    }
}

impl gzcm::Codec for DecodeOnly {
    fn with_options(_: &gzcm::EncodeOptions) -> Result<Self, gzcm::CodecError> {
        Ok(DecodeOnly)
    }
}

fn main() {}
