//! Slices. In: a slice object (start, stop, step, each None or an int) and a sequence length.
//! Out: the positions it selects, as CPython's `slice.indices` computes them (negative steps
//! too), slicing of list/tuple/str/bytes/range, and slice assignment and deletion on lists.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::obj::{Ctx, Obj, Store, new_list, new_tuple, vec_with};
use super::range::Range;
use super::{PyErr, PyResult, TypeId, list, object};
use crate::value::{Kind, Value};

/// The positions a slice selects: `start + i * step` for `i < len`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Indices {
    pub start: i64,
    pub step: i64,
    pub len: usize,
}

impl Indices {
    /// The `i`-th selected position.
    pub fn at(&self, i: usize) -> usize {
        (self.start + i as i64 * self.step).max(0) as usize
    }
}

/// Whether `v` is a slice object.
pub fn is_slice(store: &Store, v: Value) -> bool {
    matches!(store.obj(v), Some(Obj::Slice(..)))
}

fn bound(store: &Store, v: Value) -> PyResult<Option<i64>> {
    match v.kind() {
        Kind::None => Ok(None),
        Kind::Int(i) => Ok(Some(i)),
        Kind::Bool(b) => Ok(Some(i64::from(b))),
        _ if object::numeric(store, v).is_some() && v.as_float().is_none() => {
            // A big int bound clamps like CPython's (it is beyond any sequence length).
            Ok(Some(
                if object::truthy(store, v) && !is_negative(store, v) {
                    i64::MAX / 4
                } else {
                    i64::MIN / 4
                },
            ))
        }
        _ => Err(PyErr::new(
            TypeId::TypeError,
            "slice indices must be integers or None or have an __index__ method",
        )),
    }
}

fn is_negative(store: &Store, v: Value) -> bool {
    matches!(object::numeric(store, v), Some(super::number::Number::Int(b)) if b.sign() == num_bigint::Sign::Minus)
}

/// The positions slice `s` selects in a sequence of `len` items.
pub fn indices(store: &Store, s: Value, len: usize) -> PyResult<Indices> {
    let Some(Obj::Slice(start, stop, step)) = store.obj(s) else {
        return Err(PyErr::new(TypeId::TypeError, "expected a slice"));
    };
    let (start, stop, step) = (
        bound(store, *start)?,
        bound(store, *stop)?,
        bound(store, *step)?,
    );
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(PyErr::new(TypeId::ValueError, "slice step cannot be zero"));
    }
    let n = len as i64;
    let clamp = |v: Option<i64>, default: i64| -> i64 {
        let Some(mut v) = v else {
            return default;
        };
        if v < 0 {
            v += n;
            if v < 0 {
                v = if step < 0 { -1 } else { 0 };
            }
        } else if v >= n {
            v = if step < 0 { n - 1 } else { n };
        }
        v
    };
    let (start, stop) = if step < 0 {
        (clamp(start, n - 1), clamp(stop, -1))
    } else {
        (clamp(start, 0), clamp(stop, n))
    };
    let len = if step < 0 {
        if stop < start {
            (start - stop - 1) / -step + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    Ok(Indices {
        start,
        step,
        len: len.max(0) as usize,
    })
}

/// `seq[s]` for a slice `s` on a list, tuple, str, bytes or range.
pub fn getitem(cx: &mut dyn Ctx, seq: Value, s: Value) -> PyResult<Value> {
    let store = cx.store();
    if let Some(text) = store.str_of(seq) {
        let chars: Vec<char> = text.chars().collect();
        let ix = indices(store, s, chars.len())?;
        let mut out = String::new();
        out.try_reserve(ix.len)
            .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(ix.len)))?;
        (0..ix.len).for_each(|i| out.push(chars.get(ix.at(i)).copied().unwrap_or(' ')));
        return cx.alloc(Obj::Str(out));
    }
    match store.obj(seq) {
        Some(Obj::List(items)) | Some(Obj::Tuple(items)) => {
            let is_list = matches!(store.obj(seq), Some(Obj::List(_)));
            let ix = indices(store, s, items.len())?;
            let mut out = vec_with(ix.len)?;
            out.extend((0..ix.len).filter_map(|i| items.get(ix.at(i)).copied()));
            if is_list {
                new_list(cx, out)
            } else {
                new_tuple(cx, out)
            }
        }
        Some(Obj::Bytes(b)) => {
            let ix = indices(store, s, b.len())?;
            let mut out = vec_with(ix.len)?;
            out.extend((0..ix.len).filter_map(|i| b.get(ix.at(i)).copied()));
            cx.alloc(Obj::Bytes(out.into()))
        }
        Some(Obj::Range(r)) => {
            let r = *r;
            let ix = indices(store, s, r.len() as usize)?;
            let start = r.item(ix.start.max(0));
            let step = r.step * ix.step;
            let stop = start + step * ix.len as i64;
            cx.alloc(Obj::Range(Range { start, stop, step }))
        }
        _ => Err(PyErr::type_error(format!(
            "'{}' object is not subscriptable",
            store.type_name(seq)
        ))),
    }
}

/// `lst[s] = iterable`: a step-1 slice may change the length; an extended slice must match.
pub fn setitem(cx: &mut dyn Ctx, lst: Value, s: Value, v: Value) -> PyResult<()> {
    let new_items = object::collect(cx, v)?;
    let len = list_len(cx.store(), lst)?;
    let ix = indices(cx.store(), s, len)?;
    if ix.step == 1 {
        let start = ix.start.max(0) as usize;
        let end = start + ix.len;
        let grow = new_items.len().saturating_sub(ix.len);
        list::reserve(cx, lst, grow)?;
        list::items_mut(cx, lst)?.splice(start..end, new_items);
        return Ok(());
    }
    if new_items.len() != ix.len {
        return Err(PyErr::fmt(
            TypeId::ValueError,
            format!(
                "attempt to assign sequence of size {} to extended slice of size {}",
                new_items.len(),
                ix.len
            ),
        ));
    }
    let items = list::items_mut(cx, lst)?;
    for (i, item) in new_items.into_iter().enumerate() {
        if let Some(slot) = items.get_mut(ix.at(i)) {
            *slot = item;
        }
    }
    Ok(())
}

/// `del lst[s]`.
pub fn delitem(cx: &mut dyn Ctx, lst: Value, s: Value) -> PyResult<()> {
    let len = list_len(cx.store(), lst)?;
    let ix = indices(cx.store(), s, len)?;
    let mut drop = vec_with(len)?;
    drop.resize(len, false);
    for i in 0..ix.len {
        if let Some(d) = drop.get_mut(ix.at(i)) {
            *d = true;
        }
    }
    let items = list::items_mut(cx, lst)?;
    let mut k = 0;
    items.retain(|_| {
        let keep = !drop.get(k).copied().unwrap_or(false);
        k += 1;
        keep
    });
    Ok(())
}

fn list_len(store: &Store, lst: Value) -> PyResult<usize> {
    match store.obj(lst) {
        Some(Obj::List(items)) => Ok(items.len()),
        _ => Err(PyErr::type_error(format!(
            "'{}' object does not support slice assignment",
            store.type_name(lst)
        ))),
    }
}

/// `slice(start, stop, step)` repr.
pub fn repr_into(store: &Store, start: Value, stop: Value, step: Value, out: &mut String) {
    out.push_str("slice(");
    out.push_str(&object::repr(store, start));
    out.push_str(", ");
    out.push_str(&object::repr(store, stop));
    out.push_str(", ");
    out.push_str(&object::repr(store, step));
    out.push(')');
}
