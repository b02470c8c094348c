include!("../support/stub_codec.rs.in");

#[gzcm::codec(name = "zstd", wire = Opaque, level = 3)]
struct Zstd;
stub_codec!(Zstd);

fn main() {}
