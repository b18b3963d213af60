//! Disassembler tests. In: hand-built images, the repr tables `fixtures/dis/*_reprs.txt`
//! (expected text from CPython), and `fixtures/dis/*.py` compiled at several opt levels. Out:
//! insta snapshots of `frost dis` text (tests/tests/snapshots/), and repr comparisons.

use std::path::{Path, PathBuf};

use frost_compiler::dis::{bytes_repr, disassemble, float_repr, str_repr};
use frost_runtime::image::LoadError;
use frost_tests::images::{bytes, hello, rich};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dis")
}

fn read(name: &str) -> String {
    let path = fixtures().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn unhex(hex: &str) -> Vec<u8> {
    if hex == "-" {
        return Vec::new();
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Non-comment lines split once at the first `n` spaces.
fn rows(text: &str, n: usize) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.splitn(n + 1, ' ').map(str::to_string).collect())
        .collect()
}

#[test]
fn float_reprs_match_cpython() {
    let table = rows(&read("float_reprs.txt"), 1);
    assert!(table.len() > 20);
    for row in table {
        let bits = u64::from_str_radix(&row[0], 16).expect("bits");
        assert_eq!(float_repr(f64::from_bits(bits)), row[1], "bits {}", row[0]);
    }
}

#[test]
fn text_reprs_match_cpython() {
    let table = rows(&read("text_reprs.txt"), 2);
    assert!(table.len() > 10);
    for row in table {
        let raw = unhex(&row[1]);
        let got = match row[0].as_str() {
            "s" => str_repr(std::str::from_utf8(&raw).expect("utf-8")),
            _ => bytes_repr(&raw),
        };
        assert_eq!(got, row[2], "{} {}", row[0], row[1]);
    }
}

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
