//! `zstd`: Zstandard on the tile's little-endian cell bytes. Opaque wire format.
//!
//! The payload is one zstd frame. Decoding writes into a buffer of exactly
//! `rows × cols × 4` bytes taken from the validated tile shape, so a frame that claims a larger
//! content size fails instead of allocating what it claims.

mod contexts;

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

/// Compression level used when none is given. Measured on the 30 stored 256² tiles of
/// `yeast_10kb` and `gm12878_rao2014_2500kb` (zstd 1.5 CLI): level 9 stores 2,646,918 bytes in
/// 0.89 s, level 19 stores 2,600,631 bytes (1.7 % less) in 7.2 s. Ask for more with the `level`
/// option; `cmc` and `bsc` are the codecs for the smallest files.
pub const DEFAULT_LEVEL: i32 = 9;

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <Zstd as gzcm_core::CodecMeta>::NAME;

/// Zstandard on raw little-endian tile bytes.
#[codec(name = "zstd", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug)]
pub struct Zstd {
    level: i32,
}

impl Zstd {
    /// A zstd codec at `level` (1..=22).
    ///
    /// # Errors
    /// [`CodecError::InvalidOption`] for a level outside zstd's range.
    pub fn new(level: i32) -> Result<Self, CodecError> {
        let range = ::zstd::compression_level_range();
        if range.contains(&level) {
            Ok(Zstd { level })
        } else {
            Err(CodecError::InvalidOption {
                codec: NAME,
                reason: format!("level {level} is outside {}..={}", range.start(), range.end()),
            })
        }
    }

    /// The compression level.
    #[must_use]
    pub fn level(&self) -> i32 {
        self.level
    }
}

/// The zstd level of `codec` (a codec built on zstd) from its options: as given, else
/// `default`; a level outside zstd's range is an invalid option of `codec`.
pub(crate) fn level_of(
    codec: &'static str,
    options: &EncodeOptions,
    default: i32,
) -> Result<i32, CodecError> {
    match Zstd::new(options.level.unwrap_or(default)) {
        Ok(zstd) => Ok(zstd.level()),
        Err(CodecError::InvalidOption { reason, .. }) => Err(CodecError::InvalidOption { codec, reason }),
        Err(other) => Err(other),
    }
}

impl Default for Zstd {
    fn default() -> Self {
        Zstd { level: DEFAULT_LEVEL }
    }
}

impl Codec for Zstd {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        Zstd::new(options.level.unwrap_or(DEFAULT_LEVEL))
    }
}

impl TileEncoder for Zstd {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let mut raw = Vec::new();
        tile.write_le_bytes(&mut raw);
        compress_into(&raw, self.level, out)
    }
}

impl TileDecoder for Zstd {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let raw = decompress_exact(payload, shape.byte_len(dtype))?;
        TileData::from_le_bytes(dtype, shape, &raw)
    }
}

/// Appends one zstd frame of `raw` at `level` to `out`, with this thread's reused compression
/// context.
pub(crate) fn compress_into(raw: &[u8], level: i32, out: &mut Vec<u8>) -> Result<(), CodecError> {
    let frame = contexts::with_compressor(level, |compressor| compressor.compress(raw))
        .map_err(|e| backend(e.into()))?;
    out.extend_from_slice(&frame);
    Ok(())
}

/// Decompresses one zstd frame that must hold exactly `expected_len` bytes, with this thread's
/// reused decompression context; the buffer is sized from `expected_len` (the validated tile
/// shape), never from the frame header.
pub(crate) fn decompress_exact(payload: &[u8], expected_len: usize) -> Result<Vec<u8>, CodecError> {
    let mut raw = vec![0u8; expected_len];
    let written = contexts::with_decompressor(|decompressor| {
        decompressor.decompress_to_buffer(payload, raw.as_mut_slice())
    })
    .map_err(|e| backend(e.into()))?;
    if written != expected_len {
        return Err(CodecError::LengthMismatch { expected: expected_len, found: written });
    }
    Ok(raw)
}

fn backend(source: Box<dyn std::error::Error + Send + Sync>) -> CodecError {
    CodecError::Backend { codec: NAME, source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_core::framing::{decode_stored_typed, encode_stored_typed};
    use ndarray::Array2;

    #[test]
    fn level_is_validated() {
        assert!(Zstd::new(3).is_ok());
        assert!(matches!(Zstd::new(99), Err(CodecError::InvalidOption { .. })));
        assert_eq!(Zstd::with_options(&EncodeOptions::default()).unwrap().level(), DEFAULT_LEVEL);
    }

    #[test]
    fn typed_round_trip_has_the_shape_header() {
        let tile = Array2::from_shape_fn((5, 3), |(r, c)| (r * 10 + c) as u32);
        let mut stored = Vec::new();
        let codec = Zstd::default();
        encode_stored_typed(&codec, tile.view().into(), &TileContext::default(), &mut stored).unwrap();
        assert_eq!(&stored[..8], &[5, 0, 0, 0, 3, 0, 0, 0]);
        let back = decode_stored_typed(&codec, &stored, Dtype::U32, None).unwrap();
        assert_eq!(back, TileData::U32(tile));
    }

    #[test]
    fn frame_claiming_more_than_the_shape_fails_without_allocating_it() {
        let big = vec![7u8; 1 << 20];
        let mut payload = Vec::new();
        compress_into(&big, 3, &mut payload).unwrap();
        let err = Zstd::default().decode(&payload, TileShape::new(4, 4), Dtype::U32).unwrap_err();
        assert!(matches!(err, CodecError::Backend { .. }), "{err}");
    }
}
