//! Uncaught exceptions end to end. In: fixtures/traceback/NAME.py (compiled as `prog.py`),
//! with NAME.exp (stdout) and NAME.err (stderr; absent when the program exits cleanly or by
//! SystemExit). Out: assertions that the VM prints exactly that, and the right `RunError`.

use std::path::{Path, PathBuf};

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, RunError, Vm};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/traceback");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    out.sort();
    out
}

fn run(source: &str, opt_level: u8) -> (String, String, Result<(), RunError>) {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        opt_level,
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    let result = vm.run_main(ImageBytes::Shared(image.into()));
    let port = vm.into_port();
    (
        String::from_utf8(port.stdout).unwrap(),
        String::from_utf8(port.stderr).unwrap(),
        result,
    )
}

#[test]
fn uncaught_exceptions_print_tracebacks() {
    let all = fixtures();
    assert!(all.len() >= 10, "fixtures missing");
    let mut failures = Vec::new();
    for path in all {
        let source = std::fs::read_to_string(&path).unwrap();
        let stdout = std::fs::read_to_string(path.with_extension("exp")).unwrap();
        let stderr = std::fs::read_to_string(path.with_extension("err")).unwrap_or_default();
        let (out, err, result) = run(&source, 0);
        let expected = match stderr.is_empty() {
            true if source.contains("SystemExit") => Err(RunError::SystemExit(3)),
            true => Ok(()),
            false => Err(RunError::Exception),
        };
        if out != stdout || err != stderr || result != expected {
            failures.push(format!(
                "{}:\n--- stdout\n{out}--- stderr\n{err}--- result {result:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn opt_level_3_reports_line_1_with_file_and_function() {
    let source = "def f():\n    return xyz\n\n\nf()\n";
    let (_, err, result) = run(source, 3);
    assert_eq!(
        err,
        "Traceback (most recent call last):\n  File \"prog.py\", line 1, in <module>\n  File \"prog.py\", line 1, in f\nNameError: name 'xyz' isn't defined\n"
    );
    assert_eq!(result, Err(RunError::Exception));
}
