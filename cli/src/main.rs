//! The `frost` command. In: command-line arguments. Out: images, disassembly, program output,
//! and the exit status computed by `frost_cli::run`.

use std::io::Write;

fn main() {
    // Last resort: a bug must print one line, never a Rust backtrace.
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("unknown panic");
        let place = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(std::io::stderr(), "frost: internal error: {message}{place}");
        std::process::exit(frost_cli::EXIT_INTERNAL_ERROR);
    }));
    let status = frost_cli::run(
        std::env::args_os(),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(status);
}
