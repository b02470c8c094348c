include!("../support/stub_codec.rs.in");

// Only the typo is reported: `name` is not also called missing.
#[gzcm::codec(nmae = "lz4", wire = Opaque)]
struct Lz4;
stub_codec!(Lz4);

fn main() {}
