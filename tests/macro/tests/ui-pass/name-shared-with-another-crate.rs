//! A name taken by another crate (here the built-in `zstd`) is not a compile error: crates are
//! compiled apart, and the name claim is per crate. The registry reports the clash at lookup
//! (SPEC §6), naming both declarations.

include!("../ui/support/stub_codec.rs.in");

// The built-in codecs crate's own name claims come into scope too, and clash with nothing.
#[allow(unused_imports)]
use gzcm::codecs::*;

#[gzcm::codec(name = "zstd", wire = Opaque)]
struct MyZstd;
stub_codec!(MyZstd);

fn main() {
    match gzcm::get_codec("zstd") {
        Err(gzcm::RegistryError::Conflict { name, origins }) => {
            assert_eq!(name, "zstd");
            assert!(origins.iter().any(|o| o.contains("MyZstd")), "{origins:?}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}
