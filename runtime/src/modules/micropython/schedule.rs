//! `micropython.kbd_intr(chr)` and `micropython.schedule(func, arg)` (spec §4.6, §4.7).
//! In: calls from Python. Out: the interrupt character set, or a callback queued without
//! allocating (`RuntimeError: schedule queue full` when the fixed queue is full).

use crate::modules::Kw;
use alloc::format;

use crate::modules::exact_args;
use crate::port::Port;
use crate::types::{PyErr, PyResult, TypeId};
use crate::value::{Kind, Value};
use crate::vm::Machine;

/// `kbd_intr(chr)`: the character that raises KeyboardInterrupt; -1 disables.
pub fn kbd_intr(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let c = match args[0].kind() {
        Kind::Int(i) => i,
        Kind::Bool(b) => i64::from(b),
        _ => {
            return Err(PyErr::type_error(format!(
                "can't convert {} to int",
                m.store.type_name(args[0])
            )));
        }
    };
    // Anything that is not a byte can never match a received byte: it disables, like -1.
    let c = i32::try_from(c)
        .ok()
        .filter(|c| (0..=255).contains(c))
        .unwrap_or(-1);
    m.sched.set_interrupt_char(c);
    Ok(Value::NONE)
}

/// `schedule(func, arg)`: queues `func(arg)` for the next check point; func is not checked.
pub fn schedule(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    match m.sched.schedule(args[0], args[1]) {
        Ok(()) => Ok(Value::NONE),
        Err(_) => Err(PyErr::new(TypeId::RuntimeError, "schedule queue full")),
    }
}
