//! Calling built-in types: `int`, `float`, `str`, `bool`, `list`, `tuple`, `dict`, `range`,
//! `type` and the exception classes (`bytes`, `bytearray` and `memoryview` are built by
//! `types::buffer`, `types::bytearray` and `types::memoryview`). In: the type and the call's arguments. Out: the new
//! value (or, for `type(x)`, x's type), with CPython's errors for bad arguments.

use crate::modules::Kw;
use alloc::format;
use alloc::string::String;

use crate::types::dict::Dict;
use crate::types::number::{self, ArithError};
use crate::types::obj::{Ctx, new_list, new_str, new_tuple};
use crate::types::range::Range;
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods, int, object, text};
use crate::value::{Kind, Value};
use crate::vm::Machine;

use super::super::no_kw;

/// Calls built-in type `ty`: a constructor, or `type(x)`.
pub fn construct(m: &mut Machine, ty: TypeId, args: &[Value], kw: Kw) -> PyResult<Value> {
    if ty == TypeId::RingIO {
        return crate::types::ringio::construct(m, args, kw);
    }
    if ty.is_exception() {
        no_kw(kw)?;
        let built = crate::types::obj::vec_with(args.len()).and_then(|mut items| {
            items.extend_from_slice(args);
            let t = new_tuple(m, items)?;
            m.new_exception(ty, t)
        });
        return Ok(built.unwrap_or_else(|_| m.emergency_exception(ty, args)));
    }
    if ty == TypeId::Int && (args.len() == 2 || !kw.is_empty()) {
        let base = match (args, kw) {
            ([_, b], []) => *b,
            ([_], [(k, b)]) if m.store.str_of(*k) == Some("base") => *b,
            _ => {
                return Err(PyErr::new(
                    TypeId::TypeError,
                    "int() takes a value and an optional base",
                ));
            }
        };
        return int_from_str(m, args[0], base);
    }
    if ty == TypeId::Dict {
        return dict_new(m, args, kw);
    }
    if ty == TypeId::Complex {
        no_kw(kw)?;
        return crate::types::complex::construct(m, args);
    }
    if ty == TypeId::Set {
        return super::objects::set_new(m, args, kw);
    }
    if ty == TypeId::Slice {
        return super::objects::slice_new(m, args, kw);
    }
    if matches!(ty, TypeId::StaticMethod | TypeId::ClassMethod) {
        return super::objects::method_wrapper(m, ty, args, kw);
    }
    if ty == TypeId::Bytes && !args.is_empty() {
        no_kw(kw)?;
        let data = crate::types::buffer::source(m, TypeId::Bytes, args)?;
        return m.alloc(Obj::Bytes(data.into()));
    }
    if ty == TypeId::ByteArray {
        no_kw(kw)?;
        return crate::types::bytearray::new(m, args);
    }
    if ty == TypeId::MemoryView {
        no_kw(kw)?;
        return crate::types::memoryview::new(m, args);
    }
    if ty == TypeId::Str && (2..=3).contains(&args.len()) {
        no_kw(kw)?;
        return crate::types::bytes::str_from(m, args);
    }
    if ty == TypeId::Range {
        no_kw(kw)?;
        return range_new(m, args);
    }
    no_kw(kw)?;
    let Some(&x) = args.first() else {
        return Ok(match ty {
            TypeId::Int => Value::int(0).unwrap_or(Value::NONE),
            TypeId::Float => Value::float(0.0),
            TypeId::Str => Value::str(m.store.strs.intern("")),
            TypeId::Bool => Value::FALSE,
            TypeId::Tuple => m.store.empty_tuple,
            TypeId::List => new_list(m, alloc::vec::Vec::new())?,
            TypeId::Bytes => m.alloc(Obj::Bytes(alloc::vec::Vec::new().into()))?,
            _ => {
                return Err(PyErr::type_error(format!(
                    "cannot create '{}' instances",
                    ty.name()
                )));
            }
        });
    };
    if args.len() > 1 {
        return Err(PyErr::type_error(format!(
            "{}() takes at most 1 argument ({} given)",
            ty.name(),
            args.len()
        )));
    }
    match ty {
        TypeId::Type => Ok(super::objects::type_of(m, x)),
        TypeId::Bool => Ok(Value::bool(object::truthy(&m.store, x))),
        TypeId::Str if m.store.str_of(x).is_some() => Ok(x),
        TypeId::Str => {
            let mut s = String::new();
            object::str_into(&m.store, x, &mut s);
            new_str(m, s)
        }
        TypeId::Int => int_from(m, x),
        TypeId::Float => float_from(m, x),
        TypeId::List => {
            let items = object::collect(m, x)?;
            new_list(m, items)
        }
        TypeId::Tuple => {
            if m.store.type_of(x) == TypeId::Tuple {
                return Ok(x);
            }
            let items = object::collect(m, x)?;
            new_tuple(m, items)
        }
        _ => Err(PyErr::type_error(format!(
            "cannot create '{}' instances",
            ty.name()
        ))),
    }
}

fn int_from(m: &mut Machine, x: Value) -> PyResult<Value> {
    match x.kind() {
        Kind::Int(_) => Ok(x),
        Kind::Bool(b) => Ok(Value::int(i64::from(b)).unwrap_or(Value::NONE)),
        Kind::Float(f) => match number::float_to_int(f) {
            Ok(b) => int::from_big(m, b),
            Err(ArithError::InvalidValue(msg)) => Err(PyErr::new(TypeId::ValueError, msg)),
            Err(ArithError::Overflow(msg)) => Err(PyErr::new(TypeId::OverflowError, msg)),
            Err(_) => Err(PyErr::new(
                TypeId::ValueError,
                "cannot convert float to integer",
            )),
        },
        _ => {
            if m.store.str_of(x).is_some() {
                return int_from_str(m, x, Value::int(10).unwrap_or(Value::NONE));
            }
            if let Some(Obj::BigInt(_)) = m.store.obj(x) {
                return Ok(x);
            }
            Err(PyErr::type_error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                m.store.type_name(x)
            )))
        }
    }
}

fn int_from_str(m: &mut Machine, x: Value, base: Value) -> PyResult<Value> {
    let Some(literal) = m.store.str_of(x) else {
        return Err(PyErr::new(
            TypeId::TypeError,
            "int() can't convert non-string with explicit base",
        ));
    };
    let base = match base.as_int() {
        Some(b) if b == 0 || (2..=36).contains(&b) => b as u32,
        _ => {
            return Err(PyErr::new(
                TypeId::ValueError,
                "int() arg 2 must be >= 2 and <= 36",
            ));
        }
    };
    let bad = |m: &Machine| {
        let mut r = String::new();
        object::repr_into(&m.store, x, &mut r);
        PyErr::fmt(
            TypeId::ValueError,
            format!("invalid literal for int() with base {base}: {r}"),
        )
    };
    match text::parse_int(literal, base) {
        Ok(b) => int::from_big(m, b),
        Err(()) => Err(bad(m)),
    }
}

fn float_from(m: &mut Machine, x: Value) -> PyResult<Value> {
    match x.kind() {
        Kind::Float(_) => Ok(x),
        Kind::Int(i) => Ok(Value::float(i as f64)),
        Kind::Bool(b) => Ok(Value::float(if b { 1.0 } else { 0.0 })),
        _ => {
            if let Some(s) = m.store.str_of(x) {
                if let Some(f) = text::parse_float(s) {
                    return Ok(Value::float(f));
                }
                let mut r = String::new();
                object::repr_into(&m.store, x, &mut r);
                return Err(PyErr::fmt(
                    TypeId::ValueError,
                    format!("could not convert string to float: {r}"),
                ));
            }
            if let Some(Obj::BigInt(b)) = m.store.obj(x) {
                return match num_traits::ToPrimitive::to_f64(b) {
                    Some(f) if f.is_finite() => Ok(Value::float(f)),
                    _ => Err(PyErr::new(
                        TypeId::OverflowError,
                        "int too large to convert to float",
                    )),
                };
            }
            Err(PyErr::type_error(format!(
                "float() argument must be a string or a real number, not '{}'",
                m.store.type_name(x)
            )))
        }
    }
}

fn dict_new(m: &mut Machine, args: &[Value], kw: Kw) -> PyResult<Value> {
    if args.len() > 1 {
        return Err(PyErr::type_error(format!(
            "dict expected at most 1 argument, got {}",
            args.len()
        )));
    }
    let d = m.alloc(Obj::Dict(Dict::new()))?;
    if let Some(src) = args.first() {
        let pairs = match m.store.obj(*src) {
            Some(Obj::Dict(_)) => dict_methods::pairs(&m.store, *src)?,
            _ => dict_methods::pairs_of_iterable(m, *src)?,
        };
        for (k, v) in pairs {
            dict_methods::setitem(m, d, k, v)?;
        }
    }
    for (k, v) in kw {
        dict_methods::setitem(m, d, *k, *v)?;
    }
    Ok(d)
}

fn range_new(m: &mut Machine, args: &[Value]) -> PyResult<Value> {
    let mut vals = [0i64; 3];
    if args.is_empty() || args.len() > 3 {
        return Err(PyErr::type_error(format!(
            "range expected at most 3 arguments, got {}",
            args.len()
        )));
    }
    for (slot, v) in vals.iter_mut().zip(args) {
        *slot = match v.kind() {
            Kind::Int(i) => i,
            Kind::Bool(b) => i64::from(b),
            _ => {
                return Err(PyErr::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    m.store.type_name(*v)
                )));
            }
        };
    }
    let r = match args.len() {
        1 => Range {
            start: 0,
            stop: vals[0],
            step: 1,
        },
        2 => Range {
            start: vals[0],
            stop: vals[1],
            step: 1,
        },
        _ => Range {
            start: vals[0],
            stop: vals[1],
            step: vals[2],
        },
    };
    if r.step == 0 {
        return Err(PyErr::new(
            TypeId::ValueError,
            "range() arg 3 must not be zero",
        ));
    }
    m.alloc(Obj::Range(r))
}
