//! Operators on two ints. In: two `BigInt`s and a `BinaryOp`. Out: an int (or a float for `/`
//! and negative powers), or the `ArithError` CPython would raise.

use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::{ArithError, MAX_INT_BITS, Number, float, int_to_f64};
use crate::image::BinaryOp;

/// `a op b` for two ints.
pub(super) fn binary(op: BinaryOp, a: &BigInt, b: &BigInt) -> Result<Number, ArithError> {
    let result = match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => {
            if a.bits() + b.bits() > MAX_INT_BITS + 1 {
                return Err(ArithError::TooLarge);
            }
            a * b
        }
        BinaryOp::TrueDiv => return true_div(a, b).map(Number::Float),
        BinaryOp::FloorDiv => {
            check_divisor(b, "integer division or modulo by zero")?;
            a.div_floor(b)
        }
        BinaryOp::Mod => {
            check_divisor(b, "integer modulo by zero")?;
            a.mod_floor(b)
        }
        BinaryOp::Pow => return pow(a, b),
        BinaryOp::LShift => lshift(a, b)?,
        BinaryOp::RShift => rshift(a, b)?,
        BinaryOp::And => a & b,
        BinaryOp::Or => a | b,
        BinaryOp::Xor => a ^ b,
        BinaryOp::MatMul => return Err(ArithError::Unsupported),
    };
    Ok(Number::Int(result))
}

/// CPython 3.11 words `//` and `%` by zero differently.
fn check_divisor(b: &BigInt, message: &'static str) -> Result<(), ArithError> {
    if b.is_zero() {
        return Err(ArithError::ZeroDivision(message));
    }
    Ok(())
}

/// `a ** b`: an int for `b >= 0`, otherwise float power of the converted operands (as CPython).
fn pow(a: &BigInt, b: &BigInt) -> Result<Number, ArithError> {
    if b.is_negative() {
        return float::pow(int_to_f64(a)?, int_to_f64(b)?).map(Number::Float);
    }
    if b.is_zero() || a.is_one() {
        return Ok(Number::Int(BigInt::one()));
    }
    if a.is_zero() {
        return Ok(Number::Int(BigInt::zero()));
    }
    let odd = b.is_odd();
    if a.magnitude().is_one() {
        // a == -1
        return Ok(Number::Int(if odd { a.clone() } else { BigInt::one() }));
    }
    // |a| >= 2 from here, so the result has at least `b` bits.
    let Some(exp) = b.to_u32().filter(|&e| u64::from(e) <= MAX_INT_BITS) else {
        return Err(ArithError::TooLarge);
    };
    if f64::from(exp) * log2_magnitude(a) > MAX_INT_BITS as f64 {
        return Err(ArithError::TooLarge);
    }
    Ok(Number::Int(num_traits::Pow::pow(a, exp)))
}

/// log2 |a|, close enough to size a power's result.
fn log2_magnitude(a: &BigInt) -> f64 {
    match a.magnitude().to_u64() {
        Some(m) => libm::log2(m as f64),
        None => a.bits() as f64,
    }
}

fn lshift(a: &BigInt, count: &BigInt) -> Result<BigInt, ArithError> {
    if count.is_negative() {
        return Err(ArithError::NegativeShift);
    }
    if a.is_zero() {
        return Ok(BigInt::zero());
    }
    match count.to_u64() {
        Some(n) if a.bits().saturating_add(n) <= MAX_INT_BITS => Ok(a << n),
        _ => Err(ArithError::TooLarge),
    }
}

fn rshift(a: &BigInt, count: &BigInt) -> Result<BigInt, ArithError> {
    if count.is_negative() {
        return Err(ArithError::NegativeShift);
    }
    match count.to_u64() {
        // BigInt's `>>` rounds toward negative infinity, as Python's does.
        Some(n) if n < a.bits() => Ok(a >> n),
        _ if a.is_negative() => Ok(-BigInt::one()),
        _ => Ok(BigInt::zero()),
    }
}

/// Bits of precision of an f64 significand.
const F64_MANTISSA_BITS: i64 = 53;
/// Exponent of the smallest subnormal f64: 2^-1074.
const F64_MIN_EXP_SUBNORMAL: i64 = -1074;

/// `a / b` correctly rounded, however large the ints (CPython's `long_true_divide`).
pub(crate) fn true_div(a: &BigInt, b: &BigInt) -> Result<f64, ArithError> {
    if b.is_zero() {
        return Err(ArithError::ZeroDivision("division by zero"));
    }
    let negative = a.is_negative() != b.is_negative();
    let sign = |x: f64| if negative { -x } else { x };
    let (na, nb) = (a.magnitude(), b.magnitude());
    // Both exactly representable: one IEEE division rounds correctly.
    if na.bits() <= 53 && nb.bits() <= 53 {
        let (Some(x), Some(y)) = (na.to_u64(), nb.to_u64()) else {
            return Err(TOO_LARGE_QUOTIENT);
        };
        return Ok(sign(x as f64 / y as f64));
    }
    // The quotient lies in (2^(diff-1), 2^(diff+1)).
    let diff = na.bits() as i64 - nb.bits() as i64;
    if diff > 1025 {
        return Err(TOO_LARGE_QUOTIENT);
    }
    if diff <= F64_MIN_EXP_SUBNORMAL - 2 || na.is_zero() {
        return Ok(sign(0.0));
    }
    // Scale so the integer quotient has 55 or 56 bits: 53 to keep, one to round, one spare.
    let scale = F64_MANTISSA_BITS + 2 - diff;
    let (q, r) = if scale >= 0 {
        (na << scale as u64).div_rem(nb)
    } else {
        na.div_rem(&(nb << scale.unsigned_abs()))
    };
    let exp = q.bits() as i64 - scale; // quotient in [2^(exp-1), 2^exp)
    let lsb = (exp - F64_MANTISSA_BITS).max(F64_MIN_EXP_SUBNORMAL);
    let drop = (lsb + scale) as u64; // >= 2, see above
    let mut kept = &q >> drop;
    let low = &q - (&kept << drop);
    let half = BigUint::one() << drop.saturating_sub(1);
    if low > half || (low == half && (!r.is_zero() || kept.is_odd())) {
        kept += 1u32;
    }
    let Some(kept) = kept.to_u64() else {
        return Err(TOO_LARGE_QUOTIENT);
    };
    // kept <= 2^53 and kept * 2^lsb is representable unless it overflows: scalbn is exact.
    let result = libm::scalbn(kept as f64, lsb as i32);
    if result.is_infinite() {
        return Err(TOO_LARGE_QUOTIENT);
    }
    Ok(sign(result))
}

const TOO_LARGE_QUOTIENT: ArithError =
    ArithError::Overflow("integer division result too large for a float");
