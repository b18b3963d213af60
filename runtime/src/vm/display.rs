//! Displays and comprehension helpers. In: COPY, SWAP, BUILD_SET, BUILD_SLICE, LIST_APPEND,
//! SET_ADD, MAP_ADD, LIST_EXTEND, SET_UPDATE, DICT_UPDATE, DICT_MERGE, LIST_TO_TUPLE and
//! UNPACK_EX with their operands. Out: the stack as each opcode's doc comment specifies.

use alloc::format;
use alloc::string::String;

use super::Machine;
use crate::image::Opcode;
use crate::types::obj::{Ctx, new_tuple, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, class, dict_methods, list, object, set};
use crate::value::Value;

impl Machine {
    /// Stack index of the item `n` below the top (1 is the top).
    fn depth_index(&self, n: u32) -> PyResult<usize> {
        let n = n as usize;
        self.stack
            .len()
            .checked_sub(n)
            .filter(|_| n >= 1)
            .ok_or(PyErr::new(TypeId::RuntimeError, "stack underflow"))
    }

    /// COPY n: pushes the n-th item.
    pub(super) fn copy_item(&mut self, n: u32) -> PyResult<()> {
        let i = self.depth_index(n)?;
        let v = self.stack.get(i).copied().unwrap_or(Value::NONE);
        self.push(v);
        Ok(())
    }

    /// SWAP n: swaps the top with the n-th item.
    pub(super) fn swap_item(&mut self, n: u32) -> PyResult<()> {
        let i = self.depth_index(n)?;
        let top = self.stack.len() - 1;
        self.stack.swap(i, top);
        Ok(())
    }

    /// BUILD_SET of the top `n` values.
    pub(super) fn build_set(&mut self, n: usize) -> PyResult<()> {
        let at = self.stack.len().saturating_sub(n);
        let s = set::new(self, &[])?;
        for i in at..self.stack.len() {
            let v = self.stack.get(i).copied().unwrap_or(Value::NONE);
            set::add(self, s, v)?;
        }
        self.stack.truncate(at);
        self.push(s);
        Ok(())
    }

    /// BUILD_SLICE of 2 or 3 values. When the next instruction subscripts a built-in
    /// sequence with it, the preallocated slice is reused: those types never keep the key
    /// nor run Python code meanwhile, so `ba[a:b] = x` works with the heap locked.
    pub(super) fn build_slice(&mut self, argc: u32, then: Option<Opcode>) -> PyResult<()> {
        let (start, stop, step) = if argc == 3 {
            (self.peek(2), self.peek(1), self.peek(0))
        } else {
            (self.peek(1), self.peek(0), Value::NONE)
        };
        let consumed = matches!(
            then,
            Some(Opcode::BINARY_SUBSCR | Opcode::STORE_SUBSCR | Opcode::DELETE_SUBSCR)
        ) && self.is_builtin_sequence(self.peek(argc as usize));
        let s = match self.store.obj_mut(self.prealloc.slice) {
            Some(Obj::Slice(a, b, c)) if consumed => {
                (*a, *b, *c) = (start, stop, step);
                self.prealloc.slice
            }
            _ => self.alloc(Obj::Slice(start, stop, step))?,
        };
        self.stack
            .truncate(self.stack.len().saturating_sub(argc as usize));
        self.push(s);
        Ok(())
    }

    fn is_builtin_sequence(&self, v: Value) -> bool {
        self.store.str_of(v).is_some()
            || matches!(
                self.store.obj(v),
                Some(
                    Obj::List(_)
                        | Obj::Tuple(_)
                        | Obj::Bytes(_)
                        | Obj::ByteArray(_)
                        | Obj::MemoryView(_)
                        | Obj::Range(_)
                )
            )
    }

    /// LIST_APPEND / SET_ADD / LIST_EXTEND / SET_UPDATE / DICT_UPDATE / DICT_MERGE: pops the
    /// top and adds it to the container `i` items below it.
    pub(super) fn add_to(&mut self, op: AddOp, i: u32) -> PyResult<()> {
        let v = self.top();
        let target = self.peek(i as usize);
        match op {
            AddOp::ListAppend => list::push(self, target, v)?,
            AddOp::SetAdd => set::add(self, target, v)?,
            AddOp::ListExtend => {
                let items = object::collect(self, v)?;
                list::reserve(self, target, items.len())?;
                list::items_mut(self, target)?.extend(items);
            }
            AddOp::SetUpdate => set::extend(self, target, v)?,
            AddOp::DictUpdate | AddOp::DictMerge => self.dict_update(op, target, v)?,
        }
        self.pop();
        Ok(())
    }

    fn dict_update(&mut self, op: AddOp, target: Value, v: Value) -> PyResult<()> {
        if !matches!(self.store.obj(v), Some(Obj::Dict(_))) {
            let what = class::type_name_of(&self.store, v);
            return Err(PyErr::type_error(if op == AddOp::DictMerge {
                let callee = self.callee_name(target);
                format!("{callee}() argument after ** must be a mapping, not {what}")
            } else {
                format!("'{what}' object is not a mapping")
            }));
        }
        for (k, val) in dict_methods::pairs(&self.store, v)? {
            if op == AddOp::DictMerge {
                let Some(key) = self.store.str_of(k) else {
                    return Err(PyErr::new(TypeId::TypeError, "keywords must be strings"));
                };
                if dict_methods::lookup(&self.store, target, k)?.is_some() {
                    let callee = self.callee_name(target);
                    return Err(PyErr::type_error(format!(
                        "{callee}() got multiple values for keyword argument '{key}'"
                    )));
                }
            }
            dict_methods::setitem(self, target, k, val)?;
        }
        Ok(())
    }

    /// The name of the function a `**` merge is building keywords for, as CPython 3.11's
    /// messages give it (`__main__.f`): CALL_EX's stack is [f, args, kwargs], so f sits two
    /// below the kwargs dict.
    fn callee_name(&self, kwargs: Value) -> String {
        let at = self.stack.iter().rposition(|v| v.is(kwargs)).unwrap_or(0);
        let f = at
            .checked_sub(2)
            .and_then(|i| self.stack.get(i))
            .copied()
            .unwrap_or(Value::NONE);
        match self.store.obj(f) {
            Some(Obj::Function(func)) => {
                let name = self.store.str_of(func.name).unwrap_or("?");
                let module = self
                    .store
                    .strs
                    .lookup("__name__")
                    .and_then(|id| {
                        dict_methods::lookup(&self.store, func.globals, Value::str(id))
                            .ok()
                            .flatten()
                    })
                    .and_then(|m| self.store.str_of(m));
                match module {
                    Some(m) => format!("{m}.{name}"),
                    None => String::from(name),
                }
            }
            Some(Obj::Class(_)) => String::from(class::name_of(&self.store, f)),
            _ => match f.as_native() {
                Some(id) => String::from(crate::modules::native_name(id)),
                None => String::from(class::name_of(&self.store, f)),
            },
        }
    }

    /// MAP_ADD i: [dict, .., k, v] -> [dict, ..].
    pub(super) fn map_add(&mut self, i: u32) -> PyResult<()> {
        let (k, v) = (self.peek(1), self.peek(0));
        let d = self.peek(i as usize + 1);
        dict_methods::setitem(self, d, k, v)?;
        self.pop();
        self.pop();
        Ok(())
    }

    /// LIST_TO_TUPLE.
    pub(super) fn list_to_tuple(&mut self) -> PyResult<()> {
        let items = match self.store.obj(self.top()) {
            Some(Obj::List(items)) => {
                let mut v = vec_with(items.len())?;
                v.extend_from_slice(items);
                v
            }
            _ => return Err(PyErr::new(TypeId::TypeError, "expected a list")),
        };
        let t = new_tuple(self, items)?;
        self.pop();
        self.push(t);
        Ok(())
    }

    /// UNPACK_EX: `before` targets, a starred list, `after` targets.
    pub(super) fn unpack_ex(&mut self, operand: u32) -> PyResult<()> {
        let before = (operand & 0xFF) as usize;
        let after = (operand >> 8) as usize;
        let seq = self.top();
        let items = object::collect(self, seq)?;
        if items.len() < before + after {
            return Err(PyErr::fmt(
                TypeId::ValueError,
                format!(
                    "not enough values to unpack (expected at least {}, got {})",
                    before + after,
                    items.len()
                ),
            ));
        }
        let mid_end = items.len() - after;
        let mut middle = vec_with(mid_end - before)?;
        middle.extend_from_slice(items.get(before..mid_end).unwrap_or(&[]));
        let l = crate::types::obj::new_list(self, middle)?;
        self.pop();
        for v in items.get(mid_end..).unwrap_or(&[]).iter().rev() {
            self.push(*v);
        }
        self.push(l);
        for v in items.get(..before).unwrap_or(&[]).iter().rev() {
            self.push(*v);
        }
        Ok(())
    }
}

/// Which container instruction `add_to` performs.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) enum AddOp {
    ListAppend,
    SetAdd,
    ListExtend,
    SetUpdate,
    DictUpdate,
    DictMerge,
}
