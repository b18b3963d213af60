//! The stdlib compile test. In: every `.py` file of the local CPython 3.11 standard library
//! (recursively, the test package included, `site-packages` skipped), less the files CPython
//! itself rejects (`fixtures/stdlib/cpython_rejects.txt`). Out: `frost_compiler::compile`
//! succeeds on each, except the files listed in `fixtures/stdlib/exceptions.txt` (syntax
//! outside MicroPython's dialect: one relative path per line, then its reason), which must
//! still fail: the test fails when a listed file starts compiling or an unlisted file fails.
//! Prints that it skipped when python3 or the stdlib directory is missing.
//!
//! Regenerating both lists (after the compiler changes):
//! `cargo test -p frost-tests --test stdlib -- --ignored write_lists`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use frost_compiler::{Options, compile};
use frost_tests::fixtures_dir;

/// Directories never walked: third-party packages and caches.
const SKIP_DIRS: [&str; 3] = ["site-packages", "dist-packages", "__pycache__"];

/// Each worker thread's stack: deeply nested test files must hit the compiler's own limits
/// (a CompileError), not the thread's.
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// One file's result: image bytes, or the error line.
type Verdict = Result<usize, String>;

/// The local stdlib directory, or None (with the reason printed) when there is none.
fn stdlib_dir() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output();
    let dir = match out {
        Ok(out) if out.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        }
        _ => {
            eprintln!("stdlib compile test skipped: python3 not available");
            return None;
        }
    };
    if !dir.is_dir() {
        eprintln!(
            "stdlib compile test skipped: {} does not exist",
            dir.display()
        );
        return None;
    }
    Some(dir)
}

/// Every `.py` under `dir`, as paths relative to it with `/` separators, sorted.
fn python_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !SKIP_DIRS.contains(&name.as_str()) {
                    stack.push(path);
                }
            } else if name.ends_with(".py")
                && let Ok(rel) = path.strip_prefix(dir)
            {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// A list file: relative path first on each line, the rest of the line its reason; `#` lines
/// and blank lines are comments.
fn read_list(name: &str) -> BTreeMap<String, String> {
    let text = fs::read_to_string(fixtures_dir("stdlib").join(name)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((p, r)) => (p.to_string(), r.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

struct Totals {
    verdicts: BTreeMap<String, Verdict>,
    source_bytes: usize,
    seconds: f64,
}

/// Compiles `files` in parallel threads.
fn compile_all(dir: &Path, files: &[String]) -> Totals {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::new());
    let source_bytes = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let worker = || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(rel) = files.get(i) else { break };
                    let verdict = compile_one(&dir.join(rel), rel, &source_bytes);
                    if let Ok(mut r) = results.lock() {
                        r.insert(rel.clone(), verdict);
                    }
                }
            };
            std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, worker)
                .expect("spawn worker");
        }
    });
    Totals {
        verdicts: results.into_inner().unwrap_or_default(),
        source_bytes: source_bytes.into_inner(),
        seconds: start.elapsed().as_secs_f64(),
    }
}

fn compile_one(path: &Path, rel: &str, source_bytes: &AtomicUsize) -> Verdict {
    let bytes = fs::read(path).map_err(|e| format!("unreadable: {e}"))?;
    source_bytes.fetch_add(bytes.len(), Ordering::Relaxed);
    let source = String::from_utf8(bytes)
        .map_err(|_| "source is not UTF-8 (MicroPython reads UTF-8 source only)".to_string())?;
    let options = Options {
        source_name: rel.to_string(),
        ..Options::default()
    };
    match catch_unwind(AssertUnwindSafe(|| compile(&source, &options))) {
        Ok(Ok(compiled)) => Ok(compiled.image.len()),
        Ok(Err(err)) => Err(format!("{}: {}", err.kind, err.message)),
        Err(_) => Err("compiler panicked".to_string()),
    }
}

#[test]
fn stdlib_compiles_except_listed_files() {
    let Some(dir) = stdlib_dir() else { return };
    let rejects = read_list("cpython_rejects.txt");
    let exceptions = read_list("exceptions.txt");
    let files: Vec<String> = python_files(&dir)
        .into_iter()
        .filter(|f| !rejects.contains_key(f))
        .collect();
    let totals = compile_all(&dir, &files);
    let mut problems = Vec::new();
    let mut image_bytes = 0;
    let mut compiled = 0;
    for (rel, verdict) in &totals.verdicts {
        match (verdict, exceptions.get(rel)) {
            (Ok(n), None) => {
                compiled += 1;
                image_bytes += n;
            }
            (Ok(_), Some(reason)) => problems.push(format!(
                "{rel} now compiles: remove it from exceptions.txt ({reason})"
            )),
            (Err(e), None) => problems.push(format!("{rel} fails: {e}")),
            (Err(_), Some(_)) => {}
        }
    }
    let present: BTreeSet<&String> = totals.verdicts.keys().collect();
    for listed in exceptions.keys().filter(|k| !present.contains(k)) {
        eprintln!("note: {listed} is listed in exceptions.txt but not in this stdlib");
    }
    eprintln!(
        "stdlib: {compiled} files compiled, {} listed exceptions, {} CPython rejects, {:.1} s, {} source bytes, {} image bytes",
        exceptions.len(),
        rejects.len(),
        totals.seconds,
        totals.source_bytes,
        image_bytes
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The reason a file is grouped under: its error with the varying part of a lone-surrogate or
/// invalid-character message blanked, so one kind of failure is one group.
fn group_of(error: &str) -> String {
    for marker in ["lone surrogate ", "invalid character "] {
        if let Some(at) = error.find(marker) {
            let head = &error[..at + marker.len()];
            let tail = error[at + marker.len()..]
                .split_once(' ')
                .map_or("", |(_, rest)| rest);
            return format!("{head}… {tail}").trim_end().to_string();
        }
    }
    error.to_string()
}

/// Writes `cpython_rejects.txt` (files CPython's own `compile()` refuses) and `exceptions.txt`
/// (files frost refuses now, grouped by error message) for review.
#[test]
#[ignore = "regenerates fixtures/stdlib/*.txt; run by hand after compiler changes"]
fn write_lists() {
    let Some(dir) = stdlib_dir() else { return };
    let files = python_files(&dir);
    let script = "import sys\nfor rel in sys.stdin.read().split():\n    try:\n        compile(open(sys.argv[1] + '/' + rel, 'rb').read(), rel, 'exec', dont_inherit=True)\n    except Exception as e:\n        print(rel, type(e).__name__ + ':', str(e).split(' (')[0])\n";
    let mut child = std::process::Command::new("python3")
        .args(["-W", "ignore", "-c", script, &dir.to_string_lossy()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        stdin
            .write_all(files.join("\n").as_bytes())
            .expect("feed python3");
    }
    let out = child.wait_with_output().expect("python3 finishes");
    let rejects_text = String::from_utf8_lossy(&out.stdout).into_owned();
    let header = "# Files CPython 3.11's own compile() refuses (deliberately bad test data); not compiled.\n# Generated by `cargo test -p frost-tests --test stdlib -- --ignored write_lists`.\n";
    let stdlib = fixtures_dir("stdlib");
    fs::write(
        stdlib.join("cpython_rejects.txt"),
        format!("{header}{rejects_text}"),
    )
    .expect("write rejects");
    let rejects = read_list("cpython_rejects.txt");
    let files: Vec<String> = files
        .into_iter()
        .filter(|f| !rejects.contains_key(f))
        .collect();
    let totals = compile_all(&dir, &files);
    let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for (rel, verdict) in &totals.verdicts {
        if let Err(e) = verdict {
            groups.entry(group_of(e)).or_default().push(rel);
        }
    }
    let mut groups: Vec<(String, Vec<&String>)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let mut text = String::from(
        "# stdlib files frost does not compile: syntax outside MicroPython's dialect.\n# One relative path per line, then the reason. Generated by\n# `cargo test -p frost-tests --test stdlib -- --ignored write_lists`; review before committing.\n",
    );
    for (reason, paths) in &groups {
        let _ = writeln!(text, "\n# {reason} ({} files)", paths.len());
        for p in paths {
            let _ = writeln!(text, "{p}  {reason}");
        }
    }
    eprintln!("{text}");
    fs::write(stdlib.join("exceptions.txt"), text).expect("write exceptions");
}
