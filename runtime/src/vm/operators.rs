//! Operators on instances of Python classes. In: COMPARE_OP, BINARY_SUBSCR and STORE_SUBSCR
//! where an operand is such an instance. Out: the result of the class's `__eq__`, `__ne__`,
//! `__lt__`, `__le__`, `__gt__`, `__ge__`, `__contains__`, `__getitem__`, `__setitem__`
//! (the reflected comparison when the left operand lacks one), or CPython's defaults:
//! identity for `==`/`!=`, TypeError for orderings and subscripts.

use alloc::format;

use super::Machine;
use crate::image::CompareOp;
use crate::port::Port;
use crate::types::{PyErr, PyResult, class, object};
use crate::value::Value;

impl Machine {
    /// Whether COMPARE_OP on `a`, `b` must look at Python methods.
    pub(super) fn compare_needs_vm(&self, op: u32, a: Value, b: Value) -> bool {
        let op = CompareOp::from_u8(op as u8);
        match op {
            Some(CompareOp::Is | CompareOp::IsNot) | None => false,
            Some(CompareOp::In | CompareOp::NotIn) => self.is_user_object(b),
            _ => self.is_user_object(a) || self.is_user_object(b),
        }
    }

    /// COMPARE_OP with a Python-class operand: [a, b] -> [result].
    pub(super) fn compare_instance(&mut self, port: &mut dyn Port, op: u32) -> PyResult<()> {
        let (a, b) = (self.peek(1), self.peek(0));
        let op = CompareOp::from_u8(op as u8).unwrap_or(CompareOp::Is);
        let v = match op {
            CompareOp::In | CompareOp::NotIn => {
                let found = self.contains_instance(port, b, a)?;
                Value::bool(found == (op == CompareOp::In))
            }
            _ => self.rich_compare(port, op, a, b)?,
        };
        self.pop();
        self.pop();
        self.push(v);
        Ok(())
    }

    fn rich_compare(
        &mut self,
        port: &mut dyn Port,
        op: CompareOp,
        a: Value,
        b: Value,
    ) -> PyResult<Value> {
        let (name, reflected) = match op {
            CompareOp::Eq => ("__eq__", "__eq__"),
            CompareOp::Ne => ("__ne__", "__ne__"),
            CompareOp::Lt => ("__lt__", "__gt__"),
            CompareOp::Le => ("__le__", "__ge__"),
            CompareOp::Gt => ("__gt__", "__lt__"),
            _ => ("__ge__", "__le__"),
        };
        if let Some(r) = self.call_special(port, a, name, &[b])? {
            return Ok(r);
        }
        if let Some(r) = self.call_special(port, b, reflected, &[a])? {
            return Ok(r);
        }
        if op == CompareOp::Ne
            && let Some(r) = self.call_special(port, a, "__eq__", &[b])?
        {
            return Ok(Value::bool(!object::truthy(&self.store, r)));
        }
        match op {
            CompareOp::Eq => Ok(Value::bool(a.is(b))),
            CompareOp::Ne => Ok(Value::bool(!a.is(b))),
            _ => Err(PyErr::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                class::type_name_of(&self.store, a),
                class::type_name_of(&self.store, b)
            ))),
        }
    }

    /// `x in container` for an instance: `__contains__`, else a scan of its iteration.
    fn contains_instance(
        &mut self,
        port: &mut dyn Port,
        container: Value,
        x: Value,
    ) -> PyResult<bool> {
        if let Some(r) = self.call_special(port, container, "__contains__", &[x])? {
            return Ok(object::truthy(&self.store, r));
        }
        if self.lookup_special(container, "__iter__")?.is_none() {
            return Err(PyErr::type_error(format!(
                "argument of type '{}' is not iterable",
                class::type_name_of(&self.store, container)
            )));
        }
        let items = self.collect_instance(port, container)?;
        let items = self.store.seq_of(items).unwrap_or(&[]);
        Ok(items
            .iter()
            .any(|y| y.is(x) || object::eq(&self.store, *y, x)))
    }

    /// BINARY_SUBSCR on an instance: [obj, key] -> [obj.__getitem__(key)].
    pub(super) fn getitem_instance(&mut self, port: &mut dyn Port) -> PyResult<()> {
        let (obj, key) = (self.peek(1), self.peek(0));
        let Some(v) = self.call_special(port, obj, "__getitem__", &[key])? else {
            return Err(PyErr::type_error(format!(
                "'{}' object is not subscriptable",
                class::type_name_of(&self.store, obj)
            )));
        };
        self.pop();
        self.pop();
        self.push(v);
        Ok(())
    }

    /// STORE_SUBSCR on an instance: [v, obj, key] -> [] through `__setitem__`.
    pub(super) fn setitem_instance(&mut self, port: &mut dyn Port) -> PyResult<()> {
        let (v, obj, key) = (self.peek(2), self.peek(1), self.peek(0));
        if self
            .call_special(port, obj, "__setitem__", &[key, v])?
            .is_none()
        {
            return Err(PyErr::type_error(format!(
                "'{}' object does not support item assignment",
                class::type_name_of(&self.store, obj)
            )));
        }
        self.stack.truncate(self.stack.len().saturating_sub(3));
        Ok(())
    }
}
