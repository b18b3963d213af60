//! Bytearray storage shared with a ring, and the `types::buffer` entry points RingIO uses. In:
//! bytearrays and memoryviews built through a minimal `Ctx` over a bare `Store` (no VM), with
//! their cells shared as `RingIO(buffer)` will share them. Out: assertions that resizing
//! shared storage is the Python ValueError (from Rust and through the methods), that
//! same-length writes still land in the shared memory, that growth is charged to the heap,
//! and that a view over a shrunk bytearray raises instead of reading stale bytes.

use frost_runtime::Value;
use frost_runtime::heap::Heap;
use frost_runtime::types::buffer::{self, Buf};
use frost_runtime::types::obj::{Ctx, Obj, Store};
use frost_runtime::types::str::Interner;
use frost_runtime::types::{PyErr, PyResult, TypeId, bytearray, memoryview};
use frost_runtime::value::Handle;

/// A context with a heap and nothing else: allocation charges, collection never happens.
struct Bare(Store);

impl Ctx for Bare {
    fn store(&self) -> &Store {
        &self.0
    }
    fn store_mut(&mut self) -> &mut Store {
        &mut self.0
    }
    fn alloc(&mut self, obj: Obj) -> PyResult<Value> {
        let payload = obj.payload_bytes();
        Ok(Value::heap(self.0.heap.alloc(obj, payload)?))
    }
    fn grow(&mut self, h: Handle, payload: usize) -> PyResult<()> {
        Ok(self.0.heap.resize(h, payload)?)
    }
    fn room(&mut self, _: usize) -> PyResult<()> {
        Ok(())
    }
}

fn bare() -> Bare {
    Bare(Store {
        heap: Heap::new(64 * 1024),
        strs: Interner::default(),
        empty_tuple: Value::NONE,
    })
}

fn message(r: PyResult<impl std::fmt::Debug>) -> (TypeId, String) {
    match r {
        Err(PyErr::Msg(ty, m)) => (ty, m.into_owned()),
        other => panic!("expected an exception with a message, got {other:?}"),
    }
}

fn method(name: &str) -> frost_runtime::types::obj::Method {
    bytearray::METHODS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
        .unwrap()
}

const EXPORTED: &str = "Existing exports of data: object cannot be re-sized";

#[test]
fn resizing_shared_storage_is_a_value_error_and_same_length_writes_are_shared() {
    let mut cx = bare();
    let ba = bytearray::alloc(&mut cx, b"abc").unwrap();
    let ring = bytearray::cells(&cx, ba).unwrap().share();
    assert_eq!(
        message(bytearray::splice(&mut cx, ba, 3, 3, b"d")),
        (TypeId::ValueError, EXPORTED.to_string())
    );
    for (name, args) in [
        ("append", vec![ba, Value::int(1).unwrap()]),
        ("pop", vec![ba]),
        ("clear", vec![ba]),
        (
            "insert",
            vec![ba, Value::int(0).unwrap(), Value::int(1).unwrap()],
        ),
    ] {
        assert_eq!(
            message(method(name)(&mut cx, &args)),
            (TypeId::ValueError, EXPORTED.to_string()),
            "{name}"
        );
    }
    // Same-length changes work in place, and the ring sees them.
    bytearray::splice(&mut cx, ba, 0, 1, b"z").unwrap();
    method("reverse")(&mut cx, &[ba]).unwrap();
    assert_eq!(ring.to_vec().unwrap(), b"cbz");
    let (cells, start, len) = buffer::writable(&cx.0, ba).unwrap().unwrap();
    assert_eq!((start, len), (0, 3));
    assert!(cells.set(1, b'y'));
    assert_eq!(ring.get(1), Some(b'y'));
    // Unshared again, it grows, and the growth is charged before the storage grows.
    drop(ring);
    let more = bytearray::alloc(&mut cx, &[b'!'; 40]).unwrap();
    let before = cx.0.heap.stats().used;
    method("extend")(&mut cx, &[ba, more]).unwrap();
    let after = cx.0.heap.stats().used;
    assert_eq!(bytearray::cells(&cx, ba).unwrap().len(), 43);
    // 3 bytes were charged as 16 + 3 (32); 43 grow the capacity to 43 (16 + 43: 64).
    assert_eq!(after - before, 32, "{before} -> {after}");
}

#[test]
fn readable_sees_every_bytes_like_value_and_only_those() {
    let mut cx = bare();
    let ba = bytearray::alloc(&mut cx, b"hello").unwrap();
    let bytes = cx.alloc(Obj::Bytes(b"bytes".to_vec().into())).unwrap();
    let mv = memoryview::new(&mut cx, &[ba]).unwrap();
    let ro = memoryview::new(&mut cx, &[bytes]).unwrap();
    let text = cx.alloc(Obj::Str("str".into())).unwrap();
    let store = &cx.0;
    let copy = |v: Value| {
        let buf: Buf = buffer::readable(store, v).unwrap().unwrap();
        let mut out = vec![0; buf.len()];
        assert_eq!(buf.copy_to(&mut out), buf.len());
        assert_eq!(buf.iter().collect::<Vec<u8>>(), out);
        out
    };
    assert_eq!(copy(ba), b"hello");
    assert_eq!(copy(bytes), b"bytes");
    assert_eq!(copy(mv), b"hello");
    assert_eq!(copy(ro), b"bytes");
    assert!(buffer::readable(store, text).unwrap().is_none());
    assert!(
        buffer::readable(store, Value::int(3).unwrap())
            .unwrap()
            .is_none()
    );
    assert!(buffer::writable(store, ro).unwrap().is_none());
    assert!(buffer::writable(store, bytes).unwrap().is_none());
    assert_eq!(buffer::writable(store, mv).unwrap().unwrap().2, 5);
}

#[test]
fn a_view_over_a_shrunk_bytearray_raises_instead_of_reading_stale_bytes() {
    let mut cx = bare();
    let ba = bytearray::alloc(&mut cx, b"0123456789").unwrap();
    let mv = memoryview::new(&mut cx, &[ba]).unwrap();
    bytearray::splice(&mut cx, ba, 4, 10, b"").unwrap();
    let resized = (
        TypeId::ValueError,
        "memoryview: underlying buffer was resized".to_string(),
    );
    assert_eq!(message(buffer::readable(&cx.0, mv)), resized);
    assert_eq!(message(buffer::writable(&cx.0, mv)), resized);
    assert_eq!(
        message(memoryview::getitem(&mut cx, mv, Value::int(0).unwrap())),
        resized
    );
    // Grown back to the view's length, the view works again.
    bytearray::splice(&mut cx, ba, 4, 4, b"abcdef").unwrap();
    let buf = buffer::readable(&cx.0, mv).unwrap().unwrap();
    assert_eq!(buf.iter().collect::<Vec<u8>>(), b"0123abcdef");
}
