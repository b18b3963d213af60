//! Allocation-free fast paths for machine-sized ints and floats (DESIGN.md decision 9: small-int
//! and float arithmetic must not allocate). In: `i64`s or `f64`s. Out: the same result
//! `binary`/`unary` give, or `None` when an int result leaves `i64` and only the `BigInt` path
//! can produce it.

use super::{ArithError, HASH_MODULUS, float};
use crate::image::{BinaryOp, UnaryOp};

/// A number result that needs no allocation.
#[derive(Copy, Clone, PartialEq, Debug)]
pub enum Small {
    Int(i64),
    Float(f64),
}

/// `a op b` for two ints that fit `i64`. `None`: the exact result needs a `BigInt`; call
/// `binary` with the same operands (it gives the result or `TooLarge`).
pub fn binary_i64(op: BinaryOp, a: i64, b: i64) -> Option<Result<Small, ArithError>> {
    let int = |r: Option<i64>| r.map(|v| Ok(Small::Int(v)));
    match op {
        BinaryOp::Add => int(a.checked_add(b)),
        BinaryOp::Sub => int(a.checked_sub(b)),
        BinaryOp::Mul => int(a.checked_mul(b)),
        BinaryOp::TrueDiv => {
            if b == 0 {
                return Some(Err(ArithError::ZeroDivision("division by zero")));
            }
            // Both exact as floats: one IEEE division rounds correctly.
            (is_exact_f64(a) && is_exact_f64(b)).then(|| Ok(Small::Float(a as f64 / b as f64)))
        }
        BinaryOp::FloorDiv => {
            if b == 0 {
                let message = "integer division or modulo by zero";
                return Some(Err(ArithError::ZeroDivision(message)));
            }
            let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
            int(Some(if r != 0 && (r < 0) != (b < 0) {
                q - 1
            } else {
                q
            }))
        }
        BinaryOp::Mod => {
            if b == 0 {
                return Some(Err(ArithError::ZeroDivision("integer modulo by zero")));
            }
            let r = a.checked_rem(b)?;
            int(Some(if r != 0 && (r < 0) != (b < 0) {
                r + b
            } else {
                r
            }))
        }
        BinaryOp::Pow => {
            if b < 0 {
                if !(is_exact_f64(a) && is_exact_f64(b)) {
                    return None;
                }
                return Some(float::pow(a as f64, b as f64).map(Small::Float));
            }
            int(u32::try_from(b).ok().and_then(|e| a.checked_pow(e)))
        }
        BinaryOp::LShift => {
            if b < 0 {
                return Some(Err(ArithError::NegativeShift));
            }
            if a == 0 {
                return int(Some(0));
            }
            let shifted = u32::try_from(b).ok().and_then(|n| a.checked_shl(n))?;
            int(Some(shifted).filter(|&s| s >> b == a))
        }
        BinaryOp::RShift => {
            if b < 0 {
                return Some(Err(ArithError::NegativeShift));
            }
            // `>>` on i64 is arithmetic: it rounds toward negative infinity, as Python does.
            int(Some(a >> b.min(63)))
        }
        BinaryOp::And => int(Some(a & b)),
        BinaryOp::Or => int(Some(a | b)),
        BinaryOp::Xor => int(Some(a ^ b)),
        BinaryOp::MatMul => Some(Err(ArithError::Unsupported)),
    }
}

/// `x op y` for two floats; an int operand of at most 53 bits converts exactly with `as f64`
/// (larger ones need `int_to_f64`, which may raise).
pub fn binary_f64(op: BinaryOp, x: f64, y: f64) -> Result<f64, ArithError> {
    float::binary(op, x, y)
}

/// `op a` for an int that fits `i64`; `None` for `-i64::MIN`, which needs a `BigInt`.
pub fn unary_i64(op: UnaryOp, a: i64) -> Option<Result<i64, ArithError>> {
    match op {
        UnaryOp::Pos => Some(Ok(a)),
        UnaryOp::Neg => a.checked_neg().map(Ok),
        UnaryOp::Invert => Some(Ok(!a)),
        UnaryOp::Not => Some(Err(ArithError::Unsupported)),
    }
}

/// `hash(a)` for an int that fits `i64`, equal to `hash_int` of the same value.
pub fn hash_i64(a: i64) -> i64 {
    let reduced = (a.unsigned_abs() % HASH_MODULUS) as i64;
    let h = if a < 0 { -reduced } else { reduced };
    if h == -1 { -2 } else { h }
}

/// True when `a` converts to f64 exactly (|a| <= 2^53).
fn is_exact_f64(a: i64) -> bool {
    a.unsigned_abs() <= 1 << 53
}
