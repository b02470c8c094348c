//! A `#[cfg]` written below `#[codec]` applies to everything the attribute generates: a
//! configured-out codec leaves no impl or registration naming a missing type.

include!("../ui/support/stub_codec.rs.in");

#[gzcm::codec(name = "ui-pass.gone", wire = Opaque)]
#[cfg(any())]
struct Gone;
#[cfg(any())]
stub_codec!(Gone);

#[gzcm::codec(name = "ui-pass.kept", wire = Opaque)]
#[cfg(all())]
struct Kept;
stub_codec!(Kept);

fn main() {
    let names = gzcm::list_codecs();
    assert!(names.iter().any(|n| n == "ui-pass.kept"), "{names:?}");
    assert!(!names.iter().any(|n| n == "ui-pass.gone"), "{names:?}");
}
