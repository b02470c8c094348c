use std::marker::PhantomData;

#[gzcm::codec(name = "lz4", wire = Opaque)]
struct Lz4<T>(PhantomData<T>);

fn main() {}
