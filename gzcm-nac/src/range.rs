//! A binary range coder in the LZMA mould: 11-bit probabilities that adapt by a shift, 32-bit
//! range, byte-wise renormalisation with carry propagation. About ten instructions per decision.

/// Bits of a probability.
const PROB_BITS: u32 = 11;
/// A probability of one half, the start of every context.
pub(crate) const HALF: u16 = 1 << (PROB_BITS - 1);
/// Adaptation speed: each decision moves the probability by 1/16 of the distance.
const MOVE_BITS: u32 = 4;
/// Renormalise below this range.
const TOP: u32 = 1 << 24;

/// Encodes decisions into bytes.
pub(crate) struct Encoder<'a> {
    low: u64,
    range: u32,
    cache: u8,
    cache_size: u64,
    out: &'a mut Vec<u8>,
}

impl<'a> Encoder<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Encoder { low: 0, range: u32::MAX, cache: 0, cache_size: 1, out }
    }

    #[inline]
    pub(crate) fn encode(&mut self, prob: &mut u16, bit: bool) {
        let bound = (self.range >> PROB_BITS) * u32::from(*prob);
        if bit {
            self.low += u64::from(bound);
            self.range -= bound;
            *prob -= *prob >> MOVE_BITS;
        } else {
            self.range = bound;
            *prob += ((1 << PROB_BITS) - *prob) >> MOVE_BITS;
        }
        while self.range < TOP {
            self.range <<= 8;
            self.shift_low();
        }
    }

    fn shift_low(&mut self) {
        if self.low < 0xFF00_0000 || self.low >= 1 << 32 {
            let carry = (self.low >> 32) as u8;
            let mut byte = self.cache;
            loop {
                self.out.push(byte.wrapping_add(carry));
                byte = 0xFF;
                self.cache_size -= 1;
                if self.cache_size == 0 {
                    break;
                }
            }
            self.cache = (self.low >> 24) as u8;
        }
        self.cache_size += 1;
        self.low = (self.low & 0x00FF_FFFF) << 8;
    }

    /// Writes the last bytes.
    pub(crate) fn finish(mut self) {
        for _ in 0..5 {
            self.shift_low();
        }
    }
}

/// Decodes decisions from bytes. Past the end it reads zeros and remembers that it did: the
/// caller turns that into an error, never a panic.
pub(crate) struct Decoder<'a> {
    code: u32,
    range: u32,
    bytes: &'a [u8],
    at: usize,
    overrun: bool,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        let mut decoder = Decoder { code: 0, range: u32::MAX, bytes, at: 0, overrun: false };
        for _ in 0..5 {
            decoder.code = (decoder.code << 8) | u32::from(decoder.next_byte());
        }
        decoder
    }

    #[inline]
    fn next_byte(&mut self) -> u8 {
        match self.bytes.get(self.at) {
            Some(&byte) => {
                self.at += 1;
                byte
            }
            None => {
                self.overrun = true;
                0
            }
        }
    }

    #[inline]
    pub(crate) fn decode(&mut self, prob: &mut u16) -> bool {
        let bound = (self.range >> PROB_BITS) * u32::from(*prob);
        let bit = if self.code < bound {
            self.range = bound;
            *prob += ((1 << PROB_BITS) - *prob) >> MOVE_BITS;
            false
        } else {
            self.code -= bound;
            self.range -= bound;
            *prob -= *prob >> MOVE_BITS;
            true
        };
        if self.range < TOP {
            self.range <<= 8;
            self.code = (self.code << 8) | u32::from(self.next_byte());
        }
        bit
    }

    /// Whether decoding needed bytes the stream does not have.
    pub(crate) fn overrun(&self) -> bool {
        self.overrun
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip_under_skewed_and_even_odds() {
        let bits: Vec<bool> =
            (0..20_000u32).map(|i| i % 7 == 0 || (i / 1000) % 2 == 1 && i % 3 == 0).collect();
        let mut out = Vec::new();
        let mut enc = Encoder::new(&mut out);
        let mut probs = [HALF; 4];
        for (i, &bit) in bits.iter().enumerate() {
            enc.encode(&mut probs[i % 4], bit);
        }
        enc.finish();
        assert!(out.len() < bits.len() / 8, "{} bytes", out.len());
        let mut dec = Decoder::new(&out);
        let mut probs = [HALF; 4];
        let back: Vec<bool> = (0..bits.len()).map(|i| dec.decode(&mut probs[i % 4])).collect();
        assert_eq!(back, bits);
        assert!(!dec.overrun());
    }

    #[test]
    fn reading_past_the_end_is_reported() {
        let mut dec = Decoder::new(&[0, 1]);
        let mut prob = HALF;
        for _ in 0..100 {
            dec.decode(&mut prob);
        }
        assert!(dec.overrun());
    }
}
