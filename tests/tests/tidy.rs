//! Tidy: the style rules of STYLE.md that a machine can check. In: every file of the repository
//! (outside `target/` and `.git/`). Out: a failure naming each file that breaks a rule: no `//!`
//! header, over 800 lines, a bare allow attribute, a path of the build machine, or a path named
//! in ARCHITECTURE.md that does not exist.

use std::fs;
use std::path::{Path, PathBuf};

use frost_tests::repo_root;

/// Hard limit on a source file's length (STYLE.md rule 2).
const MAX_LINES: usize = 800;

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let bad: Vec<String> = rust_files()
        .into_iter()
        .filter(|(_, text)| !text.starts_with("//!"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        bad.is_empty(),
        "files without a `//!` header:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_rust_file_is_over_the_line_limit() {
    let bad: Vec<String> = rust_files()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES)
        .map(|(path, text)| format!("{path}: {} lines", text.lines().count()))
        .collect();
    assert!(
        bad.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_bare_allow_attributes() {
    // Spelled in two pieces so this file does not match itself.
    let needle = concat!("#[al", "low(");
    let inner = concat!("#![al", "low(");
    let bad: Vec<String> = rust_files()
        .into_iter()
        .filter(|(_, text)| text.contains(needle) || text.contains(inner))
        .map(|(path, _)| path)
        .collect();
    assert!(
        bad.is_empty(),
        "use #[expect(lint, reason = \"…\")] instead of allow in:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_machine_paths_in_the_repository() {
    let needles = [
        concat!("/wo", "rk/"),
        concat!("/ho", "me/"),
        concat!("/Us", "ers/"),
        concat!("/ro", "ot/"),
        concat!("C:", "\\Users"),
    ];
    let mut bad = Vec::new();
    for path in all_files(&repo_root()) {
        let Ok(text) = fs::read_to_string(&path) else {
            continue; // binary fixtures (images) are not text
        };
        for needle in needles {
            if text.contains(needle) {
                bad.push(format!("{}: contains {needle}", relative(&path)));
            }
        }
    }
    assert!(bad.is_empty(), "machine paths found:\n{}", bad.join("\n"));
}

#[test]
fn architecture_names_only_existing_paths() {
    let root = repo_root();
    let Ok(text) = fs::read_to_string(root.join("ARCHITECTURE.md")) else {
        eprintln!("ARCHITECTURE.md not written yet: path check skipped");
        return;
    };
    let missing: Vec<&str> = backticked(&text)
        .into_iter()
        .filter(|name| looks_like_path(name))
        .filter(|name| !root.join(name.trim_end_matches('/')).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn path_detection_in_architecture_md() {
    let spans = backticked("see `runtime/src/vm/` and `Value::int` and `cargo test`");
    assert_eq!(spans, ["runtime/src/vm/", "Value::int", "cargo test"]);
    assert!(looks_like_path("runtime/src/vm/"));
    assert!(looks_like_path("README.md"));
    assert!(!looks_like_path("Value::int"));
    assert!(!looks_like_path("cargo test"));
    assert!(!looks_like_path("a / b"));
}

/// The contents of every `` `…` `` span on a line.
fn backticked(text: &str) -> Vec<&str> {
    text.lines()
        .flat_map(|line| line.split('`').skip(1).step_by(2))
        .collect()
}

/// A backticked span names a path if it is one word with a `/` or a known file extension.
fn looks_like_path(span: &str) -> bool {
    const EXTENSIONS: [&str; 6] = [".rs", ".md", ".toml", ".py", ".exp", ".snap"];
    let word = !span.is_empty()
        && span
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
    word && !span.starts_with('/')
        && !span.starts_with('.')
        && (span.contains('/') || EXTENSIONS.iter().any(|e| span.ends_with(e)))
}

/// Every `.rs` file: (path relative to the root, contents).
fn rust_files() -> Vec<(String, String)> {
    let files: Vec<(String, String)> = all_files(&repo_root())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| fs::read_to_string(&p).ok().map(|t| (relative(&p), t)))
        .collect();
    assert!(files.len() > 10, "the walk found too few .rs files");
    files
}

/// Every file under `dir`, skipping build output and version-control data.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    let root = repo_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
