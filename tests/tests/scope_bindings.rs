//! Scope analysis and the code it leads to, observed on compiled images. In: small inline
//! programs with functions, closures, classes, lambdas and comprehensions. Out: assertions on
//! each code object's fast locals, cell and free variable tables, flags and name operations
//! (`LOAD_DEREF x`, `LOAD_CLASSDEREF x`, `STORE_GLOBAL y`, ...), which say how every name was
//! resolved; and on the call and function-making instruction shapes.

use frost_compiler::{Options, compile};
use frost_runtime::image::format::{self, CODE_COROUTINE, CODE_GENERATOR, CODE_VARARGS};
use frost_runtime::image::format::{CODE_CLASS_BODY, CODE_VARKEYWORDS};
use frost_runtime::image::{Args, Instr, Opcode};

/// One compiled code object, with every operand that names something spelled out.
#[derive(Debug)]
struct Code {
    name: String,
    n_params: u16,
    n_kwonly: u16,
    flags: u32,
    locals: Vec<String>,
    cells: Vec<String>,
    free: Vec<String>,
    ops: Vec<String>,
}

impl Code {
    fn has(&self, op: &str) -> bool {
        self.ops.iter().any(|o| o == op)
    }

    fn count(&self, prefix: &str) -> usize {
        self.ops.iter().filter(|o| o.starts_with(prefix)).count()
    }
}

fn compile_codes(source: &str) -> Vec<Code> {
    let compiled = compile(source, &Options::default()).unwrap_or_else(|e| panic!("{e:?}"));
    let (_, module) = format::read(&compiled.image).unwrap();
    let name = |i: u32| module.names[i as usize].to_string();
    module
        .code
        .iter()
        .map(|c| {
            let deref = |i: u32| {
                let i = i as usize;
                let n = if i < c.cellvars.len() {
                    c.cellvars[i]
                } else {
                    c.freevars[i - c.cellvars.len()]
                };
                name(n)
            };
            let mut ops = Vec::new();
            let mut pc = 0;
            while pc < c.bytecode.len() {
                let (instr, next) = Instr::decode(c.bytecode, pc).unwrap();
                use Opcode::*;
                let op = instr.op.name();
                ops.push(match (instr.op, instr.args) {
                    (
                        LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL
                        | DELETE_GLOBAL | LOAD_ATTR | LOAD_METHOD,
                        Args::One(i),
                    ) => format!("{op} {}", name(i)),
                    (LOAD_FAST | STORE_FAST | DELETE_FAST, Args::One(i)) => {
                        format!("{op} {}", name(c.local_names[i as usize]))
                    }
                    (
                        LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF,
                        Args::One(i),
                    ) => format!("{op} {}", deref(i)),
                    (MAKE_FUNCTION, Args::Two(_, flags)) => format!("{op} {flags}"),
                    (
                        CALL | CALL_METHOD | BUILD_TUPLE | BUILD_LIST | BUILD_MAP | BUILD_SET
                        | LIST_APPEND | SET_ADD | MAP_ADD | LIST_EXTEND | DICT_MERGE | CALL_EX,
                        Args::One(n),
                    ) => format!("{op} {n}"),
                    _ => op.to_string(),
                });
                pc = next;
            }
            Code {
                name: name(c.name),
                n_params: c.n_params,
                n_kwonly: c.n_kwonly,
                flags: c.flags,
                locals: c.local_names.iter().map(|&i| name(i)).collect(),
                cells: c.cellvars.iter().map(|&i| name(i)).collect(),
                free: c.freevars.iter().map(|&i| name(i)).collect(),
                ops,
            }
        })
        .collect()
}

fn code<'a>(codes: &'a [Code], name: &str) -> &'a Code {
    codes
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no code object {name} in {codes:#?}"))
}

#[test]
fn a_variable_read_by_a_nested_function_lives_in_a_cell() {
    let codes = compile_codes(
        "def outer():\n    x = 1\n    y = 2\n    def inner():\n        return x\n    return inner, y\n",
    );
    let outer = code(&codes, "outer");
    assert_eq!(outer.cells, ["x"]);
    assert_eq!(outer.locals, ["y", "inner"]);
    assert!(outer.has("STORE_DEREF x") && outer.has("LOAD_CLOSURE x"));
    assert!(outer.has("MAKE_FUNCTION 4"), "{:?}", outer.ops);
    let inner = code(&codes, "inner");
    assert_eq!(inner.free, ["x"]);
    assert!(inner.has("LOAD_DEREF x"));
    assert!(inner.locals.is_empty());
}

#[test]
fn a_free_variable_passes_through_the_scopes_between() {
    let codes = compile_codes(
        "def a():\n    v = 1\n    def b():\n        def c():\n            return v\n        return c\n    return b\n",
    );
    assert_eq!(code(&codes, "a").cells, ["v"]);
    let b = code(&codes, "b");
    assert_eq!(b.free, ["v"]);
    assert!(
        b.has("LOAD_CLOSURE v"),
        "b must hand its free cell on: {:?}",
        b.ops
    );
    assert_eq!(code(&codes, "c").free, ["v"]);
}

#[test]
fn a_parameter_that_is_a_cell_keeps_its_slot_and_is_copied_in_at_entry() {
    let codes = compile_codes("def f(a, b):\n    def g():\n        return b\n    return g\n");
    let f = code(&codes, "f");
    assert_eq!(f.locals, ["a", "b", "g"]);
    assert_eq!(f.cells, ["b"]);
    assert_eq!(f.ops[..2], ["LOAD_FAST b", "STORE_DEREF b"]);
}

#[test]
fn nonlocal_stores_into_the_enclosing_cell() {
    let codes = compile_codes(
        "def f():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n        del n\n    return inc\n",
    );
    let inc = code(&codes, "inc");
    assert_eq!(inc.free, ["n"]);
    assert!(inc.has("LOAD_DEREF n") && inc.has("STORE_DEREF n") && inc.has("DELETE_DEREF n"));
    assert!(inc.locals.is_empty());
}

#[test]
fn global_declarations_reach_nested_functions_as_globals() {
    let codes = compile_codes(
        "def f():\n    global g\n    g = 1\n    def h():\n        return g\n    return h\n",
    );
    assert!(code(&codes, "f").cells.is_empty());
    assert!(code(&codes, "h").has("LOAD_GLOBAL g"));
}

#[test]
fn methods_do_not_see_class_attributes_by_bare_name() {
    let codes = compile_codes("class C:\n    size = 1\n    def m(self):\n        return size\n");
    let c = code(&codes, "C");
    assert_eq!(c.flags & CODE_CLASS_BODY, CODE_CLASS_BODY);
    assert!(c.has("STORE_NAME size"));
    assert!(code(&codes, "m").has("LOAD_GLOBAL size"));
}

#[test]
fn a_class_body_reads_an_enclosing_function_variable_with_load_classderef() {
    let codes = compile_codes(
        "def f(x):\n    class C:\n        y = x\n        def m(self):\n            return x\n    return C\n",
    );
    let f = code(&codes, "f");
    assert_eq!(f.cells, ["x"]);
    let c = code(&codes, "C");
    assert_eq!(c.free, ["x"]);
    assert!(c.has("LOAD_CLASSDEREF x"), "{:?}", c.ops);
    assert!(
        c.has("LOAD_CLOSURE x"),
        "the method's closure comes through the class"
    );
    assert!(code(&codes, "m").has("LOAD_DEREF x"));
}

#[test]
fn a_class_body_sets_module_and_qualname_first() {
    let codes = compile_codes("def f():\n    class Inner:\n        pass\n    return Inner\n");
    let inner = code(&codes, "Inner");
    assert_eq!(
        inner.ops[..5],
        [
            "LOAD_NAME __name__",
            "STORE_NAME __module__",
            "LOAD_CONST",
            "STORE_NAME __qualname__",
            "LOAD_NONE"
        ]
    );
    let f = code(&codes, "f");
    assert!(f.has("LOAD_BUILD_CLASS") && f.has("CALL 2"), "{:?}", f.ops);
}

#[test]
fn a_class_binding_a_name_its_method_takes_from_the_function_keeps_both() {
    // CPython's DEF_FREE_CLASS: the class namespace has its own `x`; the method's `x` is
    // the function's cell, handed on through the class's free variables.
    let codes = compile_codes(
        "def f():\n    x = 1\n    class C:\n        x = 2\n        def m(self):\n            return x\n    return C\n",
    );
    let c = code(&codes, "C");
    assert!(c.has("STORE_NAME x"));
    assert_eq!(c.free, ["x"]);
    assert!(c.has("LOAD_CLOSURE x"));
}

#[test]
fn comprehensions_have_their_own_scope_and_take_the_outermost_iterable() {
    let codes =
        compile_codes("def f(rows, k):\n    return [r * k for r in rows if r for c in range(r)]\n");
    let f = code(&codes, "f");
    assert!(f.has("LOAD_FAST rows") && f.has("CALL 1"));
    assert_eq!(f.cells, ["k"]);
    let comp = code(&codes, "<listcomp>");
    assert_eq!(comp.n_params, 1);
    assert_eq!(comp.locals, [".0", "r", "c"]);
    assert_eq!(comp.free, ["k"]);
    assert!(comp.has("BUILD_LIST 0") && comp.has("GET_RANGE"));
    assert!(
        comp.has("LIST_APPEND 6"),
        "list below two iterators: {:?}",
        comp.ops
    );
}

#[test]
fn set_and_dict_comprehensions_add_with_the_right_depth_and_generator_expressions_yield() {
    let codes = compile_codes("s = {x for x in y}\nd = {k: v for k, v in z}\ng = (x for x in y)\n");
    assert!(code(&codes, "<setcomp>").has("SET_ADD 3"));
    assert!(code(&codes, "<dictcomp>").has("MAP_ADD 3"));
    let g = code(&codes, "<genexpr>");
    assert_eq!(g.flags & CODE_GENERATOR, CODE_GENERATOR);
    assert!(g.has("YIELD_VALUE"));
}

#[test]
fn a_walrus_in_a_comprehension_binds_in_the_enclosing_function() {
    let codes = compile_codes("def f(xs):\n    ys = [last := x for x in xs]\n    return last\n");
    let f = code(&codes, "f");
    assert_eq!(f.cells, ["last"]);
    assert!(f.has("LOAD_DEREF last"));
    let comp = code(&codes, "<listcomp>");
    assert_eq!(comp.free, ["last"]);
    assert!(comp.has("STORE_DEREF last"));
    let module = compile_codes("ys = [last := x for x in xs]\n");
    assert!(code(&module, "<listcomp>").has("STORE_GLOBAL last"));
}

#[test]
fn every_parameter_kind_takes_its_slot_and_flag() {
    let codes = compile_codes("def f(a, b=1, *args, c, d=2, **kw):\n    e = a\n");
    let f = code(&codes, "f");
    assert_eq!(f.locals, ["a", "b", "c", "d", "args", "kw", "e"]);
    assert_eq!((f.n_params, f.n_kwonly), (2, 2));
    assert_eq!(
        f.flags & (CODE_VARARGS | CODE_VARKEYWORDS),
        CODE_VARARGS | CODE_VARKEYWORDS
    );
    let module = code(&codes, "<module>");
    // Constant positional defaults are one constant tuple; kw-only defaults a dict.
    assert!(!module.has("BUILD_TUPLE 1"), "{:?}", module.ops);
    assert!(module.has("BUILD_MAP 1") && module.has("MAKE_FUNCTION 3"));
}

#[test]
fn defaults_that_are_not_constant_are_built_at_definition_time() {
    let codes = compile_codes("def f(a=x, b=2):\n    pass\n");
    let module = code(&codes, "<module>");
    assert!(module.has("LOAD_NAME x") && module.has("BUILD_TUPLE 2"));
}

#[test]
fn generators_and_coroutines_are_flagged() {
    let codes = compile_codes(
        "def g():\n    yield 1\n    x = yield from h()\n    return x\nasync def c():\n    return await g()\n",
    );
    let g = code(&codes, "g");
    assert_eq!(g.flags & CODE_GENERATOR, CODE_GENERATOR);
    assert!(g.has("YIELD_VALUE") && g.has("GET_YIELD_FROM_ITER") && g.has("YIELD_FROM"));
    let c = code(&codes, "c");
    assert_eq!(c.flags & (CODE_COROUTINE | CODE_GENERATOR), CODE_COROUTINE);
    assert!(c.has("GET_AWAITABLE"));
}

#[test]
fn decorators_are_evaluated_first_and_applied_bottom_up() {
    let codes = compile_codes("@a\n@b(1)\ndef f():\n    pass\n");
    let ops = &code(&codes, "<module>").ops;
    let at = |op: &str| ops.iter().position(|o| o == op).unwrap();
    assert!(at("LOAD_NAME a") < at("LOAD_NAME b"));
    assert!(at("LOAD_NAME b") < at("MAKE_FUNCTION 0"));
    assert_eq!(code(&codes, "<module>").count("CALL 1"), 3);
    let native = compile_codes("import micropython\n@micropython.native\ndef f():\n    pass\n");
    assert!(!code(&native, "<module>").has("LOAD_ATTR native"));
}

#[test]
fn lambdas_are_functions_named_lambda() {
    let codes = compile_codes("def f(n):\n    return lambda x, *r: x + n\n");
    let l = code(&codes, "<lambda>");
    assert_eq!(l.locals, ["x", "r"]);
    assert_eq!(l.free, ["n"]);
    assert_eq!(l.flags & CODE_VARARGS, CODE_VARARGS);
}

#[test]
fn plain_calls_stay_allocation_free_and_unpacking_calls_use_call_ex() {
    let plain = compile_codes("f(1, 2, k=3)\no.m(1, k=2)\n");
    let module = code(&plain, "<module>");
    assert!(!module.has("CALL_EX 0") && !module.has("CALL_EX 1"));
    assert!(
        !module.ops.iter().any(|o| o.starts_with("BUILD_")),
        "{:?}",
        module.ops
    );
    let star = compile_codes("f(1, *a, 2, *b, k=3, **d, m=4)\n");
    let ops = &code(&star, "<module>").ops;
    let expected = [
        "LOAD_NAME f",
        "LOAD_SMALL_INT",
        "BUILD_LIST 1",
        "LOAD_NAME a",
        "LIST_EXTEND 1",
        "LOAD_SMALL_INT",
        "LIST_APPEND 1",
        "LOAD_NAME b",
        "LIST_EXTEND 1",
        "LIST_TO_TUPLE",
        "LOAD_CONST",
        "LOAD_SMALL_INT",
        "BUILD_MAP 1",
        "LOAD_NAME d",
        "DICT_MERGE 1",
        "LOAD_CONST",
        "LOAD_SMALL_INT",
        "BUILD_MAP 1",
        "DICT_MERGE 1",
        "CALL_EX 1",
    ];
    assert_eq!(ops[..expected.len()], expected);
    let kw_only = compile_codes("f(**d)\n");
    let ops = &code(&kw_only, "<module>").ops;
    assert_eq!(
        ops[1..5],
        [
            "BUILD_TUPLE 0",
            "BUILD_MAP 0",
            "LOAD_NAME d",
            "DICT_MERGE 1"
        ]
    );
}
