//! Conformance over `fixtures/run/`. In: every `NAME.py` with `NAME.exp` (stdout), optional
//! per-level `NAME.O0.exp`/`NAME.O3.exp`, and `NAME.err` (last traceback lines; exit 1) for
//! programs that must fail. Out: pass/fail per program and level, plus a check that CPython
//! reproduces every `.exp` not marked as dialect behaviour by its name.

use std::path::Path;

use frost_tests::{
    Outcome, check, expect_file, fixture_files, fixture_name, python3_available, read_first,
    run_python3, update_expect, with_ext,
};

/// Levels every program runs at: all debug code kept, and everything stripped.
const LEVELS: [u8; 2] = [0, 3];

/// Name prefixes whose `.exp` is hand-written dialect behaviour (checked against the spec).
const DIALECT_PREFIXES: [&str; 3] = ["const__", "micropython__", "opt__"];

fn is_dialect(name: &str) -> bool {
    DIALECT_PREFIXES.iter().any(|p| name.starts_with(p))
}

#[test]
fn run_fixtures_match_expected_output() {
    let programs = fixture_files("run", "py");
    assert!(programs.len() >= 25, "too few programs in fixtures/run");
    let mut failures = Vec::new();
    for path in &programs {
        for level in LEVELS {
            let outcome = check(path, level);
            if let Err(err) = compare(path, level, &outcome) {
                failures.push(format!("{} at -O{level}: {err}", fixture_name(path)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n\n{}",
        failures.len(),
        programs.len() * LEVELS.len(),
        failures.join("\n\n")
    );
}

/// Checks one run: status and stderr against `.err` (or silence), then stdout against `.exp`.
fn compare(path: &Path, level: u8, outcome: &Outcome) -> Result<(), String> {
    let exp_path = read_first(&[
        with_ext(path, &format!("O{level}.exp")),
        with_ext(path, "exp"),
    ])
    .map_or_else(|| with_ext(path, "exp"), |(p, _)| p);
    if update_expect() && !exp_path.exists() && !is_dialect(&fixture_name(path)) {
        // CPython, not frost, is the reference for these programs.
        let (stdout, _) = run_python3(path);
        std::fs::write(&exp_path, stdout).map_err(|e| e.to_string())?;
    }
    let err = read_first(&[
        with_ext(path, &format!("O{level}.err")),
        with_ext(path, "err"),
    ]);
    match err {
        None if outcome.status != 0 => {
            return Err(format!(
                "exit status {}, stderr:\n{}",
                outcome.status, outcome.stderr
            ));
        }
        None if !outcome.stderr.is_empty() => {
            return Err(format!("unexpected stderr:\n{}", outcome.stderr));
        }
        None => {}
        Some((err_path, _)) if outcome.status != 1 => {
            return Err(format!(
                "{}: expected exit status 1, got {}; stderr:\n{}",
                err_path.display(),
                outcome.status,
                outcome.stderr
            ));
        }
        Some((err_path, expected)) if !ends_with_lines(&outcome.stderr, &expected) => {
            return Err(format!(
                "{}: stderr does not end with the expected lines\n--- expected\n{expected}--- actual\n{}---",
                err_path.display(),
                outcome.stderr
            ));
        }
        Some(_) => {}
    }
    expect_file(&exp_path, &outcome.stdout)
}

/// Whether the last lines of `stderr` are exactly the lines of `expected`.
fn ends_with_lines(stderr: &str, expected: &str) -> bool {
    let want: Vec<&str> = expected.lines().collect();
    let got: Vec<&str> = stderr.lines().collect();
    !want.is_empty() && got.len() >= want.len() && got[got.len() - want.len()..] == want[..]
}

#[test]
fn expected_output_comes_from_cpython() {
    if !python3_available() {
        eprintln!("python3 not found: CPython cross-check skipped");
        return;
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in fixture_files("run", "py") {
        let name = fixture_name(&path);
        if is_dialect(&name) {
            continue;
        }
        checked += 1;
        let (stdout, status) = run_python3(&path);
        let must_fail = ["err", "O0.err", "O3.err"]
            .iter()
            .any(|ext| with_ext(&path, ext).exists());
        if status != i32::from(must_fail) {
            failures.push(format!(
                "{name}: python3 exits {status}, but the fixture {} fail",
                if must_fail { "must" } else { "must not" }
            ));
        }
        let exp = with_ext(&path, "exp");
        if update_expect() {
            if let Err(err) = std::fs::write(&exp, &stdout) {
                failures.push(format!("{}: {err}", exp.display()));
            }
            continue;
        }
        match std::fs::read_to_string(&exp) {
            Ok(expected) if expected == stdout => {}
            Ok(expected) => failures.push(format!(
                "{name}.exp differs from CPython's output\n--- .exp\n{expected}--- python3\n{stdout}---"
            )),
            Err(_) => failures.push(format!(
                "{name}.exp missing (UPDATE_EXPECT=1 writes it from python3)"
            )),
        }
    }
    assert!(checked > 0, "no CPython-checked programs");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn dialect_prefixes_are_recognised() {
    assert!(is_dialect("const__underscore_elimination"));
    assert!(is_dialect("opt__assert_stripped"));
    assert!(!is_dialect("list_methods"));
    assert!(!is_dialect("constant_folding"));
}

#[test]
fn fixtures_never_reach_the_internal_error_path() {
    let mut failures = Vec::new();
    for path in fixture_files("run", "py") {
        for (sub, level) in [("run", "0"), ("run", "3"), ("dis", "0"), ("dis", "3")] {
            let args = ["frost", sub, "-O", level]
                .into_iter()
                .map(Into::into)
                .chain([path.clone().into_os_string()]);
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let status = frost_cli::run(args, &mut std::io::empty(), &mut out, &mut err);
            let err = String::from_utf8_lossy(&err);
            if status == frost_cli::EXIT_INTERNAL_ERROR || err.contains("internal error") {
                failures.push(format!("{sub} -O{level} {}: {err}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_match_expected_output() {
    let examples = fixture_files("examples", "py");
    assert!(!examples.is_empty(), "no examples");
    let mut failures = Vec::new();
    for path in &examples {
        let expected = with_ext(path, "exp");
        for level in LEVELS {
            let outcome = check(path, level);
            if outcome.status != 0 || !outcome.stderr.is_empty() {
                failures.push(format!("{} -O{level}: {}", path.display(), outcome.stderr));
            } else if let Err(err) = expect_file(&expected, &outcome.stdout) {
                failures.push(format!("-O{level}: {err}"));
            }
        }
        if python3_available() {
            let (stdout, _) = run_python3(path);
            let exp = std::fs::read_to_string(&expected).unwrap_or_default();
            if stdout != exp {
                failures.push(format!("{}: python3 disagrees", expected.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
