//! Imports. In: IMPORT_NAME / IMPORT_FROM / IMPORT_STAR and their operands. Out: module objects,
//! cached in `sys.modules` (a dict) before their body runs, so a circular import sees the partly
//! initialised module as in CPython. Modules come from, in order: `sys.modules`, the built-in
//! modules (`micropython`, `sys`), the frozen registry, and the host (`.py` compiled at the
//! current `opt_level`, or `.fbc`) searching `sys.path` or the parent package's `__path__`.
//!
//! A module body runs as a frame in a nested dispatch loop: each nested import costs a few Rust
//! frames and counts as one native→Python re-entry, so imports, `exec`/`eval` and callbacks
//! together stay within `reenter::MAX_REENTRY` (beyond it: RuntimeError, maximum recursion
//! depth exceeded, as CPython raises RecursionError for runaway import chains).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Machine, Vm};
use crate::host::{Found, Frozen, Host, HostError};
use crate::image::ImageBytes;
use crate::port::Port;
use crate::types::dict::Dict;
use crate::types::function::Module;
use crate::types::obj::{Ctx, new_list, new_str};
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods};
use crate::value::Value;

impl<P: Port> Vm<P> {
    /// Installs the host hook (the CLI's compiler and file system).
    pub fn set_host(&mut self, host: alloc::boxed::Box<dyn Host>) {
        self.machine.host.host = Some(host);
    }

    /// Sets `sys.path` (directories searched by the host, in order) before the program runs.
    pub fn set_path(&mut self, path: Vec<String>) {
        self.machine.host.path_init = path;
    }

    /// Sets `sys.argv` before the program runs.
    pub fn set_argv(&mut self, argv: Vec<String>) {
        self.machine.host.argv_init = argv;
    }

    /// Registers a module frozen into the firmware (found before anything on `sys.path`).
    pub fn register_frozen(&mut self, frozen: Frozen) {
        self.machine.host.frozen.push(frozen);
    }
}

impl Machine {
    /// IMPORT_NAME: `import a.b` (fromlist None: pushes `a`), `from a.b import x` (pushes
    /// `a.b`), with `level` leading dots resolved against the current module's package.
    pub(super) fn import(
        &mut self,
        port: &mut dyn Port,
        name: Value,
        level: u32,
        fromlist: Value,
    ) -> PyResult<Value> {
        let text = self.store.str_of(name).unwrap_or("").to_string();
        let full = match level {
            0 => text,
            // The base is never empty: relative_base raises instead.
            _ if text.is_empty() => self.relative_base(level)?,
            _ => format!("{}.{text}", self.relative_base(level)?),
        };
        let module = self.import_dotted(port, &full)?;
        let names: Vec<Value> = self
            .store
            .seq_of(fromlist)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        if names.is_empty() {
            if level == 0 && full.contains('.') {
                let top = full.split('.').next().unwrap_or("");
                return self.cached(top)?.ok_or_else(|| not_found(top));
            }
            return Ok(module);
        }
        // `from pkg import sub` imports the submodule when the package lacks the attribute;
        // `from pkg import *` does so for every name in the package's `__all__`.
        if self.package_dirs(module)?.is_some() {
            let mut names = names;
            if names.iter().any(|n| self.store.str_of(*n) == Some("*")) {
                let all_key = Value::str(self.store.strs.intern("__all__"));
                if let Some(all) = self.module_member(module, all_key)? {
                    names.extend(self.store.seq_of(all).unwrap_or(&[]).iter().copied());
                }
            }
            let mark = self.stack.len();
            self.stack.push(module);
            let imported = self.import_members(port, module, &full, names);
            self.stack.truncate(mark);
            imported?;
        }
        Ok(module)
    }

    /// Imports `full.NAME` for each of `names` the package does not have yet; a submodule
    /// that does not exist is skipped (IMPORT_FROM then raises for it).
    fn import_members(
        &mut self,
        port: &mut dyn Port,
        module: Value,
        full: &str,
        names: Vec<Value>,
    ) -> PyResult<()> {
        for n in names {
            let Some(member) = self.store.str_of(n).map(ToString::to_string) else {
                continue;
            };
            if member == "*" || self.module_member(module, n)?.is_some() {
                continue;
            }
            let sub = format!("{full}.{member}");
            match self.import_dotted(port, &sub) {
                Ok(_) => {}
                Err(e) if self.is_not_found(&e, &sub) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Puts the script's module in `sys.modules['__main__']`, as CPython does.
    pub(super) fn register_main(&mut self, idx: u16) -> PyResult<u16> {
        let globals = self
            .modules
            .get(usize::from(idx))
            .map_or(Value::NONE, |m| m.globals);
        let name = Value::str(self.store.strs.intern("__main__"));
        let module = self.alloc(Obj::Module(Module { name, globals }))?;
        let modules = self.sys_modules()?;
        dict_methods::setitem(self, modules, name, module)?;
        Ok(idx)
    }

    /// IMPORT_FROM: `module.name`, or ImportError with CPython's message.
    pub(super) fn import_from(&mut self, module: Value, name: Value) -> PyResult<Value> {
        if let Some(v) = self.module_member(module, name)? {
            return Ok(v);
        }
        let file_key = Value::str(self.store.strs.intern("__file__"));
        let file = self.module_member(module, file_key)?;
        let text = self.store.str_of(name).unwrap_or("?");
        let mname = match self.store.obj(module) {
            Some(Obj::Module(m)) => self.store.str_of(m.name).unwrap_or("?"),
            _ => "?",
        };
        let place = file
            .and_then(|f| self.store.str_of(f))
            .unwrap_or("unknown location");
        Err(PyErr::fmt(
            TypeId::ImportError,
            format!("cannot import name '{text}' from '{mname}' ({place})"),
        ))
    }

    /// IMPORT_STAR: binds the module's `__all__` names, or its names not starting with `_`, in
    /// `globals`.
    pub(super) fn import_star(&mut self, module: Value, globals: Value) -> PyResult<()> {
        let Some(Obj::Module(m)) = self.store.obj(module) else {
            return Err(PyErr::new(TypeId::TypeError, "import * needs a module"));
        };
        let src = m.globals;
        let all_key = Value::str(self.store.strs.intern("__all__"));
        let pairs = match dict_methods::lookup(&self.store, src, all_key)? {
            Some(all) => {
                let names = self
                    .store
                    .seq_of(all)
                    .map(<[Value]>::to_vec)
                    .ok_or(PyErr::new(
                        TypeId::TypeError,
                        "__all__ must be a list or tuple",
                    ))?;
                let mut pairs = Vec::new();
                for n in names {
                    let v = self.import_from(module, n)?;
                    pairs.push((n, v));
                }
                pairs
            }
            None => dict_methods::pairs(&self.store, src)?
                .into_iter()
                .filter(|(k, _)| self.store.str_of(*k).is_some_and(|s| !s.starts_with('_')))
                .collect(),
        };
        for (k, v) in pairs {
            dict_methods::setitem(self, globals, k, v)?;
        }
        Ok(())
    }

    /// Imports every prefix of a dotted name (`a`, `a.b`, `a.b.c`); gives the last module.
    fn import_dotted(&mut self, port: &mut dyn Port, full: &str) -> PyResult<Value> {
        if full.is_empty() || full.split('.').any(str::is_empty) {
            return Err(PyErr::new(TypeId::ValueError, "Empty module name"));
        }
        let mut parent: Option<Value> = None;
        let mut end = 0;
        for part in full.split('.') {
            end += part.len();
            let prefix = &full[..end];
            end += 1;
            let module = match self.cached(prefix)? {
                Some(m) => m,
                None => self.load_fresh(port, prefix, part, parent)?,
            };
            parent = Some(module);
        }
        parent.ok_or_else(|| not_found(full))
    }

    /// Finds, creates, caches and runs module `full` (last part `part`, inside `parent`).
    fn load_fresh(
        &mut self,
        port: &mut dyn Port,
        full: &str,
        part: &str,
        parent: Option<Value>,
    ) -> PyResult<Value> {
        if parent.is_none()
            && let Some(m) = self.builtin_import(full)?
        {
            return Ok(m);
        }
        let dirs = match parent {
            Some(p) => match self.package_dirs(p)? {
                Some(dirs) => dirs,
                None => {
                    let pname = full.rsplit_once('.').map_or("", |(a, _)| a);
                    return Err(PyErr::fmt(
                        TypeId::ModuleNotFoundError,
                        format!("No module named '{full}'; '{pname}' is not a package"),
                    ));
                }
            },
            None => self.sys_path_dirs()?,
        };
        let found = self
            .find(full, part, &dirs)?
            .ok_or_else(|| not_found(full))?;
        if self.reentry >= super::MAX_REENTRY {
            return Err(self.recursion_error());
        }
        let loaded = crate::image::load(found.image)
            .map_err(|e| PyErr::fmt(TypeId::ImportError, format!("bad image for '{full}': {e}")))?;
        let globals = self.alloc(Obj::Dict(Dict::new()))?;
        let name = Value::str(self.store.strs.intern(full));
        let module = self.alloc(Obj::Module(Module { name, globals }))?;
        self.set_str(globals, "__name__", name)?;
        if !found.file.is_empty() {
            let file = new_str(self, found.file)?;
            self.set_str(globals, "__file__", file)?;
        }
        if let Some(dir) = found.package_dir {
            let dir = new_str(self, dir)?;
            let path = new_list(self, alloc::vec![dir])?;
            self.set_str(globals, "__path__", path)?;
        }
        let modules = self.sys_modules()?;
        dict_methods::setitem(self, modules, name, module)?;
        let idx = self.load_module_into(loaded, globals)?;
        // The body may drop the modules from sys.modules: the VM stack keeps them alive.
        let mark = self.stack.len();
        self.stack.push(module);
        self.stack.push(parent.unwrap_or(Value::NONE));
        self.reentry += 1;
        let ran = self.run_module(port, idx);
        self.reentry -= 1;
        self.stack.truncate(mark);
        if let Err(e) = ran {
            let modules = self.sys_modules()?;
            dict_methods::delitem(self, modules, name)?;
            return Err(e);
        }
        // CPython hands out whatever the body left in sys.modules under the name.
        let module = self.cached(full)?.unwrap_or(module);
        if let Some(p) = parent {
            let key = Value::str(self.store.strs.intern(part));
            if let Some(Obj::Module(pm)) = self.store.obj(p) {
                let pg = pm.globals;
                dict_methods::setitem(self, pg, key, module)?;
            }
        }
        Ok(module)
    }

    /// Frozen modules first (by dotted name), then the host's search of `dirs`.
    fn find(&mut self, full: &str, part: &str, dirs: &[String]) -> PyResult<Option<Found>> {
        if let Some(f) = self.host.frozen.iter().find(|f| f.name == full) {
            return Ok(Some(Found {
                image: ImageBytes::Static(f.image),
                file: String::new(),
                package_dir: f.is_package.then(|| String::from(f.name)),
            }));
        }
        let opt_level = self.opt_level;
        let Some(host) = self.host.host.as_mut() else {
            return Ok(None);
        };
        match host.find_module(part, dirs, opt_level) {
            Ok(found) => Ok(found),
            Err(HostError::Compile(failure)) => Err(self.syntax_error(&failure)),
            Err(HostError::Other(msg)) => Err(PyErr::fmt(TypeId::ImportError, msg)),
        }
    }

    /// `sys` and the built-in modules, created once and cached in `sys.modules`.
    fn builtin_import(&mut self, name: &str) -> PyResult<Option<Value>> {
        let Some(builtin) = crate::modules::builtin_module(name) else {
            return Ok(None);
        };
        let globals = self.alloc(Obj::Dict(Dict::new()))?;
        let name_v = Value::str(self.store.strs.intern(name));
        let module = self.alloc(Obj::Module(Module {
            name: name_v,
            globals,
        }))?;
        let modules = self.sys_modules()?;
        dict_methods::setitem(self, modules, name_v, module)?;
        self.set_str(globals, "__name__", name_v)?;
        for (member, v) in builtin.members() {
            self.set_str(globals, member, v)?;
        }
        if name == "sys" {
            crate::modules::sys::fill(self, globals)?;
        }
        Ok(Some(module))
    }

    /// The module cached in `sys.modules` under `name`.
    fn cached(&mut self, name: &str) -> PyResult<Option<Value>> {
        let modules = self.sys_modules()?;
        let key = Value::str(self.store.strs.intern(name));
        dict_methods::lookup(&self.store, modules, key)
    }

    /// The `sys.modules` dict, created on first use.
    pub fn sys_modules(&mut self) -> PyResult<Value> {
        if self.host.modules.is_none() {
            self.host.modules = self.alloc(Obj::Dict(Dict::new()))?;
        }
        Ok(self.host.modules)
    }

    /// The `sys.path` list, created on first use from what the embedder set.
    pub fn sys_path(&mut self) -> PyResult<Value> {
        if self.host.path.is_none() {
            let init = core::mem::take(&mut self.host.path_init);
            self.host.path = self.str_list(init)?;
        }
        Ok(self.host.path)
    }

    /// The `sys.argv` list, created on first use from what the embedder set.
    pub fn sys_argv(&mut self) -> PyResult<Value> {
        if self.host.argv.is_none() {
            let init = core::mem::take(&mut self.host.argv_init);
            self.host.argv = self.str_list(init)?;
        }
        Ok(self.host.argv)
    }

    fn str_list(&mut self, items: Vec<String>) -> PyResult<Value> {
        let list = new_list(self, Vec::new())?;
        for s in items {
            let v = new_str(self, s)?;
            if let Some(Obj::List(l)) = self.store.obj_mut(list) {
                l.try_reserve(1)
                    .map_err(|_| PyErr::Bare(TypeId::MemoryError))?;
                l.push(v);
            }
        }
        Ok(list)
    }

    /// The str entries of `sys.path` (others are skipped, as CPython skips non-str entries),
    /// read from the `sys` module when it is imported, so `sys.path = [...]` takes effect.
    fn sys_path_dirs(&mut self) -> PyResult<Vec<String>> {
        let path_key = Value::str(self.store.strs.intern("path"));
        let path = match self.cached("sys")? {
            Some(sys) => self.module_member(sys, path_key)?,
            None => None,
        };
        let path = match path {
            Some(p) => p,
            None => self.sys_path()?,
        };
        Ok(self.str_entries(path))
    }

    fn str_entries(&self, seq: Value) -> Vec<String> {
        self.store
            .seq_of(seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|v| self.store.str_of(*v).map(ToString::to_string))
            .collect()
    }

    /// A package's `__path__` directories; None for a module that is not a package.
    fn package_dirs(&mut self, module: Value) -> PyResult<Option<Vec<String>>> {
        let key = Value::str(self.store.strs.intern("__path__"));
        Ok(self
            .module_member(module, key)?
            .map(|path| self.str_entries(path)))
    }

    /// `module.name` from its globals, without raising.
    fn module_member(&self, module: Value, name: Value) -> PyResult<Option<Value>> {
        match self.store.obj(module) {
            Some(Obj::Module(m)) => dict_methods::lookup(&self.store, m.globals, name),
            _ => Ok(None),
        }
    }

    /// The package `level` dots refer to, from the importing module's `__name__`/`__path__`.
    fn relative_base(&mut self, level: u32) -> PyResult<String> {
        let globals = self.frames.last().map_or(Value::NONE, |f| f.globals);
        let lookup = |m: &mut Machine, key: &str| -> PyResult<Option<Value>> {
            let k = Value::str(m.store.strs.intern(key));
            if m.store.obj(globals).is_none() {
                return Ok(None);
            }
            dict_methods::lookup(&m.store, globals, k)
        };
        let name = lookup(self, "__name__")?
            .and_then(|v| self.store.str_of(v).map(ToString::to_string))
            .unwrap_or_default();
        let is_package = lookup(self, "__path__")?.is_some();
        let package = if is_package {
            name
        } else {
            name.rsplit_once('.')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default()
        };
        if package.is_empty() {
            return Err(PyErr::new(
                TypeId::ImportError,
                "attempted relative import with no known parent package",
            ));
        }
        let mut base = package.as_str();
        for _ in 1..level {
            match base.rsplit_once('.') {
                Some((up, _)) => base = up,
                None => {
                    return Err(PyErr::new(
                        TypeId::ImportError,
                        "attempted relative import beyond top-level package",
                    ));
                }
            }
        }
        Ok(base.to_string())
    }

    /// Whether `e` is the ModuleNotFoundError for exactly `name`.
    fn is_not_found(&self, e: &PyErr, name: &str) -> bool {
        match e {
            PyErr::Msg(TypeId::ModuleNotFoundError, msg) => {
                *msg == format!("No module named '{name}'")
            }
            _ => false,
        }
    }

    fn set_str(&mut self, dict: Value, key: &str, v: Value) -> PyResult<()> {
        let k = Value::str(self.store.strs.intern(key));
        dict_methods::setitem(self, dict, k, v)
    }

    /// The image for exec/eval/compile or a `.py` import failed to compile: SyntaxError with
    /// the message, and the file and line in its args as CPython keeps them.
    pub(crate) fn syntax_error(&mut self, failure: &crate::host::CompileFailure) -> PyErr {
        let ty = if failure.indentation {
            TypeId::IndentationError
        } else {
            TypeId::SyntaxError
        };
        PyErr::fmt(
            ty,
            format!(
                "{} ({}, line {})",
                failure.message, failure.filename, failure.line
            ),
        )
    }
}

/// `ModuleNotFoundError: No module named 'x'`.
fn not_found(name: &str) -> PyErr {
    PyErr::fmt(
        TypeId::ModuleNotFoundError,
        format!("No module named '{name}'"),
    )
}
