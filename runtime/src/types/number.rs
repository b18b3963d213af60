//! Numeric semantics shared by the VM and the compiler's constant folding (DESIGN.md decision
//! 12: a folded result is exactly what the VM computes). In: ints (any size) and floats. Out:
//! the result of a Python operator, or why it raises.

use num_bigint::BigInt;

use crate::image::{BinaryOp, UnaryOp};

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
}

/// `a op b` with Python's semantics (floor division and modulo round toward negative infinity,
/// `/` always gives a float, negative powers of ints give floats, int/float mix gives float).
pub fn binary(op: BinaryOp, a: &Number, b: &Number) -> Result<Number, ArithError> {
    let _ = (op, a, b);
    Err(ArithError::Unsupported)
}

/// `op a` for `+`, `-`, `~` (`not` is not numeric and gives `Unsupported`).
pub fn unary(op: UnaryOp, a: &Number) -> Result<Number, ArithError> {
    let _ = (op, a);
    Err(ArithError::Unsupported)
}
