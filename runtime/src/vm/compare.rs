//! Comparisons. In: two operands and a `CompareOp`. Out: a bool. Numbers compare by value
//! (int, float and bool mixed), strs and bytes-likes lexicographically, lists and tuples item by
//! item; `in` searches containers; `is` compares identity.

use alloc::format;
use core::cmp::Ordering;

use super::Machine;
use crate::image::CompareOp;
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods, object, order, str as pystr};
use crate::value::Value;

impl Machine {
    /// `a op b`.
    pub(super) fn compare(&mut self, op: CompareOp, a: Value, b: Value) -> PyResult<Value> {
        use CompareOp::*;
        if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
            let o = x.cmp(&y);
            if let Some(r) = ordering_result(op, Some(o)) {
                return Ok(Value::bool(r));
            }
        }
        Ok(Value::bool(match op {
            Is => a.is(b),
            IsNot => !a.is(b),
            Eq => object::eq(&self.store, a, b),
            Ne => !object::eq(&self.store, a, b),
            In => self.contains(b, a)?,
            NotIn => !self.contains(b, a)?,
            Lt | Le | Gt | Ge => {
                let o = order::order(&self.store, op.symbol(), a, b)?;
                ordering_result(op, o).unwrap_or(false)
            }
        }))
    }

    /// `x in container`.
    pub(super) fn contains(&mut self, container: Value, x: Value) -> PyResult<bool> {
        let store = &self.store;
        if let Some(s) = store.str_of(container) {
            return pystr::contains(self, s, x);
        }
        if let Some(found) = crate::types::buffer::contains(store, container, x)? {
            return Ok(found);
        }
        match store.obj(container) {
            Some(Obj::List(items)) | Some(Obj::Tuple(items)) => {
                Ok(items.iter().any(|y| object::eq(store, *y, x)))
            }
            Some(Obj::Dict(_)) => Ok(dict_methods::lookup(store, container, x)?.is_some()),
            Some(Obj::Set(_)) => crate::types::set::contains(store, container, x),
            Some(Obj::Range(r)) => Ok(match x.as_int() {
                Some(i) => {
                    let off = i - r.start;
                    let in_span = if r.step > 0 {
                        i >= r.start && i < r.stop
                    } else {
                        i <= r.start && i > r.stop
                    };
                    in_span && off % r.step == 0
                }
                None => false,
            }),
            Some(Obj::DictView(d, kind)) => {
                let (d, kind) = (*d, *kind);
                match kind {
                    TypeId::DictKeys => Ok(dict_methods::lookup(store, d, x)?.is_some()),
                    TypeId::DictValues => Ok(dict_methods::pairs(store, d)?
                        .iter()
                        .any(|(_, v)| object::eq(store, *v, x))),
                    _ => Ok(match store.seq_of(x) {
                        Some([k, v]) => dict_methods::lookup(store, d, *k)?
                            .is_some_and(|found| object::eq(store, found, *v)),
                        _ => false,
                    }),
                }
            }
            _ => Err(PyErr::type_error(format!(
                "argument of type '{}' is not iterable",
                store.type_name(container)
            ))),
        }
    }
}

/// The bool an ordering gives for `<`, `<=`, `>`, `>=`, `==`, `!=`; None for other operators.
fn ordering_result(op: CompareOp, o: Option<Ordering>) -> Option<bool> {
    use CompareOp::*;
    let Some(o) = o else {
        return match op {
            Ne => Some(true),
            Lt | Le | Gt | Ge | Eq => Some(false),
            _ => None,
        };
    };
    Some(match op {
        Lt => o == Ordering::Less,
        Le => o != Ordering::Greater,
        Gt => o == Ordering::Greater,
        Ge => o != Ordering::Less,
        Eq => o == Ordering::Equal,
        Ne => o != Ordering::Equal,
        _ => return None,
    })
}
