//! One coding routine for both directions, and the integer code built on it.
//!
//! The walk over a tile is written once, against [`SymbolIo`]: the encoder passes the true
//! symbols and gets them back, the decoder ignores what it is passed and returns what it reads.
//! Both therefore adapt the same tables in the same order.

use crate::bit::BitModel;
use crate::cdf::Cdf;
use crate::error::RansError;
use crate::rans::{MAX_RAW_BITS, RansDecoder, RansEncoder};
use crate::table::StaticTable;

/// A symbol sink (encoder) or source (decoder).
pub(crate) trait SymbolIo {
    /// Codes symbol `s` of `cdf` (ignored when decoding) and adapts `cdf`; returns the symbol.
    fn symbol<const N: usize>(&mut self, cdf: &mut Cdf<N>, s: usize) -> Result<usize, RansError>;
    /// Codes symbol `s` of a static table (ignored when decoding); returns the symbol.
    fn fixed(&mut self, table: &StaticTable, s: usize) -> Result<usize, RansError>;
    /// Codes `bits <= 15` equiprobable bits holding `value` (ignored when decoding).
    fn raw(&mut self, bits: u32, value: u32) -> Result<u32, RansError>;
    /// Codes `bit` under `model` (ignored when decoding) and adapts it; returns the bit.
    fn bit(&mut self, model: &mut BitModel, bit: bool) -> Result<bool, RansError>;
}

impl SymbolIo for RansEncoder {
    #[inline]
    fn symbol<const N: usize>(&mut self, cdf: &mut Cdf<N>, s: usize) -> Result<usize, RansError> {
        self.put(cdf, s);
        Ok(s)
    }

    #[inline]
    fn fixed(&mut self, table: &StaticTable, s: usize) -> Result<usize, RansError> {
        if table.single().is_none() {
            let (start, freq) = table.range(s);
            self.put_fixed(start, freq);
        }
        Ok(s)
    }

    #[inline]
    fn raw(&mut self, bits: u32, value: u32) -> Result<u32, RansError> {
        self.put_raw(bits, value);
        Ok(value)
    }

    #[inline]
    fn bit(&mut self, model: &mut BitModel, bit: bool) -> Result<bool, RansError> {
        self.put_bit(model, bit);
        Ok(bit)
    }
}

impl SymbolIo for RansDecoder<'_> {
    #[inline]
    fn symbol<const N: usize>(&mut self, cdf: &mut Cdf<N>, _s: usize) -> Result<usize, RansError> {
        self.get(cdf)
    }

    #[inline(always)]
    fn fixed(&mut self, table: &StaticTable, _s: usize) -> Result<usize, RansError> {
        self.get_fixed(table)
    }

    #[inline]
    fn raw(&mut self, bits: u32, _value: u32) -> Result<u32, RansError> {
        self.get_raw(bits)
    }

    #[inline]
    fn bit(&mut self, model: &mut BitModel, _bit: bool) -> Result<bool, RansError> {
        self.get_bit(model)
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

/// An adaptive table of bit lengths.
pub(crate) type LenCdf = Cdf<24>;

/// An adaptive table of the modelled bits after the leading one.
type MantissaCdf = Cdf<4>;

/// Modelled bits after the leading one.
const MANTISSA_BITS: u32 = 2;

/// Mantissa tables: one per bit length `0..=34` (lengths 0 and 1 have none and never use theirs).
pub(crate) const MANTISSA_TABLES: usize = MAX_LEN as usize + 1;

/// The alphabet of the mantissa table of bit length `e`.
pub(crate) fn mantissa_symbols(e: usize) -> usize {
    1 << (e as u32).saturating_sub(1).clamp(1, MANTISSA_BITS)
}

/// The tables an integer code draws its symbols from: bit lengths in a caller's context, and
/// the bits after the leading one in the context of the bit length.
pub(crate) trait IntTables {
    /// Codes bit-length symbol `s` in context `ctx`.
    fn length<I: SymbolIo>(&mut self, io: &mut I, ctx: usize, s: usize) -> Result<usize, RansError>;
    /// Codes mantissa symbol `s` of bit length `e`.
    fn mantissa<I: SymbolIo>(&mut self, io: &mut I, e: usize, s: usize) -> Result<usize, RansError>;
}

/// Codes `z < 2^34` in context `ctx`: bit length (escaped above 22), up to two bits after the
/// leading one, then the rest raw.
#[inline]
pub(crate) fn code_uint<I: SymbolIo, T: IntTables>(
    io: &mut I,
    tables: &mut T,
    ctx: usize,
    z: u64,
) -> Result<u64, RansError> {
    let length = 64 - z.leading_zeros();
    let mut e = tables.length(io, ctx, length.min(LONG) as usize)? as u32;
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
    let head = tables.mantissa(io, e as usize, ((z >> (below - top)) & ((1 << top) - 1)) as usize)?;
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

/// Adaptive integer tables.
#[derive(Debug, Clone)]
pub(crate) struct AdaptiveTables {
    lens: Vec<LenCdf>,
    mantissas: Vec<MantissaCdf>,
}

impl AdaptiveTables {
    /// `contexts` bit-length tables, each peaked at `centre(ctx)`.
    pub(crate) fn new(contexts: usize, centre: impl Fn(usize) -> usize) -> Self {
        Self {
            lens: (0..contexts).map(|ctx| LenCdf::peaked(LEN_SYMBOLS, centre(ctx))).collect(),
            mantissas: (0..MANTISSA_TABLES).map(|e| MantissaCdf::uniform(mantissa_symbols(e))).collect(),
        }
    }
}

impl IntTables for AdaptiveTables {
    #[inline]
    fn length<I: SymbolIo>(&mut self, io: &mut I, ctx: usize, s: usize) -> Result<usize, RansError> {
        io.symbol(&mut self.lens[ctx], s)
    }

    #[inline]
    fn mantissa<I: SymbolIo>(&mut self, io: &mut I, e: usize, s: usize) -> Result<usize, RansError> {
        io.symbol(&mut self.mantissas[e], s)
    }
}

/// Counts of the symbols a walk codes (encoder side: they size its static tables).
#[derive(Debug, Clone)]
pub(crate) struct CountingTables {
    lens: Vec<[u32; LEN_SYMBOLS]>,
    mantissas: Vec<[u32; 4]>,
}

impl CountingTables {
    /// Zero counts for `contexts` bit-length contexts.
    pub(crate) fn new(contexts: usize) -> Self {
        Self { lens: vec![[0; LEN_SYMBOLS]; contexts], mantissas: vec![[0; 4]; MANTISSA_TABLES] }
    }

    /// The total of `price(frequency)` over every counted symbol of `tables` (built from these
    /// counts), for the symbols of tables that code something.
    pub(crate) fn priced(&self, tables: &StaticTables, price: impl Fn(u32) -> u64) -> u64 {
        fn sum<const N: usize>(
            counts: &[[u32; N]],
            tables: &[StaticTable],
            price: &impl Fn(u32) -> u64,
        ) -> u64 {
            let coding = counts.iter().zip(tables).filter(|(_, table)| table.single().is_none());
            coding
                .flat_map(|(counts, table)| {
                    counts
                        .iter()
                        .enumerate()
                        .filter(|&(_, &n)| n > 0)
                        .map(|(s, &n)| u64::from(n) * price(table.range(s).1))
                })
                .sum()
        }
        sum(&self.lens, &tables.lens, &price) + sum(&self.mantissas, &tables.mantissas, &price)
    }

    /// Static tables for the counts.
    pub(crate) fn tables(&self) -> StaticTables {
        StaticTables {
            lens: self.lens.iter().map(|c| StaticTable::from_counts(c)).collect(),
            mantissas: self
                .mantissas
                .iter()
                .enumerate()
                .map(|(e, c)| StaticTable::from_counts(&c[..mantissa_symbols(e)]))
                .collect(),
        }
    }
}

impl IntTables for CountingTables {
    fn length<I: SymbolIo>(&mut self, _io: &mut I, ctx: usize, s: usize) -> Result<usize, RansError> {
        self.lens[ctx][s] += 1;
        Ok(s)
    }

    fn mantissa<I: SymbolIo>(&mut self, _io: &mut I, e: usize, s: usize) -> Result<usize, RansError> {
        self.mantissas[e][s] += 1;
        Ok(s)
    }
}

/// Static integer tables, stored in the payload.
#[derive(Debug, Clone)]
pub(crate) struct StaticTables {
    lens: Vec<StaticTable>,
    mantissas: Vec<StaticTable>,
}

impl StaticTables {
    /// Unused tables for `contexts` bit-length contexts (a decoder's starting point).
    pub(crate) fn unused(contexts: usize) -> Self {
        Self {
            lens: vec![StaticTable::unused(LEN_SYMBOLS); contexts],
            mantissas: (0..MANTISSA_TABLES).map(|e| StaticTable::unused(mantissa_symbols(e))).collect(),
        }
    }

    /// Codes every table's frequencies (one adaptive side table for all of them).
    pub(crate) fn code<I: SymbolIo>(&mut self, io: &mut I) -> Result<(), RansError> {
        let mut side = SideCoder::new();
        for table in self.lens.iter_mut().chain(&mut self.mantissas[2..]) {
            table.code(io, &mut side)?;
        }
        Ok(())
    }
}

impl IntTables for StaticTables {
    #[inline]
    fn length<I: SymbolIo>(&mut self, io: &mut I, ctx: usize, s: usize) -> Result<usize, RansError> {
        io.fixed(&self.lens[ctx], s)
    }

    #[inline]
    fn mantissa<I: SymbolIo>(&mut self, io: &mut I, e: usize, s: usize) -> Result<usize, RansError> {
        io.fixed(&self.mantissas[e], s)
    }
}

/// Adaptive code for side information: signed integers through one bit-length table.
#[derive(Debug, Clone)]
pub(crate) struct SideCoder {
    tables: AdaptiveTables,
}

impl SideCoder {
    /// Fresh tables.
    pub(crate) fn new() -> Self {
        Self { tables: AdaptiveTables::new(1, |_| 2) }
    }

    /// Codes `value` (`|value| < 2^33`).
    pub(crate) fn signed<I: SymbolIo>(&mut self, io: &mut I, value: i64) -> Result<i64, RansError> {
        Ok(unzigzag(code_uint(io, &mut self.tables, 0, zigzag(value))?))
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
