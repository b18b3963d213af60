//! Protocols of instances of Python classes. In: an instance where the VM or a builtin needs
//! iteration, length, str or repr. Out: the result of the class's `__iter__`, `__next__`,
//! `__len__`, `__str__`, `__repr__`, called back through `call_value` (bounded re-entry).

use alloc::format;

use super::Machine;
use crate::port::Port;
use alloc::vec::Vec;

use crate::types::obj::new_list;
use crate::types::{Obj, PyErr, PyResult, TypeId, class, int, list};
use crate::value::Value;

impl Machine {
    /// Whether `v` is an object of a class defined in Python (an instance, or an exception of
    /// a user class), whose protocols may run Python code.
    #[inline]
    pub fn is_user_object(&self, v: Value) -> bool {
        match self.store.obj(v) {
            Some(Obj::Instance(_)) => true,
            Some(Obj::Exception(e)) => !e.class.is_null(),
            _ => false,
        }
    }

    /// The truth of an instance: `__bool__`, else `__len__() != 0`, else true.
    pub fn truth_of_instance(&mut self, port: &mut dyn Port, obj: Value) -> PyResult<bool> {
        if let Some(r) = self.call_special(port, obj, "__bool__", &[])? {
            return match r.as_bool() {
                Some(b) => Ok(b),
                None => Err(PyErr::type_error(format!(
                    "__bool__ should return bool, returned {}",
                    self.store.type_name(r)
                ))),
            };
        }
        if self.lookup_special(obj, "__len__")?.is_some() {
            let n = self.len_of_instance(port, obj)?;
            return Ok(n.as_int() != Some(0));
        }
        Ok(true)
    }

    /// POP_JUMP_IF_* / JUMP_IF_*_OR_POP on an instance: whether to jump (popping as the
    /// opcode's doc says).
    pub(super) fn branch_on_instance(
        &mut self,
        port: &mut dyn Port,
        jump_if: bool,
        keep_on_jump: bool,
    ) -> PyResult<bool> {
        let t = self.truth_of_instance(port, self.top())?;
        let jump = t == jump_if;
        if !(jump && keep_on_jump) {
            self.pop();
        }
        Ok(jump)
    }

    /// `callable(obj)` on an instance calls through `__call__`: replaces the instance at
    /// `stack[fpos]` by that function and inserts the instance as its first argument.
    pub(super) fn call_through_dunder(&mut self, fpos: usize) -> PyResult<()> {
        let obj = self.stack.get(fpos).copied().unwrap_or(Value::NONE);
        let Some(f) = self.lookup_special(obj, "__call__")? else {
            return Err(PyErr::type_error(format!(
                "'{}' object is not callable",
                class::type_name_of(&self.store, obj)
            )));
        };
        if self.stack.len() >= self.stack.capacity() {
            return Err(self.recursion_error());
        }
        self.stack.insert(fpos + 1, obj);
        if let Some(slot) = self.stack.get_mut(fpos) {
            *slot = f;
        }
        Ok(())
    }

    /// GET_ITER on an instance: [obj] -> [obj.__iter__(), NULL].
    pub(super) fn get_iter_instance(&mut self, port: &mut dyn Port) -> PyResult<()> {
        let obj = self.top();
        let it = self.iter_of_instance(port, obj)?;
        self.pop();
        self.push(it);
        if self.is_user_object(it) || self.is_plain_generator(it) {
            self.push(Value::NULL);
            return Ok(());
        }
        // A built-in iterable or iterator from `__iter__` iterates as GET_ITER would.
        self.get_iter()
    }

    /// `iter(obj)` for an instance: what `__iter__` returns.
    pub fn iter_of_instance(&mut self, port: &mut dyn Port, obj: Value) -> PyResult<Value> {
        match self.call_special(port, obj, "__iter__", &[])? {
            Some(it) => Ok(it),
            None => Err(PyErr::type_error(format!(
                "'{}' object is not iterable",
                class::type_name_of(&self.store, obj)
            ))),
        }
    }

    /// FOR_ITER over an instance iterator: true with the next item pushed, or false with the
    /// iterator's two slots popped (StopIteration ends the loop).
    pub(super) fn for_iter_instance(&mut self, port: &mut dyn Port) -> PyResult<bool> {
        let it = self.peek(1);
        match self.next_of_instance(port, it)? {
            Some(v) => {
                self.push(v);
                Ok(true)
            }
            None => {
                self.pop();
                self.pop();
                Ok(false)
            }
        }
    }

    /// `next(it)` for an instance: Some(item), or None when `__next__` raised StopIteration.
    pub fn next_of_instance(&mut self, port: &mut dyn Port, it: Value) -> PyResult<Option<Value>> {
        if !self.is_user_object(it) {
            // `__iter__` may hand back a built-in iterator or a generator.
            return self.next_of(port, it);
        }
        match self.call_special(port, it, "__next__", &[]) {
            Ok(Some(v)) => Ok(Some(v)),
            Ok(None) => Err(PyErr::type_error(format!(
                "'{}' object is not an iterator",
                class::type_name_of(&self.store, it)
            ))),
            Err(e) if self.is_stop_iteration(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `len(obj)` for an instance: `__len__`'s result, which must be a non-negative int.
    pub fn len_of_instance(&mut self, port: &mut dyn Port, obj: Value) -> PyResult<Value> {
        let Some(n) = self.call_special(port, obj, "__len__", &[])? else {
            return Err(PyErr::type_error(format!(
                "object of type '{}' has no len()",
                class::type_name_of(&self.store, obj)
            )));
        };
        match n.as_int() {
            Some(i) if i >= 0 => int::from_i64(self, i),
            Some(_) => Err(PyErr::new(
                TypeId::ValueError,
                "__len__() should return >= 0",
            )),
            None => Err(PyErr::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                self.store.type_name(n)
            ))),
        }
    }

    /// Whether calling `f` with one iterable consumes it whole (the constructors and reducers
    /// whose argument an instance's `__iter__` may supply; see `collect_instance`).
    pub(super) fn consumes_iterable(&self, f: Value) -> bool {
        if let Some(t) = f.as_type_id().and_then(TypeId::from_u16) {
            return matches!(t, TypeId::List | TypeId::Tuple | TypeId::Set | TypeId::Dict);
        }
        f.as_native().is_some_and(|id| {
            matches!(
                crate::modules::native_name(id),
                "sorted" | "sum" | "min" | "max" | "any" | "all"
            )
        })
    }

    /// The items an instance's iterator yields, as a list (kept on the value stack while
    /// `__next__` runs, so collections see it).
    pub(super) fn collect_instance(&mut self, port: &mut dyn Port, obj: Value) -> PyResult<Value> {
        let it = self.iter_of_instance(port, obj)?;
        if self.stack.len() + 2 > self.stack.capacity() {
            return Err(self.recursion_error());
        }
        let at = self.stack.len();
        self.push(it);
        let items = new_list(self, Vec::new())?;
        self.push(items);
        let r = self.fill_from(port, it, items);
        self.stack.truncate(at);
        self.keep(items);
        r.map(|()| items)
    }

    /// Replaces the instance on top of the stack by the list of its items, so unpacking and
    /// `*` displays consume it as they consume a built-in iterable.
    pub(super) fn collect_top(&mut self, port: &mut dyn Port) -> PyResult<()> {
        let items = self.collect_instance(port, self.top())?;
        self.pop();
        self.push(items);
        Ok(())
    }

    fn fill_from(&mut self, port: &mut dyn Port, it: Value, items: Value) -> PyResult<()> {
        while let Some(v) = self.next_of(port, it)? {
            list::push(self, items, v)?;
        }
        Ok(())
    }

    /// Whether `e` is a StopIteration (or a subclass).
    fn is_stop_iteration(&self, e: &PyErr) -> bool {
        let ty = match e {
            PyErr::Bare(t) | PyErr::Msg(t, _) | PyErr::Arg(t, _) => *t,
            PyErr::Obj(v) => match self.store.obj(*v) {
                Some(Obj::Exception(x)) => x.ty,
                _ => return false,
            },
            PyErr::Memory(_) => return false,
        };
        ty.is_subclass(TypeId::StopIteration)
    }
}
