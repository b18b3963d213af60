//! Imports through the CLI's host, in process. In: every case directory `fixtures/import/<case>/`
//! with a `main.py`, its modules and packages, and `main.exp` (CPython's stdout running
//! `main.py` in that directory; a case whose name starts with `opt__` has a hand-written `.exp`
//! for dialect behaviour), and `main.err` (the last lines of stderr) for a program that must end
//! in an uncaught exception. Out: `frost run <case>/main.py` at -O0 and -O3 prints exactly
//! `main.exp` and exits 0 (1 with `main.err`); CPython reproduces every non-dialect `.exp`.
//! Files named `*.fbc.py` are compiled by the test into `*.fbc` images in a scratch copy of the
//! case (with the `.py` removed), so importing a precompiled image is covered without
//! committing binary images that would go stale with the format.

use std::fs;
use std::path::{Path, PathBuf};

use frost_tests::{expect_file, fixtures_dir, python3_available, update_expect};

/// Levels every case runs at.
const LEVELS: [u8; 2] = [0, 3];

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir("import"))
        .expect("fixtures/import exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("main.py").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn is_dialect(case: &Path) -> bool {
    case.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("opt__"))
}

/// Runs `frost run [-O level] main.py ARGS` on the case; (status, stdout, stderr).
fn frost_run(main: &Path, level: u8, extra: &[&str]) -> (i32, String, String) {
    frost_run_with(main, &[&format!("-O{level}")], extra)
}

/// Runs `frost run OPTIONS main.py ARGS`; (status, stdout, stderr).
fn frost_run_with(main: &Path, options: &[&str], extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<std::ffi::OsString> = vec!["frost".into(), "run".into()];
    args.extend(options.iter().map(Into::into));
    args.push(main.as_os_str().to_owned());
    args.extend(extra.iter().map(Into::into));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = frost_cli::run(args, &mut std::io::empty(), &mut out, &mut err);
    (
        status,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// A scratch copy of the case with its `*.fbc.py` files compiled to `*.fbc` images.
fn prepared(case: &Path, level: u8) -> PathBuf {
    // Tests run in parallel threads of one process: a counter keeps their copies apart.
    static COPIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = case.file_name().unwrap_or_default().to_string_lossy();
    let dst = std::env::temp_dir().join(format!(
        "frost-import-{}-{n}-{name}-O{level}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dst);
    copy_tree(case, &dst, level);
    dst
}

fn copy_tree(src: &Path, dst: &Path, level: u8) {
    fs::create_dir_all(dst).expect("scratch dir");
    for entry in fs::read_dir(src).expect("case dir").flatten() {
        let path = entry.path();
        let file = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if file != "__pycache__" {
                copy_tree(&path, &dst.join(&file), level);
            }
        } else if let Some(stem) = file.strip_suffix(".fbc.py") {
            let out = dst.join(format!("{stem}.fbc"));
            let ran = frost_tests::cli::frost(&[
                "compile",
                &format!("-O{level}"),
                "-o",
                &out.to_string_lossy(),
                &path.to_string_lossy(),
            ]);
            assert_eq!(
                ran.status,
                0,
                "compiling {}: {}",
                path.display(),
                ran.stderr
            );
        } else {
            fs::copy(&path, dst.join(&file)).expect("copy fixture file");
        }
    }
}

#[test]
fn import_cases_match_expected_output() {
    let cases = cases();
    assert!(cases.len() >= 5, "too few cases in fixtures/import");
    let mut failures = Vec::new();
    for case in &cases {
        for level in LEVELS {
            let dir = prepared(case, level);
            let (status, stdout, stderr) = frost_run(&dir.join("main.py"), level, &["one", "-x"]);
            let _ = fs::remove_dir_all(&dir);
            let name = case.display();
            let err = fs::read_to_string(case.join("main.err")).ok();
            let failed_as_expected = err.as_ref().is_some_and(|e| {
                status == 1
                    && stderr
                        .lines()
                        .rev()
                        .zip(e.lines().rev())
                        .all(|(a, b)| a == b)
            });
            if (err.is_none() && (status != 0 || !stderr.is_empty()))
                || (err.is_some() && !failed_as_expected)
            {
                failures.push(format!("{name} -O{level}: status {status}\n{stderr}"));
                continue;
            }
            if let Err(e) = expect_file(&case.join("main.exp"), &stdout) {
                failures.push(format!("{name} -O{level}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn expected_output_comes_from_cpython() {
    if !python3_available() {
        eprintln!("python3 not found: CPython cross-check skipped");
        return;
    }
    let mut failures = Vec::new();
    for case in cases().iter().filter(|c| !is_dialect(c)) {
        // CPython imports the `.fbc.py` sources under the image's module name.
        let dir = std::env::temp_dir().join(format!(
            "frost-import-py-{}-{}",
            std::process::id(),
            case.file_name().unwrap_or_default().to_string_lossy()
        ));
        let _ = fs::remove_dir_all(&dir);
        copy_renaming(case, &dir);
        let out = std::process::Command::new("python3")
            .args(["-B", "main.py", "one", "-x"])
            .current_dir(&dir)
            .env("PYTHONHASHSEED", "0")
            .output()
            .expect("python3 runs");
        let _ = fs::remove_dir_all(&dir);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let exp = case.join("main.exp");
        if update_expect() {
            fs::write(&exp, &stdout).expect("write main.exp");
            continue;
        }
        match fs::read_to_string(&exp) {
            Ok(expected)
                if expected == stdout && out.status.success() != case.join("main.err").exists() => {
            }
            Ok(expected) => failures.push(format!(
                "{}: CPython disagrees (status {})\n--- .exp\n{expected}--- python3\n{stdout}{}",
                case.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )),
            Err(_) => failures.push(format!("{} missing", exp.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn copy_renaming(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).expect("scratch dir");
    for entry in fs::read_dir(src).expect("case dir").flatten() {
        let path = entry.path();
        let file = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            copy_renaming(&path, &dst.join(&file));
        } else {
            let target = file
                .strip_suffix(".fbc.py")
                .map_or(file.clone(), |s| format!("{s}.py"));
            fs::copy(&path, dst.join(target)).expect("copy fixture file");
        }
    }
}

#[test]
fn without_a_host_only_builtin_modules_import() {
    let source = "import micropython\nimport sys\nprint(sys.implementation.name)\ntry:\n    import os_path_module\nexcept ImportError as e:\n    print(e)\ntry:\n    exec('x = 1')\nexcept RuntimeError as e:\n    print(e)\n";
    let image = frost_compiler::compile(source, &frost_compiler::Options::default())
        .expect("compiles")
        .image;
    let outcome = frost_tests::run_image_without_host(image, 0);
    assert_eq!(
        outcome.stdout, "frost\nNo module named 'os_path_module'\nno compiler available\n",
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_runaway_import_chain_raises_instead_of_exhausting_the_stack() {
    let dir = std::env::temp_dir().join(format!("frost-import-chain-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    for i in 0..200 {
        fs::write(
            dir.join(format!("link{i}.py")),
            format!("import link{}\n", i + 1),
        )
        .expect("write link");
    }
    fs::write(
        dir.join("main.py"),
        "try:\n    import link0\nexcept RuntimeError as e:\n    print(e)\n",
    )
    .expect("write main");
    // The test thread's default stack (2 MiB) must be enough for the bounded nesting.
    let (status, stdout, stderr) = frost_run(&dir.join("main.py"), 0, &[]);
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(
        (status, stdout.as_str()),
        (0, "maximum recursion depth exceeded\n"),
        "{stderr}"
    );
}

#[test]
fn frozen_modules_import_without_a_host() {
    let compile = |src: &str, name: &str| -> &'static [u8] {
        let options = frost_compiler::Options {
            source_name: name.into(),
            ..frost_compiler::Options::default()
        };
        let image = frost_compiler::compile(src, &options)
            .expect("compiles")
            .image;
        Box::leak(image.into_boxed_slice())
    };
    let main = frost_compiler::compile(
        "import board\nfrom board.pins import LED\nimport board.pins as p\nprint(board.NAME, LED, p.LED, p.__name__)\ntry:\n    import board.nothing\nexcept ImportError as e:\n    print(e)\n",
        &frost_compiler::Options::default(),
    )
    .expect("compiles")
    .image;
    let mut vm = frost_runtime::Vm::new(
        frost_runtime::CapturePort::default(),
        frost_runtime::Config::HOST,
    );
    vm.register_frozen(frost_runtime::host::Frozen {
        name: "board",
        image: compile("NAME = 'frozen board'\n", "board/__init__.py"),
        is_package: true,
    });
    vm.register_frozen(frost_runtime::host::Frozen {
        name: "board.pins",
        image: compile("LED = 25\n", "board/pins.py"),
        is_package: false,
    });
    let result = vm.run_main(frost_runtime::image::ImageBytes::Shared(main.into()));
    let port = vm.into_port();
    assert_eq!(result, Ok(()), "{}", String::from_utf8_lossy(&port.stderr));
    assert_eq!(
        String::from_utf8_lossy(&port.stdout),
        "frozen board 25 25 board.pins\nNo module named 'board.nothing'\n"
    );
}

#[test]
fn deliberately_broken_modules_fail_to_compile_as_expected() {
    let mut checked = 0;
    for case in cases() {
        for entry in fs::read_dir(&case).expect("case dir").flatten() {
            let err = entry.path();
            // `main.err` is the script's expected traceback, not a broken module.
            if err.extension().is_none_or(|e| e != "err") || err.ends_with("main.err") {
                continue;
            }
            let py = err.with_extension("py");
            let ran = frost_tests::cli::frost(&["compile", "-o", "-", &py.to_string_lossy()]);
            let expected = fs::read_to_string(&err).expect("read .err");
            assert_eq!(ran.status, 1, "{} compiled", py.display());
            assert!(
                ran.stderr.ends_with(&expected),
                "{}: stderr does not end with {expected:?}:\n{}",
                py.display(),
                ran.stderr
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no broken modules among the import fixtures");
}

#[test]
fn a_corrupt_image_on_the_path_is_an_import_error_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("frost-import-corrupt-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    let mut bad = frost_runtime::image::MAGIC.to_vec();
    bad.extend_from_slice(&[0xFF; 40]);
    fs::write(dir.join("damaged.fbc"), bad).expect("write image");
    fs::write(
        dir.join("main.py"),
        "try:\n    import damaged\nexcept ImportError as e:\n    print(str(e).startswith(\"bad image for 'damaged'\"))\nimport sys\nprint('damaged' in sys.modules)\n",
    )
    .expect("write main");
    let (status, stdout, stderr) = frost_run(&dir.join("main.py"), 0, &[]);
    let _ = fs::remove_dir_all(&dir);
    assert_eq!((status, stdout.as_str()), (0, "True\nFalse\n"), "{stderr}");
}

#[test]
fn imports_survive_collections_in_a_small_heap() {
    let mut failures = Vec::new();
    for case in cases().iter().filter(|c| !c.join("main.err").exists()) {
        let dir = prepared(case, 0);
        let (status, stdout, stderr) = frost_run_with(
            &dir.join("main.py"),
            &["-X", "heapsize=16K"],
            &["one", "-x"],
        );
        let _ = fs::remove_dir_all(&dir);
        let expected = fs::read_to_string(case.join("main.exp")).unwrap_or_default();
        if status != 0 || stdout != expected {
            failures.push(format!(
                "{}: status {status}\n{stdout}{stderr}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
