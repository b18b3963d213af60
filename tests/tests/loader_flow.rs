//! Verifier tests of control flow: jump targets, exception entries and handler depths, falling
//! off the end, stack depths over all paths. In: hand-built images broken in exactly one way.
//! Out: the exact `LoadError` each one gets.

use Opcode::*;
use frost_runtime::image::format::{Const, ExcEntry};
use frost_runtime::image::{CODE_MODULE, LoadError, Opcode};
use frost_tests::images::{
    Asm, asm, bytes, check, code, hello, load_bytes, module_with, op, op1, op2, refused, rich,
};

#[test]
fn jump_targets_are_instructions() {
    let jump_to = |target| {
        let mut m = hello();
        let mut b = vec![0x50];
        b.extend_from_slice(&u16::to_le_bytes(target));
        b.extend_from_slice(&[0x12, 0x65]);
        m.code[0] = code(0, CODE_MODULE, 1, frost_tests::images::leak(b));
        m
    };
    check(&jump_to(3), Ok(()));
    for target in [1, 2, 5, 999] {
        let bad = LoadError::BadJump {
            code: 0,
            offset: 0,
            target: u32::from(target),
        };
        refused(&jump_to(target), bad);
    }
}

#[test]
fn exception_entries_are_checked() {
    let with_entry = |start, end, handler, depth| {
        let mut m = rich();
        m.code[1].exc_table[0] = ExcEntry {
            start,
            end,
            handler,
            depth,
        };
        m
    };
    // rich's f: 35 bytes, try body 0..8, handler at 11 (12 starts LOAD_GLOBAL, 13 is inside it).
    check(&with_entry(0, 8, 11, 0), Ok(()));
    let bad_entry = Err(LoadError::BadExcEntry { code: 1, entry: 0 });
    check(&with_entry(4, 4, 11, 0), bad_entry.clone());
    check(&with_entry(0, 36, 11, 0), bad_entry.clone());
    check(&with_entry(1, 8, 11, 0), bad_entry.clone());
    check(&with_entry(0, 7, 11, 0), bad_entry);
    let bad_handler = LoadError::BadJump {
        code: 1,
        offset: 0,
        target: 13,
    };
    check(&with_entry(0, 8, 13, 0), Err(bad_handler));
    let declared = LoadError::StackOverflow {
        code: 1,
        offset: 11,
        declared: 3,
    };
    check(&with_entry(0, 8, 11, 3), Err(declared));
    // Depth 1 is more than the try body's first instruction has (0): the handler would lack it.
    let depth = LoadError::HandlerDepth {
        code: 1,
        offset: 0,
        depth: 1,
        available: 0,
    };
    check(&with_entry(0, 8, 11, 1), Err(depth));
}

#[test]
fn code_cannot_fall_off_its_end() {
    let m = module_with(&[op(LOAD_NONE), op(POP_TOP)], 1);
    refused(&m, LoadError::FallsOffEnd { code: 0 });
    let m = module_with(&[], 1);
    refused(&m, LoadError::FallsOffEnd { code: 0 });
    let branch = module_with(
        &[
            op(LOAD_TRUE),
            Asm::Jump(POP_JUMP_IF_FALSE, "out"),
            op(LOAD_NONE),
            op(RETURN_VALUE),
            Asm::Label("out"),
            op(LOAD_NONE),
        ],
        1,
    );
    refused(&branch, LoadError::FallsOffEnd { code: 0 });
}

#[test]
fn stack_depths_are_checked() {
    let mut m = hello();
    m.code[0].stack_size = 1;
    let over = LoadError::StackOverflow {
        code: 0,
        offset: 2,
        declared: 1,
    };
    refused(&m, over);
    let m = module_with(&[op(POP_TOP), op(LOAD_NONE), op(RETURN_VALUE)], 1);
    refused(&m, LoadError::StackUnderflow { code: 0, offset: 0 });
    let m = module_with(
        &[op(LOAD_NONE), op(LOAD_NONE), op(POP_TOP), op(RETURN_VALUE)],
        1,
    );
    let over = LoadError::StackOverflow {
        code: 0,
        offset: 1,
        declared: 1,
    };
    refused(&m, over);
    let mismatch = module_with(
        &[
            op(LOAD_TRUE),
            Asm::Jump(POP_JUMP_IF_FALSE, "join"),
            op(LOAD_NONE),
            Asm::Label("join"),
            op(LOAD_NONE),
            op(RETURN_VALUE),
        ],
        2,
    );
    refused(&mismatch, LoadError::StackMismatch { code: 0, offset: 5 });
    // The keyword values of CALL_KW count: one positional plus one keyword needs four slots.
    let mut m = rich();
    m.code[0] = code(
        0,
        CODE_MODULE,
        4,
        asm(&[
            op1(LOAD_NAME, 7),
            op(LOAD_NONE),
            op(LOAD_NONE),
            op2(CALL_KW, 2, 2),
            op(RETURN_VALUE),
        ])
        .bytes,
    );
    refused(&m, LoadError::StackUnderflow { code: 0, offset: 4 });
}

/// rich's function: `prefix` builds the stack the entry keeps, then `body` is protected by an
/// entry of `entry_depth` whose handler re-raises.
fn protected(prefix: &[Asm], body: &[Asm], entry_depth: u16) -> Result<(), LoadError> {
    let mut all = prefix.to_vec();
    all.push(Asm::Label("try"));
    all.extend_from_slice(body);
    all.extend([
        Asm::Label("end"),
        op(LOAD_NONE),
        op(RETURN_VALUE),
        Asm::Label("handler"),
        op(RERAISE),
    ]);
    let f = asm(&all);
    let mut m = rich();
    let code = &mut m.code[1];
    code.bytecode = f.bytes;
    code.stack_size = 4;
    code.line_table = &[];
    code.exc_table = vec![ExcEntry {
        start: f.at("try"),
        end: f.at("end"),
        handler: f.at("handler"),
        depth: entry_depth,
    }];
    load_bytes(&bytes(&m)).map(|_| ())
}

#[test]
fn raising_instructions_may_have_popped_their_operands() {
    let three = [op1(LOAD_FAST, 0), op1(LOAD_FAST, 0), op1(LOAD_FAST, 1)];
    // BINARY_OP at depth 3 may raise after popping both operands: one value is sure to be there.
    let add = [op1(BINARY_OP, 0)];
    assert_eq!(protected(&three, &add, 1), Ok(()));
    let expected = LoadError::HandlerDepth {
        code: 1,
        offset: 6,
        depth: 2,
        available: 1,
    };
    assert_eq!(protected(&three, &add, 2), Err(expected));
    // STORE_FAST cannot raise, so its operand still counts; UNARY_OP can, so its does not.
    let two = &three[..2];
    assert_eq!(protected(two, &[op1(STORE_FAST, 2)], 2), Ok(()));
    let expected = LoadError::HandlerDepth {
        code: 1,
        offset: 4,
        depth: 2,
        available: 1,
    };
    assert_eq!(protected(two, &[op1(UNARY_OP, 1)], 2), Err(expected));
}

#[test]
fn only_the_first_covering_entry_is_a_handler() {
    // The VM takes the first entry covering the raising instruction; a later entry over the same
    // range is never used from there, so its depth is not held against the instruction.
    let mut m = rich();
    let first = m.code[1].exc_table[0];
    m.code[1].exc_table.push(ExcEntry { depth: 2, ..first });
    check(&m, Ok(()));
    m.code[1].exc_table.swap(0, 1);
    let expected = LoadError::HandlerDepth {
        code: 1,
        offset: 0,
        depth: 2,
        available: 0,
    };
    refused(&m, expected);
}

#[test]
fn handlers_are_reached_with_one_depth() {
    // rich's f: STORE_FAST at 6 runs at depth 1. Two entries with depths 0 and 1 share the
    // handler at 11, which would then start at depth 1 or 2.
    let mut m = rich();
    let first = m.code[1].exc_table[0];
    m.code[1].exc_table[0].end = 6;
    m.code[1].exc_table.push(ExcEntry {
        start: 6,
        depth: 1,
        ..first
    });
    refused(
        &m,
        LoadError::StackMismatch {
            code: 1,
            offset: 11,
        },
    );
}

/// Shapes that would make a careless verifier quadratic: many calls naming one long keyword
/// tuple, and thousands of exception entries over the whole code. Both must be judged in a
/// blink (a regression shows as a test taking minutes).
#[test]
fn hostile_shapes_are_judged_in_linear_time() {
    let mut m = hello();
    m.consts.push(Const::Tuple(vec![0; 60_000]));
    let calls: Vec<Asm> = (0..20_000).map(|_| op2(CALL_KW, 0, 1)).collect();
    m.code[0] = code(0, CODE_MODULE, 4, asm(&calls).bytes);
    refused(&m, LoadError::StackUnderflow { code: 0, offset: 0 });

    let mut body: Vec<Asm> = Vec::new();
    for _ in 0..30_000 {
        body.extend([op(LOAD_NONE), op(POP_TOP)]);
    }
    body.extend([
        op(LOAD_NONE),
        op(RETURN_VALUE),
        Asm::Label("handler"),
        op(RERAISE),
    ]);
    let f = asm(&body);
    let mut m = hello();
    m.code[0] = code(0, CODE_MODULE, 1, f.bytes);
    let whole = ExcEntry {
        start: 0,
        end: f.at("handler"),
        handler: f.at("handler"),
        depth: 0,
    };
    m.code[0].exc_table = vec![whole; 5_000];
    check(&m, Ok(()));
}
