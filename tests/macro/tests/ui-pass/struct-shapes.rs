//! Unit, tuple and named structs, and an enum, can all be codecs.

include!("../ui/support/stub_codec.rs.in");

use gzcm::codec;

#[codec(name = "ui-pass.unit", wire = Opaque)]
struct Unit;

#[codec(name = "ui-pass.tuple", wire = Opaque)]
struct Tuple(#[allow(dead_code)] i32);

#[codec(name = "ui-pass.named", wire = Opaque)]
struct Named {
    #[allow(dead_code)]
    level: i32,
}

/// An enum codec: the variant is picked from the encode options.
#[codec(name = "ui-pass.enum", wire = Opaque)]
#[allow(dead_code)]
enum Mode {
    Fast,
    Small { level: i32 },
}

stub_codec!(Unit, Tuple, Named, Mode);

fn main() {
    let names = gzcm::list_codecs();
    for name in ["ui-pass.unit", "ui-pass.tuple", "ui-pass.named", "ui-pass.enum"] {
        assert!(names.iter().any(|n| n == name), "{name} missing from {names:?}");
    }
}
