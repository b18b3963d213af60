//! Delegation and awaiting. In: YIELD_FROM, GET_YIELD_FROM_ITER, GET_AWAITABLE, GET_AITER,
//! GET_ANEXT, END_ASYNC_FOR and BEFORE_ASYNC_WITH. Out: a generator or coroutine resumed with
//! the delegating frame as its consumer (no Rust recursion), or any other iterator advanced
//! by one step; awaitables taken from coroutines or `__await__`; `async for`/`async with`
//! protocol calls with CPython 3.11's TypeErrors.

use alloc::format;

use super::Machine;
use super::dispatch::Step;
use super::generator::{Consumer, Resume};
use crate::image::CODE_COROUTINE;
use crate::port::Port;
use crate::types::generator::GenState;
use crate::types::{Obj, PyErr, PyResult, TypeId, iterator};
use crate::value::Value;

impl Machine {
    /// YIELD_FROM: [iter, v] -> [result], suspending while iter yields.
    pub(super) fn yield_from(
        &mut self,
        port: &mut dyn Port,
        start: u32,
        next: u32,
    ) -> PyResult<Step> {
        let (iter, v) = (self.peek(1), self.peek(0));
        if let Some(Obj::Generator(g)) = self.store.obj(iter) {
            if g.state == GenState::Done {
                if g.coroutine {
                    return Err(PyErr::new(
                        TypeId::RuntimeError,
                        "cannot reuse already awaited coroutine",
                    ));
                }
                self.pop();
                self.pop();
                self.push(Value::NONE);
                return Ok(Step::Next);
            }
            self.set_frame_pc(start, next);
            self.push_generator(iter, Consumer::YieldFrom, Resume::Send(v))?;
            return Ok(Step::Frame);
        }
        self.set_frame_pc(start, next);
        match self.send_to(port, iter, v)? {
            Ok(x) => {
                self.pop();
                self.suspend(x, start, start)
            }
            Err(result) => {
                self.pop();
                self.pop();
                self.push(result);
                Ok(Step::Next)
            }
        }
    }

    /// One step of a non-generator iterator: Ok(yielded) or Err(its StopIteration value).
    fn send_to(
        &mut self,
        port: &mut dyn Port,
        iter: Value,
        v: Value,
    ) -> PyResult<Result<Value, Value>> {
        let step = if v.is_none() {
            if matches!(self.store.obj(iter), Some(Obj::Iterator(_))) {
                return Ok(iterator::next(self, iter)?.ok_or(Value::NONE));
            }
            match self.special(iter, "__next__")? {
                Some((f, slf)) => self.call_back(port, f, slf, &[]),
                None => {
                    return Err(PyErr::type_error(format!(
                        "'{}' object is not an iterator",
                        crate::types::class::type_name_of(&self.store, iter)
                    )));
                }
            }
        } else {
            match self.special(iter, "send")? {
                Some((f, slf)) => self.call_back(port, f, slf, &[v]),
                None => {
                    return Err(PyErr::fmt(
                        TypeId::AttributeError,
                        format!(
                            "'{}' object has no attribute 'send'",
                            crate::types::class::type_name_of(&self.store, iter)
                        ),
                    ));
                }
            }
        };
        match step {
            Ok(x) => Ok(Ok(x)),
            Err(e) => {
                let exc = self.materialise(e);
                match self.store.obj(exc) {
                    Some(Obj::Exception(x)) if x.ty.is_subclass(TypeId::StopIteration) => {
                        Ok(Err(self.stop_value(exc)))
                    }
                    _ => Err(PyErr::Obj(exc)),
                }
            }
        }
    }

    /// The value of a StopIteration instance: its first argument, or None.
    pub(super) fn stop_value(&self, exc: Value) -> Value {
        match self.store.obj(exc) {
            Some(Obj::Exception(e)) => self
                .store
                .seq_of(e.args)
                .and_then(|a| a.first().copied())
                .unwrap_or(Value::NONE),
            _ => Value::NONE,
        }
    }

    /// GET_YIELD_FROM_ITER: [iterable] -> [iter]; generators (and, in coroutines, coroutines)
    /// are kept as they are.
    pub(super) fn get_yield_from_iter(&mut self, port: &mut dyn Port) -> PyResult<()> {
        let v = self.top();
        if let Some(Obj::Generator(g)) = self.store.obj(v) {
            if g.coroutine && !self.frame_is_coroutine() {
                return Err(PyErr::new(
                    TypeId::TypeError,
                    "cannot 'yield from' a coroutine object in a non-coroutine generator",
                ));
            }
            return Ok(());
        }
        if matches!(self.store.obj(v), Some(Obj::Iterator(_))) {
            return Ok(());
        }
        let it = if iterator::by_position(&self.store, v) {
            iterator::iter(self, v)?
        } else {
            match self.special(v, "__iter__")? {
                Some((f, slf)) => self.call_back(port, f, slf, &[])?,
                None => return Err(crate::types::object::not_iterable(&self.store, v)),
            }
        };
        self.pop();
        self.push(it);
        Ok(())
    }

    fn frame_is_coroutine(&self) -> bool {
        self.frames.last().is_some_and(|f| {
            self.modules
                .get(usize::from(f.module))
                .and_then(|m| m.loaded.code.get(f.code as usize))
                .is_some_and(|c| c.flags & CODE_COROUTINE != 0)
        })
    }

    /// GET_AWAITABLE: [obj] -> [iter].
    pub(super) fn get_awaitable(
        &mut self,
        port: &mut dyn Port,
        start: u32,
        next: u32,
    ) -> PyResult<()> {
        self.set_frame_pc(start, next);
        let obj = self.top();
        let it = self.awaitable(port, obj, |m, o| {
            format!(
                "object {} can't be used in 'await' expression",
                crate::types::class::type_name_of(&m.store, o)
            )
        })?;
        self.pop();
        self.push(it);
        Ok(())
    }

    /// The iterator `await obj` drives: a coroutine itself, else what `obj.__await__()`
    /// returns, which must be an iterator.
    fn awaitable(
        &mut self,
        port: &mut dyn Port,
        obj: Value,
        not_awaitable: fn(&Machine, Value) -> alloc::string::String,
    ) -> PyResult<Value> {
        if let Some(Obj::Generator(g)) = self.store.obj(obj) {
            if g.coroutine {
                return Ok(obj);
            }
            return Err(PyErr::type_error(not_awaitable(self, obj)));
        }
        let Some((f, slf)) = self.special(obj, "__await__")? else {
            return Err(PyErr::type_error(not_awaitable(self, obj)));
        };
        let it = self.call_back(port, f, slf, &[])?;
        let kind = match self.store.obj(it) {
            Some(Obj::Generator(g)) => Some(g.coroutine),
            Some(Obj::Iterator(_)) => Some(false),
            _ => None,
        };
        match kind {
            Some(true) => Err(PyErr::new(
                TypeId::TypeError,
                "__await__() returned a coroutine",
            )),
            Some(false) => Ok(it),
            None if self.special(it, "__next__")?.is_some() => Ok(it),
            None => Err(PyErr::type_error(format!(
                "__await__() returned non-iterator of type '{}'",
                crate::types::class::type_name_of(&self.store, it)
            ))),
        }
    }

    /// `obj.name()` for special method `name`, or TypeError `{what}, got {type}` without one.
    fn call_special_or(
        &mut self,
        port: &mut dyn Port,
        obj: Value,
        name: &str,
        what: &str,
    ) -> PyResult<Value> {
        let Some((f, slf)) = self.special(obj, name)? else {
            return Err(PyErr::type_error(format!(
                "{what}, got {}",
                crate::types::class::type_name_of(&self.store, obj)
            )));
        };
        self.call_back(port, f, slf, &[])
    }

    /// GET_AITER: [obj] -> [obj.__aiter__()].
    pub(super) fn get_aiter(&mut self, port: &mut dyn Port, start: u32, next: u32) -> PyResult<()> {
        self.set_frame_pc(start, next);
        let obj = self.top();
        let what = "'async for' requires an object with __aiter__ method";
        let it = self.call_special_or(port, obj, "__aiter__", what)?;
        self.pop();
        self.push(it);
        Ok(())
    }

    /// GET_ANEXT: [aiter] -> [aiter, awaitable of aiter.__anext__()].
    pub(super) fn get_anext(&mut self, port: &mut dyn Port, start: u32, next: u32) -> PyResult<()> {
        self.set_frame_pc(start, next);
        let aiter = self.top();
        let what = "'async for' requires an iterator with __anext__ method";
        let r = self.call_special_or(port, aiter, "__anext__", what)?;
        self.keep(r);
        let it = self.awaitable(port, r, |m, o| {
            format!(
                "'async for' received an invalid object from __anext__: {}",
                crate::types::class::type_name_of(&m.store, o)
            )
        })?;
        self.push(it);
        Ok(())
    }

    /// END_ASYNC_FOR: [aiter, exc] -> [] when exc is StopAsyncIteration, else re-raises it.
    pub(super) fn end_async_for(&mut self) -> PyResult<Step> {
        let exc = self.pop();
        let done = matches!(self.store.obj(exc),
            Some(Obj::Exception(e)) if e.ty.is_subclass(TypeId::StopAsyncIteration));
        if !done {
            return Ok(Step::Reraise(exc));
        }
        self.pop();
        Ok(Step::Next)
    }

    /// BEFORE_ASYNC_WITH: [mgr] -> [aexit, awaitable of mgr.__aenter__()].
    pub(super) fn before_async_with(
        &mut self,
        port: &mut dyn Port,
        start: u32,
        next: u32,
    ) -> PyResult<()> {
        self.set_frame_pc(start, next);
        let mgr = self.top();
        let protocol = |m: &Machine, missed: &str| {
            PyErr::type_error(format!(
                "'{}' object does not support the asynchronous context manager protocol{missed}",
                crate::types::class::type_name_of(&m.store, mgr)
            ))
        };
        let Some((f, slf)) = self.special(mgr, "__aenter__")? else {
            return Err(protocol(self, ""));
        };
        if self.special(mgr, "__aexit__")?.is_none() {
            return Err(protocol(self, " (missed __aexit__ method)"));
        }
        let name = self.intern("__aexit__");
        let aexit = self.load_attr(mgr, name)?;
        // On the stack, aexit survives collections while `__aenter__` runs.
        self.pop();
        self.push(aexit);
        let r = self.call_back(port, f, slf, &[])?;
        self.keep(r);
        let it = self.awaitable(port, r, |m, o| {
            format!(
                "'async with' received an object from __aenter__ that does not implement __await__: {}",
                crate::types::class::type_name_of(&m.store, o)
            )
        })?;
        self.push(it);
        Ok(())
    }
}
