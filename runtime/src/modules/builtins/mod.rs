//! The builtins module. In: calls of built-in functions and types. Out: `print`, `len`,
//! `repr`, `abs`, `isinstance`, `hasattr`, `globals`, `chr`, `ord`, `hash`, `callable`;
//! the iteration functions are in `iter`, the constructors of built-in types in `construct`.

mod construct;
mod iter;
mod numeric;
mod objects;

pub use construct::construct;
pub use objects::{BASE_INIT, BUILD_CLASS};

use crate::modules::Kw;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use super::{NativeFn, exact_args};
use crate::port::Port;
use crate::types::obj::new_str;
use crate::types::str::Interner;
use crate::types::{Obj, PyErr, PyResult, TypeId, int, object, typeid};
use crate::value::{Kind, Value};
use crate::vm::Machine;

/// The builtin functions; id = index.
pub const NATIVES: &[(&str, NativeFn)] = &[
    ("print", print),
    ("len", len),
    ("repr", repr),
    ("abs", abs),
    ("isinstance", isinstance),
    ("hasattr", hasattr),
    ("globals", globals),
    ("chr", chr),
    ("ord", ord),
    ("hash", hash),
    ("callable", callable),
    ("divmod", numeric::divmod),
    ("pow", numeric::pow),
    ("round", numeric::round),
    ("bin", numeric::bin),
    ("oct", numeric::oct),
    ("hex", numeric::hex),
    ("iter", iter::iter),
    ("next", iter::next),
    ("enumerate", iter::enumerate),
    ("zip", iter::zip),
    ("sum", iter::sum),
    ("min", iter::min),
    ("max", iter::max),
    ("sorted", iter::sorted),
    ("any", iter::any),
    ("all", iter::all),
];

/// Types reachable by name from Python code.
const NAMED_TYPES: &[TypeId] = &[
    TypeId::Int,
    TypeId::Float,
    TypeId::Str,
    TypeId::Bool,
    TypeId::Bytes,
    TypeId::ByteArray,
    TypeId::MemoryView,
    TypeId::List,
    TypeId::Tuple,
    TypeId::Dict,
    TypeId::Range,
    TypeId::Type,
    TypeId::Object,
    TypeId::Complex,
    TypeId::Set,
    TypeId::Slice,
    TypeId::StaticMethod,
    TypeId::ClassMethod,
];

/// The builtin native with id `id` (this file's table, then `objects`').
pub fn native(id: u32) -> Option<(&'static str, NativeFn)> {
    match id.checked_sub(objects::BASE) {
        Some(i) => objects::native(i),
        None => NATIVES.get(id as usize).copied(),
    }
}

/// The builtins namespace: interned name id → value.
pub fn table(strs: &mut Interner) -> BTreeMap<u32, Value> {
    let mut t = BTreeMap::new();
    for (i, (name, _)) in NATIVES.iter().enumerate() {
        t.insert(strs.intern(name), Value::native(i as u32));
    }
    for (i, (name, _)) in objects::NATIVES.iter().enumerate() {
        t.insert(strs.intern(name), Value::native(objects::BASE + i as u32));
    }
    for ty in NAMED_TYPES
        .iter()
        .chain(typeid::ALL.iter().filter(|t| t.is_exception()))
    {
        t.insert(strs.intern(ty.name()), ty.value());
    }
    super::eval::add_builtins(&mut t, strs);
    t
}

fn print(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    let mut sep = Value::NONE;
    let mut end = Value::NONE;
    for (k, v) in kw {
        match m.store.str_of(*k) {
            Some("sep") => sep = *v,
            Some("end") => end = *v,
            other => {
                return Err(PyErr::type_error(format!(
                    "print() got an unexpected keyword argument '{}'",
                    other.unwrap_or("?")
                )));
            }
        }
    }
    let text_of = |m: &Machine, v: Value, default: &'static str, what: &str| -> PyResult<String> {
        if v.is_none() {
            return Ok(String::from(default));
        }
        m.store.str_of(v).map(String::from).ok_or_else(|| {
            PyErr::type_error(format!(
                "{what} must be None or a string, not {}",
                m.store.type_name(v)
            ))
        })
    };
    let sep = text_of(m, sep, " ", "sep")?;
    let end = text_of(m, end, "\n", "end")?;
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        if m.repr_runs_python(*a) {
            let s = m.str_value(port, *a)?;
            out.push_str(m.store.str_of(s).unwrap_or(""));
            continue;
        }
        object::str_into(&m.store, *a, &mut out);
    }
    out.push_str(&end);
    port.write_stdout(out.as_bytes());
    Ok(Value::NONE)
}

fn len(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    if m.is_user_object(args[0]) {
        return m.len_of_instance(port, args[0]);
    }
    match object::len(&m.store, args[0]) {
        Some(n) => int::from_i64(m, n as i64),
        None => Err(PyErr::type_error(format!(
            "object of type '{}' has no len()",
            m.store.type_name(args[0])
        ))),
    }
}

fn repr(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    if m.repr_runs_python(args[0]) {
        return m.repr_value(port, args[0]);
    }
    let s = object::repr(&m.store, args[0]);
    new_str(m, s)
}

fn abs(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let v = args[0];
    match v.kind() {
        Kind::Int(i) => int::from_i64(m, i.abs()),
        Kind::Bool(b) => Ok(Value::int(i64::from(b)).unwrap_or(Value::NONE)),
        Kind::Float(f) => Ok(Value::float(libm::fabs(f))),
        _ => match m.store.obj(v) {
            Some(Obj::BigInt(b)) => {
                let a = num_traits::Signed::abs(b);
                int::from_big(m, a)
            }
            Some(Obj::Complex(re, im)) => crate::types::complex::abs(*re, *im),
            _ => Err(PyErr::type_error(format!(
                "bad operand type for abs(): '{}'",
                m.store.type_name(v)
            ))),
        },
    }
}

fn isinstance(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    let check = |t: Value| objects::is_instance(m, args[0], t);
    if m.store.type_of(args[1]) == TypeId::Tuple {
        for t in m.store.seq_of(args[1]).unwrap_or(&[]) {
            if check(*t)? {
                return Ok(Value::TRUE);
            }
        }
        return Ok(Value::FALSE);
    }
    check(args[1]).map(Value::bool)
}

fn hasattr(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    if m.store.str_of(args[1]).is_none() {
        return Err(PyErr::new(
            TypeId::TypeError,
            "hasattr(): attribute name must be string",
        ));
    }
    match m.load_method(args[0], args[1]) {
        Ok(_) => Ok(Value::TRUE),
        Err(PyErr::Msg(TypeId::AttributeError, _)) => Ok(Value::FALSE),
        Err(e) => Err(e),
    }
}

fn globals(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(m.frames.last().map_or(Value::NONE, |f| f.globals))
}

fn chr(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let Some(i) = args[0].as_int() else {
        return Err(PyErr::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            m.store.type_name(args[0])
        )));
    };
    let c = u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .ok_or(PyErr::new(
            TypeId::ValueError,
            "chr() arg not in range(0x110000)",
        ))?;
    crate::types::str::char_value(m, c)
}

fn ord(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let code = match m.store.str_of(args[0]) {
        Some(s) => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => u32::from(c),
                _ => {
                    return Err(PyErr::type_error(format!(
                        "ord() expected a character, but string of length {} found",
                        s.chars().count()
                    )));
                }
            }
        }
        None => match crate::types::buffer::readable(&m.store, args[0])? {
            Some(b) if m.store.type_of(args[0]) != TypeId::MemoryView => match b.get(0) {
                Some(byte) if b.len() == 1 => u32::from(byte),
                _ => {
                    return Err(PyErr::type_error(format!(
                        "ord() expected a character, but string of length {} found",
                        b.len()
                    )));
                }
            },
            _ => {
                return Err(PyErr::type_error(format!(
                    "ord() expected string of length 1, but {} found",
                    m.store.type_name(args[0])
                )));
            }
        },
    };
    Ok(Value::int(i64::from(code)).unwrap_or(Value::NONE))
}

fn hash(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let h = object::hash(&m.store, args[0])? as i64;
    int::from_i64(m, h)
}

fn callable(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let v = args[0];
    Ok(Value::bool(
        v.as_native().is_some()
            || v.as_type_id().is_some()
            || matches!(m.store.obj(v), Some(Obj::Function(_) | Obj::BoundMethod(_))),
    ))
}
