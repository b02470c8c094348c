//! A `macro_rules!` can declare codecs: `$name:literal`, `$name:expr` and `$wire:ident`
//! fragments reach the attribute wrapped in invisible groups, which it looks through.

include!("../ui/support/stub_codec.rs.in");

macro_rules! literal_codec {
    ($ty:ident, $name:literal, $wire:ident) => {
        #[gzcm::codec(name = $name, wire = $wire)]
        struct $ty;
        stub_codec!($ty);
    };
}

macro_rules! expr_codec {
    ($ty:ident, $name:expr) => {
        #[gzcm::codec(name = $name, wire = Opaque)]
        struct $ty;
        stub_codec!($ty);
    };
}

literal_codec!(FromLiteral, "ui-pass.literal", Opaque);
expr_codec!(FromExpr, "ui-pass.expr");

fn main() {
    let names = gzcm::list_codecs();
    for name in ["ui-pass.literal", "ui-pass.expr"] {
        assert!(names.iter().any(|n| n == name), "{name} missing from {names:?}");
    }
}
