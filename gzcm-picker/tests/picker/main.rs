//! Integration tests of the picker: one binary, one module per topic.

mod choice; // end to end on synthetic maps with the built-in codecs
#[path = "../common/mod.rs"]
mod common; // synthetic Hi-C-like maps and a registry of the built-in codecs
mod partition; // property tests: regions cover every stored tile once, samples are bounded
