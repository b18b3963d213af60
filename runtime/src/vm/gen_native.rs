//! Generators driven from native code. In: `next(g)`, `g.send(v)`, `g.throw(exc)`,
//! `g.close()` (the iteration side, `list(g)` and friends, is `gen_iter`). Out: values the
//! generator yields, StopIteration when it returns, and `throw`/`close` forwarded to the
//! iterator a generator delegates to with `yield from`.
//!
//! Each resumption re-enters the dispatch loop on the Rust stack (DESIGN.md decision 8 allows
//! bounded native→Python re-entry), so nested native resumptions are limited.

use super::Machine;
use super::generator::{Consumer, GenStep, Resume};
use crate::image::Opcode;
use crate::modules::Kw;
use crate::modules::NativeFn;
use crate::port::Port;
use crate::types::generator::GenState;
use crate::types::{Obj, PyErr, PyResult, TypeId};
use crate::value::Value;

/// Methods of generators and coroutines, reached through `modules::GENERATOR_BASE` ids.
pub const METHODS: &[(&str, NativeFn)] = &[
    ("send", send),
    ("throw", throw),
    ("close", close),
    ("__next__", dunder_next),
    ("__iter__", dunder_iter),
];

impl Machine {
    /// Resumes `genv` from native code, re-entering the dispatch loop until it yields,
    /// returns or raises.
    pub fn resume(&mut self, port: &mut dyn Port, genv: Value, how: Resume) -> PyResult<GenStep> {
        if self.reentry >= super::MAX_REENTRY {
            return Err(self.recursion_error());
        }
        if let Some(step) = self.resume_finished(genv, how)? {
            return Ok(step);
        }
        if let Resume::Throw(exc) = how
            && let Some(step) = self.throw_delegating(port, genv, exc)?
        {
            return Ok(step);
        }
        self.resume_here(port, genv, how)
    }

    /// Resumes `genv` itself (a `throw` is raised in its frame, not in what it delegates to).
    pub(super) fn resume_here(
        &mut self,
        port: &mut dyn Port,
        genv: Value,
        how: Resume,
    ) -> PyResult<GenStep> {
        if self.reentry >= super::MAX_REENTRY {
            return Err(self.recursion_error());
        }
        if let Resume::Throw(exc) = how
            && matches!(self.store.obj(genv), Some(Obj::Generator(g)) if g.state == GenState::Created)
        {
            // Nothing ran yet, so no handler of the body applies: it is finished at once.
            if let Some(Obj::Generator(g)) = self.store.obj_mut(genv) {
                g.state = GenState::Done;
                g.saved.clear();
            }
            return Err(PyErr::Obj(exc));
        }
        let stop = self.frames.len();
        self.push_generator(genv, Consumer::Native, how)?;
        self.reentry += 1;
        let result = self.drive(port, stop, how);
        self.reentry -= 1;
        let v = result?;
        Ok(match self.store.obj(genv) {
            Some(Obj::Generator(g)) if g.state == GenState::Done => GenStep::Return(v),
            _ => GenStep::Yield(v),
        })
    }

    fn drive(&mut self, port: &mut dyn Port, stop: usize, how: Resume) -> PyResult<Value> {
        if let Resume::Throw(exc) = how {
            self.keep(exc);
            self.set_context(exc);
            if let Err(exc) = self.unwind(exc, true, stop) {
                return Err(PyErr::Obj(exc));
            }
        }
        self.run(port, stop)
    }

    /// A finished generator: `send` raises StopIteration (coroutines: RuntimeError), `throw`
    /// raises what was thrown.
    fn resume_finished(&mut self, genv: Value, how: Resume) -> PyResult<Option<GenStep>> {
        let Some(Obj::Generator(g)) = self.store.obj(genv) else {
            return Err(PyErr::new(TypeId::TypeError, "not a generator"));
        };
        if g.state != GenState::Done {
            return Ok(None);
        }
        match how {
            Resume::Throw(exc) => Err(PyErr::Obj(exc)),
            _ if g.coroutine => Err(PyErr::new(
                TypeId::RuntimeError,
                "cannot reuse already awaited coroutine",
            )),
            _ => Err(PyErr::Bare(TypeId::StopIteration)),
        }
    }

    /// The iterator a suspended generator delegates to, when it stopped at a YIELD_FROM.
    fn delegate_of(&self, genv: Value) -> Option<Value> {
        let Some(Obj::Generator(g)) = self.store.obj(genv) else {
            return None;
        };
        if g.state != GenState::Suspended {
            return None;
        }
        let m = self.modules.get(usize::from(g.module))?;
        let bytes = m.loaded.bytecode(g.code as usize);
        let (ins, _) = crate::image::Instr::decode(bytes, g.pc as usize).ok()?;
        if ins.op != Opcode::YIELD_FROM {
            return None;
        }
        g.saved.last().copied()
    }

    /// `throw` into a generator stopped at `yield from`: the exception goes to the inner
    /// generator first (GeneratorExit closes it, then is raised in the outer one).
    fn throw_delegating(
        &mut self,
        port: &mut dyn Port,
        genv: Value,
        exc: Value,
    ) -> PyResult<Option<GenStep>> {
        let Some(inner) = self.delegate_of(genv) else {
            return Ok(None);
        };
        if !self.is_generator(inner) {
            return self.throw_to_object(port, genv, inner, exc);
        }
        if self.exc_is(exc, TypeId::GeneratorExit) {
            if let Err(e) = self.close_generator(port, inner) {
                let e = self.materialise(e);
                return self.resume_here(port, genv, Resume::Throw(e)).map(Some);
            }
            return Ok(None);
        }
        match self.resume(port, inner, Resume::Throw(exc)) {
            Ok(GenStep::Yield(x)) => Ok(Some(GenStep::Yield(x))),
            Ok(GenStep::Return(v)) => self.resume_here(port, genv, Resume::Delegated(v)).map(Some),
            Err(e) => {
                let e = self.materialise(e);
                self.resume_here(port, genv, Resume::Throw(e)).map(Some)
            }
        }
    }

    /// `throw` into a generator delegating to an iterator object: its `close()` for
    /// GeneratorExit, its `throw(exc)` when it has one; otherwise the exception is raised in
    /// the delegating generator.
    fn throw_to_object(
        &mut self,
        port: &mut dyn Port,
        genv: Value,
        inner: Value,
        exc: Value,
    ) -> PyResult<Option<GenStep>> {
        if self.exc_is(exc, TypeId::GeneratorExit) {
            if let Some((f, slf)) = self.special(inner, "close")?
                && let Err(e) = self.call_back(port, f, slf, &[])
            {
                let e = self.materialise(e);
                return self.resume_here(port, genv, Resume::Throw(e)).map(Some);
            }
            return Ok(None);
        }
        let Some((f, slf)) = self.special(inner, "throw")? else {
            return Ok(None);
        };
        match self.call_back(port, f, slf, &[exc]) {
            Ok(x) => Ok(Some(GenStep::Yield(x))),
            Err(e) => {
                let e = self.materialise(e);
                let how = if self.exc_is(e, TypeId::StopIteration) {
                    Resume::Delegated(self.stop_value(e))
                } else {
                    Resume::Throw(e)
                };
                self.resume_here(port, genv, how).map(Some)
            }
        }
    }

    fn exc_is(&self, exc: Value, ty: TypeId) -> bool {
        matches!(self.store.obj(exc), Some(Obj::Exception(e)) if e.ty.is_subclass(ty))
    }

    /// `genv.close()`: GeneratorExit raised at the yield; a generator that yields again is
    /// an error, one that finishes (or lets GeneratorExit/StopIteration out) is closed.
    pub fn close_generator(&mut self, port: &mut dyn Port, genv: Value) -> PyResult<()> {
        let (state, kind) = match self.store.obj(genv) {
            Some(Obj::Generator(g)) => (g.state, g.kind_name()),
            _ => return Err(PyErr::new(TypeId::TypeError, "not a generator")),
        };
        match state {
            GenState::Done => return Ok(()),
            GenState::Created => {
                if let Some(Obj::Generator(g)) = self.store.obj_mut(genv) {
                    g.state = GenState::Done;
                    g.saved.clear();
                }
                return Ok(());
            }
            _ => {}
        }
        let exc = self.new_exception(TypeId::GeneratorExit, self.store.empty_tuple)?;
        match self.resume(port, genv, Resume::Throw(exc)) {
            Ok(GenStep::Yield(_)) => Err(PyErr::fmt(
                TypeId::RuntimeError,
                alloc::format!("{kind} ignored GeneratorExit"),
            )),
            Ok(GenStep::Return(_)) => Ok(()),
            Err(e) => {
                let e = self.materialise(e);
                if self.exc_is(e, TypeId::GeneratorExit) || self.exc_is(e, TypeId::StopIteration) {
                    Ok(())
                } else {
                    Err(PyErr::Obj(e))
                }
            }
        }
    }

    /// The generator method `name` of `obj`, as a native function value.
    pub(super) fn generator_method(&self, obj: Value, name: &str) -> Option<Value> {
        let Some(Obj::Generator(g)) = self.store.obj(obj) else {
            return None;
        };
        let idx = METHODS.iter().position(|(n, _)| *n == name)?;
        if g.coroutine && matches!(name, "__next__" | "__iter__") {
            return None;
        }
        Some(Value::native(crate::modules::GENERATOR_BASE + idx as u32))
    }
}

/// StopIteration carrying a generator's return value (no args when it is None).
pub(super) fn stop_iteration(v: Value) -> PyErr {
    if v.is_none() {
        PyErr::Bare(TypeId::StopIteration)
    } else {
        PyErr::Arg(TypeId::StopIteration, v)
    }
}

fn this(m: &Machine, args: &[Value], name: &str) -> PyResult<Value> {
    match args.first() {
        Some(g) if m.is_generator(*g) => Ok(*g),
        _ => Err(PyErr::type_error(alloc::format!(
            "descriptor '{name}' requires a 'generator' object"
        ))),
    }
}

fn step_result(r: PyResult<GenStep>) -> PyResult<Value> {
    match r? {
        GenStep::Yield(v) => Ok(v),
        GenStep::Return(v) => Err(stop_iteration(v)),
    }
}

fn send(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    super::super::modules::exact_args(args, kw, 2)?;
    let g = this(m, args, "send")?;
    step_result(m.resume(port, g, Resume::Send(args[1])))
}

fn dunder_next(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    super::super::modules::exact_args(args, kw, 1)?;
    let g = this(m, args, "__next__")?;
    step_result(m.resume(port, g, Resume::Send(Value::NONE)))
}

fn dunder_iter(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    super::super::modules::exact_args(args, kw, 1)?;
    this(m, args, "__iter__")
}

/// `throw(exc)`, `throw(type)`, `throw(type, value)`.
fn throw(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    super::super::modules::no_kw(kw)?;
    let g = this(m, args, "throw")?;
    let exc = match args {
        [_, e] => m.exception_from(*e)?,
        [_, t, v] | [_, t, v, _] if !v.is_none() => match t.as_type_id().and_then(TypeId::from_u16)
        {
            Some(ty)
                if ty.is_exception() && !matches!(m.store.obj(*v), Some(Obj::Exception(_))) =>
            {
                let args = crate::types::obj::new_tuple(m, alloc::vec![*v])?;
                m.new_exception(ty, args)?
            }
            _ => m.exception_from(*v)?,
        },
        [_, t, _] | [_, t, _, _] => m.exception_from(*t)?,
        _ => {
            return Err(PyErr::type_error(alloc::format!(
                "throw expected at least 1 argument, got {}",
                args.len().saturating_sub(1)
            )));
        }
    };
    m.keep(exc);
    step_result(m.resume(port, g, Resume::Throw(exc)))
}

fn close(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    super::super::modules::exact_args(args, kw, 1)?;
    let g = this(m, args, "close")?;
    m.close_generator(port, g)?;
    Ok(Value::NONE)
}
