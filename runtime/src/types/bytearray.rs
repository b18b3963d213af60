//! Bytearrays: mutable byte strings whose storage is `cells::Cells`, so that a RingIO may
//! share it. In: `bytearray(...)` arguments, subscripts and method calls. Out: the object,
//! indexing, slicing, slice assignment and deletion, `*`, and the methods (`METHODS`).
//!
//! Every change of length goes through `splice`, which refuses to resize storage a ring
//! shares (ValueError) and charges the heap before the storage grows, so under `heap_lock`
//! growth is a MemoryError while same-length writes (`ba[i] = v`, equal slices) still work.

use alloc::format;
use alloc::vec::Vec;

use super::buffer::{self, Buf};
use super::obj::{Ctx, Method, Obj, Store, arity, vec_with};
use super::slice::{self, Indices};
use super::{PyErr, PyResult, TypeId};
use crate::cells::Cells;
use crate::value::{Kind, Value};

/// The bytearray methods (MicroPython's append/extend/decode, plus CPython's cheap ones).
pub const METHODS: &[(&str, Method)] = &[
    ("append", append),
    ("extend", extend),
    ("decode", super::bytes::decode),
    ("pop", pop),
    ("insert", insert),
    ("remove", remove),
    ("clear", clear),
    ("copy", copy),
    ("reverse", reverse),
];

/// Smallest storage a growing bytearray reserves (MicroPython grows `append` by 8 too).
const MIN_GROWTH: usize = 8;

/// `bytearray()`, `bytearray(n)`, `bytearray(iterable of ints)`, `bytearray(bytes-like)`,
/// `bytearray(str, encoding)`.
pub fn new(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    if args.len() > 3 {
        return Err(PyErr::type_error(format!(
            "bytearray() takes at most 3 arguments ({} given)",
            args.len()
        )));
    }
    let data = buffer::source(cx, TypeId::ByteArray, args)?;
    alloc(cx, &data)
}

/// A new bytearray holding a copy of `data`.
pub fn alloc(cx: &mut dyn Ctx, data: &[u8]) -> PyResult<Value> {
    cx.room(data.len())?;
    let cells = Cells::from_slice(data)
        .ok_or(PyErr::Memory(crate::heap::HeapError::Exhausted(data.len())))?;
    cx.alloc(Obj::ByteArray(cells))
}

/// Replaces bytes `start..end` of bytearray `ba` with `bytes`. A change of length is refused
/// while a ring shares the storage, and growth is charged to the heap first.
pub fn splice(cx: &mut dyn Ctx, ba: Value, start: usize, end: usize, bytes: &[u8]) -> PyResult<()> {
    let c = cells(cx, ba)?;
    let (len, cap) = (c.len(), c.capacity());
    let end = end.clamp(start.min(len), len);
    let start = start.min(end);
    if end - start != bytes.len() {
        if c.is_shared() {
            return Err(buffer::resize_error(crate::cells::ResizeError::Exported));
        }
        let need = len - (end - start) + bytes.len();
        if need > cap {
            let new_cap = need.max(cap.saturating_add(cap / 2)).max(MIN_GROWTH);
            if let Some(h) = ba.as_heap() {
                cx.grow(h, new_cap)?;
            }
            cells_mut(cx, ba)?
                .reserve_exact(new_cap - len)
                .map_err(buffer::resize_error)?;
        }
    }
    cells_mut(cx, ba)?
        .splice(start, end, bytes)
        .map_err(buffer::resize_error)
}

/// The cells of bytearray `v`.
pub fn cells(cx: &dyn Ctx, v: Value) -> PyResult<&Cells> {
    match cx.store().obj(v) {
        Some(Obj::ByteArray(c)) => Ok(c),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a bytearray")),
    }
}

fn cells_mut(cx: &mut dyn Ctx, v: Value) -> PyResult<&mut Cells> {
    match cx.store_mut().obj_mut(v) {
        Some(Obj::ByteArray(c)) => Ok(c),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a bytearray")),
    }
}

/// The position `key` names in a bytearray of `len` bytes (IndexError / TypeError texts).
fn position(store: &Store, key: Value, len: usize) -> PyResult<usize> {
    buffer::position(store, key, len, bad_index, "bytearray index out of range")
}

fn bad_index(ty: &str) -> PyErr {
    PyErr::type_error(format!(
        "bytearray indices must be integers or slices, not {ty}"
    ))
}

/// `ba[key]`: an int, or a new bytearray for a slice (any step).
pub fn getitem(cx: &mut dyn Ctx, ba: Value, key: Value) -> PyResult<Value> {
    let store = cx.store();
    let c = cells(cx, ba)?;
    if slice::is_slice(store, key) {
        let ix = slice::indices(store, key, c.len())?;
        let mut out = vec_with(ix.len)?;
        out.extend((0..ix.len).filter_map(|i| c.get(ix.at(i))));
        return alloc(cx, &out);
    }
    let at = position(store, key, c.len())?;
    Ok(small(c.get(at).unwrap_or(0)))
}

/// `ba[key] = v`: a byte, or for a slice the bytes of a bytes-like value or iterable of
/// ints (step 1 may change the length; an extended slice must keep it).
pub fn setitem(cx: &mut dyn Ctx, ba: Value, key: Value, v: Value) -> PyResult<()> {
    let store = cx.store();
    if !slice::is_slice(store, key) {
        let c = cells(cx, ba)?;
        let at = position(store, key, c.len())?;
        c.set(at, buffer::byte(store, v)?);
        return Ok(());
    }
    let data = assigned(cx, v)?;
    let ix = slice::indices(cx.store(), key, cells(cx, ba)?.len())?;
    if ix.step == 1 {
        let start = ix.start.max(0) as usize;
        return splice(cx, ba, start, start + ix.len, &data);
    }
    if data.len() != ix.len {
        return Err(PyErr::fmt(
            TypeId::ValueError,
            format!(
                "attempt to assign bytes of size {} to extended slice of size {}",
                data.len(),
                ix.len
            ),
        ));
    }
    let c = cells(cx, ba)?;
    for (i, b) in data.iter().enumerate() {
        c.set(ix.at(i), *b);
    }
    Ok(())
}

/// The bytes a slice assignment stores: a bytes-like value or an iterable of ints (a number
/// or str is refused outright, as CPython does, rather than taken as a count or text).
fn assigned(cx: &mut dyn Ctx, v: Value) -> PyResult<Vec<u8>> {
    let store = cx.store();
    let ty = store.type_of(v);
    if matches!(
        ty,
        TypeId::Str | TypeId::Int | TypeId::Bool | TypeId::Float | TypeId::Complex
    ) {
        return Err(PyErr::new(
            TypeId::TypeError,
            "can assign only bytes, buffers, or iterables of ints in range(0, 256)",
        ));
    }
    buffer::source(cx, TypeId::ByteArray, &[v])
}

/// `del ba[key]`.
pub fn delitem(cx: &mut dyn Ctx, ba: Value, key: Value) -> PyResult<()> {
    let store = cx.store();
    let c = cells(cx, ba)?;
    let len = c.len();
    if !slice::is_slice(store, key) {
        let at = position(store, key, len)?;
        return splice(cx, ba, at, at + 1, &[]);
    }
    let ix: Indices = slice::indices(store, key, len)?;
    if ix.step == 1 {
        let start = ix.start.max(0) as usize;
        return splice(cx, ba, start, start + ix.len, &[]);
    }
    let mut drop = vec_with(len)?;
    drop.resize(len, false);
    (0..ix.len).for_each(|i| {
        if let Some(d) = drop.get_mut(ix.at(i)) {
            *d = true;
        }
    });
    let mut kept = vec_with(len)?;
    kept.extend(c.iter().zip(&drop).filter(|(_, d)| !**d).map(|(b, _)| b));
    splice(cx, ba, 0, len, &kept)
}

/// `ba * n` (`ba *= n` in place): a bytearray of `n` copies. None unless `seq` is a
/// bytearray; TypeError for a count that is not an int.
pub fn repeat(cx: &mut dyn Ctx, seq: Value, count: Value, inplace: bool) -> PyResult<Value> {
    let store = cx.store();
    let n = match count.kind() {
        Kind::Int(i) => i.max(0) as usize,
        Kind::Bool(b) => usize::from(b),
        _ if super::int::is_int(store, count) => {
            return Err(PyErr::new(
                TypeId::OverflowError,
                "cannot fit 'int' into an index-sized integer",
            ));
        }
        _ => {
            return Err(PyErr::type_error(format!(
                "can't multiply sequence by non-int of type '{}'",
                store.type_name(count)
            )));
        }
    };
    let unit = cells(cx, seq)?
        .to_vec()
        .ok_or(PyErr::Memory(crate::heap::HeapError::Exhausted(0)))?;
    let total = unit
        .len()
        .checked_mul(n)
        .ok_or(PyErr::Memory(crate::heap::HeapError::Exhausted(usize::MAX)))?;
    cx.room(total)?;
    let mut out = vec_with(total)?;
    (0..n).for_each(|_| out.extend_from_slice(&unit));
    if inplace {
        splice(cx, seq, 0, unit.len(), &out)?;
        return Ok(seq);
    }
    alloc(cx, &out)
}

fn small(b: u8) -> Value {
    Value::int(i64::from(b)).unwrap_or(Value::NONE)
}

fn len_of(cx: &dyn Ctx, ba: Value) -> PyResult<usize> {
    Ok(cells(cx, ba)?.len())
}

fn append(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.append", args, 1, 1)?;
    let b = buffer::byte(cx.store(), args[1])?;
    let len = len_of(cx, args[0])?;
    splice(cx, args[0], len, len, &[b])?;
    Ok(Value::NONE)
}

fn extend(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.extend", args, 1, 1)?;
    let store = cx.store();
    let src = args[1];
    let iterable = super::iterator::by_position(store, src)
        || matches!(store.obj(src), Some(Obj::Iterator(_)));
    if !iterable && buffer::readable(store, src)?.is_none() {
        return Err(PyErr::type_error(format!(
            "can't extend bytearray with {}",
            store.type_name(src)
        )));
    }
    let more = match buffer::readable(store, src)? {
        Some(b) => b.to_vec()?,
        None => buffer::ints(cx, src, TypeId::ByteArray)?,
    };
    let len = len_of(cx, args[0])?;
    splice(cx, args[0], len, len, &more)?;
    Ok(Value::NONE)
}

fn pop(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.pop", args, 0, 1)?;
    let store = cx.store();
    let c = cells(cx, args[0])?;
    if c.is_empty() {
        return Err(PyErr::new(TypeId::IndexError, "pop from empty bytearray"));
    }
    let at = match args.get(1) {
        Some(k) => buffer::position(store, *k, c.len(), not_int, "pop index out of range")?,
        None => c.len() - 1,
    };
    let b = c.get(at).unwrap_or(0);
    splice(cx, args[0], at, at + 1, &[])?;
    Ok(small(b))
}

fn not_int(ty: &str) -> PyErr {
    PyErr::type_error(format!("'{ty}' object cannot be interpreted as an integer"))
}

fn insert(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.insert", args, 2, 2)?;
    let store = cx.store();
    let len = len_of(cx, args[0])? as i64;
    let i = match args[1].kind() {
        Kind::Int(i) => i,
        Kind::Bool(b) => i64::from(b),
        _ if super::int::is_int(store, args[1]) => i64::MAX,
        _ => return Err(not_int(store.type_name(args[1]))),
    };
    let b = buffer::byte(store, args[2])?;
    let at = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
    splice(cx, args[0], at, at, &[b])?;
    Ok(Value::NONE)
}

fn remove(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.remove", args, 1, 1)?;
    let b = buffer::byte(cx.store(), args[1])?;
    let at = cells(cx, args[0])?
        .iter()
        .position(|x| x == b)
        .ok_or(PyErr::new(
            TypeId::ValueError,
            "value not found in bytearray",
        ))?;
    splice(cx, args[0], at, at + 1, &[])?;
    Ok(Value::NONE)
}

fn clear(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.clear", args, 0, 0)?;
    let len = len_of(cx, args[0])?;
    splice(cx, args[0], 0, len, &[])?;
    Ok(Value::NONE)
}

fn copy(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.copy", args, 0, 0)?;
    let data = Buf::Cells(cells(cx, args[0])?, 0, len_of(cx, args[0])?).to_vec()?;
    alloc(cx, &data)
}

fn reverse(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytearray.reverse", args, 0, 0)?;
    let c = cells(cx, args[0])?;
    let mut data = Buf::Cells(c, 0, c.len()).to_vec()?;
    data.reverse();
    c.write_at(0, &data);
    Ok(Value::NONE)
}

/// `repr(ba)`: `bytearray(b'...')`, the bytes escaped as a bytes repr.
pub fn repr_into(c: &Cells, out: &mut alloc::string::String) {
    out.push_str("bytearray(");
    match c.to_vec() {
        Some(v) => super::text::bytes_repr(&v, out),
        None => out.push_str("..."),
    }
    out.push(')');
}
