//! Native code calling back into Python (DESIGN.md decision 8): `sorted(key=f)` and friends.
//! In: a callable and positional arguments. Out: its result, computed by a nested run of the
//! dispatch loop that stops when the called frame returns. Nesting is bounded by
//! `MAX_REENTRY` (beyond it: RuntimeError, maximum recursion depth). A native that calls
//! back keeps its working values in heap objects on the VM stack, so collections during the
//! call see them (the nursery is cleared at every instruction boundary of the nested run).

use alloc::vec::Vec;

use super::Machine;
use crate::port::Port;
use crate::types::obj::{new_list, vec_with};
use crate::types::{Obj, PyResult, list};
use crate::value::{Kind, Value};

/// Native→Python calls in progress at once; each holds a few Rust frames of the loop.
pub const MAX_REENTRY: usize = 32;

impl Machine {
    /// Calls `f(*args)` from native code and returns its result.
    pub fn call_value(&mut self, port: &mut dyn Port, f: Value, args: &[Value]) -> PyResult<Value> {
        let mut f = f;
        let mut bound = None;
        if let Some(Obj::BoundMethod(b)) = self.store.obj(f) {
            bound = Some(b.slf);
            f = b.func;
        }
        let positional = args.len() + usize::from(bound.is_some());
        match f.kind() {
            Kind::Heap(_) if matches!(self.store.obj(f), Some(Obj::Function(_))) => {}
            Kind::Heap(_) if matches!(self.store.obj(f), Some(Obj::Class(_))) => {
                return self.call_any(port, f, args);
            }
            _ => {
                let mut all = crate::types::obj::vec_with(positional)?;
                all.extend(bound);
                all.extend_from_slice(args);
                return crate::modules::call(self, port, f, &all, &[]);
            }
        }
        if self.reentry >= MAX_REENTRY || self.stack.len() + positional + 1 > self.stack.capacity()
        {
            return Err(self.recursion_error());
        }
        let fpos = self.stack.len();
        self.stack.push(f);
        self.stack.extend(bound);
        self.stack.extend_from_slice(args);
        if let Err(e) = self.enter_frame(fpos, positional) {
            self.stack.truncate(fpos);
            return Err(e);
        }
        // A generator or coroutine function makes its object instead of running.
        match self.entered() {
            Ok(super::dispatch::Step::Frame) => {}
            other => {
                let v = self.pop();
                self.stack.truncate(fpos);
                return other.map(|_| v);
            }
        }
        let stop = self.frames.len() - 1;
        self.reentry += 1;
        let result = self.run(port, stop);
        self.reentry -= 1;
        self.stack.truncate(fpos);
        result
    }
}

impl Machine {
    /// Computes `key(item)` for each item, then runs `finish(items, keys)`. The working lists
    /// sit on the VM stack throughout (and `finish` runs before they leave it), so objects
    /// only they hold survive collections during the key calls.
    pub fn with_keys<T>(
        &mut self,
        port: &mut dyn Port,
        items: Vec<Value>,
        key: Value,
        finish: impl FnOnce(&mut Machine, &[Value], &[Value]) -> PyResult<T>,
    ) -> PyResult<T> {
        let saved = self.stack.len();
        let result = self.keyed(port, items, key, finish);
        self.stack.truncate(saved);
        result
    }

    fn keyed<T>(
        &mut self,
        port: &mut dyn Port,
        items: Vec<Value>,
        key: Value,
        finish: impl FnOnce(&mut Machine, &[Value], &[Value]) -> PyResult<T>,
    ) -> PyResult<T> {
        if self.stack.len() + 2 > self.stack.capacity() {
            return Err(self.recursion_error());
        }
        let n = items.len();
        let work = new_list(self, items)?;
        self.stack.push(work);
        let keys = new_list(self, vec_with(n)?)?;
        self.stack.push(keys);
        for i in 0..n {
            let item = self.store.seq_of(work).and_then(|s| s.get(i).copied());
            let k = self.call_value(port, key, &[item.unwrap_or(Value::NONE)])?;
            list::push(self, keys, k)?;
        }
        let items: Vec<Value> = self.store.seq_of(work).unwrap_or(&[]).to_vec();
        let keys: Vec<Value> = self.store.seq_of(keys).unwrap_or(&[]).to_vec();
        finish(self, &items, &keys)
    }
}
