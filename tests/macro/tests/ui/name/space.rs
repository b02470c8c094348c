include!("../support/stub_codec.rs.in");

#[gzcm::codec(name = "my codec", wire = Opaque)]
struct MyCodec;
stub_codec!(MyCodec);

fn main() {}
