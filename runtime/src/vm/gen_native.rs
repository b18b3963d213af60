//! Generators driven from native code. In: `next(g)`, `g.send(v)`, `g.throw(exc)`,
//! `g.close()`, `list(g)` and other natives that consume an iterable. Out: values the
//! generator yields, StopIteration when it returns, and `throw`/`close` forwarded to the
//! iterator a generator delegates to with `yield from`.
//!
//! Each resumption re-enters the dispatch loop on the Rust stack (DESIGN.md decision 8 allows
//! bounded native→Python re-entry), so nested native resumptions are limited.

use alloc::vec::Vec;

use super::Machine;
use super::generator::{Consumer, GenStep, Resume};
use crate::image::Opcode;
use crate::modules::NativeFn;
use crate::port::Port;
use crate::types::generator::GenState;
use crate::types::iterator::Iter;
use crate::types::obj::{new_tuple, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, iterator, object};
use crate::value::Value;

/// `enumerate`/`zip` wrappers looked through to find a generator: deeper nests are left to
/// `iterator::next`, which refuses them without exhausting the Rust stack.
const MAX_WRAPPING: usize = 16;

/// Methods of generators and coroutines, reached through `modules::GENERATOR_BASE` ids.
pub const METHODS: &[(&str, NativeFn)] = &[
    ("send", send),
    ("throw", throw),
    ("close", close),
    ("__next__", dunder_next),
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
            return Ok(None);
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
                    let mut items = vec_with(inners.len())?;
                    for inner in inners {
                        let Some(v) = self.next_of(port, inner)? else {
                            return Ok(None);
                        };
                        self.keep(v);
                        items.push(v);
                    }
                    Ok(Some(new_tuple(self, items)?))
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
        let mut out = Vec::new();
        while let Some(x) = self.next_of(port, v)? {
            out.try_reserve(1)
                .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(8)))?;
            out.push(x);
            // Items already taken stay reachable while the generator allocates more.
            self.keep(x);
        }
        Ok(out)
    }

    /// The generator method `name` of `obj`, as a native function value.
    pub(super) fn generator_method(&self, obj: Value, name: &str) -> Option<Value> {
        let Some(Obj::Generator(g)) = self.store.obj(obj) else {
            return None;
        };
        let idx = METHODS.iter().position(|(n, _)| *n == name)?;
        if g.coroutine && name == "__next__" {
            return None;
        }
        Some(Value::native(crate::modules::GENERATOR_BASE + idx as u32))
    }
}

/// An iterator wrapping generators, with what advancing it needs.
enum Wrapped {
    Enumerate(Value, i64),
    Zip(Vec<Value>),
}

/// StopIteration carrying a generator's return value (no args when it is None).
fn stop_iteration(v: Value) -> PyErr {
    if v.is_none() {
        PyErr::Bare(TypeId::StopIteration)
    } else {
        PyErr::Arg(TypeId::StopIteration, v)
    }
}

type Kw<'a> = &'a [(Value, Value)];

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
