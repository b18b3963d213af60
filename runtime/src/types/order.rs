//! Ordering: `<`, `<=`, `>`, `>=` between values, and the stable sort that `sorted` and
//! `list.sort` share. In: values. Out: an `Ordering` (None when unordered, as NaN is), a
//! sorted permutation, or the TypeError for types without an order.

use alloc::format;
use alloc::vec::Vec;
use core::cmp::Ordering;

use super::obj::{Obj, Store};
use super::object::{MAX_REPR_DEPTH, eq, num_cmp, numeric, too_deep};
use super::{PyErr, PyResult};
use crate::value::Value;

/// Orders `a` and `b` for `<` and friends (None when unordered, as NaN is); `op` names the
/// operator in the TypeError for types that have no order.
pub fn order(store: &Store, op: &str, a: Value, b: Value) -> PyResult<Option<Ordering>> {
    order_depth(store, op, a, b, 0)
}

fn order_depth(
    store: &Store,
    op: &str,
    a: Value,
    b: Value,
    depth: usize,
) -> PyResult<Option<Ordering>> {
    if depth > MAX_REPR_DEPTH {
        return Err(too_deep());
    }
    if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
        return Ok(Some(x.cmp(&y)));
    }
    if let (Some(x), Some(y)) = (numeric(store, a), numeric(store, b)) {
        return Ok(num_cmp(&x, &y));
    }
    if let (Some(x), Some(y)) = (store.str_of(a), store.str_of(b)) {
        return Ok(Some(x.cmp(y)));
    }
    if let Some(o) = super::buffer::order(store, a, b) {
        return Ok(Some(o));
    }
    match (store.obj(a), store.obj(b)) {
        (Some(Obj::List(x)), Some(Obj::List(y))) | (Some(Obj::Tuple(x)), Some(Obj::Tuple(y))) => {
            for (p, q) in x.iter().zip(y.iter()) {
                if !eq(store, *p, *q) {
                    return order_depth(store, op, *p, *q, depth + 1);
                }
            }
            return Ok(Some(x.len().cmp(&y.len())));
        }
        _ => {}
    }
    if super::set::is_set(store, a) && super::set::is_set(store, b) {
        return Ok(super::set::subset_order(store, a, b));
    }
    Err(PyErr::type_error(format!(
        "'{op}' not supported between instances of '{}' and '{}'",
        store.type_name(a),
        store.type_name(b)
    )))
}

/// Sorts `items` stably by `order` (merge sort: a comparison may fail or be inconsistent, as
/// with NaN, without upsetting the sort). Reversed when `reverse`, keeping equal items in order.
pub fn sort(store: &Store, items: &mut [Value], reverse: bool) -> PyResult<()> {
    let perm = sort_indices(store, items, reverse)?;
    let sorted: Vec<Value> = perm.iter().filter_map(|i| items.get(*i).copied()).collect();
    items.copy_from_slice(&sorted);
    Ok(())
}

/// The order in which `keys` sort (stably, as `sort` does): positions into `keys`.
pub fn sort_indices(store: &Store, keys: &[Value], reverse: bool) -> PyResult<Vec<usize>> {
    let n = keys.len();
    let mut items: Vec<usize> = super::obj::vec_with(n)?;
    items.extend(0..n);
    let mut buf = items.clone();
    let mut width = 1;
    let key = |i: usize| keys.get(i).copied().unwrap_or(Value::NONE);
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                let take_right = match order(store, "<", key(items[j]), key(items[i]))? {
                    Some(Ordering::Less) => !reverse,
                    Some(Ordering::Greater) => reverse,
                    _ => false,
                };
                if take_right {
                    buf[k] = items[j];
                    j += 1;
                } else {
                    buf[k] = items[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + (mid - i)].copy_from_slice(&items[i..mid]);
            k += mid - i;
            buf[k..k + (end - j)].copy_from_slice(&items[j..end]);
            start = end;
        }
        core::mem::swap(&mut items, &mut buf);
        width *= 2;
    }
    Ok(items)
}
