// `CodecMeta` is sealed: a hand-written impl (here with a name the attribute would refuse, and
// `SelfDescribing` with no shape reader) must not compile.
include!("../support/stub_codec.rs.in");

struct Bad;
stub_codec!(Bad);

impl gzcm::CodecMeta for Bad {
    const NAME: &'static str = "Bad Name!";
    const ORIGIN: &'static str = "ui";
    const TYPE_PATH: &'static str = "Bad";
    type Wire = gzcm::wire::SelfDescribing;
    const SHAPE_READER: Option<gzcm::codec::ShapeReader> = None;
}

fn main() {}
