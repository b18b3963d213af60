//! Raising and unwinding. In: a `PyErr` or an exception value raised at some instruction.
//! Out: an exception instance (preallocated when the heap cannot hold a new one), traceback
//! entries, and control moved to the handler the code's exception table names, frame by
//! frame, or the exception handed back as uncaught.

use alloc::string::String;
use alloc::vec;
use core::fmt::Write;

use super::Machine;
use crate::heap::HeapError;
use crate::types::exception::Exception;
use crate::types::obj::{Ctx, new_str, new_tuple};
use crate::types::{Obj, PyErr, PyResult, TypeId, class};
use crate::value::Value;

impl Machine {
    /// Turns an error into an exception instance. Never fails: when the heap refuses, a
    /// preallocated MemoryError stands in.
    pub fn materialise(&mut self, err: PyErr) -> Value {
        match err {
            PyErr::Obj(v) => v,
            PyErr::Memory(e) => self.memory_error(e),
            PyErr::Bare(ty) => self
                .new_exception(ty, self.store.empty_tuple)
                .unwrap_or_else(|_| self.emergency_exception(ty, &[])),
            PyErr::Msg(ty, msg) => {
                let mut s = String::new();
                let built = match s.try_reserve_exact(msg.len()) {
                    Ok(()) => {
                        s.push_str(&msg);
                        new_str(self, s)
                            .and_then(|s| new_tuple(self, vec![s]))
                            .and_then(|args| self.new_exception(ty, args))
                    }
                    Err(_) => Err(PyErr::Memory(HeapError::Exhausted(msg.len()))),
                };
                built.unwrap_or_else(|_| self.emergency_message(ty, &msg))
            }
            PyErr::Arg(ty, v) => {
                self.keep(v);
                new_tuple(self, vec![v])
                    .and_then(|args| self.new_exception(ty, args))
                    .unwrap_or_else(|_| self.emergency_exception(ty, &[v]))
            }
        }
    }

    /// The emergency exception, made an instance of `ty` with `args` (or `()` when they do
    /// not fit). Used when the heap cannot hold a new exception.
    pub fn emergency_exception(&mut self, ty: TypeId, args: &[Value]) -> Value {
        let (exc, tuple) = (self.prealloc.emergency, self.prealloc.emergency_args);
        if let Some(Obj::Tuple(items)) = self.store.obj_mut(tuple) {
            items.clear();
            if items.capacity() >= args.len() {
                items.extend_from_slice(args);
            }
        }
        if let Some(Obj::Exception(x)) = self.store.obj_mut(exc) {
            x.ty = ty;
            x.args = tuple;
            x.traceback.clear();
            x.cause = Value::NONE;
            x.context = Value::NONE;
            // Reused: nothing of the previous failure may show through.
            x.suppress_context = false;
            x.class = Value::NULL;
            x.dict = Value::NULL;
        }
        exc
    }

    /// The emergency exception with one message argument, truncated to fit its buffer.
    fn emergency_message(&mut self, ty: TypeId, msg: &str) -> Value {
        let text = self.prealloc.emergency_msg;
        if let Some(Obj::Str(s)) = self.store.obj_mut(text) {
            s.clear();
            let mut end = msg.len().min(s.capacity());
            while !msg.is_char_boundary(end) {
                end -= 1;
            }
            s.push_str(&msg[..end]);
        }
        self.emergency_exception(ty, &[text])
    }

    /// The preallocated `RuntimeError: maximum recursion depth exceeded`, traceback cleared.
    pub fn recursion_error(&mut self) -> PyErr {
        let exc = self.prealloc.recursion;
        if let Some(Obj::Exception(x)) = self.store.obj_mut(exc) {
            x.traceback.clear();
            x.context = Value::NONE;
            x.cause = Value::NONE;
        }
        PyErr::Obj(exc)
    }

    /// A new exception instance of `ty` with `args` (a tuple).
    pub fn new_exception(&mut self, ty: TypeId, args: Value) -> PyResult<Value> {
        self.alloc(Obj::Exception(Exception::new(ty, args)))
    }

    fn memory_error(&mut self, e: HeapError) -> Value {
        let exc = match e {
            HeapError::Locked => self.prealloc.mem_locked,
            HeapError::Exhausted(n) => {
                if let Some(Obj::Str(s)) = self.store.obj_mut(self.prealloc.mem_msg) {
                    s.clear();
                    let _ = write!(s, "memory allocation failed, allocating {n} bytes");
                }
                self.prealloc.mem_exhausted
            }
        };
        if let Some(Obj::Exception(x)) = self.store.obj_mut(exc) {
            x.traceback.clear();
            x.cause = Value::NONE;
            x.context = Value::NONE;
        }
        exc
    }

    /// The exception `raise v` raises: an instance as is, a class instantiated with no args.
    pub fn exception_from(&mut self, v: Value) -> PyResult<Value> {
        if let Some(ty) = v.as_type_id().and_then(TypeId::from_u16)
            && ty.is_exception()
        {
            let fresh = self.new_exception(ty, self.store.empty_tuple);
            return Ok(fresh.unwrap_or_else(|_| self.emergency_exception(ty, &[])));
        }
        if matches!(self.store.obj(v), Some(Obj::Exception(_))) {
            return Ok(v);
        }
        let root = class::builtin_root(&self.store, v);
        if class::is_class(&self.store, v) && root.is_exception() {
            let mut e = Exception::new(root, self.store.empty_tuple);
            e.class = v;
            return self.alloc(Obj::Exception(e));
        }
        Err(PyErr::new(
            TypeId::TypeError,
            "exceptions must derive from BaseException",
        ))
    }

    /// Records the exception being handled as `exc.__context__` (raising inside `except`).
    pub fn set_context(&mut self, exc: Value) {
        let handled = self.handled;
        if handled.is_none() || handled.is(exc) {
            return;
        }
        if let Some(Obj::Exception(e)) = self.store.obj_mut(exc) {
            e.context = handled;
        }
    }

    /// Sets `exc.__cause__`.
    pub fn set_cause(&mut self, exc: Value, cause: Value) -> PyResult<()> {
        let cause = if cause.is_none() {
            Value::NONE
        } else {
            self.exception_from(cause)?
        };
        if let Some(Obj::Exception(e)) = self.store.obj_mut(exc) {
            e.cause = cause;
            e.suppress_context = true;
        }
        Ok(())
    }

    /// Unwinds with `exc` from the current instruction. Ok: a handler of a frame above
    /// `stop` took it (its pc is set). Err: it left frame `stop`, which is popped.
    pub fn unwind(&mut self, mut exc: Value, mut add_tb: bool, stop: usize) -> Result<(), Value> {
        loop {
            let Some(frame) = self.frames.last().copied() else {
                return Err(exc);
            };
            if add_tb {
                self.add_traceback(exc);
            }
            add_tb = true;
            let handler = self
                .modules
                .get(usize::from(frame.module))
                .and_then(|m| m.loaded.code.get(frame.code as usize))
                .and_then(|c| {
                    c.exc_table
                        .iter()
                        .find(|e| u32::from(e.start) <= frame.pc && frame.pc < u32::from(e.end))
                })
                .copied();
            if let Some(h) = handler {
                self.stack.truncate(frame.sp0 + usize::from(h.depth));
                self.stack.push(exc);
                if let Some(f) = self.frames.last_mut() {
                    f.pc = u32::from(h.handler);
                    f.next = u32::from(h.handler);
                }
                return Ok(());
            }
            self.frames.pop();
            self.stack.truncate(frame.ret);
            exc = self.generator_unwound(exc);
            if self.frames.len() <= stop {
                return Err(exc);
            }
        }
    }

    /// Whether exception `exc` matches `ty`: a class or a tuple of classes.
    pub fn exc_matches(&self, exc: Value, ty: Value) -> PyResult<bool> {
        self.exc_matches_depth(exc, ty, 0)
    }

    fn exc_matches_depth(&self, exc: Value, ty: Value, depth: usize) -> PyResult<bool> {
        // Tuples may nest; a limit keeps a pathological nesting off the Rust stack.
        if depth > 64 {
            return Err(PyErr::new(
                TypeId::RuntimeError,
                "maximum recursion depth exceeded",
            ));
        }
        if class::is_class(&self.store, ty) && class::builtin_root(&self.store, ty).is_exception() {
            let cls = class::class_of(&self.store, exc);
            return Ok(class::is_subclass(&self.store, cls, ty));
        }
        let exc_ty = self.store.type_of(exc);
        if let Some(items) = self.store.seq_of(ty)
            && self.store.type_of(ty) == TypeId::Tuple
        {
            for t in items {
                if self.exc_matches_depth(exc, *t, depth + 1)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        match ty.as_type_id().and_then(TypeId::from_u16) {
            Some(t) if t.is_exception() => Ok(exc_ty.is_subclass(t)),
            _ => Err(PyErr::new(
                TypeId::TypeError,
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    }
}
