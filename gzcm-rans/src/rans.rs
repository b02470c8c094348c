//! Two interleaved rANS states over one byte stream (32-bit states, byte-wise renormalisation,
//! 15-bit probabilities).
//!
//! Stream layout: the decoder's two initial states (`u32` LE each), then the renormalisation
//! bytes in the order the decoder reads them. The encoder starts both states at [`LOW`]; after
//! the last symbol a decoder must be back there with every byte read, which catches most
//! corruption.
//!
//! Symbols alternate between the states (symbol `i` uses state `i mod 2`), so the two
//! dependency chains of a decode overlap in the CPU.

use crate::bit::BitModel;
use crate::cdf::{Cdf, PROB_BITS, TOTAL};
use crate::error::RansError;
use crate::table::{STATIC_BITS, StaticTable};

/// Lower bound of a normalised state.
const LOW: u32 = 1 << 23;

/// Bytes of the two initial states.
const HEADER: usize = 8;

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

    /// Appends the stream to `out`.
    pub(crate) fn finish(self, out: &mut Vec<u8>) {
        let mut states = [LOW; 2];
        let mut bytes = Vec::with_capacity(self.symbols.len() / 2 + 16);
        for (i, &(start, freq)) in self.symbols.iter().enumerate().rev() {
            let freq = if freq == 0 { TOTAL } else { u32::from(freq) };
            let x = &mut states[i & 1];
            let limit = ((LOW >> PROB_BITS) << 8) * freq;
            while *x >= limit {
                bytes.push(*x as u8);
                *x >>= 8;
            }
            *x = ((*x / freq) << PROB_BITS) + *x % freq + u32::from(start);
        }
        out.extend_from_slice(&states[0].to_le_bytes());
        out.extend_from_slice(&states[1].to_le_bytes());
        out.extend(bytes.iter().rev());
    }
}

/// Reads back what [`RansEncoder::finish`] wrote.
#[derive(Debug)]
pub(crate) struct RansDecoder<'a> {
    bytes: &'a [u8],
    pos: usize,
    states: [u32; 2],
    next: usize,
}

impl<'a> RansDecoder<'a> {
    /// Starts decoding `bytes` (the whole stream, nothing after it).
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Self, RansError> {
        let Some((head, _)) = bytes.split_first_chunk::<HEADER>() else {
            return Err(RansError::Truncated { needed: HEADER, available: bytes.len() });
        };
        let state = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
        let states = [state(0), state(4)];
        if states.iter().any(|&x| !(LOW..1 << 31).contains(&x)) {
            return Err(RansError::Corrupt { reason: "rANS state out of range" });
        }
        Ok(Self { bytes, pos: HEADER, states, next: 0 })
    }

    /// Decodes one symbol of `cdf` and adapts the table.
    #[inline]
    pub(crate) fn get<const N: usize>(&mut self, cdf: &mut Cdf<N>) -> Result<usize, RansError> {
        let i = self.next & 1;
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
        let i = self.next & 1;
        let x = self.states[i];
        let slot = x & (TOTAL - 1);
        let bit = slot >= TOTAL - model.frequency();
        let (start, freq) = model.range(bit);
        model.update(bit);
        self.advance(i, freq * (x >> PROB_BITS) + slot - start)?;
        Ok(bit)
    }

    /// Decodes one symbol of a static table with slots (a single-symbol table codes nothing).
    #[inline]
    pub(crate) fn get_fixed(&mut self, table: &StaticTable) -> Result<usize, RansError> {
        if let Some(s) = table.single() {
            return Ok(s);
        }
        let i = self.next & 1;
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
        let i = self.next & 1;
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
        assert_eq!(out.len(), HEADER);
        RansDecoder::new(&out).unwrap().finish().unwrap();
    }
}
