//! Temporary stand-ins for the compiler and VM entry points that other helpers are landing on
//! `main` (`frost_compiler::compile`, `diag::render`, `dis::disassemble`, the runtime's `Vm`,
//! `Port`, `Config`, `RunError`). In: the same arguments. Out: an error saying the piece is not
//! merged yet. Removed as soon as the real APIs are on main.

use frost_compiler::ast::Span;
use frost_compiler::{CompileError, Compiled, Options};
use frost_runtime::image::{ImageBytes, LoadError};

/// Stand-in for `frost_compiler::compile`.
pub fn compile(_source: &str, _options: &Options) -> Result<Compiled, CompileError> {
    Err(CompileError::syntax(
        "the compiler is not merged yet",
        Span::new(0, 0),
    ))
}

/// Stand-in for `frost_compiler::diag::render`.
pub fn render(err: &CompileError, source_name: &str, _source: &str) -> String {
    format!("{source_name}: {}: {}\n", err.kind, err.message)
}

/// Stand-in for `frost_compiler::dis::disassemble`.
pub fn disassemble(bytes: &[u8]) -> Result<String, LoadError> {
    frost_runtime::image::load(ImageBytes::Shared(bytes.into())).map(|_| String::new())
}

/// Stand-in for `frost_runtime::Port`.
pub trait Port {
    fn write_stdout(&mut self, bytes: &[u8]);
    fn write_stderr(&mut self, bytes: &[u8]);
}

/// Stand-in for `frost_runtime::Config`.
pub struct Config {
    pub heap_size: usize,
    pub max_frames: usize,
    pub stack_values: usize,
    pub opt_level: u8,
}

impl Config {
    pub const HOST: Config = Config {
        heap_size: 1 << 20,
        max_frames: 256,
        stack_values: 4096,
        opt_level: 0,
    };
}

/// Stand-in for `frost_runtime::CapturePort`.
#[derive(Default)]
pub struct CapturePort {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Port for CapturePort {
    fn write_stdout(&mut self, bytes: &[u8]) {
        self.stdout.extend_from_slice(bytes);
    }

    fn write_stderr(&mut self, bytes: &[u8]) {
        self.stderr.extend_from_slice(bytes);
    }
}

/// Stand-in for `frost_runtime::RunError`.
pub enum RunError {
    Load(LoadError),
    Exception,
    SystemExit(i32),
}

/// Stand-in for `frost_runtime::Vm`.
pub struct Vm<P: Port> {
    port: P,
}

impl<P: Port> Vm<P> {
    pub fn new(port: P, _config: Config) -> Vm<P> {
        Vm { port }
    }

    pub fn run_main(&mut self, bytes: ImageBytes) -> Result<(), RunError> {
        frost_runtime::image::load(bytes).map_err(RunError::Load)?;
        self.port.write_stderr(b"the VM is not merged yet\n");
        Err(RunError::Exception)
    }

    pub fn into_port(self) -> P {
        self.port
    }
}
