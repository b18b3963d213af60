//! Numeric builtins: `divmod`, `pow`, `round`, `bin`, `oct`, `hex`. In: numbers. Out:
//! results through the same arithmetic as the operators (`Machine::binary`, `types::number`).

use crate::modules::Kw;
use alloc::format;
use alloc::string::String;
use num_traits::{Signed, Zero};

use super::super::{exact_args, no_kw};
use crate::image::BinaryOp;
use crate::port::Port;
use crate::types::number::{self, ArithError};
use crate::types::obj::{new_str, new_tuple};
use crate::types::text::{self, Radix};
use crate::types::{PyErr, PyResult, TypeId, int};
use crate::value::{Kind, Value};
use crate::vm::Machine;

pub(super) fn divmod(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    let q = m.binary(BinaryOp::FloorDiv, args[0], args[1], false)?;
    m.keep(q);
    let r = m.binary(BinaryOp::Mod, args[0], args[1], false)?;
    m.keep(r);
    new_tuple(m, alloc::vec![q, r])
}

pub(super) fn pow(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    match args {
        [a, b] => m.binary(BinaryOp::Pow, *a, *b, false),
        [a, b, c] => {
            let ints = (
                int::big_of(&m.store, *a),
                int::big_of(&m.store, *b),
                int::big_of(&m.store, *c),
            );
            let (Some(base), Some(exp), Some(modulus)) = ints else {
                return Err(PyErr::new(
                    TypeId::TypeError,
                    "pow() 3rd argument not allowed unless all arguments are integers",
                ));
            };
            if modulus.is_zero() {
                return Err(PyErr::new(
                    TypeId::ValueError,
                    "pow() 3rd argument cannot be 0",
                ));
            }
            if exp.is_negative() {
                return Err(PyErr::new(
                    TypeId::ValueError,
                    "pow() negative exponent with a modulus is not supported",
                ));
            }
            let mut r = base.modpow(&exp, &modulus);
            // Python's result takes the modulus's sign.
            if !r.is_zero() && r.is_negative() != modulus.is_negative() {
                r += &modulus;
            }
            int::from_big(m, r)
        }
        _ => Err(PyErr::type_error(format!(
            "pow expected 2 or 3 arguments, got {}",
            args.len()
        ))),
    }
}

pub(super) fn round(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    let (x, digits) = match args {
        [x] => (*x, None),
        [x, n] if n.is_none() => (*x, None),
        [x, n] => (
            *x,
            Some(n.as_int().ok_or(PyErr::new(
                TypeId::TypeError,
                "'float' object cannot be interpreted as an integer",
            ))?),
        ),
        _ => {
            return Err(PyErr::type_error(format!(
                "round() takes at most 2 arguments ({} given)",
                args.len()
            )));
        }
    };
    let arith = |e: ArithError| match e {
        ArithError::InvalidValue(msg) => PyErr::new(TypeId::ValueError, msg),
        ArithError::Overflow(msg) => PyErr::new(TypeId::OverflowError, msg),
        _ => PyErr::new(TypeId::ValueError, "cannot round"),
    };
    match x.kind() {
        Kind::Float(f) => match digits {
            None => {
                let i = number::round_float_to_int(f).map_err(arith)?;
                int::from_big(m, i)
            }
            Some(n) => number::round_float(f, n).map(Value::float).map_err(arith),
        },
        _ => match int::big_of(&m.store, x) {
            Some(i) => {
                let r = number::round_int(&i, digits.unwrap_or(0));
                int::from_big(m, r)
            }
            None => Err(PyErr::type_error(format!(
                "type {} doesn't define __round__ method",
                m.store.type_name(x)
            ))),
        },
    }
}

fn radix(m: &mut Machine, args: &[Value], kw: Kw, r: Radix) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let Some(i) = int::big_of(&m.store, args[0]) else {
        return Err(PyErr::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            m.store.type_name(args[0])
        )));
    };
    let s: String = text::int_literal(&i, r);
    new_str(m, s)
}

pub(super) fn bin(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    radix(m, args, kw, Radix::Bin)
}

pub(super) fn oct(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    radix(m, args, kw, Radix::Oct)
}

pub(super) fn hex(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    radix(m, args, kw, Radix::Hex)
}
