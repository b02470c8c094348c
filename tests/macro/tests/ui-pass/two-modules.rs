//! Codecs in different modules of one crate, even with the same type name, each register under
//! their own name.

include!("../ui/support/stub_codec.rs.in");

mod fast {
    #[gzcm::codec(name = "ui-pass.fast", wire = Opaque)]
    pub struct Codec;
    stub_codec!(Codec);
}

mod small {
    pub mod nested {
        #[gzcm::codec(name = "ui-pass.small", wire = Opaque)]
        pub struct Codec;
        stub_codec!(Codec);
    }
}

fn main() {
    let fast = gzcm::get_codec("ui-pass.fast").unwrap();
    let small = gzcm::get_codec("ui-pass.small").unwrap();
    assert!(fast.type_name().ends_with("::fast::Codec"), "{}", fast.type_name());
    assert!(small.type_name().ends_with("::small::nested::Codec"), "{}", small.type_name());
}
