//! Syntax-error diagnostics. In: fixtures/syntax/*.py, each a program with one error. Out: the
//! error rendered by `diag::render` (source name = the fixture's file name) must equal the
//! fixture's `.err` file. A missing `.err` is written when `UPDATE_EXPECT=1`, else it fails.

use std::path::{Path, PathBuf};

use frost_compiler::diag::{Warning, render, render_warning};
use frost_compiler::parser::parse;

fn syntax_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/syntax")
}

#[test]
fn syntax_fixtures_match_expected_diagnostics() {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(syntax_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    sources.sort();
    assert!(
        sources.len() >= 50,
        "only {} syntax fixtures",
        sources.len()
    );
    let failures: Vec<String> = sources
        .iter()
        .filter_map(|path| check(path, update).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        sources.len(),
        failures.join("\n")
    );
}

/// One fixture: it must fail to parse, and render exactly as its `.err` file.
fn check(path: &Path, update: bool) -> Result<(), String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let source = std::fs::read_to_string(path).unwrap();
    let got = match parse(&source) {
        Ok(_) => return Err(format!("{name}: parsed without error")),
        Err(e) => render(&e, &name, &source),
    };
    let expected_path = path.with_extension("err");
    match std::fs::read_to_string(&expected_path) {
        Ok(want) if want == got => Ok(()),
        Ok(want) => Err(format!("{name}:\n--- want\n{want}--- got\n{got}")),
        Err(_) if update => {
            std::fs::write(&expected_path, &got).unwrap();
            Ok(())
        }
        Err(_) => Err(format!(
            "{name}: missing {} (run with UPDATE_EXPECT=1 and review it); got:\n{got}",
            expected_path.display()
        )),
    }
}

#[test]
fn warnings_render_without_traceback_line() {
    let source = "x = 1\nif y:\n    z = 2\n";
    let warning = Warning {
        message: "something to look at".into(),
        span: frost_compiler::ast::Span::new(16, 17),
    };
    assert_eq!(
        render_warning(&warning, "prog.py", source),
        "  File \"prog.py\", line 3, column 5\n    z = 2\n    ^\nwarning: something to look at\n"
    );
}

#[test]
fn spans_at_end_of_file_point_after_the_last_character() {
    let warning = |at| Warning {
        message: "w".into(),
        span: frost_compiler::ast::Span::new(at, at),
    };
    for source in ["ab\ncd\n", "ab\ncd", "ab\r\ncd\r\n", "ab\rcd\r"] {
        let got = render_warning(&warning(source.len() as u32), "p.py", source);
        assert_eq!(
            got, "  File \"p.py\", line 2, column 3\n    cd\n      ^\nwarning: w\n",
            "{source:?}"
        );
    }
}

#[test]
fn null_bytes_are_rejected() {
    let err = parse("x = 1\n\0\n").unwrap_err();
    assert_eq!(err.kind, "SyntaxError");
    assert_eq!(err.message, "source code cannot contain null bytes");
}

#[test]
fn line_starts_know_every_line_end() {
    use frost_compiler::diag::{line_col, line_starts};
    let source = "a\nb\r\nc\rd";
    assert_eq!(line_starts(source), vec![0, 2, 5, 7]);
    for (offset, line) in [(0, 1), (2, 2), (5, 3), (7, 4)] {
        assert_eq!(line_col(source, offset).0, line);
        let starts = line_starts(source);
        assert_eq!(starts.partition_point(|&s| s <= offset) as u32, line);
    }
}

#[test]
fn lone_surrogate_escapes_become_replacement_characters_with_a_warning() {
    let source = "s = 'a\\ud800b'\nt = f'x\\U0000dfff{s}'\nu = '\\U00110000'\n";
    // The last literal is out of Unicode's range altogether: still an error.
    let err = frost_compiler::compile(source, &frost_compiler::Options::default())
        .expect_err("U+110000 is refused");
    assert_eq!(err.message, "(unicode error) illegal Unicode character");
    let source = "s = 'a\\ud800b'\nt = f'x\\U0000dfff{s}'\n";
    let compiled = frost_compiler::compile(source, &frost_compiler::Options::default())
        .expect("lone surrogates compile");
    let lines: Vec<u32> = compiled
        .warnings
        .iter()
        .map(|w| frost_compiler::diag::line_col(source, w.span.start).0)
        .collect();
    assert_eq!(lines, [1, 2]);
    assert!(compiled.warnings[0].message.contains("U+FFFD"));
    let module = parse(source).expect("parses");
    let text = format!("{module:?}");
    assert!(text.contains("a\u{fffd}b"), "{text}");
    assert!(text.contains("x\u{fffd}"), "{text}");
}
