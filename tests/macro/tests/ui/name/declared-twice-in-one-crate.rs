include!("../support/stub_codec.rs.in");

mod fast {
    #[gzcm::codec(name = "lz4", wire = Opaque)]
    pub struct Lz4;
    stub_codec!(Lz4);
}

mod faster {
    #[gzcm::codec(name = "lz4", wire = Opaque)]
    pub struct Lz4;
    stub_codec!(Lz4);
}

fn main() {}
