//! The built-in gzcm tile codecs.
//!
//! | name | wire | dtypes | what it does |
//! |---|---|---|---|
//! | `bsc` | opaque | u32, f32 | block-sorting compression (BWT, MTF/RLE, adaptive entropy coder) of the tile bytes |
//! | `bsc_cmc` | opaque | integer | the cmc transform finished by the bsc back end |
//! | `cmc` | opaque | integer | contact-matrix compressor: diagonal walk, bit-planes, context-modelled arithmetic coding |
//! | `cmc_zstd` | opaque | integer | the cmc transform finished by zstd (level option, default 19) |
//! | `lz4` | self | u32, f32 | LZ4 block with its own 12-byte `rows, cols, uncompressed_size` header |
//! | `rans` | opaque | integer | per-tile decay + low-rank model, neighbour-corrected prediction, residuals by adaptive interleaved rANS |
//! | `shuffle_zstd` | opaque | u32, f32 | the tile's bytes grouped by byte position (four planes), then Zstandard (level option, default 9) |
//! | `zstd` | opaque | u32, f32 | Zstandard on the tile's little-endian bytes (level option, default 9) |
//!
//! "integer": `u32` tiles, and `f32` tiles whose values are all whole counts; any other float
//! tile is refused with [`CodecError::NonIntegerValue`](gzcm_core::CodecError::NonIntegerValue).
//!
//! Each codec is declared with `#[codec(...)]` and registered at link time. A crate that nobody
//! references is dropped by the linker together with its registrations, so the `gzcm` facade
//! calls [`ensure_registered`] from its registry functions: the built-ins are always listed.
//!
//! [`BUILTINS`] is the one list of the eight: [`builtin_descriptors`], [`BUILTIN_NAMES`],
//! [`register_builtins`], [`link`] and the tests all read it, and a test checks the table above
//! against it.

#![forbid(unsafe_code)]

pub mod bsc;
pub mod bsc_cmc;
pub mod cmc;
pub mod cmc_zstd;
mod counts;
pub mod lz4;
mod options;
pub mod rans;
pub mod shuffle_zstd;
mod transformed;
pub mod zstd;

pub use bsc::Bsc;
pub use bsc_cmc::BscCmc;
pub use cmc::Cmc;
pub use cmc_zstd::CmcZstd;
pub use lz4::Lz4;
pub use rans::Rans;
pub use shuffle_zstd::ShuffleZstd;
pub use zstd::Zstd;

use std::sync::Once;

use gzcm_core::{CodecDescriptor, CodecMeta, Registry, RegistryError};

/// The one table of built-in codecs, sorted by name: each type once, everything else derived.
macro_rules! builtins {
    ($($codec:ty),* $(,)?) => {
        /// The descriptors of every built-in codec, sorted by name.
        pub static BUILTINS: [CodecDescriptor; [$(stringify!($codec)),*].len()] =
            [$(CodecDescriptor::declared::<$codec>()),*];

        /// The names of the built-in codecs, sorted.
        pub const BUILTIN_NAMES: [&str; [$(stringify!($codec)),*].len()] = [$(<$codec as CodecMeta>::NAME),*];
    };
}

builtins!(Bsc, BscCmc, Cmc, CmcZstd, Lz4, Rans, ShuffleZstd, Zstd);

/// The descriptors of every built-in codec, sorted by name (a copy of [`BUILTINS`]).
#[must_use]
pub fn builtin_descriptors() -> Vec<CodecDescriptor> {
    BUILTINS.to_vec()
}

/// Adds every built-in codec to `registry` (a no-op for those already there).
///
/// # Errors
/// [`RegistryError::NameTaken`] when a different codec already holds a built-in's name.
pub fn register_builtins(registry: &mut Registry) -> Result<(), RegistryError> {
    BUILTINS.iter().try_for_each(|d| registry.register(d.clone()))
}

/// Keeps this crate, and with it the link-time registrations of the built-in codecs, in every
/// program that calls it. Cheap; [`ensure_registered`] calls it.
#[inline(never)]
pub fn link() {
    std::hint::black_box(&BUILTINS);
}

/// Makes sure the built-in codecs are in the process-wide registry, whatever the linker kept:
/// the one route to a registry with the built-ins (the `gzcm` facade's registry functions, and
/// the container's default registry, go through it). Runs once per process; later calls are free.
pub fn ensure_registered() {
    static BUILTINS_REGISTERED: Once = Once::new();
    BUILTINS_REGISTERED.call_once(|| {
        link();
        for descriptor in &BUILTINS {
            // A clash means a linked crate took a built-in's name; lookups report it.
            let _ = gzcm_core::register_codec(descriptor.clone());
        }
    });
}

/// A snapshot of the process-wide registry with the built-ins in it ([`ensure_registered`]
/// first): what readers and writers use when not given a registry.
///
/// This is the container's route to the registry (it sits below the `gzcm` facade); every
/// other caller goes through the facade (`gzcm::with_registry`, `gzcm::get_codec`), which
/// reaches the same registry after the same [`ensure_registered`].
#[must_use]
pub fn global_registry() -> Registry {
    ensure_registered();
    gzcm_core::registry::with_global(Registry::clone)
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
        let names: Vec<&str> = BUILTINS.iter().map(CodecDescriptor::name).collect();
        assert_eq!(names, BUILTIN_NAMES);
        assert!(names.is_sorted(), "{names:?}");
    }

    #[test]
    fn the_crate_docs_table_lists_exactly_the_builtins() {
        let docs = include_str!("lib.rs");
        let rows: Vec<&str> = docs
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `"))
            .filter_map(|row| row.split('`').next())
            .collect();
        assert_eq!(rows, BUILTIN_NAMES);
    }

    #[test]
    fn the_global_registry_has_the_builtins() {
        let registry = global_registry();
        for name in BUILTIN_NAMES {
            assert_eq!(registry.get(name).unwrap().origin(), "gzcm-codecs");
        }
    }

    #[test]
    fn registering_the_builtins_twice_is_a_no_op() {
        let mut registry = Registry::linked();
        register_builtins(&mut registry).unwrap();
        register_builtins(&mut registry).unwrap();
        assert_eq!(registry.names(), BUILTIN_NAMES);
    }
}
