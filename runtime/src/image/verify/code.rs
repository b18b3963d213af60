//! Instruction checks. In: one code object and the module's tables. Out: which offsets start an
//! instruction, once every instruction decodes, every operand indexes inside its table or is a
//! value its opcode accepts (and appears in code that can run it), and every jump target and exception entry lies on an instruction.

use alloc::vec;
use alloc::vec::Vec;

use super::MAX_IMPORT_LEVEL;
use super::placement::check_placement;
use crate::image::LoadError;
use crate::image::format::{CodeObject, Const, ModuleImage};
use crate::image::opcode::{Args, BinaryOp, CompareOp, DecodeError, Instr, Opcode, UnaryOp};
use crate::value::{SMALL_INT_MAX, SMALL_INT_MIN};

/// Decodes every instruction from offset 0 and checks its operands, then checks jump targets and
/// the exception table. Returns `starts[o]`: whether offset `o` begins an instruction.
pub(super) fn check_instructions(
    c: u32,
    code: &CodeObject<'_>,
    module: &ModuleImage<'_>,
    keyword_tuples: &[bool],
) -> Result<Vec<bool>, LoadError> {
    let bytecode = code.bytecode;
    let mut starts = vec![false; bytecode.len()];
    let mut pc = 0;
    while pc < bytecode.len() {
        let (instr, next) = decode_at(c, bytecode, pc)?;
        if let Some(start) = starts.get_mut(pc) {
            *start = true;
        }
        check_operands(c, pc as u32, &instr, code, module, keyword_tuples)?;
        pc = next;
    }
    // Targets are checked in a second walk, when every instruction start is known.
    let mut pc = 0;
    while pc < bytecode.len() {
        let (instr, next) = decode_at(c, bytecode, pc)?;
        if let Some(target) = instr.target()
            && !is_start(&starts, target)
        {
            return Err(LoadError::BadJump {
                code: c,
                offset: pc as u32,
                target,
            });
        }
        pc = next;
    }
    check_exc_table(c, code, &starts)?;
    Ok(starts)
}

/// Decodes one instruction, naming the code object and offset on failure.
pub(super) fn decode_at(c: u32, bytecode: &[u8], pc: usize) -> Result<(Instr, usize), LoadError> {
    Instr::decode(bytecode, pc).map_err(|e| match e {
        DecodeError::UnknownOpcode(byte) => LoadError::BadOpcode {
            code: c,
            offset: pc as u32,
            byte,
        },
        DecodeError::Truncated | DecodeError::BadVarint => LoadError::BadEncoding {
            code: c,
            offset: pc as u32,
        },
    })
}

fn is_start(starts: &[bool], offset: u32) -> bool {
    starts.get(offset as usize).copied().unwrap_or(false)
}

/// The number of keyword names of a CALL_KW/CALL_METHOD_KW whose operands were checked.
pub(super) fn keyword_count(module: &ModuleImage<'_>, const_idx: u32) -> u32 {
    match module.consts.get(const_idx as usize) {
        Some(Const::Tuple(items)) => items.len() as u32,
        _ => 0,
    }
}

fn check_operands(
    c: u32,
    offset: u32,
    instr: &Instr,
    code: &CodeObject<'_>,
    module: &ModuleImage<'_>,
    keyword_tuples: &[bool],
) -> Result<(), LoadError> {
    use Opcode::*;
    let index = |what: &'static str, index: u32, len: usize| {
        let len = len as u32;
        if index >= len {
            return Err(LoadError::BadOperand {
                code: c,
                offset,
                what,
                index,
                len,
            });
        }
        Ok(())
    };
    let value_ok = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(LoadError::BadOperandValue { code: c, offset })
        }
    };
    check_placement(c, offset, instr.op, code.flags)?;
    let (a, b) = (instr.a(), instr.b());
    let n_names = module.names.len();
    match instr.op {
        COPY => value_ok(a >= 1),
        SWAP => value_ok(a >= 2),
        LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF => {
            index("deref", a, code.cellvars.len() + code.freevars.len())
        }
        // Two counts of one byte each.
        UNPACK_EX => value_ok(a <= 0xFFFF),
        BUILD_SLICE => value_ok(a == 2 || a == 3),
        LIST_APPEND | SET_ADD | MAP_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE | DICT_MERGE => {
            value_ok(a >= 1)
        }
        FORMAT_VALUE => value_ok(a <= 7),
        CALL_EX => value_ok(a <= 1),
        LIST_TO_TUPLE | LOAD_BUILD_CLASS | YIELD_VALUE | YIELD_FROM | GET_YIELD_FROM_ITER
        | GET_AWAITABLE | GET_AITER | GET_ANEXT | END_ASYNC_FOR | BEFORE_WITH
        | BEFORE_ASYNC_WITH | WITH_EXCEPT_START | IMPORT_STAR => Ok(()),
        LOAD_CONST => index("const", a, module.consts.len()),
        LOAD_SMALL_INT => match instr.args {
            Args::Int(v) => value_ok((SMALL_INT_MIN..=SMALL_INT_MAX).contains(&v)),
            _ => value_ok(false),
        },
        LOAD_FAST | STORE_FAST | DELETE_FAST => index("local", a, usize::from(code.n_locals)),
        LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL
        | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_FROM => {
            index("name", a, n_names)
        }
        IMPORT_NAME => {
            index("name", a, n_names)?;
            value_ok(b <= MAX_IMPORT_LEVEL)
        }
        UNARY_OP => value_ok(u8::try_from(a).ok().and_then(UnaryOp::from_u8).is_some()),
        BINARY_OP | INPLACE_OP => {
            value_ok(u8::try_from(a).ok().and_then(BinaryOp::from_u8).is_some())
        }
        COMPARE_OP => value_ok(u8::try_from(a).ok().and_then(CompareOp::from_u8).is_some()),
        GET_RANGE => value_ok((1..=3).contains(&a)),
        RAISE => value_ok(a <= 2),
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING | UNPACK_SEQUENCE => {
            value_ok(a <= u32::from(code.stack_size))
        }
        BUILD_MAP => value_ok(u64::from(a) * 2 <= u64::from(code.stack_size)),
        MAKE_FUNCTION => {
            index("code", a, module.code.len())?;
            // Code object 0 is the module body, never a function. A closure tuple (flag bit 2)
            // is there exactly when the code has free variables to fill from it.
            let has_freevars = module
                .code
                .get(a as usize)
                .is_some_and(|target| !target.freevars.is_empty());
            value_ok(a != 0 && b <= 7 && (b & 4 != 0) == has_freevars)
        }
        CALL_KW | CALL_METHOD_KW => {
            index("keyword names", b, module.consts.len())?;
            value_ok(keyword_tuples.get(b as usize).copied().unwrap_or(false))
        }
        POP_TOP | DUP_TOP | DUP_TOP_TWO | ROT_TWO | ROT_THREE | LOAD_NONE | LOAD_TRUE
        | LOAD_FALSE | LOAD_ASSERTION_ERROR | BINARY_SUBSCR | STORE_SUBSCR | DELETE_SUBSCR
        | JUMP | POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE | JUMP_IF_FALSE_OR_POP
        | JUMP_IF_TRUE_OR_POP | GET_ITER | FOR_ITER | FOR_RANGE | CALL | CALL_METHOD
        | RETURN_VALUE | RERAISE | PUSH_EXC_INFO | POP_EXCEPT | CHECK_EXC_MATCH => Ok(()),
    }
}

/// Each entry protects a non-empty run of whole instructions inside the code, and its handler
/// is an instruction. Depths are the stack pass's job.
fn check_exc_table(c: u32, code: &CodeObject<'_>, starts: &[bool]) -> Result<(), LoadError> {
    let len = code.bytecode.len();
    for (i, entry) in code.exc_table.iter().enumerate() {
        let (start, end) = (usize::from(entry.start), usize::from(entry.end));
        let end_ok = end == len || is_start(starts, u32::from(entry.end));
        if start >= end || end > len || !is_start(starts, u32::from(entry.start)) || !end_ok {
            return Err(LoadError::BadExcEntry {
                code: c,
                entry: i as u32,
            });
        }
        if !is_start(starts, u32::from(entry.handler)) {
            return Err(LoadError::BadJump {
                code: c,
                offset: u32::from(entry.start),
                target: u32::from(entry.handler),
            });
        }
    }
    Ok(())
}
