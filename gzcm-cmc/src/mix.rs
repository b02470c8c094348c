//! Logistic mixing: several models' probabilities for one bit, combined with learned weights.
//!
//! Each model's P(1) is mapped to the logistic domain (`stretch`), the mixer forms a weighted
//! sum, and `squash` maps it back. The weights follow the coding error online, so whichever
//! model is sharper in the current situation gets the say. Integer arithmetic only, so encoder
//! and decoder agree bit for bit on every platform.

/// Models mixed per bit.
pub(crate) const INPUTS: usize = 3;
/// Logistic domain: `x / 256` natural-log odds, clamped to ±2047.
const LIMIT: i32 = 2047;
/// `4096 / (1 + e^(-x/256))` at `x = -2048, -1920, …, 2048`; squash interpolates between them.
const KNOTS: [i32; 33] = [
    1, 2, 4, 6, 10, 17, 27, 45, 74, 120, 194, 311, 488, 747, 1102, 1546, 2048, 2550, 2994, 3349, 3608, 3785,
    3902, 3976, 4022, 4051, 4069, 4079, 4086, 4090, 4092, 4094, 4095,
];
/// Inverse of [`squash`] over 12-bit probabilities.
static STRETCH: [i16; 4096] = build_stretch();
/// Initial weight of each input (16.16 fixed point): a plain average to start with.
const INITIAL_WEIGHT: i32 = (1 << 16) * 2 / 5;
/// Largest weight magnitude (16.16 fixed point).
const WEIGHT_LIMIT: i32 = 16 << 16;
/// Learning rate, as a right shift of `input × error`.
const LEARNING_SHIFT: u32 = 14;

/// 12-bit probability of the logistic value `x`.
const fn squash(x: i32) -> i32 {
    if x > LIMIT {
        return 4095;
    }
    if x < -LIMIT {
        return 1;
    }
    let knot = ((x >> 7) + 16) as usize;
    let w = x & 127;
    (KNOTS[knot] * (128 - w) + KNOTS[knot + 1] * w + 64) >> 7
}

const fn build_stretch() -> [i16; 4096] {
    let mut table = [0i16; 4096];
    let mut next = 0;
    let mut x = -LIMIT;
    while x <= LIMIT {
        let p = squash(x) as usize;
        while next <= p {
            table[next] = x as i16;
            next += 1;
        }
        x += 1;
    }
    while next < 4096 {
        table[next] = LIMIT as i16;
        next += 1;
    }
    table
}

/// Mixing weights, one set per selector value.
#[derive(Debug)]
pub(crate) struct Mixer {
    weights: Vec<[i32; INPUTS]>,
    /// Inputs, weight set and output of the last [`Mixer::mix`], for [`Mixer::update`].
    inputs: [i32; INPUTS],
    set: usize,
    p: i32,
}

impl Mixer {
    /// A mixer with `sets` independent weight sets.
    pub(crate) fn new(sets: usize) -> Self {
        Self { weights: vec![[INITIAL_WEIGHT; INPUTS]; sets], inputs: [0; INPUTS], set: 0, p: 2048 }
    }

    /// Mixes 16-bit probabilities under weight set `set`; returns a 16-bit P(1).
    #[inline]
    pub(crate) fn mix(&mut self, probs: [u32; INPUTS], set: usize) -> u32 {
        self.set = set;
        let weights = &self.weights[set];
        let mut dot = 0i64;
        for ((input, &p), &w) in self.inputs.iter_mut().zip(&probs).zip(weights) {
            *input = STRETCH[(p >> 4) as usize & 4095] as i32;
            dot += *input as i64 * w as i64;
        }
        self.p = squash((dot >> 16) as i32);
        (self.p as u32) << 4
    }

    /// Moves the last weight set towards what would have predicted `bit` better.
    #[inline]
    pub(crate) fn update(&mut self, bit: u32) {
        let error = ((bit as i32) << 12) - self.p;
        for (w, &input) in self.weights[self.set].iter_mut().zip(&self.inputs) {
            // Bounded, so no input sequence (however hostile) can overflow a weight.
            *w = (*w + ((input * error) >> LEARNING_SHIFT)).clamp(-WEIGHT_LIMIT, WEIGHT_LIMIT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretch_inverts_squash() {
        for x in (-2000..2000).step_by(37) {
            let back = STRETCH[squash(x) as usize] as i32;
            assert!(squash(back) == squash(x), "x {x} back {back}");
        }
        assert!(squash(0) == 2048 && squash(LIMIT + 5) == 4095 && squash(-LIMIT - 5) == 1);
    }

    #[test]
    fn mixer_learns_to_trust_the_right_input() {
        let mut mixer = Mixer::new(1);
        // Input 0 is always right (p = 0.9 for ones), input 1 says 0.5, input 2 is wrong.
        for i in 0..4000 {
            let bit = u32::from(i % 10 != 0);
            mixer.mix([58_982, 32_768, 6_554], 0);
            mixer.update(bit);
        }
        let p = mixer.mix([58_982, 32_768, 6_554], 0);
        assert!(p > 55_000, "{p}");
    }
}
