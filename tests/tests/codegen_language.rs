//! Code generation of the complete language's statements and displays, on syntax trees built
//! by hand (so codegen is tested apart from the parser). In: small module bodies. Out: the
//! module code's instructions as `frost dis` prints them (the image must pass the verifier to
//! be disassembled at all), and the SyntaxErrors codegen reports.

use frost_compiler::ast::{
    Alias, Constant, Expr, ExprKind, Ident, Module, Span, Stmt, StmtKind, WithItem,
};
use frost_compiler::dis::disassemble;
use frost_compiler::{Options, compile_module};

fn e(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

fn s(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::default(),
    }
}

fn n(name: &str) -> Expr {
    e(ExprKind::Name(name.into()))
}

fn b(expr: Expr) -> Box<Expr> {
    Box::new(expr)
}

fn int(i: i64) -> Expr {
    e(ExprKind::Constant(Constant::Int(i.into())))
}

fn string(text: &str) -> Expr {
    e(ExprKind::Constant(Constant::Str(text.into())))
}

fn star(expr: Expr) -> Expr {
    e(ExprKind::Starred(b(expr)))
}

fn ident(name: &str) -> Ident {
    Ident {
        name: name.into(),
        span: Span::default(),
    }
}

fn assign(target: Expr, value: Expr) -> Stmt {
    s(StmtKind::Assign {
        targets: vec![target],
        value,
    })
}

fn expr_stmt(expr: Expr) -> Stmt {
    s(StmtKind::Expr(expr))
}

fn subscript(value: Expr, index: Expr) -> Expr {
    e(ExprKind::Subscript {
        value: b(value),
        index: b(index),
    })
}

fn slice(lower: Option<Expr>, upper: Option<Expr>, step: Option<Expr>) -> Expr {
    e(ExprKind::Slice {
        lower: lower.map(b),
        upper: upper.map(b),
        step: step.map(b),
    })
}

fn field(value: Expr, conversion: Option<char>, spec: Option<Expr>) -> Expr {
    e(ExprKind::FormattedValue {
        value: b(value),
        conversion,
        format_spec: spec.map(b),
    })
}

fn compile(body: Vec<Stmt>) -> Result<String, String> {
    let module = Module { body };
    let compiled = compile_module(module, "", &Options::default()).map_err(|e| e.message)?;
    disassemble(&compiled.image).map_err(|e| format!("refused by the verifier: {e}"))
}

/// The module code's instructions, `MNEMONIC operand`, without offsets and line numbers.
fn module_ops(body: Vec<Stmt>) -> Vec<String> {
    let text = compile(body).unwrap_or_else(|e| panic!("{e}"));
    let code0 = text
        .split("\n\n")
        .find(|part| part.starts_with("code 0"))
        .unwrap_or_else(|| panic!("{text}"));
    code0
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with("  exception table"))
        .map(|l| {
            let mut words = l.split_whitespace().skip(1).peekable();
            if words.peek().is_some_and(|w| w.parse::<u32>().is_ok()) {
                words.next();
            }
            words.collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Asserts that `ops` contains `expected` as a contiguous run.
fn assert_run(ops: &[String], expected: &[&str]) {
    let found = ops
        .windows(expected.len())
        .any(|w| w.iter().zip(expected).all(|(a, b)| a == b));
    assert!(found, "{expected:#?}\nnot in\n{ops:#?}");
}

#[test]
fn set_and_unpacking_displays() {
    let ops = module_ops(vec![
        expr_stmt(e(ExprKind::Set(vec![int(1), n("a")]))),
        expr_stmt(e(ExprKind::List(vec![int(1), star(n("a")), int(2)]))),
        expr_stmt(e(ExprKind::Tuple(vec![star(n("a"))]))),
        expr_stmt(e(ExprKind::Set(vec![star(n("a")), int(3)]))),
        expr_stmt(e(ExprKind::Dict(vec![
            (Some(int(1)), int(2)),
            (None, n("d")),
            (Some(int(3)), int(4)),
        ]))),
    ]);
    assert_run(&ops, &["LOAD_SMALL_INT 1", "LOAD_NAME a", "BUILD_SET 2"]);
    assert_run(
        &ops,
        &[
            "LOAD_SMALL_INT 1",
            "BUILD_LIST 1",
            "LOAD_NAME a",
            "LIST_EXTEND 1",
            "LOAD_SMALL_INT 2",
            "LIST_APPEND 1",
            "POP_TOP",
        ],
    );
    assert_run(
        &ops,
        &[
            "BUILD_LIST 0",
            "LOAD_NAME a",
            "LIST_EXTEND 1",
            "LIST_TO_TUPLE",
        ],
    );
    assert_run(
        &ops,
        &[
            "BUILD_SET 0",
            "LOAD_NAME a",
            "SET_UPDATE 1",
            "LOAD_SMALL_INT 3",
            "SET_ADD 1",
        ],
    );
    assert_run(
        &ops,
        &[
            "BUILD_MAP 1",
            "LOAD_NAME d",
            "DICT_UPDATE 1",
            "LOAD_SMALL_INT 3",
            "LOAD_SMALL_INT 4",
            "MAP_ADD 1",
        ],
    );
}

#[test]
fn slices_load_store_and_delete() {
    let ops = module_ops(vec![
        expr_stmt(subscript(n("a"), slice(Some(int(1)), Some(int(2)), None))),
        assign(subscript(n("a"), slice(None, None, Some(int(-1)))), n("b")),
        s(StmtKind::Delete(vec![subscript(
            n("a"),
            slice(None, Some(int(3)), None),
        )])),
        expr_stmt(subscript(
            n("a"),
            e(ExprKind::Tuple(vec![
                slice(Some(int(1)), None, None),
                int(0),
            ])),
        )),
    ]);
    assert_run(
        &ops,
        &[
            "LOAD_NAME a",
            "LOAD_SMALL_INT 1",
            "LOAD_SMALL_INT 2",
            "BUILD_SLICE 2",
            "BINARY_SUBSCR",
        ],
    );
    assert_run(
        &ops,
        &[
            "LOAD_NAME b",
            "LOAD_NAME a",
            "LOAD_NONE",
            "LOAD_NONE",
            "LOAD_SMALL_INT -1",
            "BUILD_SLICE 3",
            "STORE_SUBSCR",
        ],
    );
    assert_run(
        &ops,
        &[
            "LOAD_NONE",
            "LOAD_SMALL_INT 3",
            "BUILD_SLICE 2",
            "DELETE_SUBSCR",
        ],
    );
    assert_run(
        &ops,
        &[
            "LOAD_SMALL_INT 1",
            "LOAD_NONE",
            "BUILD_SLICE 2",
            "LOAD_SMALL_INT 0",
            "BUILD_TUPLE 2",
            "BINARY_SUBSCR",
        ],
    );
}

#[test]
fn fstrings_format_each_field() {
    // f"a{x!r:>{w}}b{y}" and f"{z}" and f"".
    let spec = e(ExprKind::JoinedStr(vec![
        string(">"),
        field(n("w"), None, None),
    ]));
    let ops = module_ops(vec![
        expr_stmt(e(ExprKind::JoinedStr(vec![
            string("a"),
            field(n("x"), Some('r'), Some(spec)),
            string("b"),
            field(n("y"), None, None),
        ]))),
        expr_stmt(e(ExprKind::JoinedStr(vec![field(n("z"), Some('s'), None)]))),
        expr_stmt(e(ExprKind::JoinedStr(vec![]))),
    ]);
    assert_run(
        &ops,
        &[
            "LOAD_CONST 'a'",
            "LOAD_NAME x",
            "LOAD_CONST '>'",
            "LOAD_NAME w",
            "FORMAT_VALUE",
            "BUILD_STRING 2",
            "FORMAT_VALUE !r with spec",
            "LOAD_CONST 'b'",
            "LOAD_NAME y",
            "FORMAT_VALUE",
            "BUILD_STRING 4",
            "POP_TOP",
            "LOAD_NAME z",
            "FORMAT_VALUE !s",
            "POP_TOP",
            "LOAD_CONST ''",
        ],
    );
}

#[test]
fn starred_targets_unpack_around_a_list() {
    let nested = e(ExprKind::Tuple(vec![n("c"), n("d")]));
    let ops = module_ops(vec![assign(
        e(ExprKind::Tuple(vec![n("a"), star(n("b")), nested])),
        n("x"),
    )]);
    assert_run(
        &ops,
        &[
            "LOAD_NAME x",
            "UNPACK_EX 1 before, 1 after",
            "STORE_NAME a",
            "STORE_NAME b",
            "UNPACK_SEQUENCE 2",
            "STORE_NAME c",
            "STORE_NAME d",
        ],
    );
    let two = assign(e(ExprKind::List(vec![star(n("a")), star(n("b"))])), n("x"));
    assert_eq!(
        compile(vec![two]),
        Err("multiple starred expressions in assignment".into())
    );
    assert_eq!(
        compile(vec![expr_stmt(star(n("a")))]),
        Err("can't use starred expression here".into())
    );
}

#[test]
fn walrus_keeps_the_value_and_binds_it() {
    let call = e(ExprKind::Call {
        func: b(n("print")),
        args: vec![e(ExprKind::NamedExpr {
            target: b(n("y")),
            value: b(int(5)),
        })],
        keywords: vec![],
    });
    let ops = module_ops(vec![expr_stmt(call)]);
    assert_run(
        &ops,
        &[
            "LOAD_NAME print",
            "LOAD_SMALL_INT 5",
            "DUP_TOP",
            "STORE_NAME y",
            "CALL 1",
        ],
    );
}

#[test]
fn annotated_targets_import_star_and_imaginary_constants() {
    let ops = module_ops(vec![
        s(StmtKind::AnnAssign {
            target: e(ExprKind::Attribute {
                value: b(n("a")),
                attr: ident("b"),
            }),
            annotation: n("int"),
            value: None,
        }),
        s(StmtKind::AnnAssign {
            target: subscript(n("c"), n("i")),
            annotation: n("int"),
            value: None,
        }),
        s(StmtKind::ImportFrom {
            module: Some(ident("m")),
            names: vec![Alias {
                name: ident("*"),
                asname: None,
            }],
            level: 0,
        }),
        assign(n("z"), e(ExprKind::Constant(Constant::Complex(0.0, 2.0)))),
    ]);
    assert_run(
        &ops,
        &[
            "LOAD_NAME a",
            "POP_TOP",
            "LOAD_NAME c",
            "POP_TOP",
            "LOAD_NAME i",
            "POP_TOP",
            "LOAD_CONST ('*',)",
            "IMPORT_NAME m, level 0",
            "IMPORT_STAR",
            "LOAD_CONST 2j",
            "STORE_NAME z",
        ],
    );
    assert!(!ops.iter().any(|op| op.contains("int")), "{ops:#?}");
}

#[test]
fn with_calls_exit_on_every_way_out() {
    // for i in r: with m as v, k: break
    let with = s(StmtKind::With {
        is_async: false,
        items: vec![
            WithItem {
                context: n("m"),
                target: Some(n("v")),
            },
            WithItem {
                context: n("k"),
                target: None,
            },
        ],
        body: vec![s(StmtKind::Break)],
    });
    let for_ = s(StmtKind::For {
        is_async: false,
        target: n("i"),
        iter: n("r"),
        body: vec![with],
        orelse: vec![],
    });
    let ops = module_ops(vec![for_]);
    let calls = ops.iter().filter(|op| *op == "CALL 3").count();
    // The break calls both exits; the (unreachable) normal exits are dropped by the assembler.
    assert_eq!(calls, 2, "{ops:#?}");
    assert_run(
        &ops,
        &[
            "LOAD_NAME m",
            "BEFORE_WITH",
            "STORE_NAME v",
            "LOAD_NAME k",
            "BEFORE_WITH",
            "POP_TOP",
            "LOAD_NONE",
            "LOAD_NONE",
            "LOAD_NONE",
            "CALL 3",
            "POP_TOP",
            "LOAD_NONE",
            "LOAD_NONE",
            "LOAD_NONE",
            "CALL 3",
            "POP_TOP",
            "POP_TOP",
            "POP_TOP",
        ],
    );
    assert_run(&ops, &["PUSH_EXC_INFO", "WITH_EXCEPT_START"]);
    let text = compile(vec![s(StmtKind::With {
        is_async: false,
        items: vec![WithItem {
            context: n("m"),
            target: None,
        }],
        body: vec![expr_stmt(n("x"))],
    })])
    .unwrap();
    // The body is protected with exit on the stack; the suppression test with exit and prev.
    assert!(
        text.contains("(depth 1)") && text.contains("(depth 2)"),
        "{text}"
    );
}

#[test]
fn async_statements_need_an_async_function() {
    let async_with = s(StmtKind::With {
        is_async: true,
        items: vec![WithItem {
            context: n("m"),
            target: None,
        }],
        body: vec![s(StmtKind::Pass)],
    });
    assert_eq!(
        compile(vec![async_with]),
        Err("'async with' outside async function".into())
    );
    let async_for = s(StmtKind::For {
        is_async: true,
        target: n("i"),
        iter: n("r"),
        body: vec![s(StmtKind::Pass)],
        orelse: vec![],
    });
    assert_eq!(
        compile(vec![async_for]),
        Err("'async for' outside async function".into())
    );
}
