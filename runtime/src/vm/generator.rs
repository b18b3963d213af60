//! Generators and coroutines in the VM. In: calls of CODE_GENERATOR / CODE_COROUTINE
//! functions, YIELD_VALUE, RETURN_VALUE and exceptions leaving a generator frame, FOR_ITER
//! over a generator, and `next()`/`send()`/`throw()`/`close()` from native code. Out:
//! generator objects whose suspended frame lives on the heap, frames moved back onto the
//! frame stack to resume them, and values or StopIteration delivered to the consumer.
//!
//! A running generator has a `Running` record naming its frame and its consumer. Python
//! consumers (FOR_ITER, YIELD_FROM) resume it without recursing on the Rust stack; native
//! consumers re-enter the dispatch loop, bounded by `MAX_REENTRY`.

use alloc::format;

use super::dispatch::Step;
use super::{Frame, FrameKind, Machine};
use crate::image::{CODE_COROUTINE, CODE_GENERATOR, Instr};
use crate::types::generator::{GenState, Generator};
use crate::types::obj::{Ctx, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId};
use crate::value::Value;

/// Who takes what a running generator yields or returns.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Consumer {
    /// Native code re-entered the dispatch loop for it.
    Native,
    /// FOR_ITER of the frame below; on return the loop ends by jumping here.
    ForIter(u32),
    /// YIELD_FROM of the generator frame below.
    YieldFrom,
}

/// A generator whose frame is on the frame stack.
#[derive(Copy, Clone, Debug)]
pub struct Running {
    /// Index of its frame.
    pub frame: usize,
    /// The generator object.
    pub generator: Value,
    pub consumer: Consumer,
    /// The exception the consumer was handling when it resumed the generator.
    pub outer_handled: Value,
}

/// How a generator is resumed.
#[derive(Copy, Clone, Debug)]
pub enum Resume {
    /// `send(v)`; `next()` sends None.
    Send(Value),
    /// `throw(exc)`: raised at the instruction it stopped at.
    Throw(Value),
    /// The iterator it delegates to (YIELD_FROM) finished with this value.
    Delegated(Value),
}

/// What one resumption produced.
#[derive(Copy, Clone, Debug)]
pub enum GenStep {
    Yield(Value),
    Return(Value),
}

impl Machine {
    /// Whether `v` is a generator or coroutine object.
    pub fn is_generator(&self, v: Value) -> bool {
        matches!(self.store.obj(v), Some(Obj::Generator(_)))
    }

    /// Whether `v` is a generator (not a coroutine): generators are their own iterators.
    pub(super) fn is_plain_generator(&self, v: Value) -> bool {
        matches!(self.store.obj(v), Some(Obj::Generator(g)) if !g.coroutine)
    }

    /// Whether the top frame is a running generator's.
    #[inline]
    pub(super) fn in_generator(&self) -> bool {
        self.running
            .last()
            .is_some_and(|r| r.frame + 1 == self.frames.len())
    }

    /// Called right after `enter` bound a call's arguments into a new frame: a generator or
    /// coroutine function does not run; its frame moves into a new generator object.
    pub(super) fn entered(&mut self) -> PyResult<Step> {
        let Some(frame) = self.frames.last().copied() else {
            return Ok(Step::Frame);
        };
        let Some(code) = self
            .modules
            .get(usize::from(frame.module))
            .and_then(|m| m.loaded.code.get(frame.code as usize))
        else {
            return Ok(Step::Frame);
        };
        let flags = code.flags;
        if flags & (CODE_GENERATOR | CODE_COROUTINE) == 0 {
            return Ok(Step::Frame);
        }
        let (name, stack_size) = (code.name, usize::from(code.stack_size));
        let name = self.name_value(usize::from(frame.module), name);
        self.frames.pop();
        // Locals and deref slots; the operand stack is still empty.
        let locals = self.stack.get(frame.base..).unwrap_or(&[]);
        let n_locals = frame.sp0.saturating_sub(frame.base);
        let mut saved = vec_with(n_locals + stack_size + 1)?;
        saved.extend_from_slice(locals);
        let genv = self.alloc(Obj::Generator(Generator {
            module: frame.module,
            code: frame.code,
            globals: frame.globals,
            name,
            coroutine: flags & CODE_COROUTINE != 0,
            state: GenState::Created,
            pc: 0,
            next: 0,
            n_locals: n_locals as u32,
            saved,
            handled: Value::NONE,
        }))?;
        self.stack.truncate(frame.ret);
        self.push(genv);
        Ok(Step::Next)
    }

    /// Moves a generator's frame onto the frame stack. Raises when it cannot run (running,
    /// finished, or sent a value before it started); `Throw` is left for the caller to raise.
    pub(super) fn push_generator(
        &mut self,
        genv: Value,
        consumer: Consumer,
        how: Resume,
    ) -> PyResult<()> {
        let depth_ok = self.frames.len() < self.config.max_frames;
        let Some(Obj::Generator(g)) = self.store.obj_mut(genv) else {
            return Err(PyErr::new(TypeId::TypeError, "not a generator"));
        };
        let kind = g.kind_name();
        match (g.state, how) {
            (GenState::Running, _) => {
                return Err(PyErr::fmt(
                    TypeId::ValueError,
                    format!("{kind} already executing"),
                ));
            }
            (GenState::Done, _) => {
                return Err(PyErr::new(TypeId::RuntimeError, "generator is finished"));
            }
            (GenState::Created, Resume::Send(v)) if !v.is_none() => {
                return Err(PyErr::type_error(format!(
                    "can't send non-None value to a just-started {kind}"
                )));
            }
            _ => {}
        }
        let base = self.stack.len();
        let need = base + g.saved.capacity() + 1;
        if !depth_ok || need > self.stack.capacity() {
            return Err(self.recursion_error());
        }
        let started = g.state != GenState::Created;
        g.state = GenState::Running;
        let (pc, mut next) = (g.pc, g.next);
        let sp0 = base + g.n_locals as usize;
        let frame = Frame {
            module: g.module,
            code: g.code,
            pc,
            next,
            base,
            sp0,
            ret: base,
            globals: g.globals,
            kind: FrameKind::Plain,
        };
        let own_handled = core::mem::replace(&mut g.handled, Value::NONE);
        self.stack.extend_from_slice(&g.saved);
        g.saved.clear();
        match how {
            Resume::Send(v) if started => self.stack.push(v),
            Resume::Delegated(v) => {
                // [.., iter] -> [.., result]; continue after the YIELD_FROM.
                if let Some(top) = self.stack.last_mut() {
                    *top = v;
                }
                next = self.instr_after(frame.module, frame.code, pc);
            }
            _ => {}
        }
        self.frames.push(Frame { next, ..frame });
        self.running.push(Running {
            frame: self.frames.len() - 1,
            generator: genv,
            consumer,
            outer_handled: self.handled,
        });
        if !own_handled.is_none() {
            self.handled = own_handled;
        }
        Ok(())
    }

    fn instr_after(&self, module: u16, code: u32, pc: u32) -> u32 {
        let Some(m) = self.modules.get(usize::from(module)) else {
            return pc;
        };
        let bytes = m.loaded.bytecode(code as usize);
        Instr::decode(bytes, pc as usize).map_or(pc, |(_, n)| n as u32)
    }

    /// YIELD_VALUE: [v] -> suspends the generator, handing v to its consumer.
    pub(super) fn yield_value(&mut self, start: u32, next: u32) -> PyResult<Step> {
        let v = self.pop();
        self.suspend(v, start, next)
    }

    /// Saves the top (generator) frame into its generator, then delivers `v`; a consumer that
    /// is itself delegating (YIELD_FROM) yields `v` in turn, up the chain.
    pub(super) fn suspend(&mut self, v: Value, mut pc: u32, mut next: u32) -> PyResult<Step> {
        loop {
            if !self.in_generator() {
                return Err(PyErr::new(TypeId::RuntimeError, "yield outside generator"));
            }
            let (Some(r), Some(frame)) = (self.running.pop(), self.frames.pop()) else {
                return Err(PyErr::new(TypeId::RuntimeError, "yield outside generator"));
            };
            let handled = self.handled;
            self.handled = r.outer_handled;
            // Off the running list, the generator and the value must stay reachable.
            self.keep(r.generator);
            self.keep(v);
            let values = self.stack.get(frame.base..).unwrap_or(&[]);
            let n = values.len();
            if let Some(h) = r.generator.as_heap() {
                let cap = match self.store.obj(r.generator) {
                    Some(Obj::Generator(g)) => g.saved.capacity(),
                    _ => 0,
                };
                if n > cap {
                    self.grow(h, n * 8)?;
                }
            }
            let values = self.stack.get(frame.base..).unwrap_or(&[]);
            if let Some(Obj::Generator(g)) = self.store.obj_mut(r.generator) {
                g.saved.clear();
                if g.saved.try_reserve_exact(n).is_ok() {
                    g.saved.extend_from_slice(values);
                }
                g.pc = pc;
                g.next = next;
                g.state = GenState::Suspended;
                g.handled = if handled.is(r.outer_handled) {
                    Value::NONE
                } else {
                    handled
                };
            }
            self.stack.truncate(frame.base);
            match r.consumer {
                Consumer::Native => return Ok(Step::Done(v)),
                Consumer::ForIter(_) => {
                    self.push(v);
                    return Ok(Step::Frame);
                }
                Consumer::YieldFrom => {
                    // The delegating frame re-executes its YIELD_FROM when resumed.
                    self.pop();
                    let outer = self.frames.last().map_or(0, |f| f.pc);
                    (pc, next) = (outer, outer);
                }
            }
        }
    }

    /// RETURN_VALUE in a generator frame: the generator is finished; its value goes to the
    /// consumer (StopIteration(value) for native consumers, the end of a for loop, the
    /// result of `yield from`).
    pub(super) fn generator_return(&mut self) -> PyResult<Step> {
        let v = self.pop();
        let (Some(r), Some(frame)) = (self.running.pop(), self.frames.pop()) else {
            return Err(PyErr::new(TypeId::RuntimeError, "bad generator frame"));
        };
        self.finish(r);
        self.stack.truncate(frame.base);
        match r.consumer {
            Consumer::Native => Ok(Step::Done(v)),
            Consumer::ForIter(target) => {
                self.pop();
                self.pop();
                if let Some(f) = self.frames.last_mut() {
                    f.next = target;
                }
                Ok(Step::Frame)
            }
            Consumer::YieldFrom => {
                self.pop();
                self.pop();
                self.push(v);
                Ok(Step::Frame)
            }
        }
    }

    fn finish(&mut self, r: Running) {
        self.handled = r.outer_handled;
        if let Some(Obj::Generator(g)) = self.store.obj_mut(r.generator) {
            g.state = GenState::Done;
            g.saved.clear();
            g.handled = Value::NONE;
        }
    }

    /// Called by `unwind` after it popped a frame: when that was a generator's, the generator
    /// is finished, and a StopIteration leaving it becomes RuntimeError (PEP 479).
    pub(super) fn generator_unwound(&mut self, exc: Value) -> Value {
        let Some(r) = self.running.last().copied() else {
            return exc;
        };
        if r.frame != self.frames.len() {
            return exc;
        }
        self.running.pop();
        self.finish(r);
        let stop_iteration = matches!(self.store.obj(exc),
            Some(Obj::Exception(e)) if e.ty.is_subclass(TypeId::StopIteration));
        if !stop_iteration {
            return exc;
        }
        self.keep(exc);
        let kind = match self.store.obj(r.generator) {
            Some(Obj::Generator(g)) => g.kind_name(),
            _ => "generator",
        };
        let err = PyErr::fmt(TypeId::RuntimeError, format!("{kind} raised StopIteration"));
        let new = self.materialise(err);
        if let Some(Obj::Exception(e)) = self.store.obj_mut(new) {
            e.cause = exc;
            e.context = exc;
            e.suppress_context = true;
        }
        new
    }

    /// FOR_ITER over a generator: resumes it with this frame as consumer (no Rust recursion).
    pub(super) fn for_iter_generator(
        &mut self,
        target: u32,
        start: u32,
        next: u32,
    ) -> PyResult<Step> {
        let genv = self.peek(1);
        if matches!(self.store.obj(genv), Some(Obj::Generator(g)) if g.state == GenState::Done) {
            self.pop();
            self.pop();
            return Ok(Step::Jump(target));
        }
        self.set_frame_pc(start, next);
        self.push_generator(genv, Consumer::ForIter(target), Resume::Send(Value::NONE))?;
        Ok(Step::Frame)
    }

    pub(super) fn set_frame_pc(&mut self, start: u32, next: u32) {
        if let Some(f) = self.frames.last_mut() {
            f.pc = start;
            f.next = next;
        }
    }
}
