#[gzcm::codec(name = "lz4", wire = Opaque)]
fn lz4() {}

fn main() {}
