//! Names. In: identifier operands (LOAD_NAME/GLOBAL and friends) and local slots. Out: the
//! value from globals or builtins, or NameError (MicroPython's text, spec §3) and
//! UnboundLocalError (CPython 3.11's text).

use alloc::format;

use super::Machine;
use crate::image::Loaded;
use crate::types::{PyErr, PyResult, TypeId, dict_methods};
use crate::value::Value;

impl Machine {
    /// The interned str value of identifier `idx` of module `module`.
    #[inline]
    pub(super) fn name_value(&self, module: usize, idx: u32) -> Value {
        let id = self.modules[module]
            .name_ids
            .get(idx as usize)
            .copied()
            .unwrap_or(0);
        Value::str(id)
    }

    pub(super) fn load_global(&mut self, globals: Value, name: Value) -> PyResult<Value> {
        if let Some(v) = dict_methods::lookup(&self.store, globals, name)? {
            return Ok(v);
        }
        if let Some(v) = name.as_str_id().and_then(|id| self.builtins.get(&id)) {
            return Ok(*v);
        }
        Err(self.name_error(name))
    }

    /// NameError, in MicroPython's words.
    pub(super) fn name_error(&self, name: Value) -> PyErr {
        let text = self.store.str_of(name).unwrap_or("?");
        PyErr::fmt(TypeId::NameError, format!("name '{text}' isn't defined"))
    }

    pub(super) fn unbound_local(&self, loaded: &Loaded, code: u32, idx: u32) -> PyErr {
        let name = loaded
            .code
            .get(code as usize)
            .and_then(|c| c.local_names.get(idx as usize))
            .map_or("?", |n| loaded.name(*n));
        PyErr::fmt(
            TypeId::UnboundLocalError,
            format!(
                "cannot access local variable '{name}' where it is not associated with a value"
            ),
        )
    }
}
