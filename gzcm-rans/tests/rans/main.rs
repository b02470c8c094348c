//! Integration tests of the rans codec: one binary, one module per topic.

#[path = "../common/mod.rs"]
mod common; // synthetic contact maps, random tiles, tiles of the shared real matrices
mod golden; // exact bytes of small fixed tiles: the format cannot drift silently
mod hostile; // truncated, corrupted and random bytes: payload errors, never panics or hangs
mod roundtrip; // tiles of every kind decode to what was encoded
