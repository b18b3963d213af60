//! `micropython.RingIO` as a Python type (spec §4.8). In: `RingIO(size)` or
//! `RingIO(buffer)` and method calls. Out: a heap object sharing a `ringio::Ring` (lock-free
//! SPSC core), with `any`, `read`, `readline`, `readinto`, `write`, `close`; repr and str
//! `<RingIO>`. Over a buffer (a bytearray or writable memoryview) the ring shares the
//! buffer's cells, so writes land in the caller's buffer; `readinto` and `write` of a
//! bytearray copy through a small stack buffer and allocate nothing.

use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::buffer::{self, Buf};
use super::bytes::Bytes;
use super::obj::{Ctx, Method, Obj};
use super::{PyErr, PyResult, TypeId};
use crate::ringio::{MAX_LEN, Ring};
use crate::value::Value;

/// Bytes copied per step by `readinto` and by `write` of a bytearray (on the stack).
const CHUNK: usize = 64;

/// The methods; each gets the RingIO as `args[0]`.
pub const METHODS: &[(&str, Method)] = &[
    ("any", any),
    ("read", read),
    ("readline", readline),
    ("readinto", readinto),
    ("write", write),
    ("close", close),
];

/// `RingIO(size)`: capacity `size`, 1 ≤ size ≤ 65534; `RingIO(buffer)`: the buffer's
/// bytes in place, capacity len - 1, 2 ≤ len ≤ 65535. Else ValueError with no message.
pub fn construct(cx: &mut dyn Ctx, args: &[Value], kw: &[(Value, Value)]) -> PyResult<Value> {
    crate::modules::exact_args(args, kw, 1)?;
    let ring = if let Some((cells, start, len)) = buffer::writable(cx.store(), args[0])? {
        Ring::over(cells.share(), start, len)
    } else {
        let size = int_arg(cx, args[0])?;
        usize::try_from(size)
            .ok()
            .filter(|s| (1..MAX_LEN).contains(s))
            .and_then(|s| Ring::new(s + 1))
    };
    let ring = ring.ok_or(PyErr::Bare(TypeId::ValueError))?;
    cx.alloc(Obj::RingIO(Arc::new(ring)))
}

/// The shared ring of a RingIO value (for firmware that hands it to an ISR).
pub fn ring_of(cx: &dyn Ctx, v: Value) -> Option<Arc<Ring>> {
    match cx.store().obj(v) {
        Some(Obj::RingIO(r)) => Some(Arc::clone(r)),
        _ => None,
    }
}

fn this(cx: &dyn Ctx, args: &[Value]) -> PyResult<Arc<Ring>> {
    args.first()
        .and_then(|v| ring_of(cx, *v))
        .ok_or_else(|| PyErr::type_error("descriptor needs a 'RingIO' object".into()))
}

fn arity(args: &[Value], lo: usize, hi: usize) -> PyResult<()> {
    let given = args.len().saturating_sub(1);
    if given < lo || given > hi {
        return Err(PyErr::type_error(format!(
            "function takes {} positional arguments but {} were given",
            hi + 1,
            given + 1
        )));
    }
    Ok(())
}

fn any(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity(args, 0, 0)?;
    let ring = this(cx, args)?;
    Ok(small(ring.any()))
}

/// `read()`/`read(-1)` everything, `read(n)` up to n bytes; `b''` when empty.
fn read(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity(args, 0, 1)?;
    let ring = this(cx, args)?;
    let n = limit(cx, args.get(1).copied(), ring.any())?;
    take(cx, &ring, n, None)
}

/// `readline([n])`: up to and including `\n`, or until empty, or n bytes.
fn readline(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity(args, 0, 1)?;
    let ring = this(cx, args)?;
    let n = limit(cx, args.get(1).copied(), ring.any())?;
    take(cx, &ring, n, Some(b'\n'))
}

/// `readinto(buf[, n])`: up to min(len(buf), n) bytes into a bytearray or writable
/// memoryview; the count.
fn readinto(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity(args, 1, 2)?;
    let ring = this(cx, args)?;
    let n = match args.get(2) {
        Some(v) => Some(int_arg(cx, *v)?),
        None => None,
    };
    let store = cx.store();
    let Some((cells, start, len)) = buffer::writable(store, args[1])? else {
        return Err(no_buffer(store, args[1]));
    };
    let want = n.map_or(len, |n| usize::try_from(n).unwrap_or(0).min(len));
    let mut chunk = [0u8; CHUNK];
    let mut done = 0;
    while done < want {
        let part = chunk.get_mut(..(want - done).min(CHUNK)).unwrap_or(&mut []);
        let got = ring.read(part, None);
        cells.write_at(start + done, part.get(..got).unwrap_or(&[]));
        done += got;
        if got < part.len() {
            break;
        }
    }
    Ok(small(done))
}

/// `write(buf)`, `write(buf, max)`, `write(buf, off, max)`: min(len, free) bytes; the count.
fn write(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity(args, 1, 3)?;
    let ring = this(cx, args)?;
    let (off, max) = match args.len() {
        3 => (0, Some(int_arg(cx, args[2])?)),
        4 => (int_arg(cx, args[2])?, Some(int_arg(cx, args[3])?)),
        _ => (0, None),
    };
    let store = cx.store();
    let data = match store.str_of(args[1]) {
        Some(s) => Buf::Bytes(s.as_bytes()),
        None => buffer::readable(store, args[1])?.ok_or_else(|| no_buffer(store, args[1]))?,
    };
    let off = usize::try_from(off).unwrap_or(0).min(data.len());
    let left = data.len() - off;
    let n = max.map_or(left, |m| usize::try_from(m).unwrap_or(0).min(left));
    if let Buf::Bytes(b) = data {
        return Ok(small(ring.write(b.get(off..off + n).unwrap_or(&[]))));
    }
    // Cells (a bytearray, maybe this ring's own storage): copied out a chunk at a time.
    let mut chunk = [0u8; CHUNK];
    let mut done = 0;
    while done < n {
        let part = chunk.get_mut(..(n - done).min(CHUNK)).unwrap_or(&mut []);
        for (i, slot) in part.iter_mut().enumerate() {
            *slot = data.get(off + done + i).unwrap_or(0);
        }
        let put = ring.write(part);
        done += put;
        if put < part.len() {
            break;
        }
    }
    Ok(small(done))
}

/// TypeError for a value with no (suitable) buffer, MicroPython's text.
fn no_buffer(store: &crate::types::obj::Store, v: Value) -> PyErr {
    PyErr::type_error(format!(
        "object with buffer protocol required, got '{}'",
        store.type_name(v)
    ))
}

fn close(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity(args, 0, 0)?;
    this(cx, args)?;
    Ok(Value::NONE)
}

fn take(cx: &mut dyn Ctx, ring: &Ring, n: usize, stop: Option<u8>) -> PyResult<Value> {
    let mut out = Vec::new();
    cx.room(n)?;
    out.try_reserve_exact(n)
        .map_err(|_| PyErr::Bare(TypeId::MemoryError))?;
    out.resize(n, 0);
    let got = ring.read(&mut out, stop);
    out.truncate(got);
    cx.alloc(Obj::Bytes(Bytes::Owned(out)))
}

fn limit(cx: &dyn Ctx, arg: Option<Value>, available: usize) -> PyResult<usize> {
    match arg {
        None => Ok(available),
        Some(v) if v.is_none() => Ok(available),
        Some(v) => {
            let n = int_arg(cx, v)?;
            Ok(usize::try_from(n).map_or(available, |n| n.min(available)))
        }
    }
}

fn int_arg(cx: &dyn Ctx, v: Value) -> PyResult<i64> {
    // MicroPython refuses a big int as a RingIO size or count with a bare ValueError.
    super::int::machine_word(cx.store(), v, PyErr::Bare(TypeId::ValueError))
}

fn small(n: usize) -> Value {
    Value::int(n as i64).unwrap_or(Value::NONE)
}
