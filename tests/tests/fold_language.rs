//! const() substitution and its errors over the complete language (spec §2.4). In: syntax
//! trees built by hand (so the folder is tested apart from the parser), with `X = const(5)`
//! first. Out: where the folder substituted `X`, where it left a binding name alone, and the
//! SyntaxErrors for const names used as targets.

use frost_compiler::ast::{
    ClassDef, Comprehension, Constant, Expr, ExprKind, FunctionDef, Ident, Keyword, Module, Param,
    Parameters, Span, Stmt, StmtKind, WithItem,
};
use frost_compiler::fold::fold;

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

fn x() -> Box<Expr> {
    Box::new(n("X"))
}

fn int(i: i64) -> Expr {
    e(ExprKind::Constant(Constant::Int(i.into())))
}

fn ident(name: &str) -> Ident {
    Ident {
        name: name.into(),
        span: Span::default(),
    }
}

fn call(func: Expr, args: Vec<Expr>, keywords: Vec<Keyword>) -> Expr {
    e(ExprKind::Call {
        func: Box::new(func),
        args,
        keywords,
    })
}

fn assign(target: Expr, value: Expr) -> Stmt {
    s(StmtKind::Assign {
        targets: vec![target],
        value,
    })
}

fn const_def(name: &str, value: Expr) -> Stmt {
    assign(n(name), call(n("const"), vec![value], vec![]))
}

fn param(name: &str, default: Option<Expr>, annotation: Option<Expr>) -> Param {
    Param {
        name: ident(name),
        annotation,
        default,
    }
}

fn comp(target: Expr, iter: Expr, ifs: Vec<Expr>) -> Vec<Comprehension> {
    vec![Comprehension {
        target,
        iter,
        ifs,
        is_async: false,
    }]
}

fn def(name: &str, params: Parameters, body: Vec<Stmt>) -> FunctionDef {
    FunctionDef {
        name: ident(name),
        params,
        returns: None,
        body,
        decorators: vec![],
        is_async: false,
    }
}

/// Folds `X = const(5)` followed by `body`.
fn folded(body: Vec<Stmt>) -> Result<Module, String> {
    let mut module = Module {
        body: [vec![const_def("X", int(5))], body].concat(),
    };
    fold(&mut module, "", 0).map_err(|err| err.message)?;
    Ok(module)
}

/// How often `X` is still read by name, and how often the const value 5 appears.
fn counts(module: &Module) -> (usize, usize) {
    let text = format!("{module:?}");
    (
        text.matches("Name(\"X\")").count(),
        text.matches("Int(5)").count(),
    )
}

#[test]
fn substitution_reaches_every_read() {
    let lambda = e(ExprKind::Lambda {
        params: Box::new(Parameters {
            args: vec![param("a", Some(n("X")), Some(n("X")))],
            ..Parameters::default()
        }),
        body: x(),
    });
    let list_comp = e(ExprKind::ListComp {
        elt: x(),
        generators: comp(n("i"), n("X"), vec![n("X")]),
    });
    let dict_comp = e(ExprKind::DictComp {
        key: x(),
        value: x(),
        generators: comp(n("i"), n("y"), vec![]),
    });
    let fstring = e(ExprKind::JoinedStr(vec![e(ExprKind::FormattedValue {
        value: x(),
        conversion: Some('r'),
        format_spec: Some(Box::new(e(ExprKind::JoinedStr(vec![e(
            ExprKind::FormattedValue {
                value: x(),
                conversion: None,
                format_spec: None,
            },
        )])))),
    })]));
    let displays = e(ExprKind::Tuple(vec![
        e(ExprKind::Set(vec![n("X")])),
        e(ExprKind::Starred(x())),
        e(ExprKind::Subscript {
            value: Box::new(n("a")),
            index: Box::new(e(ExprKind::Slice {
                lower: Some(x()),
                upper: None,
                step: Some(x()),
            })),
        }),
        e(ExprKind::Yield(Some(x()))),
        e(ExprKind::YieldFrom(x())),
        e(ExprKind::Await(x())),
        e(ExprKind::NamedExpr {
            target: Box::new(n("w")),
            value: x(),
        }),
    ]));
    let mut method = def(
        "m",
        Parameters {
            kwonly: vec![param("k", Some(n("X")), None)],
            vararg: Some(param("args", None, Some(n("X")))),
            ..Parameters::default()
        },
        vec![s(StmtKind::Return(Some(n("X"))))],
    );
    method.decorators = vec![n("X")];
    method.returns = Some(n("X"));
    let class = ClassDef {
        name: ident("C"),
        bases: vec![n("X")],
        keywords: vec![Keyword {
            arg: Some(ident("metaclass")),
            value: n("X"),
        }],
        body: vec![s(StmtKind::FunctionDef(Box::new(method)))],
        decorators: vec![n("X")],
    };
    let with = s(StmtKind::With {
        is_async: false,
        items: vec![WithItem {
            context: n("X"),
            target: Some(e(ExprKind::Attribute {
                value: x(),
                attr: ident("X"),
            })),
        }],
        body: vec![s(StmtKind::Expr(call(n("f"), vec![n("X")], vec![])))],
    });
    let annotated = s(StmtKind::AnnAssign {
        target: n("v"),
        annotation: n("X"),
        value: None,
    });
    let module = folded(vec![
        s(StmtKind::Expr(lambda)),
        s(StmtKind::Expr(list_comp)),
        s(StmtKind::Expr(dict_comp)),
        s(StmtKind::Expr(fstring)),
        s(StmtKind::Expr(displays)),
        s(StmtKind::ClassDef(Box::new(class))),
        with,
        annotated,
    ])
    .unwrap();
    // The definition itself stays as `X = 5` (one name, one 5); then lambda 3, comprehensions
    // 2 + 2, f-string 2, displays 8, class 9, with 3, annotation 1.
    assert_eq!(counts(&module), (1, 1 + 30), "{module:#?}");
    // The f-string stays an f-string: it formats at run time.
    let StmtKind::Expr(fstring) = &module.body[4].kind else {
        panic!("{module:#?}")
    };
    assert!(matches!(fstring.kind, ExprKind::JoinedStr(_)));
}

#[test]
fn binding_names_are_not_substituted() {
    let f = def(
        "X",
        Parameters {
            args: vec![param("X", None, None)],
            ..Parameters::default()
        },
        vec![
            s(StmtKind::Global(vec![ident("X")])),
            s(StmtKind::Nonlocal(vec![ident("X")])),
        ],
    );
    let class = ClassDef {
        name: ident("X"),
        bases: vec![],
        keywords: vec![],
        body: vec![s(StmtKind::Pass)],
        decorators: vec![],
    };
    let module = folded(vec![
        s(StmtKind::FunctionDef(Box::new(f))),
        s(StmtKind::ClassDef(Box::new(class))),
        s(StmtKind::Expr(e(ExprKind::Attribute {
            value: Box::new(n("a")),
            attr: ident("X"),
        }))),
    ])
    .unwrap();
    let text = format!("{module:?}");
    assert_eq!(text.matches("name: \"X\"").count(), 6, "{module:#?}");
}

#[test]
fn const_names_cannot_be_bound() {
    let assign_err = Err("can't assign to expression".to_string());
    let with_as = s(StmtKind::With {
        is_async: true,
        items: vec![WithItem {
            context: n("m"),
            target: Some(e(ExprKind::Tuple(vec![n("a"), n("X")]))),
        }],
        body: vec![s(StmtKind::Pass)],
    });
    assert_eq!(folded(vec![with_as]).map(|_| ()), assign_err);
    let walrus = e(ExprKind::NamedExpr {
        target: x(),
        value: Box::new(int(1)),
    });
    assert_eq!(
        folded(vec![s(StmtKind::Expr(walrus))]).map(|_| ()),
        assign_err
    );
    let comprehension = e(ExprKind::GeneratorExp {
        elt: Box::new(n("i")),
        generators: comp(n("X"), n("y"), vec![]),
    });
    assert_eq!(
        folded(vec![s(StmtKind::Expr(comprehension))]).map(|_| ()),
        assign_err
    );
    let starred = assign(
        e(ExprKind::Tuple(vec![n("a"), e(ExprKind::Starred(x()))])),
        n("y"),
    );
    assert_eq!(folded(vec![starred]).map(|_| ()), assign_err);
    let delete = s(StmtKind::Delete(vec![e(ExprKind::List(vec![
        n("a"),
        n("X"),
    ]))]));
    assert_eq!(
        folded(vec![delete]).map(|_| ()),
        Err("can't delete expression".to_string())
    );
    let class = ClassDef {
        name: ident("C"),
        bases: vec![],
        keywords: vec![Keyword {
            arg: Some(ident("X")),
            value: int(1),
        }],
        body: vec![s(StmtKind::Pass)],
        decorators: vec![],
    };
    assert_eq!(
        folded(vec![s(StmtKind::ClassDef(Box::new(class)))]).map(|_| ()),
        Err("LHS of keyword arg must be an id".to_string())
    );
    let lambda = e(ExprKind::Lambda {
        params: Box::new(Parameters {
            args: vec![param("__debug__", None, None)],
            ..Parameters::default()
        }),
        body: x(),
    });
    assert_eq!(
        folded(vec![s(StmtKind::Expr(lambda))]).map(|_| ()),
        Err("cannot assign to __debug__".to_string())
    );
}

#[test]
fn class_body_consts_are_attributes_unless_underscored() {
    let class = ClassDef {
        name: ident("C"),
        bases: vec![],
        keywords: vec![],
        body: vec![
            const_def("Y", int(7)),
            s(StmtKind::AnnAssign {
                target: n("_Z"),
                annotation: n("int"),
                value: Some(call(n("const"), vec![int(8)], vec![])),
            }),
        ],
        decorators: vec![],
    };
    let module = folded(vec![
        s(StmtKind::ClassDef(Box::new(class))),
        assign(n("a"), e(ExprKind::Tuple(vec![n("Y"), n("_Z")]))),
    ])
    .unwrap();
    let StmtKind::ClassDef(class) = &module.body[1].kind else {
        panic!("{module:#?}")
    };
    // `Y = 7` stays as the class attribute; `_Z` leaves nothing behind.
    assert_eq!(class.body.len(), 1, "{module:#?}");
    let text = format!("{:?}", module.body[2]);
    assert!(text.contains("Tuple([Int(7), Int(8)])"), "{text}");
}

#[test]
fn imaginary_literals_are_constants_but_complex_sums_are_not() {
    let imag = || e(ExprKind::Constant(Constant::Complex(0.0, 2.0)));
    let module = folded(vec![const_def("J", imag()), assign(n("a"), n("J"))]).unwrap();
    assert!(format!("{:?}", module.body[2]).contains("Complex(0.0, 2.0)"));
    let sum = e(ExprKind::BinOp {
        left: Box::new(int(1)),
        op: frost_compiler::ast::BinaryOp::Add,
        right: Box::new(imag()),
    });
    assert_eq!(
        folded(vec![const_def("K", sum)]).map(|_| ()),
        Err("not a constant".to_string())
    );
}
