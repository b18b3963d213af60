//! Generators where an iterable is consumed. In: natives and opcodes that take any iterable
//! (`list(g)`, `sum(g)`, `str.join(g)`, `a, b = g`, `x in g`, FOR_ITER over `enumerate(g)` or
//! `zip(g, ..)`). Out: the items, produced by resuming the generator from native code (bounded
//! re-entry), so type code that cannot run Python still sees plain lists.

use alloc::vec::Vec;

use super::Machine;
use super::gen_native::stop_iteration;
use super::generator::{GenStep, Resume};
use crate::port::Port;
use crate::types::iterator::Iter;
use crate::types::obj::{new_list, new_tuple, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, iterator, list, object};
use crate::value::Value;

/// `enumerate`/`zip` wrappers looked through to find a generator: deeper nests are left to
/// `iterator::next`, which refuses them without exhausting the Rust stack.
const MAX_WRAPPING: usize = 16;

impl Machine {
    /// The next item of any iterator, generators included (also inside `enumerate`/`zip`):
    /// None when it is exhausted.
    pub fn next_of(&mut self, port: &mut dyn Port, it: Value) -> PyResult<Option<Value>> {
        if self.is_user_object(it) {
            return self.next_of_instance(port, it);
        }
        if !self.is_plain_generator(it) {
            return match self.wrapped_generators(it) {
                Some(Wrapped::Enumerate(inner, count)) => {
                    let Some(v) = self.next_of(port, inner)? else {
                        return Ok(None);
                    };
                    self.keep(v);
                    if let Some(Obj::Iterator(Iter::Enumerate { count, .. })) =
                        self.store.obj_mut(it)
                    {
                        *count += 1;
                    }
                    let n = crate::types::int::from_i64(self, count)?;
                    Ok(Some(new_tuple(self, alloc::vec![n, v])?))
                }
                Some(Wrapped::Zip(inners)) => {
                    // Items wait on the VM stack while later inner generators run.
                    if self.stack.len() + inners.len() > self.stack.capacity() {
                        return Err(self.recursion_error());
                    }
                    let at = self.stack.len();
                    for inner in inners {
                        match self.next_of(port, inner) {
                            Ok(Some(v)) => self.push(v),
                            other => {
                                self.stack.truncate(at);
                                return other.map(|_| None);
                            }
                        }
                    }
                    let mut items = vec_with(self.stack.len() - at)?;
                    items.extend_from_slice(self.stack.get(at..).unwrap_or(&[]));
                    let tuple = new_tuple(self, items);
                    self.stack.truncate(at);
                    Ok(Some(tuple?))
                }
                None => iterator::next(self, it),
            };
        }
        match self.resume(port, it, Resume::Send(Value::NONE)) {
            Ok(GenStep::Yield(v)) => Ok(Some(v)),
            Ok(GenStep::Return(_)) => Ok(None),
            Err(PyErr::Bare(TypeId::StopIteration)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// An `enumerate`/`zip` iterator that advances a generator (which needs the VM).
    fn wrapped_generators(&self, it: Value) -> Option<Wrapped> {
        self.wrapped_at(it, 0)
    }

    fn wrapped_at(&self, it: Value, depth: usize) -> Option<Wrapped> {
        if depth >= MAX_WRAPPING {
            return None;
        }
        match self.store.obj(it)? {
            Obj::Iterator(Iter::Enumerate { inner, count })
                if self.needs_vm_at(*inner, depth + 1) =>
            {
                Some(Wrapped::Enumerate(*inner, *count))
            }
            Obj::Iterator(Iter::Zip(inners))
                if inners.iter().any(|i| self.needs_vm_at(*i, depth + 1)) =>
            {
                Some(Wrapped::Zip(inners.clone()))
            }
            _ => None,
        }
    }

    /// Whether advancing iterator `it` may run Python code (a generator, possibly wrapped).
    pub(super) fn needs_vm(&self, it: Value) -> bool {
        self.needs_vm_at(it, 0)
    }

    fn needs_vm_at(&self, it: Value, depth: usize) -> bool {
        self.is_plain_generator(it) || self.wrapped_at(it, depth).is_some()
    }

    /// FOR_ITER over an `enumerate`/`zip` of generators: [it, NULL] -> [it, NULL, v], or
    /// pops both and jumps when exhausted.
    pub(super) fn for_iter_wrapped(
        &mut self,
        port: &mut dyn Port,
        target: u32,
        start: u32,
        next: u32,
    ) -> PyResult<super::dispatch::Step> {
        self.set_frame_pc(start, next);
        match self.next_of(port, self.peek(1))? {
            Some(v) => {
                self.push(v);
                Ok(super::dispatch::Step::Next)
            }
            None => {
                self.pop();
                self.pop();
                Ok(super::dispatch::Step::Jump(target))
            }
        }
    }

    /// Arguments for a built-in type that consumes an iterable (`list(g)`, `tuple(g)`,
    /// `dict(g)`): a generator first argument is drained into a list first.
    pub fn drain_for_constructor(
        &mut self,
        port: &mut dyn Port,
        ty: TypeId,
        args: &[Value],
    ) -> PyResult<Option<Vec<Value>>> {
        let consumes = matches!(
            ty,
            TypeId::List | TypeId::Tuple | TypeId::Dict | TypeId::Bytes
        ) || matches!(ty.name(), "set" | "frozenset" | "bytearray");
        let Some(first) = args.first().copied() else {
            return Ok(None);
        };
        if !consumes || !self.needs_vm(first) {
            return Ok(None);
        }
        let items = self.collect_iterable(port, first)?;
        let list = crate::types::obj::new_list(self, items)?;
        let mut out = vec_with(args.len())?;
        out.push(list);
        out.extend_from_slice(args.get(1..).unwrap_or(&[]));
        Ok(Some(out))
    }

    /// Methods of built-in types (`str.join`, `list.extend`, `dict.update`, ..) cannot run
    /// Python code: a generator among the `m` arguments at `stack[at..]` is drained into a
    /// list first (they consume their iterable whole anyway).
    pub(super) fn drain_method_args(
        &mut self,
        port: &mut dyn Port,
        f: Value,
        at: usize,
        m: usize,
    ) -> PyResult<()> {
        if f.as_native()
            .is_none_or(|id| id < crate::modules::METHOD_BASE)
        {
            return Ok(());
        }
        for i in at..at + m {
            let v = self.stack.get(i).copied().unwrap_or(Value::NONE);
            if self.needs_vm(v) {
                let items = self.collect_iterable(port, v)?;
                let list = crate::types::obj::new_list(self, items)?;
                if let Some(slot) = self.stack.get_mut(i) {
                    *slot = list;
                }
            }
        }
        Ok(())
    }

    /// `x in gen` / `x not in gen`: [x, gen] -> [bool], consuming the generator up to the
    /// first item equal to x (as CPython does).
    pub(super) fn contains_generated(&mut self, port: &mut dyn Port, negate: bool) -> PyResult<()> {
        let (x, it) = (self.peek(1), self.peek(0));
        let mut found = false;
        while let Some(item) = self.next_of(port, it)? {
            self.keep(item);
            let eq = self.compare(crate::image::CompareOp::Eq, item, x)?;
            if crate::types::object::truthy(&self.store, eq) {
                found = true;
                break;
            }
        }
        self.pop();
        self.pop();
        self.push(Value::bool(found != negate));
        Ok(())
    }

    /// UNPACK_SEQUENCE / UNPACK_EX of a generator: its items as a list first.
    pub(super) fn drain_top(&mut self, port: &mut dyn Port) -> PyResult<()> {
        let v = self.top();
        let items = self.collect_iterable(port, v)?;
        let list = crate::types::obj::new_list(self, items)?;
        self.pop();
        self.push(list);
        Ok(())
    }

    /// `next(it)` for natives: like `next_of`, but a generator's return value travels in
    /// the StopIteration.
    pub fn next_or_stop(&mut self, port: &mut dyn Port, it: Value) -> PyResult<Option<Value>> {
        if !self.is_plain_generator(it) {
            return self.next_of(port, it);
        }
        match self.resume(port, it, Resume::Send(Value::NONE))? {
            GenStep::Yield(v) => Ok(Some(v)),
            GenStep::Return(v) => Err(stop_iteration(v)),
        }
    }

    /// Every item of an iterable, generators included (natives such as `list()`, `sum()`).
    pub fn collect_iterable(&mut self, port: &mut dyn Port, v: Value) -> PyResult<Vec<Value>> {
        if !self.needs_vm(v) {
            return object::collect(self, v);
        }
        // Items taken so far live in a list on the VM stack: the nursery is cleared at every
        // instruction the generator runs, so a Rust vector alone would not keep them.
        if self.stack.len() + 2 > self.stack.capacity() {
            return Err(self.recursion_error());
        }
        let at = self.stack.len();
        self.push(v);
        let items = match new_list(self, Vec::new()) {
            Ok(items) => items,
            Err(e) => {
                self.stack.truncate(at);
                return Err(e);
            }
        };
        self.push(items);
        let filled = self.fill_list(port, v, items);
        let out = self.store.seq_of(items).map(<[Value]>::to_vec);
        self.stack.truncate(at);
        self.keep(items);
        filled?;
        Ok(out.unwrap_or_default())
    }

    fn fill_list(&mut self, port: &mut dyn Port, it: Value, items: Value) -> PyResult<()> {
        while let Some(x) = self.next_of(port, it)? {
            list::push(self, items, x)?;
        }
        Ok(())
    }
}

/// An iterator wrapping generators, with what advancing it needs.
enum Wrapped {
    Enumerate(Value, i64),
    Zip(Vec<Value>),
}
