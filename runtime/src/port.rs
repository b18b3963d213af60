//! The `Port` trait: the runtime's only door to the world (DESIGN.md decision 11).
//! In: bytes the program writes, requests for time and sleep. Out: whatever the port does with
//! them (a UART, a terminal, a buffer), input bytes, ticks. `CapturePort` keeps output in
//! memory, serves input from a queue and runs a virtual clock, for deterministic tests.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// Everything the runtime needs from its platform. Only the two writes are required; a port
/// without input, clock or sleep keeps the defaults.
pub trait Port {
    /// Writes program output (print).
    fn write_stdout(&mut self, bytes: &[u8]);
    /// Writes diagnostics (uncaught tracebacks).
    fn write_stderr(&mut self, bytes: &[u8]);
    /// Non-blocking: copies input bytes that have arrived into `buf`, returns how many. The VM
    /// compares each with the interrupt character (`micropython.kbd_intr`). A port whose ISR
    /// does that itself (`SchedulerHandle::input_byte`) returns only the bytes it kept.
    fn read_input(&mut self, buf: &mut [u8]) -> usize {
        let _ = buf;
        0
    }
    /// Microseconds on a monotonic clock with an arbitrary start (`time.ticks_us`); it may
    /// wrap at any power of two ≥ 2^30.
    fn ticks_us(&mut self) -> u64 {
        0
    }
    /// Waits about `us` microseconds. The VM calls it in slices and runs check points between.
    fn sleep_us(&mut self, us: u64) {
        let _ = us;
    }
}

/// A port that captures both streams in memory, with an input queue and a virtual clock
/// that only sleeps (and `tick_step_us` per ticks read) move.
#[derive(Clone, Debug, Default)]
pub struct CapturePort {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Bytes delivered to `read_input`, in order.
    pub input: VecDeque<u8>,
    /// The virtual clock, in microseconds.
    pub clock_us: u64,
    /// Added to the clock after each `ticks_us` read (0: time stands still between sleeps).
    pub tick_step_us: u64,
    /// Input bytes delivered per `read_input` call (0: all that are queued).
    pub input_chunk: usize,
}

impl Port for CapturePort {
    fn write_stdout(&mut self, bytes: &[u8]) {
        self.stdout.extend_from_slice(bytes);
    }

    fn write_stderr(&mut self, bytes: &[u8]) {
        self.stderr.extend_from_slice(bytes);
    }

    fn read_input(&mut self, buf: &mut [u8]) -> usize {
        let limit = match self.input_chunk {
            0 => buf.len(),
            n => n.min(buf.len()),
        };
        let mut n = 0;
        for slot in buf.iter_mut().take(limit) {
            let Some(b) = self.input.pop_front() else {
                break;
            };
            *slot = b;
            n += 1;
        }
        n
    }

    fn ticks_us(&mut self) -> u64 {
        let now = self.clock_us;
        self.clock_us = self.clock_us.wrapping_add(self.tick_step_us);
        now
    }

    fn sleep_us(&mut self, us: u64) {
        self.clock_us = self.clock_us.wrapping_add(us);
    }
}
