//! The `frost` command as a library, so tests drive it in process. In: arguments and three
//! streams. Out: the exit status (0 success, 1 error or uncaught exception, SystemExit's code,
//! 101 internal error) with images, disassembly, program output or diagnostics on the streams.
//!
//! One module per subcommand (`compile`, `run`, `dis`); `options` is the grammar, `input` turns
//! a named file into image bytes, `host_port` is the VM's door to the terminal, `interrupt` turns Ctrl-C into
//! KeyboardInterrupt.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod compile;
pub mod dis;
pub mod host;
pub mod host_port;
pub mod input;
pub mod interrupt;
pub mod options;
pub mod run;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use clap::error::ErrorKind;

use options::Command;

/// Exit status of a bug in frost itself (the panic hook's, like Rust's own).
pub const EXIT_INTERNAL_ERROR: i32 = 101;

/// The three standard streams a command works with.
pub struct Io<'a> {
    /// Source for `compile -` (and nothing else).
    pub stdin: &'a mut dyn Read,
    /// Images (`-o -`), disassembly, program output.
    pub stdout: &'a mut dyn Write,
    /// Diagnostics, tracebacks, usage errors.
    pub stderr: &'a mut dyn Write,
}

/// Runs the `frost` command line `args` (the first is the program name) and returns the exit
/// status. A panic, which would be a bug, is caught and reported as one line with status 101.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let mut io = Io {
        stdin,
        stdout,
        stderr,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| dispatch(args, &mut io)));
    match outcome {
        Ok(status) => status,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let _ = writeln!(io.stderr, "frost: internal error: {message}");
            EXIT_INTERNAL_ERROR
        }
    }
}

fn dispatch(args: impl IntoIterator<Item = OsString>, io: &mut Io<'_>) -> i32 {
    let cli = match options::parse(args) {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err, io),
    };
    match cli.command {
        Command::Compile(args) => compile::main(&args, io),
        Command::Run(args) => run::main(&args, io),
        Command::Dis(args) => dis::main(&args, io),
    }
}

/// `--help` and `--version` go to stdout with status 0; every other clap error to stderr with
/// status 1, as mpy-cross does (clap's own default would be 2).
fn usage_error(err: &clap::Error, io: &mut Io<'_>) -> i32 {
    let text = err.render().to_string();
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = io.stdout.write_all(text.as_bytes());
            0
        }
        _ => {
            let _ = io.stderr.write_all(text.as_bytes());
            1
        }
    }
}

/// Prints `frost: WHAT: MESSAGE` on stderr and returns status 1.
pub(crate) fn fail(io: &mut Io<'_>, what: &str, message: impl std::fmt::Display) -> i32 {
    let _ = writeln!(io.stderr, "frost: {what}: {message}");
    1
}
