//! The block-sorting pipeline: BWT → run/byte tokens → range coder, and back.

use crate::arith::{Decoder, Encoder};
use crate::bwt;
use crate::error::BscError;
use crate::format::{read_varint, write_varint};
use crate::tokens::TokenModel;

/// Appends one block (primary index, coded tokens) for `input` (non-empty).
pub(crate) fn encode(input: &[u8], out: &mut Vec<u8>) -> Result<(), BscError> {
    let (transformed, primary) = bwt::forward(input)?;
    write_varint(primary, out);
    let mut enc = Encoder::new();
    let mut model = TokenModel::new();
    let mut prev = 0u8;
    let mut run = 0u32;
    for &s in &transformed {
        if s == prev {
            run += 1;
        } else {
            model.run(&mut enc, prev, run);
            model.byte(&mut enc, prev, s);
            prev = s;
            run = 0;
        }
    }
    if run > 0 {
        model.run(&mut enc, prev, run);
    }
    enc.finish(out);
    Ok(())
}

/// Decodes one block into exactly `n` bytes appended to `out`.
pub(crate) fn decode(body: &[u8], n: usize, out: &mut Vec<u8>) -> Result<(), BscError> {
    let (primary, coded) = read_varint(body)?;
    if n == 0 || primary == 0 || primary as usize > n {
        return Err(BscError::Corrupt { reason: "primary index out of range" });
    }
    let transformed = decode_tokens(coded, n)?;
    bwt::inverse(&transformed, primary, out)
}

/// Runs the token model backwards into the `n` BWT output bytes.
fn decode_tokens(coded: &[u8], n: usize) -> Result<Vec<u8>, BscError> {
    let mut dec = Decoder::new(coded);
    let mut model = TokenModel::new();
    let mut data = Vec::with_capacity(n);
    let mut prev = 0u8;
    while data.len() < n {
        let run = model
            .run(&mut dec, prev, 0)
            .ok_or(BscError::Corrupt { reason: "run length prefix too long" })? as usize;
        if run > n - data.len() {
            return Err(BscError::Corrupt { reason: "run overruns the block" });
        }
        data.resize(data.len() + run, prev);
        if data.len() == n {
            break;
        }
        prev = model.byte(&mut dec, prev, 0);
        data.push(prev);
    }
    dec.finish()?;
    Ok(data)
}
