//! Adaptive binary arithmetic coding (a carry-propagating range coder).
//!
//! The coder keeps a 32-bit `range` that is renormalised a byte at a time; each bit splits the
//! range in proportion to a 16-bit probability. The encoder and decoder share one interface,
//! [`BitIo`], so the modelling code is written once and cannot drift between the two directions.

/// Probability precision, in bits.
const PROB_BITS: u32 = 16;
/// Renormalise when the range drops below this.
const TOP: u32 = 1 << 24;
/// Probabilities are kept away from 0 and 1 so no symbol is ever impossible.
const PROB_MIN: u32 = 48;
/// Upper clamp, mirror of `PROB_MIN`.
const PROB_MAX: u32 = (1 << PROB_BITS) - PROB_MIN;
/// Adaptation slows down to `1 / (LIMIT + 2)` once a context has been seen this often.
const LIMIT: u8 = 250;
/// `2^15 / (n + 2)`: the adaptation step for a context seen `n` times, as a multiplier, so the
/// hot path does no division.
const RATE: [i32; LIMIT as usize + 1] = {
    let mut table = [0; LIMIT as usize + 1];
    let mut n = 0;
    while n <= LIMIT as usize {
        table[n] = (1 << 15) / (n as i32 + 2);
        n += 1;
    }
    table
};

/// An adaptive estimate of P(bit = 1), learning fast at first and then settling.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prob {
    p: u16,
    seen: u8,
}

impl Default for Prob {
    fn default() -> Self {
        Self { p: 1 << (PROB_BITS - 1), seen: 0 }
    }
}

impl Prob {
    /// Current P(1), clamped into the coder's usable range.
    #[inline]
    pub(crate) fn p1(self) -> u32 {
        (self.p as u32).clamp(PROB_MIN, PROB_MAX)
    }

    /// Moves the estimate towards `bit` by `1 / (seen + 2)`: a running mean while the context is
    /// young, an exponential forget once it is `LIMIT` old.
    #[inline]
    pub(crate) fn update(&mut self, bit: u32) {
        let target = if bit != 0 { (1 << PROB_BITS) - 1 } else { 0 };
        let p = self.p as i32;
        let step = ((target - p) * RATE[self.seen as usize]) >> 15;
        self.p = (p + step) as u16;
        self.seen = (self.seen + 1).min(LIMIT);
    }
}

/// One direction of the coder. `code` encodes `bit` (encoder) or returns the decoded bit
/// (decoder, which ignores its argument); either way the context is updated identically.
pub(crate) trait BitIo {
    /// Codes one bit under `prob` and returns it.
    fn code(&mut self, prob: &mut Prob, bit: u32) -> u32 {
        let bit = self.code_p(prob.p1(), bit);
        prob.update(bit);
        bit
    }

    /// Codes one bit with P(1) = `p1 / 2^16` (clamped to the usable range) and returns it.
    fn code_p(&mut self, p1: u32, bit: u32) -> u32;

    /// Codes the low `width` (at most [`RAW_CHUNK`]) bits of `value` as equiprobable and returns
    /// them. Far cheaper than `width` modelled bits, for bits known to be noise.
    fn raw(&mut self, value: u32, width: u32) -> u32;

    /// Codes the low `width` (at most 32) bits of `value` as equiprobable, in chunks.
    fn raw_wide(&mut self, value: u32, width: u32) -> u32 {
        let high = width.saturating_sub(RAW_CHUNK);
        let top = if high > 0 { self.raw(value >> RAW_CHUNK, high) << RAW_CHUNK } else { 0 };
        top | self.raw(value, width.min(RAW_CHUNK))
    }
}

/// Largest number of bits [`BitIo::raw`] codes in one step (keeps `range >> width` non-zero).
pub(crate) const RAW_CHUNK: u32 = 16;

/// Range encoder appending to a byte vector.
#[derive(Debug)]
pub(crate) struct Encoder<'a> {
    low: u64,
    range: u32,
    /// Byte held back because a later carry may still increment it.
    cache: u8,
    /// Number of pending bytes: `cache` plus a run of 0xFF bytes behind it.
    pending: u64,
    /// The very first byte out is always 0 (no carry can reach it), so it is never written.
    started: bool,
    out: &'a mut Vec<u8>,
}

impl<'a> Encoder<'a> {
    /// A fresh encoder writing to the end of `out`.
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Self { low: 0, range: u32::MAX, cache: 0, pending: 1, started: false, out }
    }

    /// Pushes the top byte of `low` out, resolving carries into the held bytes.
    fn shift_low(&mut self) {
        if self.low < 0xFF00_0000 || self.low > u32::MAX as u64 {
            let carry = (self.low >> 32) as u8;
            let mut byte = self.cache;
            while self.pending > 0 {
                if self.started {
                    self.out.push(byte.wrapping_add(carry));
                }
                self.started = true;
                byte = 0xFF;
                self.pending -= 1;
            }
            self.cache = (self.low >> 24) as u8;
        }
        self.pending += 1;
        self.low = (self.low & 0x00FF_FFFF) << 8;
    }

    /// Writes the remaining state; the stream is complete afterwards.
    pub(crate) fn finish(mut self) {
        for _ in 0..5 {
            self.shift_low();
        }
    }
}

impl Encoder<'_> {
    #[inline]
    fn normalise(&mut self) {
        while self.range < TOP {
            self.range <<= 8;
            self.shift_low();
        }
    }
}

impl BitIo for Encoder<'_> {
    #[inline]
    fn raw(&mut self, value: u32, width: u32) -> u32 {
        let value = value & ((1 << width) - 1);
        self.range >>= width;
        self.low += value as u64 * self.range as u64;
        self.normalise();
        value
    }

    #[inline]
    fn code_p(&mut self, p1: u32, bit: u32) -> u32 {
        let bound = (self.range >> PROB_BITS) * p1.clamp(PROB_MIN, PROB_MAX);
        if bit != 0 {
            self.range = bound;
        } else {
            self.low += bound as u64;
            self.range -= bound;
        }
        self.normalise();
        bit
    }
}

/// Range decoder over a byte slice. Reading past the end yields zeros and is remembered, so a
/// truncated stream is reported by [`Decoder::finish`] instead of being read out of bounds.
#[derive(Debug)]
pub(crate) struct Decoder<'a> {
    code: u32,
    range: u32,
    data: &'a [u8],
    pos: usize,
}

impl<'a> Decoder<'a> {
    /// A decoder positioned at the start of `data`.
    pub(crate) fn new(data: &'a [u8]) -> Self {
        let mut dec = Self { code: 0, range: u32::MAX, data, pos: 0 };
        for _ in 0..4 {
            dec.code = (dec.code << 8) | dec.next_byte();
        }
        dec
    }

    #[inline]
    fn next_byte(&mut self) -> u32 {
        let byte = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        byte as u32
    }

    /// Number of bytes the decoder consumed, which may exceed the input if it was truncated.
    pub(crate) fn consumed(&self) -> usize {
        self.pos
    }
}

impl Decoder<'_> {
    #[inline]
    fn normalise(&mut self) {
        while self.range < TOP {
            self.range <<= 8;
            self.code = (self.code << 8) | self.next_byte();
        }
    }
}

impl BitIo for Decoder<'_> {
    #[inline]
    fn raw(&mut self, _value: u32, width: u32) -> u32 {
        self.range >>= width;
        // A valid stream always gives a quotient below 2^width; a corrupt one is clamped so the
        // subtraction cannot underflow.
        let value = (self.code / self.range).min((1 << width) - 1);
        self.code -= value * self.range;
        self.normalise();
        value
    }

    #[inline]
    fn code_p(&mut self, p1: u32, _bit: u32) -> u32 {
        // `bound < range` always (p1 < 2^16), so the range never collapses to zero and the
        // renormalisation loop always ends, whatever bytes arrive.
        let bound = (self.range >> PROB_BITS) * p1.clamp(PROB_MIN, PROB_MAX);
        let bit = if self.code < bound {
            self.range = bound;
            1
        } else {
            self.code -= bound;
            self.range -= bound;
            0
        };
        self.normalise();
        bit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(n: usize, seed: u64) -> Vec<u32> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                u32::from(x % 10 < 2)
            })
            .collect()
    }

    fn encode(input: &[u32]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = Encoder::new(&mut out);
        let mut probs = [Prob::default(); 2];
        let mut prev = 0;
        for &b in input {
            prev = enc.code(&mut probs[prev as usize], b);
        }
        enc.finish();
        out
    }

    #[test]
    fn round_trip_and_exact_length() {
        for n in [0, 1, 7, 1000, 20_000] {
            let input = bits(n, n as u64 + 1);
            let out = encode(&input);
            let mut dec = Decoder::new(&out);
            let mut probs = [Prob::default(); 2];
            let mut prev = 0;
            for &b in &input {
                prev = dec.code(&mut probs[prev as usize], 0);
                assert_eq!(prev, b);
            }
            assert_eq!(dec.consumed(), out.len(), "decoder reads exactly what was written");
        }
    }

    #[test]
    fn raw_bits_round_trip() {
        let values = [0u32, 1, 0xFFFF, 0x1234_5678, u32::MAX, 77];
        let mut out = Vec::new();
        let mut enc = Encoder::new(&mut out);
        let mut prob = Prob::default();
        for (i, &v) in values.iter().enumerate() {
            enc.raw_wide(v, 32 - i as u32);
            enc.code(&mut prob, v & 1);
        }
        enc.finish();
        let mut dec = Decoder::new(&out);
        let mut prob = Prob::default();
        for (i, &v) in values.iter().enumerate() {
            let width = 32 - i as u32;
            let mask = if width == 32 { u32::MAX } else { (1 << width) - 1 };
            assert_eq!(dec.raw_wide(0, width), v & mask);
            assert_eq!(dec.code(&mut prob, 0), v & 1);
        }
        assert_eq!(dec.consumed(), out.len());
    }

    #[test]
    fn skewed_bits_compress() {
        let input = bits(80_000, 3);
        let out = encode(&input);
        // Entropy of p=0.2 is 0.72 bit; allow a little overhead.
        assert!(out.len() * 8 < 80_000 * 3 / 4, "{} bytes", out.len());
    }

    #[test]
    fn garbage_decodes_without_panicking() {
        let garbage: Vec<u8> = (0..64u32).map(|i| (i * 97 + 13) as u8).collect();
        let mut dec = Decoder::new(&garbage);
        let mut prob = Prob::default();
        for _ in 0..10_000 {
            dec.code(&mut prob, 0);
        }
        assert!(dec.consumed() > garbage.len());
    }
}
