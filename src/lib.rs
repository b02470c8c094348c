//! # gzcm: Hi-C contact matrices as compressed, randomly accessible tiles
//!
//! This is the facade crate: depend on `gzcm` alone. It re-exports the contract
//! ([`gzcm_core`]: tiles, codec traits, wire formats, framing, registry), the `#[codec]`
//! attribute, and the built-in codecs ([`codecs`]).
//!
//! ## Declaring a codec
//!
//! **A codec crate must be linked to be registered.** Codecs declared with [`codec`] register
//! at link time, and the linker drops a dependency that the program never names, codecs and
//! all: [`get_codec`] then reports an unknown codec, and two such crates clashing on a name
//! raise no [`RegistryError::Conflict`]. A binary that depends on a codec crate only for its
//! codecs names it once: `use my_codecs as _;`.
//!
//! A dependency renamed in `Cargo.toml` (`gz = { package = "gzcm", ... }`) says where gzcm is:
//! `#[codec(name = "...", wire = Opaque, crate = gz)]`.
//!
//! ```
//! use gzcm::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
//! use gzcm::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};
//!
//! /// Stores the raw little-endian cells.
//! #[codec(name = "doc-identity", wire = Opaque)]
//! struct Identity;
//!
//! impl Codec for Identity {
//!     fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> { Ok(Identity) }
//! }
//! impl TileEncoder for Identity {
//!     fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
//!         tile.write_le_bytes(out);
//!         Ok(())
//!     }
//! }
//! impl TileDecoder for Identity {
//!     fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
//!         TileData::from_le_bytes(dtype, shape, payload)
//!     }
//! }
//!
//! assert!(gzcm::list_codecs().contains(&"doc-identity".to_owned()));
//! assert_eq!(gzcm::get_codec("doc-identity").unwrap().wire(), gzcm::WireFormat::Opaque);
//! ```

#![forbid(unsafe_code)]

pub use gzcm_core::*;

/// The built-in codecs.
pub use gzcm_codecs as codecs;

/// The `.gzcm` file: streaming writer, memory-mapped random-access reader, tile cache.
pub use gzcm_container as container;
pub use gzcm_container::{Reader, ReaderOptions, Writer, WriterBuilder};

/// The `ndarray` version gzcm's tiles are built on, so downstream crates need not match it.
pub use gzcm_core::ndarray;

/// Makes sure the built-in codecs are in the process-wide registry, whatever the linker kept:
/// the single route, shared with the container's default registry
/// ([`gzcm_codecs::ensure_registered`]).
fn ensure_builtins() {
    gzcm_codecs::ensure_registered();
}

/// The names of every usable codec in the process-wide registry, sorted: the built-ins, every
/// codec declared with `#[codec]` in a linked crate, and those registered at run time. Exactly
/// the names [`get_codec`] resolves: a name that linked crates declare more than once is left
/// out (see [`list_codec_conflicts`]).
#[must_use]
pub fn list_codecs() -> Vec<String> {
    ensure_builtins();
    gzcm_core::list_codecs()
}

/// The names that several linked crates declare with different codecs, sorted: [`get_codec`]
/// refuses each with [`RegistryError::Conflict`], and [`list_codecs`] leaves them out.
#[must_use]
pub fn list_codec_conflicts() -> Vec<String> {
    ensure_builtins();
    gzcm_core::list_codec_conflicts()
}

/// The descriptor of the codec called `name`.
///
/// # Errors
/// [`RegistryError::UnknownCodec`] naming the request, listing every available codec and
/// suggesting a close match; [`RegistryError::Conflict`] when linked crates clash on the name.
pub fn get_codec(name: &str) -> Result<CodecDescriptor, RegistryError> {
    ensure_builtins();
    gzcm_core::get_codec(name)
}

/// Adds a codec to the process-wide registry at run time.
///
/// # Errors
/// [`RegistryError::NameTaken`] when a different codec holds the name.
pub fn register_codec(descriptor: CodecDescriptor) -> Result<(), RegistryError> {
    ensure_builtins();
    gzcm_core::register_codec(descriptor)
}

/// Decodes a stored tile given only the codec name, the stored bytes and the cell type.
///
/// # Errors
/// As [`gzcm_core::decode_stored`].
pub fn decode_stored(codec: &str, stored: &[u8], dtype: Dtype) -> Result<TileData, TileError> {
    ensure_builtins();
    gzcm_core::decode_stored(codec, stored, dtype)
}

/// Runs `f` with the process-wide registry, built-ins included.
pub fn with_registry<R>(f: impl FnOnce(&Registry) -> R) -> R {
    ensure_builtins();
    gzcm_core::registry::with_global(f)
}

/// The README's Rust examples, compiled and run as doctests so the codec-authoring guide cannot
/// drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
