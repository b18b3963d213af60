//! Built-in modules and the native-function table. In: a native id or a built-in type being
//! called, with arguments. Out: the result. `builtins` and `micropython` are tables plus glue;
//! the methods of built-in types live in each type's file and are reached through `method`.
//!
//! Native ids: `0..MICROPYTHON_BASE` builtins functions, `MICROPYTHON_BASE..GENERATOR_BASE`
//! the micropython module, `GENERATOR_BASE..TIME_BASE` generator methods,
//! `TIME_BASE..SYS_BASE` the time module, `SYS_BASE..EVAL_BASE` the sys module,
//! `EVAL_BASE..SELECT_BASE` exec/eval/compile, `SELECT_BASE..METHOD_BASE` the select module
//! and poll-object methods, and `METHOD_BASE + (type << 8) + index` methods
//! of built-in types.

pub mod builtins;
pub mod eval;
pub mod micropython;
pub mod select;
pub mod sys;
pub mod time;

use alloc::format;

use crate::port::Port;
use crate::types::obj::Method;
use crate::types::{PyErr, PyResult, TypeId, bytes, dict_methods, list, str_methods, tuple};
use crate::value::{Kind, Value};
use crate::vm::Machine;

/// A native function: the VM, the port, positional arguments, keyword (name, value) pairs.
pub type NativeFn = fn(&mut Machine, &mut dyn Port, &[Value], Kw) -> PyResult<Value>;

/// Keyword arguments as (name, value) pairs.
pub type Kw<'a> = &'a [(Value, Value)];

/// First id of the micropython module's functions.
pub const MICROPYTHON_BASE: u32 = 0x100;
/// First id of the methods of generators and coroutines.
pub const GENERATOR_BASE: u32 = 0x200;
/// First id of the time module's functions.
pub const TIME_BASE: u32 = 0x300;
/// First id of the sys module's functions.
pub const SYS_BASE: u32 = 0x400;
/// First id of `exec`, `eval` and `compile` (`eval`).
pub const EVAL_BASE: u32 = 0x480;
/// First id of the select module's functions and poll-object methods.
pub const SELECT_BASE: u32 = 0x500;
/// First id of type methods.
pub const METHOD_BASE: u32 = 0x1_0000;

fn methods_of(ty: TypeId) -> &'static [(&'static str, Method)] {
    match ty {
        TypeId::Str => str_methods::METHODS,
        TypeId::List => list::METHODS,
        TypeId::Tuple => tuple::METHODS,
        TypeId::Dict => dict_methods::METHODS,
        TypeId::Bytes => bytes::METHODS,
        TypeId::ByteArray => crate::types::bytearray::METHODS,
        TypeId::MemoryView => crate::types::memoryview::METHODS,
        TypeId::RingIO => crate::types::ringio::METHODS,
        TypeId::Complex => crate::types::complex::METHODS,
        TypeId::Set => crate::types::set::METHODS,
        _ => &[],
    }
}

/// The method `name` of built-in type `ty`, as a native function value.
pub fn method(ty: TypeId, name: &str) -> Option<Value> {
    let idx = methods_of(ty).iter().position(|(n, _)| *n == name)?;
    Some(Value::native(METHOD_BASE + ((ty as u32) << 8) + idx as u32))
}

fn decode_method(id: u32) -> Option<(&'static str, Method)> {
    let rel = id.checked_sub(METHOD_BASE)?;
    let ty = TypeId::from_u16((rel >> 8) as u16)?;
    methods_of(ty).get((rel & 0xFF) as usize).copied()
}

/// A table of native functions: the id of its first entry and the entries, id = base + index.
struct Table {
    base: u32,
    natives: &'static [(&'static str, NativeFn)],
}

/// Every table above the builtins, by descending base: an id belongs to the first table whose
/// base it reaches.
const TABLES: &[Table] = &[
    Table {
        base: SELECT_BASE,
        natives: select::NATIVES,
    },
    Table {
        base: EVAL_BASE,
        natives: eval::NATIVES,
    },
    Table {
        base: SYS_BASE,
        natives: sys::NATIVES,
    },
    Table {
        base: TIME_BASE,
        natives: time::NATIVES,
    },
    Table {
        base: GENERATOR_BASE,
        natives: crate::vm::gen_native::METHODS,
    },
    Table {
        base: MICROPYTHON_BASE,
        natives: micropython::NATIVES,
    },
];

fn table_entry(id: u32) -> Option<(&'static str, NativeFn)> {
    if id >= METHOD_BASE {
        return None;
    }
    match TABLES.iter().find(|t| id >= t.base) {
        Some(t) => t.natives.get((id - t.base) as usize).copied(),
        None => builtins::native(id),
    }
}

/// The name of a native function, for repr and `__name__`.
pub fn native_name(id: u32) -> &'static str {
    if let Some((name, _)) = decode_method(id) {
        return name;
    }
    table_entry(id).map_or("?", |(name, _)| name)
}

/// A built-in module: its functions (ids from `base`, in table order) and its other members.
pub struct BuiltinModule {
    /// The id of the first function.
    pub base: u32,
    /// The functions, named as in the module.
    pub functions: &'static [(&'static str, NativeFn)],
    /// Members that are not functions (types, constants).
    pub constants: &'static [(&'static str, Value)],
}

impl BuiltinModule {
    /// Every member with its value: the functions, then the constants.
    pub fn members(&self) -> impl Iterator<Item = (&'static str, Value)> + '_ {
        let functions = self.functions.iter().enumerate();
        functions
            .map(|(i, (name, _))| (*name, Value::native(self.base + i as u32)))
            .chain(self.constants.iter().copied())
    }
}

/// The built-in module `name`, when it is one.
pub fn builtin_module(name: &str) -> Option<&'static BuiltinModule> {
    match name {
        "micropython" => Some(&micropython::MODULE),
        "time" => Some(&time::MODULE),
        "select" => Some(&select::MODULE),
        "sys" => Some(&sys::MODULE),
        _ => None,
    }
}

/// Calls native function or built-in type `f`.
pub fn call(
    m: &mut Machine,
    port: &mut dyn Port,
    f: Value,
    args: &[Value],
    kw: Kw,
) -> PyResult<Value> {
    match f.kind() {
        Kind::Type(t) => {
            let ty = TypeId::from_u16(t).ok_or(PyErr::new(TypeId::TypeError, "bad type"))?;
            match m.drain_for_constructor(port, ty, args)? {
                Some(drained) => builtins::construct(m, ty, &drained, kw),
                None => builtins::construct(m, ty, args, kw),
            }
        }
        Kind::Native(id) => {
            if let Some((name, meth)) = decode_method(id) {
                // list.sort, dict.update and str.format are the built-in methods with keyword arguments.
                if name == "sort" && args.len() == 1 && !kw.is_empty() {
                    return sort_kw(m, port, args[0], kw);
                }
                // dict.update(mapping, **kw): keywords are items too.
                if name == "update"
                    && !kw.is_empty()
                    && args.len() <= 2
                    && let Some(&d) = args.first()
                    && matches!(m.store.obj(d), Some(crate::types::obj::Obj::Dict(_)))
                {
                    if args.len() == 2 {
                        meth(m, args)?;
                    }
                    for &(k, v) in kw {
                        crate::types::dict_methods::setitem(m, d, k, v)?;
                    }
                    return Ok(Value::NONE);
                }
                if name == "format" && !kw.is_empty() && !args.is_empty() {
                    return crate::types::str_format::format_call(m, args, kw);
                }
                if !kw.is_empty() {
                    return Err(PyErr::type_error(format!(
                        "{name}() takes no keyword arguments"
                    )));
                }
                if args.is_empty() {
                    return Err(PyErr::type_error(format!("{name}() needs an argument")));
                }
                return meth(m, args);
            }
            let (_, native) = table_entry(id).ok_or(PyErr::new(TypeId::TypeError, "bad native"))?;
            native(m, port, args, kw)
        }
        _ => Err(PyErr::type_error(format!(
            "'{}' object is not callable",
            m.store.type_name(f)
        ))),
    }
}

fn sort_kw(m: &mut Machine, port: &mut dyn Port, list: Value, kw: Kw) -> PyResult<Value> {
    let mut reverse = false;
    let mut key = Value::NONE;
    for (k, v) in kw {
        match m.store.str_of(*k) {
            Some("reverse") => reverse = crate::types::object::truthy(&m.store, *v),
            Some("key") => key = *v,
            other => {
                return Err(PyErr::type_error(format!(
                    "sort() got an unexpected keyword argument '{}'",
                    other.unwrap_or("?")
                )));
            }
        }
    }
    if key.is_none() {
        return list::sort_in_place(m, list, reverse);
    }
    let items = crate::types::object::collect(m, list)?;
    m.with_keys(port, items, key, |m, items, keys| {
        let perm = crate::types::order::sort_indices(&m.store, keys, reverse)?;
        let sorted: alloc::vec::Vec<Value> =
            perm.iter().filter_map(|i| items.get(*i).copied()).collect();
        let target = list::items_mut(m, list)?;
        if target.len() == sorted.len() {
            target.copy_from_slice(&sorted);
        }
        Ok(Value::NONE)
    })
}

/// TypeError unless exactly `n` positional and no keyword arguments were given (MicroPython's
/// wording).
pub fn exact_args(args: &[Value], kw: Kw, n: usize) -> PyResult<()> {
    no_kw(kw)?;
    if args.len() != n {
        return Err(PyErr::type_error(format!(
            "function takes {n} positional arguments but {} were given",
            args.len()
        )));
    }
    Ok(())
}

/// TypeError when keyword arguments were given to a function that takes none.
pub fn no_kw(kw: Kw) -> PyResult<()> {
    if kw.is_empty() {
        Ok(())
    } else {
        Err(PyErr::new(
            TypeId::TypeError,
            "function doesn't take keyword arguments",
        ))
    }
}
