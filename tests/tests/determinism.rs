//! Deterministic, loadable output (DESIGN.md decisions 3, 4). In: every `.py` under fixtures/.
//! Out: compiling each twice gives byte-identical images (or the same error), and every image
//! compiled passes `frost_runtime::image::load` (the verifier).

use std::path::{Path, PathBuf};

use frost_compiler::{Options, compile};
use frost_runtime::image::{ImageBytes, load};

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "py") {
            out.push(path);
        }
    }
}

#[test]
fn compiling_every_fixture_twice_gives_identical_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = Vec::new();
    python_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 10, "too few fixtures found: {}", files.len());
    let mut compiled = 0;
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        for opt_level in [0, 3] {
            let options = Options {
                source_name: path.file_name().unwrap().to_string_lossy().into_owned(),
                opt_level,
                ..Options::default()
            };
            let first = compile(&source, &options).map(|c| c.image);
            let second = compile(&source, &options).map(|c| c.image);
            assert_eq!(first, second, "{} at -O{opt_level}", path.display());
            compiled += usize::from(first.is_ok());
        }
    }
    assert!(compiled > 0, "no fixture compiled");
}

/// Fixture folders whose programs are all valid: each must compile and load.
const VALID: &[&str] = &["run", "dis", "parse"];

#[test]
fn every_valid_fixture_compiles_to_an_image_the_loader_accepts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = Vec::new();
    for dir in VALID {
        python_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() >= 20, "too few fixtures found: {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        for opt_level in [0, 1, 3] {
            let options = Options {
                opt_level,
                ..Options::default()
            };
            let verdict = match compile(&source, &options) {
                Ok(compiled) => load(ImageBytes::Shared(compiled.image.into()))
                    .map(drop)
                    .map_err(|e| e.to_string()),
                Err(e) => Err(format!("{}: {}", e.kind, e.message)),
            };
            if let Err(e) = verdict {
                failures.push(format!("{} at -O{opt_level}: {e}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
