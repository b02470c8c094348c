// Two rejected declarations in one file: both are reported.
#[gzcm::codec(name = "Lz4", wire = Opaque)]
struct Lz4<T>(T);

#[gzcm::codec(wire = SelfDescribing)]
enum Zstd<'a> {
    Level(&'a i32),
}

fn main() {}
