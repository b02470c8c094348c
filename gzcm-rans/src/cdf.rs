//! Adaptive cumulative frequency tables over small alphabets, at a fixed 15-bit total.
//!
//! A table keeps `n + 1` cumulative counts `cum[0] = 0 <= … <= cum[n] = TOTAL - n`; symbol `s`
//! owns the slots `cum[s] + s .. cum[s + 1] + s + 1`, so every symbol keeps at least one of the
//! `2^15` slots and the total never changes (rANS needs a power-of-two total). After each
//! symbol the counts move a fraction `2^-rate` of the way towards "all mass on that symbol";
//! the rate starts fast and slows as the table learns.

/// Bits of the probability scale.
pub(crate) const PROB_BITS: u32 = 15;

/// The probability scale, `2^15`.
pub(crate) const TOTAL: u32 = 1 << PROB_BITS;

/// Largest alphabet of any table.
pub(crate) const MAX_SYMBOLS: usize = 40;

/// One adaptive frequency table.
#[derive(Debug, Clone)]
pub(crate) struct Cdf {
    /// `cum[0..=n]`; entries past `n` are unused.
    cum: [u16; MAX_SYMBOLS + 1],
    /// Alphabet size, `2..=MAX_SYMBOLS`.
    n: u8,
    /// Symbols seen so far (saturating), which sets the adaptation rate.
    seen: u8,
}

impl Cdf {
    /// A uniform table over `n` symbols (`2 <= n <= MAX_SYMBOLS`).
    pub(crate) fn uniform(n: usize) -> Self {
        debug_assert!((2..=MAX_SYMBOLS).contains(&n));
        let mass = TOTAL - n as u32;
        let mut cum = [0u16; MAX_SYMBOLS + 1];
        for (i, c) in cum.iter_mut().enumerate().take(n + 1) {
            *c = (mass * i as u32 / n as u32) as u16;
        }
        Self { cum, n: n as u8, seen: 0 }
    }

    /// Alphabet size.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        usize::from(self.n)
    }

    /// `(start, frequency)` of symbol `s < n` on the `2^15` scale.
    #[inline]
    pub(crate) fn range(&self, s: usize) -> (u32, u32) {
        let lo = u32::from(self.cum[s]) + s as u32;
        let hi = u32::from(self.cum[s + 1]) + s as u32 + 1;
        (lo, hi - lo)
    }

    /// The symbol owning `slot < 2^15`.
    #[inline]
    pub(crate) fn find(&self, slot: u32) -> usize {
        let n = self.len();
        let mut s = 0;
        for (i, &c) in self.cum[1..n].iter().enumerate() {
            s += usize::from(u32::from(c) + i as u32 + 1 <= slot);
        }
        s
    }

    /// Moves probability towards `s`.
    #[inline]
    pub(crate) fn update(&mut self, s: usize) {
        let rate = match self.seen {
            0..16 => 4,
            16..96 => 5,
            _ => 6,
        };
        self.seen = self.seen.saturating_add(1);
        let n = self.len();
        let mass = (TOTAL - n as u32) as u16;
        for c in &mut self.cum[1..=s] {
            *c -= *c >> rate;
        }
        for c in &mut self.cum[s + 1..n] {
            *c += (mass - *c) >> rate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cdf: &Cdf) {
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
        for n in [2, 4, 34, MAX_SYMBOLS] {
            let mut cdf = Cdf::uniform(n);
            check(&cdf);
            for k in 0..2000 {
                let s = if k % 7 == 0 { k % n } else { n / 3 };
                cdf.update(s);
                check(&cdf);
            }
            assert!(cdf.range(n / 3).1 > TOTAL / 2, "{n}: learnt {:?}", cdf.range(n / 3));
        }
    }

    #[test]
    fn a_symbol_never_seen_keeps_a_slot() {
        let mut cdf = Cdf::uniform(4);
        for _ in 0..10_000 {
            cdf.update(0);
        }
        check(&cdf);
        // The shift-based update stalls within 2^rate of its target: the symbols never seen
        // share at most 64 slots between them (0.2 %), and each keeps at least one.
        let unseen: u32 = (1..4).map(|s| cdf.range(s).1).sum();
        assert!((3..=64 + 3).contains(&unseen), "{unseen}");
    }
}
