//! Adaptive cumulative frequency tables over small alphabets, at a fixed 15-bit total.
//!
//! A table over `n` symbols keeps the `n - 1` inner boundaries `E[1] < … < E[n-1]` of its
//! slots (`E[0] = 0`, `E[n] = 2^15`); symbol `s` owns the slots `E[s]..E[s+1]`. Writing
//! `E[i] = c[i] + i`, the counts `0 = c[0] <= … <= c[n] = 2^15 - n` may collapse while every
//! symbol keeps at least one slot, and the total never changes (rANS needs a power-of-two
//! total). After each symbol `s`, every `c[i]` moves a fraction `2^-rate` of the way towards 0
//! (`i <= s`) or towards `2^15 - n` (`i > s`), rounding down; the rate starts fast and slows
//! as the table learns (4, then 5 after 16 symbols, 6 after 96, 7 after 255).
//!
//! The boundaries live in a fixed array of `N` signed 16-bit lanes as `E[i] - 1` (unused lanes
//! hold `i16::MAX`), so finding a symbol and adapting the table are straight-line vector code.

/// Bits of the probability scale.
pub(crate) const PROB_BITS: u32 = 15;

/// The probability scale, `2^15`.
pub(crate) const TOTAL: u32 = 1 << PROB_BITS;

/// Value of an unused lane: never below a slot, and left alone by updates.
const UNUSED: i16 = i16::MAX;

/// One adaptive frequency table of at most `N + 1` symbols.
#[derive(Debug, Clone)]
pub(crate) struct Cdf<const N: usize> {
    /// `inner[k] = E[k + 1] - 1` for `k < n - 1`; [`UNUSED`] after.
    inner: [i16; N],
    /// Alphabet size, `2..=N + 1`.
    n: u16,
    /// Symbols seen so far (saturating), which sets the adaptation rate.
    seen: u8,
}

impl<const N: usize> Cdf<N> {
    /// A uniform table over `n` symbols (`2 <= n <= N + 1`).
    pub(crate) fn uniform(n: usize) -> Self {
        debug_assert!((2..=N + 1).contains(&n));
        let mass = TOTAL - n as u32;
        let mut inner = [UNUSED; N];
        for (k, e) in inner.iter_mut().enumerate().take(n - 1) {
            let i = k as u32 + 1;
            *e = (mass * i / n as u32 + i - 1) as i16;
        }
        Self { inner, n: n as u16, seen: 0 }
    }

    /// A table over `n` symbols peaked at `centre`: weights halve with each step away from it
    /// (floored at 1/4096 of the peak).
    pub(crate) fn peaked(n: usize, centre: usize) -> Self {
        debug_assert!((2..=N + 1).contains(&n));
        let weight = |s: usize| 4096u64 >> s.abs_diff(centre).min(12);
        let sum: u64 = (0..n).map(weight).sum();
        let mass = u64::from(TOTAL) - n as u64;
        let mut inner = [UNUSED; N];
        let mut below = 0;
        for (k, e) in inner.iter_mut().enumerate().take(n - 1) {
            below += weight(k);
            *e = (mass * below / sum + k as u64) as i16;
        }
        Self { inner, n: n as u16, seen: 0 }
    }

    /// Alphabet size.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        usize::from(self.n)
    }

    /// `(start, frequency)` of symbol `s < n` on the `2^15` scale.
    #[inline]
    pub(crate) fn range(&self, s: usize) -> (u32, u32) {
        let lo = if s == 0 { 0 } else { self.inner[s - 1] as u32 + 1 };
        let hi = if s + 1 == self.len() { TOTAL } else { self.inner[s] as u32 + 1 };
        (lo, hi - lo)
    }

    /// The symbol owning `slot < 2^15`.
    #[inline]
    pub(crate) fn find(&self, slot: u32) -> usize {
        let slot = slot as i16;
        let mut s: i16 = 0;
        for &e in &self.inner {
            s += i16::from(e < slot);
        }
        s as usize
    }

    /// Moves probability towards `s`.
    #[inline]
    pub(crate) fn update(&mut self, s: usize) {
        let rate = match self.seen {
            0..16 => 4,
            16..96 => 5,
            96..=254 => 6,
            _ => 7,
        };
        self.seen = self.seen.saturating_add(1);
        let mass = (TOTAL - u32::from(self.n)) as i16;
        let used = self.n as i16 - 1;
        let s = s as i16;
        for (k, e) in self.inner.iter_mut().enumerate() {
            let k = k as i16;
            let target = if k < s {
                k
            } else if k < used {
                mass + k
            } else {
                UNUSED
            };
            *e += (target - *e) >> rate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<const N: usize>(cdf: &Cdf<N>) {
        let mut next = 0;
        for s in 0..cdf.len() {
            let (start, freq) = cdf.range(s);
            assert_eq!(start, next);
            assert!(freq >= 1);
            for slot in [start, start + freq - 1] {
                assert_eq!(cdf.find(slot), s);
            }
            next = start + freq;
        }
        assert_eq!(next, TOTAL);
    }

    #[test]
    fn ranges_tile_the_scale_while_adapting() {
        fn run<const N: usize>(n: usize) {
            let mut cdf = Cdf::<N>::uniform(n);
            check(&cdf);
            for k in 0..2000 {
                let s = if k % 7 == 0 { k % n } else { n / 3 };
                cdf.update(s);
                check(&cdf);
            }
            assert!(cdf.range(n / 3).1 > TOTAL / 2, "{n}: learnt {:?}", cdf.range(n / 3));
        }
        run::<1>(2);
        run::<4>(4);
        run::<4>(3);
        run::<40>(35);
        run::<40>(41);
    }

    #[test]
    fn peaked_tables_favour_their_centre() {
        for centre in [0, 1, 7, 34, 60] {
            let cdf = Cdf::<40>::peaked(35, centre);
            check(&cdf);
            let best = (0..35).max_by_key(|&s| cdf.range(s).1).unwrap();
            assert_eq!(best, centre.min(34));
        }
    }

    #[test]
    fn a_symbol_never_seen_keeps_a_slot() {
        let mut cdf = Cdf::<4>::uniform(4);
        for _ in 0..10_000 {
            cdf.update(0);
        }
        check(&cdf);
        // Rising boundaries stall within 2^rate of their target: the symbols never seen share
        // at most 128 slots (0.4 %), and each keeps at least one.
        let unseen: u32 = (1..4).map(|s| cdf.range(s).1).sum();
        assert!((3..=128 + 3).contains(&unseen), "{unseen}");
        for _ in 0..10_000 {
            cdf.update(3);
        }
        check(&cdf);
        assert_eq!(cdf.range(0).1, 1);
    }
}
