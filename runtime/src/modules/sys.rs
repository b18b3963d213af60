//! The `sys` module (MicroPython's cheap subset). In: `import sys`. Out: `path` (the search
//! list imports read), `modules` (the import cache, a dict), `argv`, `version`, `version_info`,
//! `implementation` (a namespace with `name == 'frost'` and `version`), `byteorder`,
//! `maxsize`, `platform` and `exit()`. The lists and the dict are the VM's own objects, so
//! changing `sys.path` changes where the next import looks.

use crate::modules::Kw;
use alloc::format;
use alloc::vec;

use super::{NativeFn, SYS_BASE, no_kw};
use crate::port::Port;
use crate::types::dict::Dict;
use crate::types::function::Module;
use crate::types::obj::{Ctx, new_str, new_tuple};
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods, int};
use crate::value::Value;
use crate::vm::Machine;

/// The Python language version frost's dialect follows, as MicroPython reports it.
const LANGUAGE_VERSION: (i64, i64, i64) = (3, 4, 0);

/// The module's functions; id = `SYS_BASE` + index.
pub const NATIVES: &[(&str, NativeFn)] = &[("exit", exit)];

/// The members that need no allocation.
pub const MODULE: super::BuiltinModule = super::BuiltinModule {
    base: SYS_BASE,
    functions: NATIVES,
    constants: &[],
};

/// Fills in the members that live on the heap: the VM's path, modules and argv objects and the
/// version and platform values.
pub fn fill(m: &mut Machine, globals: Value) -> PyResult<()> {
    let path = m.sys_path()?;
    set(m, globals, "path", path)?;
    let modules = m.sys_modules()?;
    set(m, globals, "modules", modules)?;
    let argv = m.sys_argv()?;
    set(m, globals, "argv", argv)?;
    let (major, minor, micro) = LANGUAGE_VERSION;
    let version = new_str(
        m,
        format!(
            "{major}.{minor}.{micro}; frost {}",
            env!("CARGO_PKG_VERSION")
        ),
    )?;
    set(m, globals, "version", version)?;
    let info = version_tuple(m, major, minor, micro)?;
    set(m, globals, "version_info", info)?;
    let implementation = implementation(m)?;
    set(m, globals, "implementation", implementation)?;
    let little = new_str(m, "little".into())?;
    set(m, globals, "byteorder", little)?;
    let maxsize = int::from_i64(m, i64::MAX)?;
    set(m, globals, "maxsize", maxsize)?;
    let platform = new_str(m, "frost".into())?;
    set(m, globals, "platform", platform)
}

/// `sys.implementation`: a namespace (a module object) with `name` and `version`.
fn implementation(m: &mut Machine) -> PyResult<Value> {
    let globals = m.alloc(Obj::Dict(Dict::new()))?;
    let name = Value::str(m.store.strs.intern("implementation"));
    let ns = m.alloc(Obj::Module(Module { name, globals }))?;
    let frost = Value::str(m.store.strs.intern("frost"));
    set(m, globals, "name", frost)?;
    let (major, minor, patch) = crate_version();
    let version = version_tuple(m, major, minor, patch)?;
    set(m, globals, "version", version)?;
    Ok(ns)
}

fn version_tuple(m: &mut Machine, a: i64, b: i64, c: i64) -> PyResult<Value> {
    let items = vec![
        int::from_i64(m, a)?,
        int::from_i64(m, b)?,
        int::from_i64(m, c)?,
    ];
    new_tuple(m, items)
}

/// frost's own version as three numbers.
fn crate_version() -> (i64, i64, i64) {
    let mut parts = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|p| p.parse::<i64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

fn set(m: &mut Machine, globals: Value, key: &str, v: Value) -> PyResult<()> {
    let k = Value::str(m.store.strs.intern(key));
    dict_methods::setitem(m, globals, k, v)
}

/// `sys.exit([code])`: raises SystemExit(code).
fn exit(_: &mut Machine, _: &mut dyn Port, args: &[Value], kw: Kw) -> PyResult<Value> {
    no_kw(kw)?;
    match args {
        [] => Err(PyErr::Bare(TypeId::SystemExit)),
        [code] => Err(PyErr::Arg(TypeId::SystemExit, *code)),
        _ => Err(PyErr::type_error(format!(
            "function takes at most 1 positional arguments but {} were given",
            args.len()
        ))),
    }
}
