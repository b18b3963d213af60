//! Imports. In: IMPORT_NAME / IMPORT_FROM operands. Out: built-in modules (`micropython`),
//! created once and kept in the module table; ImportError for anything else (importing `.py`
//! files goes through a host hook that does not exist yet).

use alloc::format;

use super::Machine;
use crate::types::dict::Dict;
use crate::types::function::Module;
use crate::types::obj::Ctx;
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods};
use crate::value::Value;

impl Machine {
    /// IMPORT_NAME: the module named `name` (fromlist does not change which, for flat names).
    pub(super) fn import(&mut self, name: Value, _fromlist: Value) -> PyResult<Value> {
        let Some(id) = name.as_str_id() else {
            return Err(PyErr::new(TypeId::ImportError, "bad module name"));
        };
        if let Some((_, m)) = self.sys_modules.iter().find(|(n, _)| *n == id) {
            return Ok(*m);
        }
        let text = self.store.strs.get(id);
        let Some(members) = crate::modules::builtin_module(text) else {
            let msg = format!("no module named '{text}'");
            return Err(PyErr::fmt(TypeId::ImportError, msg));
        };
        let globals = self.alloc(Obj::Dict(Dict::new()))?;
        let key = Value::str(self.store.strs.intern("__name__"));
        dict_methods::setitem(self, globals, key, name)?;
        for (member, v) in members {
            let k = Value::str(self.store.strs.intern(member));
            dict_methods::setitem(self, globals, k, *v)?;
        }
        let m = self.alloc(Obj::Module(Module { name, globals }))?;
        self.sys_modules.push((id, m));
        Ok(m)
    }

    /// IMPORT_FROM: `module.name`, or ImportError.
    pub(super) fn import_from(&mut self, module: Value, name: Value) -> PyResult<Value> {
        if let Some(Obj::Module(m)) = self.store.obj(module) {
            let globals = m.globals;
            if let Some(v) = dict_methods::lookup(&self.store, globals, name)? {
                return Ok(v);
            }
        }
        let text = self.store.str_of(name).unwrap_or("?");
        Err(PyErr::fmt(
            TypeId::ImportError,
            format!("cannot import name '{text}'"),
        ))
    }
}
