#[gzcm::codec(name = "dict", wire = Opaque)]
struct Dict<'a>(&'a [u8]);

fn main() {}
