include!("../support/stub_codec.rs.in");

#[gzcm::codec(name = "zstd", wire = opaque)]
struct Zstd;
stub_codec!(Zstd);

fn main() {}
