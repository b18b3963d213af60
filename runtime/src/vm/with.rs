//! Context managers and calls back into Python. In: BEFORE_WITH ([mgr]) and
//! WITH_EXCEPT_START ([exit, prev, exc]). Out: the bound `__exit__` plus what `__enter__`
//! returned, and `exit(type, exc, None)`'s result; both calls made as ordinary frames, so a
//! Python `__enter__`/`__exit__` does not recurse on the Rust stack. Also special-method
//! lookup and `call_back` (a method call through `call_value`) for the coroutine opcodes.

use alloc::format;

use super::Machine;
use super::dispatch::Step;
use crate::port::Port;
use crate::types::{PyErr, PyResult, TypeId};
use crate::value::Value;

impl Machine {
    /// BEFORE_WITH: [mgr] -> [exit, enter_result].
    pub(super) fn before_with(
        &mut self,
        port: &mut dyn Port,
        start: u32,
        next: u32,
    ) -> PyResult<Step> {
        let mgr = self.top();
        let protocol = |m: &Machine, missed: &str| {
            PyErr::type_error(format!(
                "'{}' object does not support the context manager protocol{missed}",
                crate::types::class::type_name_of(&m.store, mgr)
            ))
        };
        let (enter, slf) = self
            .special(mgr, "__enter__")?
            .ok_or_else(|| protocol(self, ""))?;
        let exit = match self.special(mgr, "__exit__")? {
            Some(_) => {
                let name = self.intern("__exit__");
                self.load_attr(mgr, name)?
            }
            None => return Err(protocol(self, " (missed __exit__ method)")),
        };
        self.pop();
        self.push(exit);
        self.push(enter);
        self.push(slf);
        self.set_frame_pc(start, next);
        self.call(port, 0, None, true)
    }

    /// WITH_EXCEPT_START: [exit, prev, exc] -> [exit, prev, exc, exit(type, exc, None)].
    pub(super) fn with_except_start(
        &mut self,
        port: &mut dyn Port,
        start: u32,
        next: u32,
    ) -> PyResult<Step> {
        let exit = self.peek(2);
        let exc = self.peek(0);
        let ty = self.type_value(exc);
        self.push(exit);
        self.push(ty);
        self.push(exc);
        self.push(Value::NONE);
        self.set_frame_pc(start, next);
        self.call(port, 3, None, false)
    }

    /// `type(v)` as a value.
    pub(super) fn type_value(&self, v: Value) -> Value {
        crate::types::class::class_of(&self.store, v)
    }

    /// The interned str of `name`.
    pub(super) fn intern(&mut self, name: &str) -> Value {
        Value::str(self.store.strs.intern(name))
    }

    /// Looks up special method `name` of `obj` (LOAD_METHOD rules): the callable and its
    /// `self` (or NULL), or None when `obj` has no such attribute.
    pub(super) fn special(&mut self, obj: Value, name: &str) -> PyResult<Option<(Value, Value)>> {
        let name = self.intern(name);
        match self.load_method(obj, name) {
            Ok(pair) => Ok(Some(pair)),
            Err(PyErr::Msg(TypeId::AttributeError, _)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Calls `f(self?, *args)` from native code (`call_value`, bounded re-entry).
    pub(super) fn call_back(
        &mut self,
        port: &mut dyn Port,
        f: Value,
        slf: Value,
        args: &[Value],
    ) -> PyResult<Value> {
        if slf.is_null() {
            return self.call_value(port, f, args);
        }
        let mut all = [Value::NONE; 2];
        let Some(slot) = all.get_mut(..=args.len()) else {
            return Err(PyErr::new(TypeId::TypeError, "too many arguments"));
        };
        slot[0] = slf;
        slot[1..].copy_from_slice(args);
        self.call_value(port, f, slot)
    }
}
