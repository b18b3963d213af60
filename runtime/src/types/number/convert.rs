//! Conversions between ints and floats, and their exact comparison. In: a `BigInt` or an `f64`.
//! Out: the other one (correctly rounded, or CPython's error) or an `Ordering`.

use core::cmp::Ordering;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

use super::ArithError;

/// `float(n)`: the nearest float (ties to even), or OverflowError when |n| rounds past the
/// largest finite float.
pub fn int_to_f64(n: &BigInt) -> Result<f64, ArithError> {
    let magnitude = biguint_to_f64(n.magnitude())
        .ok_or(ArithError::Overflow("int too large to convert to float"))?;
    Ok(if n.is_negative() {
        -magnitude
    } else {
        magnitude
    })
}

/// `int(x)`: truncates toward zero. Infinities raise OverflowError and NaN ValueError, with
/// CPython's messages.
pub fn float_to_int(x: f64) -> Result<BigInt, ArithError> {
    if x.is_nan() {
        return Err(ArithError::InvalidValue(
            "cannot convert float NaN to integer",
        ));
    }
    if x.is_infinite() {
        return Err(ArithError::Overflow(
            "cannot convert float infinity to integer",
        ));
    }
    let (mantissa, exp) = decompose(x);
    let magnitude = if exp >= 0 {
        BigUint::from(mantissa) << exp.unsigned_abs()
    } else if exp > -64 {
        BigUint::from(mantissa >> exp.unsigned_abs())
    } else {
        BigUint::zero()
    };
    let sign = if x.is_sign_negative() {
        Sign::Minus
    } else {
        Sign::Plus
    };
    Ok(BigInt::from_biguint(sign, magnitude))
}

/// The finite float `|x|` as `mantissa * 2^exp` with an integer mantissa below 2^53.
pub(crate) fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let exp_field = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if exp_field == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exp_field - 1075)
    }
}

/// Exact comparison of an int with a float; `None` for NaN.
pub(super) fn compare_int_float(n: &BigInt, x: f64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    if x.is_infinite() {
        return Some(if x > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    // Ints of up to 53 bits convert exactly.
    if n.bits() <= 53 {
        return n.to_i64().and_then(|i| (i as f64).partial_cmp(&x));
    }
    let floor = libm::floor(x);
    let floor_int = float_to_int(floor).ok()?;
    Some(match n.cmp(&floor_int) {
        Ordering::Equal if x > floor => Ordering::Less,
        other => other,
    })
}

/// Nearest f64 to `n` (ties to even), `None` when that is beyond the largest finite float.
fn biguint_to_f64(n: &BigUint) -> Option<f64> {
    let bits = n.bits();
    if bits <= 64 {
        return n.to_u64().map(|v| v as f64);
    }
    if bits > 1025 {
        return None;
    }
    // Keep the top 64 bits and fold every lower bit into a sticky bit, so the single rounding
    // of u64 -> f64 (11 bits dropped) sees ties exactly as the full value would.
    let shift = bits - 64;
    let top = (n >> shift).to_u64()?;
    let sticky = n.trailing_zeros().is_some_and(|tz| tz < shift);
    let result = libm::scalbn((top | u64::from(sticky)) as f64, shift as i32);
    result.is_finite().then_some(result)
}

/// `round_half_even(|x| * 10^n)` exactly, for finite `x` and any `n`: the digits behind
/// `round(x, n)` and `format(x, '.nf')`.
pub(crate) fn scaled_round(x: f64, n: i64) -> BigUint {
    let (mantissa, exp) = decompose(x);
    let mut num = BigUint::from(mantissa);
    let mut den = BigUint::one();
    let ten_n = Pow::pow(BigUint::from(10u32), n.unsigned_abs());
    if n >= 0 {
        num *= ten_n;
    } else {
        den = ten_n;
    }
    if exp >= 0 {
        num <<= exp.unsigned_abs();
    } else {
        den <<= exp.unsigned_abs();
    }
    let (q, r) = num.div_rem(&den);
    let twice = r << 1u32;
    if twice > den || (twice == den && q.is_odd()) {
        q + 1u32
    } else {
        q
    }
}
