//! Stream polling (MicroPython's stream protocol, `MP_STREAM_POLL`), and the `select.poll`
//! object. In: objects with an event mask. Out: which events each stream is ready for now
//! (`stream_events`) and the registration list of a poll object (`Poll`).
//!
//! The streams are the objects MicroPython polls through their type's ioctl; in frost that is
//! `RingIO`: readable while it holds data, writable while it has space (spec §4.8).

use alloc::vec::Vec;

use super::obj::{Ctx, Obj, Store};
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

/// Data can be read.
pub const POLLIN: u16 = 0x0001;
/// Data can be written.
pub const POLLOUT: u16 = 0x0004;
/// An error condition (always reported, never needs registering).
pub const POLLERR: u16 = 0x0008;
/// The other end hung up (always reported, never needs registering).
pub const POLLHUP: u16 = 0x0010;

/// A `select.poll()` object: the registered streams, in registration order.
#[derive(Debug, Default)]
pub struct Poll {
    /// Each stream and the events it is polled for.
    pub entries: Vec<Entry>,
}

/// One registration.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The stream.
    pub obj: Value,
    /// The events asked for (`POLLIN | POLLOUT` by default); 0 after a one-shot `ipoll` event.
    pub mask: u16,
}

impl Poll {
    /// Bytes of storage owned, as the budget charges them.
    pub fn payload_bytes(&self) -> usize {
        self.entries.capacity() * core::mem::size_of::<Entry>()
    }

    /// The registration of `obj` (by identity).
    pub fn find(&self, obj: Value) -> Option<usize> {
        self.entries.iter().position(|e| e.obj.is(obj))
    }
}

/// The events of `asked` (plus errors and hang-ups) that stream `obj` is ready for now;
/// None when `obj` is not a stream.
pub fn stream_events(store: &Store, obj: Value, asked: u16) -> Option<u16> {
    match store.obj(obj) {
        Some(Obj::RingIO(ring)) => {
            let mut ready = 0;
            if asked & POLLIN != 0 && ring.any() > 0 {
                ready |= POLLIN;
            }
            if asked & POLLOUT != 0 && ring.free() > 0 {
                ready |= POLLOUT;
            }
            Some(ready)
        }
        _ => None,
    }
}

/// OSError unless `obj` is a stream (MicroPython's `mp_get_stream_raise` text).
pub fn require_stream(store: &Store, obj: Value) -> PyResult<()> {
    match stream_events(store, obj, 0) {
        Some(_) => Ok(()),
        None => Err(PyErr::new(
            TypeId::OSError,
            "stream operation not supported",
        )),
    }
}

/// The poll object `v`, mutably.
pub fn poll_mut(cx: &mut dyn Ctx, v: Value) -> PyResult<&mut Poll> {
    match cx.store_mut().obj_mut(v) {
        Some(Obj::Poll(p)) => Ok(p),
        _ => Err(PyErr::type_error("descriptor needs a 'poll' object".into())),
    }
}

/// Registers `obj` for `mask`, or changes its mask when it is registered already; the list
/// grows through the heap's budget.
pub fn register(cx: &mut dyn Ctx, poll: Value, obj: Value, mask: u16) -> PyResult<()> {
    require_stream(cx.store(), obj)?;
    let p = poll_mut(cx, poll)?;
    if let Some(i) = p.find(obj) {
        if let Some(e) = p.entries.get_mut(i) {
            e.mask = mask;
        }
        return Ok(());
    }
    let (len, cap) = (p.entries.len(), p.entries.capacity());
    if len == cap {
        let new_cap = (cap * 2).max(4);
        if let Some(h) = poll.as_heap() {
            cx.grow(h, new_cap * core::mem::size_of::<Entry>())?;
        }
        poll_mut(cx, poll)?
            .entries
            .try_reserve_exact(new_cap - len)
            .map_err(|_| PyErr::Bare(TypeId::MemoryError))?;
    }
    poll_mut(cx, poll)?.entries.push(Entry { obj, mask });
    Ok(())
}
