//! Bytes-like values through one door. In: any value. Out: `Buf`, a read-only view of the
//! bytes of a bytes, bytearray or memoryview (a str is not bytes-like); the writable window
//! of a bytearray or writable memoryview; and what every bytes-like type shares: equality
//! and order by contents (never allocating), `in`, `+`, and the conversion of a constructor
//! argument (count, bytes-like, iterable of ints, str with an encoding) into bytes.

use alloc::format;
use alloc::vec::Vec;
use core::cmp::Ordering;

use super::obj::{Ctx, Obj, Store, vec_with};
use super::{PyErr, PyResult, TypeId, iterator, memoryview, object};
use crate::cells::{Cells, ResizeError};
use crate::value::{Kind, Value};

/// A read-only view of any bytes-like value (bytes, bytearray, memoryview; str is NOT one).
#[derive(Clone, Copy, Debug)]
pub enum Buf<'a> {
    /// The bytes of a bytes object.
    Bytes(&'a [u8]),
    /// A window of shared cells: the cells, its start and its length (always in range).
    Cells(&'a Cells, usize, usize),
}

impl<'a> Buf<'a> {
    /// Number of bytes.
    pub fn len(&self) -> usize {
        match self {
            Buf::Bytes(b) => b.len(),
            Buf::Cells(_, _, len) => *len,
        }
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The byte at `i`.
    pub fn get(&self, i: usize) -> Option<u8> {
        match self {
            Buf::Bytes(b) => b.get(i).copied(),
            Buf::Cells(c, start, len) if i < *len => c.get(start + i),
            Buf::Cells(..) => None,
        }
    }

    /// The bytes in order.
    pub fn iter(&self) -> impl Iterator<Item = u8> + 'a {
        let b = *self;
        (0..b.len()).map(move |i| b.get(i).unwrap_or(0))
    }

    /// Copies the first `out.len()` bytes (at most `len()`) into `out`; the count copied.
    pub fn copy_to(&self, out: &mut [u8]) -> usize {
        let n = out.len().min(self.len());
        match self {
            Buf::Bytes(b) => {
                if let (Some(o), Some(src)) = (out.get_mut(..n), b.get(..n)) {
                    o.copy_from_slice(src);
                }
            }
            Buf::Cells(c, start, _) => {
                if let Some(o) = out.get_mut(..n) {
                    c.read_into(*start, o);
                }
            }
        }
        n
    }

    /// A copy of the bytes (outside the heap budget: callers charge what they keep).
    pub fn to_vec(&self) -> PyResult<Vec<u8>> {
        let mut v = vec_with(self.len())?;
        v.resize(self.len(), 0);
        self.copy_to(&mut v);
        Ok(v)
    }

    /// Whether `needle` occurs in these bytes (the empty needle always does).
    pub fn find(&self, needle: &Buf) -> bool {
        let (n, h) = (needle.len(), self.len());
        n == 0
            || (n <= h && (0..=h - n).any(|at| (0..n).all(|k| self.get(at + k) == needle.get(k))))
    }
}

/// The bytes of `v` when it is bytes-like; Ok(None) when it is not. A memoryview whose
/// bytearray shrank under it raises ValueError (see `resized`).
pub fn readable(store: &Store, v: Value) -> PyResult<Option<Buf<'_>>> {
    Ok(Some(match store.obj(v) {
        Some(Obj::Bytes(b)) => Buf::Bytes(b),
        Some(Obj::ByteArray(c)) => Buf::Cells(c, 0, c.len()),
        Some(Obj::MemoryView(m)) => memoryview::window(store, m)?,
        _ => return Ok(None),
    }))
}

/// The writable window of a bytearray or writable memoryview: its cells, start, len;
/// Ok(None) for anything else (a memoryview of bytes is read-only).
pub fn writable(store: &Store, v: Value) -> PyResult<Option<(&Cells, usize, usize)>> {
    match readable(store, v)? {
        Some(Buf::Cells(c, start, len)) => Ok(Some((c, start, len))),
        _ => Ok(None),
    }
}

/// The bytes of `v`, or TypeError `a bytes-like object is required, not 'int'`.
pub fn require(store: &Store, v: Value) -> PyResult<Buf<'_>> {
    readable(store, v)?.ok_or_else(|| {
        PyErr::type_error(format!(
            "a bytes-like object is required, not '{}'",
            store.type_name(v)
        ))
    })
}

/// ValueError for a memoryview whose bytearray shrank (MicroPython would read stale memory).
pub fn resized() -> PyErr {
    PyErr::new(
        TypeId::ValueError,
        "memoryview: underlying buffer was resized",
    )
}

/// The Python error for a refused resize of shared cells.
pub fn resize_error(e: ResizeError) -> PyErr {
    match e {
        ResizeError::Exported => PyErr::new(
            TypeId::ValueError,
            "Existing exports of data: object cannot be re-sized",
        ),
        ResizeError::NoMemory => PyErr::Memory(crate::heap::HeapError::Exhausted(0)),
    }
}

/// `a == b` when both are bytes-like: same bytes. None when either is not bytes-like. A
/// memoryview over a shrunk buffer equals nothing but itself.
pub fn eq(store: &Store, a: Value, b: Value) -> Option<bool> {
    match (readable(store, a), readable(store, b)) {
        (Ok(Some(x)), Ok(Some(y))) => Some(x.len() == y.len() && x.iter().eq(y.iter())),
        (Ok(None), _) | (_, Ok(None)) => None,
        _ => Some(false),
    }
}

/// `<` and friends between bytes and bytearrays in any mix (memoryviews have no order, as
/// in CPython); None when the pair is not one of those.
pub fn order(store: &Store, a: Value, b: Value) -> Option<Ordering> {
    let ordered = |v: Value| matches!(store.obj(v), Some(Obj::Bytes(_) | Obj::ByteArray(_)));
    if !(ordered(a) && ordered(b)) {
        return None;
    }
    match (readable(store, a), readable(store, b)) {
        (Ok(Some(x)), Ok(Some(y))) => Some(x.iter().cmp(y.iter())),
        _ => None,
    }
}

/// `x in container` for a bytes-like container: an int is looked for as a byte, a bytes-like
/// value as a run of bytes. A memoryview compares its items with `x` as ints (CPython).
pub fn contains(store: &Store, container: Value, x: Value) -> PyResult<Option<bool>> {
    let Some(hay) = readable(store, container)? else {
        return Ok(None);
    };
    if matches!(store.obj(container), Some(Obj::MemoryView(_))) {
        return Ok(Some(hay.iter().any(|b| {
            Value::int(i64::from(b)).is_some_and(|bv| object::eq(store, bv, x))
        })));
    }
    if super::int::is_int(store, x) {
        let b = byte(store, x)?;
        return Ok(Some(hay.iter().any(|y| y == b)));
    }
    Ok(Some(hay.find(&require(store, x)?)))
}

/// An int in `0..256` as a byte: ValueError `byte must be in range(0, 256)` for other ints,
/// TypeError `'str' object cannot be interpreted as an integer` for non-ints.
pub fn byte(store: &Store, v: Value) -> PyResult<u8> {
    let i = match v.kind() {
        Kind::Int(i) => i,
        Kind::Bool(b) => i64::from(b),
        _ if super::int::is_int(store, v) => -1,
        _ => {
            return Err(PyErr::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                store.type_name(v)
            )));
        }
    };
    u8::try_from(i).map_err(|_| PyErr::new(TypeId::ValueError, "byte must be in range(0, 256)"))
}

/// `bytes + x` or `bytearray + x` (`+=` on a bytearray extends it in place): the bytes of
/// both, or TypeError `can't concat int to bytes`. None when `a` is neither.
pub fn concat(cx: &mut dyn Ctx, a: Value, b: Value, inplace: bool) -> PyResult<Option<Value>> {
    let store = cx.store();
    let array = match store.obj(a) {
        Some(Obj::Bytes(_)) => false,
        Some(Obj::ByteArray(_)) => true,
        _ => return Ok(None),
    };
    let Some(y) = readable(store, b)? else {
        return Err(PyErr::type_error(format!(
            "can't concat {} to {}",
            store.type_name(b),
            store.type_name(a)
        )));
    };
    let total = require(store, a)?.len().saturating_add(y.len());
    if array && inplace {
        let (len, more) = (total - y.len(), y.to_vec()?);
        super::bytearray::splice(cx, a, len, len, &more)?;
        return Ok(Some(a));
    }
    cx.room(total)?;
    let store = cx.store();
    let (x, y) = (require(store, a)?, require(store, b)?);
    let mut out = vec_with(total)?;
    out.extend(x.iter());
    out.extend(y.iter());
    Ok(Some(if array {
        super::bytearray::alloc(cx, &out)?
    } else {
        cx.alloc(Obj::Bytes(out.into()))?
    }))
}

/// The bytes a `bytes(...)`/`bytearray(...)` call (`ty` says which) makes from its
/// positional arguments: a count of zeros, a copy of a bytes-like value, the ints of an
/// iterable, or a str with an encoding (UTF-8 whatever its name).
pub fn source(cx: &mut dyn Ctx, ty: TypeId, args: &[Value]) -> PyResult<Vec<u8>> {
    let store = cx.store();
    let Some(&src) = args.first() else {
        return Ok(Vec::new());
    };
    if let Some(text) = store.str_of(src) {
        if args.len() < 2 {
            return Err(PyErr::new(
                TypeId::TypeError,
                "string argument without an encoding",
            ));
        }
        let mut v = vec_with(text.len())?;
        v.extend_from_slice(text.as_bytes());
        return Ok(v);
    }
    if args.len() > 1 {
        return Err(PyErr::new(
            TypeId::TypeError,
            "encoding without a string argument",
        ));
    }
    if super::int::is_int(store, src) {
        let n = match src.kind() {
            Kind::Int(i) => i,
            Kind::Bool(b) => i64::from(b),
            _ => {
                return Err(PyErr::new(
                    TypeId::OverflowError,
                    "cannot fit 'int' into an index-sized integer",
                ));
            }
        };
        let n = usize::try_from(n).map_err(|_| PyErr::new(TypeId::ValueError, "negative count"))?;
        cx.room(n)?;
        let mut v = vec_with(n)?;
        v.resize(n, 0);
        return Ok(v);
    }
    if let Some(b) = readable(store, src)? {
        return b.to_vec();
    }
    if !iterator::by_position(store, src) && !matches!(store.obj(src), Some(Obj::Iterator(_))) {
        return Err(PyErr::type_error(format!(
            "cannot convert '{}' object to {}",
            store.type_name(src),
            ty.name()
        )));
    }
    ints(cx, src, ty)
}

/// The bytes of an iterable of ints in `0..256`. `ty` picks CPython's range message:
/// `bytes must be in range(0, 256)` for bytes, `byte must be ...` for the rest.
pub fn ints(cx: &mut dyn Ctx, src: Value, ty: TypeId) -> PyResult<Vec<u8>> {
    let items = object::collect(cx, src)?;
    let store = cx.store();
    let mut v = vec_with(items.len())?;
    for x in items {
        v.push(byte(store, x).map_err(|e| match e {
            PyErr::Msg(TypeId::ValueError, _) if ty == TypeId::Bytes => {
                PyErr::new(TypeId::ValueError, "bytes must be in range(0, 256)")
            }
            e => e,
        })?);
    }
    Ok(v)
}

/// A sequence index into `0..len` (negative from the end). A non-int key gives `type_err`
/// with the key's type name; out of range gives IndexError `range_msg`.
pub fn position(
    store: &Store,
    key: Value,
    len: usize,
    type_err: impl FnOnce(&str) -> PyErr,
    range_msg: &'static str,
) -> PyResult<usize> {
    let i = match key.kind() {
        Kind::Int(i) => i,
        Kind::Bool(b) => i64::from(b),
        _ if super::int::is_int(store, key) => {
            return Err(PyErr::new(
                TypeId::IndexError,
                "cannot fit 'int' into an index-sized integer",
            ));
        }
        _ => return Err(type_err(store.type_name(key))),
    };
    let at = if i < 0 {
        i.saturating_add(len as i64)
    } else {
        i
    };
    usize::try_from(at)
        .ok()
        .filter(|at| *at < len)
        .ok_or(PyErr::new(TypeId::IndexError, range_msg))
}
