//! Memoryviews: zero-copy windows on a bytes (read-only) or bytearray (writable), one byte
//! per item (there is no `array` module). In: `memoryview(x)`, subscripts, `tobytes`,
//! `tolist`, `readonly`. Out: `MemoryView` (base, start, len) and its operations.
//!
//! A view of a view refers to the innermost base directly. The base bytearray may shrink
//! after the view was made: every access re-checks the window and raises
//! `ValueError: memoryview: underlying buffer was resized` (MicroPython reads stale memory).
//! Slices with a step other than 1 raise NotImplementedError, as in MicroPython.

use alloc::format;

use super::buffer::{self, Buf};
use super::obj::{Ctx, Method, Obj, Store, arity, new_list, vec_with};
use super::{PyErr, PyResult, TypeId, slice};
use crate::value::{Kind, Value};

/// A window of `len` bytes from `start` of `base`, a bytes or bytearray value.
#[derive(Clone, Copy, Debug)]
pub struct MemoryView {
    /// The bytes or bytearray viewed (traced by the collector).
    pub base: Value,
    /// First byte of the window in the base.
    pub start: usize,
    /// Bytes in the window.
    pub len: usize,
}

/// The memoryview methods.
pub const METHODS: &[(&str, Method)] = &[("tobytes", tobytes), ("tolist", tolist)];

/// `memoryview(x)` for a bytes, bytearray or memoryview; TypeError otherwise.
pub fn new(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    let [x] = args else {
        return Err(PyErr::type_error(format!(
            "memoryview() takes exactly one argument ({} given)",
            args.len()
        )));
    };
    let store = cx.store();
    let view = match store.obj(*x) {
        Some(Obj::Bytes(b)) => MemoryView {
            base: *x,
            start: 0,
            len: b.len(),
        },
        Some(Obj::ByteArray(c)) => MemoryView {
            base: *x,
            start: 0,
            len: c.len(),
        },
        Some(Obj::MemoryView(m)) => *m,
        _ => {
            return Err(PyErr::type_error(format!(
                "memoryview: a bytes-like object is required, not '{}'",
                store.type_name(*x)
            )));
        }
    };
    cx.alloc(Obj::MemoryView(view))
}

/// The bytes a view sees now, or ValueError when its bytearray shrank below the window.
pub fn window<'a>(store: &'a Store, m: &MemoryView) -> PyResult<Buf<'a>> {
    let end = m.start.saturating_add(m.len);
    match store.obj(m.base) {
        Some(Obj::Bytes(b)) => b
            .get(m.start..end)
            .map(Buf::Bytes)
            .ok_or_else(buffer::resized),
        Some(Obj::ByteArray(c)) if end <= c.len() => Ok(Buf::Cells(c, m.start, m.len)),
        _ => Err(buffer::resized()),
    }
}

/// Whether the view is read-only (its base is a bytes).
pub fn readonly(store: &Store, m: &MemoryView) -> bool {
    !matches!(store.obj(m.base), Some(Obj::ByteArray(_)))
}

fn view_of(store: &Store, v: Value) -> PyResult<MemoryView> {
    match store.obj(v) {
        Some(Obj::MemoryView(m)) => Ok(*m),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a memoryview")),
    }
}

fn bad_key(_: &str) -> PyErr {
    PyErr::new(TypeId::TypeError, "memoryview: invalid slice key")
}

/// CPython's IndexError for a memoryview index.
const OUT_OF_RANGE: &str = "index out of bounds on dimension 1";

/// The positions of slice `key` in the view, refusing steps other than 1.
fn step_one(store: &Store, key: Value, len: usize) -> PyResult<slice::Indices> {
    let ix = slice::indices(store, key, len)?;
    if ix.step != 1 {
        return Err(PyErr::new(
            TypeId::NotImplementedError,
            "only slices with step=1 (aka None) are supported",
        ));
    }
    Ok(ix)
}

/// `mv[key]`: an int, or for a slice a new view sharing the base.
pub fn getitem(cx: &mut dyn Ctx, mv: Value, key: Value) -> PyResult<Value> {
    let store = cx.store();
    let m = view_of(store, mv)?;
    let buf = window(store, &m)?;
    if slice::is_slice(store, key) {
        let ix = step_one(store, key, m.len)?;
        let sub = MemoryView {
            base: m.base,
            start: m.start + ix.start.max(0) as usize,
            len: ix.len,
        };
        return cx.alloc(Obj::MemoryView(sub));
    }
    let at = buffer::position(store, key, m.len, bad_key, OUT_OF_RANGE)?;
    Ok(Value::int(i64::from(buf.get(at).unwrap_or(0))).unwrap_or(Value::NONE))
}

/// `mv[key] = v`: a byte, or for a step-1 slice a bytes-like value of the same length.
pub fn setitem(cx: &mut dyn Ctx, mv: Value, key: Value, v: Value) -> PyResult<()> {
    let store = cx.store();
    let m = view_of(store, mv)?;
    if readonly(store, &m) {
        return Err(PyErr::new(
            TypeId::TypeError,
            "cannot modify read-only memory",
        ));
    }
    let Some((cells, start, len)) = buffer::writable(store, mv)? else {
        return Err(buffer::resized());
    };
    if slice::is_slice(store, key) {
        let ix = step_one(store, key, len)?;
        let data = buffer::require(store, v)?.to_vec()?;
        if data.len() != ix.len {
            return Err(PyErr::new(
                TypeId::ValueError,
                "memoryview assignment: lvalue and rvalue have different structures",
            ));
        }
        cells.write_at(start + ix.start.max(0) as usize, &data);
        return Ok(());
    }
    let at = buffer::position(store, key, len, bad_key, OUT_OF_RANGE)?;
    let b = match v.kind() {
        Kind::Int(i) => u8::try_from(i).ok(),
        Kind::Bool(b) => Some(u8::from(b)),
        _ if super::int::is_int(store, v) => None,
        _ => {
            return Err(PyErr::new(
                TypeId::TypeError,
                "memoryview: invalid type for format 'B'",
            ));
        }
    };
    let b = b.ok_or(PyErr::new(
        TypeId::ValueError,
        "memoryview: invalid value for format 'B'",
    ))?;
    cells.set(start + at, b);
    Ok(())
}

/// `del mv[key]`: always a TypeError.
pub fn delitem() -> PyErr {
    PyErr::new(TypeId::TypeError, "cannot delete memory")
}

/// `mv.readonly`; None for other attributes or values.
pub fn attr(store: &Store, v: Value, name: &str) -> Option<Value> {
    match (store.obj(v), name) {
        (Some(Obj::MemoryView(m)), "readonly") => Some(Value::bool(readonly(store, m))),
        _ => None,
    }
}

fn tobytes(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("memoryview.tobytes", args, 0, 0)?;
    let store = cx.store();
    let data = window(store, &view_of(store, args[0])?)?.to_vec()?;
    cx.room(data.len())?;
    cx.alloc(Obj::Bytes(data.into()))
}

fn tolist(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("memoryview.tolist", args, 0, 0)?;
    let store = cx.store();
    let buf = window(store, &view_of(store, args[0])?)?;
    let mut items = vec_with(buf.len())?;
    items.extend(buf.iter().filter_map(|b| Value::int(i64::from(b))));
    cx.room(items.len().saturating_mul(8))?;
    new_list(cx, items)
}
