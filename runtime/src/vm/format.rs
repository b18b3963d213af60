//! Formatting in the VM. In: FORMAT_VALUE (a value, a conversion and an optional spec),
//! BUILD_STRING, and `format()`. Out: strs, through `types::format` for built-in values and
//! through `__str__`/`__repr__`/`__format__` for instances of Python classes.

use alloc::string::String;
use alloc::vec::Vec;

use super::Machine;
use crate::port::Port;
use crate::types::obj::{new_str, string_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, format, object};

/// Container nesting `repr_runs_python` and `repr_container` follow.
const MAX_REPR_NESTING: usize = 16;
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
        if self.is_user_object(v) {
            if let Some(r) = self.call_special(port, v, "__str__", &[])? {
                return self.checked_str(r, "__str__");
            }
            if self.lookup_special(v, "__repr__")?.is_none() {
                let mut s = String::new();
                object::str_into(&self.store, v, &mut s);
                return new_str(self, s);
            }
        }
        if self.repr_runs_python(v) {
            return self.repr_value(port, v);
        }
        let mut s = String::new();
        object::str_into(&self.store, v, &mut s);
        new_str(self, s)
    }

    /// `repr(v)`, calling `__repr__` of Python classes, also for items of containers.
    pub fn repr_value(&mut self, port: &mut dyn Port, v: Value) -> PyResult<Value> {
        let mut s = String::new();
        if self.is_user_object(v) {
            if let Some(r) = self.call_special(port, v, "__repr__", &[])? {
                return self.checked_str(r, "__repr__");
            }
            object::repr_into(&self.store, v, &mut s);
        } else if self.repr_runs_python(v) {
            self.push(v);
            let r = self.repr_container(port, v, &mut s, 0);
            self.pop();
            r?;
        } else {
            object::repr_into(&self.store, v, &mut s);
        }
        new_str(self, s)
    }

    /// Whether `repr(v)` may run Python code: `v` is an object of a Python class, or a
    /// list, tuple, dict or set holding one (nesting bounded by `MAX_REPR_NESTING`).
    pub fn repr_runs_python(&self, v: Value) -> bool {
        self.runs_python_at(v, 0)
    }

    fn runs_python_at(&self, v: Value, depth: usize) -> bool {
        if self.is_user_object(v) {
            return true;
        }
        if depth >= MAX_REPR_NESTING {
            return false;
        }
        match self.store.obj(v) {
            Some(Obj::List(items) | Obj::Tuple(items)) => {
                items.iter().any(|x| self.runs_python_at(*x, depth + 1))
            }
            Some(Obj::Dict(d)) => d.iter().any(|e| {
                self.runs_python_at(e.key, depth + 1) || self.runs_python_at(e.value, depth + 1)
            }),
            Some(Obj::Set(d)) => d.iter().any(|e| self.runs_python_at(e.key, depth + 1)),
            _ => false,
        }
    }

    /// Appends the repr of container `v`, its items through `repr_value`.
    fn repr_container(
        &mut self,
        port: &mut dyn Port,
        v: Value,
        out: &mut String,
        depth: usize,
    ) -> PyResult<()> {
        let (open, close, pairs) = match self.store.obj(v) {
            Some(Obj::List(_)) => ("[", "]", false),
            Some(Obj::Tuple(_)) => ("(", ")", false),
            Some(Obj::Dict(_)) => ("{", "}", true),
            Some(Obj::Set(_)) => ("{", "}", false),
            _ => {
                if self.is_user_object(v) || depth >= MAX_REPR_NESTING {
                    let r = self.repr_value(port, v)?;
                    out.push_str(self.store.str_of(r).unwrap_or(""));
                } else {
                    object::repr_into(&self.store, v, out);
                }
                return Ok(());
            }
        };
        let items: Vec<Value> = match self.store.obj(v) {
            Some(Obj::List(items) | Obj::Tuple(items)) => items.to_vec(),
            Some(Obj::Dict(d)) => d.iter().flat_map(|e| [e.key, e.value]).collect(),
            Some(Obj::Set(d)) => d.iter().map(|e| e.key).collect(),
            _ => Vec::new(),
        };
        out.push_str(open);
        let step = if pairs { 2 } else { 1 };
        for (i, chunk) in items.chunks(step).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if let Some(first) = chunk.first() {
                self.repr_container(port, *first, out, depth + 1)?;
            }
            if let Some(value) = chunk.get(1) {
                out.push_str(": ");
                self.repr_container(port, *value, out, depth + 1)?;
            }
        }
        if items.len() == 1 && close == ")" {
            out.push(',');
        }
        out.push_str(close);
        Ok(())
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
