//! Formatting in the VM. In: FORMAT_VALUE (a value, a conversion and an optional spec),
//! BUILD_STRING, and `format()`. Out: strs, through `types::format` for built-in values and
//! through `__str__`/`__repr__`/`__format__` for instances of Python classes.

use alloc::string::String;

use super::Machine;
use crate::port::Port;
use crate::types::obj::{new_str, string_with};
use crate::types::{PyErr, PyResult, TypeId, format, object};
use crate::value::Value;

impl Machine {
    /// FORMAT_VALUE: [v, spec?] -> [format(conversion(v), spec)].
    pub(super) fn format_value(&mut self, port: &mut dyn Port, flags: u32) -> PyResult<()> {
        let has_spec = flags & 4 != 0;
        let spec = if has_spec { self.peek(0) } else { Value::NULL };
        let v = self.peek(usize::from(has_spec));
        let v = match flags & 3 {
            1 => self.str_value(port, v)?,
            2 => self.repr_value(port, v)?,
            3 => {
                let r = self.repr_value(port, v)?;
                let text = format::ascii_escape(self.store.str_of(r).unwrap_or(""));
                new_str(self, text)?
            }
            _ => v,
        };
        let out = self.format_with(port, v, spec)?;
        self.stack
            .truncate(self.stack.len().saturating_sub(1 + usize::from(has_spec)));
        self.push(out);
        Ok(())
    }

    /// BUILD_STRING: concatenates the top `n` strs.
    pub(super) fn build_string(&mut self, n: usize) -> PyResult<()> {
        let at = self.stack.len().saturating_sub(n);
        let parts = self.stack.get(at..).unwrap_or(&[]);
        let total = parts
            .iter()
            .map(|p| self.store.str_of(*p).map_or(0, str::len))
            .sum();
        let mut out = string_with(total)?;
        for p in parts {
            out.push_str(
                self.store
                    .str_of(*p)
                    .ok_or(PyErr::new(TypeId::TypeError, "BUILD_STRING of a non-str"))?,
            );
        }
        let s = new_str(self, out)?;
        self.stack.truncate(at);
        self.push(s);
        Ok(())
    }

    /// `format(v, spec)`; `spec` NULL or a str.
    pub fn format_with(&mut self, port: &mut dyn Port, v: Value, spec: Value) -> PyResult<Value> {
        let spec_text = if spec.is_null() {
            ""
        } else {
            self.store
                .str_of(spec)
                .ok_or(PyErr::type_error(alloc::format!(
                    "format() argument 2 must be str, not {}",
                    self.store.type_name(spec)
                )))?
        };
        if spec_text.is_empty() && self.store.str_of(v).is_some() {
            return Ok(v);
        }
        let spec_str = String::from(spec_text);
        if self.lookup_special(v, "__format__")?.is_some() {
            let s = new_str(self, spec_str)?;
            return self
                .call_special(port, v, "__format__", &[s])?
                .ok_or(PyErr::Bare(TypeId::TypeError));
        }
        if spec_str.is_empty() {
            return self.str_value(port, v);
        }
        let text = format::format_value(&self.store, v, &spec_str)?;
        new_str(self, text)
    }

    /// `str(v)`, calling `__str__` (or `__repr__`) of a Python class.
    pub fn str_value(&mut self, port: &mut dyn Port, v: Value) -> PyResult<Value> {
        if self.store.str_of(v).is_some() {
            return Ok(v);
        }
        for name in ["__str__", "__repr__"] {
            if let Some(r) = self.call_special(port, v, name, &[])? {
                return self.checked_str(r, name);
            }
        }
        let mut s = String::new();
        object::str_into(&self.store, v, &mut s);
        new_str(self, s)
    }

    /// `repr(v)`, calling `__repr__` of a Python class.
    pub fn repr_value(&mut self, port: &mut dyn Port, v: Value) -> PyResult<Value> {
        if let Some(r) = self.call_special(port, v, "__repr__", &[])? {
            return self.checked_str(r, "__repr__");
        }
        let mut s = String::new();
        object::repr_into(&self.store, v, &mut s);
        new_str(self, s)
    }

    fn checked_str(&self, r: Value, name: &str) -> PyResult<Value> {
        if self.store.str_of(r).is_none() {
            return Err(PyErr::type_error(alloc::format!(
                "{name} returned non-string (type {})",
                self.store.type_name(r)
            )));
        }
        Ok(r)
    }
}
