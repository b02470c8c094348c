//! One coding routine for both directions, and the integer code built on it.
//!
//! The walk over a tile is written once, against [`SymbolIo`]: the encoder passes the true
//! symbols and gets them back, the decoder ignores what it is passed and returns what it reads.
//! Both therefore adapt the same tables in the same order.

use crate::cdf::Cdf;
use crate::error::RansError;
use crate::rans::{MAX_RAW_BITS, RansDecoder, RansEncoder};

/// A symbol sink (encoder) or source (decoder).
pub(crate) trait SymbolIo {
    /// Codes symbol `s` of `cdf` (ignored when decoding) and adapts `cdf`; returns the symbol.
    fn symbol<const N: usize>(&mut self, cdf: &mut Cdf<N>, s: usize) -> Result<usize, RansError>;
    /// Codes `bits <= 15` equiprobable bits holding `value` (ignored when decoding).
    fn raw(&mut self, bits: u32, value: u32) -> Result<u32, RansError>;
}

impl SymbolIo for RansEncoder {
    #[inline]
    fn symbol<const N: usize>(&mut self, cdf: &mut Cdf<N>, s: usize) -> Result<usize, RansError> {
        self.put(cdf, s);
        Ok(s)
    }

    #[inline]
    fn raw(&mut self, bits: u32, value: u32) -> Result<u32, RansError> {
        self.put_raw(bits, value);
        Ok(value)
    }
}

impl SymbolIo for RansDecoder<'_> {
    #[inline]
    fn symbol<const N: usize>(&mut self, cdf: &mut Cdf<N>, _s: usize) -> Result<usize, RansError> {
        self.get(cdf)
    }

    #[inline]
    fn raw(&mut self, bits: u32, _value: u32) -> Result<u32, RansError> {
        self.get_raw(bits)
    }
}

/// Longest bit length: every zig-zagged residual of a `u32` count is below `2^34`.
const MAX_LEN: u32 = 34;

/// Bit-length symbols: lengths `0..=22` themselves, and an escape for `23..=34` (the excess
/// follows as four raw bits), so a table fits three vectors of eight lanes.
pub(crate) const LEN_SYMBOLS: usize = 24;

/// The escape symbol.
const LONG: u32 = LEN_SYMBOLS as u32 - 1;

/// Raw bits of a long length's excess over [`LONG`].
const LONG_BITS: u32 = 4;

/// A table of bit lengths.
pub(crate) type LenCdf = Cdf<24>;

/// A table of the modelled bits after the leading one.
type MantissaCdf = Cdf<4>;

/// Modelled bits after the leading one.
const MANTISSA_BITS: u32 = 2;

/// Adaptive tables of an unsigned integer code: the bit length in a caller-chosen context, then
/// up to two bits after the leading one in a context of the bit length, then raw bits.
#[derive(Debug, Clone)]
pub(crate) struct IntTables {
    mantissas: Vec<MantissaCdf>,
}

impl IntTables {
    /// Fresh tables.
    pub(crate) fn new() -> Self {
        let mantissas = (0..=MAX_LEN)
            .map(|e| MantissaCdf::uniform(1 << e.saturating_sub(1).clamp(1, MANTISSA_BITS)))
            .collect();
        Self { mantissas }
    }

    /// Codes `z < 2^34` with its bit length drawn from `len` (a table of [`LEN_SYMBOLS`]).
    #[inline]
    pub(crate) fn code<I: SymbolIo>(
        &mut self,
        io: &mut I,
        len: &mut LenCdf,
        z: u64,
    ) -> Result<u64, RansError> {
        let length = 64 - z.leading_zeros();
        let mut e = io.symbol(len, length.min(LONG) as usize)? as u32;
        if e == LONG {
            e += io.raw(LONG_BITS, length.saturating_sub(LONG))?;
            if e > MAX_LEN {
                return Err(RansError::Corrupt { reason: "residual longer than 34 bits" });
            }
        }
        if e <= 1 {
            return Ok(u64::from(e));
        }
        let below = e - 1;
        let top = below.min(MANTISSA_BITS);
        let cdf = &mut self.mantissas[e as usize];
        let head = io.symbol(cdf, ((z >> (below - top)) & ((1 << top) - 1)) as usize)?;
        let mut value = (1u64 << top) | head as u64;
        let mut rest = below - top;
        while rest > 0 {
            let chunk = rest.min(MAX_RAW_BITS);
            rest -= chunk;
            let bits = io.raw(chunk, ((z >> rest) & ((1 << chunk) - 1)) as u32)?;
            value = (value << chunk) | u64::from(bits);
        }
        Ok(value)
    }
}

/// Adaptive code for side information: signed integers through one bit-length table.
#[derive(Debug, Clone)]
pub(crate) struct SideCoder {
    len: LenCdf,
    ints: IntTables,
}

impl SideCoder {
    /// Fresh tables.
    pub(crate) fn new() -> Self {
        Self { len: LenCdf::uniform(LEN_SYMBOLS), ints: IntTables::new() }
    }

    /// Codes `value` (`|value| < 2^33`).
    pub(crate) fn signed<I: SymbolIo>(&mut self, io: &mut I, value: i64) -> Result<i64, RansError> {
        Ok(unzigzag(self.ints.code(io, &mut self.len, zigzag(value))?))
    }
}

/// Maps `0, -1, 1, -2, …` to `0, 1, 2, 3, …`.
#[inline]
pub(crate) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Inverse of [`zigzag`].
#[inline]
pub(crate) fn unzigzag(z: u64) -> i64 {
    (z >> 1) as i64 ^ -((z & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip() {
        let values: Vec<i64> =
            vec![0, 1, -1, 2, 3, -4, 100, -5000, 1 << 20, -(1 << 32), (1 << 33) - 1, -(1 << 33) + 1, 7, 7, 7];
        let mut enc = RansEncoder::default();
        let mut side = SideCoder::new();
        for &v in &values {
            assert_eq!(side.signed(&mut enc, v).unwrap(), v);
        }
        let mut bytes = Vec::new();
        enc.finish(&mut bytes);
        let mut dec = RansDecoder::new(&bytes).unwrap();
        let mut side = SideCoder::new();
        for &v in &values {
            assert_eq!(side.signed(&mut dec, 0).unwrap(), v);
        }
        dec.finish().unwrap();
    }

    #[test]
    fn zigzag_is_a_bijection_on_small_values() {
        for v in -1000..1000 {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
    }
}
