//! Builtins that consume or build iterators: `iter`, `next`, `enumerate`, `zip`, `sum`, `min`,
//! `max`, `sorted`, `any`, `all`. In: iterables. Out: results with CPython's errors. Natives
//! never call back into Python, so `key=` functions are refused with a TypeError.

use alloc::format;
use alloc::vec::Vec;
use core::cmp::Ordering;

use super::super::{exact_args, no_kw};
use crate::image::BinaryOp;
use crate::port::Port;
use crate::types::iterator::{self, Iter};
use crate::types::obj::{Ctx, new_list, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, object};
use crate::value::Value;
use crate::vm::Machine;

type Kw<'a> = &'a [(Value, Value)];

pub(super) fn iter(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
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
    match m.next_or_stop(port, it)? {
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

pub(super) fn sum(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
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
    let items = object::collect(m, src)?;
    let mut acc = start;
    for x in items {
        acc = m.binary(BinaryOp::Add, acc, x, false)?;
        m.keep(acc);
    }
    Ok(acc)
}

pub(super) fn min(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    extreme(m, args, kw, "min", Ordering::Less)
}

pub(super) fn max(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    extreme(m, args, kw, "max", Ordering::Greater)
}

fn extreme(m: &mut Machine, args: &[Value], kw: Kw, name: &str, want: Ordering) -> PyResult<Value> {
    let mut default = None;
    for (k, v) in kw {
        match m.store.str_of(*k) {
            Some("default") if args.len() == 1 => default = Some(*v),
            Some("key") => return Err(no_key(name)),
            _ => return Err(unexpected(m, name, *k)),
        }
    }
    let items: Vec<Value> = match args {
        [] => {
            return Err(PyErr::type_error(format!(
                "{name} expected at least 1 argument, got 0"
            )));
        }
        [src] => object::collect(m, *src)?,
        _ => args.to_vec(),
    };
    let Some((&first, rest)) = items.split_first() else {
        return default.ok_or_else(|| {
            PyErr::fmt(
                TypeId::ValueError,
                format!("{name}() arg is an empty sequence"),
            )
        });
    };
    let mut best = first;
    let op = if want == Ordering::Less { "<" } else { ">" };
    for x in rest {
        if object::order(&m.store, op, *x, best)? == Some(want) {
            best = *x;
        }
    }
    Ok(best)
}

pub(super) fn sorted(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    let mut reverse = false;
    for (k, v) in kw {
        match m.store.str_of(*k) {
            Some("reverse") => reverse = object::truthy(&m.store, *v),
            Some("key") => return Err(no_key("sorted")),
            _ => return Err(unexpected(m, "sorted", *k)),
        }
    }
    let [src] = args else {
        return Err(PyErr::type_error(format!(
            "sorted expected 1 argument, got {}",
            args.len()
        )));
    };
    let mut items = object::collect(m, *src)?;
    object::sort(&m.store, &mut items, reverse)?;
    new_list(m, items)
}

pub(super) fn any(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let items = object::collect(m, args[0])?;
    Ok(Value::bool(
        items.iter().any(|x| object::truthy(&m.store, *x)),
    ))
}

pub(super) fn all(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let items = object::collect(m, args[0])?;
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

fn no_key(name: &str) -> PyErr {
    PyErr::type_error(format!(
        "{name}(): key functions are not supported (built-ins cannot call Python code)"
    ))
}
