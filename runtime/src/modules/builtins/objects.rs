//! Builtins for the object model and formatting. In: calls of `__build_class__`, `format`,
//! `issubclass`, `super`, `getattr`/`setattr`/`delattr`, and of the types `set`, `slice`,
//! `staticmethod`, `classmethod`. Out: their results. `__build_class__`
//! itself is intercepted by the VM's call path (it starts a frame for the class body); its
//! table entry exists so the name resolves and has an id.

use super::super::{exact_args, no_kw};
use crate::modules::Kw;
use crate::port::Port;
use crate::types::obj::Ctx;
use crate::types::{Obj, PyErr, PyResult, TypeId, class, set};
use crate::value::Value;
use crate::vm::Machine;

/// Native ids of this table start here (builtins' own ids stay below).
pub const BASE: u32 = 0xC0;

/// The natives of this file; id = `BASE` + index.
pub const NATIVES: &[(&str, super::NativeFn)] = &[
    ("__build_class__", build_class),
    ("format", format),
    ("issubclass", issubclass),
    ("super", super_),
    ("getattr", getattr),
    ("setattr", setattr),
    ("delattr", delattr),
];

/// Natives reached only as attributes (not builtins names); id = `BASE + INTERNAL_OFFSET` +
/// index.
const INTERNAL: &[(&str, super::NativeFn)] = &[("__init__", base_init)];

/// Where `INTERNAL` ids start, relative to `BASE`.
const INTERNAL_OFFSET: u32 = 0x20;

/// `__init__` of the built-in roots (`object`, the exception types), which `super().__init__`
/// reaches at the end of a class chain.
pub const BASE_INIT: Value = Value::native(BASE + INTERNAL_OFFSET);

/// The native with id `BASE + rel`.
pub fn native(rel: u32) -> Option<(&'static str, super::NativeFn)> {
    match rel.checked_sub(INTERNAL_OFFSET) {
        Some(i) => INTERNAL.get(i as usize).copied(),
        None => NATIVES.get(rel as usize).copied(),
    }
}

/// `super()` (the class and instance found from the calling method's frame) and
/// `super(cls, obj)`.
fn super_(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    let (cls, obj) = match args {
        [] => m.super_args()?,
        [cls, obj] => (*cls, *obj),
        _ => {
            return Err(PyErr::type_error(alloc::format!(
                "super() takes 0 or 2 arguments ({} given)",
                args.len()
            )));
        }
    };
    if !class::is_class(&m.store, cls) {
        return Err(PyErr::new(
            TypeId::TypeError,
            "super() argument 1 must be a class",
        ));
    }
    m.alloc(Obj::Super(cls, obj))
}

/// The interned form of attribute name `name` (TypeError unless it is a str).
fn attr_name(m: &mut Machine, name: Value) -> PyResult<Value> {
    let Some(text) = m.store.str_of(name) else {
        return Err(PyErr::type_error(alloc::format!(
            "attribute name must be string, not '{}'",
            class::type_name_of(&m.store, name)
        )));
    };
    let text = alloc::string::String::from(text);
    Ok(Value::str(m.store.strs.intern(&text)))
}

fn getattr(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    let (obj, name, default) = match args {
        [o, n] => (*o, *n, None),
        [o, n, d] => (*o, *n, Some(*d)),
        _ => {
            return Err(PyErr::type_error(alloc::format!(
                "getattr expected 2 or 3 arguments, got {}",
                args.len()
            )));
        }
    };
    let name = attr_name(m, name)?;
    match (m.load_attr(obj, name), default) {
        (Err(PyErr::Msg(TypeId::AttributeError, _)), Some(d)) => Ok(d),
        (r, _) => r,
    }
}

fn setattr(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 3)?;
    let name = attr_name(m, args[1])?;
    m.store_attr(args[0], name, args[2])?;
    Ok(Value::NONE)
}

fn delattr(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    let name = attr_name(m, args[1])?;
    m.delete_attr(args[0], name)?;
    Ok(Value::NONE)
}

/// `object.__init__(self)` / `Exception.__init__(self, *args)`: sets an exception's args.
fn base_init(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    let Some((slf, rest)) = args.split_first() else {
        return Err(PyErr::new(
            TypeId::TypeError,
            "__init__() needs an argument",
        ));
    };
    if !matches!(m.store.obj(*slf), Some(Obj::Exception(_))) {
        if !rest.is_empty() {
            return Err(PyErr::new(
                TypeId::TypeError,
                "object.__init__() takes exactly one argument (the instance to initialize)",
            ));
        }
        return Ok(Value::NONE);
    }
    let mut items = crate::types::obj::vec_with(rest.len())?;
    items.extend_from_slice(rest);
    let t = crate::types::obj::new_tuple(m, items)?;
    if let Some(Obj::Exception(e)) = m.store.obj_mut(*slf) {
        e.args = t;
    }
    Ok(Value::NONE)
}

/// `__build_class__` as a value (LOAD_BUILD_CLASS pushes it).
pub const BUILD_CLASS: Value = Value::native(BASE);

fn build_class(_: &mut Machine, _: &mut dyn Port, _: &[Value], _: Kw) -> PyResult<Value> {
    // Only reachable if the call path stops intercepting it: the class body needs a frame.
    Err(PyErr::new(
        TypeId::TypeError,
        "__build_class__ must be called by a class statement",
    ))
}

fn format(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    if args.is_empty() || args.len() > 2 {
        return Err(PyErr::type_error(alloc::format!(
            "format expected at most 2 arguments, got {}",
            args.len()
        )));
    }
    let spec = args.get(1).copied().unwrap_or(Value::NULL);
    m.format_with(port, args[0], spec)
}

fn issubclass(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    let is_type = |v: Value| class::is_class(&m.store, v) || v.as_type_id().is_some();
    if !is_type(args[0]) {
        return Err(PyErr::new(
            TypeId::TypeError,
            "issubclass() arg 1 must be a class",
        ));
    }
    let targets: &[Value] = match m.store.obj(args[1]) {
        Some(Obj::Tuple(items)) => items,
        _ => core::slice::from_ref(&args[1]),
    };
    Ok(Value::bool(
        targets
            .iter()
            .any(|t| class::is_subclass(&m.store, args[0], *t)),
    ))
}

/// `set()` / `set(iterable)`.
pub fn set_new(m: &mut Machine, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    match args {
        [] => set::new(m, &[]),
        [it] => {
            let s = set::new(m, &[])?;
            set::extend(m, s, *it)?;
            Ok(s)
        }
        _ => Err(PyErr::type_error(alloc::format!(
            "set expected at most 1 argument, got {}",
            args.len()
        ))),
    }
}

/// `slice(stop)` / `slice(start, stop[, step])`.
pub fn slice_new(m: &mut Machine, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    let (a, b, c) = match args {
        [stop] => (Value::NONE, *stop, Value::NONE),
        [start, stop] => (*start, *stop, Value::NONE),
        [start, stop, step] => (*start, *stop, *step),
        _ => {
            return Err(PyErr::type_error(alloc::format!(
                "slice expected at least 1 argument, got {}",
                args.len()
            )));
        }
    };
    m.alloc(Obj::Slice(a, b, c))
}

/// `staticmethod(f)` / `classmethod(f)`.
pub fn method_wrapper(m: &mut Machine, ty: TypeId, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    let [f] = args else {
        return Err(PyErr::type_error(alloc::format!(
            "{} expected 1 argument, got {}",
            ty.name(),
            args.len()
        )));
    };
    m.alloc(Obj::MethodWrapper(ty, *f))
}

/// `type(x)`: a user class for instances of one.
pub fn type_of(m: &Machine, x: Value) -> Value {
    class::class_of(&m.store, x)
}

/// Whether `x` is an instance of class or type `t` (user classes included).
pub fn is_instance(m: &Machine, x: Value, t: Value) -> PyResult<bool> {
    if !class::is_class(&m.store, t) && t.as_type_id().is_none() {
        return Err(PyErr::new(
            TypeId::TypeError,
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        ));
    }
    let cls = class::class_of(&m.store, x);
    Ok(class::is_subclass(&m.store, cls, t) || t.is(TypeId::Object.value()))
}
