include!("../support/stub_codec.rs.in");

#[gzcm::codec(name = "4lz", wire = Opaque)]
struct FourLz;
stub_codec!(FourLz);

fn main() {}
