//! Calls. In: a callee and its arguments on the value stack (CALL, CALL_KW, CALL_METHOD,
//! CALL_METHOD_KW). Out: a new frame whose locals hold the bound arguments (Python
//! functions: positional, keyword, defaults, with CPython's TypeError messages), or the
//! result of a native function or type. Nothing here allocates on the heap for Python calls.

use alloc::format;
use alloc::vec::Vec;

use super::Machine;
use super::dispatch::Step;
use crate::port::Port;
use crate::types::{Obj, PyErr, PyResult, TypeId};
use crate::value::{Kind, Value};

/// Arguments a native call copies off the stack without allocating.
const INLINE_ARGS: usize = 8;
/// Keyword arguments passed to a native without allocating.
const INLINE_KW: usize = 8;

impl Machine {
    /// Performs a call instruction with `n` positional arguments.
    pub(super) fn call(
        &mut self,
        port: &mut dyn Port,
        n: usize,
        kw_names: Option<Value>,
        method: bool,
    ) -> PyResult<Step> {
        let k = match kw_names {
            Some(t) => self.store.seq_of(t).map_or(0, <[Value]>::len),
            None => 0,
        };
        let mut m = n;
        let extra = if method { 1 } else { 0 };
        let fpos = self
            .stack
            .len()
            .checked_sub(n + k + 1 + extra)
            .ok_or(PyErr::new(TypeId::RuntimeError, "stack underflow"))?;
        if method {
            if self.stack.get(fpos + 1).is_some_and(|v| v.is_null()) {
                self.stack.remove(fpos + 1);
            } else {
                m += 1;
            }
        }
        loop {
            let f = self.stack.get(fpos).copied().unwrap_or(Value::NONE);
            match f.kind() {
                Kind::Heap(_) => match self.store.obj(f) {
                    Some(Obj::Function(_)) => {
                        self.enter(fpos, m, kw_names, k)?;
                        return self.entered();
                    }
                    Some(Obj::Class(_)) => return self.instantiate(fpos, m, kw_names, k),
                    Some(Obj::Instance(_)) => {
                        self.call_through_dunder(fpos)?;
                        m += 1;
                    }
                    Some(Obj::BoundMethod(b)) => {
                        let (func, slf) = (b.func, b.slf);
                        if self.stack.len() >= self.stack.capacity() {
                            return Err(self.recursion_error());
                        }
                        self.stack.insert(fpos + 1, slf);
                        self.stack[fpos] = func;
                        m += 1;
                    }
                    _ => return Err(self.not_callable(f)),
                },
                _ if f.is(crate::modules::builtins::BUILD_CLASS) => {
                    return self.enter_class_body(fpos, m, k);
                }
                Kind::Native(_) | Kind::Type(_) => {
                    let v = self.call_native(port, f, fpos, m, kw_names, k)?;
                    self.stack.truncate(fpos);
                    self.push(v);
                    return Ok(Step::Next);
                }
                _ => return Err(self.not_callable(f)),
            }
        }
    }

    fn not_callable(&self, f: Value) -> PyErr {
        PyErr::type_error(format!(
            "'{}' object is not callable",
            self.store.type_name(f)
        ))
    }

    fn call_native(
        &mut self,
        port: &mut dyn Port,
        f: Value,
        fpos: usize,
        m: usize,
        kw_names: Option<Value>,
        k: usize,
    ) -> PyResult<Value> {
        self.drain_method_args(port, f, fpos + 1, m)?;
        if m == 1 && self.consumes_iterable(f) {
            let x = self.stack.get(fpos + 1).copied().unwrap_or(Value::NONE);
            if self.is_user_object(x) {
                let items = self.collect_instance(port, x)?;
                if let Some(slot) = self.stack.get_mut(fpos + 1) {
                    *slot = items;
                }
            }
        }
        let all = self.stack.get(fpos + 1..fpos + 1 + m + k).unwrap_or(&[]);
        let mut inline = [Value::NULL; INLINE_ARGS];
        let heap_args: Vec<Value>;
        let positional = all.get(..m).unwrap_or(&[]);
        let args: &[Value] = if positional.len() <= INLINE_ARGS {
            inline[..positional.len()].copy_from_slice(positional);
            &inline[..positional.len()]
        } else {
            heap_args = positional.to_vec();
            &heap_args
        };
        let mut kw_inline = [(Value::NULL, Value::NULL); INLINE_KW];
        let kw_heap: Vec<(Value, Value)>;
        let names = kw_names.and_then(|t| self.store.seq_of(t)).unwrap_or(&[]);
        let values = all.get(m..).unwrap_or(&[]);
        let kw: &[(Value, Value)] = if k <= INLINE_KW {
            for (i, (n, v)) in names.iter().zip(values).enumerate() {
                kw_inline[i] = (*n, *v);
            }
            &kw_inline[..k.min(names.len())]
        } else {
            kw_heap = names.iter().copied().zip(values.iter().copied()).collect();
            &kw_heap
        };
        if f.is(TypeId::Bool.value())
            && let [x] = args
            && kw.is_empty()
            && self.is_user_object(*x)
        {
            return self.truth_of_instance(port, *x).map(Value::bool);
        }
        if f.is(TypeId::Str.value())
            && let [x] = args
            && kw.is_empty()
            && self.repr_runs_python(*x)
        {
            return self.str_value(port, *x);
        }
        crate::modules::call(self, port, f, args, kw)
    }
}

impl Machine {
    /// CALL_EX: [f, args, kwargs?] -> the call with the items of `args` (a tuple or list) as
    /// positional and the entries of `kwargs` (a dict) as keyword arguments.
    pub(super) fn call_ex(&mut self, port: &mut dyn Port, flags: u32) -> PyResult<Step> {
        let has_kw = flags & 1 != 0;
        let kwargs = if has_kw { self.pop() } else { Value::NULL };
        let args = self.pop();
        self.keep(kwargs);
        self.keep(args);
        let positional: Vec<Value> = match self.store.obj(args) {
            Some(Obj::Tuple(items) | Obj::List(items)) => {
                let mut v = crate::types::obj::vec_with(items.len())?;
                v.extend_from_slice(items);
                v
            }
            _ => crate::types::object::collect(self, args)?,
        };
        let pairs = if has_kw {
            crate::types::dict_methods::pairs(&self.store, kwargs)?
        } else {
            Vec::new()
        };
        if self.stack.len() + positional.len() + pairs.len() > self.stack.capacity() {
            return Err(self.recursion_error());
        }
        let n = positional.len();
        positional.iter().for_each(|v| self.push(*v));
        let mut names = crate::types::obj::vec_with(pairs.len())?;
        for (k, v) in &pairs {
            let text = self
                .store
                .str_of(*k)
                .ok_or(PyErr::new(TypeId::TypeError, "keywords must be strings"))?;
            // A name not interned yet matches no parameter: it keeps its str (so `**d` never grows the interner, which is outside the heap budget).
            names.push(self.store.strs.lookup(text).map_or(*k, Value::str));
            self.push(*v);
        }
        let kw_names = if names.is_empty() {
            None
        } else {
            Some(crate::types::obj::new_tuple(self, names)?)
        };
        self.call(port, n, kw_names, false)
    }
}
