//! Loader and verifier tests: container, tables, headers, operands, constants, line tables.
//! In: images built by hand (`frost_tests::images`), valid or broken in exactly one way. Out:
//! the exact `LoadError` each one gets, or `Ok` for the valid ones. Control flow and stack
//! depths are in `loader_flow.rs`.

use Opcode::*;
use frost_runtime::image::format::{self, Const};
use frost_runtime::image::{
    Args, BinaryOp, CODE_MODULE, IMAGE_VERSION, LoadError, MAX_CODE_LEN, Opcode,
};
use frost_tests::images::{
    Asm, LINES, asm, bytes, check, code, fix_crc, function_with, hello, lines, load_bytes,
    module_with, op, op1, op2, refused, rich,
};

#[test]
fn valid_images_load() {
    check(&hello(), Ok(()));
    check(&rich(), Ok(()));
    let loaded = load_bytes(&bytes(&rich())).expect("rich loads");
    assert_eq!(loaded.source_name(), "rich.py");
    assert_eq!(loaded.name(6), "ZeroDivisionError");
    assert_eq!(loaded.code.len(), 2);
}

#[test]
fn every_prefix_is_refused_without_panic() {
    for image in [bytes(&hello()), bytes(&rich())] {
        for len in 0..image.len() {
            let got = load_bytes(&image[..len]);
            assert!(
                matches!(
                    got,
                    Err(LoadError::Truncated | LoadError::BadCrc { .. } | LoadError::Malformed)
                ),
                "prefix {len}: {got:?}"
            );
            // With the CRC made right, the decoder itself must notice the missing bytes.
            let mut cut = image[..len].to_vec();
            fix_crc(&mut cut);
            let got = load_bytes(&cut);
            assert!(
                matches!(got, Err(LoadError::Truncated | LoadError::Malformed)),
                "prefix {len} with fixed CRC: {got:?}"
            );
        }
    }
}

#[test]
fn flipped_body_bytes_fail_the_crc() {
    let image = bytes(&rich());
    for at in format::HEADER_LEN..image.len() {
        let mut bad = image.clone();
        bad[at] ^= 0x10;
        match load_bytes(&bad) {
            Err(LoadError::BadCrc { stored, computed }) => assert_ne!(stored, computed),
            other => panic!("flip at {at}: {other:?}"),
        }
    }
    let mut bad = image.clone();
    bad[9] ^= 1;
    assert!(matches!(load_bytes(&bad), Err(LoadError::BadCrc { .. })));
}

#[test]
fn header_fields_are_checked() {
    let image = bytes(&hello());
    let mut bad = image.clone();
    bad[0] = b'G';
    assert_eq!(load_bytes(&bad).err(), Some(LoadError::BadMagic));
    assert_eq!(load_bytes(b"ELF\x7f").err(), Some(LoadError::BadMagic));
    assert_eq!(load_bytes(b"FRST").err(), Some(LoadError::Truncated));

    let mut newer = image.clone();
    newer[4..6].copy_from_slice(&(IMAGE_VERSION + 1).to_le_bytes());
    let expected = LoadError::NewerVersion {
        found: IMAGE_VERSION + 1,
        supported: IMAGE_VERSION,
    };
    assert_eq!(load_bytes(&newer).err(), Some(expected));
    let mut older = image.clone();
    older[4..6].copy_from_slice(&0u16.to_le_bytes());
    let expected = LoadError::OlderVersion {
        found: 0,
        supported: IMAGE_VERSION,
    };
    assert_eq!(load_bytes(&older).err(), Some(expected));

    let mut flags = image.clone();
    flags[7] |= 0x01;
    assert_eq!(
        load_bytes(&flags).err(),
        Some(LoadError::UnknownFlags(0x0110))
    );

    let mut trailing = image.clone();
    trailing.push(0);
    fix_crc(&mut trailing);
    assert_eq!(load_bytes(&trailing).err(), Some(LoadError::TrailingBytes));
}

#[test]
fn a_module_needs_code() {
    let mut m = hello();
    m.code.clear();
    refused(&m, LoadError::NoCode);
}

#[test]
fn operand_indices_are_checked() {
    let bad_operand = |offset, what, index, len| LoadError::BadOperand {
        code: 0,
        offset,
        what,
        index,
        len,
    };
    let m = module_with(&[op1(LOAD_CONST, 1), op(RETURN_VALUE)], 1);
    refused(&m, bad_operand(0, "const", 1, 1));
    let m = module_with(&[op1(LOAD_NAME, 2), op(RETURN_VALUE)], 1);
    refused(&m, bad_operand(0, "name", 2, 2));
    let m = module_with(
        &[op(LOAD_NONE), op2(IMPORT_NAME, 7, 0), op(RETURN_VALUE)],
        1,
    );
    refused(&m, bad_operand(1, "name", 7, 2));
    let m = module_with(&[op1(LOAD_FAST, 0), op(RETURN_VALUE)], 1);
    refused(&m, bad_operand(0, "local", 0, 0));
    let m = function_with(&[op1(LOAD_FAST, 3), op(RETURN_VALUE)], 1);
    refused(
        &m,
        LoadError::BadOperand {
            code: 1,
            offset: 0,
            what: "local",
            index: 3,
            len: 3,
        },
    );
}

#[test]
fn code_operands_are_checked() {
    let mut m = rich();
    let make = |code_idx, defaults| {
        asm(&[
            op1(LOAD_CONST, 0),
            op2(MAKE_FUNCTION, code_idx, defaults),
            op(RETURN_VALUE),
        ])
        .bytes
    };
    m.code[0] = code(0, CODE_MODULE, 1, make(2, 1));
    let at = LoadError::BadOperand {
        code: 0,
        offset: 2,
        what: "code",
        index: 2,
        len: 2,
    };
    refused(&m, at);
    m.code[0].bytecode = make(0, 1);
    refused(&m, LoadError::BadOperandValue { code: 0, offset: 2 });
    // A closure tuple for a function without free variables.
    m.code[0].bytecode = make(1, 4);
    refused(&m, LoadError::BadOperandValue { code: 0, offset: 2 });
    m.code[0].bytecode = make(1, 1);
    check(&m, Ok(()));
}

#[test]
fn keyword_names_must_be_a_tuple_of_strings() {
    let call = |names| {
        let mut m = rich();
        m.consts.push(Const::Tuple(vec![0]));
        m.code[0] = code(
            0,
            CODE_MODULE,
            3,
            asm(&[
                op1(LOAD_NAME, 7),
                op(LOAD_NONE),
                op(LOAD_NONE),
                op2(CALL_KW, 1, names),
                op(RETURN_VALUE),
            ])
            .bytes,
        );
        m
    };
    check(&call(2), Ok(()));
    let too_far = LoadError::BadOperand {
        code: 0,
        offset: 4,
        what: "keyword names",
        index: 99,
        len: 12,
    };
    refused(&call(99), too_far);
    // Const 1 is a str, not a tuple; const 11 is a tuple of an int.
    refused(&call(1), LoadError::BadOperandValue { code: 0, offset: 4 });
    refused(&call(11), LoadError::BadOperandValue { code: 0, offset: 4 });
}

#[test]
fn header_indices_are_checked() {
    let mut m = rich();
    m.code[1].name = 99;
    let expected = LoadError::BadIndex {
        code: 1,
        what: "code name",
        index: 99,
        len: 9,
    };
    refused(&m, expected);
    let mut m = rich();
    m.code[1].local_names[2] = 9;
    let expected = LoadError::BadIndex {
        code: 1,
        what: "local name",
        index: 9,
        len: 9,
    };
    refused(&m, expected);
}

#[test]
fn code_headers_are_checked() {
    let header = |code, what| LoadError::BadCodeHeader { code, what };
    let mut m = rich();
    m.code[0].flags = 0;
    refused(&m, header(0, "the first code object is not a module body"));
    let mut m = rich();
    m.code[1].flags = CODE_MODULE;
    refused(
        &m,
        header(1, "only the first code object may be a module body"),
    );
    let mut m = rich();
    m.code[1].flags = 0x100;
    refused(&m, header(1, "unknown code flags"));
    let mut m = rich();
    m.code[0].n_params = 1;
    m.code[0].n_locals = 1;
    m.code[0].local_names = vec![2];
    refused(&m, header(0, "a module body takes no parameters"));
    let mut m = rich();
    m.code[1].n_params = 4;
    refused(&m, header(1, "fewer locals than parameters"));
    let mut m = rich();
    m.code[1].local_names.pop();
    refused(
        &m,
        header(1, "the local names do not match the local count"),
    );
}

#[test]
fn decoding_errors_are_precise() {
    let raw = |bytecode: &'static [u8]| {
        let mut m = hello();
        m.code[0] = code(0, CODE_MODULE, 2, bytecode);
        m
    };
    let at = |offset| LoadError::BadEncoding { code: 0, offset };
    refused(
        &raw(&[0x12, 0x00]),
        LoadError::BadOpcode {
            code: 0,
            offset: 1,
            byte: 0,
        },
    );
    refused(&raw(&[0x12, 0x65, 0x10]), at(2));
    // An overlong varuint (0 written in two bytes).
    refused(&raw(&[0x10, 0x80, 0x00, 0x65]), at(0));
    // A varuint over 32 bits.
    refused(&raw(&[0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x65]), at(0));
    refused(&raw(&[0x50, 0x00]), at(0));
}

#[test]
fn operand_values_are_checked() {
    let value = |offset| Err(LoadError::BadOperandValue { code: 0, offset });
    let two = |o, a| {
        module_with(
            &[op(LOAD_NONE), op(LOAD_NONE), op1(o, a), op(RETURN_VALUE)],
            2,
        )
    };
    check(&two(BINARY_OP, BinaryOp::Xor as u32), Ok(()));
    check(&two(BINARY_OP, 13), value(2));
    check(&two(INPLACE_OP, 200), value(2));
    check(&two(COMPARE_OP, 9), Ok(()));
    check(&two(COMPARE_OP, 10), value(2));
    let one = |o, a| module_with(&[op(LOAD_NONE), op1(o, a), op(RETURN_VALUE)], 2);
    check(&one(UNARY_OP, 3), Ok(()));
    check(&one(UNARY_OP, 4), value(1));
    check(&one(BUILD_TUPLE, 1), Ok(()));
    check(&one(BUILD_LIST, 3), value(1));
    check(&one(UNPACK_SEQUENCE, 3), value(1));
    check(&one(BUILD_MAP, 2), value(1));
    let small = |v| module_with(&[Asm::I(LOAD_SMALL_INT, Args::Int(v)), op(RETURN_VALUE)], 1);
    check(&small(frost_runtime::value::SMALL_INT_MAX), Ok(()));
    check(&small(frost_runtime::value::SMALL_INT_MIN), Ok(()));
    check(&small(frost_runtime::value::SMALL_INT_MAX + 1), value(0));
    check(&small(i64::MIN), value(0));
    let range = |argc| {
        let mut items = vec![op(LOAD_NONE); argc as usize];
        items.extend([op1(GET_RANGE, argc), op(RETURN_VALUE)]);
        module_with(&items, 3)
    };
    check(&range(0), value(0));
    check(&range(4), value(4));
    let raise = module_with(&[op(LOAD_NONE), op(LOAD_NONE), op1(RAISE, 3)], 2);
    refused(&raise, LoadError::BadOperandValue { code: 0, offset: 2 });
    let import = module_with(
        &[op(LOAD_NONE), op2(IMPORT_NAME, 1, 256), op(RETURN_VALUE)],
        1,
    );
    refused(&import, LoadError::BadOperandValue { code: 0, offset: 1 });
}

#[test]
fn line_tables_are_checked() {
    let with_lines = |table: &'static [u8]| {
        let mut m = hello();
        m.code[0].line_table = table;
        m
    };
    let bad = Err(LoadError::BadLineTable { code: 0 });
    check(&with_lines(lines(&[(0, 1), (6, 3)])), Ok(()));
    check(&with_lines(lines(&[(2, 0)])), bad.clone());
    check(&with_lines(lines(&[(9, 1)])), Ok(()));
    check(&with_lines(lines(&[(10, 1)])), bad.clone());
    check(&with_lines(&[0x02]), bad.clone());
    check(&with_lines(&[0x02, 0x80]), bad.clone());
    check(&with_lines(lines(&[(0, u32::MAX)])), bad.clone());
    // An image without line tables must not carry one.
    let mut m = hello();
    m.code[0].line_table = lines(&[(0, 1)]);
    let no_lines = format::Flags {
        opt_level: 3,
        has_lines: false,
    };
    let got = load_bytes(&format::write(&m, no_lines)).err();
    assert_eq!(got, Some(LoadError::BadLineTable { code: 0 }));
    m.code[0].line_table = &[];
    assert!(load_bytes(&format::write(&m, no_lines)).is_ok());
    assert!(load_bytes(&format::write(&m, LINES)).is_ok());
}

#[test]
fn constants_are_checked() {
    let with_const = |konst| {
        let mut m = hello();
        m.consts.push(konst);
        m
    };
    let bad = Err(LoadError::BadConst { index: 1 });
    check(
        &with_const(Const::BigInt(&[0, 0, 0, 0, 0, 0, 0, 0x80, 0])),
        Ok(()),
    );
    check(
        &with_const(Const::BigInt(&[1, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF])),
        Ok(()),
    );
    check(
        &with_const(Const::BigInt(&[0, 0, 0, 0, 0, 0, 0, 0x40, 0])),
        bad.clone(),
    );
    check(
        &with_const(Const::BigInt(&[0, 0, 0, 0, 0, 0, 0, 0x80, 0xFF])),
        bad.clone(),
    );
    check(&with_const(Const::BigInt(&[1, 2, 3])), bad.clone());
    check(&with_const(Const::BigInt(&[])), bad.clone());
    check(&with_const(Const::Int(i64::MAX)), Ok(()));
    check(&with_const(Const::Tuple(vec![0, 0])), Ok(()));
    check(&with_const(Const::Tuple(vec![1])), bad.clone());
    check(&with_const(Const::Tuple(vec![7])), bad);
}

#[test]
fn table_sizes_are_capped() {
    let mut pairs = Vec::new();
    for _ in 0..(MAX_CODE_LEN / 2 + 1) {
        pairs.extend([op(LOAD_NONE), op(POP_TOP)]);
    }
    pairs.extend([op(LOAD_NONE), op(RETURN_VALUE)]);
    let m = module_with(&pairs, 1);
    let expected = LoadError::TooLarge {
        what: "bytecode",
        len: MAX_CODE_LEN as u32 + 3,
        max: MAX_CODE_LEN as u32,
    };
    refused(&m, expected);
    let mut m = hello();
    m.names = vec!["n"; 70_000];
    let expected = LoadError::TooLarge {
        what: "name table",
        len: 70_000,
        max: 1 << 16,
    };
    refused(&m, expected);
}

#[test]
fn errors_read_as_one_line() {
    let all = [
        LoadError::Truncated,
        LoadError::BadCodeHeader {
            code: 1,
            what: "fewer locals than parameters",
        },
        LoadError::HandlerDepth {
            code: 1,
            offset: 4,
            depth: 2,
            available: 1,
        },
    ];
    for e in all {
        let text = e.to_string();
        assert!(!text.is_empty() && !text.contains('\n'), "{text}");
    }
}
