include!("../support/stub_codec.rs.in");

// Implements the codec traits, but not `PayloadShape`.
#[gzcm::codec(name = "snappy", wire = SelfDescribing)]
struct Snappy;
stub_codec!(Snappy);

fn main() {}
