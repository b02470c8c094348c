use gzcm::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm::{
    CodecDescriptor, CodecError, Dtype, Registry, RegistryError, TileContext, TileData, TileShape, TileView,
    WireFormat,
};

const BUILTINS: [&str; 8] = ["bsc", "bsc_cmc", "cmc", "cmc_zstd", "lz4", "rans", "shuffle_zstd", "zstd"];

#[test]
fn listing_is_sorted_and_holds_every_builtin() {
    let names = gzcm::list_codecs();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    for name in BUILTINS {
        assert!(names.iter().any(|n| n == name), "{name} missing from {names:?}");
    }
}

#[test]
fn builtin_wire_formats_match_the_spec() {
    assert_eq!(gzcm::get_codec("zstd").unwrap().wire(), WireFormat::Opaque);
    assert_eq!(gzcm::get_codec("lz4").unwrap().wire(), WireFormat::SelfDescribing);
    assert_eq!(gzcm::get_codec("lz4").unwrap().origin(), "gzcm-codecs");
}

#[test]
fn unknown_codec_names_the_request_and_lists_every_available_name() {
    let err = gzcm::get_codec("zstf").unwrap_err();
    let RegistryError::UnknownCodec { name, available, suggestion } = &err else {
        panic!("expected UnknownCodec, got {err:?}");
    };
    assert_eq!(name, "zstf");
    assert_eq!(available, &gzcm::list_codecs());
    assert_eq!(suggestion.as_deref(), Some("zstd"));
    let message = err.to_string();
    assert!(message.contains("`zstf`") && message.contains("did you mean `zstd`"), "{message}");
    for listed in available {
        assert!(message.contains(listed.as_str()), "{message} does not list {listed}");
    }
}

#[test]
fn far_off_names_get_no_suggestion() {
    let err = gzcm::get_codec("brotli").unwrap_err();
    assert!(matches!(err, RegistryError::UnknownCodec { suggestion: None, .. }), "{err:?}");
}

/// A codec registered only at run time (no attribute).
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

/// Another run-time codec, to contest a name.
struct Other;

impl Codec for Other {
    fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(Other)
    }
}
impl TileEncoder for Other {
    fn encode(&self, _: TileView<'_>, _: &TileContext, _: &mut Vec<u8>) -> Result<(), CodecError> {
        Ok(())
    }
}
impl TileDecoder for Other {
    fn decode(&self, _: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        Ok(TileData::zeros(dtype, shape))
    }
}

#[test]
fn runtime_registration_is_listed_and_round_trips() {
    let descriptor = CodecDescriptor::runtime::<Identity>("identity-rt", "integration", None).unwrap();
    gzcm::register_codec(descriptor.clone()).unwrap();
    // The same codec again is a no-op, not an error.
    gzcm::register_codec(descriptor).unwrap();
    assert!(gzcm::list_codecs().contains(&"identity-rt".to_owned()));
    let handle = gzcm::CodecHandle::by_name("identity-rt", &EncodeOptions::default()).unwrap();
    let tile = ndarray::Array2::from_shape_fn((3, 5), |(r, c)| (r + c) as u32);
    let mut stored = Vec::new();
    handle.encode_stored(tile.view().into(), &TileContext::default(), &mut stored).unwrap();
    assert_eq!(stored.len(), 8 + 60, "opaque: shape header + raw cells");
    assert_eq!(handle.decode_stored(&stored, Dtype::U32, None).unwrap(), TileData::U32(tile));
}

#[test]
fn a_different_codec_under_a_taken_name_is_refused() {
    let mut registry = Registry::empty();
    gzcm::codecs::register_builtins(&mut registry).unwrap();
    let impostor = CodecDescriptor::runtime::<Other>("zstd", "integration", None).unwrap();
    let err = registry.register(impostor).unwrap_err();
    assert!(matches!(&err, RegistryError::NameTaken { name, .. } if name == "zstd"), "{err:?}");
    assert!(err.to_string().contains("gzcm-codecs"), "{err}");
    // The original is untouched.
    assert_eq!(registry.get("zstd").unwrap().origin(), "gzcm-codecs");
}

#[test]
fn runtime_names_are_validated() {
    for bad in ["", "Upper", "with space", &"x".repeat(33)] {
        let err = CodecDescriptor::runtime::<Identity>(bad.to_owned(), "integration", None).unwrap_err();
        assert!(matches!(err, RegistryError::InvalidName { .. }), "{bad:?}: {err:?}");
    }
}

#[test]
fn registries_are_values_tests_can_build_alone() {
    let mut registry = Registry::empty();
    assert!(registry.names().is_empty());
    assert!(matches!(registry.get("zstd"), Err(RegistryError::UnknownCodec { .. })));
    gzcm::codecs::register_builtins(&mut registry).unwrap();
    assert_eq!(registry.names(), BUILTINS);
}
