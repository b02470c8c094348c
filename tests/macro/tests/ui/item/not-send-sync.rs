include!("../support/stub_codec.rs.in");

use std::rc::Rc;

/// Holds an `Rc`: neither `Send` nor `Sync`.
#[gzcm::codec(name = "shared-state", wire = Opaque)]
struct SharedState(Rc<Vec<u8>>);
stub_codec!(SharedState);

fn main() {}
