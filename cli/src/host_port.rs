//! The host's `Port`. In: program output from the VM. Out: bytes on the CLI's stdout (buffered)
//! and stderr. Stdout is flushed before anything goes to stderr, so a traceback never appears
//! ahead of output printed before it, and once more when the program ends. Ticks come from
//! a monotonic clock started with the port; sleeps block the thread (Ctrl-C arrives as SIGINT,
//! see `interrupt`, so the port reads no input bytes).

use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use frost_runtime::Port;

/// Buffered stdout plus unbuffered stderr over the writers `frost::run` was given.
pub struct HostPort<'a> {
    stdout: BufWriter<&'a mut dyn Write>,
    stderr: &'a mut dyn Write,
    start: Instant,
}

impl<'a> HostPort<'a> {
    /// A port writing to these two streams.
    pub fn new(stdout: &'a mut dyn Write, stderr: &'a mut dyn Write) -> HostPort<'a> {
        HostPort {
            stdout: BufWriter::new(stdout),
            stderr,
            start: Instant::now(),
        }
    }

    /// Flushes what the program printed; call when the program has ended.
    pub fn finish(mut self) {
        // A closed stdout (e.g. `frost run x.py | head`) is not the program's error.
        let _ = self.stdout.flush();
    }
}

impl Port for HostPort<'_> {
    fn write_stdout(&mut self, bytes: &[u8]) {
        let _ = self.stdout.write_all(bytes);
    }

    fn write_stderr(&mut self, bytes: &[u8]) {
        let _ = self.stdout.flush();
        let _ = self.stderr.write_all(bytes);
    }

    fn ticks_us(&mut self) -> u64 {
        u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    fn sleep_us(&mut self, us: u64) {
        // Output printed before a sleep should be visible during it.
        let _ = self.stdout.flush();
        std::thread::sleep(Duration::from_micros(us));
    }
}
