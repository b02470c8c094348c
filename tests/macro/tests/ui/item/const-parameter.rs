#[gzcm::codec(name = "zstd", wire = Opaque)]
struct Zstd<const LEVEL: i32>;

fn main() {}
