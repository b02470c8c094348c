include!("../support/stub_codec.rs.in");

#[gzcm::codec(name = 4, wire = Opaque)]
struct Four;
stub_codec!(Four);

fn main() {}
