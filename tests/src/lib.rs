//! Test support shared by the test binaries in `tests/tests/`. In: fixture paths and levels.
//! Out: the one `check()` funnel (compile a fixture, run it on the VM with a capturing port,
//! return stdout/stderr/status) and expected-file helpers: a missing expected file is created
//! when `UPDATE_EXPECT=1`, otherwise the test fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use frost_compiler::diag::render;
use frost_compiler::{Options, compile};
use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, RunError, Vm};

pub mod cli;
pub mod images;
pub mod rng;
pub mod vectors;

/// What a program did: its output streams and exit status (as `frost run` would exit).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Outcome {
    /// What the program printed.
    pub stdout: String,
    /// Tracebacks (or the rendered compile error, or the load error).
    pub stderr: String,
    /// 0, 1 after an uncaught exception or an error, or SystemExit's code.
    pub status: i32,
}

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// `fixtures/<sub>` in the repository.
pub fn fixtures_dir(sub: &str) -> PathBuf {
    repo_root().join("fixtures").join(sub)
}

/// Every file in `fixtures/<sub>` with extension `ext`, sorted by name.
pub fn fixture_files(sub: &str, ext: &str) -> Vec<PathBuf> {
    let dir = fixtures_dir(sub);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// Compile-error fixtures: every `fixtures/<sub>/*.py` must fail to compile with exactly the
/// rendered diagnostic in its `.err` (source name: the file name). Returns how many fixtures
/// there are and a description of each one that differs.
pub fn compile_error_mismatches(sub: &str) -> (usize, Vec<String>) {
    let files = fixture_files(sub, "py");
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = fs::read_to_string(path).unwrap_or_default();
        let expected = fs::read_to_string(path.with_extension("err")).unwrap_or_default();
        let options = Options {
            source_name: name.clone(),
            ..Options::default()
        };
        match compile(&source, &options) {
            Ok(_) => failures.push(format!("{name}: compiled, expected\n{expected}")),
            Err(err) => {
                let got = render(&err, &name, &source);
                if got != expected {
                    failures.push(format!("{name}: expected\n{expected}got\n{got}"));
                }
            }
        }
    }
    (files.len(), failures)
}

/// The fixture's name: its file stem (`fixtures/run/list_methods.py` → `list_methods`).
pub fn fixture_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Compiles the fixture at `opt_level` (source name: its file name, so tracebacks do not depend
/// on where the repository lives) and runs it on the VM with a capturing port.
pub fn check(path: &Path, opt_level: u8) -> Outcome {
    let source = fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = Options {
        source_name: name.clone(),
        opt_level,
        source_lines: true,
    };
    match compile(&source, &options) {
        Ok(compiled) => run_image(compiled.image, opt_level),
        Err(err) => Outcome {
            stdout: String::new(),
            stderr: render(&err, &name, &source),
            status: 1,
        },
    }
}

/// Runs an image on a VM with the host configuration and the CLI's host (so `exec`, `eval` and
/// `compile` work); exit status as `frost run` computes it.
pub fn run_image(image: Vec<u8>, opt_level: u8) -> Outcome {
    run_image_with(image, opt_level, true)
}

/// Runs an image on a VM without a host, as on a device: no compiler, no file system.
pub fn run_image_without_host(image: Vec<u8>, opt_level: u8) -> Outcome {
    run_image_with(image, opt_level, false)
}

fn run_image_with(image: Vec<u8>, opt_level: u8, with_host: bool) -> Outcome {
    let mut config = Config::HOST;
    config.opt_level = opt_level;
    let mut vm = Vm::new(CapturePort::default(), config);
    if with_host {
        vm.set_host(Box::new(frost_cli::host::CompilerHost::new(true)));
    }
    let result = vm.run_main(ImageBytes::Shared(Rc::from(image)));
    let port = vm.into_port();
    let mut stderr = String::from_utf8_lossy(&port.stderr).into_owned();
    let status = match result {
        Ok(()) => 0,
        Err(RunError::Exception) => 1,
        Err(RunError::SystemExit(code)) => code,
        Err(RunError::Load(err)) => {
            stderr.push_str(&format!("load error: {err}\n"));
            1
        }
    };
    Outcome {
        stdout: String::from_utf8_lossy(&port.stdout).into_owned(),
        stderr,
        status,
    }
}

/// Whether expected files should be (re)written: `UPDATE_EXPECT=1`.
pub fn update_expect() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1")
}

/// `base` with its extension replaced: `with_ext("x.py", "O3.exp")` → `x.O3.exp`.
pub fn with_ext(base: &Path, ext: &str) -> PathBuf {
    base.with_extension(ext)
}

/// The first of `candidates` that exists, read to a string.
pub fn read_first(candidates: &[PathBuf]) -> Option<(PathBuf, String)> {
    candidates.iter().find_map(|path| {
        fs::read_to_string(path)
            .ok()
            .map(|text| (path.clone(), text))
    })
}

/// Compares `actual` with the expected file at `path`. A missing file is created from `actual`
/// when `UPDATE_EXPECT=1`; otherwise a missing or different file is an error describing it.
pub fn expect_file(path: &Path, actual: &str) -> Result<(), String> {
    match fs::read_to_string(path) {
        Ok(expected) if expected == actual => Ok(()),
        Ok(expected) => Err(format!(
            "{}: output differs\n--- expected\n{expected}--- actual\n{actual}---",
            path.display()
        )),
        Err(_) if update_expect() => {
            fs::write(path, actual)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
            Ok(())
        }
        Err(_) => Err(format!(
            "{}: expected file missing (run with UPDATE_EXPECT=1 to create it)",
            path.display()
        )),
    }
}

/// Whether `python3` can be run here.
pub fn python3_available() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Runs `python3 FILE` in the file's directory: its stdout and exit status.
pub fn run_python3(path: &Path) -> (String, i32) {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file = path.file_name().unwrap_or_default();
    let out = std::process::Command::new("python3")
        .arg(file)
        .current_dir(dir)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONIOENCODING", "utf-8")
        .output()
        .unwrap_or_else(|err| panic!("cannot run python3: {err}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}
