//! The raw bit stream: low mantissa bits that no model predicts, stored verbatim (LSB first).

/// Appends bits to bytes.
pub(crate) struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    filled: u32,
}

impl BitWriter {
    pub(crate) fn new() -> Self {
        BitWriter { bytes: Vec::new(), acc: 0, filled: 0 }
    }

    /// Appends the low `n` bits of `value` (`n` ≤ 32).
    #[inline]
    pub(crate) fn put(&mut self, value: u32, n: u32) {
        self.acc |= u64::from(value) << self.filled;
        self.filled += n;
        while self.filled >= 8 {
            self.bytes.push(self.acc as u8);
            self.acc >>= 8;
            self.filled -= 8;
        }
    }

    /// The bytes, the last one zero-padded.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        if self.filled > 0 {
            self.bytes.push(self.acc as u8);
        }
        self.bytes
    }
}

/// Reads bits back. Past the end it reads zeros and remembers that it did.
pub(crate) struct BitReader<'a> {
    bytes: &'a [u8],
    at: usize,
    acc: u64,
    filled: u32,
    overrun: bool,
}

impl<'a> BitReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        BitReader { bytes, at: 0, acc: 0, filled: 0, overrun: false }
    }

    /// The next `n` bits (`n` ≤ 32).
    #[inline]
    pub(crate) fn get(&mut self, n: u32) -> u32 {
        if self.filled < n {
            self.refill();
            if self.filled < n {
                self.overrun = true;
                self.filled = n;
            }
        }
        let value = (self.acc & ((1u64 << n) - 1)) as u32;
        self.acc >>= n;
        self.filled -= n;
        value
    }

    fn refill(&mut self) {
        if let Some(word) = self.bytes.get(self.at..self.at + 4) {
            let word = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
            self.acc |= u64::from(word) << self.filled;
            self.filled += 32;
            self.at += 4;
        } else {
            while self.filled <= 56 {
                let Some(&byte) = self.bytes.get(self.at) else { break };
                self.acc |= u64::from(byte) << self.filled;
                self.filled += 8;
                self.at += 1;
            }
        }
    }

    /// Whether more bits were asked for than the stream holds.
    pub(crate) fn overrun(&self) -> bool {
        self.overrun
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_and_overrun_is_reported() {
        let fields: Vec<(u32, u32)> =
            (0..500u32).map(|i| (i.wrapping_mul(2_654_435_761) >> (i % 32), i % 33)).collect();
        let mut writer = BitWriter::new();
        for &(value, n) in &fields {
            writer.put(value & ((1u64 << n) - 1) as u32, n);
        }
        let bytes = writer.finish();
        let mut reader = BitReader::new(&bytes);
        for &(value, n) in &fields {
            assert_eq!(reader.get(n), value & ((1u64 << n) - 1) as u32);
        }
        assert!(!reader.overrun());
        reader.get(32);
        reader.get(32);
        assert!(reader.overrun());
    }
}
