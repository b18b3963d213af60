//! The const() SyntaxErrors (spec §2.2, §2.4) and `__debug__` assignments. In: every
//! `fixtures/const/errors/*.py`. Out: each fails to compile with exactly the error in its
//! `.err` file, as `diag::render` prints it (file, line, column, source line, caret, message).

use std::path::{Path, PathBuf};

use frost_compiler::{Options, compile, diag};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/const/errors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_const_error_fixture_fails_with_its_message_and_line() {
    let files = fixtures();
    assert!(files.len() >= 40, "fixtures missing: {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(path).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("err")).unwrap();
        let options = Options {
            source_name: name.clone(),
            ..Options::default()
        };
        match compile(&source, &options) {
            Ok(_) => failures.push(format!("{name}: compiled, expected\n{expected}")),
            Err(err) => {
                let got = diag::render(&err, &name, &source);
                if got != expected {
                    failures.push(format!("{name}: expected\n{expected}got\n{got}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_const_definitions_compile() {
    // The counterpart of the error fixtures: every accepted kind of argument compiles.
    let ok = [
        "A = const(1)\nB = const((A, 2.5, 'x', b'y', None, ..., True, False, ()))\n",
        "C = const((1, 2))\nD = const(('a,b', (3,)))\nE = const(( 1 ))\nF = const(\n    -1 << 70  # a, b\n)\n",
        "G: int = const(2 ** -1)\n_H = const(G * 2)\nI = const(_H if 0 else 1) if 0 else 1\n",
        "J = const(\"x\" \"y\")\nK = const(not 0)\nL = const(1 and 'z')\n",
    ];
    for source in ok {
        if let Err(e) = compile(source, &Options::default()) {
            panic!("{source}: {e:?}");
        }
    }
}
