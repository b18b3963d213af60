//! Python's numeric hash. In: an int or a float. Out: the `hash()` CPython gives it: the value
//! modulo the prime 2^61 - 1, so equal numbers hash equal across types (`hash(1) == hash(1.0)`).

use num_bigint::{BigInt, BigUint};
use num_traits::{Signed, ToPrimitive};

use super::convert::decompose;

/// The Mersenne prime 2^61 - 1 that numeric hashes are reduced by (CPython's `_PyHASH_MODULUS`).
pub const HASH_MODULUS: u64 = (1 << 61) - 1;
/// `hash(float('inf'))`; `-inf` hashes to its negation.
pub const HASH_INF: i64 = 314_159;
/// `hash(float('nan'))`. CPython 3.10+ hashes NaN by identity; frost has no identity for a
/// float, so every NaN hashes to 0 (CPython before 3.10).
pub const HASH_NAN: i64 = 0;

/// `hash(n)` for an int.
pub fn hash_int(n: &BigInt) -> i64 {
    let reduced = match n.magnitude().to_u64() {
        Some(m) => m % HASH_MODULUS,
        None => (n.magnitude() % BigUint::from(HASH_MODULUS))
            .to_u64()
            .unwrap_or(0),
    };
    finish(reduced, n.is_negative())
}

/// `hash(x)` for a float; integral floats hash like the equal int.
pub fn hash_float(x: f64) -> i64 {
    if x.is_nan() {
        return HASH_NAN;
    }
    if x.is_infinite() {
        return if x > 0.0 { HASH_INF } else { -HASH_INF };
    }
    // |x| = mantissa * 2^exp, and 2^61 = 1 (mod 2^61 - 1), so 2^exp = 2^(exp mod 61).
    let (mantissa, exp) = decompose(x);
    let rotation = exp.rem_euclid(61) as u32;
    let reduced = ((u128::from(mantissa) << rotation) % u128::from(HASH_MODULUS)) as u64;
    finish(reduced, x.is_sign_negative())
}

/// Applies the sign; -1 is reserved for errors in CPython, so it becomes -2.
fn finish(reduced: u64, negative: bool) -> i64 {
    // reduced < 2^61 fits an i64.
    let h = reduced as i64;
    let h = if negative { -h } else { h };
    if h == -1 { -2 } else { h }
}
