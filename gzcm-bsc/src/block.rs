//! The block-sorting pipeline: BWT → MTF → rank coder, and back.

use crate::arith::{Decoder, Encoder};
use crate::bwt;
use crate::error::BscError;
use crate::format::{read_varint, write_varint};
use crate::mtf::{self, Mtf};
use crate::ranks::RankModel;

/// Appends the BWT method body (primary index, coded ranks) for `input`.
pub(crate) fn encode(input: &[u8], out: &mut Vec<u8>) -> Result<(), BscError> {
    let (transformed, primary) = bwt::forward(input)?;
    write_varint(primary, out);
    let ranks = mtf::forward(&transformed);
    drop(transformed);
    let mut enc = Encoder::new();
    let mut model = RankModel::new();
    let mut run = 0u32;
    for &r in &ranks {
        if r == 0 {
            run += 1;
        } else {
            model.run(&mut enc, run);
            model.rank(&mut enc, r);
            run = 0;
        }
    }
    if run > 0 {
        model.run(&mut enc, run);
    }
    enc.finish(out);
    Ok(())
}

/// Decodes a BWT method body into exactly `n` bytes appended to `out`.
pub(crate) fn decode(body: &[u8], n: usize, out: &mut Vec<u8>) -> Result<(), BscError> {
    let (primary, coded) = read_varint(body)?;
    if n == 0 || primary == 0 || primary as usize > n {
        return Err(BscError::Corrupt { reason: "primary index out of range" });
    }
    let transformed = decode_ranks(coded, n)?;
    bwt::inverse(&transformed, primary, out)
}

/// Runs the rank model backwards, undoing MTF on the fly.
fn decode_ranks(coded: &[u8], n: usize) -> Result<Vec<u8>, BscError> {
    let mut dec = Decoder::new(coded);
    let mut model = RankModel::new();
    let mut mtf = Mtf::new();
    let mut data = Vec::with_capacity(n);
    while data.len() < n {
        let run =
            model.run(&mut dec, 0).ok_or(BscError::Corrupt { reason: "zero-run length prefix too long" })?
                as usize;
        if run > n - data.len() {
            return Err(BscError::Corrupt { reason: "zero run overruns the block" });
        }
        data.resize(data.len() + run, mtf.front());
        if data.len() == n {
            break;
        }
        let r = model.rank(&mut dec, 0);
        data.push(mtf.decode(r));
    }
    dec.finish()?;
    Ok(data)
}
