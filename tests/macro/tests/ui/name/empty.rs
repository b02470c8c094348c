include!("../support/stub_codec.rs.in");

#[gzcm::codec(name = "", wire = Opaque)]
struct Nameless;
stub_codec!(Nameless);

fn main() {}
