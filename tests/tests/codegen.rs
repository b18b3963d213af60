//! Code generation observed on compiled images. In: small inline programs. Out: assertions on
//! the decoded code objects: instruction shapes (calls, methods, ranges, comparison chains,
//! imports, raise, assert, try/finally), constant encoding, stack sizes, exception tables and
//! the code size limit.

use frost_compiler::{Options, compile};
use frost_runtime::image::format::{self, Const, ExcEntry};
use frost_runtime::image::{Args, Instr, Opcode};
use frost_runtime::value::{SMALL_INT_MAX, SMALL_INT_MIN};

struct Code {
    ops: Vec<String>,
    stack_size: u16,
    exc_table: Vec<ExcEntry>,
}

struct Image {
    names: Vec<String>,
    consts: Vec<String>,
    code: Vec<Code>,
}

fn compile_at(source: &str, opt_level: u8) -> Image {
    let options = Options {
        opt_level,
        ..Options::default()
    };
    let compiled = compile(source, &options).unwrap_or_else(|e| panic!("{source}: {e:?}"));
    let (_, module) = format::read(&compiled.image).unwrap();
    let consts: Vec<String> = module
        .consts
        .iter()
        .map(|c| match c {
            Const::Int(i) => format!("int {i}"),
            Const::BigInt(b) => format!("bigint {b:?}"),
            Const::Str(s) => format!("{s:?}"),
            Const::Tuple(items) => format!("tuple {items:?}"),
            other => format!("{other:?}"),
        })
        .collect();
    let names: Vec<String> = module.names.iter().map(|n| n.to_string()).collect();
    let code = module
        .code
        .iter()
        .map(|c| {
            let mut ops = Vec::new();
            let mut pc = 0;
            while pc < c.bytecode.len() {
                let (instr, next) = Instr::decode(c.bytecode, pc).unwrap();
                ops.push(repr(&instr, &names, c.local_names.as_slice()));
                pc = next;
            }
            Code {
                ops,
                stack_size: c.stack_size,
                exc_table: c.exc_table.clone(),
            }
        })
        .collect();
    Image {
        names,
        consts,
        code,
    }
}

fn compile0(source: &str) -> Image {
    compile_at(source, 0)
}

/// `OPNAME operand`, with names spelled out and jump targets dropped (they are offsets).
fn repr(instr: &Instr, names: &[String], locals: &[u32]) -> String {
    use Opcode::*;
    let name = instr.op.name();
    match (instr.op, instr.args) {
        (
            LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL
            | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_FROM,
            Args::One(i),
        ) => format!("{name} {}", names[i as usize]),
        (LOAD_FAST | STORE_FAST | DELETE_FAST, Args::One(i)) => {
            format!("{name} {}", names[locals[i as usize] as usize])
        }
        (IMPORT_NAME, Args::Two(i, level)) => format!("{name} {} {level}", names[i as usize]),
        _ if instr.target().is_some() => name.to_string(),
        (_, Args::One(a)) => format!("{name} {a}"),
        (_, Args::Two(a, b)) => format!("{name} {a} {b}"),
        (_, Args::Int(v)) => format!("{name} {v}"),
        (_, Args::None) => name.to_string(),
    }
}

fn module_ops(source: &str) -> String {
    compile0(source).code[0].ops.join("; ")
}

#[test]
fn module_body_ends_with_return_none_and_functions_with_a_return() {
    let image = compile0("def f():\n    pass\ndef g():\n    return 1\n");
    assert_eq!(
        image.code[0].ops.last().map(String::as_str),
        Some("RETURN_VALUE")
    );
    assert_eq!(image.code[1].ops, ["LOAD_NONE", "RETURN_VALUE"]);
    assert_eq!(image.code[2].ops, ["LOAD_SMALL_INT 1", "RETURN_VALUE"]);
    assert_eq!(image.names[0], "<module>");
}

#[test]
fn calls_with_keywords_use_call_kw_and_a_names_tuple() {
    let image = compile0("f(1, k=2, j=3)\n");
    let kw = image
        .consts
        .iter()
        .position(|c| c.starts_with("tuple"))
        .unwrap();
    assert_eq!(
        image.code[0].ops[..5],
        [
            "LOAD_NAME f",
            "LOAD_SMALL_INT 1",
            "LOAD_SMALL_INT 2",
            "LOAD_SMALL_INT 3",
            &format!("CALL_KW 1 {kw}")
        ]
    );
    let names: Vec<&String> = image.consts.iter().filter(|c| c.starts_with('"')).collect();
    assert_eq!(names, ["\"k\"", "\"j\""]);
    assert_eq!(image.code[0].stack_size, 4);
}

#[test]
fn method_calls_use_load_method() {
    assert_eq!(
        module_ops("o.m(1)\n"),
        "LOAD_NAME o; LOAD_METHOD m; LOAD_SMALL_INT 1; CALL_METHOD 1; POP_TOP; LOAD_NONE; RETURN_VALUE"
    );
    assert!(module_ops("o.m(k=1)\n").contains("CALL_METHOD_KW 0"));
}

#[test]
fn for_over_range_uses_get_range() {
    assert!(
        module_ops("for i in range(3):\n    pass\n")
            .starts_with("LOAD_SMALL_INT 3; GET_RANGE 1; FOR_RANGE; STORE_NAME i; JUMP")
    );
    assert!(module_ops("for i in range(1, 9, 2):\n    pass\n").contains("GET_RANGE 3"));
    for other in [
        "for i in range(a, step=1):\n    pass\n",
        "for i in range():\n    pass\n",
        "for i in x.range(3):\n    pass\n",
        "for i in [1, 2]:\n    pass\n",
    ] {
        let ops = module_ops(other);
        assert!(ops.contains("GET_ITER; FOR_ITER"), "{other}: {ops}");
    }
    assert_eq!(
        compile0("for i in range(3):\n    pass\n").code[0].stack_size,
        4
    );
}

#[test]
fn comparison_chains_evaluate_each_operand_once() {
    assert_eq!(
        module_ops("x = a < b() <= c\n"),
        "LOAD_NAME a; LOAD_NAME b; CALL 0; DUP_TOP; ROT_THREE; COMPARE_OP 0; JUMP_IF_FALSE_OR_POP; LOAD_NAME c; COMPARE_OP 1; JUMP; ROT_TWO; POP_TOP; STORE_NAME x; LOAD_NONE; RETURN_VALUE"
    );
}

#[test]
fn boolean_operators_and_conditional_expressions() {
    assert_eq!(
        module_ops("x = a and b or c\n"),
        "LOAD_NAME a; JUMP_IF_FALSE_OR_POP; LOAD_NAME b; JUMP_IF_TRUE_OR_POP; LOAD_NAME c; STORE_NAME x; LOAD_NONE; RETURN_VALUE"
    );
    assert_eq!(
        module_ops("x = a if b else c\n"),
        "LOAD_NAME b; POP_JUMP_IF_FALSE; LOAD_NAME a; JUMP; LOAD_NAME c; STORE_NAME x; LOAD_NONE; RETURN_VALUE"
    );
}

#[test]
fn unpacking_and_chained_assignment() {
    assert_eq!(
        module_ops("a, (b, c) = d\n"),
        "LOAD_NAME d; UNPACK_SEQUENCE 2; STORE_NAME a; UNPACK_SEQUENCE 2; STORE_NAME b; STORE_NAME c; LOAD_NONE; RETURN_VALUE"
    );
    assert_eq!(
        module_ops("a = b.c = d[0] = e\n"),
        "LOAD_NAME e; DUP_TOP; STORE_NAME a; DUP_TOP; LOAD_NAME b; STORE_ATTR c; LOAD_NAME d; LOAD_SMALL_INT 0; STORE_SUBSCR; LOAD_NONE; RETURN_VALUE"
    );
}

#[test]
fn augmented_assignment_targets() {
    assert_eq!(
        module_ops("a += 1\n"),
        "LOAD_NAME a; LOAD_SMALL_INT 1; INPLACE_OP 0; STORE_NAME a; LOAD_NONE; RETURN_VALUE"
    );
    assert_eq!(
        module_ops("o.x *= 2\n"),
        "LOAD_NAME o; DUP_TOP; LOAD_ATTR x; LOAD_SMALL_INT 2; INPLACE_OP 2; ROT_TWO; STORE_ATTR x; LOAD_NONE; RETURN_VALUE"
    );
    assert_eq!(
        module_ops("o[k] -= 3\n"),
        "LOAD_NAME o; LOAD_NAME k; DUP_TOP_TWO; BINARY_SUBSCR; LOAD_SMALL_INT 3; INPLACE_OP 1; ROT_THREE; STORE_SUBSCR; LOAD_NONE; RETURN_VALUE"
    );
}

#[test]
fn imports_bind_the_right_names() {
    assert_eq!(
        module_ops("import a.b\n"),
        "LOAD_NONE; IMPORT_NAME a.b 0; STORE_NAME a; LOAD_NONE; RETURN_VALUE"
    );
    assert_eq!(
        module_ops("import a.b.c as d\n"),
        "LOAD_NONE; IMPORT_NAME a.b.c 0; LOAD_ATTR b; LOAD_ATTR c; STORE_NAME d; LOAD_NONE; RETURN_VALUE"
    );
    let image = compile0("from ..m import x, y as z\n");
    assert_eq!(
        image.code[0].ops[1..6],
        [
            "IMPORT_NAME m 2",
            "IMPORT_FROM x",
            "STORE_NAME x",
            "IMPORT_FROM y",
            "STORE_NAME z"
        ]
    );
    assert!(
        image.consts.iter().any(|c| c.starts_with("tuple")),
        "fromlist is a constant tuple"
    );
}

#[test]
fn raise_forms() {
    assert!(module_ops("raise\n").starts_with("RAISE 0"));
    assert!(module_ops("raise E\n").starts_with("LOAD_NAME E; RAISE 1"));
    assert!(module_ops("raise E from C\n").starts_with("LOAD_NAME E; LOAD_NAME C; RAISE 2"));
}

#[test]
fn assert_at_level_0() {
    assert_eq!(
        module_ops("assert x, 'm'\n"),
        "LOAD_NAME x; POP_JUMP_IF_TRUE; LOAD_ASSERTION_ERROR; LOAD_CONST 0; CALL 1; RAISE 1; LOAD_NONE; RETURN_VALUE"
    );
    assert!(module_ops("assert x\n").contains("LOAD_ASSERTION_ERROR; RAISE 1"));
}

#[test]
fn integer_constants_by_size() {
    let image = compile0(&format!(
        "a = {SMALL_INT_MAX}\nb = {}\nc = {SMALL_INT_MIN}\nd = {}\ne = 1 << 100\nf = None, True, False\n",
        SMALL_INT_MAX + 1,
        SMALL_INT_MIN - 1
    ));
    let ops = image.code[0].ops.join("; ");
    assert!(ops.contains(&format!("LOAD_SMALL_INT {SMALL_INT_MAX}")));
    assert!(ops.contains(&format!("LOAD_SMALL_INT {SMALL_INT_MIN}")));
    assert!(image.consts.contains(&format!("int {}", SMALL_INT_MAX + 1)));
    assert!(image.consts.contains(&format!("int {}", SMALL_INT_MIN - 1)));
    // 2**100: minimal two's complement, little endian, 13 bytes.
    let mut wide = vec![0u8; 13];
    wide[12] = 0x10;
    assert!(
        image.consts.contains(&format!("bigint {wide:?}")),
        "{:?}",
        image.consts
    );
    assert!(image.consts.iter().any(|c| c == "None") && image.consts.iter().any(|c| c == "True"));
}

#[test]
fn names_and_constants_are_deduplicated() {
    let image = compile0("x = 'a'\ny = 'a'\nx = x + 2.5 + 2.5\n");
    assert_eq!(image.consts, ["\"a\"", "Float(4612811918334230528)"]);
    assert_eq!(image.names.iter().filter(|n| *n == "x").count(), 1);
}

#[test]
fn stack_size_is_exact() {
    assert_eq!(compile0("x = (a, b, c)\n").code[0].stack_size, 3);
    assert_eq!(compile0("x = [a, [b, [c, d]]]\n").code[0].stack_size, 4);
    assert_eq!(compile0("x = {a: b, c: d}\n").code[0].stack_size, 4);
    assert_eq!(compile0("pass\n").code[0].stack_size, 1);
}

#[test]
fn try_except_has_a_handler_and_a_cleanup_entry() {
    let image = compile0("try:\n    f()\nexcept E as e:\n    g(e)\n");
    let ops = image.code[0].ops.join("; ");
    assert!(
        ops.contains(
            "PUSH_EXC_INFO; LOAD_NAME E; CHECK_EXC_MATCH; POP_JUMP_IF_FALSE; STORE_NAME e"
        ),
        "{ops}"
    );
    assert!(
        ops.contains("POP_EXCEPT; LOAD_NONE; STORE_NAME e; DELETE_NAME e; JUMP"),
        "{ops}"
    );
    assert!(
        ops.contains("LOAD_NONE; STORE_NAME e; DELETE_NAME e; RERAISE"),
        "{ops}"
    );
    assert!(ops.contains("ROT_TWO; POP_EXCEPT; RERAISE"), "{ops}");
    let depths: Vec<u16> = image.code[0].exc_table.iter().map(|e| e.depth).collect();
    assert_eq!(depths, [0, 1, 1, 1], "{:?}", image.code[0].exc_table);
}

#[test]
fn return_in_try_finally_runs_the_finally_body_after_the_value() {
    let image = compile0("def f():\n    try:\n        return g()\n    finally:\n        h()\n");
    let ops = image.code[1].ops.join("; ");
    assert!(
        ops.starts_with("LOAD_GLOBAL g; CALL 0; LOAD_GLOBAL h; CALL 0; POP_TOP; RETURN_VALUE"),
        "{ops}"
    );
}

#[test]
fn break_and_continue_leave_handlers_and_pop_iterators() {
    let src =
        "for x in y:\n    try:\n        f()\n        break\n    except E:\n        continue\n";
    let image = compile0(src);
    let ops = image.code[0].ops.join("; ");
    // `f()`'s result, then the iterator's two slots, then the jump out.
    assert!(
        ops.contains("CALL 0; POP_TOP; POP_TOP; POP_TOP; JUMP"),
        "{ops}"
    );
    assert!(ops.contains("POP_TOP; POP_EXCEPT; JUMP"), "{ops}");
    assert!(
        image.code[0].exc_table.iter().all(|e| e.depth >= 2),
        "{:?}",
        image.code[0].exc_table
    );
}

#[test]
fn code_over_the_jump_range_is_a_compile_error() {
    // Each statement is 4 bytes of bytecode (LOAD_GLOBAL, STORE_FAST): 80 000 in all.
    let body: String = (0..20_000)
        .map(|i| format!("    x{} = y\n", i % 50))
        .collect();
    match compile(&format!("def f():\n{body}"), &Options::default()) {
        Ok(_) => panic!("80 000 bytes of bytecode compiled"),
        Err(err) => assert!(err.message.contains("code too large"), "{err:?}"),
    }
}

#[test]
fn repeated_keyword_is_a_syntax_error() {
    let err = compile("f(a=1, a=2)\n", &Options::default()).unwrap_err();
    assert_eq!(err.message, "keyword argument repeated: a");
}

/// Wraps `body` (already indented by `indent`) in one construct.
fn wrap(kind: usize, body: &str, indent: &str) -> String {
    let i = indent;
    match kind {
        0 => format!("{i}for i in range(2):\n{body}"),
        1 => format!("{i}while x:\n{body}"),
        2 => format!("{i}for i in y:\n{body}"),
        3 => format!("{i}try:\n{body}{i}except E as e:\n{i}    f(e)\n"),
        4 => format!("{i}try:\n{i}    f()\n{i}except E as e:\n{body}{i}except:\n{i}    pass\n"),
        5 => format!("{i}try:\n{body}{i}finally:\n{i}    f()\n"),
        6 => format!("{i}try:\n{i}    f()\n{i}finally:\n{body}"),
        7 => format!(
            "{i}try:\n{body}{i}except E:\n{i}    pass\n{i}else:\n{i}    g()\n{i}finally:\n{i}    h()\n"
        ),
        _ => format!("{i}if x and not y or e:\n{body}{i}else:\n{i}    g()\n"),
    }
}

#[test]
fn nested_control_flow_always_verifies() {
    const KINDS: usize = 9;
    let exits = ["break", "continue", "return 1", "return", "raise", "f()"];
    let mut compiled = 0;
    for a in 0..KINDS {
        for b in 0..KINDS {
            for c in 0..KINDS {
                for exit in exits {
                    let body = format!("                {exit}\n");
                    let body = wrap(c, &body, "            ");
                    let body = wrap(b, &body, "        ");
                    let body = wrap(a, &body, "    ");
                    let source = format!("def f(x, y):\n{body}    return 2\n");
                    match compile(&source, &Options::default()) {
                        Ok(image) => {
                            let bytes =
                                frost_runtime::image::ImageBytes::Shared(image.image.into());
                            if let Err(e) = frost_runtime::image::load(bytes) {
                                panic!("the loader refused\n{source}: {e}");
                            }
                            compiled += 1;
                        }
                        Err(e) if e.message.contains("loop") => {}
                        Err(e) => panic!("{source}: {e:?}"),
                    }
                }
            }
        }
    }
    assert!(compiled > 3000, "{compiled}");
}

#[test]
fn conditions_compile_to_jumps() {
    assert!(
        module_ops("if not a and b:\n    f()\n").starts_with(
            "LOAD_NAME a; POP_JUMP_IF_TRUE; LOAD_NAME b; POP_JUMP_IF_FALSE; LOAD_NAME f"
        )
    );
    assert!(
        module_ops("if a or b:\n    f()\n").starts_with(
            "LOAD_NAME a; POP_JUMP_IF_TRUE; LOAD_NAME b; POP_JUMP_IF_FALSE; LOAD_NAME f"
        )
    );
    assert!(
        module_ops("while not (a or b):\n    f()\n").starts_with(
            "LOAD_NAME a; POP_JUMP_IF_TRUE; LOAD_NAME b; POP_JUMP_IF_TRUE; LOAD_NAME f"
        )
    );
    // As a value, `not` and `and` are still computed.
    assert!(
        module_ops("x = not a and b\n")
            .starts_with("LOAD_NAME a; UNARY_OP 3; JUMP_IF_FALSE_OR_POP")
    );
}
