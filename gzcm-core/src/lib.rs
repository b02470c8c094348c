//! The gzcm contract: tile types, codec traits, wire formats, framing and the codec registry.
//!
//! Most users depend on the `gzcm` facade, which re-exports this crate together with the
//! built-in codecs and the container. This crate never depends on any codec implementation.
//!
//! - [`dtype`]: cell types (`u32` counts, `f32` balanced values).
//! - [`tile`]: a tile at its true shape ([`TileData`], [`TileView`]) and its position ([`TileContext`]).
//! - [`codec`](mod@codec): [`TileEncoder`], [`TileDecoder`], [`PayloadShape`], [`Codec`] and the [`CodecDescriptor`].
//! - [`wire`]: [`WireFormat`] and the type-level markers [`Opaque`](wire::Opaque) and
//!   [`SelfDescribing`](wire::SelfDescribing).
//! - [`framing`]: the 8-byte shape header and decoding a stored tile by codec name.
//! - [`registry`]: [`Registry`], [`list_codecs`], [`get_codec`], [`register_codec`].

#![forbid(unsafe_code)]

extern crate self as gzcm;

pub mod codec;
pub mod dtype;
pub mod error;
pub mod framing;
pub mod grid;
pub mod registry;
pub mod tile;
pub mod wire;

pub use codec::{
    Codec, CodecDescriptor, CodecMeta, EncodeOptions, PayloadShape, ThreadSafe, TileDecoder, TileEncoder,
};
pub use dtype::{Dtype, Element};
pub use error::{CodecError, RegistryError, TileError};
pub use framing::{
    CodecHandle, ShapeSource, decode_stored, decode_stored_typed, encode_stored_typed,
    encode_stored_typed_cells_with, encode_stored_typed_with,
};
pub use gzcm_macros::codec;
/// The `ndarray` crate tiles are made of, re-exported so downstream crates need not match its version.
pub use ndarray;
pub use registry::{Registry, get_codec, list_codec_conflicts, list_codecs, register_codec};
pub use tile::{TileCells, TileContext, TileData, TileShape, TileView};
pub use wire::WireFormat;

/// Not public API: paths used by code that `#[codec]` generates.
#[doc(hidden)]
pub mod __private {
    pub use crate::codec::sealed::Sealed as CodecMetaSealed;
    pub use crate::registry::CodecRegistration;
    pub use inventory;
}
