include!("../support/stub_codec.rs.in");

#[gzcm::codec(name = "lz4", wire = "self")]
struct Lz4;
stub_codec!(Lz4);

fn main() {}
