//! The `micropython` module (spec §4): `const`, `opt_level`, `heap_lock`, `heap_unlock`,
//! `heap_locked` here; `kbd_intr` and `schedule` in `schedule`; memory introspection and
//! the emergency buffer in `mem`. In: calls from Python. Out: the VM's lock depth and opt
//! level, read or set.
//! Divergence: `heap_unlock()` never takes the depth below 0 (MicroPython's counter wraps).

pub mod mem;
pub mod schedule;

use crate::modules::Kw;
use alloc::format;

use super::{MICROPYTHON_BASE, NativeFn, exact_args, no_kw};
use crate::port::Port;
use crate::types::{PyErr, PyResult, TypeId};
use crate::value::Value;
use crate::vm::Machine;

/// The module's functions; id = `MICROPYTHON_BASE` + index.
pub const NATIVES: &[(&str, NativeFn)] = &[
    ("const", konst),
    ("opt_level", opt_level),
    ("heap_lock", heap_lock),
    ("heap_unlock", heap_unlock),
    ("heap_locked", heap_locked),
    ("kbd_intr", schedule::kbd_intr),
    ("schedule", schedule::schedule),
    ("mem_total", mem::mem_total),
    ("mem_current", mem::mem_current),
    ("mem_peak", mem::mem_peak),
    ("mem_info", mem::mem_info),
    ("qstr_info", mem::qstr_info),
    ("stack_use", mem::stack_use),
    (
        "alloc_emergency_exception_buf",
        mem::alloc_emergency_exception_buf,
    ),
];

/// The module: its functions, and the RingIO type.
pub const MODULE: super::BuiltinModule = super::BuiltinModule {
    base: MICROPYTHON_BASE,
    functions: NATIVES,
    constants: &[("RingIO", Value::type_id(TypeId::RingIO as u16))],
};

fn konst(_: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    Ok(args[0])
}

fn opt_level(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    match args {
        [] => Ok(Value::int(i64::from(m.opt_level)).unwrap_or(Value::NONE)),
        [v] => {
            let n = v.as_int().ok_or_else(|| {
                PyErr::type_error(format!("can't convert {} to int", m.store.type_name(*v)))
            })?;
            m.opt_level = n.clamp(0, i64::from(u8::MAX)) as u8;
            Ok(Value::NONE)
        }
        _ => Err(PyErr::type_error(format!(
            "function takes at most 1 positional arguments but {} were given",
            args.len()
        ))),
    }
}

fn heap_lock(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    m.store.heap.lock();
    Ok(Value::NONE)
}

fn heap_unlock(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    let depth = m.store.heap.unlock();
    Ok(Value::int(depth as i64).unwrap_or(Value::NONE))
}

fn heap_locked(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(Value::int(m.store.heap.lock_depth() as i64).unwrap_or(Value::NONE))
}
