include!("../support/stub_codec.rs.in");

#[gzcm::codec]
struct Lz4;
stub_codec!(Lz4);

fn main() {}
