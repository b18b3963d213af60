//! Sets. In: set values, items and method arguments. Out: membership, insertion (growth charged
//! to the budget like a dict's), the operators `|`, `&`, `-`, `^`, equality, and the set
//! methods (`METHODS`). A set is a `Dict` whose values are unused (None).

use alloc::vec::Vec;

use super::dict::Dict;
use super::obj::{Ctx, Method, Obj, Store, arity, vec_with};
use super::object::{collect, eq, hash};
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

/// The set methods.
pub const METHODS: &[(&str, Method)] = &[
    ("add", add_method),
    ("remove", remove),
    ("discard", discard),
    ("pop", pop),
    ("clear", clear),
    ("copy", copy),
    ("update", update),
    ("union", union),
    ("intersection", intersection),
    ("difference", difference),
    ("issubset", issubset),
];

fn table(store: &Store, s: Value) -> PyResult<&Dict> {
    match store.obj(s) {
        Some(Obj::Set(d)) => Ok(d),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a set")),
    }
}

fn table_mut(cx: &mut dyn Ctx, s: Value) -> PyResult<&mut Dict> {
    match cx.store_mut().obj_mut(s) {
        Some(Obj::Set(d)) => Ok(d),
        _ => Err(PyErr::new(TypeId::TypeError, "expected a set")),
    }
}

/// Whether `v` is a set.
pub fn is_set(store: &Store, v: Value) -> bool {
    matches!(store.obj(v), Some(Obj::Set(_)))
}

/// A new set holding `items` (duplicates dropped, first occurrence kept).
pub fn new(cx: &mut dyn Ctx, items: &[Value]) -> PyResult<Value> {
    let s = cx.alloc(Obj::Set(Dict::new()))?;
    for v in items {
        add(cx, s, *v)?;
    }
    Ok(s)
}

/// Position of `v` in set `s`, with its hash (TypeError for unhashable `v`).
fn find(store: &Store, s: Value, v: Value) -> PyResult<(u64, Option<usize>)> {
    let h = hash(store, v)?;
    Ok((h, table(store, s)?.find(h, v, &|a, b| eq(store, a, b))))
}

/// `v in s`.
pub fn contains(store: &Store, s: Value, v: Value) -> PyResult<bool> {
    Ok(find(store, s, v)?.1.is_some())
}

/// `s.add(v)`, growing (and charging) the storage when needed.
pub fn add(cx: &mut dyn Ctx, s: Value, v: Value) -> PyResult<()> {
    let (h, pos) = find(cx.store(), s, v)?;
    if pos.is_some() {
        return Ok(());
    }
    if let Some(payload) = table(cx.store(), s)?.growth_needed() {
        if let Some(handle) = s.as_heap() {
            cx.grow(handle, payload)?;
        }
        table_mut(cx, s)?
            .grow()
            .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(payload)))?;
    }
    table_mut(cx, s)?.push(h, v, Value::NONE);
    Ok(())
}

/// Adds every item of iterable `it` to `s`.
pub fn extend(cx: &mut dyn Ctx, s: Value, it: Value) -> PyResult<()> {
    for v in items_of(cx, it)? {
        add(cx, s, v)?;
    }
    Ok(())
}

/// The items of set `s`, in insertion order.
pub fn items(store: &Store, s: Value) -> PyResult<Vec<Value>> {
    let d = table(store, s)?;
    let mut out = vec_with(d.len())?;
    out.extend(d.iter().map(|e| e.key));
    Ok(out)
}

/// The items of any iterable (a set's without copying it through an iterator).
fn items_of(cx: &mut dyn Ctx, v: Value) -> PyResult<Vec<Value>> {
    if is_set(cx.store(), v) {
        return items(cx.store(), v);
    }
    collect(cx, v)
}

/// Set equality: same size, every item of one in the other.
pub fn equal(store: &Store, a: Value, b: Value) -> bool {
    let (Ok(x), Ok(y)) = (table(store, a), table(store, b)) else {
        return false;
    };
    x.len() == y.len() && x.iter().all(|e| contains(store, b, e.key).unwrap_or(false))
}

/// Sets are ordered by inclusion, a partial order: Less for a proper subset, Greater for a
/// proper superset, Equal for equal sets, None when neither contains the other (then `<`,
/// `<=`, `>` and `>=` are all false, as in Python).
pub fn subset_order(store: &Store, a: Value, b: Value) -> Option<core::cmp::Ordering> {
    let (Ok(x), Ok(y)) = (table(store, a), table(store, b)) else {
        return None;
    };
    let within = |small: Value, big: Value| {
        table(store, small)
            .map(|t| {
                t.iter()
                    .all(|e| contains(store, big, e.key).unwrap_or(false))
            })
            .unwrap_or(false)
    };
    let (nx, ny) = (x.len(), y.len());
    match nx.cmp(&ny) {
        core::cmp::Ordering::Less if within(a, b) => Some(core::cmp::Ordering::Less),
        core::cmp::Ordering::Greater if within(b, a) => Some(core::cmp::Ordering::Greater),
        core::cmp::Ordering::Equal if within(a, b) => Some(core::cmp::Ordering::Equal),
        _ => None,
    }
}

/// The binary operators on two sets: `|`, `&`, `-`, `^` by their symbol; None for others.
pub fn binary(cx: &mut dyn Ctx, op: &str, a: Value, b: Value) -> PyResult<Option<Value>> {
    if !is_set(cx.store(), a) || !is_set(cx.store(), b) {
        return Ok(None);
    }
    let left = items(cx.store(), a)?;
    let right = items(cx.store(), b)?;
    let out = new(cx, &[])?;
    match op {
        "|" => {
            for v in left.iter().chain(right.iter()) {
                add(cx, out, *v)?;
            }
        }
        "&" | "-" => {
            let keep_common = op == "&";
            for v in left {
                if contains(cx.store(), b, v)? == keep_common {
                    add(cx, out, v)?;
                }
            }
        }
        "^" => {
            for v in left {
                if !contains(cx.store(), b, v)? {
                    add(cx, out, v)?;
                }
            }
            for v in right {
                if !contains(cx.store(), a, v)? {
                    add(cx, out, v)?;
                }
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(out))
}

fn add_method(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("add", args, 1, 1)?;
    add(cx, args[0], args[1])?;
    Ok(Value::NONE)
}

fn take(cx: &mut dyn Ctx, s: Value, v: Value) -> PyResult<bool> {
    let (_, pos) = find(cx.store(), s, v)?;
    Ok(match pos {
        Some(p) => table_mut(cx, s)?.remove_at(p).is_some(),
        None => false,
    })
}

fn remove(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("remove", args, 1, 1)?;
    if !take(cx, args[0], args[1])? {
        return Err(PyErr::Arg(TypeId::KeyError, args[1]));
    }
    Ok(Value::NONE)
}

fn discard(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("discard", args, 1, 1)?;
    take(cx, args[0], args[1])?;
    Ok(Value::NONE)
}

fn pop(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("pop", args, 0, 0)?;
    let first = table(cx.store(), args[0])?.iter().next().map(|e| e.key);
    let Some(v) = first else {
        return Err(PyErr::new(TypeId::KeyError, "pop from an empty set"));
    };
    take(cx, args[0], v)?;
    Ok(v)
}

fn clear(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("clear", args, 0, 0)?;
    table_mut(cx, args[0])?.clear();
    Ok(Value::NONE)
}

fn copy(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("copy", args, 0, 0)?;
    let v = items(cx.store(), args[0])?;
    new(cx, &v)
}

fn update(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    for other in args.iter().skip(1) {
        extend(cx, args[0], *other)?;
    }
    Ok(Value::NONE)
}

fn with_other(cx: &mut dyn Ctx, args: &[Value], name: &str, op: &str) -> PyResult<Value> {
    arity(name, args, 1, 1)?;
    let other = if is_set(cx.store(), args[1]) {
        args[1]
    } else {
        let v = collect(cx, args[1])?;
        new(cx, &v)?
    };
    binary(cx, op, args[0], other)?.ok_or(PyErr::new(TypeId::TypeError, "expected a set"))
}

fn union(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    with_other(cx, args, "union", "|")
}

fn intersection(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    with_other(cx, args, "intersection", "&")
}

fn difference(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    with_other(cx, args, "difference", "-")
}

fn issubset(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("issubset", args, 1, 1)?;
    let mine = items(cx.store(), args[0])?;
    let other = items_of(cx, args[1])?;
    let all = mine
        .iter()
        .all(|v| other.iter().any(|w| eq(cx.store(), *v, *w)));
    Ok(Value::bool(all))
}
