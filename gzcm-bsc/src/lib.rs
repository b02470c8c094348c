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
//! offset  size  field
//! 0       1     format version = 1
//! 1       1     method: 0 = stored, 1 = bwt
//! method 0 (stored):
//! 2       n     the input bytes verbatim
//! method 1 (bwt):
//! 2       1..5  primary index p of the BWT, LEB128 (1 <= p <= n)
//! ..      rest  range-coded rank stream (trailing zero bytes omitted)
//! ```
//!
//! The payload never states the decoded length `n`: the caller knows it from
//! the tile's shape and passes it to [`decompress`], which sizes every buffer
//! from it alone. Inputs that do not shrink (random data, inputs of a few
//! bytes) are stored. The empty input is `[1, 0]`.
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
mod mtf;
mod ranks;

pub use error::BscError;

use format::{Method, read_header, write_header};

/// Largest input accepted: the suffix sorter indexes with `i32`.
pub const MAX_INPUT_LEN: usize = i32::MAX as usize - 1;

/// Compresses `input`, appending the payload to `out`.
///
/// Fails only for inputs over [`MAX_INPUT_LEN`] bytes.
pub fn compress(input: &[u8], out: &mut Vec<u8>) -> Result<(), BscError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(BscError::InputTooLarge {
            len: input.len(),
            max: MAX_INPUT_LEN,
        });
    }
    let start = out.len();
    if !input.is_empty() {
        write_header(Method::Bwt, out);
        block::encode(input, out)?;
        if out.len() - start < input.len() + 2 {
            return Ok(());
        }
        out.truncate(start);
    }
    write_header(Method::Stored, out);
    out.extend_from_slice(input);
    Ok(())
}

/// Decompresses `payload`, appending exactly `expected_len` bytes to `out`.
///
/// `expected_len` comes from the caller's validated tile shape (rows·cols·4),
/// never from the payload. On error `out` is left as it was.
pub fn decompress(payload: &[u8], expected_len: usize, out: &mut Vec<u8>) -> Result<(), BscError> {
    let (method, body) = read_header(payload)?;
    match method {
        Method::Stored => {
            if body.len() != expected_len {
                return Err(BscError::LengthMismatch {
                    expected: expected_len,
                    found: body.len(),
                });
            }
            out.extend_from_slice(body);
            Ok(())
        }
        Method::Bwt => {
            if expected_len == 0 || expected_len > MAX_INPUT_LEN {
                return Err(BscError::Corrupt {
                    reason: "bwt method for an empty or oversized block",
                });
            }
            let start = out.len();
            block::decode(body, expected_len, out).inspect_err(|_| out.truncate(start))
        }
    }
}
