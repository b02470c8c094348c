#[gzcm::codec(name = "snappy", wire = Opaque)]
struct Snappy;

fn main() {}
