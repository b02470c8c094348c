//! Fixed-point base-2 logarithms and powers (Q12), from integer-only tables.
//!
//! Encoder and decoder must form bit-identical predictions on every platform, so no `f64`
//! transcendental function is used at coding time: both tables are computed at compile time by
//! integer arithmetic (repeated squaring for the logarithm, repeated integer square roots for
//! the power).

/// Fractional bits of every log-domain quantity.
pub(crate) const FRAC_BITS: u32 = 12;

/// `1.0` in Q12.
pub(crate) const ONE: i32 = 1 << FRAC_BITS;

/// Largest log-domain prediction used: `2^33` exceeds every `u32` count plus one.
pub(crate) const MAX_LOG: i32 = 33 * ONE - 1;

/// `LOG_FRAC[m] = round(4096 · log2(1 + m / 4096))`.
static LOG_FRAC: [u16; 4096] = log_frac_table();

/// `EXP_FRAC[f] = round(2^30 · 2^(f / 4096))`.
static EXP_FRAC: [u32; 4096] = exp_frac_table();

/// `log2(x)` in Q12 for `x >= 1` (12 mantissa bits after the leading one; `x = 0` gives 0).
#[inline]
pub(crate) fn log2_q12(x: u64) -> i32 {
    if x == 0 {
        return 0;
    }
    let e = 63 - x.leading_zeros();
    let mantissa =
        if e >= FRAC_BITS { (x >> (e - FRAC_BITS)) & 0xfff } else { (x << (FRAC_BITS - e)) & 0xfff };
    (e as i32) * ONE + i32::from(LOG_FRAC[mantissa as usize])
}

/// `round(2^(p / 4096))` for `p` in `0..=MAX_LOG` (clamped to that range).
#[inline]
pub(crate) fn exp2_q12(p: i32) -> u64 {
    let p = p.clamp(0, MAX_LOG);
    let whole = (p >> FRAC_BITS) as u32;
    let frac = u64::from(EXP_FRAC[(p & 0xfff) as usize]);
    if whole >= 30 { frac << (whole - 30) } else { (frac + (1 << (29 - whole))) >> (30 - whole) }
}

/// Builds [`LOG_FRAC`]: 14 fraction bits of `log2(1 + m/4096)` by repeated squaring in Q62, rounded
/// to 12.
const fn log_frac_table() -> [u16; 4096] {
    let mut table = [0u16; 4096];
    let mut m = 0;
    while m < 4096 {
        let mut y: u128 = ((4096 + m) as u128) << 50; // Q62, in [1, 2)
        let mut bits: u32 = 0;
        let mut b = 0;
        while b < 14 {
            y = (y * y) >> 62;
            bits <<= 1;
            if y >= 2 << 62 {
                bits |= 1;
                y >>= 1;
            }
            b += 1;
        }
        let rounded = (bits + 2) >> 2;
        table[m] = if rounded > 4095 { 4095 } else { rounded as u16 };
        m += 1;
    }
    table
}

/// Builds [`EXP_FRAC`] from `2^(2^i / 4096)` for `i < 12`, each an integer square root of the next.
const fn exp_frac_table() -> [u32; 4096] {
    let mut roots = [0u128; 12];
    roots[11] = (2u128 << 124).isqrt(); // sqrt(2) in Q62
    let mut i = 11;
    while i > 0 {
        roots[i - 1] = (roots[i] << 62).isqrt();
        i -= 1;
    }
    let mut table = [0u32; 4096];
    let mut f = 0;
    while f < 4096 {
        let mut p: u128 = 1 << 62;
        let mut bit = 0;
        while bit < 12 {
            if f >> bit & 1 == 1 {
                p = (p * roots[bit]) >> 62;
            }
            bit += 1;
        }
        table[f] = ((p + (1 << 31)) >> 32) as u32;
        f += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_are_close_to_the_real_ones() {
        for x in [1u64, 2, 3, 7, 100, 4095, 65_537, 1 << 31, u64::from(u32::MAX) + 1] {
            let exact = (x as f64).log2() * 4096.0;
            assert!((f64::from(log2_q12(x)) - exact).abs() <= 2.0, "{x}: {} vs {exact}", log2_q12(x));
        }
        assert_eq!(log2_q12(1), 0);
        assert_eq!(log2_q12(2), ONE);
    }

    #[test]
    fn powers_are_close_to_the_real_ones() {
        for p in [0, 1, 2047, 4096, 5000, 40_000, 100_000, MAX_LOG] {
            let exact = (f64::from(p) / 4096.0).exp2();
            let got = exp2_q12(p) as f64;
            assert!((got - exact).abs() <= 0.5 + exact * 1e-6, "{p}: {got} vs {exact}");
        }
        assert_eq!(exp2_q12(-5), 1);
    }

    #[test]
    fn the_tables_are_the_format_s_tables() {
        // The tables are part of the payload format: a change here is a new version byte.
        let log_sum: u64 = LOG_FRAC.iter().map(|&v| u64::from(v)).sum();
        let exp_sum: u64 = EXP_FRAC.iter().map(|&v| u64::from(v)).sum();
        assert_eq!((log_sum, exp_sum), (9_347_971, 6_344_503_035_393));
    }
}
