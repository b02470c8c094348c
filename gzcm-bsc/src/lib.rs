//! Block-sorting compression of one gzcm tile.
//!
//! The pipeline follows the outline of libbsc (Burrows–Wheeler transform, then
//! a rank coder, then adaptive arithmetic coding) but the code and the payload
//! format are this crate's own; nothing here reads or writes libbsc streams.
//!
//! 1. **BWT** of the whole input as one block (suffix sorting by `libsais`;
//!    the inverse is done here in safe Rust).
//! 2. **Move-to-front**, giving ranks that are mostly zero on tile data.
//! 3. **Rank coding**: zero runs and non-zero ranks are binarised (Elias-gamma
//!    style) and every binary decision is coded by a binary range coder with
//!    an adaptive, context-selected probability (see `ranks.rs`).
//!
//! # Payload format, version 1
//!
//! ```text
//! field          size   meaning
//! version        1      format version = 1
//! method         1      0 = stored, 1 = bwt, 2 = bwt over byte planes
//! method 0, stored:
//!   data         n      the input verbatim (n = rest of the payload)
//! method 1, bwt:
//!   n            1..5   decoded length, LEB128 (checked against the caller's)
//!   primary      1..5   BWT primary index p, LEB128, 1 <= p <= n
//!   body         rest   range-coded MTF rank stream of the BWT (see below)
//! method 2, bwt over byte planes (n a multiple of 4):
//!   n            1..5   decoded length, LEB128
//!   mask         1      bit k set = byte plane k (byte k of every 4-byte cell)
//!                       is kept; a clear bit means that plane is all zero
//!   primary,body        as method 1, over the kept planes concatenated in
//!                       plane order (n/4 bytes each); absent when mask = 0
//! ```
//!
//! The range-coded body is a binary range coder's output (32-bit range,
//! 16-bit probabilities) without its always-zero first byte and with up to
//! four trailing zero bytes left out; the decoder reads zeros past the end.
//! What it codes is described in `ranks.rs`: alternating zero-run lengths
//! and non-zero MTF ranks, each binarised and coded with adaptive,
//! context-selected bit probabilities that both sides evolve identically.
//!
//! The caller knows the decoded length from the tile's shape and passes it to
//! [`decompress`], which sizes every buffer from it alone; the length stored
//! in the payload is only compared with it, to name a mismatch as such. Inputs that do not shrink (random data, inputs of a few
//! bytes) are stored: the payload is then the input plus two bytes. The empty
//! input is `[1, 0]`.
//!
//! Decoding is total: truncated, corrupted or hostile payloads give a
//! [`BscError`], never a panic, an unbounded loop or an allocation sized by
//! the payload. The payload carries no checksum of its own; integrity is the
//! container's job (it keeps a CRC-32C per tile).

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

/// Compresses `input`, appending the payload to `out`.
///
/// Fails only for inputs over [`MAX_INPUT_LEN`] bytes.
pub fn compress(input: &[u8], out: &mut Vec<u8>) -> Result<(), BscError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(BscError::InputTooLarge { len: input.len(), max: MAX_INPUT_LEN });
    }
    let start = out.len();
    if !input.is_empty() {
        if input.len().is_multiple_of(4) {
            encode_planes(input, out)?;
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
fn encode_planes(input: &[u8], out: &mut Vec<u8>) -> Result<(), BscError> {
    write_header(Method::BwtPlanes, out);
    write_len(input.len(), out);
    planes::encode(input, out)
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
