//! Disassembler tests. In: hand-built images, and `fixtures/dis/*.py` compiled at -O0 and -O3
//! (and -O1 for `assert__*`). Out: insta snapshots of the disassembly (tests/tests/snapshots/),
//! plus the property each fixture is named for, checked on the text directly.

use std::path::{Path, PathBuf};

use frost_compiler::dis::disassemble;
use frost_compiler::{Options, compile};
use frost_runtime::image::LoadError;
use frost_tests::images::{bytes, hello, rich};

#[test]
fn hand_built_images() {
    insta::assert_snapshot!("hello", disassemble(&bytes(&hello())).expect("hello loads"));
    insta::assert_snapshot!("rich", disassemble(&bytes(&rich())).expect("rich loads"));
}

#[test]
fn refused_images_give_the_load_error() {
    let mut image = bytes(&hello());
    image.truncate(5);
    assert_eq!(disassemble(&image), Err(LoadError::Truncated));
    let mut module = hello();
    module.code[0].stack_size = 0;
    let expected = LoadError::StackOverflow {
        code: 0,
        offset: 0,
        declared: 0,
    };
    assert_eq!(disassemble(&bytes(&module)), Err(expected));
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dis");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/dis")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

/// Compiles a fixture (twice: the image must be byte-identical) and disassembles it.
fn dis(path: &Path, opt_level: u8) -> String {
    let source = std::fs::read_to_string(path).expect("read fixture");
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let options = Options {
        source_name: name.clone(),
        opt_level,
        source_lines: true,
    };
    let compiled = compile(&source, &options).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let again = compile(&source, &options).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert!(
        compiled.image == again.image,
        "{name}: compiling twice differs"
    );
    disassemble(&compiled.image).unwrap_or_else(|e| panic!("{name} -O{opt_level}: {e}"))
}

#[test]
fn compiled_fixtures() {
    let files = fixtures();
    assert!(files.len() >= 9, "only {} fixtures", files.len());
    for path in files {
        let stem = path
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let mut levels = vec![0, 3];
        if stem.starts_with("assert__") {
            levels.insert(1, 1);
        }
        for opt in levels {
            insta::assert_snapshot!(format!("{stem}@O{opt}"), dis(&path, opt));
        }
    }
}

/// The instruction lines of a disassembly (the part after the offset and line columns).
fn instructions(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.starts_with("  ") && l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.get(16..).unwrap_or("").trim())
        .collect()
}

fn fixture(stem: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../fixtures/dis/{stem}.py"))
}

#[test]
fn underscore_consts_leave_no_trace() {
    for opt in [0, 3] {
        let text = dis(&fixture("const__underscore_elimination"), opt);
        assert!(
            !text.contains("_LIMIT") && !text.contains("_SCALE"),
            "{text}"
        );
        assert!(
            instructions(&text).contains(&"LOAD_SMALL_INT       200"),
            "{text}"
        );
    }
}

#[test]
fn public_consts_store_once_and_read_as_constants() {
    let text = dis(&fixture("const__public_stored_once"), 0);
    let ins = instructions(&text);
    assert_eq!(
        ins.iter()
            .filter(|i| **i == "STORE_NAME           WIDTH")
            .count(),
        1
    );
    assert_eq!(
        ins.iter()
            .filter(|i| **i == "STORE_NAME           HEIGHT")
            .count(),
        1
    );
    assert!(
        !ins.iter()
            .any(|i| i.ends_with(" WIDTH") && !i.starts_with("STORE")),
        "{text}"
    );
    assert!(
        !ins.iter()
            .any(|i| i.ends_with(" HEIGHT") && !i.starts_with("STORE")),
        "{text}"
    );
}

#[test]
fn asserts_vanish_from_o1() {
    let path = fixture("assert__stripped_at_o1");
    assert!(dis(&path, 0).contains("LOAD_ASSERTION_ERROR"));
    for opt in [1, 3] {
        let text = dis(&path, opt);
        assert!(
            !text.contains("LOAD_ASSERTION_ERROR") && !text.contains("positive"),
            "{text}"
        );
    }
}

#[test]
fn o3_has_no_line_numbers() {
    let path = fixture("lines__none_at_o3");
    let o0 = dis(&path, 0);
    assert!(o0.contains("(opt level 0, line tables)"));
    let o3 = dis(&path, 3);
    assert!(o3.contains("(opt level 3, no line tables)"));
    let lines: Vec<&str> = o3.lines().filter(|l| l.starts_with("       ")).collect();
    assert!(
        !lines.is_empty() && lines.iter().all(|l| l.get(10..14) == Some("   -")),
        "{o3}"
    );
}

#[test]
fn dead_branches_are_gone() {
    let o0 = dis(&fixture("fold__dead_if_false"), 0);
    assert!(!o0.contains("never") && !o0.contains("dropped") && !o0.contains("no loop"));
    assert!(o0.contains("'always'") && o0.contains("'debug'"), "{o0}");
    assert!(!dis(&fixture("fold__dead_if_false"), 1).contains("'debug'"));
}

#[test]
fn folded_expressions_leave_no_operators() {
    let text = dis(&fixture("fold__expressions"), 0);
    let (module, function) = text.split_once("\ncode 1 ").expect("two code objects");
    assert!(
        !module.contains("BINARY_OP") && !module.contains("UNARY_OP"),
        "{text}"
    );
    assert!(
        module.contains("LOAD_CONST           1180591620717411303424"),
        "{text}"
    );
    // Operations that would raise stay for run time.
    assert!(function.contains("BINARY_OP            //"), "{text}");
    assert!(function.contains("BINARY_OP            <<"), "{text}");
}
