//! Calls. In: a callee and its arguments on the value stack (CALL, CALL_KW, CALL_METHOD,
//! CALL_METHOD_KW). Out: a new frame whose locals hold the bound arguments (Python
//! functions: positional, keyword, defaults, with CPython's TypeError messages), or the
//! result of a native function or type. Nothing here allocates on the heap for Python calls.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::dispatch::Step;
use super::{Frame, Machine};
use crate::port::Port;
use crate::types::{Obj, PyErr, PyResult, TypeId};
use crate::value::{Kind, Value};

/// Arguments a native call copies off the stack without allocating.
const INLINE_ARGS: usize = 8;
/// Keyword arguments bound without allocating.
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
                        return Ok(Step::Frame);
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
        crate::modules::call(self, port, f, args, kw)
    }

    /// Binds `n` positional arguments into a new frame for the function at `stack[fpos]`.
    pub(super) fn enter_frame(&mut self, fpos: usize, n: usize) -> PyResult<()> {
        self.enter(fpos, n, None, 0)
    }

    /// Binds arguments into a new frame for the Python function at `stack[fpos]`.
    fn enter(&mut self, fpos: usize, n: usize, kw_names: Option<Value>, k: usize) -> PyResult<()> {
        let f = self.stack.get(fpos).copied().unwrap_or(Value::NONE);
        let Some(Obj::Function(func)) = self.store.obj(f) else {
            return Err(self.not_callable(f));
        };
        let (module, code_idx, globals, n_defaults) =
            (func.module, func.code, func.globals, func.defaults.len());
        let rec = self
            .modules
            .get(usize::from(module))
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad function"))?;
        let loaded = rec.loaded.clone();
        let code = loaded
            .code
            .get(code_idx as usize)
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad function"))?;
        let n_params = usize::from(code.n_params);
        let n_locals = usize::from(code.n_locals).max(n_params);
        let base = fpos + 1;
        if self.frames.len() >= self.config.max_frames
            || base + n_locals + usize::from(code.stack_size) + k > self.stack.capacity()
        {
            return Err(self.recursion_error());
        }
        let fname = || String::from(loaded.name(code.name));
        if n > n_params {
            return Err(too_many(&fname(), n_params, n_defaults, n));
        }
        let mut kw = [(Value::NULL, Value::NULL); INLINE_KW];
        if k > INLINE_KW {
            return Err(PyErr::new(TypeId::TypeError, "too many keyword arguments"));
        }
        if k > 0 {
            let names = kw_names.and_then(|t| self.store.seq_of(t)).unwrap_or(&[]);
            for (i, slot) in kw.iter_mut().enumerate().take(k) {
                let v = self.stack.get(base + n + i).copied().unwrap_or(Value::NULL);
                *slot = (names.get(i).copied().unwrap_or(Value::NONE), v);
            }
        }
        self.stack.truncate(base + n);
        self.stack.resize(base + n_locals, Value::NULL);
        for (name, v) in &kw[..k] {
            let slot = code
                .local_names
                .get(..n_params)
                .unwrap_or(&[])
                .iter()
                .position(|l| {
                    rec_name(&self.modules[usize::from(module)].name_ids, *l) == name.as_str_id()
                });
            let Some(slot) = slot else {
                let kname = self.store.str_of(*name).unwrap_or("?");
                return Err(PyErr::type_error(format!(
                    "{}() got an unexpected keyword argument '{kname}'",
                    fname()
                )));
            };
            if !self.stack[base + slot].is_null() {
                return Err(PyErr::type_error(format!(
                    "{}() got multiple values for argument '{}'",
                    fname(),
                    loaded.name(code.local_names.get(slot).copied().unwrap_or(0))
                )));
            }
            self.stack[base + slot] = *v;
        }
        let first_default = n_params.saturating_sub(n_defaults);
        let mut missing: Vec<u32> = Vec::new();
        for i in n..n_params {
            if !self.stack[base + i].is_null() {
                continue;
            }
            if i >= first_default
                && let Some(Obj::Function(func)) = self.store.obj(f)
                && let Some(d) = func.defaults.get(i - first_default)
            {
                self.stack[base + i] = *d;
                continue;
            }
            missing.push(code.local_names.get(i).copied().unwrap_or(0));
        }
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|i| loaded.name(*i)).collect();
            return Err(missing_args(&fname(), &names));
        }
        self.frames.push(Frame {
            module,
            code: code_idx,
            pc: 0,
            next: 0,
            base,
            sp0: base + n_locals,
            ret: fpos,
            globals,
        });
        Ok(())
    }
}

fn rec_name(name_ids: &[u32], idx: u32) -> Option<u32> {
    name_ids.get(idx as usize).copied()
}

fn too_many(name: &str, n_params: usize, n_defaults: usize, given: usize) -> PyErr {
    let was = if given == 1 { "was" } else { "were" };
    let takes = if n_defaults > 0 {
        format!(
            "from {} to {n_params} positional arguments",
            n_params - n_defaults
        )
    } else if n_params == 1 {
        String::from("1 positional argument")
    } else {
        format!("{n_params} positional arguments")
    };
    PyErr::type_error(format!("{name}() takes {takes} but {given} {was} given"))
}

fn missing_args(name: &str, names: &[&str]) -> PyErr {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        _ => {
            let (last, rest) = quoted
                .split_last()
                .map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!("{}, and {last}", rest.join(", "))
        }
    };
    let s = if names.len() == 1 { "" } else { "s" };
    PyErr::type_error(format!(
        "{name}() missing {} required positional argument{s}: {list}",
        names.len()
    ))
}
