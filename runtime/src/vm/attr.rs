//! Attributes. In: an object and an interned name (LOAD_ATTR, STORE_ATTR, DELETE_ATTR,
//! LOAD_METHOD). Out: module globals, methods of built-in types (bound, or as a callable plus
//! `self` for LOAD_METHOD), exception fields, `__name__`; AttributeError otherwise.

use alloc::format;

use super::Machine;
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods};
use crate::value::Value;

impl Machine {
    /// `obj.name`.
    pub(crate) fn load_attr(&mut self, obj: Value, name: Value) -> PyResult<Value> {
        let (f, slf) = self.load_method(obj, name)?;
        if slf.is_null() {
            return Ok(f);
        }
        self.bind_method(f, slf)
    }

    /// LOAD_METHOD: a method and its `self`, or an attribute and NULL.
    pub(crate) fn load_method(&mut self, obj: Value, name: Value) -> PyResult<(Value, Value)> {
        if let Some(found) = self.load_user_attr(obj, name)? {
            return Ok(found);
        }
        let text = self.store.str_of(name).unwrap_or("");
        let ty = self.store.type_of(obj);
        if let Some(m) = crate::modules::method(ty, text) {
            return Ok((m, obj));
        }
        if let Some(r) = crate::types::complex::attr(&self.store, obj, text) {
            return r.map(|v| (v, Value::NULL));
        }
        if let Some(v) = crate::types::memoryview::attr(&self.store, obj, text) {
            return Ok((v, Value::NULL));
        }
        if let Some(m) = self.generator_method(obj, text) {
            return Ok((m, obj));
        }
        if let Some(m) = crate::modules::select::poll_method(self, obj, text) {
            return Ok((m, obj));
        }
        match self.store.obj(obj) {
            Some(Obj::Module(m)) => {
                let globals = m.globals;
                if let Some(v) = dict_methods::lookup(&self.store, globals, name)? {
                    return Ok((v, Value::NULL));
                }
                let mname = self.store.str_of(m.name).unwrap_or("?");
                return Err(PyErr::fmt(
                    TypeId::AttributeError,
                    format!("module '{mname}' has no attribute '{text}'"),
                ));
            }
            Some(Obj::Exception(e)) => match text {
                "args" => return Ok((e.args, Value::NULL)),
                "__cause__" => return Ok((e.cause, Value::NULL)),
                "__context__" => return Ok((e.context, Value::NULL)),
                "errno" if e.ty.is_subclass(TypeId::OSError) => {
                    let first = self.store.seq_of(e.args).and_then(|a| a.first().copied());
                    return Ok((first.unwrap_or(Value::NONE), Value::NULL));
                }
                "__suppress_context__" => {
                    return Ok((Value::bool(e.suppress_context), Value::NULL));
                }
                "value" if e.ty.is_subclass(TypeId::StopIteration) => {
                    return Ok((self.stop_value(obj), Value::NULL));
                }
                _ => {}
            },
            Some(Obj::Function(f)) if text == "__name__" => return Ok((f.name, Value::NULL)),
            _ => {}
        }
        if text == "__name__" {
            if let Some(t) = obj.as_type_id().and_then(TypeId::from_u16) {
                let id = self.store.strs.intern(t.name());
                return Ok((Value::str(id), Value::NULL));
            }
            if let Some(id) = obj.as_native() {
                let id = self.store.strs.intern(crate::modules::native_name(id));
                return Ok((Value::str(id), Value::NULL));
            }
        }
        Err(self.no_attribute(obj, text))
    }

    fn no_attribute(&self, obj: Value, name: &str) -> PyErr {
        if let Some(t) = obj.as_type_id().and_then(TypeId::from_u16) {
            return PyErr::fmt(
                TypeId::AttributeError,
                format!("type object '{}' has no attribute '{name}'", t.name()),
            );
        }
        PyErr::fmt(
            TypeId::AttributeError,
            format!(
                "'{}' object has no attribute '{name}'",
                self.store.type_name(obj)
            ),
        )
    }

    /// `obj.name = v`: modules only (built-in instances have no writable attributes).
    pub(crate) fn store_attr(&mut self, obj: Value, name: Value, v: Value) -> PyResult<()> {
        if self.store_exception_attr(obj, name, v)? {
            return Ok(());
        }
        if self.store_user_attr(obj, name, v)? {
            return Ok(());
        }
        if let Some(Obj::Module(m)) = self.store.obj(obj) {
            let globals = m.globals;
            return dict_methods::setitem(self, globals, name, v);
        }
        let text = self.store.str_of(name).unwrap_or("");
        Err(self.no_attribute(obj, text))
    }

    /// `del obj.name`.
    pub(crate) fn delete_attr(&mut self, obj: Value, name: Value) -> PyResult<()> {
        if self.store_user_attr(obj, name, Value::NULL)? {
            return Ok(());
        }
        if let Some(Obj::Module(m)) = self.store.obj(obj) {
            let globals = m.globals;
            if dict_methods::delitem(self, globals, name)?.is_some() {
                return Ok(());
            }
        }
        let text = self.store.str_of(name).unwrap_or("");
        Err(self.no_attribute(obj, text))
    }
}
