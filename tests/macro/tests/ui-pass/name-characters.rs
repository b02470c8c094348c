//! Names may use digits, `_`, `.` and `-` after the first letter, up to 32 bytes. Names that a
//! careless escaping would merge (`a_b`, `a.b`, `a-b`, `a_ub`) coexist in one crate.

include!("../ui/support/stub_codec.rs.in");

use gzcm::codec;

#[codec(name = "a_b", wire = Opaque)]
struct Underscore;

#[codec(name = "a.b", wire = Opaque)]
struct Dot;

#[codec(name = "a-b", wire = Opaque)]
struct Dash;

#[codec(name = "a_ub", wire = Opaque)]
struct Escaped;

#[codec(name = "x1.2-b_c", wire = Opaque)]
struct Mixed;

#[codec(name = "z", wire = Opaque)]
struct OneLetter;

// Exactly 32 bytes.
#[codec(name = "bsc_cmc.v2-contact-matrices-0123", wire = Opaque)]
struct Longest;

stub_codec!(Underscore, Dot, Dash, Escaped, Mixed, OneLetter, Longest);

fn main() {
    let names = gzcm::list_codecs();
    for name in ["a_b", "a.b", "a-b", "a_ub", "x1.2-b_c", "z", "bsc_cmc.v2-contact-matrices-0123"] {
        assert!(names.iter().any(|n| n == name), "{name} missing from {names:?}");
    }
}
