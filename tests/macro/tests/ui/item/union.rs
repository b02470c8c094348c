#[gzcm::codec(name = "bits", wire = Opaque)]
union Bits {
    word: u32,
    float: f32,
}

fn main() {}
