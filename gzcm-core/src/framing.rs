//! Framing of stored tiles by wire format (SPEC §5).
//!
//! Opaque payloads are stored as `rows: i32 LE | cols: i32 LE | payload`; self-describing
//! payloads are stored untouched. The typed functions take the framing from the codec's declared
//! [`Wire`] marker; [`CodecHandle`] takes it from the registry's descriptor.
//! Either way the shape read back is validated (edges within `1..=4096`, and equal to the shape
//! the caller expects when it knows one) before any decoder sizes a buffer from it.
//!
//! A container whose index already fixes every tile's shape may store opaque payloads bare
//! ([`ShapeSource::Index`]): the 8 header bytes would only repeat what the grid says.

use crate::codec::{CodecDescriptor, CodecMeta, EncodeOptions, ShapeReader, TileDecoder, TileEncoder};
use crate::dtype::Dtype;
use crate::error::{CodecError, TileError};
use crate::registry::{Registry, with_global};
use crate::tile::{TileCells, TileContext, TileData, TileShape, TileView};
use crate::wire::{Wire, WireFormat};

/// Bytes of the shape header the writer prepends to opaque payloads.
pub const SHAPE_HEADER_LEN: usize = 8;

/// Where the shape of a stored opaque payload comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShapeSource {
    /// SPEC §5: the writer prepends the 8-byte `(rows, cols)` header to opaque payloads.
    #[default]
    Header,
    /// The container's index fixes each tile's shape, so opaque payloads are stored without the
    /// header (docs/format.md, bare-payloads-1). Self-describing payloads are unchanged.
    Index,
}

impl ShapeSource {
    /// Whether a payload of `wire` format is stored behind the 8-byte shape header.
    #[must_use]
    pub fn writes_header(self, wire: WireFormat) -> bool {
        self == ShapeSource::Header && wire == WireFormat::Opaque
    }
}

/// Appends the 8-byte `rows: i32 LE | cols: i32 LE` header.
///
/// # Panics
/// Never for shapes within [`MAX_TILE_EDGE`](crate::tile::MAX_TILE_EDGE).
pub fn write_shape_header(shape: TileShape, out: &mut Vec<u8>) {
    let rows = i32::try_from(shape.rows).expect("tile edges are at most 4096");
    let cols = i32::try_from(shape.cols).expect("tile edges are at most 4096");
    out.extend_from_slice(&rows.to_le_bytes());
    out.extend_from_slice(&cols.to_le_bytes());
}

/// Splits an opaque stored tile into its validated shape and the codec payload.
///
/// # Errors
/// [`TileError::MissingShapeHeader`] for fewer than 8 bytes, [`TileError::BadShapeHeader`] for
/// edges outside `1..=4096`.
pub fn read_shape_header(stored: &[u8]) -> Result<(TileShape, &[u8]), TileError> {
    let Some((header, payload)) = stored.split_first_chunk::<SHAPE_HEADER_LEN>() else {
        return Err(TileError::MissingShapeHeader { len: stored.len() });
    };
    let rows = i32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    let cols = i32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    let shape = u32::try_from(rows)
        .ok()
        .zip(u32::try_from(cols).ok())
        .and_then(|(r, c)| TileShape::checked(r, c).ok())
        .ok_or(TileError::BadShapeHeader { rows, cols })?;
    Ok((shape, payload))
}

/// Splits a stored tile into its validated shape and the bytes the decoder receives.
///
/// # Errors
/// As [`read_shape_header`] for opaque codecs; the codec's error for a self-describing payload
/// whose header is bad; [`CodecError::ShapeMismatch`] when `expected` is given and differs.
pub fn unframe<'a>(
    codec: &str,
    wire: WireFormat,
    shape_reader: Option<ShapeReader>,
    stored: &'a [u8],
    expected: Option<TileShape>,
) -> Result<(TileShape, &'a [u8]), TileError> {
    let codec_error = |source| TileError::Codec { codec: codec.to_owned(), source };
    let (shape, payload) = match (wire, shape_reader) {
        (WireFormat::Opaque, _) => read_shape_header(stored)?,
        (WireFormat::SelfDescribing, Some(reader)) => {
            let shape = reader(stored).map_err(codec_error)?;
            let shape = TileShape::checked(shape.rows, shape.cols).map_err(codec_error)?;
            (shape, stored)
        }
        (WireFormat::SelfDescribing, None) => {
            return Err(codec_error(CodecError::Corrupt {
                reason: "self-describing codec has no shape reader",
            }));
        }
    };
    match expected {
        Some(expected) if expected != shape => {
            Err(codec_error(CodecError::ShapeMismatch { expected, found: shape }))
        }
        _ => Ok((shape, payload)),
    }
}

/// A tile on its way to an encoder: dense, or its non-zero cells.
#[derive(Clone, Copy)]
enum Input<'a> {
    Dense(TileView<'a>),
    Cells(TileCells<'a>),
}

fn frame_with(
    codec: &str,
    wire: WireFormat,
    source: ShapeSource,
    encoder: &dyn TileEncoder,
    tile: Input<'_>,
    context: &TileContext,
    out: &mut Vec<u8>,
) -> Result<(), TileError> {
    let shape = match tile {
        Input::Dense(view) => view.shape(),
        Input::Cells(cells) => cells.shape(),
    };
    let shape = TileShape::checked(shape.rows, shape.cols)
        .map_err(|source| TileError::Codec { codec: codec.to_owned(), source })?;
    if source.writes_header(wire) {
        write_shape_header(shape, out);
    }
    match tile {
        Input::Dense(view) => encoder.encode(view, context, out),
        Input::Cells(cells) => encoder.encode_cells(cells, context, out),
    }
    .map_err(|source| TileError::Codec { codec: codec.to_owned(), source })
}

fn decode_with(
    codec: &str,
    decoder: &dyn TileDecoder,
    shape: TileShape,
    payload: &[u8],
    dtype: Dtype,
) -> Result<TileData, TileError> {
    let tile = decoder
        .decode(payload, shape, dtype)
        .map_err(|source| TileError::Codec { codec: codec.to_owned(), source })?;
    if tile.shape() != shape || tile.dtype() != dtype {
        let source = CodecError::ShapeMismatch { expected: shape, found: tile.shape() };
        return Err(TileError::Codec { codec: codec.to_owned(), source });
    }
    Ok(tile)
}

/// Encodes and frames a tile with a declared codec; the framing is fixed by `C::Wire` at compile time.
///
/// # Errors
/// [`TileError::Codec`] when the codec refuses the tile or the tile shape is out of range.
pub fn encode_stored_typed<C: CodecMeta>(
    codec: &C,
    tile: TileView<'_>,
    context: &TileContext,
    out: &mut Vec<u8>,
) -> Result<(), TileError> {
    encode_stored_typed_with(codec, ShapeSource::Header, tile, context, out)
}

/// As [`encode_stored_typed`], storing opaque payloads as `source` says.
///
/// # Errors
/// As [`encode_stored_typed`].
pub fn encode_stored_typed_with<C: CodecMeta>(
    codec: &C,
    source: ShapeSource,
    tile: TileView<'_>,
    context: &TileContext,
    out: &mut Vec<u8>,
) -> Result<(), TileError> {
    frame_with(C::NAME, <C::Wire as Wire>::FORMAT, source, codec, Input::Dense(tile), context, out)
}

/// As [`encode_stored_typed_with`], for a tile given by its non-zero cells
/// ([`TileEncoder::encode_cells`]: the same stored bytes as for the dense tile).
///
/// # Errors
/// As [`encode_stored_typed`].
pub fn encode_stored_typed_cells_with<C: CodecMeta>(
    codec: &C,
    source: ShapeSource,
    tile: TileCells<'_>,
    context: &TileContext,
    out: &mut Vec<u8>,
) -> Result<(), TileError> {
    frame_with(C::NAME, <C::Wire as Wire>::FORMAT, source, codec, Input::Cells(tile), context, out)
}

/// Unframes and decodes a tile stored by a declared codec.
///
/// # Errors
/// As [`unframe`], or the codec's decode error.
pub fn decode_stored_typed<C: CodecMeta>(
    codec: &C,
    stored: &[u8],
    dtype: Dtype,
    expected: Option<TileShape>,
) -> Result<TileData, TileError> {
    let (shape, payload) = unframe(C::NAME, <C::Wire as Wire>::FORMAT, C::SHAPE_READER, stored, expected)?;
    decode_with(C::NAME, codec, shape, payload, dtype)
}

/// A codec picked by name at run time, with its encoder and decoder built once, framing by the
/// wire format its descriptor declares.
pub struct CodecHandle {
    descriptor: CodecDescriptor,
    encoder: crate::codec::SharedEncoder,
    decoder: crate::codec::SharedDecoder,
}

impl CodecHandle {
    /// Builds the handle for a descriptor.
    ///
    /// # Errors
    /// [`TileError::Codec`] when the codec refuses the options.
    pub fn new(descriptor: CodecDescriptor, options: &EncodeOptions) -> Result<Self, TileError> {
        let codec_error = |source| TileError::Codec { codec: descriptor.name().to_owned(), source };
        let encoder = descriptor.encoder(options).map_err(codec_error)?;
        let decoder = descriptor.decoder().map_err(codec_error)?;
        Ok(CodecHandle { descriptor, encoder, decoder })
    }

    /// Looks `name` up in `registry` and builds its handle.
    ///
    /// # Errors
    /// [`TileError::Registry`] for an unknown or contested name; as [`CodecHandle::new`].
    pub fn from_registry(
        registry: &Registry,
        name: &str,
        options: &EncodeOptions,
    ) -> Result<Self, TileError> {
        CodecHandle::new(registry.get(name)?.clone(), options)
    }

    /// Looks `name` up in the process-wide registry and builds its handle.
    ///
    /// # Errors
    /// As [`CodecHandle::from_registry`].
    pub fn by_name(name: &str, options: &EncodeOptions) -> Result<Self, TileError> {
        let descriptor = with_global(|registry| registry.get(name).cloned())?;
        CodecHandle::new(descriptor, options)
    }

    /// The codec's descriptor.
    #[must_use]
    pub fn descriptor(&self) -> &CodecDescriptor {
        &self.descriptor
    }

    /// Encodes `tile` and frames it by the declared wire format, appending to `out`.
    ///
    /// # Errors
    /// [`TileError::Codec`] when the codec refuses the tile.
    pub fn encode_stored(
        &self,
        tile: TileView<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), TileError> {
        self.encode_stored_with(ShapeSource::Header, tile, context, out)
    }

    /// Encodes `tile` and frames it by the declared wire format, storing an opaque payload as
    /// `source` says (bare for [`ShapeSource::Index`]), appending to `out`.
    ///
    /// # Errors
    /// [`TileError::Codec`] when the codec refuses the tile.
    pub fn encode_stored_with(
        &self,
        source: ShapeSource,
        tile: TileView<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), TileError> {
        let (name, wire) = (self.descriptor.name(), self.descriptor.wire());
        frame_with(name, wire, source, self.encoder.as_ref(), Input::Dense(tile), context, out)
    }

    /// As [`CodecHandle::encode_stored_with`], for a tile given by its non-zero cells
    /// ([`TileEncoder::encode_cells`]: the same stored bytes as for the dense tile).
    ///
    /// # Errors
    /// [`TileError::Codec`] when the codec refuses the tile.
    pub fn encode_cells_stored_with(
        &self,
        source: ShapeSource,
        tile: TileCells<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), TileError> {
        let (name, wire) = (self.descriptor.name(), self.descriptor.wire());
        frame_with(name, wire, source, self.encoder.as_ref(), Input::Cells(tile), context, out)
    }

    /// Unframes and decodes a stored tile. Give `expected` whenever the file geometry knows the
    /// tile's shape: a payload that disagrees is then an error before any decoding.
    ///
    /// # Errors
    /// As [`unframe`], or the codec's decode error.
    pub fn decode_stored(
        &self,
        stored: &[u8],
        dtype: Dtype,
        expected: Option<TileShape>,
    ) -> Result<TileData, TileError> {
        let name = self.descriptor.name();
        let (shape, payload) =
            unframe(name, self.descriptor.wire(), self.descriptor.shape_reader(), stored, expected)?;
        decode_with(name, self.decoder.as_ref(), shape, payload, dtype)
    }

    /// Decodes a tile stored in a container whose grid gives its `shape`, opaque payloads framed
    /// as `source` says. A bare opaque payload is decoded at `shape` directly; a header or a
    /// self-describing payload must agree with `shape`.
    ///
    /// # Errors
    /// As [`CodecHandle::decode_stored`].
    pub fn decode_in_grid(
        &self,
        source: ShapeSource,
        stored: &[u8],
        dtype: Dtype,
        shape: TileShape,
    ) -> Result<TileData, TileError> {
        let name = self.descriptor.name();
        let bare = source == ShapeSource::Index && self.descriptor.wire() == WireFormat::Opaque;
        if !bare {
            return self.decode_stored(stored, dtype, Some(shape));
        }
        let shape = TileShape::checked(shape.rows, shape.cols)
            .map_err(|source| TileError::Codec { codec: name.to_owned(), source })?;
        decode_with(name, self.decoder.as_ref(), shape, stored, dtype)
    }

    /// Checks that the wire format a file recorded for this codec is the one it declares now.
    ///
    /// # Errors
    /// [`TileError::WireMismatch`] when they differ.
    pub fn check_recorded_wire(&self, recorded: WireFormat) -> Result<(), TileError> {
        if recorded == self.descriptor.wire() {
            Ok(())
        } else {
            Err(TileError::WireMismatch {
                codec: self.descriptor.name().to_owned(),
                recorded,
                declared: self.descriptor.wire(),
            })
        }
    }
}

impl std::fmt::Debug for CodecHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodecHandle").field("descriptor", &self.descriptor).finish_non_exhaustive()
    }
}

/// Decodes a stored tile given only the codec name, the stored bytes and the cell type, using
/// the process-wide registry. The shape comes from the framing (validated).
///
/// # Errors
/// [`TileError::Registry`] for an unknown codec; as [`CodecHandle::decode_stored`].
pub fn decode_stored(codec: &str, stored: &[u8], dtype: Dtype) -> Result<TileData, TileError> {
    CodecHandle::by_name(codec, &EncodeOptions::default())?.decode_stored(stored, dtype, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_header_round_trips() {
        let mut out = Vec::new();
        write_shape_header(TileShape::new(256, 17), &mut out);
        out.extend_from_slice(b"xyz");
        let (shape, payload) = read_shape_header(&out).unwrap();
        assert_eq!(shape, TileShape::new(256, 17));
        assert_eq!(payload, b"xyz");
    }

    #[test]
    fn hostile_shape_headers_are_refused() {
        assert!(matches!(read_shape_header(&[1, 2, 3]), Err(TileError::MissingShapeHeader { len: 3 })));
        let mut negative = Vec::new();
        negative.extend_from_slice(&(-1i32).to_le_bytes());
        negative.extend_from_slice(&4i32.to_le_bytes());
        assert!(matches!(read_shape_header(&negative), Err(TileError::BadShapeHeader { rows: -1, cols: 4 })));
        let mut huge = Vec::new();
        huge.extend_from_slice(&65_536i32.to_le_bytes());
        huge.extend_from_slice(&65_536i32.to_le_bytes());
        assert!(matches!(read_shape_header(&huge), Err(TileError::BadShapeHeader { .. })));
    }
}
