//! Argument binding. In: a Python function at `stack[fpos]` followed by its positional and
//! keyword arguments. Out: a new frame whose locals hold the parameters (positional,
//! keyword-only, `*args`, `**kwargs`, defaults) and whose deref slots hold fresh cells and the
//! closure's cells; or CPython 3.11's TypeError. Plain functions bind without allocating.
//!
//! Frame layout on the value stack: `base..base + n_locals` locals, then one deref slot per
//! cell variable and per free variable, then the operand stack (`sp0`).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Frame, FrameKind, Machine};
use crate::image::{CODE_VARARGS, CODE_VARKEYWORDS, Loaded, LoadedCode};
use crate::types::dict::Dict;
use crate::types::obj::{Ctx, new_tuple, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods};
use crate::value::Value;

/// Keyword arguments bound from a stack buffer; more go through a Rust vector.
const INLINE_KW: usize = 8;

/// What binding needs from a function object.
#[derive(Copy, Clone)]
struct Callee {
    module: u16,
    code: u32,
    globals: Value,
    kwdefaults: Value,
    closure: Value,
    n_defaults: usize,
}

/// Locals a frame of `code` reserves: at least every parameter slot.
pub(super) fn locals_len(code: &LoadedCode) -> usize {
    usize::from(code.n_locals).max(param_slots(code))
}

/// Parameter slots: positional, keyword-only, `*args`, `**kwargs`.
fn param_slots(code: &LoadedCode) -> usize {
    usize::from(code.n_params)
        + usize::from(code.n_kwonly)
        + usize::from(code.flags & CODE_VARARGS != 0)
        + usize::from(code.flags & CODE_VARKEYWORDS != 0)
}

impl Machine {
    /// Binds `n` positional arguments into a new frame for the function at `stack[fpos]`.
    pub(super) fn enter_frame(&mut self, fpos: usize, n: usize) -> PyResult<()> {
        self.enter(fpos, n, None, 0)
    }

    /// Binds arguments into a new frame for the Python function at `stack[fpos]`: `n`
    /// positional values follow it, then `k` keyword values named by the tuple `kw_names`.
    pub(super) fn enter(
        &mut self,
        fpos: usize,
        n: usize,
        kw_names: Option<Value>,
        k: usize,
    ) -> PyResult<()> {
        let f = self.stack.get(fpos).copied().unwrap_or(Value::NONE);
        let Some(Obj::Function(func)) = self.store.obj(f) else {
            return Err(PyErr::new(TypeId::TypeError, "object is not callable"));
        };
        let callee = Callee {
            module: func.module,
            code: func.code,
            globals: func.globals,
            kwdefaults: func.kwdefaults,
            closure: func.closure,
            n_defaults: func.defaults.len(),
        };
        let rec = self
            .modules
            .get(usize::from(callee.module))
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad function"))?;
        let loaded = rec.loaded.clone();
        let code = loaded
            .code
            .get(callee.code as usize)
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad function"))?;
        let base = fpos + 1;
        let n_locals = locals_len(code);
        let n_deref = code.cellvars.len() + code.freevars.len();
        let top = base + n_locals + n_deref + usize::from(code.stack_size);
        if self.frames.len() >= self.config.max_frames
            || top.max(base + n + k) > self.stack.capacity()
        {
            return Err(self.recursion_error());
        }
        self.bind(f, &callee, &loaded, code, base, n, kw_names, k)?;
        self.fill_derefs(code, callee.closure, base + n_locals)?;
        self.frames.push(Frame {
            module: callee.module,
            code: callee.code,
            pc: 0,
            next: 0,
            base,
            sp0: base + n_locals + n_deref,
            ret: fpos,
            globals: callee.globals,
            kind: FrameKind::Plain,
        });
        Ok(())
    }

    /// Creates the frame's empty cells and copies in the closure's cells.
    pub(super) fn fill_derefs(
        &mut self,
        code: &LoadedCode,
        closure: Value,
        at: usize,
    ) -> PyResult<()> {
        let n_cell = code.cellvars.len();
        let n_free = code.freevars.len();
        self.stack.resize(at + n_cell + n_free, Value::NULL);
        for i in 0..n_cell {
            let cell = self.alloc(Obj::Cell(Value::NULL))?;
            if let Some(slot) = self.stack.get_mut(at + i) {
                *slot = cell;
            }
        }
        if n_free == 0 {
            return Ok(());
        }
        let cells = self.store.seq_of(closure).unwrap_or(&[]);
        if cells.len() != n_free {
            return Err(PyErr::new(TypeId::RuntimeError, "closure size mismatch"));
        }
        for (i, c) in cells.iter().enumerate() {
            if let Some(slot) = self.stack.get_mut(at + n_cell + i) {
                *slot = *c;
            }
        }
        Ok(())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; a struct would only rename"
    )]
    fn bind(
        &mut self,
        f: Value,
        callee: &Callee,
        loaded: &Loaded,
        code: &LoadedCode,
        base: usize,
        n: usize,
        kw_names: Option<Value>,
        k: usize,
    ) -> PyResult<()> {
        let n_params = usize::from(code.n_params);
        let n_named = n_params + usize::from(code.n_kwonly);
        let has_varargs = code.flags & CODE_VARARGS != 0;
        let has_varkw = code.flags & CODE_VARKEYWORDS != 0;
        let name_ids = &self.modules[usize::from(callee.module)].name_ids;
        let param_ids: Vec<u32>;
        let mut inline_ids = [0u32; 16];
        let ids: &[u32] = if n_named <= inline_ids.len() {
            for (slot, l) in inline_ids
                .iter_mut()
                .zip(code.local_names.iter().take(n_named))
            {
                *slot = name_ids.get(*l as usize).copied().unwrap_or(u32::MAX);
            }
            &inline_ids[..n_named.min(code.local_names.len())]
        } else {
            let mut v = vec_with(n_named)?;
            for l in code.local_names.iter().take(n_named) {
                v.push(name_ids.get(*l as usize).copied().unwrap_or(u32::MAX));
            }
            param_ids = v;
            &param_ids
        };
        let fname = || String::from(loaded.name(code.name));
        let mut kw_inline = [(Value::NULL, Value::NULL); INLINE_KW];
        let kw_heap: Vec<(Value, Value)>;
        let names = kw_names.and_then(|t| self.store.seq_of(t)).unwrap_or(&[]);
        let values = self.stack.get(base + n..base + n + k).unwrap_or(&[]);
        let kw: &[(Value, Value)] = if k <= INLINE_KW {
            for (slot, pair) in kw_inline.iter_mut().zip(names.iter().zip(values)) {
                *slot = (*pair.0, *pair.1);
            }
            &kw_inline[..k.min(names.len())]
        } else {
            let mut v = vec_with(k)?;
            v.extend(names.iter().copied().zip(values.iter().copied()));
            kw_heap = v;
            &kw_heap
        };
        let varargs = if n > n_params {
            if !has_varargs {
                let kwonly_given = kw
                    .iter()
                    .filter(|(name, _)| {
                        ids.iter()
                            .skip(n_params)
                            .any(|id| Some(*id) == name.as_str_id())
                    })
                    .count();
                return Err(too_many(
                    &fname(),
                    n_params,
                    callee.n_defaults,
                    n,
                    kwonly_given,
                ));
            }
            let mut extra = vec_with(n - n_params)?;
            extra.extend_from_slice(self.stack.get(base + n_params..base + n).unwrap_or(&[]));
            new_tuple(self, extra)?
        } else {
            self.store.empty_tuple
        };
        let varkw = if has_varkw {
            self.alloc(Obj::Dict(Dict::new()))?
        } else {
            Value::NULL
        };
        self.stack.truncate(base + n.min(n_params));
        self.stack.resize(base + locals_len(code), Value::NULL);
        if has_varargs {
            self.stack[base + n_named] = varargs;
        }
        if has_varkw {
            self.stack[base + n_named + usize::from(has_varargs)] = varkw;
        }
        for (name, v) in kw {
            let Some(slot) = ids.iter().position(|id| Some(*id) == name.as_str_id()) else {
                if has_varkw {
                    dict_methods::setitem(self, varkw, *name, *v)?;
                    continue;
                }
                let kname = self.store.str_of(*name).unwrap_or("?");
                return Err(PyErr::type_error(format!(
                    "{}() got an unexpected keyword argument '{kname}'",
                    fname()
                )));
            };
            if !self.stack[base + slot].is_null() {
                let pname = self.store.strs.get(ids[slot]);
                return Err(PyErr::type_error(format!(
                    "{}() got multiple values for argument '{pname}'",
                    fname()
                )));
            }
            self.stack[base + slot] = *v;
        }
        self.apply_defaults(f, callee, loaded, code, ids, base, n)
    }

    /// Fills unbound parameters from the defaults; TypeError naming those still missing.
    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; a struct would only rename"
    )]
    fn apply_defaults(
        &mut self,
        f: Value,
        callee: &Callee,
        loaded: &Loaded,
        code: &LoadedCode,
        ids: &[u32],
        base: usize,
        n: usize,
    ) -> PyResult<()> {
        let n_params = usize::from(code.n_params);
        let first_default = n_params.saturating_sub(callee.n_defaults);
        let mut missing: Vec<u32> = Vec::new();
        for i in n.min(n_params)..n_params {
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
            missing.push(ids.get(i).copied().unwrap_or(0));
        }
        if !missing.is_empty() {
            return Err(self.missing(loaded.name(code.name), &missing, "positional"));
        }
        for (i, &id) in ids.iter().enumerate().skip(n_params) {
            if !self.stack[base + i].is_null() {
                continue;
            }
            if !callee.kwdefaults.is_null()
                && let Some(d) =
                    dict_methods::lookup(&self.store, callee.kwdefaults, Value::str(id))?
            {
                self.stack[base + i] = d;
                continue;
            }
            missing.push(id);
        }
        if !missing.is_empty() {
            return Err(self.missing(loaded.name(code.name), &missing, "keyword-only"));
        }
        Ok(())
    }

    fn missing(&self, fname: &str, ids: &[u32], kind: &str) -> PyErr {
        let quoted: Vec<String> = ids
            .iter()
            .map(|i| format!("'{}'", self.store.strs.get(*i)))
            .collect();
        let list = match quoted.as_slice() {
            [one] => one.clone(),
            [a, b] => format!("{a} and {b}"),
            [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
            [] => String::new(),
        };
        let s = if ids.len() == 1 { "" } else { "s" };
        PyErr::type_error(format!(
            "{fname}() missing {} required {kind} argument{s}: {list}",
            ids.len()
        ))
    }
}

fn too_many(name: &str, n_params: usize, n_defaults: usize, given: usize, kwonly: usize) -> PyErr {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let takes = if n_defaults > 0 {
        format!(
            "from {} to {n_params} positional arguments",
            n_params - n_defaults.min(n_params)
        )
    } else {
        format!("{n_params} positional argument{}", s(n_params))
    };
    let was = if given == 1 && kwonly == 0 {
        "was"
    } else {
        "were"
    };
    let given_text = if kwonly > 0 {
        format!(
            "{given} positional argument{} (and {kwonly} keyword-only argument{})",
            s(given),
            s(kwonly)
        )
    } else {
        format!("{given}")
    };
    PyErr::type_error(format!(
        "{name}() takes {takes} but {given_text} {was} given"
    ))
}
