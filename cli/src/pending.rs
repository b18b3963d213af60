//! Temporary stand-ins for the VM entry points that the runtime helper is landing on `main`
//! (`Vm`, `Port`, `Config`, `CapturePort`, `RunError`). In: the same arguments. Out: an error
//! saying the VM is not merged yet. Removed as soon as the real API is on main.

use frost_runtime::image::{ImageBytes, LoadError};

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
