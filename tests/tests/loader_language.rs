//! Verifier tests for the complete language's image parts: code flags, keyword-only and
//! variadic parameters, cell and free variable tables, and the opcodes of image version 2.
//! In: images built by hand (`frost_tests::images`), valid or broken in exactly one way. Out:
//! the exact `LoadError` each one gets, or `Ok` for the valid ones.

use Opcode::*;
use frost_runtime::image::format::Const;
use frost_runtime::image::{
    CODE_CLASS_BODY, CODE_COROUTINE, CODE_GENERATOR, CODE_MODULE, CODE_VARARGS, CODE_VARKEYWORDS,
    LoadError, Opcode,
};
use frost_tests::images::{Asm, asm, check, code, function_with, module_with, op, op1, op2, rich};

fn header(code: u32, what: &'static str) -> Result<(), LoadError> {
    Err(LoadError::BadCodeHeader { code, what })
}

fn value(code: u32, offset: u32) -> Result<(), LoadError> {
    Err(LoadError::BadOperandValue { code, offset })
}

fn misplaced(code: u32, offset: u32, op: Opcode, needs: &'static str) -> Result<(), LoadError> {
    Err(LoadError::MisplacedOpcode {
        code,
        offset,
        op: op.name(),
        needs,
    })
}

/// `rich()` with its function's body replaced and its flags set.
fn function_flagged(
    items: &[Asm],
    stack_size: u16,
    flags: u32,
) -> frost_runtime::image::format::ModuleImage<'static> {
    let mut m = function_with(items, stack_size);
    m.code[1].flags = flags;
    m
}

/// `m` with its function (code 1) given free variables, and the module body making it with a
/// closure tuple, as the verifier requires.
fn with_freevars(
    mut m: frost_runtime::image::format::ModuleImage<'static>,
    freevars: Vec<u32>,
) -> frost_runtime::image::format::ModuleImage<'static> {
    let body = [op(LOAD_NONE), op2(MAKE_FUNCTION, 1, 4), op(RETURN_VALUE)];
    m.code[0] = code(0, CODE_MODULE, 1, asm(&body).bytes);
    m.code[1].freevars = freevars;
    m
}

#[test]
fn module_bodies_have_no_function_flags() {
    for flag in [
        CODE_VARARGS,
        CODE_VARKEYWORDS,
        CODE_GENERATOR,
        CODE_COROUTINE,
        CODE_CLASS_BODY,
    ] {
        let mut m = rich();
        m.code[0].flags |= flag;
        check(&m, header(0, "a module body has function flags"));
    }
    let mut m = rich();
    m.code[0].flags |= 1 << 6;
    check(&m, header(0, "unknown code flags"));
    let mut m = rich();
    m.code[0].n_kwonly = 1;
    check(&m, header(0, "a module body takes no parameters"));
    let mut m = rich();
    m.code[0].cellvars = vec![1];
    check(
        &m,
        header(0, "a module body has no cells or free variables"),
    );
    let mut m = rich();
    m.code[0].freevars = vec![1];
    check(
        &m,
        header(0, "a module body has no cells or free variables"),
    );
}

#[test]
fn class_bodies_take_no_parameters() {
    let body = [op(LOAD_NONE), op(RETURN_VALUE)];
    let mut m = function_flagged(&body, 1, CODE_CLASS_BODY);
    check(&m, header(1, "a class body takes no parameters"));
    m.code[1].n_params = 0;
    check(&m, Ok(()));
    m.code[1].n_kwonly = 1;
    check(&m, header(1, "a class body takes no parameters"));
    m.code[1].n_kwonly = 0;
    for flag in [
        CODE_VARARGS,
        CODE_VARKEYWORDS,
        CODE_GENERATOR,
        CODE_COROUTINE,
    ] {
        m.code[1].flags = CODE_CLASS_BODY | flag;
        check(&m, header(1, "a class body has function flags"));
    }
}

#[test]
fn parameters_fit_in_the_locals() {
    // rich's function: two positional parameters, three locals.
    let mut m = rich();
    m.code[1].n_kwonly = 1;
    check(&m, Ok(()));
    m.code[1].flags = CODE_VARARGS;
    check(&m, header(1, "fewer locals than parameters"));
    m.code[1].n_kwonly = 0;
    check(&m, Ok(()));
    m.code[1].flags = CODE_VARARGS | CODE_VARKEYWORDS;
    check(&m, header(1, "fewer locals than parameters"));
    m.code[1].flags = CODE_VARKEYWORDS;
    check(&m, Ok(()));
}

#[test]
fn cell_and_free_names_are_checked() {
    let bad = |what, index| {
        Err(LoadError::BadIndex {
            code: 1,
            what,
            index,
            len: 9,
        })
    };
    let mut m = rich();
    m.code[1].cellvars = vec![2, 9];
    check(&m, bad("cell name", 9));
    let m = with_freevars(rich(), vec![3, 40]);
    check(&m, bad("free variable name", 40));
}

#[test]
fn deref_operands_index_cells_then_free_variables() {
    let bad = |offset, index| {
        Err(LoadError::BadOperand {
            code: 1,
            offset,
            what: "deref",
            index,
            len: 2,
        })
    };
    let body = |o, slot| {
        let mut m = function_with(
            &[
                op(LOAD_NONE),
                op1(STORE_DEREF, 0),
                op1(o, slot),
                op(LOAD_NONE),
                op(RETURN_VALUE),
            ],
            2,
        );
        m.code[1].cellvars = vec![2];
        with_freevars(m, vec![4])
    };
    for o in [LOAD_DEREF, LOAD_CLOSURE] {
        check(&body(o, 1), Ok(()));
        check(&body(o, 2), bad(3, 2));
    }
    check(&body(DELETE_DEREF, 1), Ok(()));
    check(&body(DELETE_DEREF, 2), bad(3, 2));
    let mut m = body(LOAD_DEREF, 0);
    m.code[1].cellvars.clear();
    let mut m = with_freevars(m, vec![]);
    m.code[0] = rich().code[0].clone();
    check(
        &m,
        Err(LoadError::BadOperand {
            code: 1,
            offset: 1,
            what: "deref",
            index: 0,
            len: 0,
        }),
    );
}

#[test]
fn yields_need_generator_or_coroutine_code() {
    let yield_value = [op(LOAD_NONE), op(YIELD_VALUE), op(RETURN_VALUE)];
    let yield_from = [
        op(LOAD_NONE),
        op(LOAD_NONE),
        op(YIELD_FROM),
        op(RETURN_VALUE),
    ];
    for (body, at, o) in [
        (&yield_value[..], 1, YIELD_VALUE),
        (&yield_from[..], 2, YIELD_FROM),
    ] {
        check(&function_flagged(body, 2, CODE_GENERATOR), Ok(()));
        check(&function_flagged(body, 2, CODE_COROUTINE), Ok(()));
        let needs = "generator or coroutine code";
        check(&function_flagged(body, 2, 0), misplaced(1, at, o, needs));
        check(&module_with(body, 2), misplaced(0, at, o, needs));
    }
}

#[test]
fn awaits_need_code_that_suspends() {
    let cases: [(&[Asm], u32, Opcode); 5] = [
        (
            &[
                op(LOAD_NONE),
                op(GET_AWAITABLE),
                op(LOAD_NONE),
                op(YIELD_FROM),
                op(RETURN_VALUE),
            ],
            1,
            GET_AWAITABLE,
        ),
        (
            &[op(LOAD_NONE), op(GET_AITER), op(RETURN_VALUE)],
            1,
            GET_AITER,
        ),
        (
            &[op(LOAD_NONE), op(GET_ANEXT), op(POP_TOP), op(RETURN_VALUE)],
            1,
            GET_ANEXT,
        ),
        (
            &[
                op(LOAD_NONE),
                op(LOAD_NONE),
                op(END_ASYNC_FOR),
                op(LOAD_NONE),
                op(RETURN_VALUE),
            ],
            2,
            END_ASYNC_FOR,
        ),
        (
            &[
                op(LOAD_NONE),
                op(BEFORE_ASYNC_WITH),
                op(POP_TOP),
                op(RETURN_VALUE),
            ],
            1,
            BEFORE_ASYNC_WITH,
        ),
    ];
    for (body, at, o) in cases {
        check(&function_flagged(body, 3, CODE_COROUTINE), Ok(()));
        check(&function_flagged(body, 3, CODE_GENERATOR), Ok(()));
        check(
            &function_flagged(body, 3, 0),
            misplaced(1, at, o, "coroutine code"),
        );
        check(&module_with(body, 3), misplaced(0, at, o, "coroutine code"));
    }
}

#[test]
fn class_derefs_need_a_class_body() {
    let body = [op1(LOAD_CLASSDEREF, 0), op(RETURN_VALUE)];
    let mut m = with_freevars(function_flagged(&body, 1, CODE_CLASS_BODY), vec![4]);
    m.code[1].n_params = 0;
    check(&m, Ok(()));
    m.code[1].flags = 0;
    check(&m, misplaced(1, 0, LOAD_CLASSDEREF, "a class body"));
}

#[test]
fn import_star_needs_a_namespace() {
    let body = [
        op(LOAD_NONE),
        op2(IMPORT_NAME, 8, 0),
        op(IMPORT_STAR),
        op(LOAD_NONE),
        op(RETURN_VALUE),
    ];
    let mut m = rich();
    m.code[0] = code(0, CODE_MODULE, 1, asm(&body).bytes);
    check(&m, Ok(()));
    let mut m = function_flagged(&body, 1, CODE_CLASS_BODY);
    m.code[1].n_params = 0;
    check(&m, Ok(()));
    let needs = "module or class-body code";
    check(
        &function_flagged(&body, 1, 0),
        misplaced(1, 4, IMPORT_STAR, needs),
    );
    check(
        &function_flagged(&body, 1, CODE_GENERATOR),
        misplaced(1, 4, IMPORT_STAR, needs),
    );
}

#[test]
fn make_function_flags_match_the_target() {
    // Code 1 is rich's function; the pushed values are the defaults, kw-defaults and closure.
    let make = |flags: u32, freevars: Vec<u32>| {
        let mut m = rich();
        let mut items: Vec<Asm> = (0..flags.count_ones()).map(|_| op(LOAD_NONE)).collect();
        items.extend([op2(MAKE_FUNCTION, 1, flags), op(RETURN_VALUE)]);
        m.code[0] = code(0, CODE_MODULE, 3, asm(&items).bytes);
        m.code[1].freevars = freevars;
        m
    };
    check(&make(0, vec![]), Ok(()));
    check(&make(3, vec![]), Ok(()));
    check(&make(4, vec![2]), Ok(()));
    check(&make(7, vec![2, 3]), Ok(()));
    check(&make(8, vec![]), value(0, 1));
    check(&make(4, vec![]), value(0, 1));
    check(&make(1, vec![2]), value(0, 1));
    check(&make(3, vec![2]), value(0, 2));
}

#[test]
fn copy_and_swap_stay_within_the_stack() {
    let two = |o, n| {
        module_with(
            &[op(LOAD_NONE), op(LOAD_NONE), op1(o, n), op(RETURN_VALUE)],
            3,
        )
    };
    check(&two(COPY, 0), value(0, 2));
    check(&two(COPY, 1), Ok(()));
    check(&two(COPY, 2), Ok(()));
    check(
        &two(COPY, 3),
        Err(LoadError::StackUnderflow { code: 0, offset: 2 }),
    );
    check(&two(SWAP, 1), value(0, 2));
    check(&two(SWAP, 2), Ok(()));
    check(
        &two(SWAP, 3),
        Err(LoadError::StackUnderflow { code: 0, offset: 2 }),
    );
    // COPY pushes one more value than it takes: the declared maximum must allow it.
    let mut m = two(COPY, 1);
    m.code[0].stack_size = 2;
    check(
        &m,
        Err(LoadError::StackOverflow {
            code: 0,
            offset: 2,
            declared: 2,
        }),
    );
}

#[test]
fn collection_builders_reach_a_container() {
    for o in [
        LIST_APPEND,
        SET_ADD,
        LIST_EXTEND,
        SET_UPDATE,
        DICT_UPDATE,
        DICT_MERGE,
    ] {
        let m = |i| {
            module_with(
                &[op(LOAD_NONE), op(LOAD_NONE), op1(o, i), op(RETURN_VALUE)],
                2,
            )
        };
        check(&m(0), value(0, 2));
        check(&m(1), Ok(()));
        check(&m(2), Err(LoadError::StackUnderflow { code: 0, offset: 2 }));
    }
    let map_add = |i| {
        module_with(
            &[
                op(LOAD_NONE),
                op(LOAD_NONE),
                op(LOAD_NONE),
                op1(MAP_ADD, i),
                op(RETURN_VALUE),
            ],
            3,
        )
    };
    check(&map_add(0), value(0, 3));
    check(&map_add(1), Ok(()));
}

#[test]
fn counted_operands_are_checked() {
    let one = |o, a, stack| {
        module_with(
            &[
                op(LOAD_NONE),
                op1(o, a),
                op(POP_TOP),
                op(LOAD_NONE),
                op(RETURN_VALUE),
            ],
            stack,
        )
    };
    // UNPACK_EX: one after, one before: three values out of one.
    check(&one(UNPACK_EX, 0x0101, 3), Ok(()));
    check(&one(UNPACK_EX, 0x1_0000, 3), value(0, 1));
    check(&one(LIST_TO_TUPLE, 0, 1), Ok(()));
    check(&one(GET_YIELD_FROM_ITER, 0, 1), Ok(()));
    check(&one(BUILD_SET, 1, 1), Ok(()));
    check(&one(BUILD_SET, 2, 1), value(0, 1));
    check(&one(BUILD_STRING, 1, 1), Ok(()));
    check(&one(BUILD_STRING, 5, 1), value(0, 1));
    let slice = |argc| {
        let mut items = vec![op(LOAD_NONE); 3];
        items.extend([op1(BUILD_SLICE, argc), op(RETURN_VALUE)]);
        module_with(&items, 3)
    };
    check(&slice(1), value(0, 3));
    check(&slice(4), value(0, 3));
    check(&slice(2), Ok(()));
    check(&slice(3), Ok(()));
    let format = |flags, values| {
        let mut items = vec![op(LOAD_NONE); values];
        items.extend([op1(FORMAT_VALUE, flags), op(RETURN_VALUE)]);
        module_with(&items, 2)
    };
    check(&format(3, 1), Ok(()));
    check(&format(7, 2), Ok(()));
    check(
        &format(4, 1),
        Err(LoadError::StackUnderflow { code: 0, offset: 1 }),
    );
    check(&format(8, 2), value(0, 2));
    let call_ex = |flags, values| {
        let mut items = vec![op(LOAD_NONE); values];
        items.extend([op1(CALL_EX, flags), op(RETURN_VALUE)]);
        module_with(&items, 3)
    };
    check(&call_ex(0, 2), Ok(()));
    check(&call_ex(1, 3), Ok(()));
    check(&call_ex(2, 3), value(0, 3));
}

#[test]
fn with_opcodes_verify() {
    // with mgr: pass — the normal exit calls exit(None, None, None).
    let body = [
        op(LOAD_NONE),
        op(BEFORE_WITH),
        op(POP_TOP),
        op(LOAD_NONE),
        op(LOAD_NONE),
        op(LOAD_NONE),
        op1(CALL, 3),
        op(POP_TOP),
        op(LOAD_BUILD_CLASS),
        op(POP_TOP),
        op(LOAD_NONE),
        op(LOAD_NONE),
        op(LOAD_NONE),
        op(WITH_EXCEPT_START),
        op1(BUILD_TUPLE, 4),
        op(RETURN_VALUE),
    ];
    check(&module_with(&body, 4), Ok(()));
}

#[test]
fn complex_constants_load() {
    let mut m = rich();
    m.consts
        .push(Const::Complex(1.5f64.to_bits(), (-2.0f64).to_bits()));
    check(&m, Ok(()));
}

#[test]
fn anext_and_with_except_start_keep_their_operands_for_handlers() {
    use frost_runtime::image::ExcEntry;
    // A handler keeping one value covers an instruction that takes that value as operand.
    let guarded = |o: Opcode, flags: u32| {
        let body = asm(&[
            op(LOAD_NONE),
            Asm::Label("try"),
            op(o),
            op(POP_TOP),
            Asm::Label("end"),
            op(POP_TOP),
            op(LOAD_NONE),
            op(RETURN_VALUE),
            Asm::Label("handler"),
            op(POP_TOP),
            op(POP_TOP),
            op(LOAD_NONE),
            op(RETURN_VALUE),
        ]);
        let mut m = function_flagged(&[], 3, flags);
        m.code[1].bytecode = body.bytes;
        m.code[1].exc_table = vec![ExcEntry {
            start: body.at("try"),
            end: body.at("end"),
            handler: body.at("handler"),
            depth: 1,
        }];
        m
    };
    check(&guarded(GET_ANEXT, CODE_COROUTINE), Ok(()));
    let popped = Err(LoadError::HandlerDepth {
        code: 1,
        offset: 1,
        depth: 1,
        available: 0,
    });
    check(&guarded(GET_AITER, CODE_COROUTINE), popped.clone());
    check(&guarded(GET_YIELD_FROM_ITER, 0), popped);
}
