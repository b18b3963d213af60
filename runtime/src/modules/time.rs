//! The `time` module, MicroPython style: `sleep`, `sleep_ms`, `sleep_us`, `ticks_ms`,
//! `ticks_us`, `ticks_cpu`, `ticks_diff`, `ticks_add`. In: calls from Python. Out: the port's
//! clock, read or waited on. Sleeps are scheduler check points, even `sleep(0)`.
//!
//! Ticks live in a period of 2^30 (MicroPython's `MICROPY_PY_TIME_TICKS_PERIOD` on ports
//! with 31-bit small ints), so `ticks_diff(ticks_add(t, d), t) == d` for -2^29 ≤ d < 2^29.

use super::{NativeFn, TIME_BASE, exact_args};
use crate::modules::Kw;
use crate::port::Port;
use crate::types::{PyErr, PyResult, TypeId};
use crate::value::{Kind, Value};
use crate::vm::Machine;

/// The tick period; values of `ticks_*` are in `0..TICKS_PERIOD`.
pub const TICKS_PERIOD: i64 = 1 << 30;
const TICKS_MAX: i64 = TICKS_PERIOD - 1;
const TICKS_HALF: i64 = TICKS_PERIOD / 2;

/// The module's functions; id = `TIME_BASE` + index.
pub const NATIVES: &[(&str, NativeFn)] = &[
    ("sleep", sleep),
    ("sleep_ms", sleep_ms),
    ("sleep_us", sleep_us),
    ("ticks_ms", ticks_ms),
    ("ticks_us", ticks_us),
    ("ticks_cpu", ticks_us),
    ("ticks_diff", ticks_diff),
    ("ticks_add", ticks_add),
];

/// The module.
pub const MODULE: super::BuiltinModule = super::BuiltinModule {
    base: TIME_BASE,
    functions: NATIVES,
    constants: &[],
};

/// `sleep(seconds)`: an int or a float; a negative length does not sleep.
fn sleep(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let us = match args[0].kind() {
        Kind::Float(f) => seconds_to_us(f),
        _ => (int_arg(m, args[0])?.max(0) as u64).saturating_mul(1_000_000),
    };
    m.sleep_us(port, us)?;
    Ok(Value::NONE)
}

fn sleep_ms(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let ms = int_arg(m, args[0])?.max(0) as u64;
    m.sleep_us(port, ms.saturating_mul(1000))?;
    Ok(Value::NONE)
}

fn sleep_us(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let us = int_arg(m, args[0])?.max(0) as u64;
    m.sleep_us(port, us)?;
    Ok(Value::NONE)
}

fn ticks_ms(_: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(ticks(port.ticks_us() / 1000))
}

fn ticks_us(_: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(ticks(port.ticks_us()))
}

/// `ticks_diff(end, start)`: the signed distance from start to end, in -2^29..2^29.
fn ticks_diff(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    let end = int_arg(m, args[0])?;
    let start = int_arg(m, args[1])?;
    Ok(small(diff(end, start)))
}

/// `ticks_add(ticks, delta)`: ticks moved by delta, wrapped into the period. A delta of half
/// the period or more is `OverflowError: ticks interval overflow`, as in MicroPython.
fn ticks_add(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 2)?;
    let t = int_arg(m, args[0])?;
    let delta = int_arg(m, args[1])?;
    if !(-TICKS_HALF..TICKS_HALF).contains(&delta) {
        return Err(PyErr::new(TypeId::OverflowError, "ticks interval overflow"));
    }
    Ok(small(t.wrapping_add(delta) & TICKS_MAX))
}

/// Seconds as whole µs, rounded; NaN and negative lengths are 0, huge ones saturate.
pub fn seconds_to_us(f: f64) -> u64 {
    let us = libm::round(f * 1e6);
    if us.is_nan() || us <= 0.0 {
        0
    } else if us >= u64::MAX as f64 {
        u64::MAX
    } else {
        us as u64
    }
}

/// The signed wrap-around difference `end - start` (MicroPython's formula).
pub fn diff(end: i64, start: i64) -> i64 {
    (end.wrapping_sub(start).wrapping_add(TICKS_HALF) & TICKS_MAX) - TICKS_HALF
}

fn ticks(raw: u64) -> Value {
    small((raw & TICKS_MAX as u64) as i64)
}

fn small(i: i64) -> Value {
    // Every tick value and difference fits a small int (at least 47 bits).
    Value::int(i).unwrap_or(Value::NONE)
}

fn int_arg(m: &Machine, v: Value) -> PyResult<i64> {
    let too_big = PyErr::new(
        TypeId::OverflowError,
        "overflow converting long int to machine word",
    );
    crate::types::int::machine_word(&m.store, v, too_big)
}
