//! Memory introspection of the `micropython` module (spec §4.1–§4.3, §4.5): `mem_total`,
//! `mem_current`, `mem_peak`, `mem_info([verbose])`, `qstr_info([verbose])`, `stack_use()`,
//! `alloc_emergency_exception_buf(size)`. In: calls from Python. Out: figures of the VM's
//! heap (16-byte blocks, drawn by `heap::layout`), interner and stacks, printed in
//! MicroPython's line formats or returned as ints.
//!
//! Figures: `mem_total` is bytes ever charged (allocation and growth), `mem_current` bytes
//! charged now, `mem_peak` the most ever charged at once. The stack is the VM's preallocated
//! value stack (8 bytes a value) plus its frame stack (one `Frame` a call): "used" is what the
//! running frames occupy, the limit what `Config` reserved. qstr pools are modelled on
//! MicroPython's: the first holds 10 strings and each next one twice the previous; each pool
//! costs `POOL_HEADER` bytes plus `POOL_ENTRY` per slot, strings cost len + 1 bytes of data.
//! The text is built in a Rust `String` and written once: diagnostics, like the VM's stacks,
//! are outside the heap budget, so `mem_info` works with the heap locked, as on a device.

use crate::modules::Kw;
use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use crate::heap::layout;
use crate::modules::{exact_args, no_kw};
use crate::port::Port;
use crate::types::{Obj, PyErr, PyResult};
use crate::value::Value;
use crate::vm::{Frame, Machine};

/// Strings in the first qstr pool (MicroPython's `MICROPY_ALLOC_QSTR_ENTRIES_INIT`).
const FIRST_POOL: usize = 10;
/// Bytes of a qstr pool's header (previous pool, totals).
const POOL_HEADER: usize = 16;
/// Bytes per qstr pool slot (hash, length, text pointer).
const POOL_ENTRY: usize = 8;

fn int(n: usize) -> Value {
    Value::int(i64::try_from(n).unwrap_or(i64::MAX)).unwrap_or(Value::NONE)
}

/// Whether the optional argument asks for verbose output: any argument does (spec §4.1).
fn verbose(args: &[Value], kw: Kw) -> PyResult<bool> {
    no_kw(kw)?;
    if args.len() > 1 {
        return Err(PyErr::type_error(format!(
            "function takes at most 1 positional arguments but {} were given",
            args.len()
        )));
    }
    Ok(args.len() == 1)
}

/// `mem_total()`: bytes ever allocated.
pub fn mem_total(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(int(m.store.heap.stats().allocated))
}

/// `mem_current()`: bytes allocated now.
pub fn mem_current(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(int(m.store.heap.stats().used))
}

/// `mem_peak()`: the most bytes allocated at once.
pub fn mem_peak(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(int(m.store.heap.stats().peak))
}

/// Bytes of the VM's stacks in use now, and reserved.
fn stack_figures(m: &Machine) -> (usize, usize) {
    let frame = core::mem::size_of::<Frame>();
    let value = core::mem::size_of::<Value>();
    let used = m.stack.len() * value + m.frames.len() * frame;
    let limit = m.config.stack_values * value + m.config.max_frames * frame;
    (used, limit)
}

/// `stack_use()`: bytes of stack in use now.
pub fn stack_use(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    exact_args(args, kw, 0)?;
    Ok(int(stack_figures(m).0))
}

/// The block-map character of an object (spec §4.1). Floats never reach the heap, so `F`
/// does not occur; `m` (marked) only exists mid-collection.
fn kind_char(obj: &Obj) -> u8 {
    match obj {
        Obj::Tuple(_) => b'T',
        Obj::List(_) => b'L',
        Obj::Dict(_) => b'D',
        Obj::Str(_) | Obj::Bytes(_) => b'S',
        Obj::ByteArray(_) => b'A',
        Obj::Function(_) => b'B',
        Obj::Module(_) => b'M',
        _ => b'h',
    }
}

/// The text `mem_info` prints.
pub fn mem_info_text(m: &Machine, verbose: bool) -> String {
    let heap = &m.store.heap;
    let st = heap.stats();
    let (stack_used, stack_limit) = stack_figures(m);
    let c = layout::counts(heap.live().map(|(_, bytes)| bytes), st.total);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "mem: total={}, current={}, peak={}",
        st.allocated, st.used, st.peak
    );
    let _ = writeln!(out, "stack: {stack_used} out of {stack_limit}");
    let _ = writeln!(
        out,
        "GC: total: {}, used: {}, free: {}",
        st.total, st.used, st.free
    );
    let _ = writeln!(
        out,
        " No. of 1-blocks: {}, 2-blocks: {}, max blk sz: {}, max free sz: {}",
        c.one, c.two, c.max_blk, c.max_free
    );
    if verbose {
        // The slab has no addresses: the model starts at 0 (see `heap::layout`).
        out.push_str("GC memory layout; from 0:");
        layout::draw(
            heap.live().map(|(obj, bytes)| (kind_char(obj), bytes)),
            st.total,
            &mut out,
        );
    }
    out
}

/// `mem_info([verbose])`: prints the heap and stack figures (and the block map if verbose).
pub fn mem_info(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    let verbose = verbose(args, kw)?;
    let text = mem_info_text(m, verbose);
    port.write_stdout(text.as_bytes());
    Ok(Value::NONE)
}

/// The text `qstr_info` prints.
pub fn qstr_info_text(m: &Machine, verbose: bool) -> String {
    let strs = &m.store.strs;
    let ids = strs.runtime_ids();
    let n_qstr = ids.len();
    let data: usize = ids.clone().map(|id| strs.get(id).len() + 1).sum();
    let (mut n_pool, mut slots, mut pool) = (0usize, 0usize, FIRST_POOL);
    while slots < n_qstr {
        n_pool += 1;
        slots += pool;
        pool *= 2;
    }
    let total = n_pool * POOL_HEADER + slots * POOL_ENTRY + data;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "qstr pool: n_pool={n_pool}, n_qstr={n_qstr}, n_str_data_bytes={data}, n_total_bytes={total}"
    );
    if verbose {
        for id in ids.rev() {
            let _ = writeln!(out, "Q({})", strs.get(id));
        }
    }
    out
}

/// `qstr_info([verbose])`: prints the run-time interned-string figures (and the strings).
pub fn qstr_info(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    let verbose = verbose(args, kw)?;
    let text = qstr_info_text(m, verbose);
    port.write_stdout(text.as_bytes());
    Ok(Value::NONE)
}

/// `alloc_emergency_exception_buf(size)`: resizes the emergency buffer (size ≤ 0: none).
pub fn alloc_emergency_exception_buf(
    m: &mut Machine,
    _: &mut dyn Port,
    args: &[Value],
    kw: Kw,
) -> PyResult<Value> {
    exact_args(args, kw, 1)?;
    let arg = args.first().copied().unwrap_or(Value::NONE);
    let size = match arg.kind() {
        crate::value::Kind::Int(n) => n,
        crate::value::Kind::Bool(b) => i64::from(b),
        _ => {
            return Err(PyErr::type_error(format!(
                "can't convert {} to int",
                m.store.type_name(arg)
            )));
        }
    };
    m.set_emergency_buf(size)?;
    Ok(Value::NONE)
}
