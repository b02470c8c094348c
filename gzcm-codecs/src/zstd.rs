//! `zstd`: Zstandard on the tile's little-endian cell bytes. Opaque wire format.
//!
//! The payload is one zstd frame. Decoding writes into a buffer of exactly
//! `rows × cols × 4` bytes taken from the validated tile shape, so a frame that claims a larger
//! content size fails instead of allocating what it claims.

mod contexts;
mod sparse;

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileCells, TileContext, TileData, TileShape, TileView, codec};

/// Compression level used when none is given. Measured on the 30 stored 256² tiles of
/// `yeast_10kb` and `gm12878_rao2014_2500kb` (zstd 1.5 CLI): level 9 stores 2,646,918 bytes in
/// 0.89 s, level 19 stores 2,600,631 bytes (1.7 % less) in 7.2 s. Ask for more with the `level`
/// option; `cmc` and `bsc` are the codecs for the smallest files.
pub const DEFAULT_LEVEL: i32 = 9;

/// The level for sparse tiles (at most one cell in [`SPARSE_DENSITY`] non-zero) when no level is
/// given. On such tiles level 9's lazy matcher is both slower and no smaller: on 256² tiles of
/// 100 to 4,000 scattered small counts, level 1 writes 319 / 1,025 / 1,850 / 8,394 bytes in
/// 38 / 41 / 50 / 129 µs where level 9 writes 391 / 1,464 / 2,591 / 8,075 bytes in
/// 228 / 479 / 797 / 1,830 µs (python-zstandard, the same library). A sparse genome-wide map is
/// mostly such tiles. A level given explicitly applies to every tile.
pub const SPARSE_LEVEL: i32 = 1;

/// A tile is sparse when at most one cell in this many is non-zero.
pub const SPARSE_DENSITY: usize = 16;

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <Zstd as gzcm_core::CodecMeta>::NAME;

/// Zstandard on raw little-endian tile bytes.
#[codec(name = "zstd", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug)]
pub struct Zstd {
    level: i32,
    /// The level for sparse tiles: [`SPARSE_LEVEL`] unless a level was given.
    sparse_level: i32,
}

impl Zstd {
    /// A zstd codec at `level` (1..=22).
    ///
    /// # Errors
    /// [`CodecError::InvalidOption`] for a level outside zstd's range.
    pub fn new(level: i32) -> Result<Self, CodecError> {
        let range = ::zstd::compression_level_range();
        if range.contains(&level) {
            Ok(Zstd { level, sparse_level: level })
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
    /// Level [`DEFAULT_LEVEL`], and [`SPARSE_LEVEL`] for sparse tiles.
    fn default() -> Self {
        Zstd { level: DEFAULT_LEVEL, sparse_level: SPARSE_LEVEL }
    }
}

impl Codec for Zstd {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        match options.level {
            Some(level) => Zstd::new(level),
            None => Ok(Zstd::default()),
        }
    }
}

impl Zstd {
    /// The level for a tile of `cells` cells, `nnz` of them non-zero.
    fn level_for(&self, nnz: usize, cells: usize) -> i32 {
        if nnz.saturating_mul(SPARSE_DENSITY) <= cells { self.sparse_level } else { self.level }
    }
}

impl TileEncoder for Zstd {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        if let Some(cells) = few_cells(tile, sparse::max_cells(tile.shape())) {
            sparse::frame_of_cells(tile.shape().byte_len(tile.dtype()), &cells, out);
            return Ok(());
        }
        let level = self.level_for(tile.nnz(), tile.shape().cells());
        let mut raw = Vec::new();
        tile.write_le_bytes(&mut raw);
        compress_into(&raw, level, out)
    }

    fn encode_cells(
        &self,
        tile: TileCells<'_>,
        _: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), CodecError> {
        let shape = tile.shape();
        let byte_len = shape.byte_len(tile.dtype());
        if tile.cells().len() > sparse::max_cells(shape) {
            // The tile's little-endian bytes straight from its cells (both dtypes store their
            // bits), without a dense array in between.
            let mut raw = vec![0u8; byte_len];
            for &(index, bits) in tile.cells() {
                let at = 4 * index as usize;
                raw[at..at + 4].copy_from_slice(&bits.to_le_bytes());
            }
            return compress_into(&raw, self.level_for(tile.cells().len(), shape.cells()), out);
        }
        let cells: Vec<(usize, [u8; 4])> =
            tile.cells().iter().map(|&(index, bits)| (4 * index as usize, bits.to_le_bytes())).collect();
        sparse::frame_of_cells(byte_len, &cells, out);
        Ok(())
    }
}

impl TileDecoder for Zstd {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let raw = decompress_exact(payload, shape.byte_len(dtype))?;
        TileData::from_le_bytes(dtype, shape, &raw)
    }
}

/// The non-zero cells of `tile` (byte offset in its little-endian bytes, and bytes) when there
/// are at most `most`: such a tile's frame is written directly.
fn few_cells(tile: TileView<'_>, most: usize) -> Option<Vec<(usize, [u8; 4])>> {
    // Blocks of cells are tested whole first (a branch-free OR the compiler vectorises): most
    // of a sparse tile is skipped at memory speed.
    const BLOCK: usize = 64;
    fn scan<T: Copy>(cells: &[T], most: usize, bits: impl Fn(T) -> u32) -> Option<Vec<(usize, [u8; 4])>> {
        let mut found = Vec::new();
        for (block, chunk) in cells.chunks(BLOCK).enumerate() {
            if chunk.iter().fold(0, |any, &cell| any | bits(cell)) == 0 {
                continue;
            }
            for (at, &cell) in chunk.iter().enumerate() {
                let bits = bits(cell);
                if bits != 0 {
                    if found.len() == most {
                        return None;
                    }
                    found.push((4 * (block * BLOCK + at), bits.to_le_bytes()));
                }
            }
        }
        Some(found)
    }
    match tile {
        TileView::U32(a) => match a.as_slice() {
            Some(slice) => scan(slice, most, |v| v),
            None => scan(&a.iter().copied().collect::<Vec<_>>(), most, |v| v),
        },
        TileView::F32(a) => match a.as_slice() {
            Some(slice) => scan(slice, most, f32::to_bits),
            None => scan(&a.iter().copied().collect::<Vec<_>>(), most, f32::to_bits),
        },
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
    fn sparse_tiles_of_either_dtype_and_layout_round_trip_through_direct_frames() {
        let context = TileContext::new(0, 3, true);
        let mut counts = Array2::<u32>::zeros((256, 256));
        counts[[0, 0]] = 1;
        counts[[17, 200]] = u32::MAX;
        counts[[17, 201]] = 7;
        counts[[255, 255]] = 3;
        let floats = counts.mapv(|v| if v == 0 { 0.0 } else { -(v as f32) / 3.0 });
        for tile in [TileView::from(counts.view()), TileView::from(counts.t()), TileView::from(floats.view())]
        {
            let mut payload = Vec::new();
            Zstd::default().encode(tile, &context, &mut payload).unwrap();
            // Given its cells, the same bytes.
            let mut le = Vec::new();
            tile.write_le_bytes(&mut le);
            let cells: Vec<(u32, u32)> = le
                .chunks_exact(4)
                .enumerate()
                .map(|(i, b)| (i as u32, u32::from_le_bytes(b.try_into().unwrap())))
                .filter(|&(_, bits)| bits != 0)
                .collect();
            let mut from_cells = Vec::new();
            let given = TileCells::new(tile.dtype(), tile.shape(), &cells).unwrap();
            Zstd::default().encode_cells(given, &context, &mut from_cells).unwrap();
            assert_eq!(from_cells, payload);
            // Written directly: headers and the four cells' blocks, not a compressed block.
            assert!(payload.len() < 80, "{} bytes", payload.len());
            let decoded = Zstd::default().decode(&payload, tile.shape(), tile.dtype()).unwrap();
            let mut expected = Vec::new();
            tile.write_le_bytes(&mut expected);
            let mut found = Vec::new();
            decoded.view().write_le_bytes(&mut found);
            assert_eq!(found, expected);
        }
        // Denser than one cell in 64: the library's frame.
        let small = Array2::from_shape_fn((16, 16), |(r, c)| u32::from(r == c && r < 5));
        assert_eq!(few_cells(small.view().into(), sparse::max_cells(TileShape::new(16, 16))), None);
    }

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
