include!("../support/stub_codec.rs.in");

// 33 bytes: one over the limit.
#[gzcm::codec(name = "contact_matrix_transform_with_bsc", wire = Opaque)]
struct Long;
stub_codec!(Long);

fn main() {}
