//! Lists. In: list values and method arguments. Out: the list methods (`METHODS`) and the
//! growth path every push goes through: charge the budget, then `try_reserve`, then push.

use alloc::vec::Vec;

use super::obj::{Ctx, Method, Obj, arity};
use super::object::{collect, eq, index};
use super::order;
use super::{PyErr, PyResult, TypeId};
use crate::value::{Handle, Value};

/// The list methods.
pub const METHODS: &[(&str, Method)] = &[
    ("append", append),
    ("pop", pop),
    ("insert", insert),
    ("extend", extend),
    ("index", index_of),
    ("count", count),
    ("remove", remove),
    ("reverse", reverse),
    ("clear", clear),
    ("sort", sort),
];

/// The list behind `v`, mutably.
pub fn items_mut(cx: &mut dyn Ctx, v: Value) -> PyResult<&mut Vec<Value>> {
    match cx.store_mut().obj_mut(v) {
        Some(Obj::List(items)) => Ok(items),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a list")),
    }
}

fn items(cx: &dyn Ctx, v: Value) -> PyResult<&[Value]> {
    match cx.store().obj(v) {
        Some(Obj::List(items)) => Ok(items),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a list")),
    }
}

/// Makes room for `extra` more items, charging the budget before the storage grows.
pub fn reserve(cx: &mut dyn Ctx, v: Value, extra: usize) -> PyResult<()> {
    let Some(h): Option<Handle> = v.as_heap() else {
        return Ok(());
    };
    let (len, cap) = {
        let list = items_mut(cx, v)?;
        (list.len(), list.capacity())
    };
    let need = len.saturating_add(extra);
    if need <= cap {
        return Ok(());
    }
    let new_cap = need.max(cap.saturating_mul(2)).max(4);
    cx.grow(h, new_cap * 8)?;
    items_mut(cx, v)?
        .try_reserve_exact(new_cap - len)
        .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(new_cap * 8)))
}

/// Appends one item.
pub fn push(cx: &mut dyn Ctx, list: Value, item: Value) -> PyResult<()> {
    reserve(cx, list, 1)?;
    items_mut(cx, list)?.push(item);
    Ok(())
}

fn append(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.append", args, 1, 1)?;
    push(cx, args[0], args[1])?;
    Ok(Value::NONE)
}

fn pop(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.pop", args, 0, 1)?;
    let len = items(cx, args[0])?.len();
    if len == 0 {
        return Err(PyErr::new(TypeId::IndexError, "pop from empty list"));
    }
    let at = match args.get(1) {
        Some(k) => index(cx.store(), *k, len, "pop").map_err(|e| match e {
            PyErr::Msg(TypeId::IndexError, _) => {
                PyErr::new(TypeId::IndexError, "pop index out of range")
            }
            e => e,
        })?,
        None => len - 1,
    };
    Ok(items_mut(cx, args[0])?.remove(at))
}

fn insert(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.insert", args, 2, 2)?;
    let len = items(cx, args[0])?.len() as i64;
    let i = args[1]
        .as_int()
        .ok_or_else(|| PyErr::new(TypeId::TypeError, "'insert' index must be an integer"))?;
    let at = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
    reserve(cx, args[0], 1)?;
    items_mut(cx, args[0])?.insert(at, args[2]);
    Ok(Value::NONE)
}

fn extend(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.extend", args, 1, 1)?;
    let more = collect(cx, args[1])?;
    reserve(cx, args[0], more.len())?;
    items_mut(cx, args[0])?.extend_from_slice(&more);
    Ok(Value::NONE)
}

fn index_of(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.index", args, 1, 1)?;
    let store = cx.store();
    let list = items(cx, args[0])?;
    match list.iter().position(|x| eq(store, *x, args[1])) {
        Some(at) => Ok(Value::int(at as i64).unwrap_or(Value::NONE)),
        None => Err(PyErr::new(
            TypeId::ValueError,
            "list.index(x): x not in list",
        )),
    }
}

/// `count` for lists and tuples: how many items equal `x`.
pub fn count_in(cx: &dyn Ctx, items: &[Value], x: Value) -> Value {
    let store = cx.store();
    Value::int(items.iter().filter(|y| eq(store, **y, x)).count() as i64).unwrap_or(Value::NONE)
}

fn count(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.count", args, 1, 1)?;
    Ok(count_in(cx, items(cx, args[0])?, args[1]))
}

fn remove(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.remove", args, 1, 1)?;
    let store = cx.store();
    let at = items(cx, args[0])?
        .iter()
        .position(|x| eq(store, *x, args[1]))
        .ok_or_else(|| PyErr::new(TypeId::ValueError, "list.remove(x): x not in list"))?;
    items_mut(cx, args[0])?.remove(at);
    Ok(Value::NONE)
}

fn reverse(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.reverse", args, 0, 0)?;
    items_mut(cx, args[0])?.reverse();
    Ok(Value::NONE)
}

fn clear(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.clear", args, 0, 0)?;
    items_mut(cx, args[0])?.clear();
    Ok(Value::NONE)
}

fn sort(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("list.sort", args, 0, 0)?;
    sort_in_place(cx, args[0], false)
}

/// `list.sort(reverse=...)`: stable, in place; the order of `object::order`.
pub fn sort_in_place(cx: &mut dyn Ctx, list: Value, reverse: bool) -> PyResult<Value> {
    let mut items = collect(cx, list)?;
    order::sort(cx.store(), &mut items, reverse)?;
    let target = items_mut(cx, list)?;
    if target.len() == items.len() {
        target.copy_from_slice(&items);
    }
    Ok(Value::NONE)
}
