//! Operators on two floats. In: two `f64`s and a `BinaryOp`. Out: a float, or the `ArithError`
//! CPython 3.11 raises (its `float_div`, `float_divmod`, `float_rem` and `float_pow`).

use super::ArithError;
use crate::image::BinaryOp;

/// `x op y` for two floats (an int operand has already been converted).
pub(super) fn binary(op: BinaryOp, x: f64, y: f64) -> Result<f64, ArithError> {
    Ok(match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => x - y,
        BinaryOp::Mul => x * y,
        BinaryOp::TrueDiv => {
            if y == 0.0 {
                return Err(ArithError::ZeroDivision("float division by zero"));
            }
            x / y
        }
        BinaryOp::FloorDiv => {
            if y == 0.0 {
                return Err(ArithError::ZeroDivision("float floor division by zero"));
            }
            divmod(x, y).0
        }
        BinaryOp::Mod => {
            if y == 0.0 {
                return Err(ArithError::ZeroDivision("float modulo"));
            }
            divmod(x, y).1
        }
        BinaryOp::Pow => pow(x, y)?,
        BinaryOp::MatMul
        | BinaryOp::LShift
        | BinaryOp::RShift
        | BinaryOp::And
        | BinaryOp::Or
        | BinaryOp::Xor => return Err(ArithError::Unsupported),
    })
}

/// `(x // y, x % y)` for `y != 0`, step for step as CPython's `_float_div_mod`, so signed zeros
/// and infinities come out the same.
pub(super) fn divmod(vx: f64, wx: f64) -> (f64, f64) {
    let mut modulo = libm::fmod(vx, wx);
    // fmod is exact; (vx - mod) is a multiple of wx, so this division is exact up to rounding.
    let mut div = (vx - modulo) / wx;
    if modulo != 0.0 {
        if (wx < 0.0) != (modulo < 0.0) {
            modulo += wx;
            div -= 1.0;
        }
    } else {
        modulo = libm::copysign(0.0, wx);
    }
    let floordiv = if div != 0.0 {
        let f = libm::floor(div);
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        libm::copysign(0.0, vx / wx)
    };
    (floordiv, modulo)
}

/// `iv ** iw` with CPython's special cases; the general case is `pow::pow_positive`.
pub(super) fn pow(iv: f64, iw: f64) -> Result<f64, ArithError> {
    if iw == 0.0 {
        return Ok(1.0); // even 0**0 and nan**0
    }
    if iv.is_nan() {
        return Ok(iv);
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let base = libm::fabs(iv);
        return Ok(if base == 1.0 {
            1.0
        } else if (iw > 0.0) == (base > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Ok(match (iw > 0.0, odd) {
            (true, true) => iv,
            (true, false) => libm::fabs(iv),
            (false, true) => libm::copysign(0.0, iv),
            (false, false) => 0.0,
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(ArithError::ZeroDivision(
                "0.0 cannot be raised to a negative power",
            ));
        }
        return Ok(if is_odd_integer(iw) { iv } else { 0.0 });
    }
    let mut base = iv;
    let mut negate = false;
    if iv < 0.0 {
        if iw != libm::floor(iw) {
            return Err(ArithError::Complex);
        }
        base = -iv;
        negate = is_odd_integer(iw);
    }
    if base == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let result = super::pow::pow_positive(base, iw);
    // Both operands are finite here: an infinite result is C's ERANGE overflow. Underflow to 0
    // is not an error in Python.
    if result.is_infinite() {
        return Err(ArithError::Overflow(
            "(34, 'Numerical result out of range')",
        ));
    }
    Ok(if negate { -result } else { result })
}

fn is_odd_integer(x: f64) -> bool {
    libm::fmod(libm::fabs(x), 2.0) == 1.0
}
