//! Iteration. In: an iterable and a position (the two stack slots of GET_ITER/FOR_ITER), or an
//! iterator object (`iter`, `enumerate`, `zip`). Out: the next item and the next position.
//! Positions: item index for list/tuple/bytes-likes/range, byte offset for str, entry position for
//! dicts and their views, so iterating a built-in sequence allocates nothing.

use alloc::vec::Vec;

use super::obj::{Ctx, Obj, Store, new_tuple, vec_with};
use super::object::not_iterable;
use super::{PyErr, PyResult, TypeId, int};
use crate::value::Value;

/// An iterator object's state.
#[derive(Debug)]
pub enum Iter {
    /// `iter(seq)`: a built-in iterable and the position in it.
    Seq { source: Value, pos: usize },
    /// `enumerate(it, start)`: an inner iterator and the next count.
    Enumerate { inner: Value, count: i64 },
    /// `zip(a, b, ..)`: inner iterators.
    Zip(Vec<Value>),
}

impl Iter {
    /// The Python type.
    pub fn type_id(&self) -> TypeId {
        match self {
            Iter::Seq { .. } => TypeId::Iterator,
            Iter::Enumerate { .. } => TypeId::Enumerate,
            Iter::Zip(_) => TypeId::Zip,
        }
    }

    /// Storage beyond the header.
    pub fn payload_bytes(&self) -> usize {
        match self {
            Iter::Zip(v) => v.capacity() * 8,
            _ => 16,
        }
    }

    /// Reports held values to the collector.
    pub fn trace(&self, visit: &mut dyn FnMut(Value)) {
        match self {
            Iter::Seq { source, .. } => visit(*source),
            Iter::Enumerate { inner, .. } => visit(*inner),
            Iter::Zip(v) => v.iter().for_each(|x| visit(*x)),
        }
    }
}

/// Whether `v` is a built-in iterable that iterates by position (see the module doc).
pub fn by_position(store: &Store, v: Value) -> bool {
    store.str_of(v).is_some()
        || matches!(
            store.obj(v),
            Some(
                Obj::List(_)
                    | Obj::Tuple(_)
                    | Obj::Bytes(_)
                    | Obj::ByteArray(_)
                    | Obj::MemoryView(_)
                    | Obj::Range(_)
                    | Obj::Dict(_)
                    | Obj::Set(_)
                    | Obj::DictView(..)
            )
        )
}

/// The item of positional iterable `source` at `pos` and the position after it; None at the end.
pub fn step(cx: &mut dyn Ctx, source: Value, pos: usize) -> PyResult<Option<(Value, usize)>> {
    let store = cx.store();
    if let Some(s) = store.str_of(source) {
        let Some(c) = s.get(pos..).and_then(|rest| rest.chars().next()) else {
            return Ok(None);
        };
        return Ok(Some((super::str::char_value(cx, c)?, pos + c.len_utf8())));
    }
    let next = pos + 1;
    Ok(match store.obj(source) {
        Some(Obj::List(items)) | Some(Obj::Tuple(items)) => items.get(pos).map(|v| (*v, next)),
        Some(Obj::Bytes(_) | Obj::ByteArray(_) | Obj::MemoryView(_)) => {
            super::buffer::require(store, source)?
                .get(pos)
                .and_then(|x| Value::int(i64::from(x)))
                .map(|v| (v, next))
        }
        Some(Obj::Range(r)) => {
            let r = *r;
            if (pos as i64) < r.len() {
                Some((int::from_i64(cx, r.item(pos as i64))?, next))
            } else {
                None
            }
        }
        Some(Obj::Dict(d) | Obj::Set(d)) => (pos..d.positions()).find_map(|p| {
            d.entry(p)
                .filter(|e| !e.key.is_null())
                .map(|e| (e.key, p + 1))
        }),
        Some(Obj::DictView(d, kind)) => {
            let kind = *kind;
            let found = match store.obj(*d) {
                Some(Obj::Dict(d)) => (pos..d.positions()).find_map(|p| {
                    d.entry(p)
                        .filter(|e| !e.key.is_null())
                        .map(|e| (p, e.key, e.value))
                }),
                _ => None,
            };
            match found {
                Some((p, k, v)) => Some((
                    match kind {
                        TypeId::DictKeys => k,
                        TypeId::DictValues => v,
                        _ => new_tuple(cx, alloc::vec![k, v])?,
                    },
                    p + 1,
                )),
                None => None,
            }
        }
        _ => return Err(not_iterable(store, source)),
    })
}

/// `iter(v)`: an iterator over a built-in iterable; an iterator is its own iterator.
pub fn iter(cx: &mut dyn Ctx, v: Value) -> PyResult<Value> {
    if matches!(cx.store().obj(v), Some(Obj::Iterator(_)))
        || matches!(cx.store().obj(v), Some(Obj::Generator(g)) if !g.coroutine)
    {
        return Ok(v);
    }
    if !by_position(cx.store(), v) {
        return Err(not_iterable(cx.store(), v));
    }
    cx.alloc(Obj::Iterator(Iter::Seq { source: v, pos: 0 }))
}

/// Iterators wrapped in `enumerate`/`zip` deeper than this raise RuntimeError rather than
/// exhaust the Rust stack.
const MAX_NESTING: usize = 64;

/// Advances iterator object `it`: its next item, or None when exhausted.
pub fn next(cx: &mut dyn Ctx, it: Value) -> PyResult<Option<Value>> {
    next_depth(cx, it, 0)
}

fn next_depth(cx: &mut dyn Ctx, it: Value, depth: usize) -> PyResult<Option<Value>> {
    if depth > MAX_NESTING {
        return Err(PyErr::new(
            TypeId::RuntimeError,
            "maximum recursion depth exceeded",
        ));
    }
    let state = match cx.store().obj(it) {
        Some(Obj::Iterator(Iter::Seq { source, pos })) => (Some((*source, *pos)), None, None),
        Some(Obj::Iterator(Iter::Enumerate { inner, count })) => {
            (None, Some((*inner, *count)), None)
        }
        Some(Obj::Iterator(Iter::Zip(inners))) => (None, None, Some(inners.clone())),
        _ => {
            return Err(PyErr::type_error(alloc::format!(
                "'{}' object is not an iterator",
                cx.store().type_name(it)
            )));
        }
    };
    match state {
        (Some((source, pos)), _, _) => match step(cx, source, pos)? {
            Some((v, next_pos)) => {
                if let Some(Obj::Iterator(Iter::Seq { pos, .. })) = cx.store_mut().obj_mut(it) {
                    *pos = next_pos;
                }
                Ok(Some(v))
            }
            None => Ok(None),
        },
        (_, Some((inner, count)), _) => {
            let Some(v) = next_depth(cx, inner, depth + 1)? else {
                return Ok(None);
            };
            if let Some(Obj::Iterator(Iter::Enumerate { count, .. })) = cx.store_mut().obj_mut(it) {
                *count += 1;
            }
            let n = int::from_i64(cx, count)?;
            Ok(Some(new_tuple(cx, alloc::vec![n, v])?))
        }
        (_, _, Some(inners)) => {
            if inners.is_empty() {
                return Ok(None);
            }
            let mut items = vec_with(inners.len())?;
            for inner in inners {
                match next_depth(cx, inner, depth + 1)? {
                    Some(v) => {
                        items.push(v);
                    }
                    None => return Ok(None),
                }
            }
            Ok(Some(new_tuple(cx, items)?))
        }
        _ => Ok(None),
    }
}
