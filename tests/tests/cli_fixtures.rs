//! The `frost` command over every fixture. In: the golden images of `fixtures/images/` with
//! their verdicts, and every `.py` under `fixtures/`. Out: `run`/`dis` refuse bad images with
//! exactly the loader's verdict, and no input reaches the internal-error path.

use std::fs;
use std::path::{Path, PathBuf};

use frost_tests::cli::frost;

fn s(path: &Path) -> &str {
    path.to_str().expect("repository paths are UTF-8")
}

#[test]
fn golden_images_get_their_verdict_from_run_and_dis() {
    let root = frost_tests::fixtures_dir("images");
    let mut versions: Vec<PathBuf> = fs::read_dir(&root)
        .expect("fixtures/images")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    let mut checked = 0;
    for version in &versions {
        let sub = format!(
            "images/{}",
            version.file_name().unwrap_or_default().to_string_lossy()
        );
        for verdict_path in frost_tests::fixture_files(&sub, "verdict") {
            check_verdict(&verdict_path.with_extension("fbc"), &verdict_path);
            checked += 1;
        }
    }
    assert!(checked > 3, "too few golden images in {}", root.display());
}

/// `dis` succeeds on an image whose verdict is `ok`; otherwise `run` and `dis` print exactly
/// `frost: FILE: <verdict>` and exit 1. Neither ever reaches the internal-error path.
fn check_verdict(image: &Path, verdict_path: &Path) {
    let verdict = fs::read_to_string(verdict_path).expect("verdict");
    let verdict = verdict.trim_end();
    for sub in ["run", "dis"] {
        let ran = frost(&[sub, s(image)]);
        assert_ne!(ran.status, frost_cli::EXIT_INTERNAL_ERROR, "{}", ran.stderr);
        if verdict == "ok" {
            if sub == "dis" {
                assert_eq!(ran.status, 0, "{}: {}", image.display(), ran.stderr);
            }
            continue;
        }
        assert_eq!(ran.status, 1, "{sub} {}", image.display());
        assert_eq!(ran.stderr, format!("frost: {}: {verdict}\n", s(image)));
        assert!(ran.stdout.is_empty());
    }
}

#[test]
fn no_fixture_source_makes_compile_or_dis_panic() {
    let mut sources = Vec::new();
    collect_py(&frost_tests::repo_root().join("fixtures"), &mut sources);
    assert!(sources.len() > 50);
    for path in &sources {
        for level in ["-O0", "-O3"] {
            let ran = frost(&["dis", level, s(path)]);
            assert!(
                ran.status == 0 || ran.status == 1,
                "{}: {}",
                path.display(),
                ran.stderr
            );
            assert!(!ran.stderr.contains("internal error"), "{}", ran.stderr);
        }
    }
}

fn collect_py(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_py(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}
