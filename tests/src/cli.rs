//! Driving the `frost` command in process. In: an argument list (without the program name)
//! and stdin bytes. Out: a `Ran` with the exit status and both streams.

use std::ffi::OsString;

/// What one invocation did.
pub struct Ran {
    /// The exit status `frost` would exit with.
    pub status: i32,
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr, as text.
    pub stderr: String,
}

impl Ran {
    /// Stdout as text.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs `frost ARGS...` with `stdin` as standard input.
pub fn frost_with_stdin(args: &[&str], stdin: &[u8]) -> Ran {
    let args = std::iter::once("frost")
        .chain(args.iter().copied())
        .map(OsString::from);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let status = frost_cli::run(args, &mut &stdin[..], &mut stdout, &mut stderr);
    Ran {
        status,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `frost ARGS...` with empty standard input.
pub fn frost(args: &[&str]) -> Ran {
    frost_with_stdin(args, b"")
}
