//! A codec declared inside a function body (as a test might) compiles without warnings.

#![deny(warnings)]

include!("../ui/support/stub_codec.rs.in");

fn main() {
    #[gzcm::codec(name = "ui-pass.local", wire = Opaque)]
    struct Local;
    stub_codec!(Local);

    assert!(gzcm::list_codecs().iter().any(|n| n == "ui-pass.local"));
}
