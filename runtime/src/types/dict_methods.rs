//! Dicts as Python sees them: lookup, store and delete through `object::hash`/`object::eq`,
//! growth charged to the budget, and the dict methods (`METHODS`). In: dict values, keys.
//! Out: values, or KeyError with the key.

use alloc::vec::Vec;

use super::dict::Dict;
use super::obj::{Ctx, Method, Obj, Store, arity};
use super::object::{collect, eq, hash};
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

/// The dict methods.
pub const METHODS: &[(&str, Method)] = &[
    ("get", get),
    ("keys", keys),
    ("values", values),
    ("items", items),
    ("pop", pop),
    ("setdefault", setdefault),
    ("update", update),
    ("clear", clear),
    ("copy", copy),
];

fn dict(store: &Store, d: Value) -> PyResult<&Dict> {
    match store.obj(d) {
        Some(Obj::Dict(x)) => Ok(x),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a dict")),
    }
}

fn dict_mut(cx: &mut dyn Ctx, d: Value) -> PyResult<&mut Dict> {
    match cx.store_mut().obj_mut(d) {
        Some(Obj::Dict(x)) => Ok(x),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a dict")),
    }
}

/// Position of `key` in dict `d`, with its hash.
pub fn find(store: &Store, d: Value, key: Value) -> PyResult<(u64, Option<usize>)> {
    let h = hash(store, key)?;
    let x = dict(store, d)?;
    Ok((h, x.find(h, key, &|a, b| eq(store, a, b))))
}

/// `d.get(key)` without a default: the value or None.
pub fn lookup(store: &Store, d: Value, key: Value) -> PyResult<Option<Value>> {
    let (_, pos) = find(store, d, key)?;
    Ok(pos
        .and_then(|p| dict(store, d).ok()?.entry(p))
        .map(|e| e.value))
}

/// `d[key]`: KeyError when absent.
pub fn getitem(store: &Store, d: Value, key: Value) -> PyResult<Value> {
    lookup(store, d, key)?.ok_or(PyErr::Arg(TypeId::KeyError, key))
}

/// `d[key] = value`, growing (and charging) the storage when needed.
pub fn setitem(cx: &mut dyn Ctx, d: Value, key: Value, value: Value) -> PyResult<()> {
    let (h, pos) = find(cx.store(), d, key)?;
    if let Some(p) = pos {
        dict_mut(cx, d)?.set_at(p, value);
        return Ok(());
    }
    if let Some(payload) = dict(cx.store(), d)?.growth_needed() {
        if let Some(handle) = d.as_heap() {
            cx.grow(handle, payload)?;
        }
        dict_mut(cx, d)?
            .grow()
            .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(payload)))?;
    }
    dict_mut(cx, d)?.push(h, key, value);
    Ok(())
}

/// `del d[key]`: the removed value, or None when absent.
pub fn delitem(cx: &mut dyn Ctx, d: Value, key: Value) -> PyResult<Option<Value>> {
    let (_, pos) = find(cx.store(), d, key)?;
    Ok(pos
        .and_then(|p| dict_mut(cx, d).ok()?.remove_at(p))
        .map(|e| e.value))
}

/// A new dict holding `pairs`.
pub fn from_pairs(cx: &mut dyn Ctx, pairs: &[(Value, Value)]) -> PyResult<Value> {
    let d = cx.alloc(Obj::Dict(Dict::new()))?;
    for (k, v) in pairs {
        setitem(cx, d, *k, *v)?;
    }
    Ok(d)
}

/// Live (key, value) pairs of a dict, in order.
pub fn pairs(store: &Store, d: Value) -> PyResult<Vec<(Value, Value)>> {
    Ok(dict(store, d)?.iter().map(|e| (e.key, e.value)).collect())
}

fn get(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("dict.get", args, 1, 2)?;
    Ok(
        lookup(cx.store(), args[0], args[1])?
            .unwrap_or(args.get(2).copied().unwrap_or(Value::NONE)),
    )
}

fn view(cx: &mut dyn Ctx, args: &[Value], name: &str, kind: TypeId) -> PyResult<Value> {
    arity(name, args, 0, 0)?;
    dict(cx.store(), args[0])?;
    cx.alloc(Obj::DictView(args[0], kind))
}

fn keys(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    view(cx, args, "dict.keys", TypeId::DictKeys)
}

fn values(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    view(cx, args, "dict.values", TypeId::DictValues)
}

fn items(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    view(cx, args, "dict.items", TypeId::DictItems)
}

fn pop(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("dict.pop", args, 1, 2)?;
    match delitem(cx, args[0], args[1])? {
        Some(v) => Ok(v),
        None => args
            .get(2)
            .copied()
            .ok_or(PyErr::Arg(TypeId::KeyError, args[1])),
    }
}

fn setdefault(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("dict.setdefault", args, 1, 2)?;
    if let Some(v) = lookup(cx.store(), args[0], args[1])? {
        return Ok(v);
    }
    let v = args.get(2).copied().unwrap_or(Value::NONE);
    setitem(cx, args[0], args[1], v)?;
    Ok(v)
}

fn update(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("dict.update", args, 1, 1)?;
    let more = match cx.store().obj(args[1]) {
        Some(Obj::Dict(_)) => pairs(cx.store(), args[1])?,
        _ => pairs_of_iterable(cx, args[1])?,
    };
    for (k, v) in more {
        setitem(cx, args[0], k, v)?;
    }
    Ok(Value::NONE)
}

/// The (key, value) pairs of an iterable of 2-sequences, as `dict(...)` and `update` take it.
pub fn pairs_of_iterable(cx: &mut dyn Ctx, v: Value) -> PyResult<Vec<(Value, Value)>> {
    let items = collect(cx, v)?;
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match cx.store().seq_of(item) {
            Some([k, v]) => out.push((*k, *v)),
            Some(s) => {
                return Err(PyErr::fmt(
                    TypeId::ValueError,
                    alloc::format!(
                        "dictionary update sequence element #{i} has length {}; 2 is required",
                        s.len()
                    ),
                ));
            }
            None => {
                return Err(PyErr::new(
                    TypeId::TypeError,
                    "cannot convert dictionary update sequence element to a sequence",
                ));
            }
        }
    }
    Ok(out)
}

fn clear(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("dict.clear", args, 0, 0)?;
    dict_mut(cx, args[0])?.clear();
    Ok(Value::NONE)
}

fn copy(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("dict.copy", args, 0, 0)?;
    let p = pairs(cx.store(), args[0])?;
    from_pairs(cx, &p)
}
