//! The built-in gzcm tile codecs.
//!
//! | name | wire | dtypes | what it does |
//! |---|---|---|---|
//! | `zstd` | opaque | u32, f32 | Zstandard on the tile's little-endian bytes (level option, default 19) |
//! | `lz4` | self | u32, f32 | LZ4 block with its own 12-byte `rows, cols, uncompressed_size` header |
//!
//! Each codec is declared with `#[codec(...)]` and registered at link time. A crate that nobody
//! references is dropped by the linker together with its registrations, so the `gzcm` facade
//! calls [`link`] from its registry functions: the built-ins are always listed.

extern crate gzcm_core as gzcm;

pub mod lz4;
pub mod zstd;

pub use lz4::Lz4;
pub use zstd::Zstd;

use gzcm::{CodecDescriptor, CodecMeta, Registry, RegistryError};

/// The descriptors of every built-in codec, sorted by name.
#[must_use]
pub fn builtin_descriptors() -> Vec<CodecDescriptor> {
    let origin = env!("CARGO_PKG_NAME");
    vec![
        CodecDescriptor::declared::<Lz4>(origin, "gzcm_codecs::lz4::Lz4"),
        CodecDescriptor::declared::<Zstd>(origin, "gzcm_codecs::zstd::Zstd"),
    ]
}

/// The names of the built-in codecs, sorted.
pub const BUILTIN_NAMES: [&str; 2] = [<Lz4 as CodecMeta>::NAME, <Zstd as CodecMeta>::NAME];

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
