//! `exec`, `eval` and `compile` (builtins that need the compiler). In: source text (str or
//! bytes) or a code object, optional globals dict. Out: the code compiled by the host at the
//! current `micropython.opt_level()` (spec §3: it affects only code compiled afterwards) and
//! run as a module body in those globals (the caller's by default); `eval` gives the value.
//! Without a host (a device) source text raises `RuntimeError: no compiler available`.
//! Divergence: a `locals` argument other than None or `globals` itself raises
//! NotImplementedError (module-level code here reads and writes one namespace).

use crate::modules::Kw;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use super::{EVAL_BASE, NativeFn};
use crate::host::Mode;
use crate::image::ImageBytes;
use crate::port::Port;
use crate::types::code::Code;
use crate::types::obj::Ctx;
use crate::types::str::Interner;
use crate::types::{Obj, PyErr, PyResult, TypeId};
use crate::value::Value;
use crate::vm::Machine;

/// The functions; id = `EVAL_BASE` + index.
pub const NATIVES: &[(&str, NativeFn)] = &[("exec", exec), ("eval", eval), ("compile", compile)];

/// Adds the functions to the builtins namespace.
pub fn add_builtins(table: &mut BTreeMap<u32, Value>, strs: &mut Interner) {
    for (i, (name, _)) in NATIVES.iter().enumerate() {
        table.insert(strs.intern(name), Value::native(EVAL_BASE + i as u32));
    }
}

fn exec(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    run(m, port, "exec", Mode::Exec, args, kw).map(|_| Value::NONE)
}

fn eval(m: &mut Machine, port: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    run(m, port, "eval", Mode::Eval, args, kw)
}

/// Parameters of `compile` after the first three, in order.
const COMPILE_EXTRA: [&str; 3] = ["flags", "dont_inherit", "optimize"];

/// `compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1)`: a code object.
/// `optimize` -1 means the current `micropython.opt_level()`; flags are accepted and ignored
/// (frost has no `__future__` features to select).
fn compile(m: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    let (Some([src, filename, mode]), extra) = (args.get(..3), args.get(3..).unwrap_or(&[])) else {
        return Err(PyErr::type_error(format!(
            "compile() missing required arguments ({} given)",
            args.len()
        )));
    };
    if extra.len() > COMPILE_EXTRA.len() {
        return Err(PyErr::type_error(format!(
            "compile() takes at most 6 arguments ({} given)",
            args.len()
        )));
    }
    let mut optimize = extra.get(2).copied();
    for (k, v) in kw {
        match m.store.str_of(*k) {
            Some("optimize") => optimize = Some(*v),
            Some(name) if COMPILE_EXTRA.contains(&name) => {}
            other => {
                return Err(PyErr::type_error(format!(
                    "compile() got an unexpected keyword argument '{}'",
                    other.unwrap_or("?")
                )));
            }
        }
    }
    let level = match optimize.map(|v| v.as_int()) {
        None | Some(Some(-1)) => m.opt_level,
        Some(Some(n @ 0..=255)) => n as u8,
        Some(_) => {
            return Err(PyErr::new(
                TypeId::ValueError,
                "compile(): invalid optimize value",
            ));
        }
    };
    let mode = match m.store.str_of(*mode) {
        Some("exec" | "single") => Mode::Exec,
        Some("eval") => Mode::Eval,
        _ => {
            return Err(PyErr::new(
                TypeId::ValueError,
                "compile() mode must be 'exec', 'eval' or 'single'",
            ));
        }
    };
    let filename = m
        .store
        .str_of(*filename)
        .map(String::from)
        .ok_or_else(|| PyErr::type_error("compile() filename must be a str".into()))?;
    let text = source_text(m, *src, "compile")?;
    let image = host_compile(m, &text, &filename, mode, level)?;
    m.alloc(Obj::Code(Code {
        image: Rc::from(image),
        mode,
    }))
}

/// exec/eval: the code (compiled now, or a code object) run in the globals.
fn run(
    m: &mut Machine,
    port: &mut dyn Port,
    what: &str,
    mode: Mode,
    args: &[Value],
    kw: Kw,
) -> PyResult<Value> {
    super::no_kw(kw)?;
    let (src, globals, locals) = match args {
        [s] => (*s, Value::NONE, Value::NONE),
        [s, g] => (*s, *g, Value::NONE),
        [s, g, l] => (*s, *g, *l),
        _ => {
            return Err(PyErr::type_error(format!(
                "{what}() takes from 1 to 3 positional arguments but {} were given",
                args.len()
            )));
        }
    };
    let globals = if globals.is_none() {
        m.frames.last().map_or(Value::NONE, |f| f.globals)
    } else {
        globals
    };
    if !matches!(m.store.obj(globals), Some(Obj::Dict(_))) {
        return Err(PyErr::type_error(format!(
            "{what}() globals must be a dict, not {}",
            m.store.type_name(globals)
        )));
    }
    if !locals.is_none() && !locals.is(globals) {
        return Err(PyErr::fmt(
            TypeId::NotImplementedError,
            format!("{what}() with a locals mapping other than globals"),
        ));
    }
    let image: Rc<[u8]> = match m.store.obj(src) {
        Some(Obj::Code(code)) => Rc::clone(&code.image),
        _ => {
            let mut text = source_text(m, src, what)?;
            if mode == Mode::Eval {
                // CPython's eval() skips leading spaces and tabs (compile() does not).
                text = String::from(text.trim_start_matches([' ', '\t']));
            }
            let level = m.opt_level;
            Rc::from(host_compile(m, &text, "<string>", mode, level)?)
        }
    };
    let loaded = crate::image::load(ImageBytes::Shared(image))
        .map_err(|e| PyErr::fmt(TypeId::ValueError, format!("bad code object: {e}")))?;
    let single_code = loaded.code.len() == 1;
    let idx = m.load_module_into(loaded, globals)?;
    // A nested dispatch loop on the Rust stack: bounded with native→Python calls.
    if m.reentry >= crate::vm::MAX_REENTRY {
        return Err(m.recursion_error());
    }
    m.reentry += 1;
    let ran = m.run_module_value(port, idx);
    m.reentry -= 1;
    let value = ran?;
    // A body without nested code objects left no function pointing at its module record, so
    // the record can go: `eval` in a loop does not fill the module table.
    if single_code && usize::from(idx) + 1 == m.modules.len() {
        m.modules.truncate(usize::from(idx));
    }
    Ok(value)
}

/// The text of a str or (UTF-8) bytes source.
fn source_text(m: &Machine, src: Value, what: &str) -> PyResult<String> {
    if let Some(s) = m.store.str_of(src) {
        return Ok(String::from(s));
    }
    if let Some(b) = crate::types::buffer::readable(&m.store, src)? {
        return String::from_utf8(b.to_vec()?)
            .map_err(|_| PyErr::new(TypeId::SyntaxError, "source is not valid UTF-8"));
    }
    Err(PyErr::type_error(format!(
        "{what}() arg 1 must be a string, bytes or code object"
    )))
}

/// Compiles through the host at `opt_level`; SyntaxError on a compile error.
fn host_compile(
    m: &mut Machine,
    text: &str,
    filename: &str,
    mode: Mode,
    opt_level: u8,
) -> PyResult<Vec<u8>> {
    let Some(host) = m.host.host.as_mut() else {
        return Err(PyErr::new(TypeId::RuntimeError, "no compiler available"));
    };
    match host.compile(text, filename, mode, opt_level) {
        Ok(image) => Ok(image),
        Err(failure) => Err(m.syntax_error(&failure)),
    }
}
