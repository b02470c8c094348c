//! A codec crate must be linked to be registered. `gzcm-fixture-linked` and
//! `gzcm-fixture-renamed` are dev-dependencies that this test binary names only here, with
//! `use ... as _;` (the documented remedy): their codecs are registered, and the name both
//! declare is a conflict, refused by `get_codec` and kept out of `list_codecs`.

use gzcm::{CodecHandle, Dtype, EncodeOptions, RegistryError, TileContext, TileData, WireFormat};
use gzcm_fixture_linked as _;
use gzcm_fixture_renamed as _;

use crate::support::synthetic_tile;

#[test]
fn a_crate_named_only_by_use_as_underscore_is_registered() {
    let linked = gzcm::get_codec("fixture-linked").unwrap();
    assert_eq!(linked.origin(), "gzcm-fixture-linked");
    assert_eq!(linked.wire(), WireFormat::Opaque);
    assert!(gzcm::list_codecs().contains(&"fixture-linked".to_owned()));
}

#[test]
fn a_renamed_dependency_declares_with_crate_eq_path() {
    let renamed = gzcm::get_codec("fixture-renamed").unwrap();
    assert_eq!(renamed.origin(), "gzcm-fixture-renamed");
    assert_eq!(renamed.type_name(), "gzcm_fixture_renamed::Renamed");
    let data = TileData::U32(synthetic_tile(19, 40));
    let handle = CodecHandle::by_name("fixture-renamed", &EncodeOptions::default()).unwrap();
    let mut stored = Vec::new();
    handle.encode_stored(data.view(), &TileContext::default(), &mut stored).unwrap();
    assert_eq!(gzcm::decode_stored("fixture-renamed", &stored, Dtype::U32).unwrap(), data);
}

#[test]
fn two_linked_crates_clashing_on_a_name_raise_the_conflict() {
    let err = gzcm::get_codec("fixture-clash").unwrap_err();
    let RegistryError::Conflict { name, origins } = &err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert_eq!(name, "fixture-clash");
    let origins = origins.join(" ");
    assert!(origins.contains("gzcm-fixture-linked") && origins.contains("gzcm-fixture-renamed"), "{origins}");
    assert!(!gzcm::list_codecs().contains(&"fixture-clash".to_owned()), "listed but refused");
    assert_eq!(gzcm::list_codec_conflicts(), ["fixture-clash"]);
}

#[test]
fn an_unknown_codec_says_its_crate_may_not_be_linked() {
    let message = gzcm::get_codec("never-declared").unwrap_err().to_string();
    assert!(message.contains("may not be linked"), "{message}");
    assert!(message.contains("use the_crate as _;"), "{message}");
}
