//! Numeric semantics shared by the VM and the compiler's constant folding (DESIGN.md decision
//! 12: a folded result is exactly what the VM computes). In: ints (any size) and floats. Out:
//! the result of a Python operator, or why it raises.
//!
//! Python 3 (CPython 3.11) semantics throughout, including its exception messages. Ints are
//! `BigInt` here; the VM keeps small ints unboxed and comes here for the general case.

mod bytes;
mod convert;
mod float;
mod hash;
mod int;
mod pow;
mod round;
mod small;

use core::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use crate::image::{BinaryOp, UnaryOp};

pub use bytes::{int_from_bytes, int_to_bytes};
pub(crate) use convert::scaled_round;
pub use convert::{float_to_int, int_to_f64};
pub use hash::{HASH_INF, HASH_MODULUS, HASH_NAN, hash_float, hash_int};
pub use round::{round_float, round_float_to_int, round_int};
pub use small::{Small, binary_f64, binary_i64, hash_i64, unary_i64};

/// The largest int result, in bits, that `**`, `<<` and `*` will build: 8 Mi bits, 1 MiB of
/// storage. That is more than any heap frost runs with (64 KiB on a device), so a larger result
/// could only end in MemoryError, and checking first keeps the compiler's folding and the host
/// VM from spending minutes and gigabytes on `10 ** 10 ** 10`.
pub const MAX_INT_BITS: u64 = 8 * 1024 * 1024;

/// An int of any size or a float.
#[derive(Clone, PartialEq, Debug)]
pub enum Number {
    Int(BigInt),
    Float(f64),
}

/// Why an operation raises. The VM turns it into the exception; folding leaves the expression.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ArithError {
    /// ZeroDivisionError with this message.
    ZeroDivision(&'static str),
    /// ValueError: negative shift count.
    NegativeShift,
    /// OverflowError with this message (e.g. an int too large to convert to float).
    Overflow(&'static str),
    /// The operator does not apply to these operands (`1.0 << 2`, `@` on numbers): TypeError.
    Unsupported,
    /// The result would be complex (`(-8) ** (1/3)`), which frost has no type for yet: ValueError.
    Complex,
    /// The result would exceed the memory a Python int may take here: MemoryError.
    TooLarge,
    /// ValueError with this message (`cannot convert float NaN to integer`).
    InvalidValue(&'static str),
}

/// `a op b` with Python's semantics (floor division and modulo round toward negative infinity,
/// `/` always gives a float, negative powers of ints give floats, int/float mix gives float).
pub fn binary(op: BinaryOp, a: &Number, b: &Number) -> Result<Number, ArithError> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => int::binary(op, x, y),
        (Number::Float(x), Number::Float(y)) => float::binary(op, *x, *y).map(Number::Float),
        // The type check comes before the conversion, as in CPython: `10**400 << 1.0` is a
        // TypeError, not an OverflowError.
        _ if !is_arithmetic(op) => Err(ArithError::Unsupported),
        (Number::Int(x), Number::Float(y)) => {
            float::binary(op, int_to_f64(x)?, *y).map(Number::Float)
        }
        (Number::Float(x), Number::Int(y)) => {
            float::binary(op, *x, int_to_f64(y)?).map(Number::Float)
        }
    }
}

/// `divmod(a, b)`: `(a // b, a % b)` computed together, with CPython's message for a float
/// zero divisor (`float divmod()`).
pub fn divmod(a: &Number, b: &Number) -> Result<(Number, Number), ArithError> {
    if let (Number::Int(x), Number::Int(y)) = (a, b) {
        if y.is_zero() {
            return Err(ArithError::ZeroDivision(
                "integer division or modulo by zero",
            ));
        }
        let (q, r) = num_integer::Integer::div_mod_floor(x, y);
        return Ok((Number::Int(q), Number::Int(r)));
    }
    let (x, y) = (to_f64(a)?, to_f64(b)?);
    if y == 0.0 {
        return Err(ArithError::ZeroDivision("float divmod()"));
    }
    let (q, r) = float::divmod(x, y);
    Ok((Number::Float(q), Number::Float(r)))
}

/// `op a` for `+`, `-`, `~` (`not` is not numeric and gives `Unsupported`).
pub fn unary(op: UnaryOp, a: &Number) -> Result<Number, ArithError> {
    match (op, a) {
        (UnaryOp::Pos, _) => Ok(a.clone()),
        (UnaryOp::Neg, Number::Int(x)) => Ok(Number::Int(-x)),
        (UnaryOp::Neg, Number::Float(x)) => Ok(Number::Float(-x)),
        (UnaryOp::Invert, Number::Int(x)) => Ok(Number::Int(!x)),
        (UnaryOp::Invert, Number::Float(_)) | (UnaryOp::Not, _) => Err(ArithError::Unsupported),
    }
}

/// Exact ordering of two numbers, as Python's `<`, `==`, `>` see them: a big int is compared
/// with a float without rounding either. `None` when a NaN is involved (every comparison false).
pub fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(y),
        (Number::Int(x), Number::Float(y)) => convert::compare_int_float(x, *y),
        (Number::Float(x), Number::Int(y)) => {
            convert::compare_int_float(y, *x).map(Ordering::reverse)
        }
    }
}

/// Python's truth value of a number: nonzero (`nan` is true, `-0.0` false).
pub fn is_true(a: &Number) -> bool {
    match a {
        Number::Int(x) => !x.is_zero(),
        Number::Float(x) => *x != 0.0,
    }
}

/// Python's `abs()` of a number.
pub fn abs(a: &Number) -> Number {
    match a {
        Number::Int(x) => Number::Int(x.abs()),
        Number::Float(x) => Number::Float(libm::fabs(*x)),
    }
}

fn to_f64(a: &Number) -> Result<f64, ArithError> {
    match a {
        Number::Int(x) => int_to_f64(x),
        Number::Float(x) => Ok(*x),
    }
}

/// True for the operators that accept floats: `+ - * / // % **`.
fn is_arithmetic(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Add
            | BinaryOp::Sub
            | BinaryOp::Mul
            | BinaryOp::TrueDiv
            | BinaryOp::FloorDiv
            | BinaryOp::Mod
            | BinaryOp::Pow
    )
}
