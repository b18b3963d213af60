//! Classes in the VM. In: `__build_class__` calls, calls of class objects, attribute access on
//! classes and instances, special-method lookups. Out: class bodies run as frames whose return
//! makes the class, instances with `__init__` run as a frame whose return yields the instance,
//! bound methods, `super()`, and `call_any` for native code that calls a class (bounded by
//! `MAX_REENTRY`, DESIGN.md decision 8).

use alloc::format;

use super::bind::locals_len;
use super::dispatch::Step;
use super::{Frame, FrameKind, MAX_REENTRY, Machine};

/// Classes `super()` walks looking for the one defining the calling method (a chain this long
/// is beyond any class statement nesting in practice).
const MAX_SUPER_WALK: usize = 64;
use crate::port::Port;
use crate::types::class::{self, Class, Instance};
use crate::types::dict::Dict;
use crate::types::exception::Exception;
use crate::types::function::BoundMethod;
use crate::types::obj::{Ctx, new_tuple, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods};
use crate::value::Value;

impl Machine {
    /// `__build_class__(body, name, *bases)` at `stack[fpos]`: pushes the namespace dict and a
    /// class-body frame; its return builds the class (`return_special`).
    pub(super) fn enter_class_body(&mut self, fpos: usize, n: usize, k: usize) -> PyResult<Step> {
        if k > 0 {
            return Err(PyErr::new(
                TypeId::TypeError,
                "class keywords (metaclass=...) are not supported",
            ));
        }
        let body = self.stack.get(fpos + 1).copied().unwrap_or(Value::NONE);
        let name = self.stack.get(fpos + 2).copied().unwrap_or(Value::NONE);
        if n < 2 || self.store.str_of(name).is_none() {
            return Err(PyErr::new(
                TypeId::TypeError,
                "__build_class__: a body function and a name are required",
            ));
        }
        if n > 3 {
            return Err(PyErr::new(
                TypeId::TypeError,
                "multiple inheritance is not supported",
            ));
        }
        if n == 3 {
            let base = self.stack.get(fpos + 3).copied().unwrap_or(Value::NONE);
            if !class::is_class(&self.store, base) && base.as_type_id().is_none() {
                return Err(PyErr::new(TypeId::TypeError, "bases must be types"));
            }
        }
        let Some(Obj::Function(f)) = self.store.obj(body) else {
            return Err(PyErr::new(
                TypeId::TypeError,
                "__build_class__: func must be a function",
            ));
        };
        let (module, code_idx, globals, closure) = (f.module, f.code, f.globals, f.closure);
        let loaded = self
            .modules
            .get(usize::from(module))
            .map(|m| m.loaded.clone())
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad function"))?;
        let code = loaded
            .code
            .get(code_idx as usize)
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad function"))?;
        let n_locals = locals_len(code);
        let n_deref = code.cellvars.len() + code.freevars.len();
        let base = self.stack.len() + 1;
        if self.frames.len() >= self.config.max_frames
            || base + n_locals + n_deref + usize::from(code.stack_size) > self.stack.capacity()
        {
            return Err(self.recursion_error());
        }
        let ns = self.alloc(Obj::Dict(Dict::new()))?;
        self.push(ns);
        let key = Value::str(self.store.strs.intern("__name__"));
        if let Some(modname) = dict_methods::lookup(&self.store, globals, key)? {
            let key = Value::str(self.store.strs.intern("__module__"));
            dict_methods::setitem(self, ns, key, modname)?;
        }
        self.stack.resize(base + n_locals, Value::NULL);
        self.fill_derefs(code, closure, base + n_locals)?;
        self.frames.push(Frame {
            module,
            code: code_idx,
            pc: 0,
            next: 0,
            base,
            sp0: base + n_locals + n_deref,
            ret: fpos,
            globals,
            kind: FrameKind::ClassBody,
        });
        Ok(Step::Frame)
    }

    /// RETURN_VALUE of an `__init__` or class-body frame.
    pub(super) fn return_special(&mut self, frame: Frame, stop: usize) -> PyResult<Step> {
        let v = self.pop();
        let result = match frame.kind {
            FrameKind::Init => {
                if !v.is_none() {
                    return Err(PyErr::type_error(format!(
                        "__init__() should return None, not '{}'",
                        class::type_name_of(&self.store, v)
                    )));
                }
                self.frames.pop();
                self.stack.truncate(frame.ret);
                self.pop()
            }
            _ => {
                let ns = self.namespace(frame);
                let name = self
                    .stack
                    .get(frame.ret + 2)
                    .copied()
                    .unwrap_or(Value::NONE);
                let base = if frame.base >= frame.ret + 5 {
                    self.stack
                        .get(frame.ret + 3)
                        .copied()
                        .unwrap_or(Value::NULL)
                } else {
                    Value::NULL
                };
                let cls = self.alloc(Obj::Class(Class {
                    name,
                    base,
                    dict: ns,
                }))?;
                self.frames.pop();
                self.stack.truncate(frame.ret);
                cls
            }
        };
        if self.frames.len() <= stop {
            return Ok(Step::Done(result));
        }
        self.push(result);
        Ok(Step::Frame)
    }

    /// LOAD_NAME in a class body: the namespace, then globals, then builtins.
    pub(super) fn load_class_name(&mut self, frame: Frame, name: Value) -> PyResult<Value> {
        let ns = self.namespace(frame);
        if let Some(v) = dict_methods::lookup(&self.store, ns, name)? {
            return Ok(v);
        }
        self.load_global(frame.globals, name)
    }

    /// Calls class `cls` at `stack[fpos]` with `n` positional and `k` keyword arguments.
    pub(super) fn instantiate(
        &mut self,
        fpos: usize,
        n: usize,
        kw_names: Option<Value>,
        k: usize,
    ) -> PyResult<Step> {
        let cls = self.stack.get(fpos).copied().unwrap_or(Value::NONE);
        let root = class::builtin_root(&self.store, cls);
        let init_name = Value::str(self.store.strs.intern("__init__"));
        let init = class::lookup(&self.store, cls, init_name)?;
        let obj = if root.is_exception() {
            let mut args = vec_with(n)?;
            args.extend_from_slice(self.stack.get(fpos + 1..fpos + 1 + n).unwrap_or(&[]));
            let args = new_tuple(self, args)?;
            let mut e = Exception::new(root, args);
            e.class = cls;
            self.alloc(Obj::Exception(e))?
        } else if root == TypeId::Object {
            let dict = self.alloc(Obj::Dict(Dict::new()))?;
            self.alloc(Obj::Instance(Instance { class: cls, dict }))?
        } else {
            return Err(PyErr::type_error(format!(
                "subclassing built-in type '{}' is not supported",
                root.name()
            )));
        };
        let Some(init) = init else {
            if (n > 0 || k > 0) && !root.is_exception() {
                return Err(PyErr::type_error(format!(
                    "{}() takes no arguments",
                    class::name_of(&self.store, cls)
                )));
            }
            self.stack.truncate(fpos);
            self.push(obj);
            return Ok(Step::Next);
        };
        if self.stack.len() + 2 > self.stack.capacity() {
            return Err(self.recursion_error());
        }
        self.stack[fpos] = obj;
        self.stack.insert(fpos + 1, init);
        self.stack.insert(fpos + 2, obj);
        if !matches!(self.store.obj(init), Some(Obj::Function(_))) {
            return Err(PyErr::new(TypeId::TypeError, "__init__ must be a function"));
        }
        self.enter(fpos + 1, n + 1, kw_names, k)?;
        if let Some(f) = self.frames.last_mut() {
            f.kind = FrameKind::Init;
        }
        Ok(Step::Frame)
    }

    /// Attribute lookup on classes, instances and exceptions of user classes: Some((value,
    /// self)) as LOAD_METHOD wants it, None when `obj` is none of these, AttributeError when
    /// the name is missing from an instance and its class chain.
    pub(super) fn load_user_attr(
        &mut self,
        obj: Value,
        name: Value,
    ) -> PyResult<Option<(Value, Value)>> {
        if let Some(Obj::Super(cls, inst)) = self.store.obj(obj) {
            let (cls, inst) = (*cls, *inst);
            return self.load_super_attr(cls, inst, name).map(Some);
        }
        let is_class = class::is_class(&self.store, obj);
        let dict = class::instance_dict(&self.store, obj);
        let cls = class::class_of(&self.store, obj);
        let user = is_class || class::is_class(&self.store, cls);
        if !user {
            return Ok(None);
        }
        if let Some(d) = dict
            && let Some(v) = dict_methods::lookup(&self.store, d, name)?
        {
            return Ok(Some((v, Value::NULL)));
        }
        let text = self.store.str_of(name).unwrap_or("");
        if is_class {
            if text == "__name__"
                && let Some(Obj::Class(c)) = self.store.obj(obj)
            {
                return Ok(Some((c.name, Value::NULL)));
            }
            return match class::lookup(&self.store, obj, name)? {
                Some(v) => Ok(Some(self.unwrap_method(v, obj, Value::NULL))),
                None => Err(PyErr::fmt(
                    TypeId::AttributeError,
                    format!(
                        "type object '{}' has no attribute '{text}'",
                        class::name_of(&self.store, obj)
                    ),
                )),
            };
        }
        if text == "__class__" {
            return Ok(Some((cls, Value::NULL)));
        }
        match class::lookup(&self.store, cls, name)? {
            Some(v) => Ok(Some(self.unwrap_method(v, cls, obj))),
            None if matches!(self.store.obj(obj), Some(Obj::Exception(_))) => Ok(None),
            None => Err(PyErr::fmt(
                TypeId::AttributeError,
                format!(
                    "'{}' object has no attribute '{text}'",
                    class::name_of(&self.store, cls)
                ),
            )),
        }
    }

    /// `super(cls, inst).name`: looked up from `cls`'s base on, bound to `inst`; the built-in
    /// root's `__init__` when the chain has none.
    fn load_super_attr(
        &mut self,
        cls: Value,
        inst: Value,
        name: Value,
    ) -> PyResult<(Value, Value)> {
        let base = match self.store.obj(cls) {
            Some(Obj::Class(c)) => c.base,
            _ => Value::NULL,
        };
        let owner = if class::is_class(&self.store, inst) {
            inst
        } else {
            class::class_of(&self.store, inst)
        };
        if let Some(v) = class::lookup(&self.store, base, name)? {
            let bound_to = if class::is_class(&self.store, inst) {
                Value::NULL
            } else {
                inst
            };
            return Ok(self.unwrap_method(v, owner, bound_to));
        }
        let text = self.store.str_of(name).unwrap_or("");
        if text == "__init__" {
            return Ok((crate::modules::builtins::BASE_INIT, inst));
        }
        Err(PyErr::fmt(
            TypeId::AttributeError,
            format!("'super' object has no attribute '{text}'"),
        ))
    }

    /// The class and instance of zero-argument `super()`: the calling frame's function (in the
    /// callee slot below its frame) is looked up in the class chain of its first argument.
    pub fn super_args(&self) -> PyResult<(Value, Value)> {
        let no_cell = || PyErr::new(TypeId::RuntimeError, "super(): __class__ cell not found");
        let frame = self.frames.last().ok_or_else(no_cell)?;
        let n_params = self
            .modules
            .get(usize::from(frame.module))
            .and_then(|m| m.loaded.code.get(frame.code as usize))
            .map_or(0, |c| c.n_params);
        if n_params == 0 {
            return Err(PyErr::new(TypeId::RuntimeError, "super(): no arguments"));
        }
        let func = self.stack.get(frame.ret).copied().ok_or_else(no_cell)?;
        let inst = self
            .stack
            .get(frame.base)
            .copied()
            .filter(|v| !v.is_null())
            .ok_or(PyErr::new(TypeId::RuntimeError, "super(): no arguments"))?;
        let mut c = if class::is_class(&self.store, inst) {
            inst
        } else {
            class::class_of(&self.store, inst)
        };
        for _ in 0..MAX_SUPER_WALK {
            let Some(Obj::Class(k)) = self.store.obj(c) else {
                break;
            };
            let holds = self.store.obj(k.dict).is_some_and(|d| match d {
                Obj::Dict(d) => d.iter().any(|e| {
                    e.value.is(func)
                        || matches!(self.store.obj(e.value), Some(Obj::MethodWrapper(_, f)) if f.is(func))
                }),
                _ => false,
            });
            if holds {
                return Ok((c, inst));
            }
            c = k.base;
        }
        Err(no_cell())
    }

    /// What a class attribute `v` gives as (callable, self) for LOAD_METHOD: a function binds
    /// to the instance `inst` (none when looked up on the class), a classmethod to `cls`, a
    /// staticmethod to nothing.
    fn unwrap_method(&self, v: Value, cls: Value, inst: Value) -> (Value, Value) {
        match self.store.obj(v) {
            Some(Obj::Function(_)) => (v, inst),
            Some(Obj::MethodWrapper(TypeId::ClassMethod, f)) => (*f, cls),
            Some(Obj::MethodWrapper(_, f)) => (*f, Value::NULL),
            _ => (v, Value::NULL),
        }
    }

    /// `obj.name = v` on classes, instances and user exceptions; false for other objects.
    pub(super) fn store_user_attr(&mut self, obj: Value, name: Value, v: Value) -> PyResult<bool> {
        let target = match self.store.obj(obj) {
            Some(Obj::Class(c)) => c.dict,
            Some(Obj::Instance(i)) => i.dict,
            Some(Obj::Exception(e)) if !e.class.is_null() => {
                if e.dict.is_null() {
                    let d = self.alloc(Obj::Dict(Dict::new()))?;
                    if let Some(Obj::Exception(e)) = self.store.obj_mut(obj) {
                        e.dict = d;
                    }
                    d
                } else {
                    e.dict
                }
            }
            _ => return Ok(false),
        };
        if v.is_null() {
            if dict_methods::delitem(self, target, name)?.is_none() {
                let text = self.store.str_of(name).unwrap_or("?");
                let owner = class::type_name_of(&self.store, obj);
                return Err(PyErr::fmt(
                    TypeId::AttributeError,
                    format!("'{owner}' object has no attribute '{text}'"),
                ));
            }
            return Ok(true);
        }
        dict_methods::setitem(self, target, name, v)?;
        Ok(true)
    }

    /// The Python method `name` of an instance's class (unbound), when there is one. The
    /// with-statement, await and iteration protocols look `__enter__`, `__await__`, ... up
    /// through this.
    pub fn lookup_special(&mut self, obj: Value, name: &str) -> PyResult<Option<Value>> {
        let cls = class::class_of(&self.store, obj);
        if !class::is_class(&self.store, cls) {
            return Ok(None);
        }
        let key = Value::str(self.store.strs.intern(name));
        class::lookup(&self.store, cls, key)
    }

    /// Calls method `name` of `obj` with `args` when its class defines it (None otherwise).
    pub fn call_special(
        &mut self,
        port: &mut dyn Port,
        obj: Value,
        name: &str,
        args: &[Value],
    ) -> PyResult<Option<Value>> {
        let Some(f) = self.lookup_special(obj, name)? else {
            return Ok(None);
        };
        let mut all = vec_with(args.len() + 1)?;
        all.push(obj);
        all.extend_from_slice(args);
        self.call_value(port, f, &all).map(Some)
    }

    /// Calls any callable (a class too) through the call instruction's path and runs it to
    /// completion; `call_value` routes classes here.
    pub(super) fn call_any(
        &mut self,
        port: &mut dyn Port,
        f: Value,
        args: &[Value],
    ) -> PyResult<Value> {
        if self.reentry >= MAX_REENTRY || self.stack.len() + args.len() + 1 > self.stack.capacity()
        {
            return Err(self.recursion_error());
        }
        let fpos = self.stack.len();
        self.push(f);
        args.iter().for_each(|a| self.push(*a));
        let depth = self.frames.len();
        self.reentry += 1;
        let r = match self.call(port, args.len(), None, false) {
            Ok(Step::Frame) => self.run(port, depth),
            Ok(_) => Ok(self.pop()),
            Err(e) => Err(e),
        };
        self.reentry -= 1;
        if r.is_err() {
            self.frames.truncate(depth);
            self.stack.truncate(fpos);
        }
        r
    }

    /// A bound method of `slf`.
    pub(super) fn bind_method(&mut self, func: Value, slf: Value) -> PyResult<Value> {
        self.alloc(Obj::BoundMethod(BoundMethod { func, slf }))
    }
}
