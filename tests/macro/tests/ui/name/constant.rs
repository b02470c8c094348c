include!("../support/stub_codec.rs.in");

const SOME_CONST: &str = "lz4";

#[gzcm::codec(name = SOME_CONST, wire = Opaque)]
struct Lz4;
stub_codec!(Lz4);

fn main() {}
