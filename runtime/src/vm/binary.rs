//! Binary and unary operators. In: two operands (or one) and the operator. Out: the result.
//! Small ints and floats take allocation-free fast paths; wider ints and mixed cases go
//! through `types::number` (the same code the compiler folds with); strs, bytes-likes
//! (`types::buffer`), lists and tuples concatenate and repeat; `+=` on a list or bytearray
//! extends it in place.

use alloc::format;
use alloc::string::String;

use super::Machine;
use crate::image::{BinaryOp, UnaryOp};
use crate::types::number::{self, ArithError, Small};
use crate::types::obj::{Ctx, new_list, new_str, new_tuple, string_with, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, int, list, object};
use crate::value::{Kind, Value};

/// Ints up to 2^53 convert to f64 exactly, so mixed arithmetic may take the float path.
const EXACT_F64: u64 = 1 << 53;

impl Machine {
    /// `a op b` (`a op= b` when `inplace`).
    pub(crate) fn binary(
        &mut self,
        op: BinaryOp,
        a: Value,
        b: Value,
        inplace: bool,
    ) -> PyResult<Value> {
        let names = |m: &Machine| (m.store.type_name(a), m.store.type_name(b));
        if let (Some(x), Some(y)) = (a.as_int(), b.as_int())
            && let Some(r) = number::binary_i64(op, x, y)
        {
            return match r {
                Ok(Small::Int(i)) => int::from_i64(self, i),
                Ok(Small::Float(f)) => Ok(Value::float(f)),
                Err(e) => Err(arith_error(e, op, names(self))),
            };
        }
        let fast_float = match (a.kind(), b.kind()) {
            (Kind::Float(x), Kind::Float(y)) => Some((x, y)),
            (Kind::Float(x), Kind::Int(y)) if y.unsigned_abs() <= EXACT_F64 => Some((x, y as f64)),
            (Kind::Int(x), Kind::Float(y)) if x.unsigned_abs() <= EXACT_F64 => Some((x as f64, y)),
            _ => None,
        };
        if let Some((x, y)) = fast_float
            && !matches!(
                op,
                BinaryOp::LShift
                    | BinaryOp::RShift
                    | BinaryOp::And
                    | BinaryOp::Or
                    | BinaryOp::Xor
                    | BinaryOp::MatMul
            )
        {
            return match number::binary_f64(op, x, y) {
                Ok(f) => Ok(Value::float(f)),
                Err(ArithError::Complex) => crate::types::complex::real_pow(self, x, y),
                Err(e) => Err(arith_error(e, op, names(self))),
            };
        }
        if let (Some(x), Some(y)) = (
            object::numeric(&self.store, a),
            object::numeric(&self.store, b),
        ) {
            return match number::binary(op, &x, &y) {
                Ok(n) => int::from_number(self, n),
                Err(e) => Err(arith_error(e, op, names(self))),
            };
        }
        if let Some(r) = crate::types::complex::binary(self, op, a, b) {
            return r;
        }
        if let Some(v) = crate::types::set::binary(self, op.symbol(), a, b)? {
            return Ok(v);
        }
        self.sequence_op(op, a, b, inplace)
    }

    fn sequence_op(&mut self, op: BinaryOp, a: Value, b: Value, inplace: bool) -> PyResult<Value> {
        let (ta, tb) = (self.store.type_of(a), self.store.type_of(b));
        if op == BinaryOp::Add
            && let Some(v) = crate::types::buffer::concat(self, a, b, inplace)?
        {
            return Ok(v);
        }
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
            (BinaryOp::Mul, TypeId::ByteArray, _) => {
                crate::types::bytearray::repeat(self, a, b, inplace)
            }
            (BinaryOp::Mul, TypeId::Int | TypeId::Bool, TypeId::ByteArray) => {
                crate::types::bytearray::repeat(self, b, a, false)
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
        let unit = match self.store.obj(seq) {
            Some(Obj::Bytes(b)) => b.len(),
            _ => self.store.seq_of(seq).map_or(0, |items| items.len() * 8),
        };
        self.room(unit.saturating_mul(n))?;
        if let Some(Obj::Bytes(b)) = self.store.obj(seq) {
            let total = b
                .len()
                .checked_mul(n)
                .ok_or(PyErr::Memory(crate::heap::HeapError::Exhausted(usize::MAX)))?;
            let mut out = vec_with(total)?;
            (0..n).for_each(|_| out.extend_from_slice(b));
            return self.alloc(Obj::Bytes(out.into()));
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
        if let Some(i) = v.as_int()
            && let Some(Ok(r)) = number::unary_i64(op, i)
        {
            return int::from_i64(self, r);
        }
        if let (Some(f), UnaryOp::Neg | UnaryOp::Pos) = (v.as_float(), op) {
            return Ok(Value::float(if op == UnaryOp::Neg { -f } else { f }));
        }
        if let Some(r) = crate::types::complex::unary(self, op, v) {
            return r;
        }
        let Some(n) = object::numeric(&self.store, v) else {
            return Err(PyErr::type_error(format!(
                "bad operand type for unary {}: '{}'",
                op.symbol(),
                self.store.type_name(v)
            )));
        };
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

/// TypeError: `unsupported operand type(s) for +: 'int' and 'str'`.
pub(super) fn unsupported(op: BinaryOp, a: &str, b: &str) -> PyErr {
    PyErr::type_error(format!(
        "unsupported operand type(s) for {}: '{a}' and '{b}'",
        op.symbol()
    ))
}

fn arith_error(e: ArithError, op: BinaryOp, (a, b): (&str, &str)) -> PyErr {
    match e {
        ArithError::ZeroDivision(m) => PyErr::new(TypeId::ZeroDivisionError, m),
        ArithError::NegativeShift => PyErr::new(TypeId::ValueError, "negative shift count"),
        ArithError::Overflow(m) => PyErr::new(TypeId::OverflowError, m),
        ArithError::Unsupported => unsupported(op, a, b),
        ArithError::Complex => PyErr::new(TypeId::ValueError, "math domain error"),
        ArithError::TooLarge => PyErr::Memory(crate::heap::HeapError::Exhausted(usize::MAX)),
        ArithError::InvalidValue(m) => PyErr::new(TypeId::ValueError, m),
    }
}
