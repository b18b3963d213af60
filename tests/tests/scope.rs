//! Scope analysis observed through compilation. In: `fixtures/scope/errors/*.py` (each with the
//! `.err` that `diag::render` must print) and small inline programs. Out: the errors, and the
//! name operations and local tables of the compiled images.

use frost_tests::compile_error_mismatches;

use frost_compiler::{Options, compile};
use frost_runtime::image::format;
use frost_runtime::image::{Instr, Opcode};

#[test]
fn every_scope_error_fixture_fails_with_its_rendered_error() {
    let (count, failures) = compile_error_mismatches("scope/errors");
    assert!(count >= 10, "fixtures missing: {count}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Per code object: its local names and its instructions as `OPNAME name-or-operand`.
fn compile_code(source: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let compiled = compile(source, &Options::default()).unwrap_or_else(|e| panic!("{e:?}"));
    let (_, module) = format::read(&compiled.image).unwrap();
    let name = |i: u32| module.names[i as usize].to_string();
    module
        .code
        .iter()
        .map(|c| {
            let locals = c.local_names.iter().map(|&i| name(i)).collect();
            let mut ops = Vec::new();
            let mut pc = 0;
            while pc < c.bytecode.len() {
                let (instr, next) = Instr::decode(c.bytecode, pc).unwrap();
                use Opcode::*;
                ops.push(match instr.op {
                    LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL
                    | DELETE_GLOBAL => format!("{} {}", instr.op.name(), name(instr.a())),
                    LOAD_FAST | STORE_FAST | DELETE_FAST => {
                        let local = c.local_names[instr.a() as usize];
                        format!("{} {}", instr.op.name(), name(local))
                    }
                    _ => instr.op.name().to_string(),
                });
                pc = next;
            }
            (locals, ops)
        })
        .collect()
}

#[test]
fn parameters_come_first_then_locals_in_order_of_first_binding() {
    let code = compile_code(
        "def f(a, b=1):\n    c = a\n    for d in b:\n        e = d\n    import os.path\n    return c\n",
    );
    assert_eq!(code[1].0, ["a", "b", "c", "d", "e", "os"]);
}

#[test]
fn functions_use_fast_and_global_operations_and_the_module_uses_names() {
    let code = compile_code(
        "x = 1\ndef f(a):\n    global y\n    y = a + x\n    z = y\n    del z\n    return len\n",
    );
    assert!(code[0].1.contains(&"STORE_NAME x".to_string()));
    assert!(code[0].1.contains(&"STORE_NAME f".to_string()));
    let f = &code[1].1;
    for op in [
        "LOAD_FAST a",
        "LOAD_GLOBAL x",
        "STORE_GLOBAL y",
        "LOAD_GLOBAL y",
        "STORE_FAST z",
        "DELETE_FAST z",
        "LOAD_GLOBAL len",
    ] {
        assert!(f.contains(&op.to_string()), "{op} missing from {f:?}");
    }
    assert_eq!(code[1].0, ["a", "z"]);
}

#[test]
fn import_before_global_is_accepted_as_cpython_does() {
    let code = compile_code("def f():\n    import os\n    global os\n");
    assert!(
        code[1].1.contains(&"STORE_GLOBAL os".to_string()),
        "{:?}",
        code[1].1
    );
    assert!(code[1].0.is_empty());
}

#[test]
fn a_nested_function_reading_only_globals_is_not_a_closure() {
    let code = compile_code(
        "def outer():\n    global g\n    g = 1\n    def inner():\n        return g + h\n    return inner\n",
    );
    assert!(code[2].1.contains(&"LOAD_GLOBAL g".to_string()));
    assert_eq!(code[1].0, ["inner"]);
}
