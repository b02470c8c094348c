// One declaration with five mistakes: all of them are reported in one build, each on its
// token, and nothing else (no secondary errors from the rejected declaration).
#[gzcm::codec(name = "My Codec", wire = Framed, level = 3, name = "my-codec")]
struct MyCodec; // and it implements none of the codec traits

fn main() {}
