//! Folding observed on compiled images (spec §1-§3). In: small sources compiled at various
//! options. Out: assertions on the decoded image: names table, constant table, instructions,
//! line tables.

use frost_compiler::{Options, compile};
use frost_runtime::image::format::{self, Const};
use frost_runtime::image::{Args, Instr, Opcode};

/// A decoded image in a form tests can compare.
struct Image {
    names: Vec<String>,
    consts: Vec<String>,
    /// Per code object: its instructions as `OPNAME operand`.
    code: Vec<Vec<String>>,
    line_tables: Vec<Vec<u8>>,
    has_lines: bool,
}

impl Image {
    fn module(&self) -> &[String] {
        &self.code[0]
    }

    fn all_ops(&self) -> Vec<&str> {
        self.code.iter().flatten().map(String::as_str).collect()
    }

    fn count(&self, instr: &str) -> usize {
        self.all_ops().iter().filter(|i| **i == instr).count()
    }

    fn has_op(&self, op: Opcode) -> bool {
        self.all_ops()
            .iter()
            .any(|i| i.split(' ').next() == Some(op.name()))
    }
}

fn compile_with(source: &str, options: &Options) -> Image {
    let compiled = compile(source, options).unwrap_or_else(|e| panic!("{source}: {e:?}"));
    let (flags, module) = format::read(&compiled.image).unwrap();
    let consts: Vec<String> = (0..module.consts.len())
        .map(|i| const_repr(&module.consts, i as u32))
        .collect();
    let names: Vec<String> = module.names.iter().map(|n| n.to_string()).collect();
    let code = module
        .code
        .iter()
        .map(|c| {
            let mut out = Vec::new();
            let mut pc = 0;
            while pc < c.bytecode.len() {
                let (instr, next) = Instr::decode(c.bytecode, pc).unwrap();
                out.push(instr_repr(&instr, &names, &consts));
                pc = next;
            }
            out
        })
        .collect();
    Image {
        names,
        consts,
        code,
        line_tables: module.code.iter().map(|c| c.line_table.to_vec()).collect(),
        has_lines: flags.has_lines,
    }
}

fn compile_at(source: &str, opt_level: u8) -> Image {
    compile_with(
        source,
        &Options {
            opt_level,
            ..Options::default()
        },
    )
}

fn const_repr(consts: &[Const<'_>], i: u32) -> String {
    match &consts[i as usize] {
        Const::None => "None".into(),
        Const::False => "False".into(),
        Const::True => "True".into(),
        Const::Ellipsis => "Ellipsis".into(),
        Const::Int(v) => v.to_string(),
        Const::BigInt(b) => format!("bigint{b:?}"),
        Const::Float(bits) => format!("{:?}", f64::from_bits(*bits)),
        Const::Complex(re, im) => {
            format!(
                "complex({:?}, {:?})",
                f64::from_bits(*re),
                f64::from_bits(*im)
            )
        }
        Const::Str(s) => format!("{s:?}"),
        Const::Bytes(b) => format!("b{b:?}"),
        Const::Tuple(items) => {
            let inner: Vec<String> = items.iter().map(|&j| const_repr(consts, j)).collect();
            format!("({})", inner.join(", "))
        }
    }
}

fn instr_repr(instr: &Instr, names: &[String], consts: &[String]) -> String {
    use Opcode::*;
    let name = instr.op.name();
    match (instr.op, instr.args) {
        (LOAD_CONST, Args::One(i)) => format!("{name} {}", consts[i as usize]),
        (
            LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL
            | LOAD_ATTR | STORE_ATTR | LOAD_METHOD,
            Args::One(i),
        ) => format!("{name} {}", names[i as usize]),
        (_, Args::One(a)) => format!("{name} {a}"),
        (_, Args::Int(v)) => format!("{name} {v}"),
        (_, Args::Two(a, b)) => format!("{name} {a} {b}"),
        (_, Args::None) => name.to_string(),
    }
}

const IMPORT: &str = "from micropython import const\n";

#[test]
fn underscore_const_leaves_no_name_and_no_store() {
    let image = compile_at(&format!("{IMPORT}_X = const(5)\nprint(_X)\n"), 0);
    assert!(!image.names.iter().any(|n| n == "_X"), "{:?}", image.names);
    assert!(
        !image
            .all_ops()
            .iter()
            .any(|i| i.starts_with("STORE_NAME _"))
    );
    assert_eq!(image.count("LOAD_SMALL_INT 5"), 1);
}

#[test]
fn plain_const_is_stored_once_and_read_as_a_constant() {
    let image = compile_at(&format!("{IMPORT}X = const(1 << 60)\nprint(X)\ny = X\n"), 0);
    assert_eq!(image.count("STORE_NAME X"), 1);
    assert_eq!(image.count("LOAD_NAME X"), 0);
    assert_eq!(image.count(&format!("LOAD_CONST {}", 1u64 << 60)), 3);
}

#[test]
fn const_defined_in_a_function_is_substituted_at_module_level() {
    let src = format!("{IMPORT}def f():\n    _N = const(7)\n    return _N\nprint(_N)\n");
    let image = compile_at(&src, 0);
    assert!(!image.names.iter().any(|n| n == "_N"));
    assert_eq!(image.count("LOAD_SMALL_INT 7"), 2);
}

#[test]
fn const_in_a_dead_branch_still_enters_the_table() {
    let image = compile_at(
        &format!("{IMPORT}if False:\n    A = const(3)\nprint(A)\n"),
        0,
    );
    assert!(!image.names.iter().any(|n| n == "A"));
    assert_eq!(image.count("LOAD_SMALL_INT 3"), 1);
}

#[test]
fn true_division_folds_to_a_float() {
    let image = compile_at("x = 1/2\n", 0);
    assert_eq!(image.consts, ["0.5"]);
    assert!(!image.has_op(Opcode::BINARY_OP));
}

#[test]
fn negative_power_folds_to_a_float() {
    let image = compile_at("x = 2**-2\n", 0);
    assert_eq!(image.consts, ["0.25"]);
}

#[test]
fn big_int_arithmetic_folds_without_limit() {
    let image = compile_at("x = 2**100 - 1\n", 0);
    assert_eq!(image.consts.len(), 1);
    assert!(image.consts[0].starts_with("bigint"), "{:?}", image.consts);
    assert!(!image.has_op(Opcode::BINARY_OP));
}

#[test]
fn operations_that_raise_are_left_for_run_time() {
    for src in [
        "x = 1 % 0\n",
        "x = 1 // 0\n",
        "x = 1 << -1\n",
        "x = 1.0 << 2\n",
        "x = 1 @ 2\n",
    ] {
        let image = compile_at(src, 0);
        assert!(image.has_op(Opcode::BINARY_OP), "{src} was folded");
    }
}

#[test]
fn bools_are_not_numeric_operands() {
    let image = compile_at("x = True + 1\ny = -True\n", 0);
    assert!(image.has_op(Opcode::BINARY_OP));
    assert!(image.has_op(Opcode::UNARY_OP));
}

#[test]
fn negative_and_positive_zero_are_distinct_constants() {
    let image = compile_at("a = -0.0\nb = 0.0\nc = -0.0\n", 0);
    assert_eq!(image.consts, ["-0.0", "0.0"]);
}

#[test]
fn equal_constant_tuples_are_one_constant() {
    let image = compile_at(
        &format!("{IMPORT}_T = const((1, (2, 'a')))\na = (1, (2, 'a'))\nb = _T\n"),
        0,
    );
    let outer = image
        .consts
        .iter()
        .filter(|c| *c == "(1, (2, \"a\"))")
        .count();
    let inner = image.consts.iter().filter(|c| *c == "(2, \"a\")").count();
    assert_eq!((outer, inner), (1, 1), "{:?}", image.consts);
    assert_eq!(image.count("LOAD_CONST (1, (2, \"a\"))"), 2);
}

#[test]
fn if_false_leaves_nothing() {
    let image = compile_at("if False:\n    print(1)\n", 0);
    assert_eq!(image.module(), ["LOAD_NONE", "RETURN_VALUE"]);
    assert!(image.names.iter().all(|n| n != "print"));
}

#[test]
fn elif_and_while_on_constants() {
    let image = compile_at(
        "if 0:\n    a()\nelif 1:\n    b()\nelse:\n    c()\nwhile 0:\n    d()\nelse:\n    e()\n",
        0,
    );
    let called: Vec<&str> = image
        .all_ops()
        .into_iter()
        .filter(|i| i.starts_with("LOAD_NAME"))
        .collect();
    assert_eq!(called, ["LOAD_NAME b", "LOAD_NAME e"]);
    let forever = compile_at("while 1:\n    f()\n", 0);
    assert!(!forever.has_op(Opcode::POP_JUMP_IF_FALSE));
}

#[test]
fn lone_constants_and_docstrings_are_dropped() {
    let src =
        "\"\"\"module doc\"\"\"\ndef f():\n    \"\"\"function doc\"\"\"\n    1 + 2\n    return 0\n";
    let image = compile_at(src, 0);
    assert!(
        image.consts.iter().all(|c| !c.contains("doc")),
        "{:?}",
        image.consts
    );
    assert_eq!(image.code[1], ["LOAD_SMALL_INT 0", "RETURN_VALUE"]);
    let bare_name = compile_at("x\n", 0);
    assert!(bare_name.has_op(Opcode::LOAD_NAME));
}

#[test]
fn logical_folding() {
    let image = compile_at(
        "a = 0 or x\nb = 1 or y\nc = not 1\nd = x or 0 or 1 or y\ne = 1 and 2\n",
        0,
    );
    let ops = image.module().join("; ");
    assert!(ops.starts_with("LOAD_NAME x; STORE_NAME a; LOAD_SMALL_INT 1; STORE_NAME b; LOAD_FALSE; STORE_NAME c; LOAD_NAME x; JUMP_IF_TRUE_OR_POP"), "{ops}");
    assert!(!image.names.iter().any(|n| n == "y"));
    assert!(ops.contains("LOAD_SMALL_INT 2; STORE_NAME e"), "{ops}");
}

#[test]
fn math_and_errno_constants_fold() {
    let image = compile_at(
        "a = math.pi\nb = errno.ENOENT\nc = math.pi.real\nd = errno.ETIMEDOUT\n",
        0,
    );
    assert!(
        image
            .consts
            .contains(&format!("{:?}", std::f64::consts::PI))
    );
    assert_eq!(image.count("LOAD_SMALL_INT 2"), 1);
    assert_eq!(image.count("LOAD_SMALL_INT 110"), 1);
    // Only `math.NAME` with nothing after it folds, as in MicroPython.
    assert_eq!(image.count("LOAD_ATTR pi"), 1);
    assert_eq!(image.count("LOAD_ATTR real"), 1);
}

#[test]
fn assert_is_removed_at_opt_level_1() {
    let src = "assert x, 'message'\n";
    let o0 = compile_at(src, 0);
    assert!(o0.has_op(Opcode::LOAD_ASSERTION_ERROR));
    let o1 = compile_at(src, 1);
    assert_eq!(o1.module(), ["LOAD_NONE", "RETURN_VALUE"]);
    assert!(o1.names.iter().all(|n| n != "x"));
}

#[test]
fn debug_is_a_compile_time_constant() {
    let src = "if __debug__:\n    print(1)\nx = __debug__\n";
    let o0 = compile_at(src, 0);
    assert!(o0.names.iter().any(|n| n == "print"));
    assert_eq!(o0.count("LOAD_TRUE"), 1);
    let o1 = compile_at(src, 1);
    assert!(o1.names.iter().all(|n| n != "print" && n != "__debug__"));
    assert_eq!(o1.count("LOAD_FALSE"), 1);
}

#[test]
fn line_tables_are_empty_at_opt_level_3_and_without_source_lines() {
    let src = "a = 1\nb = 2\n\ndef f():\n    return 3\n";
    let o0 = compile_at(src, 0);
    assert!(o0.has_lines);
    assert!(
        o0.line_tables.iter().all(|t| !t.is_empty()),
        "{:?}",
        o0.line_tables
    );
    let o3 = compile_at(src, 3);
    assert!(!o3.has_lines);
    assert!(o3.line_tables.iter().all(Vec::is_empty));
    let no_lines = compile_with(
        src,
        &Options {
            source_lines: false,
            ..Options::default()
        },
    );
    assert!(!no_lines.has_lines);
    assert!(no_lines.line_tables.iter().all(Vec::is_empty));
}

#[test]
fn line_table_records_only_increasing_lines() {
    let image = compile_at("a = 1\n\nb = 2\n", 0);
    // Module: `a = 1` at offset 0 is line 1 (no entry); `b = 2` at offset 4 is line 3.
    assert_eq!(image.line_tables[0], [4, 2]);
}

#[test]
fn micropython_const_and_aliases_warn_and_do_not_fold() {
    let src = "import micropython\nfrom micropython import const as c\nA = micropython.const(1)\nB = c(2)\nprint(A, B)\n";
    let compiled = compile(src, &Options::default()).unwrap();
    assert_eq!(compiled.warnings.len(), 2, "{:?}", compiled.warnings);
    let image = compile_at(src, 0);
    assert_eq!(image.count("LOAD_NAME A"), 1);
    assert_eq!(image.count("LOAD_NAME B"), 1);
}

#[test]
fn binding_names_are_not_substituted_but_reads_are() {
    let src = format!(
        "{IMPORT}X = const(7)\ndef X(X=X):\n    return X\nimport os as X\ntry:\n    f()\nexcept E as X:\n    print(X)\ndef g():\n    global X\n    return X\n"
    );
    let image = compile_at(&src, 0);
    // `X = 7`, `def X`, `import os as X`, `except E as X` and its two unbindings (normal and
    // exceptional exit) all store X ...
    assert_eq!(image.count("STORE_NAME X"), 6, "{:?}", image.module());
    // ... but every read of X is the constant, in every scope.
    assert_eq!(image.count("LOAD_NAME X") + image.count("LOAD_GLOBAL X"), 0);
    assert_eq!(image.count("LOAD_SMALL_INT 7"), 4);
    // The default `X=X` became 7 too: a constant defaults tuple.
    assert_eq!(image.count("LOAD_CONST (7)"), 1);
}

#[test]
fn constant_tuples_in_every_position() {
    let src = "a = 1, 2\nb = x[1, 2]\nfor c in 1, 2:\n    pass\nd = ()\ne = ((), (1, (2.5,)))\ndef f():\n    return 1, 2\ng = [1, 2]\n";
    let image = compile_at(src, 0);
    assert_eq!(image.count("LOAD_CONST (1, 2)"), 4);
    assert_eq!(image.count("LOAD_CONST ()"), 1);
    assert_eq!(
        image.count("LOAD_CONST ((), (1, (2.5)))"),
        1,
        "{:?}",
        image.consts
    );
    // Lists are never built at compile time.
    assert_eq!(image.count("BUILD_LIST 2"), 1);
    assert!(!image.has_op(Opcode::BUILD_TUPLE));
}
