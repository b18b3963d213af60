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
    let dir = frost_tests::fixtures_dir("images").join("v1");
    let mut checked = 0;
    for verdict_path in frost_tests::fixture_files("images/v1", "verdict") {
        let image = verdict_path.with_extension("fbc");
        let verdict = fs::read_to_string(&verdict_path).expect("verdict");
        let verdict = verdict.trim_end();
        for sub in ["run", "dis"] {
            let ran = frost(&[sub, s(&image)]);
            if verdict == "ok" {
                assert_ne!(ran.status, frost_cli::EXIT_INTERNAL_ERROR, "{}", ran.stderr);
                if sub == "dis" {
                    assert_eq!(ran.status, 0, "{}: {}", image.display(), ran.stderr);
                }
            } else {
                assert_eq!(ran.status, 1, "{sub} {}", image.display());
                assert_eq!(ran.stderr, format!("frost: {}: {verdict}\n", s(&image)));
                assert!(ran.stdout.is_empty());
            }
        }
        checked += 1;
    }
    assert!(checked > 3, "too few golden images in {}", dir.display());
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
