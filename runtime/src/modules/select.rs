//! The `select` module, MicroPython style: `poll()` objects (`register`, `unregister`,
//! `modify`, `poll`, `ipoll`), `select()`, and the `POLL*` constants. In: streams (RingIO) and
//! timeouts. Out: which streams are ready, waiting for them if asked to.
//!
//! Waiting polls the streams, then sleeps through the VM's `sleep_us` in steps of at most
//! `STEP_US`, so a wait is a scheduler check point: scheduled callbacks run (and may make a
//! stream ready) and KeyboardInterrupt ends it. A zero timeout polls once and never waits,
//! as MicroPython's does.

use crate::modules::Kw;
use alloc::vec::Vec;

use super::{NativeFn, SELECT_BASE, no_kw};
use crate::port::Port;
use crate::types::obj::Ctx;
use crate::types::obj::{Obj, new_list, new_tuple, vec_with};
use crate::types::poll::{
    self, POLLERR, POLLHUP, POLLIN, POLLOUT, Poll, poll_mut, require_stream, stream_events,
};
use crate::types::{PyErr, PyResult, TypeId};
use crate::value::{Kind, Value};
use crate::vm::Machine;

/// Longest single sleep while waiting for a stream.
const STEP_US: u64 = 1000;

/// ipoll flag: after reporting an event, stop polling that stream until `modify`.
const ONE_SHOT: i64 = 1;

/// The functions, then the methods of poll objects (`self` first); id = `SELECT_BASE` + index.
pub const NATIVES: &[(&str, NativeFn)] = &[
    ("poll", new_poll),
    ("select", select),
    ("register", register),
    ("unregister", unregister),
    ("modify", modify),
    ("poll", poll_poll),
    ("ipoll", ipoll),
];

/// Index in `NATIVES` of the first poll-object method.
const FIRST_METHOD: usize = 2;

/// The module: the functions before `FIRST_METHOD`, and the event constants.
pub const MODULE: super::BuiltinModule = super::BuiltinModule {
    base: SELECT_BASE,
    functions: NATIVES.split_at(FIRST_METHOD).0,
    constants: &[
        ("POLLIN", Value::small(POLLIN as i32)),
        ("POLLOUT", Value::small(POLLOUT as i32)),
        ("POLLERR", Value::small(POLLERR as i32)),
        ("POLLHUP", Value::small(POLLHUP as i32)),
    ],
};

/// The poll-object method `name` of `obj`, as a native function value.
pub fn poll_method(m: &Machine, obj: Value, name: &str) -> Option<Value> {
    let Some(Obj::Poll(_)) = m.store.obj(obj) else {
        return None;
    };
    let idx = NATIVES
        .iter()
        .skip(FIRST_METHOD)
        .position(|(n, _)| *n == name)?;
    Some(Value::native(SELECT_BASE + (FIRST_METHOD + idx) as u32))
}

fn new_poll(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    count(args.len(), kw, 0, 0)?;
    m.alloc(Obj::Poll(Poll::default()))
}

/// `register(obj[, eventmask])`: POLLIN | POLLOUT by default; registering again changes the
/// mask.
fn register(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    arity(args, kw, 1, 2)?;
    let mask = match args.get(2) {
        Some(v) => mask_arg(m, *v)?,
        None => POLLIN | POLLOUT,
    };
    poll::register(m, args[0], args[1], mask)?;
    Ok(Value::NONE)
}

/// `unregister(obj)`: an object that is not registered is ignored, as in MicroPython.
fn unregister(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    arity(args, kw, 1, 1)?;
    let p = poll_mut(m, args[0])?;
    if let Some(i) = p.find(args[1]) {
        p.entries.remove(i);
    }
    Ok(Value::NONE)
}

/// `modify(obj, eventmask)`: OSError ENOENT when `obj` is not registered.
fn modify(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    arity(args, kw, 2, 2)?;
    let mask = mask_arg(m, args[2])?;
    let p = poll_mut(m, args[0])?;
    match p.find(args[1]).and_then(|i| p.entries.get_mut(i)) {
        Some(e) => e.mask = mask,
        None => return Err(enoent()),
    }
    Ok(Value::NONE)
}

/// `poll([timeout])`: a list of `(obj, events)` tuples; timeout in ms, negative or None
/// waits for ever.
fn poll_poll(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    arity(args, kw, 0, 1)?;
    let timeout = timeout_ms(m, args.get(1).copied())?;
    let ready = wait_poll(m, port, args[0], timeout, false)?;
    ready_list(m, &ready)
}

/// `ipoll([timeout[, flags]])`: as `poll`, as an iterator; flag 1 is one-shot (a stream that
/// reported an event is not polled again until `modify`).
fn ipoll(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    arity(args, kw, 0, 2)?;
    let timeout = timeout_ms(m, args.get(1).copied())?;
    let flags = match args.get(2) {
        Some(v) => int_arg(m, *v)?,
        None => 0,
    };
    let ready = wait_poll(m, port, args[0], timeout, flags & ONE_SHOT != 0)?;
    let list = ready_list(m, &ready)?;
    crate::types::iterator::iter(m, list)
}

/// `select(rlist, wlist, xlist[, timeout])`: three lists of the ready objects; timeout in
/// seconds (int or float), None waits for ever.
fn select(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    count(args.len(), kw, 3, 4)?;
    let timeout = match args.get(3).map(|v| v.kind()) {
        None | Some(Kind::None) => None,
        Some(Kind::Float(f)) => Some(super::time::seconds_to_us(f)),
        Some(_) => Some((int_arg(m, args[3])?.max(0) as u64).saturating_mul(1_000_000)),
    };
    let mut sets: [Vec<Value>; 3] = Default::default();
    for (set, list) in sets.iter_mut().zip(&args[..3]) {
        *set = m.collect_iterable(port, *list)?;
        for obj in set.iter() {
            require_stream(&m.store, *obj)?;
        }
    }
    let masks = [POLLIN, POLLOUT, POLLERR];
    let scan = |m: &Machine| -> [Vec<Value>; 3] {
        let mut out: [Vec<Value>; 3] = Default::default();
        for ((set, mask), out) in sets.iter().zip(masks).zip(out.iter_mut()) {
            out.extend(set.iter().copied().filter(|obj| {
                stream_events(&m.store, *obj, mask).is_some_and(|ev| ev & mask != 0)
            }));
        }
        out
    };
    let mut found = scan(m);
    wait(m, port, timeout, |m| {
        found = scan(m);
        found.iter().any(|s| !s.is_empty())
    })?;
    let mut lists = vec_with(3)?;
    for set in found {
        lists.push(new_list(m, set)?);
    }
    new_tuple(m, lists)
}

/// Polls the streams of poll object `p` until one is ready or the timeout passes; the
/// ready ones with their events.
fn wait_poll(
    m: &mut Machine,
    port: &mut dyn Port,
    p: Value,
    timeout: Option<u64>,
    one_shot: bool,
) -> PyResult<Vec<(Value, u16)>> {
    poll_mut(m, p)?;
    let scan = |m: &Machine| -> Vec<(Value, u16)> {
        let Some(Obj::Poll(poll)) = m.store.obj(p) else {
            return Vec::new();
        };
        poll.entries
            .iter()
            .filter_map(|e| {
                let ev = stream_events(&m.store, e.obj, e.mask)?;
                let ev = ev & (e.mask | POLLERR | POLLHUP);
                (ev != 0).then_some((e.obj, ev))
            })
            .collect()
    };
    let mut ready = Vec::new();
    wait(m, port, timeout, |m| {
        ready = scan(m);
        !ready.is_empty()
    })?;
    if one_shot {
        let poll = poll_mut(m, p)?;
        for e in poll.entries.iter_mut() {
            if ready.iter().any(|(obj, _)| obj.is(e.obj)) {
                e.mask = 0;
            }
        }
    }
    Ok(ready)
}

/// Calls `ready` until it says yes or `timeout` µs pass (None: for ever), sleeping between
/// calls through the VM (a check point). A zero timeout calls it once.
fn wait(
    m: &mut Machine,
    port: &mut dyn Port,
    timeout: Option<u64>,
    mut ready: impl FnMut(&Machine) -> bool,
) -> PyResult<()> {
    let start = port.ticks_us();
    loop {
        if ready(m) {
            return Ok(());
        }
        let elapsed = port.ticks_us().wrapping_sub(start);
        let step = match timeout {
            Some(t) if elapsed >= t => return Ok(()),
            Some(t) => (t - elapsed).min(STEP_US),
            None => STEP_US,
        };
        m.sleep_us(port, step)?;
    }
}

fn ready_list(m: &mut Machine, ready: &[(Value, u16)]) -> PyResult<Value> {
    let mut items = vec_with(ready.len())?;
    for (obj, ev) in ready {
        let pair = new_tuple(m, alloc::vec![*obj, Value::small(i32::from(*ev))])?;
        items.push(pair);
    }
    new_list(m, items)
}

/// A poll timeout in ms as µs: None or negative waits for ever.
fn timeout_ms(m: &Machine, v: Option<Value>) -> PyResult<Option<u64>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => {
            let ms = int_arg(m, v)?;
            Ok((ms >= 0).then(|| (ms as u64).saturating_mul(1000)))
        }
    }
}

fn mask_arg(m: &Machine, v: Value) -> PyResult<u16> {
    Ok(int_arg(m, v)? as u16)
}

fn int_arg(m: &Machine, v: Value) -> PyResult<i64> {
    let too_big = PyErr::new(
        TypeId::OverflowError,
        "overflow converting long int to machine word",
    );
    crate::types::int::machine_word(&m.store, v, too_big)
}

/// `OSError: [Errno 2] ENOENT`, MicroPython's error for modifying an unregistered stream.
fn enoent() -> PyErr {
    PyErr::Arg(TypeId::OSError, Value::small(2))
}

/// Checks a poll method got `lo..=hi` arguments besides `self` and no keywords.
fn arity(args: &[Value], kw: Kw, lo: usize, hi: usize) -> PyResult<()> {
    count(args.len(), kw, lo + 1, hi + 1)
}

/// Checks `n` arguments (self included) are within `min..=max`, no keywords, with
/// MicroPython's texts for fixed and variable argument counts.
fn count(n: usize, kw: Kw, min: usize, max: usize) -> PyResult<()> {
    no_kw(kw)?;
    let msg = if min == max && n != max {
        alloc::format!("function takes {max} positional arguments but {n} were given")
    } else if n < min {
        alloc::format!("function missing {} required positional arguments", min - n)
    } else if n > max {
        alloc::format!("function expected at most {max} arguments, got {n}")
    } else {
        return Ok(());
    };
    Err(PyErr::type_error(msg))
}
