//! `micropython.RingIO` as a Python type (spec §4.8). In: `RingIO(size)` and method calls.
//! Out: a heap object sharing a `ringio::Ring` (lock-free SPSC core), with `any`, `read`,
//! `readline`, `write`, `close`; repr and str `<RingIO>`.
//! `RingIO(buffer)` and `readinto` need a writable buffer type (bytearray/memoryview), which
//! the runtime does not have yet: a buffer argument is refused like any non-int.

use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::bytes::Bytes;
use super::obj::{Ctx, Method, Obj};
use super::{PyErr, PyResult, TypeId};
use crate::ringio::{MAX_LEN, Ring};
use crate::value::Value;

/// The methods; each gets the RingIO as `args[0]`.
pub const METHODS: &[(&str, Method)] = &[
    ("any", any),
    ("read", read),
    ("readline", readline),
    ("write", write),
    ("close", close),
];

/// `RingIO(size)`: capacity `size`, 1 ≤ size ≤ 65534 (else ValueError with no message).
pub fn construct(cx: &mut dyn Ctx, args: &[Value], kw: &[(Value, Value)]) -> PyResult<Value> {
    crate::modules::exact_args(args, kw, 1)?;
    let size = int_arg(cx, args[0])?;
    let ring = usize::try_from(size)
        .ok()
        .filter(|s| (1..MAX_LEN).contains(s))
        .and_then(|s| Ring::new(s + 1))
        .ok_or(PyErr::Bare(TypeId::ValueError))?;
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
    let data: &[u8] = if let Some(s) = store.str_of(args[1]) {
        s.as_bytes()
    } else if let Some(Obj::Bytes(b)) = store.obj(args[1]) {
        b
    } else {
        return Err(PyErr::type_error(format!(
            "object with buffer protocol required, got '{}'",
            store.type_name(args[1])
        )));
    };
    let off = usize::try_from(off).unwrap_or(0).min(data.len());
    let part = data.get(off..).unwrap_or(&[]);
    let max = max.map_or(part.len(), |m| usize::try_from(m).unwrap_or(0));
    let part = part.get(..max.min(part.len())).unwrap_or(&[]);
    Ok(small(ring.write(part)))
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
