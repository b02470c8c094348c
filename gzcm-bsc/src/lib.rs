//! Block-sorting compression of one gzcm tile (the `bsc` codec's engine).
//!
//! The pipeline follows the outline of libbsc — Burrows–Wheeler transform,
//! run-length coding, adaptive arithmetic coding — but the code and the
//! payload format are this crate's own; nothing here reads or writes libbsc
//! streams.
//!
//! 1. **Byte planes** (inputs whose length is a multiple of 4, i.e. tiles of
//!    u32/f32 cells): byte k of every cell is gathered into plane k. All-zero
//!    planes are dropped, near-incompressible ones stored raw, and each other
//!    plane is one block for the next steps (`planes.rs`). Other inputs are a
//!    single block.
//! 2. **BWT** of the block (suffix sorting by `libsais`; the inverse is done
//!    here in safe Rust, `bwt.rs`).
//! 3. **Run/byte tokens**: the BWT output is cut into runs of the previous
//!    byte and the new byte that ends each run (`tokens.rs`).
//! 4. **Adaptive binary range coding** of every token decision, with
//!    context-selected, count-adaptive bit probabilities (`model.rs`,
//!    `arith.rs`).
//!
//! # Payload format, version 1
//!
//! All integers are LEB128 varints (7 bits per byte, low first, at most 5
//! bytes, value below 2^32). `n` is the decoded length.
//!
//! ```text
//! field        size   meaning
//! version      1      format version = 1
//! method       1      0 = stored, 1 = bwt, 2 = byte planes
//!
//! method 0, stored:
//!   data       n      the input verbatim (n = rest of the payload)
//!
//! method 1, bwt:
//!   n          varint decoded length (must equal the caller's)
//!   block      rest   a block of n bytes (below)
//!
//! method 2, byte planes (n a multiple of 4, m = n / 4):
//!   n          varint decoded length (must equal the caller's)
//!   flags      1      bit k (0-3): plane k is kept, i.e. not all zero;
//!                     bit 4+k: kept plane k is stored raw
//!   raw        m each the raw planes, in plane order
//!   coded      rest   the other kept planes, in plane order, each a block
//!                     of m bytes preceded by its byte length (varint),
//!                     except the last, which runs to the end
//!
//! block of L bytes:
//!   primary    varint BWT primary index p, 1 <= p <= L (libsais convention:
//!                     the row of the implicit end-of-text sentinel)
//!   body       rest   range-coded tokens of the L-byte BWT output
//! ```
//!
//! The body is a binary range coder's output (32-bit range, 16-bit
//! probabilities, carry propagation) without its always-zero first byte and
//! with up to four trailing zero bytes left out; the decoder reads zeros
//! past the end and rejects a body that needs more, or leaves bytes unused.
//! The tokens alternate a run length `z >= 0` (copies of the previous byte,
//! which starts as 0; Elias-gamma binarised) and a new byte (8-bit binary
//! tree); the decoder stops when the block is full. Each binary decision's
//! probability is adaptive and chosen by a small context, exactly as
//! documented in `tokens.rs` and `model.rs`: both sides evolve it
//! identically, so those definitions are part of the format.
//!
//! The caller knows the decoded length from the tile's shape and passes it to
//! [`decompress`], which sizes every buffer from it alone; the length stored
//! in the payload is only compared with it, so that a wrong shape is
//! reported as a [`BscError::LengthMismatch`]. Inputs that do not shrink
//! (random data, inputs of a few bytes) are stored: the payload is then the
//! input plus two bytes. The empty input is `[1, 0]`.
//!
//! Decoding is total: truncated, corrupted or hostile payloads give a
//! [`BscError`], never a panic, an unbounded loop or an allocation sized by
//! the payload. The payload carries no checksum of its own (a corrupted body
//! may decode to wrong bytes of the right length); integrity is the
//! container's job, which keeps a CRC-32C per tile.
//!
//! # Example
//!
//! ```
//! let cells: Vec<u8> = (0..256u32 * 256).flat_map(|i| (i % 7).to_le_bytes()).collect();
//! let mut payload = Vec::new();
//! gzcm_bsc::compress(&cells, &mut payload)?;
//! assert!(payload.len() < cells.len() / 100);
//! let mut back = Vec::new();
//! gzcm_bsc::decompress(&payload, cells.len(), &mut back)?;
//! assert_eq!(back, cells);
//! # Ok::<(), gzcm_bsc::BscError>(())
//! ```

#![forbid(unsafe_code)]

mod arith;
mod block;
mod bwt;
mod error;
mod format;
mod model;
mod planes;
mod tokens;

pub use error::BscError;

use format::{Method, check_len, read_header, write_header, write_len};

/// Largest input accepted: the suffix sorter indexes with `i32`.
pub const MAX_INPUT_LEN: usize = i32::MAX as usize - 1;

/// Encoder settings. Any payload decodes with [`decompress`] whatever
/// settings wrote it: they only steer choices the format records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// A byte plane is BWT-coded only if that saves this many 1/1024ths of
    /// its raw size; otherwise it is stored raw (fast to decode).
    min_plane_saving: usize,
}

impl Default for Options {
    /// Ratio first: a plane is coded when that saves at least 1/32.
    fn default() -> Self {
        Self { min_plane_saving: 32 }
    }
}

impl Options {
    /// Stores a byte plane raw unless coding saves at least `fraction` of it
    /// (clamped to 0..=1). Dense tiles have a noise-like low-byte plane that
    /// coding shrinks by only a few percent at most of the decode time: 0.125
    /// roughly halves their decode time for about 4% more bytes (measured on
    /// gm12878_rao2014_2500kb).
    pub fn with_min_plane_saving(self, fraction: f64) -> Self {
        Self { min_plane_saving: (fraction.clamp(0.0, 1.0) * 1024.0) as usize }
    }
}

/// Compresses `input` with default [`Options`], appending the payload to `out`.
///
/// Fails only for inputs over [`MAX_INPUT_LEN`] bytes, or when the suffix
/// sorter cannot get its working memory.
pub fn compress(input: &[u8], out: &mut Vec<u8>) -> Result<(), BscError> {
    compress_with(input, Options::default(), out)
}

/// Compresses `input` with the given [`Options`], appending the payload to `out`.
///
/// Fails as [`compress`] does.
pub fn compress_with(input: &[u8], opts: Options, out: &mut Vec<u8>) -> Result<(), BscError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(BscError::InputTooLarge { len: input.len(), max: MAX_INPUT_LEN });
    }
    let start = out.len();
    if !input.is_empty() {
        if input.len().is_multiple_of(4) {
            encode_planes(input, opts, out)?;
        } else {
            write_header(Method::Bwt, out);
            write_len(input.len(), out);
            block::encode(input, out)?;
        }
        if out.len() - start < input.len() + 2 {
            return Ok(());
        }
        out.truncate(start);
    }
    write_header(Method::Stored, out);
    out.extend_from_slice(input);
    Ok(())
}

/// Appends a [`Method::BwtPlanes`] payload for 4-byte cells.
fn encode_planes(input: &[u8], opts: Options, out: &mut Vec<u8>) -> Result<(), BscError> {
    write_header(Method::BwtPlanes, out);
    write_len(input.len(), out);
    planes::encode(input, opts.min_plane_saving, out)
}

/// Decompresses `payload`, appending exactly `expected_len` bytes to `out`.
///
/// `expected_len` comes from the caller's validated tile shape (rows·cols·4),
/// never from the payload. On error `out` is left as it was.
pub fn decompress(payload: &[u8], expected_len: usize, out: &mut Vec<u8>) -> Result<(), BscError> {
    let (method, body) = read_header(payload)?;
    if expected_len > MAX_INPUT_LEN {
        return Err(BscError::InputTooLarge { len: expected_len, max: MAX_INPUT_LEN });
    }
    let start = out.len();
    let res = match method {
        Method::Stored => decode_stored(body, expected_len, out),
        Method::Bwt => check_len(body, expected_len).and_then(|rest| block::decode(rest, expected_len, out)),
        Method::BwtPlanes => {
            check_len(body, expected_len).and_then(|rest| planes::decode(rest, expected_len, out))
        }
    };
    res.inspect_err(|_| out.truncate(start))
}

/// The stored method: the body is the data.
fn decode_stored(body: &[u8], expected_len: usize, out: &mut Vec<u8>) -> Result<(), BscError> {
    if body.len() != expected_len {
        return Err(BscError::LengthMismatch { expected: expected_len, found: body.len() });
    }
    out.extend_from_slice(body);
    Ok(())
}
