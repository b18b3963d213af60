//! The heap (DESIGN.md decision 6). In: objects to store and sizes to charge. Out: `Handle`s,
//! budget accounting in 16-byte blocks, the lock depth, and mark-sweep collection over roots
//! the caller supplies. It knows nothing of Python: objects expose their children via `Trace`.
//!
//! Every object is charged `BLOCK`-rounded `OBJ_HEADER + payload` bytes; growth of an object's
//! storage is charged through `resize` before the storage grows. Freeing happens only in
//! `collect`, so a locked heap (which refuses every allocation) never frees either.
//! `layout` draws the live objects as MicroPython's block table for `mem_info`.

pub mod layout;

use alloc::vec::Vec;

use crate::value::{Handle, Value};

/// Bytes per allocation block, as MicroPython's mem_info counts them.
pub const BLOCK: usize = 16;
/// Bytes charged for every object besides its payload (type, header, slab slot).
pub const OBJ_HEADER: usize = 16;

/// An object the heap can trace: it reports every value it holds.
pub trait Trace {
    /// Calls `visit` with every value this object refers to.
    fn trace(&self, visit: &mut dyn FnMut(Value));
}

/// Why an allocation or growth failed.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum HeapError {
    /// The lock depth is above zero.
    Locked,
    /// The budget cannot hold this many more bytes.
    Exhausted(usize),
}

/// Memory statistics, in bytes.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct HeapStats {
    pub total: usize,
    pub used: usize,
    pub free: usize,
    pub peak: usize,
    pub objects: usize,
    /// Bytes ever charged (allocations and growth), `micropython.mem_total()`.
    pub allocated: usize,
}

struct Slot<T> {
    obj: Option<T>,
    charged: usize,
    marked: bool,
}

/// A slab of objects under a byte budget.
pub struct Heap<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    budget: usize,
    used: usize,
    peak: usize,
    lock_depth: usize,
    since_collect: usize,
    allocated: usize,
}

/// Bytes charged for an object with `payload` bytes of storage.
pub fn charge_for(payload: usize) -> usize {
    OBJ_HEADER
        .saturating_add(payload)
        .div_ceil(BLOCK)
        .saturating_mul(BLOCK)
}

impl<T: Trace> Heap<T> {
    /// An empty heap with a budget of `budget` bytes.
    pub fn new(budget: usize) -> Heap<T> {
        Heap {
            slots: Vec::new(),
            free: Vec::new(),
            budget,
            used: 0,
            peak: 0,
            lock_depth: 0,
            since_collect: 0,
            allocated: 0,
        }
    }

    /// Whether an allocation of `bytes` more would fit now, lock aside.
    pub fn fits(&self, bytes: usize) -> bool {
        self.used.saturating_add(bytes) <= self.budget
    }

    /// Bytes allocated since the last collection.
    pub fn since_collect(&self) -> usize {
        self.since_collect
    }

    /// Stores `obj`, charging `charge_for(payload)` bytes.
    pub fn alloc(&mut self, obj: T, payload: usize) -> Result<Handle, HeapError> {
        let bytes = charge_for(payload);
        self.check(bytes)?;
        let slot = Slot {
            obj: Some(obj),
            charged: bytes,
            marked: false,
        };
        let idx = if let Some(idx) = self.free.pop() {
            match self.slots.get_mut(idx as usize) {
                Some(s) => *s = slot,
                None => return Err(HeapError::Exhausted(bytes)),
            }
            idx
        } else {
            self.slots
                .try_reserve(1)
                .map_err(|_| HeapError::Exhausted(bytes))?;
            self.slots.push(slot);
            (self.slots.len() - 1) as u32
        };
        self.add_used(bytes);
        Ok(Handle(idx))
    }

    /// Re-charges `h` for a payload of `payload` bytes. Growth must call this before the
    /// storage grows, so a refused growth leaves the object as it was.
    pub fn resize(&mut self, h: Handle, payload: usize) -> Result<(), HeapError> {
        let bytes = charge_for(payload);
        let Some(old) = self.slots.get(h.0 as usize).map(|s| s.charged) else {
            return Ok(());
        };
        if bytes > old {
            self.check(bytes - old)?;
            self.add_used(bytes - old);
        } else {
            self.used -= old - bytes;
        }
        if let Some(s) = self.slots.get_mut(h.0 as usize) {
            s.charged = bytes;
        }
        Ok(())
    }

    fn check(&self, bytes: usize) -> Result<(), HeapError> {
        if self.lock_depth > 0 {
            return Err(HeapError::Locked);
        }
        if !self.fits(bytes) {
            return Err(HeapError::Exhausted(bytes));
        }
        Ok(())
    }

    fn add_used(&mut self, bytes: usize) {
        self.used += bytes;
        self.since_collect = self.since_collect.saturating_add(bytes);
        self.allocated = self.allocated.saturating_add(bytes);
        self.peak = self.peak.max(self.used);
    }

    /// The object behind `h`, if it is live.
    #[inline]
    pub fn get(&self, h: Handle) -> Option<&T> {
        self.slots.get(h.0 as usize).and_then(|s| s.obj.as_ref())
    }

    /// The object behind `h`, mutably.
    #[inline]
    pub fn get_mut(&mut self, h: Handle) -> Option<&mut T> {
        self.slots
            .get_mut(h.0 as usize)
            .and_then(|s| s.obj.as_mut())
    }

    /// Adds one to the lock depth.
    pub fn lock(&mut self) {
        self.lock_depth = self.lock_depth.saturating_add(1);
    }

    /// Subtracts one from the lock depth, never below zero; returns the new depth.
    pub fn unlock(&mut self) -> usize {
        self.lock_depth = self.lock_depth.saturating_sub(1);
        self.lock_depth
    }

    /// The lock depth.
    pub fn lock_depth(&self) -> usize {
        self.lock_depth
    }

    /// Current statistics.
    pub fn stats(&self) -> HeapStats {
        HeapStats {
            total: self.budget,
            used: self.used,
            free: self.budget.saturating_sub(self.used),
            peak: self.peak,
            objects: self.slots.len() - self.free.len(),
            allocated: self.allocated,
        }
    }

    /// Every live object with the bytes it is charged, in slot order (the order of the
    /// linear layout `heap::layout` draws).
    pub fn live(&self) -> impl Iterator<Item = (&T, usize)> {
        self.slots
            .iter()
            .filter_map(|s| s.obj.as_ref().map(|o| (o, s.charged)))
    }

    /// Marks everything reachable from `roots` and frees the rest. Does nothing while locked.
    pub fn collect(&mut self, roots: &mut Vec<Handle>) {
        if self.lock_depth > 0 {
            return;
        }
        let mut work = core::mem::take(roots);
        while let Some(h) = work.pop() {
            let Some(slot) = self.slots.get_mut(h.0 as usize) else {
                continue;
            };
            if slot.marked || slot.obj.is_none() {
                continue;
            }
            slot.marked = true;
            if let Some(obj) = &slot.obj {
                obj.trace(&mut |v| {
                    if let Some(child) = v.as_heap() {
                        work.push(child);
                    }
                });
            }
        }
        for (idx, slot) in self.slots.iter_mut().enumerate() {
            if slot.marked {
                slot.marked = false;
            } else if slot.obj.is_some() {
                slot.obj = None;
                self.used -= slot.charged;
                slot.charged = 0;
                self.free.push(idx as u32);
            }
        }
        self.since_collect = 0;
        *roots = work;
    }
}
