//! The `Port` trait: the runtime's only door to the world (DESIGN.md decision 11).
//! In: bytes the program writes. Out: whatever the port does with them (a UART, a terminal,
//! a buffer). `CapturePort` keeps them in memory for tests.

use alloc::vec::Vec;

/// Everything the runtime needs from its platform.
pub trait Port {
    /// Writes program output (print).
    fn write_stdout(&mut self, bytes: &[u8]);
    /// Writes diagnostics (uncaught tracebacks).
    fn write_stderr(&mut self, bytes: &[u8]);
}

/// A port that captures both streams in memory.
#[derive(Clone, Debug, Default)]
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
