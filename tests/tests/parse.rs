//! Parser acceptance tests. In: source snippets and every frost program under fixtures/.
//! Out: each parses, and chosen snippets have exactly the expected AST shape (written as
//! S-expressions by `ast_text`).

mod ast_text;

use std::path::{Path, PathBuf};

use frost_compiler::ast::{ExprKind, StmtKind};
use frost_compiler::diag::render;
use frost_compiler::parser::parse;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// Parses `source` and returns its statements as S-expressions, one per line.
fn shape(source: &str) -> String {
    match parse(source) {
        Ok(module) => ast_text::module(&module.body),
        Err(e) => panic!("{source:?} failed:\n{}", render(&e, "test.py", source)),
    }
}

/// Checks each `(source, expected shape)` pair and reports every mismatch at once.
fn check_all(cases: &[(&str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(src, want)| {
            let got = shape(src);
            (got != *want).then(|| format!("{src:?}\n  want {want}\n  got  {got}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn operator_precedence() {
    check_all(&[
        ("-2**2", "(- (** 2 2))"),
        ("2**-1", "(** 2 (- 1))"),
        ("2**3**2", "(** 2 (** 3 2))"),
        ("-x.a**-y[0]", "(- (** (. x a) (- ([] y 0))))"),
        ("a or b and not c", "(Or a (And b (not c)))"),
        ("not a == b", "(not (cmp a == b))"),
        ("1 < x <= 3", "(cmp 1 < x <= 3)"),
        (
            "a in b not in c is d is not e",
            "(cmp a in b not in c is d is not e)",
        ),
        ("a if b else c", "(ifexp b a c)"),
        ("a if b else c if d else e", "(ifexp b a (ifexp d c e))"),
        ("x or y if p or q else z", "(ifexp (Or p q) (Or x y) z)"),
        (
            "a | b ^ c & d << e + f * g",
            "(| a (^ b (& c (<< d (+ e (* f g))))))",
        ),
        ("a - b - c", "(- (- a b) c)"),
        ("a // b % c @ d / e", "(/ (@ (% (// a b) c) d) e)"),
        ("~-+x", "(~ (- (+ x)))"),
        ("a < b | c", "(cmp a < (| b c))"),
        (
            "f(x)(y).z[1, 2]",
            "([] (. (call (call f x) y) z) (tuple 1 2))",
        ),
        ("f(a, b=1, c=d,)", "(call f a b=1 c=d)"),
        ("a[i]", "([] a i)"),
        ("a[i,]", "([] a (tuple i))"),
    ]);
}

#[test]
fn assignment_forms() {
    check_all(&[
        ("a = b = 1", "(= a b 1)"),
        ("a, b = 1, 2", "(= (tuple a b) (tuple 1 2))"),
        ("(a, b) = [c, d] = x", "(= (tuple a b) (list c d) x)"),
        ("a, (b, [c, d]) = x", "(= (tuple a (tuple b (list c d))) x)"),
        ("x.y[0] = 1,", "(= ([] (. x y) 0) (tuple 1))"),
        ("x += 1", "(+= x 1)"),
        ("x **= y // 2", "(**= x (// y 2))"),
        ("a[i] >>= 1", "(>>= ([] a i) 1)"),
        ("x: int = 1", "(: x int 1)"),
        ("x.y: list", "(: (. x y) list)"),
        ("del a, b[0], c.d", "(del a ([] b 0) (. c d))"),
        ("global a, b", "(global a b)"),
    ]);
}

#[test]
fn statement_forms() {
    check_all(&[
        (
            "def f(a, b: int = 2, c=3) -> bool:\n    return a\n",
            "(def f (a b:int=2 c=3) -> bool [(return a)])",
        ),
        ("def g(): pass", "(def g () [pass])"),
        (
            "if a:\n  x\nelif b:\n  y\nelse:\n  z\n",
            "(if a [x] [(if b [y] [z])])",
        ),
        (
            "while x:\n  if y: break\n  continue\nelse:\n  pass\n",
            "(while x [(if y [break] []) continue] [pass])",
        ),
        (
            "for i, j in x, y:\n    pass\n",
            "(for (tuple i j) (tuple x y) [pass] [])",
        ),
        (
            "try:\n a\nexcept E:\n b\nexcept (A, B) as e:\n c\nexcept:\n d\nelse:\n f\nfinally:\n g\n",
            "(try [a] (except E [b]) (except (tuple A B) as e [c]) (except [d]) [f] [g])",
        ),
        ("try:\n a\nfinally:\n b\n", "(try [a]  [] [b])"),
        (
            "raise\nraise X\nraise X from Y",
            "(raise)\n(raise X)\n(raise X Y)",
        ),
        ("assert x\nassert x, 'm'", "(assert x)\n(assert x \"m\")"),
        (
            "import a\nimport a.b as c, d",
            "(import a)\n(import a.b as c, d)",
        ),
        (
            "from a.b import c as d, e\nfrom . import x\nfrom ..pkg import y\nfrom m import (a,\n b,)",
            "(from a.b c as d, e)\n(from . x)\n(from ..pkg y)\n(from m a, b)",
        ),
        ("from ... import z", "(from ... z)"),
        ("a; b;\n", "a\nb"),
        (
            "match = 1\nmatch(x)\nmatch.y: int",
            "(= match 1)\n(call match x)\n(: (. match y) int)",
        ),
    ]);
}

#[test]
fn literal_values() {
    check_all(&[
        ("123_456", "123456"),
        ("0x_ff", "255"),
        ("0o17, 0b1010, 0O7, 0B1", "(tuple 15 10 7 1)"),
        (
            "123456789012345678901234567890",
            "123456789012345678901234567890",
        ),
        ("0xFFFFFFFFFFFFFFFFFFFF", "1208925819614629174706175"),
        ("0, 00, 0_0", "(tuple 0 0 0)"),
        (
            "1., .5, 1e10, 1_000.5, 1E-3",
            "(tuple 1.0 0.5 10000000000.0 1000.5 0.001)",
        ),
        ("1e400", "inf"),
        ("None, True, False, ...", "(tuple None True False ...)"),
        (
            "(), (x,), [], {}, [1, 2,]",
            "(tuple (tuple ) (tuple x) (list ) (dict ) (list 1 2))",
        ),
        ("{'a': 1, 2: b,}", "(dict \"a\":1 2:b)"),
        (r#"'a\tb\n\\\'\"'"#, r#""a\tb\n\\'\"""#),
        (
            r"'\a\b\f\v\0\101\x41\u00e9\U0001F600'",
            r#""\u{7}\u{8}\u{c}\u{b}\0AAé😀""#,
        ),
        (r"'\d\q'", r#""\\d\\q""#),
        (r"r'\n\'' R'\x'", r#""\\n\\'\\x""#),
        (
            r"b'\x00\xff\n\u1234' Rb'\n' bR'x'",
            r#"b"\x00\xff\n\\u1234\\nx""#,
        ),
        ("'a' \"b\" '''c''' \"\"\"d\"\"\"", r#""abcd""#),
        ("u'x' U'y'", r#""xy""#),
        ("'''a\nb'''", r#""a\nb""#),
        ("'a\\\nb'", r#""ab""#),
        ("('a'\n 'b')", r#""ab""#),
        ("'é€'", r#""é€""#),
        ("1if x else 0x1or y", "(ifexp x 1 (Or 1 y))"),
        ("\u{feff}x = 1", "(= x 1)"),
    ]);
}

#[test]
fn line_ends_tabs_and_continuations() {
    let lf = "if a:\n    x = [1,\n  2]\n    y = '''p\nq'''\nz = 1 + \\\n  2\n";
    let want = shape(lf);
    for source in [lf.replace('\n', "\r\n"), lf.replace('\n', "\r")] {
        assert_eq!(shape(&source), want, "{source:?}");
    }
    assert_eq!(
        shape("if a:\n\tif b:\n\t\tx\n\ty\n"),
        "(if a [(if b [x] []) y] [])"
    );
    // A tab reaches column 8, the same as eight spaces after a tab-free line... when both agree.
    assert_eq!(shape("if a:\n        x\n        y\n"), "(if a [x y] [])");
    assert_eq!(shape("# only\n\n   \n  # comment\nx\n"), "x");
    // A form feed resets the indentation column, as in CPython.
    assert_eq!(shape("if a:\n    x\n\x0c    y\n"), "(if a [x y] [])");
    assert_eq!(
        shape("\x0cx = 1\nif a:\n  \x0c  y\n"),
        "(= x 1)\n(if a [y] [])"
    );
    assert_eq!(shape("x\n\n"), "x");
    assert_eq!(shape(""), "");
    assert_eq!(shape("\n\n# c"), "");
    assert_eq!(shape("if a:\n  if b:\n    c"), "(if a [(if b [c] [])] [])");
}

#[test]
fn spans_point_at_source() {
    let src = "x = 1\nif y:\n    z = foo(1) + 2\n";
    let module = parse(src).unwrap();
    let text = |s: frost_compiler::ast::Span| &src[s.start as usize..s.end as usize];
    assert_eq!(text(module.body[0].span), "x = 1");
    let StmtKind::If { body, .. } = &module.body[1].kind else {
        panic!("not an if")
    };
    assert_eq!(text(module.body[1].span), "if y:\n    z = foo(1) + 2");
    assert_eq!(text(body[0].span), "z = foo(1) + 2");
    let StmtKind::Assign { value, .. } = &body[0].kind else {
        panic!("not an assignment")
    };
    assert_eq!(text(value.span), "foo(1) + 2");
    let ExprKind::BinOp { left, .. } = &value.kind else {
        panic!("not a binop")
    };
    assert_eq!(text(left.span), "foo(1)");

    // As in CPython, a node covers the parentheses around its first and last operands.
    let src = "y = (a + b) * (c)\n";
    let module = parse(src).unwrap();
    let StmtKind::Assign { value, .. } = &module.body[0].kind else {
        panic!("not an assignment")
    };
    assert_eq!(
        &src[value.span.start as usize..value.span.end as usize],
        "(a + b) * (c)"
    );
    let ExprKind::BinOp { left, right, .. } = &value.kind else {
        panic!("not a binop")
    };
    assert_eq!(
        &src[left.span.start as usize..left.span.end as usize],
        "a + b"
    );
    assert_eq!(
        &src[right.span.start as usize..right.span.end as usize],
        "c"
    );
}

/// The trees of fixtures/parse/*.py equal CPython's, as written to `.ast` files by
/// fixtures/trees/gen.py: precedence, literal values, layout (tabs, CRLF, lone CR) and all.
#[test]
fn fixture_trees_match_cpython() {
    let mut files = Vec::new();
    collect_py(&fixtures().join("parse"), &mut files);
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        let Ok(want) = std::fs::read_to_string(path.with_extension("ast")) else {
            let name = path.display();
            failures.push(format!("{name}: no .ast (run fixtures/trees/gen.py)"));
            continue;
        };
        count += 1;
        let got = shape(&source) + "\n";
        if got != want {
            let first = got.lines().zip(want.lines()).find(|(g, w)| g != w);
            failures.push(format!("{}: first difference {first:?}", path.display()));
        }
    }
    assert!(count > 0, "no parse fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every frost program in fixtures/ parses. Not programs for frost: fixtures/syntax/ and any
/// `.py` beside a `.err` (expected compile errors, checked by their own tests), and the `gen.py`
/// scripts that CPython runs to write test vectors.
#[test]
fn every_fixture_program_parses() {
    let mut files = Vec::new();
    collect_py(&fixtures(), &mut files);
    let syntax = fixtures().join("syntax");
    let is_program = |p: &&PathBuf| {
        !p.starts_with(&syntax)
            && !p.with_extension("err").exists()
            && p.file_name().is_some_and(|n| n != "gen.py")
    };
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files.iter().filter(is_program) {
        count += 1;
        let source = std::fs::read_to_string(path).unwrap();
        if let Err(e) = parse(&source) {
            let name = path.display().to_string();
            failures.push(render(&e, &name, &source));
        }
    }
    assert!(count > 0, "no fixtures found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn collect_py(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
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
    out.sort();
}

#[test]
fn keyword_table_is_sorted_for_binary_search() {
    assert!(frost_compiler::lexer::KEYWORDS.is_sorted());
}

#[test]
fn long_flat_chains_parse() {
    // Left-nested chains count toward the tree-depth bound (1000), not the recursion bound (100).
    for source in [
        format!("x = {}1", "1 + ".repeat(500)),
        format!("x = f{}", "(1)".repeat(500)),
        format!("x = {}1", "a < ".repeat(5000)),
        format!("x = {}0", "a or ".repeat(5000)),
        format!("x = {}1", "(".repeat(90)) + &")".repeat(90),
    ] {
        assert!(parse(&source).is_ok(), "{:.40}", source);
    }
}

/// A grammar check over a whole tree of Python files, such as CPython's standard library:
/// `FROST_PARSE_DIR=/path/to/lib/python3.11 cargo test --test parse -- --ignored --nocapture`.
/// Prints every failure with its message, then a count per message. Run in a thread with a big
/// stack so that files near the nesting limits report an error rather than overflow here.
#[test]
#[ignore = "needs FROST_PARSE_DIR"]
fn parse_every_file_under_frost_parse_dir() {
    let Ok(dir) = std::env::var("FROST_PARSE_DIR") else {
        return;
    };
    let mut files = Vec::new();
    collect_py(Path::new(&dir), &mut files);
    let mut by_message: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut bytes = 0;
    // With FROST_TREE_OUT=dir, each tree is also written there for comparison with CPython's.
    let tree_out = std::env::var("FROST_TREE_OUT").ok();
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        bytes += source.len();
        if let Some(out) = tree_out.as_ref().filter(|_| parse(&source).is_ok()) {
            let tree = shape(&source) + "\n";
            let name = path.display().to_string().replace(['/', '\\', ':'], "_");
            std::fs::write(Path::new(out).join(name + ".ast"), tree).unwrap();
        }
        if let Err(e) = parse(&source) {
            let (line, _) = frost_compiler::diag::line_col(&source, e.span.start);
            let name = format!("{}:{line}", path.display());
            by_message.entry(e.message).or_default().push(name);
        }
    }
    for (message, names) in &by_message {
        println!("{} x {message}", names.len());
        for n in names {
            println!("    {n}");
        }
    }
    let failed: usize = by_message.values().map(Vec::len).sum();
    println!("{} files, {bytes} bytes, {failed} failed", files.len());
}

#[test]
fn soft_keywords_stay_names() {
    check_all(&[
        ("type = 1\ntype(x)", "(= type 1)\n(call type x)"),
        ("case = _ = 2", "(= case _ 2)"),
        ("match[a:b]", "([] match (slice a b _))"),
        ("match, case = x", "(= (tuple match case) x)"),
        (
            "def match(type, case=_): pass",
            "(def match (type case=_) [pass])",
        ),
        ("type: int = 3", "(: type int 3)"),
    ]);
}

#[test]
fn new_nodes_span_their_source() {
    let src = "@dec\ndef f(*a, **k):\n    return lambda x: x\ny = f\"a{b + 1!r:>{w}}\"\nz = [i for i in j]\n";
    let module = parse(src).unwrap();
    let text = |s: frost_compiler::ast::Span| &src[s.start as usize..s.end as usize];
    assert!(text(module.body[0].span).starts_with("@dec\ndef f"));
    let StmtKind::FunctionDef(f) = &module.body[0].kind else {
        panic!("not a def")
    };
    let StmtKind::Return(Some(lambda)) = &f.body[0].kind else {
        panic!("not a return")
    };
    assert_eq!(text(lambda.span), "lambda x: x");
    let StmtKind::Assign { value, .. } = &module.body[1].kind else {
        panic!("not an assignment")
    };
    assert_eq!(text(value.span), "f\"a{b + 1!r:>{w}}\"");
    let ExprKind::JoinedStr(parts) = &value.kind else {
        panic!("not an f-string")
    };
    let ExprKind::FormattedValue {
        value: field,
        format_spec: Some(spec),
        ..
    } = &parts[1].kind
    else {
        panic!("not a field with a spec")
    };
    // Expressions inside an f-string point into the real source.
    assert_eq!(text(field.span), "b + 1");
    let ExprKind::JoinedStr(spec_parts) = &spec.kind else {
        panic!("spec not a JoinedStr")
    };
    let ExprKind::FormattedValue { value: w, .. } = &spec_parts[1].kind else {
        panic!("no nested field")
    };
    assert_eq!(text(w.span), "w");
    let StmtKind::Assign { value, .. } = &module.body[2].kind else {
        panic!("not an assignment")
    };
    assert_eq!(text(value.span), "[i for i in j]");

    // An f-string nested in another's field: its fields point into the real source too.
    let src = "x = 1
y = f\"{f'{abc}'}\"\n";
    let module = parse(src).unwrap();
    let StmtKind::Assign { value, .. } = &module.body[1].kind else {
        panic!("not an assignment")
    };
    let ExprKind::JoinedStr(outer) = &value.kind else {
        panic!("not an f-string")
    };
    let ExprKind::FormattedValue { value: inner, .. } = &outer[0].kind else {
        panic!("not a field")
    };
    let ExprKind::JoinedStr(inner) = &inner.kind else {
        panic!("not a nested f-string")
    };
    let ExprKind::FormattedValue { value: abc, .. } = &inner[0].kind else {
        panic!("not a nested field")
    };
    assert_eq!(&src[abc.span.start as usize..abc.span.end as usize], "abc");
}

#[test]
fn names_may_hold_combining_marks() {
    check_all(&[
        ("नमस्ते = 1", "(= नमस्ते 1)"),
        ("x\u{e0100} = 4", "(= x\u{e0100} 4)"),
        ("café = é\u{301}", "(= café é\u{301})"),
    ]);
    assert!(parse("x€ = 1").is_err());
}

#[test]
fn await_in_a_generator_expression_is_legal_anywhere() {
    // An `await` makes a generator expression asynchronous, as in CPython; a list comprehension
    // outside `async def` is still refused.
    check_all(&[(
        "g = (await x for x in y)",
        "(= g (genexp (await x) (for x y)))",
    )]);
    let err = parse("g = [await x for x in y]").unwrap_err();
    assert_eq!(
        err.message,
        "asynchronous comprehension outside of an asynchronous function"
    );
}
