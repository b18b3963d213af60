//! The protocols every value supports: truth, equality, hashing, ordering, `repr`/`str` and
//! `len`. In: values and the store. Out: Python's answers (or the TypeError it raises).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt::Write;

use super::int::{big_of, int_str};
use super::number::Number;
use super::obj::{Obj, Store};
use super::{PyErr, PyResult, TypeId, number, text};
use crate::value::{Handle, Kind, Value};

/// Nesting beyond which `repr`, `==`, ordering and hashing stop, so a deeply nested container
/// cannot exhaust the Rust stack.
pub(crate) const MAX_REPR_DEPTH: usize = 64;

/// Python truth value.
pub fn truthy(store: &Store, v: Value) -> bool {
    match v.kind() {
        Kind::Bool(b) => b,
        Kind::Int(i) => i != 0,
        Kind::Float(f) => f != 0.0,
        Kind::None | Kind::Null => false,
        Kind::Str(id) => !store.strs.get(id).is_empty(),
        Kind::Ellipsis | Kind::Native(_) | Kind::Type(_) => true,
        Kind::Heap(_) => match store.obj(v) {
            Some(Obj::Str(s)) => !s.is_empty(),
            Some(Obj::Bytes(b)) => !b.is_empty(),
            Some(Obj::ByteArray(c)) => !c.is_empty(),
            Some(Obj::MemoryView(m)) => m.len > 0,
            Some(Obj::List(x)) | Some(Obj::Tuple(x)) => !x.is_empty(),
            Some(Obj::Dict(d) | Obj::Set(d)) => !d.is_empty(),
            Some(Obj::Range(r)) => !r.is_empty(),
            Some(Obj::Complex(re, im)) => super::complex::truthy(*re, *im),
            _ => true,
        },
    }
}

/// `len(v)`, or None when `v` has no length.
pub fn len(store: &Store, v: Value) -> Option<usize> {
    if let Some(s) = store.str_of(v) {
        return Some(s.chars().count());
    }
    Some(match store.obj(v)? {
        Obj::Bytes(b) => b.len(),
        Obj::ByteArray(c) => c.len(),
        Obj::MemoryView(m) => m.len,
        Obj::List(x) | Obj::Tuple(x) => x.len(),
        Obj::Dict(d) | Obj::Set(d) => d.len(),
        Obj::Range(r) => r.len() as usize,
        Obj::DictView(d, _) => match store.obj(*d) {
            Some(Obj::Dict(d)) => d.len(),
            _ => 0,
        },
        _ => return None,
    })
}

/// Python `==`. Ints, floats and bools compare by value; containers element by element.
pub fn eq(store: &Store, a: Value, b: Value) -> bool {
    eq_depth(store, a, b, 0)
}

fn eq_depth(store: &Store, a: Value, b: Value, depth: usize) -> bool {
    if a.is(b) {
        return !matches!(a.kind(), Kind::Float(f) if f.is_nan());
    }
    if depth > MAX_REPR_DEPTH {
        return false;
    }
    if let (Some(x), Some(y)) = (store.str_of(a), store.str_of(b)) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (numeric(store, a), numeric(store, b)) {
        return num_cmp(&x, &y) == Some(Ordering::Equal);
    }
    if let Some(r) = super::complex::eq(store, a, b) {
        return r;
    }
    if let Some(r) = super::buffer::eq(store, a, b) {
        return r;
    }
    match (store.obj(a), store.obj(b)) {
        (Some(Obj::List(x)), Some(Obj::List(y))) | (Some(Obj::Tuple(x)), Some(Obj::Tuple(y))) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| eq_depth(store, *p, *q, depth + 1))
        }
        (Some(Obj::Range(x)), Some(Obj::Range(y))) => {
            let (lx, ly) = (x.len(), y.len());
            lx == ly && (lx == 0 || (x.start == y.start && (lx == 1 || x.step == y.step)))
        }
        (Some(Obj::Set(_)), Some(Obj::Set(_))) => super::set::equal(store, a, b),
        (Some(Obj::Dict(x)), Some(Obj::Dict(y))) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    let Ok(h) = hash(store, e.key) else {
                        return false;
                    };
                    let found = y.find(h, e.key, &|p, q| eq_depth(store, p, q, depth + 1));
                    found
                        .and_then(|pos| y.entry(pos))
                        .is_some_and(|f| eq_depth(store, e.value, f.value, depth + 1))
                })
        }
        _ => false,
    }
}

/// The numeric view of ints, bools and floats.
pub fn numeric(store: &Store, v: Value) -> Option<Number> {
    match v.kind() {
        Kind::Float(f) => Some(Number::Float(f)),
        Kind::Int(_) | Kind::Bool(_) => big_of(store, v).map(Number::Int),
        Kind::Heap(_) => match store.obj(v)? {
            Obj::BigInt(b) => Some(Number::Int(b.clone())),
            _ => None,
        },
        _ => None,
    }
}

/// Orders two numbers exactly (an int against a float compares the true values).
pub fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(y),
        (Number::Int(x), Number::Float(y)) => int_float_cmp(x, *y),
        (Number::Float(x), Number::Int(y)) => int_float_cmp(y, *x).map(Ordering::reverse),
    }
}

fn int_float_cmp(i: &num_bigint::BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = libm::floor(f);
    let fi = num_bigint::BigInt::from(fl as i128);
    // An f64 this large has no fractional part, and i128 holds every f64 below 2^127.
    if fl.abs() >= 1.0e38 {
        let x = num_traits::ToPrimitive::to_f64(i).unwrap_or(0.0);
        return x.partial_cmp(&f);
    }
    match i.cmp(&fi) {
        Ordering::Equal if fl < f => Some(Ordering::Less),
        o => Some(o),
    }
}

/// RuntimeError for containers nested deeper than `MAX_REPR_DEPTH` in ordering and hashing.
pub(crate) fn too_deep() -> PyErr {
    PyErr::new(TypeId::RuntimeError, "maximum recursion depth exceeded")
}

/// Python `hash`, used by dicts. Lists, dicts and other mutables are unhashable.
pub fn hash(store: &Store, v: Value) -> PyResult<u64> {
    hash_i(store, v, 0).map(|h| h as u64)
}

fn hash_i(store: &Store, v: Value, depth: usize) -> PyResult<i64> {
    if depth > MAX_REPR_DEPTH {
        return Err(too_deep());
    }
    Ok(match v.kind() {
        Kind::Int(i) => number::hash_i64(i),
        Kind::Bool(b) => i64::from(b),
        Kind::Float(f) => number::hash_float(f),
        Kind::Str(id) => store.strs.hash(id),
        Kind::None => 0x5EED,
        Kind::Ellipsis => 0xE111,
        Kind::Null => 0,
        Kind::Native(n) => i64::from(n) ^ 0x4E00_0000,
        Kind::Type(t) => i64::from(t) ^ 0x7700_0000,
        Kind::Heap(h) => match store.heap.get(h) {
            Some(Obj::Str(s)) => text::hash_str(s),
            Some(Obj::Bytes(b)) => text::hash_bytes(b),
            Some(Obj::BigInt(b)) => number::hash_int(b),
            Some(Obj::Complex(re, im)) => super::complex::hash(*re, *im),
            Some(Obj::MemoryView(m)) => match super::memoryview::window(store, m)? {
                super::buffer::Buf::Bytes(b) => text::hash_bytes(b),
                super::buffer::Buf::Cells(..) => {
                    return Err(PyErr::new(
                        TypeId::ValueError,
                        "cannot hash writable memoryview object",
                    ));
                }
            },
            Some(Obj::Tuple(items)) => {
                let mut acc: i64 = 0x345678;
                for x in items {
                    acc = (acc ^ hash_i(store, *x, depth + 1)?).wrapping_mul(1_000_003);
                }
                acc ^ items.len() as i64
            }
            Some(
                Obj::List(_)
                | Obj::Dict(_)
                | Obj::DictView(..)
                | Obj::Set(_)
                | Obj::Slice(..)
                | Obj::ByteArray(_),
            ) => {
                return Err(PyErr::type_error(format!(
                    "unhashable type: '{}'",
                    store.type_name(v)
                )));
            }
            _ => i64::from(h.0) ^ 0x0B0B_0000,
        },
    })
}

/// `repr(v)` appended to `out`.
pub fn repr_into(store: &Store, v: Value, out: &mut String) {
    let mut seen = Vec::new();
    repr_rec(store, v, out, &mut seen);
}

/// `repr(v)`.
pub fn repr(store: &Store, v: Value) -> String {
    let mut out = String::new();
    repr_into(store, v, &mut out);
    out
}

/// `str(v)`: the text itself for strs, the message for exceptions, `repr` otherwise.
pub fn str_into(store: &Store, v: Value, out: &mut String) {
    let mut v = v;
    // An exception's str is its one argument's str, which may be an exception in turn.
    for _ in 0..=MAX_REPR_DEPTH {
        if let Some(s) = store.str_of(v) {
            out.push_str(s);
            return;
        }
        let Some(Obj::Exception(e)) = store.obj(v) else {
            repr_into(store, v, out);
            return;
        };
        if e.ty == TypeId::OSError && errno_into(store, e.args, out) {
            return;
        }
        match store.seq_of(e.args) {
            Some([]) | None => return,
            Some([one]) if e.ty == TypeId::KeyError => return repr_into(store, *one, out),
            Some([one]) => v = *one,
            Some(_) => return repr_into(store, e.args, out),
        }
    }
    out.push_str("...");
}

/// MicroPython's text for an `OSError` whose first of one or two args is a known errno:
/// `[Errno 2] ENOENT`, then `: ` and the second arg. False when it does not apply.
fn errno_into(store: &Store, args: Value, out: &mut String) -> bool {
    let (code, rest) = match store.seq_of(args) {
        Some([code]) => (*code, None),
        Some([code, second]) => (*code, Some(*second)),
        _ => return false,
    };
    let Some((n, name)) = code
        .as_int()
        .and_then(|n| Some((n, super::exception::errno_name(n)?)))
    else {
        return false;
    };
    let _ = write!(out, "[Errno {n}] {name}");
    if let Some(second) = rest {
        out.push_str(": ");
        str_into(store, second, out);
    }
    true
}

fn repr_rec(store: &Store, v: Value, out: &mut String, seen: &mut Vec<Handle>) {
    match v.kind() {
        Kind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Kind::Bool(b) => out.push_str(if b { "True" } else { "False" }),
        Kind::Float(f) => text::float_repr(f, out),
        Kind::None | Kind::Null => out.push_str("None"),
        Kind::Ellipsis => out.push_str("Ellipsis"),
        Kind::Str(id) => text::str_repr(store.strs.get(id), out),
        Kind::Native(id) => {
            let _ = write!(
                out,
                "<built-in function {}>",
                crate::modules::native_name(id)
            );
        }
        Kind::Type(t) => {
            let name = TypeId::from_u16(t).map_or("?", TypeId::name);
            let _ = write!(out, "<class '{name}'>");
        }
        Kind::Heap(h) => repr_obj(store, h, v, out, seen),
    }
}

fn repr_obj(store: &Store, h: Handle, v: Value, out: &mut String, seen: &mut Vec<Handle>) {
    let Some(obj) = store.heap.get(h) else {
        out.push_str("<freed>");
        return;
    };
    let container = matches!(obj, Obj::List(_) | Obj::Tuple(_) | Obj::Dict(_));
    if container && (seen.contains(&h) || seen.len() > MAX_REPR_DEPTH) {
        out.push_str(match obj {
            Obj::Dict(_) => "{...}",
            _ => "[...]",
        });
        return;
    }
    if container {
        seen.push(h);
    }
    match obj {
        Obj::RingIO(_) => out.push_str("<RingIO>"),
        Obj::Poll(_) => out.push_str("<poll>"),
        Obj::MemoryView(_) => out.push_str("<memoryview>"),
        Obj::ByteArray(c) => super::bytearray::repr_into(c, out),
        Obj::Str(s) => text::str_repr(s, out),
        Obj::Bytes(b) => text::bytes_repr(b, out),
        Obj::BigInt(_) => out.push_str(&int_str(store, v)),
        Obj::List(items) => {
            out.push('[');
            items_into(store, items, out, seen);
            out.push(']');
        }
        Obj::Tuple(items) => {
            out.push('(');
            items_into(store, items, out, seen);
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Obj::Dict(d) => {
            out.push('{');
            for (i, e) in d.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_rec(store, e.key, out, seen);
                out.push_str(": ");
                repr_rec(store, e.value, out, seen);
            }
            out.push('}');
        }
        Obj::Range(r) => out.push_str(&r.repr()),
        Obj::Complex(re, im) => super::complex::repr(*re, *im, out),
        Obj::Code(_) => {
            let _ = write!(out, "<code object <module> at 0x{:x}>", h.0);
        }
        Obj::Function(f) => {
            let name = store.str_of(f.name).unwrap_or("?");
            let _ = write!(out, "<function {name} at 0x{:x}>", h.0);
        }
        Obj::BoundMethod(_) => {
            let _ = write!(out, "<bound_method 0x{:x}>", h.0);
        }
        Obj::Module(m) => {
            let _ = write!(out, "<module '{}'>", store.str_of(m.name).unwrap_or("?"));
        }
        Obj::Exception(e) => {
            out.push_str(super::class::type_name_of(store, v));
            match store.seq_of(e.args) {
                Some([one]) => {
                    out.push('(');
                    repr_rec(store, *one, out, seen);
                    out.push(')');
                }
                Some(_) if e.args.as_heap().is_some() => repr_rec(store, e.args, out, seen),
                _ => out.push_str("()"),
            }
        }
        Obj::Iterator(it) => {
            let _ = write!(out, "<{} object at 0x{:x}>", it.type_id().name(), h.0);
        }
        Obj::Generator(g) => {
            let name = store.str_of(g.name).unwrap_or("?");
            let _ = write!(out, "<{} object {name} at 0x{:x}>", g.kind_name(), h.0);
        }
        Obj::Set(_)
        | Obj::Slice(..)
        | Obj::Cell(_)
        | Obj::Class(_)
        | Obj::Instance(_)
        | Obj::MethodWrapper(..)
        | Obj::Super(..) => {
            super::class_repr::repr_into(store, v, out, &mut |s, x, o| repr_rec(s, x, o, seen));
        }
        Obj::DictView(d, kind) => {
            let _ = write!(out, "{}(", kind.name());
            if let Some(Obj::Dict(dict)) = store.obj(*d) {
                out.push('[');
                for (i, e) in dict.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    match kind {
                        TypeId::DictKeys => repr_rec(store, e.key, out, seen),
                        TypeId::DictValues => repr_rec(store, e.value, out, seen),
                        _ => {
                            out.push('(');
                            repr_rec(store, e.key, out, seen);
                            out.push_str(", ");
                            repr_rec(store, e.value, out, seen);
                            out.push(')');
                        }
                    }
                }
                out.push(']');
            }
            out.push(')');
        }
    }
    if container {
        seen.pop();
    }
}

fn items_into(store: &Store, items: &[Value], out: &mut String, seen: &mut Vec<Handle>) {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        repr_rec(store, *x, out, seen);
    }
}

/// The items of any iterable built-in (list, tuple, str, bytes-likes, range, dict and its
/// views).
pub fn collect(cx: &mut dyn super::obj::Ctx, v: Value) -> PyResult<Vec<Value>> {
    if let Some(s) = cx.store().str_of(v) {
        let chars: Vec<char> = s.chars().collect();
        let mut out = super::obj::vec_with(chars.len())?;
        for c in chars {
            let mut t = String::new();
            t.push(c);
            out.push(super::obj::new_str(cx, t)?);
        }
        return Ok(out);
    }
    let store = cx.store();
    let copy = |items: &[Value]| -> PyResult<Vec<Value>> {
        let mut out = super::obj::vec_with(items.len())?;
        out.extend_from_slice(items);
        Ok(out)
    };
    match store.obj(v) {
        Some(Obj::List(items)) | Some(Obj::Tuple(items)) => copy(items),
        Some(Obj::Bytes(_) | Obj::ByteArray(_) | Obj::MemoryView(_)) => {
            let buf = super::buffer::require(store, v)?;
            let mut out = super::obj::vec_with(buf.len())?;
            out.extend(buf.iter().filter_map(|x| Value::int(i64::from(x))));
            Ok(out)
        }
        Some(Obj::Range(r)) => {
            let r = *r;
            // A range is tiny but its items are not: refuse what the heap could never hold.
            cx.room((r.len() as usize).saturating_mul(8))?;
            let mut out = super::obj::vec_with(r.len() as usize)?;
            out.extend((0..r.len()).filter_map(|i| Value::int(r.item(i))));
            Ok(out)
        }
        Some(Obj::Dict(d) | Obj::Set(d)) => Ok(d.iter().map(|e| e.key).collect()),
        Some(Obj::DictView(d, kind)) => {
            let (d, kind) = (*d, *kind);
            let pairs: Vec<(Value, Value)> = match store.obj(d) {
                Some(Obj::Dict(dict)) => dict.iter().map(|e| (e.key, e.value)).collect(),
                _ => Vec::new(),
            };
            let mut out = super::obj::vec_with(pairs.len())?;
            for (k, val) in pairs {
                out.push(match kind {
                    TypeId::DictKeys => k,
                    TypeId::DictValues => val,
                    _ => super::obj::new_tuple(cx, alloc::vec![k, val])?,
                });
            }
            Ok(out)
        }
        Some(Obj::Iterator(_)) => {
            let mut out = Vec::new();
            while let Some(x) = super::iterator::next(cx, v)? {
                out.try_reserve(1)
                    .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(8)))?;
                out.push(x);
            }
            Ok(out)
        }
        _ => Err(not_iterable(store, v)),
    }
}

/// TypeError: `'int' object is not iterable`.
pub fn not_iterable(store: &Store, v: Value) -> PyErr {
    PyErr::type_error(format!("'{}' object is not iterable", store.type_name(v)))
}

/// Turns a Python index into a position in `0..len`, or IndexError `<what> index out of range`.
pub fn index(store: &Store, key: Value, len: usize, what: &str) -> PyResult<usize> {
    let i = match key.kind() {
        Kind::Int(i) => i,
        Kind::Bool(b) => i64::from(b),
        Kind::Heap(_) if matches!(store.obj(key), Some(Obj::BigInt(_))) => i64::MAX,
        _ => {
            return Err(PyErr::type_error(format!(
                "{what} indices must be integers, not {}",
                store.type_name(key)
            )));
        }
    };
    let at = if i < 0 { i + len as i64 } else { i };
    if at < 0 || at >= len as i64 {
        return Err(PyErr::fmt(
            TypeId::IndexError,
            format!("{what} index out of range"),
        ));
    }
    Ok(at as usize)
}
