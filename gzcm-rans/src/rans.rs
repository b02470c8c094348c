//! One or two interleaved rANS states over one byte stream (32-bit states, byte-wise
//! renormalisation, 15-bit probabilities).
//!
//! Stream layout: the decoder's initial states (`u32` LE each), then the renormalisation bytes
//! in the order the decoder reads them. The encoder starts every state at [`LOW`]; after the
//! last symbol a decoder must be back there with every byte read, which catches most
//! corruption.
//!
//! With two states (the cell walk), symbols alternate between them (symbol `i` uses state
//! `i mod 2`), so the two dependency chains of a decode overlap in the CPU; a sparse list, a
//! few symbols per non-zero cell, saves the second state's four bytes.

use crate::bit::BitModel;
use crate::cdf::{Cdf, PROB_BITS, TOTAL};
use crate::error::RansError;
use crate::table::{STATIC_BITS, StaticTable};

/// Lower bound of a normalised state.
const LOW: u32 = 1 << 23;

/// Bytes of one initial state.
const STATE_BYTES: usize = 4;

/// How many interleaved states a stream uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lanes {
    /// One state: four bytes less per stream, for streams of few symbols (sparse lists).
    One = 1,
    /// Two states (symbol `i` uses state `i mod 2`), so a decode's two chains overlap.
    Two = 2,
}

/// Most raw bits one rANS step carries.
pub(crate) const MAX_RAW_BITS: u32 = PROB_BITS;

/// Collects `(start, frequency)` pairs in coding order, then writes them in reverse.
#[derive(Debug, Default)]
pub(crate) struct RansEncoder {
    symbols: Vec<(u16, u16)>,
}

impl RansEncoder {
    /// Records symbol `s` of `cdf` and adapts the table.
    #[inline]
    pub(crate) fn put<const N: usize>(&mut self, cdf: &mut Cdf<N>, s: usize) {
        let (start, freq) = cdf.range(s);
        self.push(start, freq);
        cdf.update(s);
    }

    /// Records `bit` under `model` and adapts it.
    #[inline]
    pub(crate) fn put_bit(&mut self, model: &mut BitModel, bit: bool) {
        let (start, freq) = model.range(bit);
        self.push(start, freq);
        model.update(bit);
    }

    /// Records `bits <= 15` equiprobable bits holding `value`.
    #[inline]
    pub(crate) fn put_raw(&mut self, bits: u32, value: u32) {
        debug_assert!(bits <= MAX_RAW_BITS && value < 1 << bits);
        let shift = PROB_BITS - bits;
        self.push(value << shift, 1 << shift);
    }

    /// Records a symbol of a static table: its `(start, frequency)` on the 12-bit scale.
    #[inline]
    pub(crate) fn put_fixed(&mut self, start: u32, freq: u32) {
        let shift = PROB_BITS - STATIC_BITS;
        self.push(start << shift, freq << shift);
    }

    fn push(&mut self, start: u32, freq: u32) {
        // freq == 2^15 only for a 0-bit raw chunk; store it as 0 and restore below.
        self.symbols.push((start as u16, (freq & 0xffff) as u16));
    }

    /// Number of symbols recorded.
    pub(crate) fn len(&self) -> usize {
        self.symbols.len()
    }

    /// Appends the two-state stream to `out`.
    pub(crate) fn finish(self, out: &mut Vec<u8>) {
        self.finish_with(Lanes::Two, out);
    }

    /// Appends the stream, with `lanes` states, to `out`.
    pub(crate) fn finish_with(self, lanes: Lanes, out: &mut Vec<u8>) {
        let mask = lanes as usize - 1;
        let mut states = [LOW; 2];
        let mut bytes = Vec::with_capacity(self.symbols.len() / 2 + 16);
        for (i, &(start, freq)) in self.symbols.iter().enumerate().rev() {
            let freq = if freq == 0 { TOTAL } else { u32::from(freq) };
            let x = &mut states[i & mask];
            let limit = ((LOW >> PROB_BITS) << 8) * freq;
            while *x >= limit {
                bytes.push(*x as u8);
                *x >>= 8;
            }
            *x = ((*x / freq) << PROB_BITS) + *x % freq + u32::from(start);
        }
        for state in &states[..lanes as usize] {
            out.extend_from_slice(&state.to_le_bytes());
        }
        out.extend(bytes.iter().rev());
    }
}

/// Reads back what [`RansEncoder::finish`] wrote.
#[derive(Debug)]
pub(crate) struct RansDecoder<'a> {
    bytes: &'a [u8],
    pos: usize,
    states: [u32; 2],
    /// `lanes - 1`: symbol `i` uses state `i & mask`.
    mask: usize,
    next: usize,
}

impl<'a> RansDecoder<'a> {
    /// Starts decoding a two-state stream `bytes` (the whole stream, nothing after it).
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Self, RansError> {
        Self::with_lanes(bytes, Lanes::Two)
    }

    /// Starts decoding a stream of `lanes` states.
    pub(crate) fn with_lanes(bytes: &'a [u8], lanes: Lanes) -> Result<Self, RansError> {
        let header = STATE_BYTES * lanes as usize;
        let Some(head) = bytes.get(..header) else {
            return Err(RansError::Truncated { needed: header, available: bytes.len() });
        };
        let mut states = [LOW; 2];
        for (state, b) in states.iter_mut().zip(head.chunks_exact(STATE_BYTES)) {
            *state = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        if states.iter().any(|&x| !(LOW..1 << 31).contains(&x)) {
            return Err(RansError::Corrupt { reason: "rANS state out of range" });
        }
        Ok(Self { bytes, pos: header, states, mask: lanes as usize - 1, next: 0 })
    }

    /// Decodes one symbol of `cdf` and adapts the table.
    #[inline]
    pub(crate) fn get<const N: usize>(&mut self, cdf: &mut Cdf<N>) -> Result<usize, RansError> {
        let i = self.next & self.mask;
        let x = self.states[i];
        let slot = x & (TOTAL - 1);
        let s = cdf.find(slot);
        let (start, freq) = cdf.range(s);
        cdf.update(s);
        self.advance(i, freq * (x >> PROB_BITS) + slot - start)?;
        Ok(s)
    }

    /// Decodes one bit under `model` and adapts it.
    #[inline]
    pub(crate) fn get_bit(&mut self, model: &mut BitModel) -> Result<bool, RansError> {
        let i = self.next & self.mask;
        let x = self.states[i];
        let slot = x & (TOTAL - 1);
        let bit = slot >= TOTAL - model.frequency();
        let (start, freq) = model.range(bit);
        model.update(bit);
        self.advance(i, freq * (x >> PROB_BITS) + slot - start)?;
        Ok(bit)
    }

    /// Decodes one symbol of a static table with slots (a single-symbol table codes nothing).
    #[inline(always)]
    pub(crate) fn get_fixed(&mut self, table: &StaticTable) -> Result<usize, RansError> {
        if let Some(s) = table.single() {
            return Ok(s);
        }
        let i = self.next & self.mask;
        let x = self.states[i];
        let slot = x & (TOTAL - 1);
        let shift = PROB_BITS - STATIC_BITS;
        let Some(s) = table.find(slot >> shift) else {
            return Err(RansError::Corrupt { reason: "a cell uses a static table with no symbols" });
        };
        let (start, freq) = table.range(s);
        self.advance(i, (freq << shift) * (x >> PROB_BITS) + slot - (start << shift))?;
        Ok(s)
    }

    /// Decodes `bits <= 15` equiprobable bits.
    #[inline]
    pub(crate) fn get_raw(&mut self, bits: u32) -> Result<u32, RansError> {
        let i = self.next & self.mask;
        let x = self.states[i];
        let shift = PROB_BITS - bits;
        let slot = x & (TOTAL - 1);
        let value = slot >> shift;
        let low = slot & ((1 << shift) - 1);
        self.advance(i, ((x >> PROB_BITS) << shift) + low)?;
        Ok(value)
    }

    #[inline]
    fn advance(&mut self, i: usize, mut x: u32) -> Result<(), RansError> {
        while x < LOW {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(RansError::Truncated { needed: self.pos + 1, available: self.bytes.len() });
            };
            self.pos += 1;
            x = (x << 8) | u32::from(b);
        }
        self.states[i] = x;
        self.next += 1;
        Ok(())
    }

    /// Checks that the stream ended exactly where the encoder's did.
    pub(crate) fn finish(self) -> Result<(), RansError> {
        if self.pos != self.bytes.len() {
            return Err(RansError::Corrupt { reason: "bytes left after the last symbol" });
        }
        if self.states != [LOW; 2] {
            return Err(RansError::Corrupt { reason: "rANS states do not end where they started" });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_and_raw_bits_round_trip() {
        let mut enc = RansEncoder::default();
        let mut model = Cdf::<40>::uniform(34);
        let script: Vec<(bool, u32, u32)> = (0..5000u32)
            .map(|k| {
                let h = k.wrapping_mul(2_654_435_761) >> 7;
                if k % 3 == 0 {
                    (true, h % 16, h & ((1 << (h % 16)) - 1))
                } else {
                    (false, 0, (h % 9) * (h % 4))
                }
            })
            .collect();
        for &(raw, bits, v) in &script {
            if raw { enc.put_raw(bits, v) } else { enc.put(&mut model, v as usize) }
        }
        let mut out = Vec::new();
        enc.finish(&mut out);
        let mut dec = RansDecoder::new(&out).unwrap();
        let mut model = Cdf::<40>::uniform(34);
        for &(raw, bits, v) in &script {
            let got = if raw { dec.get_raw(bits).unwrap() } else { dec.get(&mut model).unwrap() as u32 };
            assert_eq!(got, v);
        }
        dec.finish().unwrap();
    }

    #[test]
    fn an_empty_stream_is_two_states() {
        let mut out = Vec::new();
        RansEncoder::default().finish(&mut out);
        assert_eq!(out.len(), 2 * STATE_BYTES);
        RansDecoder::new(&out).unwrap().finish().unwrap();
        let mut out = Vec::new();
        RansEncoder::default().finish_with(Lanes::One, &mut out);
        assert_eq!(out.len(), STATE_BYTES);
        RansDecoder::with_lanes(&out, Lanes::One).unwrap().finish().unwrap();
    }

    #[test]
    fn one_lane_streams_round_trip_and_are_not_two_lane_ones() {
        let mut enc = RansEncoder::default();
        let mut model = Cdf::<8>::uniform(8);
        let script: Vec<usize> = (0..3000).map(|k| (k * 7 + k / 13) % 8).collect();
        for &s in &script {
            enc.put(&mut model, s);
        }
        let mut out = Vec::new();
        enc.finish_with(Lanes::One, &mut out);
        let mut dec = RansDecoder::with_lanes(&out, Lanes::One).unwrap();
        let mut model = Cdf::<8>::uniform(8);
        for &s in &script {
            assert_eq!(dec.get(&mut model).unwrap(), s);
        }
        dec.finish().unwrap();
        let mut model = Cdf::<8>::uniform(8);
        let read: Result<Vec<usize>, _> = RansDecoder::new(&out).and_then(|mut dec| {
            let got = script.iter().map(|_| dec.get(&mut model)).collect::<Result<Vec<_>, _>>()?;
            dec.finish().map(|()| got)
        });
        assert!(read.is_err() || read.unwrap() != script);
    }
}
