//! Allocation and collection (DESIGN.md decision 7). In: objects to allocate. Out: handles,
//! after a precise mark-sweep when the budget is hit or enough was allocated since the last
//! one. Roots: the value stack, frames, modules, the exception being handled, preallocated
//! objects and the nursery (everything allocated since the last instruction boundary).

use alloc::vec::Vec;

use super::{COLLECT_DIVISOR, Machine};
use crate::heap::{HeapError, charge_for};
use crate::types::obj::{Ctx, Store};
use crate::types::{Obj, PyErr, PyResult};
use crate::value::{Handle, Value};

impl Machine {
    /// Collects now, with every root of the VM.
    pub fn collect(&mut self) {
        let mut roots: Vec<Handle> = Vec::new();
        let mut add = |v: Value| {
            if let Some(h) = v.as_heap() {
                roots.push(h);
            }
        };
        self.stack.iter().for_each(|v| add(*v));
        self.frames.iter().for_each(|f| add(f.globals));
        for m in &self.modules {
            m.consts.iter().for_each(|v| add(*v));
            add(m.globals);
        }
        self.host.roots().iter().for_each(|v| add(*v));
        add(self.handled);
        for r in &self.running {
            add(r.generator);
            add(r.outer_handled);
        }
        add(self.store.empty_tuple);
        self.prealloc.roots().iter().for_each(|v| add(*v));
        self.builtins.values().for_each(|v| add(*v));
        self.sched.roots(&mut add);
        roots.extend_from_slice(&self.nursery);
        self.store.heap.collect(&mut roots);
    }

    fn make_room(&mut self, bytes: usize) {
        let heap = &self.store.heap;
        if heap.lock_depth() > 0 {
            return;
        }
        if !heap.fits(bytes) || heap.since_collect() > heap.stats().total / COLLECT_DIVISOR {
            self.collect();
        }
    }

    /// Marks a handle as live until the next instruction boundary.
    pub fn keep(&mut self, v: Value) {
        if let Some(h) = v.as_heap() {
            self.nursery.push(h);
        }
    }
}

impl Ctx for Machine {
    fn store(&self) -> &Store {
        &self.store
    }

    fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    fn alloc(&mut self, obj: Obj) -> PyResult<Value> {
        let payload = obj.payload_bytes();
        if self.store.heap.lock_depth() > 0 {
            return Err(PyErr::Memory(HeapError::Locked));
        }
        self.make_room(charge_for(payload));
        let h = self.store.heap.alloc(obj, payload)?;
        self.nursery.push(h);
        Ok(Value::heap(h))
    }

    fn room(&mut self, payload: usize) -> PyResult<()> {
        if self.store.heap.lock_depth() > 0 {
            return Err(PyErr::Memory(HeapError::Locked));
        }
        let bytes = charge_for(payload);
        self.make_room(bytes);
        if self.store.heap.fits(bytes) {
            Ok(())
        } else {
            Err(PyErr::Memory(HeapError::Exhausted(bytes)))
        }
    }

    fn grow(&mut self, h: Handle, payload: usize) -> PyResult<()> {
        if self.store.heap.lock_depth() > 0 {
            return Err(PyErr::Memory(HeapError::Locked));
        }
        self.nursery.push(h);
        self.make_room(charge_for(payload));
        self.store.heap.resize(h, payload)?;
        Ok(())
    }
}
