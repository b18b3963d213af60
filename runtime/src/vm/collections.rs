//! Containers on the stack. In: BUILD_*, UNPACK_SEQUENCE, subscripts, GET_ITER/FOR_ITER,
//! GET_RANGE/FOR_RANGE. Out: new objects, items, and iteration
//! that keeps its state in stack slots (no allocation for list/tuple/str/bytes/range/dict).

use alloc::format;

use super::Machine;
use crate::types::dict::Dict;
use crate::types::obj::{Ctx, new_list, new_tuple, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods, iterator, object};
use crate::types::{bytearray, memoryview, slice};
use crate::value::{Kind, Value};

impl Machine {
    /// BUILD_TUPLE / BUILD_LIST of the top `n` values.
    pub(super) fn build_seq(&mut self, n: usize, is_list: bool) -> PyResult<()> {
        let at = self.stack.len().saturating_sub(n);
        let mut items = vec_with(n)?;
        items.extend_from_slice(self.stack.get(at..).unwrap_or(&[]));
        let v = if is_list {
            new_list(self, items)?
        } else {
            new_tuple(self, items)?
        };
        self.stack.truncate(at);
        self.push(v);
        Ok(())
    }

    /// BUILD_MAP of the top `n` key/value pairs.
    pub(super) fn build_map(&mut self, n: usize) -> PyResult<()> {
        let at = self.stack.len().saturating_sub(2 * n);
        let d = self.alloc(Obj::Dict(Dict::new()))?;
        for i in 0..n {
            let k = self.stack.get(at + 2 * i).copied().unwrap_or(Value::NONE);
            let v = self
                .stack
                .get(at + 2 * i + 1)
                .copied()
                .unwrap_or(Value::NONE);
            dict_methods::setitem(self, d, k, v)?;
        }
        self.stack.truncate(at);
        self.push(d);
        Ok(())
    }

    /// UNPACK_SEQUENCE: [seq] -> [vn .. v1].
    pub(super) fn unpack(&mut self, n: usize) -> PyResult<()> {
        let seq = self.top();
        let items = match self.store.seq_of(seq) {
            Some(items) => {
                let mut v = vec_with(items.len())?;
                v.extend_from_slice(items);
                v
            }
            None => object::collect(self, seq)?,
        };
        if items.len() < n {
            return Err(PyErr::fmt(
                TypeId::ValueError,
                format!(
                    "not enough values to unpack (expected {n}, got {})",
                    items.len()
                ),
            ));
        }
        if items.len() > n {
            return Err(PyErr::fmt(
                TypeId::ValueError,
                format!("too many values to unpack (expected {n})"),
            ));
        }
        self.pop();
        items.iter().rev().for_each(|v| self.stack.push(*v));
        Ok(())
    }

    /// `obj[key]`.
    pub(super) fn getitem(&mut self, obj: Value, key: Value) -> PyResult<Value> {
        match self.store.obj(obj) {
            Some(Obj::ByteArray(_)) => return bytearray::getitem(self, obj, key),
            Some(Obj::MemoryView(_)) => return memoryview::getitem(self, obj, key),
            _ => {}
        }
        if slice::is_slice(&self.store, key) {
            return slice::getitem(self, obj, key);
        }
        let store = &self.store;
        if let Some(s) = store.str_of(obj) {
            let n = s.chars().count();
            let i = object::index(store, key, n, "string")?;
            let c = s.chars().nth(i).unwrap_or(' ');
            return crate::types::str::char_value(self, c);
        }
        match store.obj(obj) {
            Some(Obj::List(items)) => Ok(items[object::index(store, key, items.len(), "list")?]),
            Some(Obj::Tuple(items)) => Ok(items[object::index(store, key, items.len(), "tuple")?]),
            Some(Obj::Bytes(b)) => {
                let bad = |t: &str| {
                    PyErr::type_error(format!("byte indices must be integers or slices, not {t}"))
                };
                let i =
                    crate::types::buffer::position(store, key, b.len(), bad, "index out of range")?;
                Ok(Value::int(i64::from(b.get(i).copied().unwrap_or(0))).unwrap_or(Value::NONE))
            }
            Some(Obj::Range(r)) => {
                let r = *r;
                let i = object::index(store, key, r.len() as usize, "range object")?;
                crate::types::int::from_i64(self, r.item(i as i64))
            }
            Some(Obj::Dict(_)) => dict_methods::getitem(store, obj, key),
            _ => Err(PyErr::type_error(format!(
                "'{}' object is not subscriptable",
                store.type_name(obj)
            ))),
        }
    }

    /// `obj[key] = v`.
    pub(super) fn setitem(&mut self, obj: Value, key: Value, v: Value) -> PyResult<()> {
        match self.store.obj(obj) {
            Some(Obj::ByteArray(_)) => return bytearray::setitem(self, obj, key, v),
            Some(Obj::MemoryView(_)) => return memoryview::setitem(self, obj, key, v),
            _ => {}
        }
        if slice::is_slice(&self.store, key) {
            return slice::setitem(self, obj, key, v);
        }
        match self.store.obj(obj) {
            Some(Obj::List(items)) => {
                let i = object::index(&self.store, key, items.len(), "list assignment")?;
                if let Some(Obj::List(items)) = self.store.obj_mut(obj)
                    && let Some(slot) = items.get_mut(i)
                {
                    *slot = v;
                }
                Ok(())
            }
            Some(Obj::Dict(_)) => dict_methods::setitem(self, obj, key, v),
            _ => Err(PyErr::type_error(format!(
                "'{}' object does not support item assignment",
                self.store.type_name(obj)
            ))),
        }
    }

    /// `del obj[key]`.
    pub(super) fn delitem(&mut self, obj: Value, key: Value) -> PyResult<()> {
        match self.store.obj(obj) {
            Some(Obj::ByteArray(_)) => return bytearray::delitem(self, obj, key),
            Some(Obj::MemoryView(_)) => return Err(memoryview::delitem()),
            _ => {}
        }
        if slice::is_slice(&self.store, key) {
            return slice::delitem(self, obj, key);
        }
        match self.store.obj(obj) {
            Some(Obj::List(items)) => {
                let i = object::index(&self.store, key, items.len(), "list assignment")?;
                if let Some(Obj::List(items)) = self.store.obj_mut(obj) {
                    items.remove(i);
                }
                Ok(())
            }
            Some(Obj::Dict(_)) => match dict_methods::delitem(self, obj, key)? {
                Some(_) => Ok(()),
                None => Err(PyErr::Arg(TypeId::KeyError, key)),
            },
            _ => Err(PyErr::type_error(format!(
                "'{}' object does not support item deletion",
                self.store.type_name(obj)
            ))),
        }
    }

    /// GET_ITER: [iterable] -> [iterable, position] for built-in iterables (see
    /// `types::iterator`), [iterator, NULL] for iterator objects.
    pub(super) fn get_iter(&mut self) -> PyResult<()> {
        let v = self.top();
        if iterator::by_position(&self.store, v) {
            self.push(Value::int(0).unwrap_or(Value::NONE));
            return Ok(());
        }
        if matches!(self.store.obj(v), Some(Obj::Iterator(_))) {
            self.push(Value::NULL);
            return Ok(());
        }
        Err(object::not_iterable(&self.store, v))
    }

    /// FOR_ITER: pushes the next item and returns true, or pops the iterator and returns false.
    pub(super) fn for_iter(&mut self) -> PyResult<bool> {
        let it = self.peek(1);
        let state = self.peek(0);
        let item = if state.is_null() {
            iterator::next(self, it)?
        } else {
            let pos = state.as_int().unwrap_or(0).max(0) as usize;
            match iterator::step(self, it, pos)? {
                Some((v, next)) => {
                    let len = self.stack.len();
                    if let Some(slot) = self.stack.get_mut(len.saturating_sub(1)) {
                        *slot = Value::int(next as i64).unwrap_or(Value::NONE);
                    }
                    Some(v)
                }
                None => None,
            }
        };
        match item {
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

    /// GET_RANGE with `argc` arguments: [args] -> [cur, stop, step].
    pub(super) fn get_range(&mut self, argc: usize) -> PyResult<()> {
        let mut vals = [0i64; 3];
        for (i, slot) in vals.iter_mut().enumerate().take(argc) {
            let v = self.peek(argc - 1 - i);
            *slot = match v.kind() {
                Kind::Int(x) => x,
                Kind::Bool(b) => i64::from(b),
                _ => {
                    return Err(PyErr::type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        self.store.type_name(v)
                    )));
                }
            };
        }
        let (start, stop, step) = match argc {
            1 => (0, vals[0], 1),
            2 => (vals[0], vals[1], 1),
            _ => (vals[0], vals[1], vals[2]),
        };
        if step == 0 {
            return Err(PyErr::new(
                TypeId::ValueError,
                "range() arg 3 must not be zero",
            ));
        }
        self.stack.truncate(self.stack.len().saturating_sub(argc));
        for x in [start, stop, step] {
            self.push(Value::int(x).unwrap_or(Value::NONE));
        }
        Ok(())
    }

    /// FOR_RANGE: true with [cur + step, stop, step, cur] pushed, or false with the three popped.
    pub(super) fn for_range(&mut self) -> bool {
        let len = self.stack.len();
        let (Some(cur), Some(stop), Some(step)) = (
            self.peek(2).as_int(),
            self.peek(1).as_int(),
            self.peek(0).as_int(),
        ) else {
            self.stack.truncate(len.saturating_sub(3));
            return false;
        };
        if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
            let next = Value::int(cur.saturating_add(step))
                .unwrap_or(Value::int(stop).unwrap_or(Value::NONE));
            if let Some(slot) = self.stack.get_mut(len.saturating_sub(3)) {
                *slot = next;
            }
            self.push(Value::int(cur).unwrap_or(Value::NONE));
            true
        } else {
            self.stack.truncate(len.saturating_sub(3));
            false
        }
    }
}
