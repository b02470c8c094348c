//! The codec contract: encoder and decoder traits, and the descriptor the registry holds.

use std::borrow::Cow;
use std::fmt;

use crate::dtype::Dtype;
use crate::error::{CodecError, RegistryError};
use crate::tile::{TileCells, TileContext, TileData, TileShape, TileView};
use crate::wire::{Wire, WireFormat};

#[doc(hidden)]
pub mod name_rule;

/// Longest allowed codec name, in bytes (SPEC §5).
pub const MAX_CODEC_NAME_LEN: usize = name_rule::MAX_LEN;

/// Options that tune encoding. Decoding never needs options: payloads are self-contained.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EncodeOptions {
    /// Compression level for codecs that have one (`zstd`: 1..=22, default 9; `cmc_zstd`: default 19).
    pub level: Option<i32>,
}

impl EncodeOptions {
    /// Options with a compression level.
    #[must_use]
    pub fn with_level(level: i32) -> Self {
        EncodeOptions { level: Some(level) }
    }
}

/// Turns one tile into a codec payload (without any framing; the writer frames by wire format).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `gzcm::TileEncoder`",
    label = "`{Self}` needs `impl TileEncoder` (encode)",
    note = "a #[codec] type implements all three of `TileEncoder` (encode), `TileDecoder` (decode) and `Codec` (construction)"
)]
pub trait TileEncoder {
    /// Appends the payload of `tile` to `out`.
    ///
    /// # Errors
    /// A [`CodecError`] when the codec cannot store this tile (e.g. an integer-only codec given
    /// non-integer floats, or an unsupported dtype).
    fn encode(&self, tile: TileView<'_>, context: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError>;

    /// Appends the payload of the tile given by its non-zero cells to `out`: the same payload
    /// [`TileEncoder::encode`] writes for the dense tile. The provided method makes the tile
    /// dense and encodes that; a codec that can write a sparse tile's payload from its cells
    /// (most tiles of a fine genome-wide map hold a contact or two) overrides it.
    ///
    /// # Errors
    /// As [`TileEncoder::encode`].
    fn encode_cells(
        &self,
        tile: TileCells<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), CodecError> {
        self.encode(tile.to_dense().view(), context, out)
    }
}

/// Turns a payload back into a tile.
///
/// `shape` has been validated by the caller (each edge within `1..=4096`, and equal to what the
/// file's geometry implies). Size every buffer from `shape`, never from a number in `payload`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `gzcm::TileDecoder`",
    label = "`{Self}` needs `impl TileDecoder` (decode)",
    note = "a #[codec] type implements all three of `TileEncoder` (encode), `TileDecoder` (decode) and `Codec` (construction)"
)]
pub trait TileDecoder {
    /// Decodes `payload` into a tile of `shape` and `dtype`.
    ///
    /// # Errors
    /// A [`CodecError`] for truncated, corrupt or inconsistent payloads. Never panics.
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError>;
}

/// A codec whose payload header carries the tile shape (required by `wire = SelfDescribing`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `wire = SelfDescribing` but cannot report its shape from its payload header",
    label = "`{Self}` does not implement `gzcm::PayloadShape`",
    note = "implement `PayloadShape` for it, or declare `wire = Opaque` so the writer adds the 8-byte shape header"
)]
pub trait PayloadShape {
    /// Reads the tile shape from the payload's own header, without decoding.
    ///
    /// # Errors
    /// A [`CodecError`] when the header is missing, truncated or holds an invalid shape.
    fn payload_shape(payload: &[u8]) -> Result<TileShape, CodecError>;
}

/// A complete codec type: encoder and decoder, built from options.
///
/// Declare it with `#[codec(name = "...", wire = Opaque | SelfDescribing)]` to register it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared with #[codec] but does not implement `gzcm::Codec`",
    label = "this type needs `impl Codec`, `impl TileEncoder` and `impl TileDecoder`",
    note = "a codec type implements `TileEncoder` (encode), `TileDecoder` (decode) and `Codec` (construction)"
)]
pub trait Codec: TileEncoder + TileDecoder + Sized + 'static {
    /// Builds the codec for the given options (decoders are built with the defaults).
    ///
    /// # Errors
    /// [`CodecError::InvalidOption`] for options the codec does not accept.
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError>;

    /// Whether the codec can store tiles of `dtype`. Defaults to every dtype.
    #[must_use]
    fn supports(dtype: Dtype) -> bool {
        let _ = dtype;
        true
    }
}

/// An encoder shared across threads: what the registry's factories build.
pub type SharedEncoder = Box<dyn TileEncoder + Send + Sync>;
/// A decoder shared across threads: what the registry's factories build.
pub type SharedDecoder = Box<dyn TileDecoder + Send + Sync>;

/// Codecs are shared across threads: a declared codec type must be `Send + Sync`.
///
/// Implemented for every `Send + Sync + 'static` type; `#[codec]` requires it, and reports a
/// type that is not with one message (instead of one per trait and bound).
#[diagnostic::on_unimplemented(
    message = "a codec must be `Send + Sync`: `{Self}` is not",
    label = "codecs are shared across threads, so `{Self}` must be `Send + Sync`",
    note = "replace `Rc`/`RefCell`/`Cell` fields with `Arc`/`Mutex`/atomics, or build such state inside `encode`/`decode`"
)]
pub trait ThreadSafe {
    /// Boxes the codec as a shareable encoder.
    fn into_shared_encoder(self) -> SharedEncoder
    where
        Self: TileEncoder + Sized;
    /// Boxes the codec as a shareable decoder.
    fn into_shared_decoder(self) -> SharedDecoder
    where
        Self: TileDecoder + Sized;
}

#[diagnostic::do_not_recommend]
impl<T: Send + Sync + 'static> ThreadSafe for T {
    fn into_shared_encoder(self) -> SharedEncoder
    where
        Self: TileEncoder,
    {
        Box::new(self)
    }

    fn into_shared_decoder(self) -> SharedDecoder
    where
        Self: TileDecoder,
    {
        Box::new(self)
    }
}

/// Not public API: the seal on [`CodecMeta`], implemented by code that `#[codec]` generates.
#[doc(hidden)]
pub mod sealed {
    /// Implemented only by `#[codec]`: keeps hand-written `impl CodecMeta` out, since those
    /// skip the name and wire checks and can write files that cannot be reopened.
    #[diagnostic::on_unimplemented(
        message = "`CodecMeta` is implemented by `#[gzcm::codec]` only, not by hand",
        label = "remove this `impl CodecMeta` and write `#[gzcm::codec(name = \"...\", wire = ...)]` on `{Self}`",
        note = "the attribute checks the name and wire format and registers the codec"
    )]
    pub trait Sealed {}
}

/// Static metadata of a declared codec. Sealed: only `#[codec(...)]` implements it.
pub trait CodecMeta: Codec + ThreadSafe + sealed::Sealed {
    /// The registered name.
    const NAME: &'static str;
    /// The crate that declared the codec (its `CARGO_PKG_NAME`).
    const ORIGIN: &'static str;
    /// The codec type's path, for messages about clashing names.
    const TYPE_PATH: &'static str;
    /// The declared wire format.
    type Wire: Wire;
    /// Reads the shape from a payload: `Some` exactly when `Wire` is [`SelfDescribing`](crate::wire::SelfDescribing).
    const SHAPE_READER: Option<ShapeReader>;
}

/// Builds a boxed encoder from options.
pub type EncoderFactory = fn(&EncodeOptions) -> Result<SharedEncoder, CodecError>;
/// Builds a boxed decoder.
pub type DecoderFactory = fn() -> Result<SharedDecoder, CodecError>;
/// Reads a self-describing payload's shape.
pub type ShapeReader = fn(&[u8]) -> Result<TileShape, CodecError>;

/// Everything the registry knows about one codec: name, wire format, origin and factories.
#[derive(Clone)]
pub struct CodecDescriptor {
    name: Cow<'static, str>,
    wire: WireFormat,
    origin: &'static str,
    type_name: &'static str,
    new_encoder: EncoderFactory,
    new_decoder: DecoderFactory,
    payload_shape: Option<ShapeReader>,
    supports: fn(Dtype) -> bool,
}

impl CodecDescriptor {
    /// The descriptor of a codec declared with `#[codec]`: everything comes from its
    /// [`CodecMeta`] (name, wire format, declaring crate and type path).
    #[must_use]
    pub const fn declared<C: CodecMeta>() -> Self {
        CodecDescriptor {
            name: Cow::Borrowed(C::NAME),
            wire: <C::Wire as Wire>::FORMAT,
            origin: C::ORIGIN,
            type_name: C::TYPE_PATH,
            new_encoder: declared_encoder::<C>,
            new_decoder: declared_decoder::<C>,
            payload_shape: C::SHAPE_READER,
            supports: C::supports,
        }
    }

    /// A descriptor for a codec registered at run time under `name` (checked against the naming
    /// rule), without the `#[codec]` attribute. The wire format follows from `payload_shape`:
    /// `Some` makes it self-describing, `None` opaque.
    ///
    /// # Errors
    /// [`RegistryError::InvalidName`] when `name` breaks the rule `[a-z][a-z0-9_.-]*`, ≤ 32 bytes.
    pub fn runtime<C: Codec + Send + Sync>(
        name: impl Into<Cow<'static, str>>,
        origin: &'static str,
        payload_shape: Option<ShapeReader>,
    ) -> Result<Self, RegistryError> {
        let name = name.into();
        validate_codec_name(&name)?;
        Ok(CodecDescriptor {
            wire: if payload_shape.is_some() { WireFormat::SelfDescribing } else { WireFormat::Opaque },
            name,
            origin,
            type_name: std::any::type_name::<C>(),
            new_encoder: boxed_encoder::<C>,
            new_decoder: boxed_decoder::<C>,
            payload_shape,
            supports: C::supports,
        })
    }

    /// The registered name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The declared wire format.
    #[must_use]
    pub fn wire(&self) -> WireFormat {
        self.wire
    }

    /// The crate that declared the codec.
    #[must_use]
    pub fn origin(&self) -> &'static str {
        self.origin
    }

    /// The Rust type implementing the codec.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Whether the codec can store tiles of `dtype`.
    #[must_use]
    pub fn supports(&self, dtype: Dtype) -> bool {
        (self.supports)(dtype)
    }

    /// Builds an encoder.
    ///
    /// # Errors
    /// [`CodecError::InvalidOption`] for options the codec refuses.
    pub fn encoder(&self, options: &EncodeOptions) -> Result<SharedEncoder, CodecError> {
        (self.new_encoder)(options)
    }

    /// Builds a decoder.
    ///
    /// # Errors
    /// Whatever the codec's construction reports (built-ins never fail).
    pub fn decoder(&self) -> Result<SharedDecoder, CodecError> {
        (self.new_decoder)()
    }

    /// For a self-describing codec, reads the shape from a payload's header; `None` for opaque codecs.
    #[must_use]
    pub fn shape_reader(&self) -> Option<ShapeReader> {
        self.payload_shape
    }

    /// Whether two descriptors stand for the same codec (same name, wire format and type).
    #[must_use]
    pub fn same_codec(&self, other: &CodecDescriptor) -> bool {
        self.name == other.name && self.wire == other.wire && self.type_name == other.type_name
    }
}

impl fmt::Debug for CodecDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodecDescriptor")
            .field("name", &self.name)
            .field("wire", &self.wire)
            .field("origin", &self.origin)
            .field("type_name", &self.type_name)
            .finish_non_exhaustive()
    }
}

fn boxed_encoder<C: Codec + Send + Sync>(options: &EncodeOptions) -> Result<SharedEncoder, CodecError> {
    Ok(Box::new(C::with_options(options)?))
}

fn boxed_decoder<C: Codec + Send + Sync>() -> Result<SharedDecoder, CodecError> {
    Ok(Box::new(C::with_options(&EncodeOptions::default())?))
}

fn declared_encoder<C: CodecMeta>(options: &EncodeOptions) -> Result<SharedEncoder, CodecError> {
    Ok(C::with_options(options)?.into_shared_encoder())
}

fn declared_decoder<C: CodecMeta>() -> Result<SharedDecoder, CodecError> {
    Ok(C::with_options(&EncodeOptions::default())?.into_shared_decoder())
}

/// Checks a codec name against the rule `[a-z][a-z0-9_.-]*`, at most 32 bytes (SPEC §5).
///
/// # Errors
/// [`RegistryError::InvalidName`] saying which part of the rule the name breaks.
pub fn validate_codec_name(name: &str) -> Result<(), RegistryError> {
    match name_rule::problems(name).first() {
        None => Ok(()),
        Some(problem) => Err(RegistryError::InvalidName { name: name.to_owned(), reason: problem.reason() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule() {
        for good in ["zstd", "cmc_zstd", "a", "x1.2-b_c", &"a".repeat(32)] {
            assert!(validate_codec_name(good).is_ok(), "{good}");
        }
        for bad in ["", "Zstd", "1abc", "has space", "ü", &"a".repeat(33), "_x"] {
            assert!(validate_codec_name(bad).is_err(), "{bad}");
        }
    }
}
