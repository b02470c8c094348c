//! Binary range coder (carry-propagating, 32-bit range, 16-bit probabilities).
//!
//! The encoder drops the always-zero first byte and every trailing zero byte;
//! the decoder reads zeros past the end of its input, which restores both. A
//! hostile stream therefore only ever decodes to some bit sequence: bounds are
//! enforced by the callers, which know how many symbols to expect.

use crate::error::BscError;
use crate::model::Bit;

/// Renormalise when the range drops below this, one byte at a time.
const TOP: u32 = 1 << 24;

/// At most this many trailing zero bytes are left out of a stream; a decoder
/// that needs more than that past the end was handed a truncated stream.
pub(crate) const MAX_IMPLICIT_ZEROS: usize = 4;

/// Either side of the coder; models are written once against this trait so
/// the encoder and decoder cannot drift apart.
pub(crate) trait BitIo {
    /// Encodes `bit` (encoder) or decodes one (decoder, `bit` ignored) with
    /// probability `prob`, updates `prob`, and returns the bit.
    fn bit(&mut self, prob: &mut Bit, bit: u32) -> u32;

    /// Like [`BitIo::bit`] with the mean of two models' probabilities; both learn.
    fn bit2(&mut self, a: &mut Bit, b: &mut Bit, bit: u32) -> u32;
}

/// Range encoder writing into its own buffer.
pub(crate) struct Encoder {
    low: u64,
    range: u32,
    cache: u8,
    pending: u64,
    out: Vec<u8>,
}

impl Encoder {
    /// A fresh encoder.
    pub(crate) fn new() -> Self {
        Self { low: 0, range: u32::MAX, cache: 0, pending: 1, out: Vec::new() }
    }

    /// Pushes the top byte of `low` out, resolving a pending carry.
    fn shift_low(&mut self) {
        if (self.low as u32) < 0xFF00_0000 || (self.low >> 32) != 0 {
            let carry = (self.low >> 32) as u8;
            let mut byte = self.cache;
            while self.pending > 0 {
                self.out.push(byte.wrapping_add(carry));
                byte = 0xFF;
                self.pending -= 1;
            }
            self.cache = (self.low >> 24) as u8;
        }
        self.pending += 1;
        self.low = (self.low & 0x00FF_FFFF) << 8;
    }

    /// Flushes and appends the coded bytes to `dst`.
    pub(crate) fn finish(mut self, dst: &mut Vec<u8>) {
        // Any value in [low, low + range) decodes the same; pick the one with
        // the most trailing zero bits so that more bytes can be trimmed.
        let high = self.low + u64::from(self.range) - 1;
        let mut mask: u64 = (1 << 32) - 1;
        while mask != 0 && (high & !mask) < self.low {
            mask >>= 1;
        }
        self.low = high & !mask;
        for _ in 0..5 {
            self.shift_low();
        }
        let body = &self.out[1..]; // the first byte is always the initial zero cache
        let nonzero = body.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        let used = nonzero.max(body.len().saturating_sub(MAX_IMPLICIT_ZEROS));
        dst.extend_from_slice(&body[..used]);
    }
}

impl Encoder {
    /// Codes `bit` with P(1) = `p1` / 65536.
    #[inline(always)]
    fn code(&mut self, p1: u32, bit: u32) {
        let bound = (self.range >> 16) * p1;
        let zero_mask = u32::from(bit != 0).wrapping_sub(1); // branch-free, as in the decoder
        self.low += u64::from(bound & zero_mask);
        self.range = (bound & !zero_mask) | (self.range.wrapping_sub(bound) & zero_mask);
        while self.range < TOP {
            self.range <<= 8;
            self.shift_low();
        }
    }
}

impl BitIo for Encoder {
    #[inline(always)]
    fn bit(&mut self, prob: &mut Bit, bit: u32) -> u32 {
        self.code(prob.p1(), bit);
        prob.update(bit);
        bit
    }

    #[inline(always)]
    fn bit2(&mut self, a: &mut Bit, b: &mut Bit, bit: u32) -> u32 {
        self.code((a.p1() + b.p1()) >> 1, bit);
        a.update(bit);
        b.update(bit);
        bit
    }
}

/// Range decoder over a byte slice; reads zeros past its end.
pub(crate) struct Decoder<'a> {
    range: u32,
    code: u32,
    input: &'a [u8],
    pos: usize,
}

impl<'a> Decoder<'a> {
    /// Starts decoding `input`.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        let mut d = Self { range: u32::MAX, code: 0, input, pos: 0 };
        for _ in 0..4 {
            d.code = (d.code << 8) | d.next_byte();
        }
        d
    }

    #[inline(always)]
    fn next_byte(&mut self) -> u32 {
        let b = self.input.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        u32::from(b)
    }

    /// Checks that decoding used the whole input and no more than the
    /// implicit trailing zeros beyond it.
    pub(crate) fn finish(&self) -> Result<(), BscError> {
        let len = self.input.len();
        if self.pos > len + MAX_IMPLICIT_ZEROS {
            Err(BscError::Truncated { needed: self.pos - MAX_IMPLICIT_ZEROS, available: len })
        } else if self.pos < len {
            Err(BscError::TrailingBytes { used: self.pos, extra: len - self.pos })
        } else {
            Ok(())
        }
    }
}

impl Decoder<'_> {
    /// Decodes one bit with P(1) = `p1` / 65536.
    #[inline(always)]
    fn decode(&mut self, p1: u32) -> u32 {
        let bound = (self.range >> 16) * p1;
        // Branch-free: on BWT output of noisy planes the bit is a coin toss
        // and a mispredicted branch would cost more than the arithmetic.
        let bit = u32::from(self.code < bound);
        let zero_mask = bit.wrapping_sub(1); // all ones when the bit is 0
        self.code -= bound & zero_mask;
        self.range = (bound & !zero_mask) | (self.range.wrapping_sub(bound) & zero_mask);
        while self.range < TOP {
            self.range <<= 8;
            self.code = (self.code << 8) | self.next_byte();
        }
        bit
    }
}

impl BitIo for Decoder<'_> {
    #[inline(always)]
    fn bit(&mut self, prob: &mut Bit, _bit: u32) -> u32 {
        let bit = self.decode(prob.p1());
        prob.update(bit);
        bit
    }

    #[inline(always)]
    fn bit2(&mut self, a: &mut Bit, b: &mut Bit, _bit: u32) -> u32 {
        let bit = self.decode((a.p1() + b.p1()) >> 1);
        a.update(bit);
        b.update(bit);
        bit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_with_skewed_models() {
        let bits: Vec<u32> = (0..20_000u32).map(|i| u32::from(i % 7 == 0 || i % 13 == 0)).collect();
        let mut enc = Encoder::new();
        let mut probs = [Bit::new(); 3];
        for (i, &b) in bits.iter().enumerate() {
            enc.bit(&mut probs[i % 3], b);
        }
        let mut buf = Vec::new();
        enc.finish(&mut buf);
        let mut dec = Decoder::new(&buf);
        let mut probs = [Bit::new(); 3];
        for (i, &b) in bits.iter().enumerate() {
            assert_eq!(dec.bit(&mut probs[i % 3], 0), b, "bit {i}");
        }
        assert_eq!(dec.finish(), Ok(()));
    }

    #[test]
    fn all_zero_bits_need_almost_nothing() {
        let mut enc = Encoder::new();
        let mut p = Bit::new();
        for _ in 0..100_000 {
            enc.bit(&mut p, 0);
        }
        let mut buf = Vec::new();
        enc.finish(&mut buf);
        assert!(buf.len() < 64, "{} bytes", buf.len());
    }
}
