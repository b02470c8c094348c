//! Move-to-front: turns the BWT's local symbol repetition into small ranks.

/// Symbol order shared by both sides: most recently used first.
pub(crate) struct Mtf {
    order: [u8; 256],
}

impl Mtf {
    /// Identity order (symbol s at rank s).
    pub(crate) fn new() -> Self {
        Self { order: std::array::from_fn(|i| i as u8) }
    }

    /// Rank of `sym`, which then moves to the front.
    #[inline]
    pub(crate) fn encode(&mut self, sym: u8) -> u8 {
        // The symbol is always present; 0 is a harmless default for the type checker.
        let rank = self.order.iter().position(|&s| s == sym).unwrap_or(0);
        self.order.copy_within(0..rank, 1);
        self.order[0] = sym;
        rank as u8
    }

    /// Symbol at `rank`, which then moves to the front.
    #[inline]
    pub(crate) fn decode(&mut self, rank: u8) -> u8 {
        let rank = rank as usize;
        let sym = self.order[rank];
        self.order.copy_within(0..rank, 1);
        self.order[0] = sym;
        sym
    }

    /// The symbol at the front (what rank 0 decodes to).
    #[inline]
    pub(crate) fn front(&self) -> u8 {
        self.order[0]
    }
}

/// MTF ranks of a whole block.
pub(crate) fn forward(data: &[u8]) -> Vec<u8> {
    let mut mtf = Mtf::new();
    data.iter().map(|&b| mtf.encode(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_invert() {
        let data = b"bananaaaa\0\xff\xffzz";
        let ranks = forward(data);
        let mut mtf = Mtf::new();
        let back: Vec<u8> = ranks.iter().map(|&r| mtf.decode(r)).collect();
        assert_eq!(&back, data);
        assert_eq!(ranks[0], b'b');
        assert_eq!(&ranks[6..9], &[0, 0, 0]);
    }
}
