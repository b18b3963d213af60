//! The host hook (DESIGN.md decision 12). In: requests the VM cannot serve alone: find a module
//! on the search path, compile source text for `exec`/`eval`/`compile`. Out: image bytes or a
//! compile failure. The CLI implements `Host` with the compiler and the file system; a device
//! has no host, imports only built-in and frozen modules (`Frozen`), and `exec`/`eval`/`compile`
//! of source text raise `RuntimeError: no compiler available` (MicroPython without a compiler,
//! `MICROPY_ENABLE_COMPILER=0`, cannot evaluate strings either).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::image::ImageBytes;
use crate::value::Value;

/// How `compile()` and the host treat the source: a module body, or one expression whose value
/// the module body returns.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Mode {
    /// `exec` and `single`: statements; the body returns None.
    Exec,
    /// `eval`: one expression; the body returns its value.
    Eval,
}

/// A module the host found.
#[derive(Clone, Debug)]
pub struct Found {
    /// The image (compiled on the fly from a `.py`, or read from a `.fbc`).
    pub image: ImageBytes,
    /// The file it came from, for `__file__`.
    pub file: String,
    /// For a package (`NAME/__init__.py`): its directory, which becomes `__path__`.
    pub package_dir: Option<String>,
}

/// A module file that exists but could not be turned into an image.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum HostError {
    /// The source does not compile; the VM raises it as a SyntaxError.
    Compile(CompileFailure),
    /// Reading the file failed, or the image is refused; the VM raises ImportError with this.
    Other(String),
}

/// A compile error as the VM needs it to raise `SyntaxError`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CompileFailure {
    /// Whether the compiler named it an indentation error (`IndentationError`, `TabError`);
    /// the VM raises IndentationError then, SyntaxError otherwise.
    pub indentation: bool,
    /// The message (`invalid syntax`, `not a constant`, ...).
    pub message: String,
    /// The file name given to `compile`, or the module's path.
    pub filename: String,
    /// 1-based line of the error.
    pub line: u32,
}

/// What the VM asks of the system it runs on. Installed with `Vm::set_host`.
pub trait Host {
    /// Looks for module `name` (the last part of a dotted name) in `dirs`, in order: a package
    /// directory `NAME/__init__.py`, a source file `NAME.py` (compiled at `opt_level`) or an
    /// image `NAME.fbc`. Ok(None) when no directory has it.
    fn find_module(
        &mut self,
        name: &str,
        dirs: &[String],
        opt_level: u8,
    ) -> Result<Option<Found>, HostError>;

    /// Compiles `source` (named `filename` in tracebacks) at `opt_level`.
    fn compile(
        &mut self,
        source: &str,
        filename: &str,
        mode: Mode,
        opt_level: u8,
    ) -> Result<Vec<u8>, CompileFailure>;
}

/// A module frozen into the firmware: its dotted name and image, executed in place from flash.
#[derive(Copy, Clone, Debug)]
pub struct Frozen {
    /// Dotted module name (`pkg.mod`).
    pub name: &'static str,
    /// The image bytes.
    pub image: &'static [u8],
    /// Whether it is a package (`pkg/__init__.py`), so `pkg.sub` can be imported below it.
    pub is_package: bool,
}

/// What the VM keeps for imports and evaluation: the host, if any, the frozen modules, and the
/// objects behind `sys.modules`, `sys.path` and `sys.argv` (GC roots, created on first use).
pub struct HostState {
    /// The installed host (none on a device).
    pub host: Option<Box<dyn Host>>,
    /// Frozen modules, searched before the host.
    pub frozen: Vec<Frozen>,
    /// `sys.argv` as given by the embedder, until the list exists.
    pub argv_init: Vec<String>,
    /// `sys.path` as given by the embedder, until the list exists.
    pub path_init: Vec<String>,
    /// The `sys.modules` dict (None until created).
    pub modules: Value,
    /// The `sys.path` list (None until created).
    pub path: Value,
    /// The `sys.argv` list (None until created).
    pub argv: Value,
}

impl Default for HostState {
    fn default() -> HostState {
        HostState {
            host: None,
            frozen: Vec::new(),
            argv_init: Vec::new(),
            path_init: Vec::new(),
            modules: Value::NONE,
            path: Value::NONE,
            argv: Value::NONE,
        }
    }
}

impl HostState {
    /// The heap objects this state keeps alive.
    pub fn roots(&self) -> [Value; 3] {
        [self.modules, self.path, self.argv]
    }
}
