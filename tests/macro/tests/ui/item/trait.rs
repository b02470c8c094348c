#[gzcm::codec(name = "lz4", wire = Opaque)]
trait Lz4 {}

fn main() {}
