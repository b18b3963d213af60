//! Python's `round()` of numbers. In: an int or a float and `ndigits` (or none). Out: the value
//! rounded half to even on its exact value (CPython's `float.__round__`, `int.__round__`).

use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_traits::{Pow, Zero};

use super::{ArithError, float_to_int, int, int_to_f64, scaled_round};

/// Above this many digits every float is already exact (CPython's NDIGITS_MAX for doubles).
const NDIGITS_MAX: i64 = 323;
/// Below this, every finite float rounds to zero (CPython's NDIGITS_MIN).
const NDIGITS_MIN: i64 = -308;

const TOO_LARGE_ROUNDED: ArithError = ArithError::Overflow("rounded value too large to represent");

/// `round(x, ndigits)` for a float: the float nearest to `x` rounded to a multiple of
/// 10^-ndigits (so `round(2.675, 2)` is 2.67: the float is just below 2.675).
pub fn round_float(x: f64, ndigits: i64) -> Result<f64, ArithError> {
    if !x.is_finite() || x == 0.0 || ndigits > NDIGITS_MAX {
        return Ok(x);
    }
    if ndigits < NDIGITS_MIN {
        return Ok(0.0 * x);
    }
    let rounded = BigInt::from(scaled_round(x, ndigits));
    let power = BigInt::from(Pow::pow(BigUint::from(10u32), ndigits.unsigned_abs()));
    let magnitude = if ndigits >= 0 {
        int::true_div(&rounded, &power).map_err(|_| TOO_LARGE_ROUNDED)?
    } else {
        int_to_f64(&(rounded * power)).map_err(|_| TOO_LARGE_ROUNDED)?
    };
    Ok(libm::copysign(magnitude, x))
}

/// `round(x)` for a float: the nearest int, ties to even. Infinities raise OverflowError and
/// NaN ValueError, as `int(x)` does.
pub fn round_float_to_int(x: f64) -> Result<BigInt, ArithError> {
    let mut rounded = libm::round(x);
    if libm::fabs(x - rounded) == 0.5 {
        rounded = 2.0 * libm::round(x / 2.0);
    }
    float_to_int(rounded)
}

/// `round(n, ndigits)` for an int: `n` itself for `ndigits >= 0`, else the nearest multiple of
/// 10^-ndigits, ties to even.
pub fn round_int(n: &BigInt, ndigits: i64) -> BigInt {
    if ndigits >= 0 {
        return n.clone();
    }
    // 10^k with k beyond n's digit count exceeds 2|n|: everything rounds to zero, and this
    // keeps `round(1, -10**18)` from building a huge power.
    let k = ndigits.unsigned_abs();
    if k > n.bits() / 3 + 2 {
        return BigInt::zero();
    }
    let power = BigInt::from(Pow::pow(BigUint::from(10u32), k));
    let (q, r) = n.div_mod_floor(&power);
    let twice: BigInt = r << 1u32;
    let q = if twice > power || (twice == power && q.is_odd()) {
        q + 1
    } else {
        q
    };
    q * power
}
