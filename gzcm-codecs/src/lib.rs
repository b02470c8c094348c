//! The built-in gzcm tile codecs.
//!
//! | name | wire | dtypes | what it does |
//! |---|---|---|---|
//! | `bsc` | opaque | u32, f32 | block-sorting compression (BWT, MTF/RLE, adaptive entropy coder) of the tile bytes |
//! | `bsc_cmc` | opaque | integer | the cmc transform finished by the bsc back end |
//! | `cmc` | opaque | integer | contact-matrix compressor: diagonal walk, bit-planes, context-modelled arithmetic coding |
//! | `cmc_zstd` | opaque | integer | the cmc transform finished by zstd (level option, default 19) |
//! | `lz4` | self | u32, f32 | LZ4 block with its own 12-byte `rows, cols, uncompressed_size` header |
//! | `zstd` | opaque | u32, f32 | Zstandard on the tile's little-endian bytes (level option, default 9) |
//!
//! "integer": `u32` tiles, and `f32` tiles whose values are all whole counts; any other float
//! tile is refused with [`CodecError::NonIntegerValue`](gzcm::CodecError::NonIntegerValue).
//!
//! Each codec is declared with `#[codec(...)]` and registered at link time. A crate that nobody
//! references is dropped by the linker together with its registrations, so the `gzcm` facade
//! calls [`link`] from its registry functions: the built-ins are always listed.

#![forbid(unsafe_code)]

extern crate gzcm_core as gzcm;

pub mod bsc;
pub mod bsc_cmc;
pub mod cmc;
pub mod cmc_zstd;
mod counts;
pub mod lz4;
mod options;
mod transformed;
pub mod zstd;

pub use bsc::Bsc;
pub use bsc_cmc::BscCmc;
pub use cmc::Cmc;
pub use cmc_zstd::CmcZstd;
pub use lz4::Lz4;
pub use zstd::Zstd;

use gzcm::{CodecDescriptor, CodecMeta, Registry, RegistryError};

/// The descriptors of every built-in codec, sorted by name.
#[must_use]
pub fn builtin_descriptors() -> Vec<CodecDescriptor> {
    let origin = env!("CARGO_PKG_NAME");
    vec![
        CodecDescriptor::declared::<Bsc>(origin, "gzcm_codecs::bsc::Bsc"),
        CodecDescriptor::declared::<BscCmc>(origin, "gzcm_codecs::bsc_cmc::BscCmc"),
        CodecDescriptor::declared::<Cmc>(origin, "gzcm_codecs::cmc::Cmc"),
        CodecDescriptor::declared::<CmcZstd>(origin, "gzcm_codecs::cmc_zstd::CmcZstd"),
        CodecDescriptor::declared::<Lz4>(origin, "gzcm_codecs::lz4::Lz4"),
        CodecDescriptor::declared::<Zstd>(origin, "gzcm_codecs::zstd::Zstd"),
    ]
}

/// The names of the built-in codecs, sorted.
pub const BUILTIN_NAMES: [&str; 6] = [
    <Bsc as CodecMeta>::NAME,
    <BscCmc as CodecMeta>::NAME,
    <Cmc as CodecMeta>::NAME,
    <CmcZstd as CodecMeta>::NAME,
    <Lz4 as CodecMeta>::NAME,
    <Zstd as CodecMeta>::NAME,
];

/// Adds every built-in codec to `registry` (a no-op for those already there).
///
/// # Errors
/// [`RegistryError::NameTaken`] when a different codec already holds a built-in's name.
pub fn register_builtins(registry: &mut Registry) -> Result<(), RegistryError> {
    builtin_descriptors().into_iter().try_for_each(|d| registry.register(d))
}

/// Keeps this crate, and with it the link-time registrations of the built-in codecs, in every
/// program that calls it. Cheap; call it before relying on the process-wide registry.
#[inline(never)]
pub fn link() {
    std::hint::black_box(builtin_descriptors as fn() -> Vec<CodecDescriptor>);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_descriptors_are_the_linked_ones() {
        let linked = Registry::linked();
        for descriptor in builtin_descriptors() {
            let found = linked.get(descriptor.name()).unwrap();
            assert!(found.same_codec(&descriptor), "{descriptor:?} differs from the linked {found:?}");
        }
        let descriptors = builtin_descriptors();
        let names: Vec<&str> = descriptors.iter().map(CodecDescriptor::name).collect();
        assert_eq!(names, BUILTIN_NAMES);
    }

    #[test]
    fn registering_the_builtins_twice_is_a_no_op() {
        let mut registry = Registry::linked();
        register_builtins(&mut registry).unwrap();
        register_builtins(&mut registry).unwrap();
        assert_eq!(registry.names(), BUILTIN_NAMES);
    }
}
