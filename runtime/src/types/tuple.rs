//! Tuples: immutable sequences; constant tuples are materialised once per module load.
//! In: tuple values and method arguments. Out: the tuple methods (`METHODS`).

use super::list::count_in;
use super::obj::{Ctx, Method, arity};
use super::object::eq;
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

/// The tuple methods.
pub const METHODS: &[(&str, Method)] = &[("count", count), ("index", index_of)];

fn items(cx: &dyn Ctx, v: Value) -> PyResult<&[Value]> {
    cx.store()
        .seq_of(v)
        .ok_or_else(|| PyErr::new(TypeId::TypeError, "expected a tuple"))
}

fn count(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("tuple.count", args, 1, 1)?;
    Ok(count_in(cx, items(cx, args[0])?, args[1]))
}

fn index_of(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("tuple.index", args, 1, 1)?;
    let store = cx.store();
    match items(cx, args[0])?
        .iter()
        .position(|x| eq(store, *x, args[1]))
    {
        Some(at) => Ok(Value::int(at as i64).unwrap_or(Value::NONE)),
        None => Err(PyErr::new(
            TypeId::ValueError,
            "tuple.index(x): x not in tuple",
        )),
    }
}
