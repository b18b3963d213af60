//! The dispatch loop. In: the frame stack. Out: instructions executed one by one until the
//! frame the loop was entered for returns (its value) or an exception leaves it.
//! At every instruction boundary the nursery is cleared; at every jump and branch the one
//! `pending` flag is tested (DESIGN.md decision 10).

use alloc::rc::Rc;

use super::display::AddOp;
use super::{FrameKind, Machine};
use crate::image::{BinaryOp, CompareOp, Flow, Instr, Loaded, Opcode, UnaryOp};
use crate::port::Port;
use crate::types::{PyErr, PyResult, TypeId, dict_methods, object};
use crate::value::Value;

/// Opcodes no fixture program exercises yet, which `vm_coverage` therefore skips (each leaves
/// this list with the fixtures that run it).
pub const DEFERRED: &[Opcode] = {
    use Opcode::*;
    &[COPY, SWAP]
};

/// What the loop does after an instruction.
pub(super) enum Step {
    /// Continue at the next instruction.
    Next,
    /// Continue at this offset.
    Jump(u32),
    /// The frame stack changed (call or return): reload the current frame.
    Frame,
    /// The entry frame returned this value.
    Done(Value),
    /// Unwind with this exception without a new traceback entry (re-raise).
    Reraise(Value),
}

impl Machine {
    /// Runs until frame index `stop` returns; gives its value, or the exception that left it.
    pub fn run(&mut self, port: &mut dyn Port, stop: usize) -> PyResult<Value> {
        loop {
            let (exc, add_tb) = match self.run_frames(port, stop) {
                Ok(v) => return Ok(v),
                Err(Unwind::Error(e)) => {
                    // An existing exception object is propagating (out of a generator or a
                    // re-entered call, or RAISE, which set its context already).
                    let propagated = matches!(e, PyErr::Obj(_));
                    let exc = self.materialise(e);
                    if !propagated {
                        self.set_context(exc);
                    }
                    (exc, true)
                }
                Err(Unwind::Reraise(exc)) => (exc, false),
            };
            if let Err(exc) = self.unwind(exc, add_tb, stop) {
                return Err(PyErr::Obj(exc));
            }
        }
    }

    fn run_frames(&mut self, port: &mut dyn Port, stop: usize) -> Result<Value, Unwind> {
        loop {
            let Some(frame) = self.frames.last().copied() else {
                return Ok(Value::NONE);
            };
            let Some(loaded) = self
                .modules
                .get(usize::from(frame.module))
                .map(|m| Rc::clone(&m.loaded))
            else {
                return Err(Unwind::Error(PyErr::new(TypeId::RuntimeError, "bad frame")));
            };
            let code = loaded.bytecode(frame.code as usize);
            let mut pc = frame.next as usize;
            loop {
                if !self.nursery.is_empty() {
                    self.nursery.clear();
                }
                let start = pc;
                let Ok((ins, next)) = Instr::decode(code, pc) else {
                    self.set_pc(start, start);
                    return Err(Unwind::Error(PyErr::new(
                        TypeId::RuntimeError,
                        "invalid bytecode",
                    )));
                };
                pc = next;
                match self.exec(port, &loaded, ins, start as u32, next as u32, stop) {
                    Ok(Step::Next) => {}
                    Ok(Step::Jump(t)) => pc = t as usize,
                    Ok(Step::Frame) => break,
                    Ok(Step::Done(v)) => return Ok(v),
                    Ok(Step::Reraise(exc)) => {
                        self.set_pc(start, next);
                        return Err(Unwind::Reraise(exc));
                    }
                    Err(e) => {
                        self.set_pc(start, next);
                        return Err(Unwind::Error(e));
                    }
                }
                if matches!(ins.op.flow(), Flow::Jump | Flow::Branch) && self.sched.is_pending() {
                    self.set_pc(start, pc);
                    if let Err(e) = self.check_point(port) {
                        return Err(Unwind::Error(e));
                    }
                }
            }
        }
    }

    pub(super) fn set_pc(&mut self, start: usize, next: usize) {
        if let Some(f) = self.frames.last_mut() {
            f.pc = start as u32;
            f.next = next as u32;
        }
    }

    #[inline]
    pub(super) fn pop(&mut self) -> Value {
        self.stack.pop().unwrap_or(Value::NONE)
    }

    #[inline]
    pub(super) fn top(&self) -> Value {
        self.stack.last().copied().unwrap_or(Value::NONE)
    }

    /// Value `n` below the top (0 is the top).
    #[inline]
    pub(super) fn peek(&self, n: usize) -> Value {
        let len = self.stack.len();
        len.checked_sub(n + 1)
            .and_then(|i| self.stack.get(i))
            .copied()
            .unwrap_or(Value::NONE)
    }

    #[inline]
    pub(super) fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    fn exec(
        &mut self,
        port: &mut dyn Port,
        loaded: &Loaded,
        ins: Instr,
        start: u32,
        next: u32,
        stop: usize,
    ) -> PyResult<Step> {
        use Opcode::*;
        let a = ins.a();
        let frame = self
            .frames
            .last()
            .copied()
            .ok_or(PyErr::Bare(TypeId::RuntimeError))?;
        let module = usize::from(frame.module);
        match ins.op {
            UNPACK_SEQUENCE | UNPACK_EX | LIST_EXTEND | SET_UPDATE
                if self.is_user_object(self.top()) =>
            {
                self.collect_top(port)?;
                return self.exec(port, loaded, ins, start, next, stop);
            }
            YIELD_VALUE => return self.yield_value(start, next),
            YIELD_FROM => return self.yield_from(port, start, next),
            GET_YIELD_FROM_ITER => self.get_yield_from_iter(port)?,
            GET_AWAITABLE => self.get_awaitable(port, start, next)?,
            GET_AITER => self.get_aiter(port, start, next)?,
            GET_ANEXT => self.get_anext(port, start, next)?,
            END_ASYNC_FOR => return self.end_async_for(),
            BEFORE_WITH => return self.before_with(port, start, next),
            BEFORE_ASYNC_WITH => self.before_async_with(port, start, next)?,
            WITH_EXCEPT_START => return self.with_except_start(port, start, next),
            GET_ITER if self.is_plain_generator(self.top()) => self.push(Value::NULL),
            FOR_ITER if self.peek(0).is_null() && self.is_generator(self.peek(1)) => {
                return self.for_iter_generator(a, start, next);
            }
            FOR_ITER if self.peek(0).is_null() && self.needs_vm(self.peek(1)) => {
                return self.for_iter_wrapped(port, a, start, next);
            }
            RETURN_VALUE if self.in_generator() => return self.generator_return(),
            COMPARE_OP
                if (a == CompareOp::In as u32 || a == CompareOp::NotIn as u32)
                    && self.needs_vm(self.peek(0)) =>
            {
                self.contains_generated(port, a == CompareOp::NotIn as u32)?;
            }
            UNPACK_SEQUENCE | UNPACK_EX | LIST_EXTEND | SET_UPDATE if self.needs_vm(self.top()) => {
                self.drain_top(port)?;
                return self.exec(port, loaded, ins, start, next, stop);
            }
            COPY => self.copy_item(a)?,
            SWAP => self.swap_item(a)?,
            LOAD_DEREF => self.load_deref(frame, loaded, a)?,
            STORE_DEREF => self.store_deref(frame, loaded, a)?,
            DELETE_DEREF => self.delete_deref(frame, loaded, a)?,
            LOAD_CLOSURE => self.load_closure(frame, loaded, a)?,
            LOAD_CLASSDEREF => self.load_classderef(frame, loaded, module, a)?,
            UNPACK_EX => self.unpack_ex(a)?,
            BUILD_SET => self.build_set(a as usize)?,
            BUILD_SLICE => {
                let code = loaded.bytecode(frame.code as usize);
                let then = Instr::decode(code, next as usize).ok().map(|(i, _)| i.op);
                self.build_slice(a, then)?
            }
            LIST_APPEND => self.add_to(AddOp::ListAppend, a)?,
            SET_ADD => self.add_to(AddOp::SetAdd, a)?,
            LIST_EXTEND => self.add_to(AddOp::ListExtend, a)?,
            SET_UPDATE => self.add_to(AddOp::SetUpdate, a)?,
            DICT_UPDATE => self.add_to(AddOp::DictUpdate, a)?,
            DICT_MERGE => self.add_to(AddOp::DictMerge, a)?,
            MAP_ADD => self.map_add(a)?,
            LIST_TO_TUPLE => self.list_to_tuple()?,
            FORMAT_VALUE => self.format_value(port, a)?,
            BUILD_STRING => self.build_string(a as usize)?,
            CALL_EX => {
                self.set_pc(start as usize, next as usize);
                return self.call_ex(port, a);
            }
            LOAD_BUILD_CLASS => self.push(crate::modules::builtins::BUILD_CLASS),
            POP_TOP => {
                self.pop();
            }
            DUP_TOP => self.push(self.top()),
            DUP_TOP_TWO => {
                let (x, y) = (self.peek(1), self.peek(0));
                self.push(x);
                self.push(y);
            }
            ROT_TWO => {
                let b = self.pop();
                let a = self.pop();
                self.push(b);
                self.push(a);
            }
            ROT_THREE => {
                let c = self.pop();
                let b = self.pop();
                let a = self.pop();
                self.push(c);
                self.push(a);
                self.push(b);
            }
            LOAD_CONST => {
                let v = self.modules[module].consts.get(a as usize).copied();
                self.push(v.unwrap_or(Value::NONE));
            }
            LOAD_SMALL_INT => {
                if let crate::image::Args::Int(i) = ins.args {
                    self.push(Value::int(i).unwrap_or(Value::NONE));
                }
            }
            LOAD_NONE => self.push(Value::NONE),
            LOAD_TRUE => self.push(Value::TRUE),
            LOAD_FALSE => self.push(Value::FALSE),
            LOAD_ASSERTION_ERROR => self.push(TypeId::AssertionError.value()),
            LOAD_FAST => {
                let v = self
                    .stack
                    .get(frame.base + a as usize)
                    .copied()
                    .unwrap_or(Value::NULL);
                if v.is_null() {
                    return Err(self.unbound_local(loaded, frame.code, a));
                }
                self.push(v);
            }
            STORE_FAST => {
                let v = self.pop();
                if let Some(slot) = self.stack.get_mut(frame.base + a as usize) {
                    *slot = v;
                }
            }
            DELETE_FAST => {
                let slot = self.stack.get_mut(frame.base + a as usize);
                match slot {
                    Some(s) if !s.is_null() => *s = Value::NULL,
                    _ => return Err(self.unbound_local(loaded, frame.code, a)),
                }
            }
            LOAD_NAME if frame.kind == FrameKind::ClassBody => {
                let name = self.name_value(module, a);
                let v = self.load_class_name(frame, name)?;
                self.push(v);
            }
            LOAD_NAME | LOAD_GLOBAL => {
                let name = self.name_value(module, a);
                let v = self.load_global(frame.globals, name)?;
                self.push(v);
            }
            STORE_NAME | STORE_GLOBAL => {
                let name = self.name_value(module, a);
                let v = self.top();
                let ns = if ins.op == STORE_NAME {
                    self.namespace(frame)
                } else {
                    frame.globals
                };
                dict_methods::setitem(self, ns, name, v)?;
                self.pop();
            }
            DELETE_NAME | DELETE_GLOBAL => {
                let name = self.name_value(module, a);
                let ns = if ins.op == DELETE_NAME {
                    self.namespace(frame)
                } else {
                    frame.globals
                };
                if dict_methods::delitem(self, ns, name)?.is_none() {
                    return Err(self.name_error(name));
                }
            }
            LOAD_ATTR => {
                let name = self.name_value(module, a);
                let obj = self.top();
                let v = self.load_attr(obj, name)?;
                self.pop();
                self.push(v);
            }
            STORE_ATTR => {
                let name = self.name_value(module, a);
                let obj = self.peek(0);
                let v = self.peek(1);
                self.store_attr(obj, name, v)?;
                self.pop();
                self.pop();
            }
            DELETE_ATTR => {
                let name = self.name_value(module, a);
                let obj = self.top();
                self.delete_attr(obj, name)?;
                self.pop();
            }
            LOAD_METHOD => {
                let name = self.name_value(module, a);
                let obj = self.top();
                let (f, slf) = self.load_method(obj, name)?;
                self.pop();
                self.push(f);
                self.push(slf);
            }
            BINARY_SUBSCR if self.is_user_object(self.peek(1)) => self.getitem_instance(port)?,
            BINARY_SUBSCR => {
                let v = self.getitem(self.peek(1), self.peek(0))?;
                self.pop();
                self.pop();
                self.push(v);
            }
            STORE_SUBSCR if self.is_user_object(self.peek(1)) => self.setitem_instance(port)?,
            STORE_SUBSCR => {
                self.setitem(self.peek(1), self.peek(0), self.peek(2))?;
                self.stack.truncate(self.stack.len().saturating_sub(3));
            }
            DELETE_SUBSCR => {
                self.delitem(self.peek(1), self.peek(0))?;
                self.pop();
                self.pop();
            }
            UNARY_OP if a == UnaryOp::Not as u32 && self.is_user_object(self.top()) => {
                let t = self.truth_of_instance(port, self.top())?;
                self.pop();
                self.push(Value::bool(!t));
            }
            UNARY_OP if self.is_user_object(self.top()) => {
                let op = UnaryOp::from_u8(a as u8)
                    .ok_or(PyErr::new(TypeId::RuntimeError, "invalid operator"))?;
                self.unary_instance(port, op)?;
            }
            UNARY_OP => {
                let op = UnaryOp::from_u8(a as u8)
                    .ok_or(PyErr::new(TypeId::RuntimeError, "invalid operator"))?;
                let v = self.unary(op, self.top())?;
                self.pop();
                self.push(v);
            }
            BINARY_OP | INPLACE_OP
                if self.is_user_object(self.peek(1)) || self.is_user_object(self.peek(0)) =>
            {
                let op = BinaryOp::from_u8(a as u8)
                    .ok_or(PyErr::new(TypeId::RuntimeError, "invalid operator"))?;
                self.binary_instance(port, op, ins.op == INPLACE_OP)?;
            }
            BINARY_OP | INPLACE_OP => {
                let op = BinaryOp::from_u8(a as u8)
                    .ok_or(PyErr::new(TypeId::RuntimeError, "invalid operator"))?;
                let v = self.binary(op, self.peek(1), self.peek(0), ins.op == INPLACE_OP)?;
                self.pop();
                self.pop();
                self.push(v);
            }
            COMPARE_OP if self.compare_needs_vm(a, self.peek(1), self.peek(0)) => {
                self.compare_instance(port, a)?;
            }
            COMPARE_OP => {
                let op = CompareOp::from_u8(a as u8)
                    .ok_or(PyErr::new(TypeId::RuntimeError, "invalid operator"))?;
                let v = self.compare(op, self.peek(1), self.peek(0))?;
                self.pop();
                self.pop();
                self.push(v);
            }
            BUILD_TUPLE | BUILD_LIST => self.build_seq(a as usize, ins.op == BUILD_LIST)?,
            BUILD_MAP => self.build_map(a as usize)?,
            UNPACK_SEQUENCE => self.unpack(a as usize)?,
            JUMP => return Ok(Step::Jump(a)),
            POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE | JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP
                if self.is_user_object(self.top()) =>
            {
                let keep = matches!(ins.op, JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP);
                let jump_if = matches!(ins.op, POP_JUMP_IF_TRUE | JUMP_IF_TRUE_OR_POP);
                if self.branch_on_instance(port, jump_if, keep)? {
                    return Ok(Step::Jump(a));
                }
            }
            POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => {
                let v = self.pop();
                let t = object::truthy(&self.store, v);
                if t == (ins.op == POP_JUMP_IF_TRUE) {
                    return Ok(Step::Jump(a));
                }
            }
            JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => {
                let t = object::truthy(&self.store, self.top());
                if t == (ins.op == JUMP_IF_TRUE_OR_POP) {
                    return Ok(Step::Jump(a));
                }
                self.pop();
            }
            GET_ITER if self.is_user_object(self.top()) => self.get_iter_instance(port)?,
            GET_ITER => self.get_iter()?,
            FOR_ITER if self.peek(0).is_null() && self.is_user_object(self.peek(1)) => {
                if !self.for_iter_instance(port)? {
                    return Ok(Step::Jump(a));
                }
            }
            FOR_ITER => {
                if !self.for_iter()? {
                    return Ok(Step::Jump(a));
                }
            }
            GET_RANGE => self.get_range(a as usize)?,
            FOR_RANGE => {
                if !self.for_range() {
                    return Ok(Step::Jump(a));
                }
            }
            MAKE_FUNCTION => self.make_function(frame, loaded, a, ins.b())?,
            CALL | CALL_KW | CALL_METHOD | CALL_METHOD_KW => {
                let method = matches!(ins.op, CALL_METHOD | CALL_METHOD_KW);
                let kw_names = match ins.op {
                    CALL_KW | CALL_METHOD_KW => {
                        self.modules[module].consts.get(ins.b() as usize).copied()
                    }
                    _ => None,
                };
                self.set_pc(start as usize, next as usize);
                return self.call(port, a as usize, kw_names, method);
            }
            RETURN_VALUE if frame.kind != FrameKind::Plain => {
                return self.return_special(frame, stop);
            }
            RETURN_VALUE => {
                let v = self.pop();
                self.frames.pop();
                self.stack.truncate(frame.ret);
                if self.frames.len() <= stop {
                    return Ok(Step::Done(v));
                }
                self.push(v);
                return Ok(Step::Frame);
            }
            RAISE => return self.raise(a),
            RERAISE => {
                let exc = self.pop();
                return Ok(Step::Reraise(exc));
            }
            PUSH_EXC_INFO => {
                let exc = self.pop();
                self.push(self.handled);
                self.push(exc);
                self.handled = exc;
            }
            POP_EXCEPT => self.handled = self.pop(),
            CHECK_EXC_MATCH => {
                let m = self.exc_matches(self.peek(1), self.peek(0))?;
                self.pop();
                self.push(Value::bool(m));
            }
            IMPORT_NAME => {
                let name = self.name_value(module, a);
                let m = self.import(port, name, ins.b(), self.top())?;
                self.pop();
                self.push(m);
            }
            IMPORT_STAR => {
                let m = self.pop();
                self.import_star(m, frame.globals)?;
            }
            IMPORT_FROM => {
                let name = self.name_value(module, a);
                let v = self.import_from(self.top(), name)?;
                self.push(v);
            }
        }
        Ok(Step::Next)
    }

    fn raise(&mut self, form: u32) -> PyResult<Step> {
        match form {
            0 => {
                if self.handled.is_none() {
                    return Err(PyErr::new(
                        TypeId::RuntimeError,
                        "No active exception to reraise",
                    ));
                }
                Ok(Step::Reraise(self.handled))
            }
            1 => {
                let exc = self.exception_from(self.top())?;
                self.set_context(exc);
                self.pop();
                Err(PyErr::Obj(exc))
            }
            _ => {
                let exc = self.exception_from(self.peek(1))?;
                self.keep(exc);
                self.set_context(exc);
                self.set_cause(exc, self.peek(0))?;
                self.pop();
                self.pop();
                Err(PyErr::Obj(exc))
            }
        }
    }
}

/// How an exception leaves `run_frames`.
enum Unwind {
    /// A new error, raised at the current instruction.
    Error(PyErr),
    /// A re-raise: no new traceback entry.
    Reraise(Value),
}
