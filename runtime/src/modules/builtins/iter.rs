//! Builtins that consume or build iterators: `iter`, `next`, `enumerate`, `zip`, `sum`, `min`,
//! `max`, `sorted`, `any`, `all`. In: iterables. Out: results with CPython's errors. `key=`
//! functions are called back through `Machine::with_keys`.

use crate::modules::Kw;
use alloc::format;
use alloc::vec::Vec;
use core::cmp::Ordering;

use super::super::{exact_args, no_kw};
use crate::image::BinaryOp;
use crate::port::Port;
use crate::types::iterator::{self, Iter};
use crate::types::obj::{Ctx, new_list, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, object, order};
use crate::value::Value;
use crate::vm::Machine;

pub(super) fn iter(
    m: &mut Machine,
    port: &mut dyn Port,
    args: &[Value],
    kw: Kw,
) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    if m.is_user_object(args[0]) {
        return m.iter_of_instance(port, args[0]);
    }
    iterator::iter(m, args[0])
}

pub(super) fn next(
    m: &mut Machine,
    port: &mut dyn Port,
    args: &[Value],
    kw: Kw,
) -> PyResult<Value> {
    no_kw(kw)?;
    let (it, default) = match args {
        [it] => (*it, None),
        [it, d] => (*it, Some(*d)),
        _ => {
            return Err(PyErr::type_error(format!(
                "next expected at most 2 arguments, got {}",
                args.len()
            )));
        }
    };
    let item = match default {
        Some(_) => m.next_of(port, it)?,
        None => m.next_or_stop(port, it)?,
    };
    match item {
        Some(v) => Ok(v),
        None => default.ok_or(PyErr::Bare(TypeId::StopIteration)),
    }
}

pub(super) fn enumerate(
    m: &mut Machine,
    _: &mut dyn Port,
    args: &[Value],
    kw: Kw,
) -> PyResult<Value> {
    let mut start = 0;
    for (k, v) in kw {
        if m.store.str_of(*k) != Some("start") {
            return Err(unexpected(m, "enumerate", *k));
        }
        start = int_arg(m, *v)?;
    }
    let (src, start) = match args {
        [src] => (*src, start),
        [src, s] if kw.is_empty() => (*src, int_arg(m, *s)?),
        _ => {
            return Err(PyErr::new(
                TypeId::TypeError,
                "enumerate() takes 1 or 2 arguments",
            ));
        }
    };
    let inner = iterator::iter(m, src)?;
    m.alloc(Obj::Iterator(Iter::Enumerate {
        inner,
        count: start,
    }))
}

pub(super) fn zip(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    let mut inners = vec_with(args.len())?;
    for a in args {
        inners.push(iterator::iter(m, *a)?);
    }
    m.alloc(Obj::Iterator(Iter::Zip(inners)))
}

pub(super) fn sum(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    let mut start = Value::int(0).unwrap_or(Value::NONE);
    for (k, v) in kw {
        if m.store.str_of(*k) != Some("start") {
            return Err(unexpected(m, "sum", *k));
        }
        start = *v;
    }
    let (src, start) = match args {
        [src] => (*src, start),
        [src, s] if kw.is_empty() => (*src, *s),
        _ => {
            return Err(PyErr::new(
                TypeId::TypeError,
                "sum() takes 1 or 2 arguments",
            ));
        }
    };
    if m.store.str_of(start).is_some() {
        return Err(PyErr::new(
            TypeId::TypeError,
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    let items = m.collect_iterable(port, src)?;
    let mut acc = start;
    for x in items {
        acc = m.binary(BinaryOp::Add, acc, x, false)?;
        m.keep(acc);
    }
    Ok(acc)
}

pub(super) fn min(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    extreme(m, port, args, kw, "min", Ordering::Less)
}

pub(super) fn max(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    extreme(m, port, args, kw, "max", Ordering::Greater)
}

fn extreme(
    m: &mut Machine,
    port: &mut dyn Port,
    args: &[Value],
    kw: Kw,
    name: &str,
    want: Ordering,
) -> PyResult<Value> {
    let mut default = None;
    let mut key = Value::NONE;
    for (k, v) in kw {
        match m.store.str_of(*k) {
            Some("default") if args.len() == 1 => default = Some(*v),
            Some("key") => key = *v,
            _ => return Err(unexpected(m, name, *k)),
        }
    }
    let items: Vec<Value> = match args {
        [] => {
            return Err(PyErr::type_error(format!(
                "{name} expected at least 1 argument, got 0"
            )));
        }
        [src] => m.collect_iterable(port, *src)?,
        _ => args.to_vec(),
    };
    if items.is_empty() {
        return default.ok_or_else(|| {
            PyErr::fmt(
                TypeId::ValueError,
                format!("{name}() arg is an empty sequence"),
            )
        });
    }
    let op = if want == Ordering::Less { "<" } else { ">" };
    let pick = |m: &mut Machine, items: &[Value], keys: &[Value]| -> PyResult<Value> {
        let mut best = 0;
        for i in 1..keys.len() {
            if order::order(&m.store, op, keys[i], keys[best])? == Some(want) {
                best = i;
            }
        }
        Ok(items.get(best).copied().unwrap_or(Value::NONE))
    };
    if key.is_none() {
        return pick(m, &items, &items);
    }
    m.with_keys(port, items, key, pick)
}

pub(super) fn sorted(
    m: &mut Machine,
    port: &mut dyn Port,
    args: &[Value],
    kw: Kw,
) -> PyResult<Value> {
    let mut reverse = false;
    let mut key = Value::NONE;
    for (k, v) in kw {
        match m.store.str_of(*k) {
            Some("reverse") => reverse = object::truthy(&m.store, *v),
            Some("key") => key = *v,
            _ => return Err(unexpected(m, "sorted", *k)),
        }
    }
    let [src] = args else {
        return Err(PyErr::type_error(format!(
            "sorted expected 1 argument, got {}",
            args.len()
        )));
    };
    let mut items = m.collect_iterable(port, *src)?;
    if key.is_none() {
        order::sort(&m.store, &mut items, reverse)?;
        return new_list(m, items);
    }
    m.with_keys(port, items, key, |m, items, keys| {
        let perm = order::sort_indices(&m.store, keys, reverse)?;
        let mut out = vec_with(perm.len())?;
        out.extend(perm.iter().filter_map(|i| items.get(*i).copied()));
        new_list(m, out)
    })
}

pub(super) fn any(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let items = m.collect_iterable(port, args[0])?;
    Ok(Value::bool(
        items.iter().any(|x| object::truthy(&m.store, *x)),
    ))
}

pub(super) fn all(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let items = m.collect_iterable(port, args[0])?;
    Ok(Value::bool(
        items.iter().all(|x| object::truthy(&m.store, *x)),
    ))
}

fn int_arg(m: &Machine, v: Value) -> PyResult<i64> {
    v.as_int().ok_or_else(|| {
        PyErr::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            m.store.type_name(v)
        ))
    })
}

fn unexpected(m: &Machine, name: &str, k: Value) -> PyErr {
    PyErr::type_error(format!(
        "{name}() got an unexpected keyword argument '{}'",
        m.store.str_of(k).unwrap_or("?")
    ))
}
