//! A tiny deterministic PRNG for mutation tests. In: a nonzero seed. Out: a reproducible
//! stream of numbers (xorshift64), so a failing case can be replayed; no rand crate needed.

/// xorshift64: tiny, deterministic, good enough to pick positions and bytes.
pub struct Rng(pub u64);

impl Rng {
    /// The next number of the stream.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}
