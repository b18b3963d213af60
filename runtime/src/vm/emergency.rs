//! The emergency exception buffer and traceback accounting (spec §4.5). In: a buffer size
//! (`micropython.alloc_emergency_exception_buf`), exceptions being unwound, and
//! `e.__traceback__ = None`. Out: the preallocated emergency objects resized to the buffer,
//! and traceback entries charged to the heap.
//!
//! Design: MicroPython's buffer is one block of bytes holding, when the heap cannot, the
//! traceback of an exception (2 entries), its args tuple, and its message. Here the buffer is
//! the capacity of three preallocated heap objects, so every byte of it is charged to the
//! budget like any object: the emergency exception's traceback (2 entries of
//! `TB_ENTRY_BYTES` when the buffer has room for them), its args tuple (one slot per 8 bytes
//! left after the traceback and the tuple's header), and its message str (the bytes left after
//! the traceback, a one-item tuple and a str header). The tuple and the message share the rest
//! of MicroPython's buffer; here they are separate objects, so up to about twice `size` is
//! charged. Size ≤ 0 leaves no room: the emergency exception then has args `()` and no
//! traceback.
//!
//! Traceback entries of every other exception are storage of that exception: growing its
//! traceback is charged through the heap like list growth, so a locked or full heap refuses
//! it and the entry is dropped silently (the exception still propagates).

use super::Machine;
use crate::heap::OBJ_HEADER;
use crate::types::exception::TbEntry;
use crate::types::obj::Ctx;
use crate::types::{Obj, PyErr, PyResult, TypeId};
use crate::value::Value;

/// The buffer the VM starts with (MicroPython's unix port reserves 256 bytes statically).
pub const DEFAULT_BUF: usize = 256;
/// Bytes a traceback entry is charged (module, code object, offset).
pub const TB_ENTRY_BYTES: usize = 12;
/// Traceback entries the buffer holds; further entries are dropped.
pub const TB_ENTRIES: usize = 2;
/// Bytes of a tuple's header inside the buffer.
const TUPLE_HEADER: usize = 8;
/// Bytes per argument slot.
const SLOT: usize = 8;

/// How a buffer of some size is shared out: capacities of the three emergency objects.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct BufPlan {
    /// Traceback entries.
    pub tb: usize,
    /// Argument slots.
    pub args: usize,
    /// Message bytes.
    pub msg: usize,
}

/// The plan for a buffer of `size` bytes (≤ 0: nothing).
pub fn plan(size: i64) -> BufPlan {
    let size = usize::try_from(size).unwrap_or(0);
    if size < TB_ENTRIES * TB_ENTRY_BYTES {
        return BufPlan::default();
    }
    let rest = size - TB_ENTRIES * TB_ENTRY_BYTES;
    BufPlan {
        tb: TB_ENTRIES,
        args: rest.saturating_sub(TUPLE_HEADER) / SLOT,
        msg: rest.saturating_sub(TUPLE_HEADER + SLOT + OBJ_HEADER),
    }
}

impl Machine {
    /// `alloc_emergency_exception_buf(size)`: resizes the emergency objects to `plan(size)`,
    /// charging (or releasing) the difference. Refused while the heap is locked.
    pub fn set_emergency_buf(&mut self, size: i64) -> PyResult<()> {
        let p = plan(size);
        let (exc, args, msg) = (
            self.prealloc.emergency,
            self.prealloc.emergency_args,
            self.prealloc.emergency_msg,
        );
        for (v, payload) in [
            (exc, p.tb * TB_ENTRY_BYTES),
            (args, p.args * SLOT),
            (msg, p.msg),
        ] {
            if let Some(h) = v.as_heap() {
                self.grow(h, payload)?;
            }
        }
        // Charged first, so a refusal above leaves every capacity as it was.
        if let Some(Obj::Exception(e)) = self.store.obj_mut(exc) {
            e.traceback.clear();
            resize_vec(&mut e.traceback, p.tb);
        }
        if let Some(Obj::Tuple(items)) = self.store.obj_mut(args) {
            items.clear();
            resize_vec(items, p.args);
        }
        if let Some(Obj::Str(s)) = self.store.obj_mut(msg) {
            s.clear();
            s.shrink_to(p.msg);
            let _ = s.try_reserve_exact(p.msg);
        }
        Ok(())
    }

    /// Appends the current frame's position to `exc`'s traceback. Growth is charged to the
    /// heap; when the heap refuses (locked, full) or the exception is the emergency one with
    /// its buffer's entries used, the entry is dropped.
    pub(super) fn add_traceback(&mut self, exc: Value) {
        let Some(f) = self.frames.last() else {
            return;
        };
        let entry = TbEntry {
            module: f.module,
            code: f.code,
            pc: f.pc,
        };
        let Some(Obj::Exception(e)) = self.store.obj(exc) else {
            return;
        };
        let (len, cap) = (e.traceback.len(), e.traceback.capacity());
        if len == cap {
            if exc.is(self.prealloc.emergency) {
                return;
            }
            // One entry at a time, as MicroPython grows it: an exception raised once holds
            // exactly one entry, which is what a re-raise with the heap locked can record.
            let want = cap + 1;
            let Some(h) = exc.as_heap() else {
                return;
            };
            if self.grow(h, want * TB_ENTRY_BYTES).is_err() {
                return;
            }
            if let Some(Obj::Exception(e)) = self.store.obj_mut(exc)
                && e.traceback.try_reserve_exact(want - len).is_err()
            {
                return;
            }
        }
        if let Some(Obj::Exception(e)) = self.store.obj_mut(exc)
            && e.traceback.len() < e.traceback.capacity()
        {
            e.traceback.push(entry);
        }
    }

    /// `exc.__traceback__ = v` on an exception instance: None clears the traceback (its
    /// storage is kept, so a later raise records entries without allocating). False when
    /// `obj` is not an exception or the name is another one.
    pub(super) fn store_exception_attr(
        &mut self,
        obj: Value,
        name: Value,
        v: Value,
    ) -> PyResult<bool> {
        if self.store.str_of(name) != Some("__traceback__") {
            return Ok(false);
        }
        let Some(Obj::Exception(e)) = self.store.obj_mut(obj) else {
            return Ok(false);
        };
        if !v.is_none() {
            return Err(PyErr::new(
                TypeId::TypeError,
                "__traceback__ must be None (frost has no traceback objects)",
            ));
        }
        e.traceback.clear();
        Ok(true)
    }
}

/// Sets `v`'s capacity to exactly `cap` (its length is 0), as far as the allocator allows.
fn resize_vec<T>(v: &mut alloc::vec::Vec<T>, cap: usize) {
    v.shrink_to(cap);
    if v.capacity() < cap {
        let _ = v.try_reserve_exact(cap);
    }
}
