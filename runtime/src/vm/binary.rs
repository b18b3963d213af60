//! Binary and unary operators. In: two operands (or one) and the operator. Out: the result.
//! Small ints and floats take allocation-free fast paths; wider ints and mixed cases go
//! through `types::number` (the same code the compiler folds with); strs, bytes, lists and
//! tuples concatenate and repeat; `+=` on a list extends it in place.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Machine;
use crate::image::{BinaryOp, UnaryOp};
use crate::types::number::{self, ArithError, Number};
use crate::types::obj::{Ctx, new_list, new_str, new_tuple, string_with, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, int, list, object};
use crate::value::{Kind, Value};

impl Machine {
    /// `a op b` (`a op= b` when `inplace`).
    pub(super) fn binary(
        &mut self,
        op: BinaryOp,
        a: Value,
        b: Value,
        inplace: bool,
    ) -> PyResult<Value> {
        if let (Some(x), Some(y)) = (a.as_int(), b.as_int())
            && let Some(v) = small_int_op(op, x, y)?
        {
            return Ok(v);
        }
        if let (Some(x), Some(y)) = (a.as_float(), b.as_float()) {
            return float_op(op, x, y).map(Value::float);
        }
        if let (Some(x), Some(y)) = (
            object::numeric(&self.store, a),
            object::numeric(&self.store, b),
        ) {
            if let (Number::Float(f), Number::Int(i)) | (Number::Int(i), Number::Float(f)) =
                (&x, &y)
                && let Some(i) = num_traits::ToPrimitive::to_f64(i)
                && matches!(
                    op,
                    BinaryOp::Add
                        | BinaryOp::Sub
                        | BinaryOp::Mul
                        | BinaryOp::TrueDiv
                        | BinaryOp::FloorDiv
                        | BinaryOp::Mod
                        | BinaryOp::Pow
                )
            {
                let (p, q) = if matches!(x, Number::Float(_)) {
                    (*f, i)
                } else {
                    (i, *f)
                };
                return float_op(op, p, q).map(Value::float);
            }
            return match number::binary(op, &x, &y) {
                Ok(n) => int::from_number(self, n),
                Err(e) => Err(arith_error(
                    e,
                    op,
                    self.store.type_name(a),
                    self.store.type_name(b),
                )),
            };
        }
        self.sequence_op(op, a, b, inplace)
    }

    fn sequence_op(&mut self, op: BinaryOp, a: Value, b: Value, inplace: bool) -> PyResult<Value> {
        let (ta, tb) = (self.store.type_of(a), self.store.type_of(b));
        match (op, ta, tb) {
            (BinaryOp::Add, TypeId::Str, TypeId::Str) => {
                let (x, y) = (
                    self.store.str_of(a).unwrap_or(""),
                    self.store.str_of(b).unwrap_or(""),
                );
                let mut s = string_with(x.len() + y.len())?;
                s.push_str(x);
                s.push_str(y);
                new_str(self, s)
            }
            (BinaryOp::Add, TypeId::Bytes, TypeId::Bytes) => {
                let mut out = Vec::new();
                if let (Some(Obj::Bytes(x)), Some(Obj::Bytes(y))) =
                    (self.store.obj(a), self.store.obj(b))
                {
                    out = vec_with(x.len() + y.len())?;
                    out.extend_from_slice(x);
                    out.extend_from_slice(y);
                }
                self.alloc(Obj::Bytes(out))
            }
            (BinaryOp::Add, TypeId::List, TypeId::List) if inplace => {
                let more = self.store.seq_of(b).unwrap_or(&[]).to_vec();
                list::reserve(self, a, more.len())?;
                list::items_mut(self, a)?.extend_from_slice(&more);
                Ok(a)
            }
            (BinaryOp::Add, TypeId::List, TypeId::List)
            | (BinaryOp::Add, TypeId::Tuple, TypeId::Tuple) => {
                let (x, y) = (
                    self.store.seq_of(a).unwrap_or(&[]),
                    self.store.seq_of(b).unwrap_or(&[]),
                );
                let mut out = vec_with(x.len() + y.len())?;
                out.extend_from_slice(x);
                out.extend_from_slice(y);
                if ta == TypeId::List {
                    new_list(self, out)
                } else {
                    new_tuple(self, out)
                }
            }
            (
                BinaryOp::Mul,
                TypeId::Str | TypeId::List | TypeId::Tuple | TypeId::Bytes,
                TypeId::Int | TypeId::Bool,
            ) => self.repeat(a, b),
            (
                BinaryOp::Mul,
                TypeId::Int | TypeId::Bool,
                TypeId::Str | TypeId::List | TypeId::Tuple | TypeId::Bytes,
            ) => self.repeat(b, a),
            _ => Err(unsupported(op, ta.name(), tb.name())),
        }
    }

    fn repeat(&mut self, seq: Value, count: Value) -> PyResult<Value> {
        let n = match count.kind() {
            Kind::Int(i) => i.max(0) as usize,
            Kind::Bool(b) => usize::from(b),
            _ => {
                return Err(PyErr::new(
                    TypeId::OverflowError,
                    "cannot fit 'int' into an index-sized integer",
                ));
            }
        };
        if let Some(s) = self.store.str_of(seq) {
            let total = s
                .len()
                .checked_mul(n)
                .ok_or(PyErr::Memory(crate::heap::HeapError::Exhausted(usize::MAX)))?;
            let mut out: String = string_with(total)?;
            (0..n).for_each(|_| out.push_str(s));
            return new_str(self, out);
        }
        let ty = self.store.type_of(seq);
        if let Some(Obj::Bytes(b)) = self.store.obj(seq) {
            let total = b
                .len()
                .checked_mul(n)
                .ok_or(PyErr::Memory(crate::heap::HeapError::Exhausted(usize::MAX)))?;
            let mut out = vec_with(total)?;
            (0..n).for_each(|_| out.extend_from_slice(b));
            return self.alloc(Obj::Bytes(out));
        }
        let items = self.store.seq_of(seq).unwrap_or(&[]);
        let total = items
            .len()
            .checked_mul(n)
            .ok_or(PyErr::Memory(crate::heap::HeapError::Exhausted(usize::MAX)))?;
        let mut out = vec_with(total)?;
        (0..n).for_each(|_| out.extend_from_slice(items));
        if ty == TypeId::List {
            new_list(self, out)
        } else {
            new_tuple(self, out)
        }
    }

    /// `op v`.
    pub(super) fn unary(&mut self, op: UnaryOp, v: Value) -> PyResult<Value> {
        if op == UnaryOp::Not {
            return Ok(Value::bool(!object::truthy(&self.store, v)));
        }
        match (op, v.kind()) {
            (UnaryOp::Pos, Kind::Int(_)) | (UnaryOp::Pos, Kind::Float(_)) => return Ok(v),
            (UnaryOp::Neg, Kind::Int(i)) => {
                if let Some(r) = Value::int(-i) {
                    return Ok(r);
                }
            }
            (UnaryOp::Invert, Kind::Int(i)) => {
                if let Some(r) = Value::int(!i) {
                    return Ok(r);
                }
            }
            (UnaryOp::Neg, Kind::Float(f)) => return Ok(Value::float(-f)),
            _ => {}
        }
        let Some(n) = object::numeric(&self.store, v) else {
            return Err(PyErr::type_error(format!(
                "bad operand type for unary {}: '{}'",
                op.symbol(),
                self.store.type_name(v)
            )));
        };
        if let Number::Int(i) = &n {
            let r = match op {
                UnaryOp::Neg => -i.clone(),
                UnaryOp::Invert => -i.clone() - 1,
                _ => i.clone(),
            };
            return int::from_big(self, r);
        }
        match number::unary(op, &n) {
            Ok(r) => int::from_number(self, r),
            Err(_) => Err(PyErr::type_error(format!(
                "bad operand type for unary {}: '{}'",
                op.symbol(),
                self.store.type_name(v)
            ))),
        }
    }
}

/// Small-int arithmetic without allocating; None when the result needs a big int (or a float).
fn small_int_op(op: BinaryOp, x: i64, y: i64) -> PyResult<Option<Value>> {
    use BinaryOp::*;
    let r = match op {
        Add => x.checked_add(y),
        Sub => x.checked_sub(y),
        Mul => x.checked_mul(y),
        FloorDiv | Mod => {
            if y == 0 {
                return Err(PyErr::new(
                    TypeId::ZeroDivisionError,
                    if op == Mod {
                        "integer modulo by zero"
                    } else {
                        "integer division or modulo by zero"
                    },
                ));
            }
            let (q, r) = (x.div_euclid(y), x.rem_euclid(y));
            // Python rounds toward negative infinity; Euclid differs for negative divisors.
            let (q, r) = if y < 0 && r != 0 {
                (q + 1, r + y)
            } else {
                (q, r)
            };
            Some(if op == Mod { r } else { q })
        }
        TrueDiv => {
            if y == 0 {
                return Err(PyErr::new(TypeId::ZeroDivisionError, "division by zero"));
            }
            return Ok(Some(Value::float(x as f64 / y as f64)));
        }
        And => Some(x & y),
        Or => Some(x | y),
        Xor => Some(x ^ y),
        LShift => {
            if y < 0 {
                return Err(PyErr::new(TypeId::ValueError, "negative shift count"));
            }
            if y < 63 && (x.abs() >> (62 - y)) == 0 {
                Some(x << y)
            } else {
                None
            }
        }
        RShift => {
            if y < 0 {
                return Err(PyErr::new(TypeId::ValueError, "negative shift count"));
            }
            Some(x >> y.min(63))
        }
        Pow => {
            if y < 0 {
                if x == 0 {
                    return Err(PyErr::new(
                        TypeId::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power",
                    ));
                }
                return Ok(Some(Value::float(libm::pow(x as f64, y as f64))));
            }
            u32::try_from(y).ok().and_then(|e| x.checked_pow(e))
        }
        MatMul => return Err(unsupported(op, "int", "int")),
    };
    Ok(r.and_then(Value::int))
}

fn float_op(op: BinaryOp, x: f64, y: f64) -> PyResult<f64> {
    use BinaryOp::*;
    Ok(match op {
        Add => x + y,
        Sub => x - y,
        Mul => x * y,
        TrueDiv => {
            if y == 0.0 {
                return Err(PyErr::new(
                    TypeId::ZeroDivisionError,
                    "float division by zero",
                ));
            }
            x / y
        }
        FloorDiv => {
            if y == 0.0 {
                return Err(PyErr::new(
                    TypeId::ZeroDivisionError,
                    "float floor division by zero",
                ));
            }
            libm::floor(x / y)
        }
        Mod => {
            if y == 0.0 {
                return Err(PyErr::new(TypeId::ZeroDivisionError, "float modulo"));
            }
            let r = libm::fmod(x, y);
            if r != 0.0 && ((r < 0.0) != (y < 0.0)) {
                r + y
            } else if r == 0.0 {
                libm::copysign(0.0, y)
            } else {
                r
            }
        }
        Pow => {
            if x == 0.0 && y < 0.0 {
                return Err(PyErr::new(
                    TypeId::ZeroDivisionError,
                    "0.0 cannot be raised to a negative power",
                ));
            }
            if x < 0.0 && libm::trunc(y) != y {
                return Err(PyErr::new(TypeId::ValueError, "math domain error"));
            }
            libm::pow(x, y)
        }
        _ => return Err(unsupported(op, "float", "float")),
    })
}

/// TypeError: `unsupported operand type(s) for +: 'int' and 'str'`.
pub(super) fn unsupported(op: BinaryOp, a: &str, b: &str) -> PyErr {
    PyErr::type_error(format!(
        "unsupported operand type(s) for {}: '{a}' and '{b}'",
        op.symbol()
    ))
}

fn arith_error(e: ArithError, op: BinaryOp, a: &str, b: &str) -> PyErr {
    match e {
        ArithError::ZeroDivision(m) => PyErr::new(TypeId::ZeroDivisionError, m),
        ArithError::NegativeShift => PyErr::new(TypeId::ValueError, "negative shift count"),
        ArithError::Overflow(m) => PyErr::new(TypeId::OverflowError, m),
        ArithError::Unsupported => unsupported(op, a, b),
        ArithError::Complex => PyErr::new(TypeId::ValueError, "math domain error"),
        ArithError::TooLarge => PyErr::Memory(crate::heap::HeapError::Exhausted(usize::MAX)),
    }
}
